import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, clientsFor, type SimClients } from '../../support/kube-sim/clients.js';
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

function deployment(name: string, image: string, extra: { replicas?: number; env?: Array<{ name: string; value: string }> } = {}): k8s.KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, ...(extra.env ? { env: extra.env } : {}), ports: [{ containerPort: 3000 }] }] },
      },
    },
  };
}

describe('server-side apply', () => {
  it('creates a missing object (201) and records the manager in managedFields', async () => {
    const created = (await c.objects.patch(deployment('ssa', 'app:1'), undefined, undefined, 'sealos-deploy', undefined, SSA)) as k8s.V1Deployment;
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.replicas).toBe(1);
    const entry = created.metadata?.managedFields?.find((m) => m.manager === 'sealos-deploy');
    expect(entry).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    const fields = entry?.fieldsV1 as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(fields['f:spec']!)).toEqual(['f:selector', 'f:template']);
    const containers = (fields['f:spec']!['f:template'] as Record<string, Record<string, Record<string, unknown>>>)['f:spec']!['f:containers'] as Record<string, unknown>;
    expect(Object.keys(containers)).toEqual(['k:{"name":"ssa"}']);
    const last = sim.requests.filter((r) => r.method === 'PATCH').at(-1);
    expect(last).toMatchObject({ contentType: 'application/apply-patch+yaml', status: 201, fieldManager: 'sealos-deploy' });
  });

  it('is idempotent: re-applying the same config does not bump resourceVersion or generation', async () => {
    const before = await c.apps.readNamespacedDeployment({ name: 'ssa', namespace: ns });
    const again = (await c.objects.patch(deployment('ssa', 'app:1'), undefined, undefined, 'sealos-deploy', undefined, SSA)) as k8s.V1Deployment;
    expect(again.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(again.metadata?.generation).toBe(1);
  });

  it('updates fields it owns and removes fields it no longer applies', async () => {
    await c.objects.patch(deployment('ssa', 'app:2', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }), undefined, undefined, 'sealos-deploy', undefined, SSA);
    const updated = (await c.objects.patch(deployment('ssa', 'app:3', { env: [{ name: 'B', value: '3' }] }), undefined, undefined, 'sealos-deploy', undefined, SSA)) as k8s.V1Deployment;
    const container = updated.spec?.template.spec?.containers[0];
    expect(container?.image).toBe('app:3');
    expect(container?.env).toEqual([{ name: 'B', value: '3' }]);
    expect(updated.metadata?.generation).toBe(3);
  });

  it('reports a conflict with another manager (409, FieldManagerConflict causes) and takes ownership with force', async () => {
    await c.apps.patchNamespacedDeployment(
      { name: 'ssa', namespace: ns, fieldManager: 'hpa-controller', body: { spec: { replicas: 4 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const { code, status } = await apiError(c.objects.patch(deployment('ssa', 'app:3', { replicas: 2, env: [{ name: 'B', value: '3' }] }), undefined, undefined, 'sealos-deploy', false, SSA));
    expect(code).toBe(409);
    expect(status.reason).toBe('Conflict');
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "hpa-controller" using apps/v1: .spec.replicas');
    expect(status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', type: 'FieldManagerConflict', message: 'conflict with "hpa-controller" using apps/v1', field: '.spec.replicas' }]);
    expect((await c.apps.readNamespacedDeployment({ name: 'ssa', namespace: ns })).spec?.replicas).toBe(4);

    const forced = (await c.objects.patch(deployment('ssa', 'app:3', { replicas: 2, env: [{ name: 'B', value: '3' }] }), undefined, undefined, 'sealos-deploy', true, SSA)) as k8s.V1Deployment;
    expect(forced.spec?.replicas).toBe(2);
    const hpa = forced.metadata?.managedFields?.find((m) => m.manager === 'hpa-controller');
    expect(hpa).toBeUndefined();
  });

  it('shares a field without conflict when another manager applies the same value', async () => {
    const same = (await c.objects.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa', namespace: ns }, spec: { replicas: 2 } } as k8s.KubernetesObject,
      undefined,
      undefined,
      'other-tool',
      false,
      SSA,
    )) as k8s.V1Deployment;
    expect(same.metadata?.managedFields?.map((m) => m.manager).sort()).toEqual(['other-tool', 'sealos-deploy']);
  });

  it('rejects apply without fieldManager, and force on non-apply patches', async () => {
    const missing = await apiError(c.objects.patch(deployment('ssa', 'app:3'), undefined, undefined, undefined, undefined, SSA));
    expect(missing.code).toBe(422);
    expect(missing.status.message).toContain('fieldManager: Required value: is required for apply patch');
    const forced = await apiError(
      c.apps.patchNamespacedDeployment({ name: 'ssa', namespace: ns, force: true, body: { metadata: { labels: { x: 'y' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch)),
    );
    expect(forced.code).toBe(422);
  });

  it('dry-run apply returns the merged object and persists nothing', async () => {
    const before = await c.apps.readNamespacedDeployment({ name: 'ssa', namespace: ns });
    const dry = (await c.objects.patch(deployment('ssa', 'app:dry', { replicas: 2, env: [{ name: 'B', value: '3' }] }), undefined, 'All', 'sealos-deploy', true, SSA)) as k8s.V1Deployment;
    expect(dry.spec?.template.spec?.containers[0]?.image).toBe('app:dry');
    expect(dry.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
    const after = await c.apps.readNamespacedDeployment({ name: 'ssa', namespace: ns });
    expect(after.spec?.template.spec?.containers[0]?.image).toBe('app:3');
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);

    const dryCreate = await c.objects.patch(deployment('never', 'app:1'), undefined, 'All', 'sealos-deploy', true, SSA);
    expect(dryCreate.metadata?.name).toBe('never');
    expect((await apiError(c.apps.readNamespacedDeployment({ name: 'never', namespace: ns }))).code).toBe(404);
  });

  it('applies custom resources (KubeBlocks Cluster, Sealos App) and refuses strategic merge on them', async () => {
    const cluster = {
      apiVersion: 'apps.kubeblocks.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'db-pg', namespace: ns, labels: { 'kb.io/database': 'postgresql-16.4.0' } },
      spec: { clusterDefinitionRef: 'postgresql', componentSpecs: [{ name: 'postgresql', replicas: 1 }] },
    };
    const applied = (await c.objects.patch(cluster, undefined, undefined, 'sealos-deploy', true, SSA)) as k8s.KubernetesObject & { spec: { clusterDefinitionRef: string } };
    expect(applied.spec.clusterDefinitionRef).toBe('postgresql');
    const listed = await c.custom.listNamespacedCustomObject({ group: 'apps.kubeblocks.io', version: 'v1alpha1', namespace: ns, plural: 'clusters' });
    expect((listed as { items: Array<{ kind: string }> }).items.map((i) => i.kind)).toEqual(['Cluster']);
    const smp = await apiError(
      c.custom.patchNamespacedCustomObject(
        { group: 'apps.kubeblocks.io', version: 'v1alpha1', namespace: ns, plural: 'clusters', name: 'db-pg', body: { spec: {} } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(smp.code).toBe(415);
    const app = { apiVersion: 'app.sealos.io/v1', kind: 'App', metadata: { name: 'web', namespace: ns }, spec: { name: 'web', type: 'link', displayType: 'normal', data: { url: 'https://x.example' } } };
    const appObj: k8s.KubernetesObject = await c.objects.patch(app, undefined, undefined, 'sealos-deploy', true, SSA);
    expect(appObj.metadata?.uid).toBeTruthy();
  });
});
