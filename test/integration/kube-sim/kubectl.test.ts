import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../support/kube-sim/clients.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

const run = promisify(execFile);
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) {
  process.stderr.write('kube-sim kubectl test skipped: no `kubectl` on PATH (install kubectl >= 1.28 to run it)\n');
}

const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{containerPort: 3000}]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against the simulator (skipped when kubectl is not on PATH)', () => {
  let sim: KubeSim;
  let kubeconfig: string;
  const kubectl = async (...args: string[]) => {
    const r = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 25_000 });
    return `${r.stdout}${r.stderr}`;
  };

  beforeAll(async () => {
    // kubectl never sends a bearer token over plain http, so this one serves https with the test CA.
    sim = await startKubeSim({ tls: true });
    kubeconfig = join(dir, 'kubeconfig');
    sim.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it.skipIf(!hasKubectl)('gets, applies server-side, waits for rollout status and rolls back with rollout undo', async () => {
    expect(await kubectl('get', 'deploy')).toContain('No resources found in ns-test namespace.');

    writeFileSync(join(dir, 'v1.yaml'), manifest('registry.example/web:1'));
    expect(await kubectl('apply', '--server-side', '-f', join(dir, 'v1.yaml'))).toContain('deployment.apps/web serverside-applied');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain('deployment "web" successfully rolled out');
    expect(await kubectl('get', 'deploy')).toMatch(/web\s+2\/2\s+2\s+2\s+/);

    writeFileSync(join(dir, 'v2.yaml'), manifest('registry.example/web:2'));
    await kubectl('apply', '--server-side', '-f', join(dir, 'v2.yaml'));
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain('successfully rolled out');
    expect(await kubectl('rollout', 'history', 'deployment/web')).toMatch(/1\s+<none>\s+2\s+<none>/);

    expect(await kubectl('rollout', 'undo', 'deployment/web')).toContain('deployment.apps/web rolled back');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain('successfully rolled out');
    const d = await clientsFor(sim).apps.readNamespacedDeployment({ name: 'web', namespace: 'ns-test' });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('registry.example/web:1');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.metadata?.managedFields?.map((m) => m.manager)).toContain('kubectl');
    // kubectl used the simulator's watch for rollout status and a JSON patch for the undo.
    expect(sim.requests.some((r) => r.path.includes('watch=true') && r.path.includes('deployments'))).toBe(true);
    expect(sim.requests.some((r) => r.method === 'PATCH' && r.contentType === 'application/json-patch+json')).toBe(true);
  });

  it.skipIf(!hasKubectl)('shows Forbidden outside the token namespace and answers auth can-i / whoami (protobuf bodies)', async () => {
    const err = await kubectl('get', 'pods', '-n', 'other').catch((e: { stderr: string }) => e.stderr);
    expect(err).toContain('pods is forbidden: User "system:serviceaccount:user-system:test" cannot list resource "pods" in API group "" in the namespace "other"');
    expect((await kubectl('auth', 'can-i', 'create', 'deployments')).trim()).toBe('yes');
    const denied = await kubectl('auth', 'can-i', 'create', 'deployments', '-n', 'other').catch((e: { code: number; stdout: string }) => `exit ${e.code}: ${e.stdout}`);
    expect(denied.trim()).toBe('exit 1: no');
    expect(await kubectl('auth', 'whoami')).toMatch(/Username\s+system:serviceaccount:user-system:test/);
    expect(sim.requests.some((r) => r.contentType === 'application/vnd.kubernetes.protobuf' && r.status === 201)).toBe(true);
  });
});

describe('standalone CLI', () => {
  it('writes a kubeconfig, prints ready, serves clients and exits on SIGTERM', async () => {
    const out = join(dir, 'cli.kubeconfig');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/kube-sim/cli.ts', '--port', '0', '--kubeconfig-out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (b: Buffer) => {
          text += b.toString();
          if (/^ready$/m.test(text)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`kube-sim exited early (${code}): ${text}`)));
      });
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(out);
      expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('ns-test');
      expect(kc.getCurrentUser()?.token).toBeTruthy();
      const core = kc.makeApiClient(k8s.CoreV1Api);
      await core.createNamespacedConfigMap({ namespace: 'ns-test', body: { metadata: { name: 'from-cli' }, data: { a: 'b' } } });
      expect((await core.readNamespacedConfigMap({ namespace: 'ns-test', name: 'from-cli' })).data).toEqual({ a: 'b' });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses to start without --kubeconfig-out and says why', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/kube-sim/cli.ts', '--port', '0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--kubeconfig-out <file> is required');
  });
});
