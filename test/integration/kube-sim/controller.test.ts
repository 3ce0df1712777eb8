import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor, type SimClients } from '../../support/kube-sim/clients.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

let sim: KubeSim;
let c: SimClients;
const ns = 'ns-test';
const SSA = k8s.PatchStrategy.ServerSideApply;

beforeAll(async () => {
  sim = await startKubeSim({ controller: { intervalMs: 0 } });
  c = clientsFor(sim);
});
afterAll(async () => {
  await sim.close();
});

function deployment(name: string, image: string, replicas = 2): k8s.KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, 'cloud.sealos.io/app-deploy-manager': name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, resources: { limits: { cpu: '200m', memory: '256Mi' } } }] },
      },
    },
  } as k8s.KubernetesObject;
}

const apply = (o: k8s.KubernetesObject) => c.objects.patch(o, undefined, undefined, 'sealos-deploy', true, SSA);
const readDeploy = (name: string) => c.apps.readNamespacedDeployment({ name, namespace: ns });
const replicaSets = async (name: string) =>
  (await c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${name}` })).items.sort(
    (a, b) => Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision']),
  );

describe('Deployment controller', () => {
  it('rolls a new Deployment out to Available with pods, ReplicaSet and complete status', async () => {
    sim.controller.pause();
    await apply(deployment('web', 'web:1'));
    const fresh = await readDeploy('web');
    expect(fresh.status?.observedGeneration).toBeUndefined();
    await sim.controller.settle();
    const d = await readDeploy('web');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(d.status?.conditions?.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const [rs] = await replicaSets('web');
    expect(rs?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const hash = rs?.metadata?.labels?.['pod-template-hash'];
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.metadata?.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.containerStatuses?.[0]).toMatchObject({ name: 'web', ready: true, restartCount: 0, state: { running: {} } });
      expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    }
    const events = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=web' });
    expect(events.items.map((e) => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 2`);
    sim.controller.resume();
  });

  it('keeps revision annotations across two updates and bumps observedGeneration', async () => {
    await apply(deployment('web', 'web:2'));
    await sim.controller.settle();
    await apply(deployment('web', 'web:3'));
    await sim.controller.settle();
    const d = await readDeploy('web');
    expect(d.metadata?.generation).toBe(3);
    expect(d.status?.observedGeneration).toBe(3);
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const sets = await replicaSets('web');
    expect(sets.map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.template?.spec?.containers[0]?.image, rs.spec?.replicas])).toEqual([
      ['1', 'web:1', 0],
      ['2', 'web:2', 0],
      ['3', 'web:3', 2],
    ]);
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items.map((p) => p.spec?.containers[0]?.image)).toEqual(['web:3', 'web:3']);
  });

  it('rolls back by restoring an old ReplicaSet template, which becomes the newest revision', async () => {
    const sets = await replicaSets('web');
    const target = sets.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
    const template = structuredClone(target.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    // What kubectl rollout undo sends: a JSON patch replacing spec.template.
    await c.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template', value: template }] });
    await sim.controller.settle();
    const d = await readDeploy('web');
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('web:2');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
    const after = await replicaSets('web');
    expect(after).toHaveLength(3);
    const reused = after.find((rs) => rs.metadata?.uid === target.metadata?.uid)!;
    expect(reused.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '2' });
    expect(reused.spec?.replicas).toBe(2);
  });

  it('scales through the scale subresource and deletes ReplicaSets and pods in cascade', async () => {
    await c.apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 3 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await sim.controller.settle();
    expect((await readDeploy('web')).status?.availableReplicas).toBe(3);
    await c.apps.deleteNamespacedDeployment({ name: 'web', namespace: ns });
    expect((await c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=web' })).items).toEqual([]);
    expect((await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items).toEqual([]);
  });

  it('keeps old pods serving while a new version cannot become ready', async () => {
    sim.faults.podBehaviour('keep:2', { kind: 'unready' });
    await apply(deployment('keep', 'keep:1', 1));
    await sim.controller.settle();
    await apply(deployment('keep', 'keep:2', 1));
    await sim.controller.settle();
    const d = await readDeploy('keep');
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=keep' });
    expect(pods.items.map((p) => `${p.spec?.containers[0]?.image}:${p.status?.containerStatuses?.[0]?.ready}`).sort()).toEqual(['keep:1:true', 'keep:2:false']);
  });
});

describe('StatefulSet, Job and quota', () => {
  it('creates ordered StatefulSet pods with PVCs and reports revisions', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'store', namespace: ns },
      spec: {
        replicas: 2,
        serviceName: 'store',
        selector: { matchLabels: { app: 'store' } },
        template: { metadata: { labels: { app: 'store' } }, spec: { containers: [{ name: 'store', image: 'store:1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'vn' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as k8s.KubernetesObject);
    await sim.controller.settle();
    const sts = await c.apps.readNamespacedStatefulSet({ name: 'store', namespace: ns });
    expect(sts.status).toMatchObject({ replicas: 2, readyReplicas: 2, updatedReplicas: 2, observedGeneration: 1 });
    expect(sts.status?.currentRevision).toBe(sts.status?.updateRevision);
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=store' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['store-0', 'store-1']);
    const pvcs = await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns });
    expect(pvcs.items.map((p) => [p.metadata?.name, p.status?.phase])).toEqual([
      ['vn-store-0', 'Bound'],
      ['vn-store-1', 'Bound'],
    ]);
  });

  it('rolls a StatefulSet template change through every pod, highest ordinal first', async () => {
    const before = await c.apps.readNamespacedStatefulSet({ name: 'store', namespace: ns });
    await c.apps.patchNamespacedStatefulSet(
      { name: 'store', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'store', image: 'store:2' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    sim.controller.tick();
    const midway = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=store' });
    expect(midway.items.map((p) => p.metadata?.name)).toEqual(['store-0']);
    await sim.controller.settle();
    const sts = await c.apps.readNamespacedStatefulSet({ name: 'store', namespace: ns });
    expect(sts.status?.updateRevision).not.toBe(before.status?.updateRevision);
    expect(sts.status).toMatchObject({ observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: sts.status?.updateRevision });
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=store' });
    expect(pods.items.map((p) => `${p.metadata?.name}=${p.spec?.containers[0]?.image}`)).toEqual(['store-0=store:2', 'store-1=store:2']);
    expect(pods.items.every((p) => p.metadata?.labels?.['controller-revision-hash'] === sts.status?.updateRevision)).toBe(true);
  });

  it('runs a Job to completion', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'db-init', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'init', image: 'postgres:16-alpine' }] } } },
    } as k8s.KubernetesObject);
    await sim.controller.settle();
    const job = await c.batch.readNamespacedJob({ name: 'db-init', namespace: ns });
    expect(job.status?.succeeded).toBe(1);
    expect(job.status?.conditions?.find((x) => x.type === 'Complete')?.status).toBe('True');
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=db-init' });
    expect(pods.items[0]?.status?.phase).toBe('Succeeded');
  });

  it('fails a Job whose pods crash once backoffLimit is exceeded', async () => {
    sim.faults.podBehaviour('migrate:bad', { kind: 'crashloop', exitCode: 3 });
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: ns },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'migrate:bad' }] } } },
    } as k8s.KubernetesObject);
    await sim.controller.settle();
    const job = await c.batch.readNamespacedJob({ name: 'migrate', namespace: ns });
    expect(job.status?.failed).toBe(2);
    expect(job.status?.conditions?.find((x) => x.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
  });

  it('rejects pods over ResourceQuota: FailedCreate on the ReplicaSet and ReplicaFailure on the Deployment', async () => {
    const quotaSim = await startKubeSim({ controller: { intervalMs: 0 } });
    try {
      const q = clientsFor(quotaSim);
      await q.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: `quota-${ns}` }, spec: { hard: { 'limits.memory': '512Mi', pods: '5' } } } });
      await q.objects.patch(deployment('big', 'big:1', 3), undefined, undefined, 'sealos-deploy', true, SSA);
      await quotaSim.controller.settle();
      const pods = await q.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=big' });
      expect(pods.items).toHaveLength(2);
      const events = await q.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'reason=FailedCreate' });
      expect(events.items[0]?.message).toMatch(/^Error creating: pods "big-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: quota-ns-test, requested: limits.memory=256Mi, used: limits.memory=512Mi, limited: limits.memory=512Mi$/);
      expect(events.items[0]?.involvedObject.kind).toBe('ReplicaSet');
      const d = await q.apps.readNamespacedDeployment({ name: 'big', namespace: ns });
      expect(d.status?.conditions?.find((x) => x.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' });
      const quota = await q.core.readNamespacedResourceQuota({ name: `quota-${ns}`, namespace: ns });
      expect(quota.status?.used).toEqual({ 'limits.memory': '512Mi', pods: '2' });
      const direct = await q.core
        .createNamespacedPod({ namespace: ns, body: { metadata: { name: 'direct' }, spec: { containers: [{ name: 'x', image: 'x:1', resources: { limits: { memory: '1Gi' } } }] } } })
        .catch((e: k8s.ApiException<string>) => e);
      expect((direct as k8s.ApiException<string>).code).toBe(403);
      expect(JSON.parse((direct as k8s.ApiException<string>).body).message).toContain('pods "direct" is forbidden: exceeded quota: quota-ns-test');
    } finally {
      await quotaSim.close();
    }
  });
});

