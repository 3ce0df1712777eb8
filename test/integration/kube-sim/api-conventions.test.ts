import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, clientsFor, type SimClients } from '../../support/kube-sim/clients.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

let sim: KubeSim;
let c: SimClients;
const ns = 'ns-test';

beforeAll(async () => {
  sim = await startKubeSim({ controller: { intervalMs: 0 } });
  c = clientsFor(sim);
});
afterAll(async () => {
  await sim.close();
});

function cm(name: string, labels: Record<string, string>): k8s.V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { k: name } };
}

describe('discovery', () => {
  it('serves core, apps, networking, batch, rbac and the CRD groups the deploy flow uses', async () => {
    const apis = await c.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    const groups = apis.groups.map((g) => g.name);
    for (const g of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'app.sealos.io', 'apps.kubeblocks.io', 'dataprotection.kubeblocks.io', 'cert-manager.io', 'metrics.k8s.io']) {
      expect(groups).toContain(g);
    }
    const core = await c.core.getAPIResources();
    const pods = core.resources.find((r) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true });
    expect(core.resources.map((r) => r.name)).toContain('pods/log');
    const nsRes = core.resources.find((r) => r.name === 'namespaces');
    expect(nsRes?.namespaced).toBe(false);
  });

  it('lets KubernetesObjectApi resolve CRD kinds (Cluster, Instance, Certificate) through discovery', async () => {
    for (const [apiVersion, kind] of [
      ['apps.kubeblocks.io/v1alpha1', 'Cluster'],
      ['app.sealos.io/v1', 'Instance'],
      ['cert-manager.io/v1', 'Certificate'],
      ['dataprotection.kubeblocks.io/v1alpha1', 'Backup'],
    ] as const) {
      const list = await c.objects.list(apiVersion, kind, ns);
      expect(list.items).toEqual([]);
    }
  });

  it('removes metrics.k8s.io from discovery when metrics are disabled', async () => {
    const other = await startKubeSim({ controller: { intervalMs: 0 } });
    try {
      other.metrics.disable();
      const oc = clientsFor(other);
      const apis = await oc.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(apis.groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
      const { code, status } = await apiError(oc.custom.listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: ns, plural: 'pods' }));
      expect(code).toBe(404);
      // An unserved group-version gets the mux's plain-text 404, not a Status.
      expect(status.message).toBe('404 page not found');
      const known = await apiError(oc.custom.listNamespacedCustomObject({ group: 'apps', version: 'v1', namespace: ns, plural: 'nothings' }));
      expect(known.status).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
    } finally {
      await other.close();
    }
  });
});

