import { DeployError } from '../core/errors.js';
import { noProgress, systemClock, type Clock, type ProgressFn } from '../core/ports.js';
import { diagnosePods, type Diagnosis, type EventView, type PodView } from './diagnose.js';
import type { KubeObject, WorkloadView } from '../core/kube-types.js';
import type { Resources } from './resources.js';

export interface RolloutTarget {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  /** KubeBlocks Cluster the app needs before it can become ready. */
  database?: string | null;
  healthPath?: string | null;
}

export interface RolloutResult {
  ready: number;
  desired: number;
  revision: string | null;
  durationMs: number;
}

function done(obj: WorkloadView, kind: RolloutTarget['kind']): boolean {
  const s = obj.status ?? {};
  const want = obj.spec?.replicas ?? 1;
  if ((s.observedGeneration ?? 0) < (obj.metadata.generation ?? 0)) return false;
  if ((s.updatedReplicas ?? 0) < want || (s.readyReplicas ?? 0) < want) return false;
  if (kind === 'Deployment') return (s.availableReplicas ?? 0) >= want && (s.replicas ?? 0) <= want;
  return !s.updateRevision || s.currentRevision === s.updateRevision;
}

/**
 * The pods of the revision being rolled out. The ReplicaSet (or StatefulSet revision) being replaced
 * may still have crash-looping pods for a moment: that is the release this one fixes, not its failure.
 * Falls back to every pod of the workload when the revision cannot be told (no rights to list
 * ReplicaSets, an older API server).
 */
export async function currentRevisionPods(res: Resources, kind: RolloutTarget['kind'], obj: WorkloadView, selector: string, pods: PodView[]): Promise<PodView[]> {
  if (kind === 'StatefulSet') {
    const rev = obj.status?.updateRevision;
    return rev ? pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === rev) : pods;
  }
  const revision = obj.metadata.annotations?.['deployment.kubernetes.io/revision'];
  if (!revision) return pods;
  const sets = await res.list<KubeObject>('apps/v1', 'ReplicaSet', { labelSelector: selector }).catch(() => null);
  const current = sets?.find(
    (rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision && (rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === obj.metadata.name),
  );
  const hash = current?.metadata.labels?.['pod-template-hash'];
  return hash ? pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash) : pods;
}

/**
 * Wait until every replica of the new revision is updated, ready and available; fail early, in
 * plain words, on crash loops, image pull errors, OOM, unschedulable pods, failing probes, a
 * database that never becomes ready, or the rollout's own progress deadline.
 */
export async function waitForRollout(
  res: Resources,
  target: RolloutTarget,
  opts: { timeoutMs?: number; pollMs?: number; progress?: ProgressFn; signal?: AbortSignal; clock?: Clock } = {},
): Promise<RolloutResult> {
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const pollMs = opts.pollMs ?? 1000;
  const started = clock.now().getTime();
  let lastMessage = '';
  let dbPhase: string | null = null;
  let appWhileDbDown: Diagnosis | null = null;
  const fail = (d: Diagnosis): never => {
    throw new DeployError(d.code, d.summary, d.next, { pod: d.pod, log_tail: d.log_tail, events: d.events });
  };

  for (;;) {
    if (opts.signal?.aborted) throw new DeployError('CANCELLED', `Stopped waiting for ${target.kind} ${target.name}.`, 'The rollout continues in the cluster; run `sealos-deploy status` to follow it.');
    const elapsed = clock.now().getTime() - started;
    const apiVersion = 'apps/v1';
    const obj = await res.get<WorkloadView & { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } }>(apiVersion, target.kind, target.name);
    if (!obj) throw new DeployError('CLUSTER_ERROR', `${target.kind} ${target.name} disappeared during the rollout.`, 'Someone deleted it; re-run the deploy.');
    if (done(obj, target.kind)) {
      return { ready: obj.status?.readyReplicas ?? 0, desired: obj.spec?.replicas ?? 1, revision: obj.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? obj.status?.updateRevision ?? null, durationMs: elapsed };
    }
    if (target.database) {
      const db = await res.get<KubeObject & { status?: { phase?: string } }>('apps.kubeblocks.io/v1alpha1', 'Cluster', target.database).catch(() => null);
      dbPhase = db?.status?.phase ?? null;
    }
    const selector = Object.entries(obj.spec?.selector?.matchLabels ?? { app: target.name }).map(([k, v]) => `${k}=${v}`).join(',');
    const [pods, events] = await Promise.all([res.list<PodView>('v1', 'Pod', { labelSelector: selector }), res.list<EventView>('v1', 'Event')]);
    const diagnosis = await diagnosePods(res, await currentRevisionPods(res, target.kind, obj, selector, pods), events, { healthPath: target.healthPath ?? null });
    // An app that crashes or fails its probes while its database is not up yet is the database's
    // fault: keep waiting, and if the database never comes up, say so with the app's error as evidence.
    const dbDown = Boolean(target.database) && dbPhase !== 'Running';
    if (diagnosis && dbDown && (diagnosis.code === 'ROLLOUT_CRASHLOOP' || diagnosis.code === 'ROLLOUT_PROBE_FAILED')) {
      appWhileDbDown = diagnosis;
      progress(`waiting for PostgreSQL ${target.database} (phase ${dbPhase ?? 'unknown'}); the app restarts until it is ready`);
    } else if (diagnosis) {
      fail(diagnosis);
    }
    const deadline = obj.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
    if (deadline || elapsed >= timeoutMs) {
      if (dbDown) {
        throw new DeployError(
          'ROLLOUT_DB_NOT_READY',
          `PostgreSQL cluster ${target.database} is not running (phase ${dbPhase ?? 'unknown'}), so the app cannot become ready${appWhileDbDown ? `; meanwhile: ${appWhileDbDown.summary}` : ''}.`,
          'Check the database in the Sealos console (Database app); quota or storage problems keep it in Creating. Re-run the deploy once it is Running.',
          { database: target.database, database_phase: dbPhase, ...(appWhileDbDown ? { app_error: appWhileDbDown.code, pod: appWhileDbDown.pod, log_tail: appWhileDbDown.log_tail, events: appWhileDbDown.events } : {}) },
        );
      }
      const s = obj.status ?? {};
      throw new DeployError(
        'ROLLOUT_TIMEOUT',
        `${target.kind} ${target.name} did not become ready in ${Math.round(elapsed / 1000)} s (${s.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1} ready${deadline ? `; ${deadline.message ?? 'progress deadline exceeded'}` : ''}).`,
        'Run `sealos-deploy status` for pod states and events; a slow start needs a longer startup probe.',
        { pods: pods.map((p) => ({ name: p.metadata.name, phase: p.status?.phase ?? null })) },
      );
    }
    const s = obj.status ?? {};
    const message = `${target.kind} ${target.name}: ${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1} ready${dbPhase ? `, database ${dbPhase}` : ''}`;
    if (message !== lastMessage) progress(message, Math.min(elapsed, timeoutMs), timeoutMs);
    lastMessage = message;
    await clock.sleep(pollMs, opts.signal).catch(() => undefined);
  }
}
