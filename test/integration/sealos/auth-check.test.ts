import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAuth } from '../../../src/cluster/auth-check.js';
import { sealosKubeconfig } from '../../support/fake-region/kubeconfig.js';
import { tmpHome } from '../../support/fake-region/harness.js';

/** A tiny API server answering only the two review endpoints; behaviour set per test. */
interface Mode {
  validToken: string;
  ssr: 'ok' | 404 | 403 | 'anonymous';
  allowed: boolean;
}
let mode: Mode;
let seen: Array<{ path: string; auth: string | undefined; body: string }>;
let server: http.Server;
let url: string;
let home: string;
let cleanup: () => Promise<void>;

const SA = 'system:serviceaccount:user-system:abcd1234';
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: SA })).toString('base64url')}.c2ln`;

beforeEach(async () => {
  mode = { validToken: TOKEN, ssr: 'ok', allowed: true };
  seen = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${mode.validToken}`) return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      if (req.method === 'POST' && req.url === '/apis/authentication.k8s.io/v1/selfsubjectreviews') {
        if (mode.ssr === 404) return send(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
        if (mode.ssr === 403) return send(403, { kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'selfsubjectreviews is forbidden' });
        const username = mode.ssr === 'anonymous' ? 'system:anonymous' : SA;
        return send(201, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username, groups: ['system:serviceaccounts'] } } });
      }
      if (req.method === 'POST' && req.url === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
        const spec = (JSON.parse(body) as { spec: unknown }).spec;
        return send(201, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec, status: { allowed: mode.allowed } });
      }
      send(404, { kind: 'Status', code: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ home, cleanup } = await tmpHome());
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await cleanup();
});

async function kubeconfigFile(token = TOKEN): Promise<string> {
  const path = join(home, 'kubeconfig');
  await writeFile(path, sealosKubeconfig({ server: url, namespace: 'ns-abcd1234', token }), { mode: 0o600 });
  return path;
}

describe('checkAuth: the API server must accept the token', () => {
  it('SelfSubjectReview names the identity', async () => {
    const r = await checkAuth(await kubeconfigFile());
    expect(r).toEqual({ user: SA, namespace: 'ns-abcd1234', server: url, context: 'abcd1234@sealos', via: 'SelfSubjectReview' });
    expect(seen.map((s) => s.path)).toEqual(['/apis/authentication.k8s.io/v1/selfsubjectreviews']);
  });

  it('a rejected token (401) is AUTH_EXPIRED with the re-login step, and the token is not in the message', async () => {
    const err = (await checkAuth(await kubeconfigFile('expired.token.value')).catch((e: unknown) => e)) as { code: string; message: string; next: string };
    expect(err.code).toBe('AUTH_EXPIRED');
    expect(err.next).toMatch(/sealos-deploy login/);
    expect(err.message).toContain(url);
    expect(err.message + err.next).not.toContain('expired.token.value');
  });

  it('falls back to a SelfSubjectAccessReview in the namespace when SelfSubjectReview is missing (404)', async () => {
    mode.ssr = 404;
    mode.allowed = true;
    const r = await checkAuth(await kubeconfigFile());
    expect(r).toMatchObject({ via: 'SelfSubjectAccessReview', user: SA, can_list_pods: true, namespace: 'ns-abcd1234' });
    const review = JSON.parse(seen[1]!.body) as { spec: { resourceAttributes: Record<string, string> } };
    expect(review.spec.resourceAttributes).toEqual({ namespace: 'ns-abcd1234', verb: 'list', resource: 'pods' });
  });

  it('a forbidden SelfSubjectReview (403) still proves authentication via the access review', async () => {
    mode.ssr = 403;
    mode.allowed = false;
    expect(await checkAuth(await kubeconfigFile())).toMatchObject({ via: 'SelfSubjectAccessReview', can_list_pods: false });
  });

  it('an anonymous identity is AUTH_EXPIRED', async () => {
    mode.ssr = 'anonymous';
    expect(((await checkAuth(await kubeconfigFile()).catch((e: unknown) => e)) as { code: string }).code).toBe('AUTH_EXPIRED');
  });

  it('resolves ~/.sealos/kubeconfig from an injected home', async () => {
    await mkdir(join(home, '.sealos'), { recursive: true });
    await writeFile(join(home, '.sealos', 'kubeconfig'), sealosKubeconfig({ server: url, namespace: 'ns-abcd1234', token: TOKEN }), { mode: 0o600 });
    expect((await checkAuth({ home, env: {} })).user).toBe(SA);
  });

  it('a missing kubeconfig is KUBECONFIG_MISSING', async () => {
    expect(((await checkAuth(join(home, 'nope')).catch((e: unknown) => e)) as { code: string }).code).toBe('KUBECONFIG_MISSING');
  });
});
