import type { TruthCheck } from '../../runner.js';
import type { ClusterTruthData, LiveFacts } from '../context.js';
import type { PodView } from '../ports.js';

function restarts(pod: PodView): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

const ready = (pod: PodView) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

function rolloutGaps(live: LiveFacts): string[] {
  const w = live.workload;
  const s = w.status ?? {};
  const want = w.spec?.replicas ?? 1;
  const gaps: string[] = [];
  if ((s.observedGeneration ?? 0) < (w.metadata.generation ?? 0)) gaps.push(`the controller has not observed generation ${w.metadata.generation} yet`);
  if ((s.updatedReplicas ?? 0) < want) gaps.push(`${s.updatedReplicas ?? 0}/${want} replicas updated`);
  if ((s.readyReplicas ?? 0) < want) gaps.push(`${s.readyReplicas ?? 0}/${want} replicas ready`);
  if (live.kind === 'Deployment' && (s.replicas ?? 0) > want) gaps.push(`${(s.replicas ?? 0) - want} old replica(s) still running`);
  if (live.kind === 'StatefulSet' && s.updateRevision && s.currentRevision !== s.updateRevision) gaps.push(`revision ${s.updateRevision} not rolled out to every pod`);
  const stale = live.pods.filter((p) => p.spec?.containers?.find((c) => c.name === live.container)?.image !== live.image);
  if (stale.length) gaps.push(`pod(s) ${stale.map((p) => p.metadata.name).join(', ')} run an older image`);
  return gaps;
}

/**
 * Every replica is updated and ready now, and stays so through the stability window: no restart, no
 * pod replaced, no pod falling out of Ready. Restarts before the baseline are reported as history.
 */
export function rolloutCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'rollout',
    required: true,
    dependsOn: ['identity'],
    async run({ data, signal, progress }) {
      const live = data.live as LiveFacts;
      const want = live.workload.spec?.replicas ?? 1;
      const gaps = rolloutGaps(live);
      const s = live.workload.status ?? {};
      const status = { desired: want, updated: s.updatedReplicas ?? 0, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0 };
      if (gaps.length) return { status: 'fail', summary: `rollout not complete: ${gaps.join('; ')}`, evidence: { status } };

      const before = await data.baseline();
      progress(`rollout: watching ${before.pods.length} pod(s) for ${Math.round(data.stabilityWindowMs / 1000)} s`);
      const after = await data.afterWindow(signal);
      const now = new Map(after.pods.map((p) => [p.metadata.name, p]));
      const pods = before.pods.map((p) => {
        const later = now.get(p.metadata.name);
        return {
          pod: p.metadata.name,
          restarts_before: restarts(p),
          restarts_after: later ? restarts(later) : null,
          ready_after: later ? ready(later) : false,
          waiting: later?.status?.containerStatuses?.map((c) => c.state?.waiting?.reason).find(Boolean) ?? null,
          last_exit: later?.status?.containerStatuses?.map((c) => c.lastState?.terminated).find(Boolean) ?? null,
        };
      });
      const added = after.pods.filter((p) => !before.pods.some((b) => b.metadata.name === p.metadata.name)).map((p) => p.metadata.name);
      const problems: string[] = [];
      for (const p of pods) {
        if (p.restarts_after === null) problems.push(`pod ${p.pod} was replaced`);
        else if (p.restarts_after > p.restarts_before) problems.push(`pod ${p.pod} restarted ${p.restarts_after - p.restarts_before} time(s)${p.last_exit ? ` (last exit ${p.last_exit.exitCode ?? '?'} ${p.last_exit.reason ?? ''})`.trimEnd() : ''}${p.waiting ? `, now ${p.waiting}` : ''}`);
        else if (!p.ready_after) problems.push(`pod ${p.pod} is no longer ready`);
      }
      if (added.length) problems.push(`new pod(s) appeared: ${added.join(', ')}`);
      const window_seconds = (after.at.getTime() - before.at.getTime()) / 1000;
      const evidence = { status, window_seconds, pods, new_pods: added };
      if (problems.length) return { status: 'fail', summary: `${problems.join('; ')} during the ${window_seconds.toFixed(1)} s window`, evidence };
      const history = pods.filter((p) => p.restarts_before > 0);
      const note = history.length ? ` (${history.length} pod(s) had restarted before the pass)` : '';
      return { status: 'pass', summary: `${want}/${want} replicas updated and ready, no restarts in ${window_seconds.toFixed(1)} s${note}`, evidence };
    },
  };
}