describe('KubeBlocks', () => {
  const cluster = (name: string) =>
    ({
      apiVersion: 'apps.kubeblocks.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name, namespace: ns, finalizers: ['cluster.kubeblocks.io/finalizer'] },
      spec: { clusterDefinitionRef: 'postgresql', clusterVersionRef: 'postgresql-16.4.0', componentSpecs: [{ name: 'postgresql', componentDefRef: 'postgresql', replicas: 1 }] },
    }) as k8s.KubernetesObject;
  const phase = async (name: string) =>
    ((await c.custom.getNamespacedCustomObject({ group: 'apps.kubeblocks.io', version: 'v1alpha1', namespace: ns, plural: 'clusters', name })) as { status?: { phase?: string } }).status?.phase;

  it('moves a Cluster from Creating to Running and creates its connection Secret', async () => {
    sim.controller.pause();
    await apply(cluster('shop-pg'));
    sim.controller.tick();
    expect(await phase('shop-pg')).toBe('Creating');
    await sim.controller.settle();
    sim.controller.resume();
    expect(await phase('shop-pg')).toBe('Running');
    const secret = await c.core.readNamespacedSecret({ name: 'shop-pg-conn-credential', namespace: ns });
    const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(data).toMatchObject({ username: 'postgres', host: 'shop-pg-postgresql.ns-test.svc', port: '5432', endpoint: 'shop-pg-postgresql.ns-test.svc:5432' });
    const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app.kubernetes.io/instance=shop-pg' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['shop-pg-postgresql-0']);
  });

  it('keeps a stuck Cluster in Creating, and honours the finalizer on delete', async () => {
    sim.faults.clusterBehaviour('stuck-pg', { kind: 'stuck' });
    await apply(cluster('stuck-pg'));
    await sim.controller.settle();
    expect(await phase('stuck-pg')).toBe('Creating');
    await c.custom.deleteNamespacedCustomObject({ group: 'apps.kubeblocks.io', version: 'v1alpha1', namespace: ns, plural: 'clusters', name: 'shop-pg' });
    expect(await phase('shop-pg')).toBe('Running');
    await sim.controller.settle();
    const gone = await c.custom.getNamespacedCustomObject({ group: 'apps.kubeblocks.io', version: 'v1alpha1', namespace: ns, plural: 'clusters', name: 'shop-pg' }).catch((e: k8s.ApiException<string>) => e.code);
    expect(gone).toBe(404);
    expect((await c.core.listNamespacedSecret({ namespace: ns, labelSelector: 'app.kubernetes.io/instance=shop-pg' })).items).toEqual([]);
  });
});

