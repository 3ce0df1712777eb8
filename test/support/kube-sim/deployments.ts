/**
 * Deployment controller (ReplicaSets with revision annotations, rolling or Recreate update,
 * rollback by template match, revision history limit, progress deadline, conditions) and
 * ReplicaSet controller (pods, FailedCreate on quota, ReplicaFailure).
 */
import type { Ctx } from './context.js';
import { condition, isControlledBy, isPodReady, isTerminal, omitZero, ownerRef, safeEncode } from './context.js';
import { deepEqual } from './patch.js';
import type { Json, KObject } from './store.js';

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
const SKIP_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

function withoutHash(template: Json): Json {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

export function templateHash(template: Json, collisionCount = 0): string {
  return safeEncode(JSON.stringify(template) + String(collisionCount), 10);
}

function revisionOf(rs: KObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

function resolve(value: Json, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = String(value ?? '').match(/^(\d+)%$/);
  if (!m) return Number(value) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

function setCond(conditions: Json[], type: string, status: string, reason: string, message: string, now: string, withUpdateTime: boolean, touch: boolean): void {
  const existing = conditions.find((c) => c.type === type);
  const changed = !existing || existing.status !== status || existing.reason !== reason || existing.message !== message;
  const next: Json = { type, status };
  if (withUpdateTime) next.lastUpdateTime = changed || touch ? now : existing.lastUpdateTime;
  next.lastTransitionTime = existing && existing.status === status ? existing.lastTransitionTime : now;
  next.reason = reason;
  next.message = message;
  if (existing) {
    if (!changed && !touch) return;
    Object.keys(existing).forEach((k) => delete existing[k]);
    Object.assign(existing, next);
  } else conditions.push(next);
}

export class DeploymentControllers {
  constructor(private readonly ctx: Ctx) {}

  // Deployments ---------------------------------------------------------------------------

  reconcileDeployment(d: KObject): void {
    if (d.metadata.deletionTimestamp) return;
    const { ctx } = this;
    const ns: string = d.metadata.namespace;
    const desired: number = d.spec.replicas ?? 1;
    const all = ctx.list('apps/v1', 'ReplicaSet', ns).filter((rs) => isControlledBy(rs, d));
    const template = withoutHash(d.spec.template);
    let newRS = all.find((rs) => deepEqual(withoutHash(rs.spec.template), template));
    const maxRevision = Math.max(0, ...all.map(revisionOf));
    let created = false;
    const next = structuredClone(d);
    const surge = d.spec.strategy?.type === 'RollingUpdate' ? resolve(d.spec.strategy.rollingUpdate?.maxSurge, desired, true) : 0;
    const annotationsFromDeployment = Object.fromEntries(Object.entries<string>(d.metadata.annotations ?? {}).filter(([k]) => !SKIP_ANNOTATIONS.has(k)));

    if (d.spec.paused) {
      this.deploymentStatus(d, next, all, newRS, false);
      return;
    }

    if (!newRS) {
      const hash = templateHash(template, d.status?.collisionCount ?? 0);
      const rsTemplate = structuredClone(template);
      rsTemplate.metadata ??= {};
      rsTemplate.metadata.labels = { ...(rsTemplate.metadata.labels ?? {}), [HASH]: hash };
      newRS = ctx.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash },
          annotations: { ...annotationsFromDeployment, [DESIRED]: String(desired), [MAX_REPLICAS]: String(desired + surge), [REVISION]: String(maxRevision + 1) },
          ownerReferences: [ownerRef(d)],
          generation: 1,
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: { ...structuredClone(d.spec.selector), matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH]: hash } },
          template: rsTemplate,
        },
      });
      created = true;
    } else if (revisionOf(newRS) < maxRevision) {
      // Rollback to an old template: the old ReplicaSet becomes the newest revision again.
      const old = revisionOf(newRS);
      const history = [newRS.metadata.annotations?.[REVISION_HISTORY], String(old)].filter(Boolean).join(',');
      const rs = structuredClone(newRS);
      rs.metadata.annotations = { ...annotationsFromDeployment, ...(rs.metadata.annotations ?? {}), [REVISION]: String(maxRevision + 1), [REVISION_HISTORY]: history };
      newRS = ctx.save(newRS, rs);
    }
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: newRS.metadata.annotations[REVISION] };

    const olds = all.filter((rs) => rs.metadata.uid !== newRS!.metadata.uid);
    const newAvailable = newRS.status?.availableReplicas ?? 0;
    const scale = (rs: KObject, replicas: number) => {
      const current = rs.spec.replicas ?? 0;
      if (current === replicas) return rs;
      const copy = structuredClone(rs);
      copy.spec.replicas = replicas;
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [DESIRED]: String(desired), [MAX_REPLICAS]: String(desired + surge) };
      copy.metadata.generation = (copy.metadata.generation ?? 1) + 1;
      ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > current ? 'up' : 'down'} replica set ${rs.metadata.name} from ${current} to ${replicas}`, 'deployment-controller');
      return ctx.save(rs, copy);
    };
    if (d.spec.strategy?.type === 'Recreate') {
      const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
      for (const rs of olds) scale(rs, 0);
      if (oldPods === 0) newRS = scale(newRS, desired);
    } else {
      newRS = scale(newRS, desired);
      let remaining = Math.max(0, desired - newAvailable);
      for (const rs of [...olds].sort((a, b) => revisionOf(b) - revisionOf(a))) {
        const keep = Math.min(rs.spec.replicas ?? 0, remaining);
        remaining -= keep;
        scale(rs, keep);
      }
    }
    // Old, scaled-down ReplicaSets beyond revisionHistoryLimit are garbage collected.
    const limit: number = d.spec.revisionHistoryLimit ?? 10;
    const idle = olds.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) ctx.remove(rs);

    const fresh = ctx.list('apps/v1', 'ReplicaSet', ns).filter((rs) => isControlledBy(rs, d));
    this.deploymentStatus(d, next, fresh, fresh.find((rs) => rs.metadata.uid === newRS!.metadata.uid), created);
  }

  private deploymentStatus(d: KObject, next: KObject, all: KObject[], newRS: KObject | undefined, created: boolean): void {
    const { ctx } = this;
    const now = ctx.clock.iso();
    const desired: number = d.spec.replicas ?? 1;
    const sum = (f: (rs: KObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const specTotal = sum((rs) => rs.spec.replicas ?? 0);
    const prev = d.status ?? {};
    const status: Json = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, specTotal - available),
      conditions: structuredClone(prev.conditions ?? []),
    };
    if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
    omitZero(status, ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']);
    const conditions: Json[] = status.conditions;
    const maxUnavailable = d.spec.strategy?.type === 'RollingUpdate' ? resolve(d.spec.strategy.rollingUpdate?.maxUnavailable, desired, false) : 0;
    if (available >= desired - maxUnavailable) setCond(conditions, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, true, false);
    else setCond(conditions, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now, true, false);

    const rsName = newRS?.metadata.name ?? '';
    const progress = conditions.find((c) => c.type === 'Progressing');
    const complete = updated === desired && replicas === desired && available === desired && (newRS?.status?.observedGeneration ?? 0) >= (newRS?.metadata.generation ?? 0);
    const countsChanged = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'].some((k) => (prev[k] ?? 0) !== (status[k] ?? 0));
    if (d.spec.paused) {
      setCond(conditions, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now, true, false);
    } else if (complete) {
      setCond(conditions, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, now, true, false);
    } else if (created) {
      setCond(conditions, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, now, true, true);
    } else if (countsChanged || !progress || progress.reason === 'NewReplicaSetAvailable' || (progress.message && !progress.message.includes(`"${rsName}"`))) {
      setCond(conditions, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, now, true, true);
    } else if (progress.status === 'True') {
      const since = Date.parse(progress.lastUpdateTime ?? now);
      const deadline: number = d.spec.progressDeadlineSeconds ?? 600;
      if (ctx.clock.now() - since > deadline * 1000) {
        setCond(conditions, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, now, true, false);
      }
    }
    const failure = all.map((rs) => condition(rs, 'ReplicaFailure')).find((c) => c?.status === 'True');
    if (failure) setCond(conditions, 'ReplicaFailure', 'True', failure.reason, failure.message, now, true, false);
    else status.conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    // API order: Available, Progressing, ReplicaFailure.
    const order = ['Available', 'Progressing', 'ReplicaFailure'];
    status.conditions.sort((a: Json, b: Json) => order.indexOf(a.type) - order.indexOf(b.type));
    next.status = status;
    ctx.save(d, next);
  }

  // ReplicaSets ---------------------------------------------------------------------------

  reconcileReplicaSet(rs: KObject): void {
    if (rs.metadata.deletionTimestamp) return;
    const { ctx } = this;
    const ns: string = rs.metadata.namespace;
    const pods = ctx.list('v1', 'Pod', ns).filter((p) => isControlledBy(p, rs) && !p.metadata.deletionTimestamp && !isTerminal(p));
    const want: number = rs.spec.replicas ?? 1;
    const next = structuredClone(rs);
    const conditions: Json[] = structuredClone(rs.status?.conditions ?? []);
    let failure: string | undefined;
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++) {
        const name = `${rs.metadata.name}-${ctx.nextSuffix(rs.metadata.name)}`;
        const r = ctx.createPod(rs, rs.spec.template, name);
        if (r.forbidden) {
          failure = r.forbidden;
          // The controller retries with back-off; record the event once per distinct failure.
          if (conditions.find((c) => c.type === 'ReplicaFailure')?.message !== r.forbidden) {
            ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${r.forbidden}`, 'replicaset-controller');
          }
          break;
        }
        ctx.usedSuffix(rs.metadata.name);
        pods.push(r.pod!);
        ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller');
      }
    } else if (pods.length > want) {
      const victims = [...pods]
        .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))
        .slice(0, pods.length - want);
      for (const p of victims) {
        ctx.remove(p);
        ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
      }
      const gone = new Set(victims.map((v) => v.metadata.uid));
      pods.splice(0, pods.length, ...pods.filter((p) => !gone.has(p.metadata.uid)));
    }
    const now = ctx.clock.iso();
    let conds = conditions.filter((c) => c.type !== 'ReplicaFailure');
    if (failure) {
      const existing = conditions.find((c) => c.type === 'ReplicaFailure');
      conds = [...conds, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: existing?.lastTransitionTime ?? now, reason: 'FailedCreate', message: failure }];
    } else if (pods.length < want && conditions.some((c) => c.type === 'ReplicaFailure')) {
      conds = conditions;
    }
    const ready = pods.filter(isPodReady).length;
    const status: Json = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    omitZero(status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']);
    if (conds.length) status.conditions = conds;
    next.status = status;
    ctx.save(rs, next);
  }
}
