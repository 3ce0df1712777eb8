import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Docker } from '../../../src/core/image/docker-port.js';
import { preflight } from '../../../src/ops/preflight.js';
import { preflightCommand } from '../../../src/cli/commands/preflight.js';
import { kubeconfigFor } from '../../support/kube-sim/index.js';
import { useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;

const byId = (r: Awaited<ReturnType<typeof preflight>>, id: string) => r.checks.find((c) => c.id === id)!;

describe('preflight', () => {
  it('ready: every check passes against a Sealos-like namespace; the insecure kubeconfig is a warning', async () => {
    const app = await newApp();
    const r = await preflight(app.dir, app.opts);
    expect(r.blockers).toEqual([]);
    expect(r.ready).toBe(true);
    expect(byId(r, 'kubeconfig').summary).toContain('--kubeconfig');
    expect(r.cluster).toMatchObject({ kubeconfig_source: 'argument', namespace: 'ns-test', context: 'kube-sim' });
    expect(byId(r, 'api').status).toBe('pass');
    expect(byId(r, 'auth').summary).toContain('system:serviceaccount:user-system:test');
    expect(byId(r, 'permissions').status).toBe('pass');
    expect(byId(r, 'app-domain').summary).toContain('test.sealos.app');
    expect(byId(r, 'quota').status).toBe('pass');
    expect(r.warnings.map((w) => w.code)).toContain('TLS_VERIFY_OFF');
    expect(r.warnings.map((w) => w.code)).toContain('GIT_UNAVAILABLE');
    // Read only: nothing but reviews and reads reached the cluster.
    expect(suite.sim.requests.filter((q) => q.method !== 'GET' && !q.path.includes('selfsubject') && !q.path.includes('dryRun'))).toEqual([]);
  });

  it('the app domain comes from the namespace Ingresses before --domain, never from the API host', async () => {
    const app = await newApp();
    suite.sim.store.put({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'other-app', namespace: 'ns-test' }, spec: { rules: [{ host: 'abcdefghijkl.usw-1.sealos.app' }], tls: [{ hosts: ['abcdefghijkl.usw-1.sealos.app'], secretName: 'wildcard-cert' }] } });
    const r = await preflight(app.dir, { ...app.opts, domain: undefined as unknown as string });
    expect(byId(r, 'app-domain').summary).toContain('*.usw-1.sealos.app with TLS secret wildcard-cert');
    suite.sim.store.delete('networking.k8s.io/v1', 'Ingress', 'ns-test', 'other-app');
    const none = await preflight(app.dir, { ...app.opts, domain: undefined as unknown as string });
    expect(none.blockers.map((b) => b.code)).toEqual(['APP_DOMAIN_UNKNOWN']);
    expect(byId(none, 'app-domain').next).toMatch(/--domain/);
  });

  it('missing kubeconfig: KUBECONFIG_MISSING, cluster checks skipped, exit 1', async () => {
    const app = await newApp();
    const r = await preflight(app.dir, { ...app.opts, kubeconfig: join(app.dir, 'nope.yaml') });
    expect(r.ready).toBe(false);
    expect(r.blockers.map((b) => b.code)).toEqual(['KUBECONFIG_MISSING']);
    expect(byId(r, 'api').status).toBe('skip');
    const out: string[] = [];
    const code = await preflightCommand.run({ kubeconfig: join(app.dir, 'nope.yaml'), json: true }, [app.dir], { stdout: (t) => out.push(t), stderr: () => {}, cwd: app.dir, env: { HOME: app.opts.home } });
    expect(code).toBe(1);
    expect(JSON.parse(out.join('')).blockers[0].code).toBe('KUBECONFIG_MISSING');
  });

  it('a token for another namespace: the permission review says which verbs are missing (NAMESPACE_FORBIDDEN)', async () => {
    const app = await newApp();
    suite.sim.addToken('tok-elsewhere', { namespace: 'other' });
    const kc = join(app.dir, 'kc-elsewhere');
    await writeFile(kc, kubeconfigFor(suite.sim.url, 'ns-test', 'tok-elsewhere'));
    const r = await preflight(app.dir, { ...app.opts, kubeconfig: kc });
    expect(r.ready).toBe(false);
    const perm = byId(r, 'permissions');
    expect(perm.code).toBe('NAMESPACE_FORBIDDEN');
    expect(perm.summary).toContain('create deployments.apps');
    expect(perm.next).toContain('ns-test');
  });

  it('quota exhausted: QUOTA_EXCEEDED names the resource', async () => {
    const app = await newApp();
    suite.sim.store.put({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota-ns-test', namespace: 'ns-test' }, spec: { hard: { 'limits.memory': '256Mi' } }, status: { hard: { 'limits.memory': '256Mi' }, used: { 'limits.memory': '0' } } });
    const r = await preflight(app.dir, app.opts);
    expect(r.ready).toBe(false);
    expect(r.blockers.map((b) => b.code)).toEqual(['QUOTA_EXCEEDED']);
    expect(byId(r, 'quota').summary).toContain('limits.memory');
  });

  it('unreachable API server: CLUSTER_UNREACHABLE and no further cluster checks', async () => {
    const app = await newApp();
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const kc = join(app.dir, 'kc-dead');
    await writeFile(kc, kubeconfigFor(`http://127.0.0.1:${port}`, 'ns-test', 'tok'));
    const r = await preflight(app.dir, { ...app.opts, kubeconfig: kc, requestTimeoutMs: 2000 });
    expect(r.blockers.map((b) => b.code)).toEqual(['CLUSTER_UNREACHABLE']);
    expect(byId(r, 'auth').status).toBe('skip');
  });

  it('an image still to build needs Docker: DOCKER_UNAVAILABLE when it is missing', async () => {
    const app = await newApp();
    const { rm } = await import('node:fs/promises');
    await rm(join(app.dir, '.sealos', 'template'), { recursive: true });
    const docker: Docker = {
      status: async () => ({ ok: false, client: null, server: null, buildx: null, missing: 'docker', problem: 'docker is not installed (not found on PATH).' }),
      login: async () => ({ ok: false, message: '' }),
      build: async () => {
        throw new Error('not used');
      },
    };
    const r = await preflight(app.dir, { ...app.opts, docker });
    expect(r.blockers.map((b) => b.code)).toEqual(['DOCKER_UNAVAILABLE']);
    expect(byId(r, 'quota').status).toBe('skip');
    const withImage = await preflight(app.dir, { ...app.opts, docker, image: 'ghcr.io/acme/x:1.0.0' });
    expect(byId(withImage, 'docker').status).toBe('skip');
  });
});