describe('CRUD and Status errors', () => {
  it('creates, reads, replaces and deletes with uid, resourceVersion and creationTimestamp', async () => {
    const created = await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('crud', { app: 'crud' }) });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const read = await c.core.readNamespacedConfigMap({ name: 'crud', namespace: ns });
    expect(read.data).toEqual({ k: 'crud' });
    read.data = { k: 'changed' };
    const replaced = await c.core.replaceNamespacedConfigMap({ name: 'crud', namespace: ns, body: read });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    const deleted = await c.core.deleteNamespacedConfigMap({ name: 'crud', namespace: ns });
    expect(deleted.status).toBe('Success');
    const { code, status } = await apiError(c.core.readNamespacedConfigMap({ name: 'crud', namespace: ns }));
    expect(code).toBe(404);
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'configmaps "crud" not found', details: { name: 'crud', kind: 'configmaps' }, code: 404 });
  });

  it('answers AlreadyExists with group and resource in the details', async () => {
    const body: k8s.V1Deployment = {
      metadata: { name: 'dup', namespace: ns },
      spec: { selector: { matchLabels: { app: 'dup' } }, template: { metadata: { labels: { app: 'dup' } }, spec: { containers: [{ name: 'dup', image: 'nginx:1.27' }] } } },
    };
    await c.apps.createNamespacedDeployment({ namespace: ns, body });
    const { code, status } = await apiError(c.apps.createNamespacedDeployment({ namespace: ns, body }));
    expect(code).toBe(409);
    expect(status).toMatchObject({ reason: 'AlreadyExists', message: 'deployments.apps "dup" already exists', details: { name: 'dup', group: 'apps', kind: 'deployments' } });
  });

  it('rejects a stale resourceVersion with 409 Conflict', async () => {
    const v1 = await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('stale', {}) });
    const first = structuredClone(v1);
    first.data = { k: 'first' };
    await c.core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: first });
    const second = structuredClone(v1);
    second.data = { k: 'second' };
    const { code, status } = await apiError(c.core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: second }));
    expect(code).toBe(409);
    expect(status.reason).toBe('Conflict');
    expect(status.message).toBe('Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again');
    expect((await c.core.readNamespacedConfigMap({ name: 'stale', namespace: ns })).data).toEqual({ k: 'first' });
  });

  it('returns 422 Invalid with field causes for a bad Deployment', async () => {
    const body: k8s.V1Deployment = {
      metadata: { name: 'Bad_Name', namespace: ns },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'x', image: '' }] } } },
    };
    const { code, status } = await apiError(c.apps.createNamespacedDeployment({ namespace: ns, body }));
    expect(code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toMatch(/^Deployment\.apps "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name"/);
    expect(status.details?.causes?.map((x) => x.field)).toEqual(['metadata.name', 'spec.template.metadata.labels', 'spec.template.spec.containers[0].image']);
  });

  it('applies merge, strategic-merge and JSON patches with the right content types', async () => {
    await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('patchme', { a: '1' }) });
    const merged = await c.core.patchNamespacedConfigMap(
      { name: 'patchme', namespace: ns, body: { metadata: { labels: { b: '2', a: null } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ b: '2' });
    const json = await c.core.patchNamespacedConfigMap({ name: 'patchme', namespace: ns, body: [{ op: 'replace', path: '/data/k', value: 'jp' }] });
    expect(json.data).toEqual({ k: 'jp' });
    const { code } = await apiError(
      c.core.patchNamespacedConfigMap({ name: 'patchme', namespace: ns, body: { data: { k: 'x' } } }, k8s.setHeaderOptions('Content-Type', 'application/json')),
    );
    expect(code).toBe(415);
  });

  it('merges container lists by name in a strategic merge patch', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'smp', namespace: ns },
        spec: {
          selector: { matchLabels: { app: 'smp' } },
          template: { metadata: { labels: { app: 'smp' } }, spec: { containers: [{ name: 'app', image: 'a:1' }, { name: 'side', image: 's:1' }] } },
        },
      },
    });
    const patched = await c.apps.patchNamespacedDeployment(
      { name: 'smp', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'side', image: 's:2' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template.spec?.containers.map((x) => `${x.name}=${x.image}`)).toEqual(['app=a:1', 'side=s:2']);
    expect(patched.metadata?.generation).toBe(2);
  });

  it('deletes owned objects in cascade, or orphans them on request', async () => {
    const owner = await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('owner', {}) });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true };
    await c.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'child', namespace: ns, ownerReferences: [ref] }, stringData: { x: 'y' } } });
    const secret = await c.core.readNamespacedSecret({ name: 'child', namespace: ns });
    expect(secret.data).toEqual({ x: Buffer.from('y').toString('base64') });
    await c.core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns });
    expect((await apiError(c.core.readNamespacedSecret({ name: 'child', namespace: ns }))).code).toBe(404);

    const owner2 = await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('owner2', {}) });
    await c.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'child2', namespace: ns, ownerReferences: [{ ...ref, name: 'owner2', uid: owner2.metadata!.uid! }] } } });
    await c.core.deleteNamespacedConfigMap({ name: 'owner2', namespace: ns, propagationPolicy: 'Orphan' });
    const orphan = await c.core.readNamespacedSecret({ name: 'child2', namespace: ns });
    expect(orphan.metadata?.ownerReferences).toBeUndefined();
  });
});

describe('label selectors and lists', () => {
  beforeAll(async () => {
    for (const [name, labels] of [
      ['sel-a', { app: 'web', tier: 'front' }],
      ['sel-b', { app: 'web', tier: 'back' }],
      ['sel-c', { app: 'db' }],
      ['sel-d', { other: 'x' }],
    ] as const) {
      await c.core.createNamespacedConfigMap({ namespace: ns, body: cm(name, { ...labels, sel: 'yes' }) });
    }
  });

  const names = async (labelSelector: string) =>
    (await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: `sel=yes,${labelSelector}` })).items.map((i) => i.metadata?.name);

  it('supports =, ==, !=, in, notin, exists and !key', async () => {
    expect(await names('app=web')).toEqual(['sel-a', 'sel-b']);
    expect(await names('app==db')).toEqual(['sel-c']);
    expect(await names('app!=web')).toEqual(['sel-c', 'sel-d']);
    expect(await names('tier in (front,middle)')).toEqual(['sel-a']);
    expect(await names('app notin (web)')).toEqual(['sel-c', 'sel-d']);
    expect(await names('tier')).toEqual(['sel-a', 'sel-b']);
    expect(await names('!app')).toEqual(['sel-d']);
  });

  it('rejects an unparsable selector with 400', async () => {
    const { code, status } = await apiError(c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app in web' }));
    expect(code).toBe(400);
    expect(status.reason).toBe('BadRequest');
  });

  it('paginates with limit and continue', async () => {
    const page1 = await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'sel=yes', limit: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page1.metadata?.remainingItemCount).toBe(1);
    const page2 = await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'sel=yes', limit: 3, _continue: page1.metadata!._continue! });
    expect(page2.items.map((i) => i.metadata?.name)).toEqual(['sel-d']);
    expect(page2.metadata?._continue).toBeUndefined();
  });

  it('supports field selectors and rejects unknown fields', async () => {
    const one = await c.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=sel-b' });
    expect(one.items.map((i) => i.metadata?.name)).toEqual(['sel-b']);
    const { code, status } = await apiError(c.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'spec.nope=1' }));
    expect(code).toBe(400);
    expect(status.message).toBe('field label not supported: spec.nope');
  });
});

