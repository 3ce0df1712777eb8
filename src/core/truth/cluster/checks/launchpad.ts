import type { CheckOutcome, TruthCheck } from '../../runner.js';
import type { ClusterTruthData, LiveFacts } from '../context.js';

/** App Launchpad shows the app public on the expected Service port under the App URL host (Sealos region known). */
export function launchpadCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'launchpad',
    required: false,
    dependsOn: ['identity'],
    async run({ data }): Promise<CheckOutcome> {
      if (!data.launchpad) return { status: 'skip', summary: 'no Sealos region known', skipReason: 'no Sealos region known (no ~/.sealos/auth.json and no --region): App Launchpad cannot be asked' };
      const live = data.live as LiveFacts;
      if (!live.url) return { status: 'skip', summary: 'the app has no public URL', skipReason: 'a private app has no Launchpad public network to check' };
      const r = await data.launchpad.check({ appName: data.appName, appUrl: live.url, expectedPort: live.servicePort });
      const evidence = { region: data.launchpad.region, ...(typeof r.evidence === 'object' && r.evidence !== null ? (r.evidence as Record<string, unknown>) : { detail: r.evidence }) };
      return r.status === 'skip' ? { status: 'skip', summary: r.summary, skipReason: r.summary, evidence } : { status: r.status, summary: r.summary, evidence };
    },
  };
}
