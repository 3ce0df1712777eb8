import type { CheckOutcome, TruthCheck } from '../../runner.js';
import type { ClusterTruthData, LiveFacts, Snapshot } from '../context.js';
import type { EventView } from '../ports.js';

/** Names of the app's objects, exactly: the workload, its ReplicaSets and pods, Service, Ingress, database clusters and their pods. */
function appObjects(live: LiveFacts, appName: string, snaps: Snapshot[]): { names: Set<string>; uids: Set<string> } {
  const names = new Set<string>([appName, ...live.dbClusters]);
  const uids = new Set<string>();
  if (live.workload.metadata.uid) uids.add(live.workload.metadata.uid);
  for (const s of snaps)
    for (const p of s.pods) {
      names.add(p.metadata.name);
      if (p.metadata.uid) uids.add(p.metadata.uid);
      for (const o of p.metadata.ownerReferences ?? []) names.add(o.name);
    }
  return { names, uids };
}

function belongs(e: EventView, objs: { names: Set<string>; uids: Set<string> }, clusters: string[]): boolean {
  const o = e.involvedObject ?? {};
  if (o.uid && objs.uids.has(o.uid)) return true;
  if (o.name && objs.names.has(o.name)) return true;
  // KubeBlocks pods and components are `<cluster>-<component>-<n>`.
  return !!o.name && clusters.some((c) => o.name!.startsWith(`${c}-`));
}

const describe = (e: EventView) => ({
  object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
  reason: e.reason ?? null,
  message: (e.message ?? '').slice(0, 300),
  count: e.count ?? 1,
  last_seen: e.lastTimestamp ?? null,
});

/** Warning events that appeared, or repeated, between the baseline and the end of the window. */
export function newWarnings(before: EventView[], after: EventView[]): EventView[] {
  const seen = new Map(before.map((e) => [e.metadata.uid ?? e.metadata.name, e.count ?? 1]));
  return after.filter((e) => e.type === 'Warning' && (e.count ?? 1) > (seen.get(e.metadata.uid ?? e.metadata.name) ?? 0));
}

/** No new Warning event for the app's objects during the stability window; older ones are history. */
export function eventsCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'events',
    required: true,
    dependsOn: ['identity'],
    after: ['public-url', 'health', 'tls', 'database'],
    async run({ data, signal }): Promise<CheckOutcome> {
      const live = data.live as LiveFacts;
      const before = await data.baseline();
      const after = await data.afterWindow(signal);
      const objs = appObjects(live, data.appName, [before, after]);
      const mine = (list: EventView[]) => list.filter((e) => belongs(e, objs, live.dbClusters));
      const fresh = newWarnings(mine(before.events), mine(after.events));
      const history = mine(before.events).filter((e) => e.type === 'Warning');
      const window_seconds = (after.at.getTime() - before.at.getTime()) / 1000;
      const evidence = { window_seconds, new_warnings: fresh.slice(0, 10).map(describe), earlier_warnings: history.slice(-5).map(describe), events_seen: mine(after.events).length };
      if (fresh.length)
        return { status: 'fail', summary: `${fresh.length} new Warning event(s) during the ${window_seconds.toFixed(1)} s window: ${fresh.slice(0, 3).map((e) => `${e.involvedObject?.name}: ${e.reason} ${(e.message ?? '').slice(0, 120)}`).join('; ')}`, evidence };
      return { status: 'pass', summary: `no new Warning events for the app in ${window_seconds.toFixed(1)} s${history.length ? ` (${history.length} earlier warning(s) are history)` : ''}`, evidence };
    },
  };
}