describe('dryRun=All', () => {
  it('validates and returns the result of create, patch and delete but persists nothing', async () => {
    const rvBefore = (await c.core.listNamespacedConfigMap({ namespace: ns })).metadata?.resourceVersion;
    const dry = await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('dry', { app: 'dry' }), dryRun: 'All' });
    expect(dry.metadata?.name).toBe('dry');
    expect((await apiError(c.core.readNamespacedConfigMap({ name: 'dry', namespace: ns }))).code).toBe(404);

    await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('dry2', {}) });
    const before = await c.core.readNamespacedConfigMap({ name: 'dry2', namespace: ns });
    const patched = await c.core.patchNamespacedConfigMap({ name: 'dry2', namespace: ns, dryRun: 'All', body: [{ op: 'replace', path: '/data/k', value: 'dry' }] });
    expect(patched.data).toEqual({ k: 'dry' });
    await c.core.deleteNamespacedConfigMap({ name: 'dry2', namespace: ns, dryRun: 'All' });
    const after = await c.core.readNamespacedConfigMap({ name: 'dry2', namespace: ns });
    expect(after.data).toEqual(before.data);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);

    const invalid = await apiError(c.core.createNamespacedConfigMap({ namespace: ns, body: cm('Not_Valid', {}), dryRun: 'All' }));
    expect(invalid.code).toBe(422);
    expect(rvBefore).toBeDefined();
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED events for a field-selected object', async () => {
    const events: Array<[string, string | undefined]> = [];
    const done = new Promise<void>((resolve) => {
      void new k8s.Watch(c.kc)
        .watch(
          `/api/v1/namespaces/${ns}/configmaps`,
          { fieldSelector: 'metadata.name=watched' },
          (type, obj: k8s.V1ConfigMap) => {
            events.push([type, obj.data?.k]);
            if (type === 'DELETED') resolve();
          },
          () => resolve(),
        )
        .then(async (ctrl) => {
          await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('watched', {}) });
          await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('unrelated', {}) });
          await c.core.patchNamespacedConfigMap({ name: 'watched', namespace: ns, body: [{ op: 'replace', path: '/data/k', value: 'v2' }] });
          await c.core.deleteNamespacedConfigMap({ name: 'watched', namespace: ns });
          setTimeout(() => ctrl.abort(), 2000).unref();
        });
    });
    await done;
    expect(events).toEqual([
      ['ADDED', 'watched'],
      ['MODIFIED', 'v2'],
      ['DELETED', 'v2'],
    ]);
  });

  it('replays history from a resourceVersion and reports 410 Expired for a too-old one', async () => {
    const start = (await c.core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    await c.core.createNamespacedConfigMap({ namespace: ns, body: cm('replayed', {}) });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      const ctrl = new k8s.Watch(c.kc).watch(
        `/api/v1/namespaces/${ns}/configmaps`,
        { resourceVersion: start },
        (type, obj: k8s.V1ConfigMap) => {
          seen.push(`${type} ${obj.metadata?.name}`);
          void ctrl.then((x) => x.abort());
        },
        () => resolve(),
      );
    });
    expect(seen).toEqual(['ADDED replayed']);
    const expired: Array<{ type: string; code?: number }> = [];
    await new Promise<void>((resolve) => {
      void new k8s.Watch(c.kc).watch(
        `/api/v1/namespaces/${ns}/configmaps`,
        { resourceVersion: '1' },
        (type, obj: { code?: number }) => expired.push({ type, code: obj.code }),
        () => resolve(),
      );
    });
    expect(expired).toEqual([{ type: 'ERROR', code: 410 }]);
  });
});
