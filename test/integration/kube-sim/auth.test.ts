import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, clientsFor, type SimClients } from '../../support/kube-sim/clients.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

let sim: KubeSim;
let c: SimClients;

beforeAll(async () => {
  sim = await startKubeSim({ controller: { intervalMs: 0 } });
  sim.addToken('read-only', { verbs: ['get', 'list', 'watch'] });
  sim.addToken('admin', { namespace: '*' });
  c = clientsFor(sim);
});
afterAll(async () => {
  await sim.close();
});

async function review(clients: SimClients, namespace: string, verb: string, resource: string, group = '') {
  const r = await clients.authz.createSelfSubjectAccessReview({
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb, group, resource } } },
  });
  return r.status?.allowed;
}

describe('namespace-scoped token', () => {
  it('works inside its namespace and gets 403 Forbidden outside it, with the API server wording', async () => {
    await c.core.listNamespacedPod({ namespace: 'ns-test' });
    const other = await apiError(c.apps.listNamespacedDeployment({ namespace: 'other' }));
    expect(other.code).toBe(403);
    expect(other.status).toMatchObject({
      reason: 'Forbidden',
      message: 'deployments.apps is forbidden: User "system:serviceaccount:user-system:test" cannot list resource "deployments" in API group "apps" in the namespace "other"',
      details: { group: 'apps', kind: 'deployments' },
    });
    const cluster = await apiError(c.core.listNode());
    expect(cluster.code).toBe(403);
    expect(cluster.status.message).toBe('nodes is forbidden: User "system:serviceaccount:user-system:test" cannot list resource "nodes" in API group "" at the cluster scope');
    const allNs = await apiError(c.core.listPodForAllNamespaces());
    expect(allNs.code).toBe(403);
    const named = await apiError(c.core.readNamespacedSecret({ name: 's', namespace: 'kube-system' }));
    expect(named.status.message).toBe('secrets "s" is forbidden: User "system:serviceaccount:user-system:test" cannot get resource "secrets" in API group "" in the namespace "kube-system"');
  });

  it('answers SelfSubjectAccessReview: allowed in its namespace, denied elsewhere and at cluster scope', async () => {
    expect(await review(c, 'ns-test', 'create', 'deployments', 'apps')).toBe(true);
    expect(await review(c, 'ns-test', 'patch', 'clusters', 'apps.kubeblocks.io')).toBe(true);
    expect(await review(c, 'other', 'create', 'deployments', 'apps')).toBe(false);
    expect(await review(c, '', 'list', 'nodes')).toBe(false);
  });

  it('answers SelfSubjectReview with the ServiceAccount identity', async () => {
    const r = await c.kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    expect(r.status?.userInfo?.username).toBe('system:serviceaccount:user-system:test');
    expect(r.status?.userInfo?.groups).toContain('system:authenticated');
  });

  it('limits a read-only token to get/list/watch', async () => {
    const ro = clientsFor(sim, 'read-only');
    await ro.core.listNamespacedConfigMap({ namespace: 'ns-test' });
    const denied = await apiError(ro.core.createNamespacedConfigMap({ namespace: 'ns-test', body: { metadata: { name: 'x' } } }));
    expect(denied.code).toBe(403);
    expect(denied.status.message).toContain('cannot create resource "configmaps"');
    expect(await review(ro, 'ns-test', 'create', 'configmaps')).toBe(false);
    expect(await review(ro, 'ns-test', 'get', 'configmaps')).toBe(true);
  });

  it('lets a cluster-admin token work everywhere', async () => {
    const admin = clientsFor(sim, 'admin');
    const nsList = await admin.core.listNamespace();
    expect(nsList.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['ns-test', 'other', 'default']));
    await admin.core.createNamespacedConfigMap({ namespace: 'other', body: { metadata: { name: 'x' } } });
  });

  it('rejects a missing or unknown token with 401 Unauthorized', async () => {
    const bad = clientsFor(sim, 'no-such-token');
    // Generated clients drop the body of a 401 (declared response without a schema); the code is what they see.
    const r = await bad.core.listNamespacedPod({ namespace: 'ns-test' }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(k8s.ApiException);
    expect((r as k8s.ApiException<unknown>).code).toBe(401);
    const raw = await fetch(`${sim.url}/api/v1/namespaces/ns-test/pods`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
  });

  it('returns 404 for a namespace that does not exist', async () => {
    const admin = clientsFor(sim, 'admin');
    const r = await apiError(admin.core.createNamespacedConfigMap({ namespace: 'missing', body: { metadata: { name: 'x' } } }));
    expect(r.code).toBe(404);
    expect(r.status.message).toBe('namespaces "missing" not found');
  });
});
