import { parseQuantity } from '../../../quantity.js';
import type { CheckOutcome, TruthCheck } from '../../runner.js';
import type { ClusterTruthData, LiveFacts } from '../context.js';
import type { LiveObject } from '../ports.js';

const METRICS = 'metrics.k8s.io/v1beta1';
/** Usage at this share of a limit leaves no headroom for a traffic spike (memory: OOMKill). */
export const NEAR_LIMIT = 0.9;

interface PodMetrics extends LiveObject {
  containers?: Array<{ name: string; usage?: { cpu?: string; memory?: string } }>;
}

const pct = (used: number | null, limit: number | null) => (used !== null && limit ? Math.round((used / limit) * 100) : null);

/** Pod CPU/memory from the metrics API against requests and limits; restarts and OOM history. */
export function footprintCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'footprint',
    required: false,
    dependsOn: ['identity'],
    async run({ data }): Promise<CheckOutcome> {
      const live = data.live as LiveFacts;
      const history = live.pods.map((p) => {
        const st = p.status?.containerStatuses?.find((c) => c.name === live.container);
        return { pod: p.metadata.name, restarts: st?.restartCount ?? 0, oom_killed: st?.lastState?.terminated?.reason === 'OOMKilled' || st?.state?.terminated?.reason === 'OOMKilled' };
      });
      const served = await data.res.served(METRICS);
      if (!served?.some((r) => r.kind === 'PodMetrics'))
        return { status: 'skip', summary: 'the cluster serves no metrics API (metrics.k8s.io)', skipReason: 'metrics.k8s.io is not served: CPU/memory usage cannot be read', evidence: { history } };
      const warnings: string[] = [];
      const pods = [];
      for (const pod of live.pods) {
        const spec = pod.spec?.containers?.find((c) => c.name === live.container);
        const m = (await data.res.get(METRICS, 'PodMetrics', pod.metadata.name)) as PodMetrics | null;
        const usage = m?.containers?.find((c) => c.name === live.container)?.usage;
        const cpu = parseQuantity(usage?.cpu);
        const mem = parseQuantity(usage?.memory);
        const limits = spec?.resources?.limits ?? {};
        const requests = spec?.resources?.requests ?? {};
        const row = {
          pod: pod.metadata.name,
          usage: usage ?? null,
          requests,
          limits,
          cpu_of_limit_pct: pct(cpu, parseQuantity(limits.cpu)),
          memory_of_limit_pct: pct(mem, parseQuantity(limits.memory)),
          cpu_of_request_pct: pct(cpu, parseQuantity(requests.cpu)),
          memory_of_request_pct: pct(mem, parseQuantity(requests.memory)),
        };
        pods.push(row);
        if (!usage) warnings.push(`no metrics yet for pod ${pod.metadata.name}`);
        if (!limits.memory) warnings.push(`pod ${pod.metadata.name} has no memory limit`);
        if (row.memory_of_limit_pct !== null && row.memory_of_limit_pct >= NEAR_LIMIT * 100) warnings.push(`pod ${pod.metadata.name} uses ${usage?.memory} memory, ${row.memory_of_limit_pct}% of its ${limits.memory} limit`);
        if (row.cpu_of_limit_pct !== null && row.cpu_of_limit_pct >= NEAR_LIMIT * 100) warnings.push(`pod ${pod.metadata.name} uses ${usage?.cpu} CPU, ${row.cpu_of_limit_pct}% of its ${limits.cpu} limit`);
      }
      for (const h of history) {
        if (h.oom_killed) warnings.push(`pod ${h.pod} was OOMKilled before`);
        else if (h.restarts > 0) warnings.push(`pod ${h.pod} has restarted ${h.restarts} time(s)`);
      }
      const evidence = { pods, history };
      const nearLimit = warnings.some((w) => / of its .* limit$|OOMKilled|no memory limit/.test(w));
      if (warnings.length) return { status: 'warn', summary: `${warnings.join('; ')}${nearLimit ? ': raise the limit (render --memory/--cpu) or reduce use' : ''}`, evidence };
      const top = Math.max(0, ...pods.map((p) => p.memory_of_limit_pct ?? 0));
      return { status: 'pass', summary: `${pods.length} pod(s) within limits (memory at most ${top}% of its limit), no restarts or OOM kills`, evidence };
    },
  };
}
