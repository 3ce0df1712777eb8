/**
 * A small KubeBlocks: a Cluster gets its connection Secret `<name>-conn-credential`, a Service
 * `<name>-<component>` and pods per component, moves Creating → Running when the pods are ready
 * (or stays Creating / goes Failed by test behaviour), and honours its finalizer on delete.
 * Backups go Running → Completed.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from './context.js';
import { isControlledBy, isPodReady, ownerRef } from './context.js';
import type { Json, KObject } from './store.js';

const ENGINES: Record<string, { port: number; portName: string; image: string; user: string }> = {
  postgresql: { port: 5432, portName: 'tcp-postgresql', image: 'docker.io/apecloud/spilo:16.4.0', user: 'postgres' },
  mysql: { port: 3306, portName: 'mysql', image: 'docker.io/apecloud/mysql:8.0.30', user: 'root' },
  'apecloud-mysql': { port: 3306, portName: 'mysql', image: 'docker.io/apecloud/apecloud-mysql-server:8.0.30', user: 'root' },
  redis: { port: 6379, portName: 'redis', image: 'docker.io/redis:7.2.7', user: 'default' },
  mongodb: { port: 27017, portName: 'mongodb', image: 'docker.io/mongo:8.0.4', user: 'root' },
};

function engineOf(cluster: KObject, component: Json): string {
  const hint = String(component.componentDefRef ?? component.componentDef ?? cluster.spec?.clusterDefinitionRef ?? component.name ?? '');
  return Object.keys(ENGINES).find((e) => hint.includes(e)) ?? 'postgresql';
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export class KubeBlocks {
  constructor(private readonly ctx: Ctx) {}

  reconcileCluster(cluster: KObject): void {
    const { ctx } = this;
    const ns: string = cluster.metadata.namespace;
    const name: string = cluster.metadata.name;
    const next = structuredClone(cluster);
    const components: Json[] = cluster.spec?.componentSpecs ?? [];
    const behaviour = ctx.faults.clusterBehaviourFor(name);

    if (cluster.metadata.deletionTimestamp) {
      if (cluster.status?.phase !== 'Deleting') {
        next.status = { ...(cluster.status ?? {}), phase: 'Deleting' };
        ctx.save(cluster, next);
        return;
      }
      ctx.ops.cascade(cluster, 'Background');
      ctx.store.remove(ctx.info('apps.kubeblocks.io/v1alpha1', 'Cluster'), ns, name);
      return;
    }

    const status: Json = { ...(cluster.status ?? {}), observedGeneration: cluster.metadata.generation };
    const compStatus: Json = {};
    if (behaviour?.kind === 'failed') {
      for (const c of components) compStatus[c.name] = { phase: 'Failed', message: { [`InstanceSet/${name}-${c.name}`]: 'Role probe failed' } };
      Object.assign(status, { phase: 'Failed', components: compStatus });
      next.status = status;
      ctx.save(cluster, next);
      return;
    }
    if (behaviour?.kind === 'stuck' || components.length === 0) {
      for (const c of components) compStatus[c.name] = { phase: 'Creating' };
      Object.assign(status, { phase: 'Creating', components: compStatus });
      next.status = status;
      ctx.save(cluster, next);
      return;
    }

    let allReady = true;
    for (const c of components) {
      const engine = ENGINES[engineOf(cluster, c)]!;
      this.ensureConnection(cluster, c, engine);
      const replicas: number = c.replicas ?? 1;
      const labels = {
        'app.kubernetes.io/instance': name,
        'app.kubernetes.io/managed-by': 'kubeblocks',
        'apps.kubeblocks.io/component-name': c.name,
      };
      const pods = ctx.list('v1', 'Pod', ns).filter((p) => isControlledBy(p, cluster) && p.metadata.labels?.['apps.kubeblocks.io/component-name'] === c.name);
      for (let i = 0; i < replicas; i++) {
        const podName = `${name}-${c.name}-${i}`;
        if (pods.some((p) => p.metadata.name === podName)) continue;
        const r = ctx.createPod(
          cluster,
          {
            metadata: { labels: { ...labels, 'kubeblocks.io/role': i === 0 ? 'primary' : 'secondary' } },
            spec: { containers: [{ name: c.name, image: engine.image, ports: [{ name: engine.portName, containerPort: engine.port }], resources: structuredClone(c.resources ?? {}) }] },
          },
          podName,
        );
        if (r.forbidden) ctx.events.recordOnce(cluster, 'Warning', 'FailedCreate', `Error creating: ${r.forbidden}`, 'instanceset-controller');
        else pods.push(r.pod!);
      }
      const ready = pods.filter(isPodReady).length >= replicas;
      allReady &&= ready;
      compStatus[c.name] = { phase: ready ? 'Running' : 'Creating' };
    }
    Object.assign(status, { phase: allReady ? 'Running' : 'Creating', components: compStatus });
    const now = ctx.clock.iso();
    const prevReady = (cluster.status?.conditions ?? []).find((c: Json) => c.type === 'Ready');
    const readyStatus = allReady ? 'True' : 'False';
    status.conditions = [
      {
        type: 'Ready',
        status: readyStatus,
        reason: allReady ? 'ClusterReady' : 'ComponentsNotReady',
        message: allReady ? `Cluster: ${name} is ready, current phase is Running` : `pods are not ready in Components: [${components.map((c) => c.name).join(' ')}]`,
        observedGeneration: cluster.metadata.generation,
        lastTransitionTime: prevReady?.status === readyStatus ? prevReady.lastTransitionTime : now,
      },
    ];
    next.status = status;
    ctx.save(cluster, next);
  }

  private ensureConnection(cluster: KObject, component: Json, engine: (typeof ENGINES)[string]): void {
    const { ctx } = this;
    const ns: string = cluster.metadata.namespace;
    const name: string = cluster.metadata.name;
    const svcName = `${name}-${component.name}`;
    const labels = { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'kubeblocks' };
    const secretName = `${name}-conn-credential`;
    if (!ctx.store.get(ctx.info('v1', 'Secret'), ns, secretName)) {
      const host = `${svcName}.${ns}.svc`;
      const password = createHash('sha256').update(cluster.metadata.uid).digest('hex').slice(0, 16);
      ctx.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secretName, namespace: ns, labels, ownerReferences: [ownerRef(cluster)] },
        type: 'Opaque',
        data: { username: b64(engine.user), password: b64(password), host: b64(host), port: b64(String(engine.port)), endpoint: b64(`${host}:${engine.port}`) },
      });
    }
    if (!ctx.store.get(ctx.info('v1', 'Service'), ns, svcName)) {
      ctx.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svcName, namespace: ns, labels, ownerReferences: [ownerRef(cluster)] },
        spec: {
          type: 'ClusterIP',
          clusterIP: `10.96.200.${(Number.parseInt(createHash('sha256').update(svcName).digest('hex').slice(0, 2), 16) % 250) + 1}`,
          selector: { ...labels, 'apps.kubeblocks.io/component-name': component.name, 'kubeblocks.io/role': 'primary' },
          ports: [{ name: engine.portName, port: engine.port, protocol: 'TCP', targetPort: engine.portName }],
          sessionAffinity: 'None',
        },
      });
    }
  }

  reconcileBackup(backup: KObject): void {
    const { ctx } = this;
    const phase = backup.status?.phase;
    if (phase === 'Completed' || phase === 'Failed' || backup.metadata.deletionTimestamp) return;
    const next = structuredClone(backup);
    const now = ctx.clock.iso();
    if (!phase || phase === 'New') {
      next.status = { phase: 'Running', startTimestamp: now, backupMethod: backup.spec?.backupMethod, path: `/${backup.metadata.namespace}/${backup.metadata.name}` };
    } else {
      next.status = { ...backup.status, phase: 'Completed', completionTimestamp: now, totalSize: '10485760', duration: '1s' };
    }
    ctx.save(backup, next);
  }
}
