/**
 * StatefulSet controller: ordered pods `<name>-<i>` (OrderedReady or Parallel), PVCs from
 * volumeClaimTemplates, scale-down from the highest ordinal, rolling update one pod at a time once
 * all are ready (partition honoured), and current/update revisions in status.
 */
import type { Ctx } from './context.js';
import { isControlledBy, isPodReady, omitZero } from './context.js';
import { templateHash } from './deployments.js';
import type { Json, KObject } from './store.js';

export class StatefulSetController {
  constructor(private readonly ctx: Ctx) {}

  reconcileStatefulSet(sts: KObject): void {
    if (sts.metadata.deletionTimestamp) return;
    const { ctx } = this;
    const ns: string = sts.metadata.namespace;
    const name: string = sts.metadata.name;
    const want: number = sts.spec.replicas ?? 1;
    const updateRevision = `${name}-${templateHash(sts.spec.template)}`;
    const pods = ctx.list('v1', 'Pod', ns).filter((p) => isControlledBy(p, sts));
    const byOrdinal = new Map<number, KObject>();
    for (const p of pods) byOrdinal.set(Number(p.metadata.name.slice(name.length + 1)), p);
    const ordered = sts.spec.podManagementPolicy !== 'Parallel';
    let acted = false;

    for (let i = 0; i < want && !acted; i++) {
      const p = byOrdinal.get(i);
      if (p) {
        if (ordered && !isPodReady(p)) break;
        continue;
      }
      const podName = `${name}-${i}`;
      const volumes: Json[] = [];
      for (const vct of sts.spec.volumeClaimTemplates ?? []) {
        const claimName = `${vct.metadata.name}-${podName}`;
        const pvcInfo = ctx.info('v1', 'PersistentVolumeClaim');
        if (!ctx.store.get(pvcInfo, ns, claimName)) {
          ctx.create({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: claimName, namespace: ns, labels: { ...(sts.spec.selector?.matchLabels ?? {}) } },
            spec: { ...structuredClone(vct.spec ?? {}), volumeMode: vct.spec?.volumeMode ?? 'Filesystem' },
            status: { phase: 'Pending' },
          });
          ctx.events.record(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${name} success`, 'statefulset-controller');
        }
        volumes.push({ name: vct.metadata.name, persistentVolumeClaim: { claimName } });
      }
      const spec = structuredClone(sts.spec.template.spec);
      if (volumes.length) spec.volumes = [...(spec.volumes ?? []).filter((v: Json) => !volumes.some((x) => x.name === v.name)), ...volumes];
      const r = ctx.createPod(sts, sts.spec.template, podName, {
        labels: {
          'controller-revision-hash': updateRevision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        },
        spec: { ...spec, hostname: podName, ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}) },
      });
      if (r.forbidden) {
        ctx.events.recordOnce(sts, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${name} failed error: ${r.forbidden}`, 'statefulset-controller');
        break;
      }
      ctx.events.record(sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`, 'statefulset-controller');
      byOrdinal.set(i, r.pod!);
      acted = ordered;
    }
    // Scale down, highest ordinal first, one at a time.
    const extra = [...byOrdinal.entries()].filter(([i]) => i >= want).sort((a, b) => b[0] - a[0]);
    if (!acted && extra[0]) {
      ctx.remove(extra[0][1]);
      byOrdinal.delete(extra[0][0]);
      ctx.events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${extra[0][1].metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
      acted = true;
    }
    // Rolling update: replace the highest outdated pod once every pod is ready.
    const current = [...byOrdinal.entries()].filter(([i]) => i < want);
    if (!acted && current.length === want && current.every(([, p]) => isPodReady(p)) && sts.spec.updateStrategy?.type !== 'OnDelete') {
      const partition: number = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const outdated = current.filter(([i, p]) => i >= partition && p.metadata.labels?.['controller-revision-hash'] !== updateRevision).sort((a, b) => b[0] - a[0]);
      if (outdated[0]) {
        ctx.remove(outdated[0][1]);
        byOrdinal.delete(outdated[0][0]);
        ctx.events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${outdated[0][1].metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
      }
    }
    const live = [...byOrdinal.values()];
    const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === updateRevision).length;
    const prevCurrent: string = sts.status?.currentRevision ?? updateRevision;
    const currentRevision = updated === want && live.length === want ? updateRevision : prevCurrent;
    const readyCount = live.filter(isPodReady).length;
    const status: Json = {
      observedGeneration: sts.metadata.generation,
      replicas: live.length,
      readyReplicas: readyCount,
      currentReplicas: live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision,
      updateRevision,
      collisionCount: 0,
      availableReplicas: readyCount,
    };
    omitZero(status, ['readyReplicas', 'currentReplicas', 'updatedReplicas']);
    const next = structuredClone(sts);
    next.status = status;
    ctx.save(sts, next);
  }
}