describe('real-time progress for waiting clients', () => {
  it('lets a client-node watch on deployments observe a rollout complete while the controller ticks in the background', async () => {
    const live = await startKubeSim({ controller: { intervalMs: 20 } });
    try {
      const lc = clientsFor(live);
      await lc.objects.patch(deployment('live', 'live:1'), undefined, undefined, 'sealos-deploy', true, SSA);
      const seen: string[] = [];
      // The rollout-wait recipe: observedGeneration caught up, all replicas updated and available.
      const done = await new Promise<k8s.V1Deployment>((resolve, reject) => {
        const pending = new k8s.Watch(lc.kc).watch(
          `/apis/apps/v1/namespaces/${ns}/deployments`,
          { fieldSelector: 'metadata.name=live' },
          (type, d: k8s.V1Deployment) => {
            seen.push(type);
            const s = d.status;
            if ((s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s?.updatedReplicas === 2 && s?.availableReplicas === 2) {
              void pending.then((ctrl) => ctrl.abort());
              resolve(d);
            }
          },
          (err) => (err ? reject(err) : undefined),
        );
      });
      expect(seen[0]).toBe('ADDED');
      expect(seen).toContain('MODIFIED');
      expect(done.status?.conditions?.find((x) => x.type === 'Available')?.status).toBe('True');
    } finally {
      await live.close();
    }
  });

  it('streams pod logs with follow until the client aborts', async () => {
    await apply(deployment('follow', 'follow:1', 1));
    await sim.controller.settle();
    sim.faults.setLogs('follow', ['line one', 'line two']);
    const pod = (await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=follow' })).items[0]!;
    const sink = new PassThrough();
    let text = '';
    const received = new Promise<void>((resolve) =>
      sink.on('data', (b: Buffer) => {
        text += b.toString();
        if (text.includes('line two')) resolve();
      }),
    );
    const ctrl = await new k8s.Log(c.kc).log(ns, pod.metadata!.name!, 'follow', sink, { follow: true, tailLines: 10 });
    await received;
    ctrl.abort();
    expect(text).toBe('line one\nline two\n');
  });
});
