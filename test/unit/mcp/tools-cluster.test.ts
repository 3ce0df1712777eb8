import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseStateText } from '../../../src/core/state/store.js';
import { acceptedTruth, IMAGE, IMAGE2, makeApp, writeTruth, type TestApp } from '../../integration/ops/harness.js';
import { DOMAIN, defaultBehaviour, startWorld, type World } from '../../integration/truth-cluster/support.js';
import { connect, type Connected } from './harness.js';
import { fails, ok, planIdOf } from './tools-support.js';

// One simulated Sealos workspace (kube-sim + a real HTTPS ingress) for the whole file: the app deployed
// first is verified, recorded, updated and rolled back by the later tests, in order.
let w: World;
let app: TestApp;
let conn: Connected | undefined;
const ns = 'ns-test';
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mcp-cluster-home-'));
  // No ambient Sealos login or kubeconfig may leak into the tools (they read the process env).
  vi.stubEnv('HOME', home);
  vi.stubEnv('KUBECONFIG', '');
  vi.stubEnv('SEALOS_KUBECONFIG', '');
  w = await startWorld();
  app = await makeApp(w.sim);
}, 30_000);
afterAll(async () => {
  await app?.cleanup();
  await w?.close();
  rmSync(home, { recursive: true, force: true });
  vi.unstubAllEnvs();
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

const base = () => ({ project_dir: app.dir, kubeconfig: app.kubeconfig });
const cluster = () => ({ ...base(), domain: DOMAIN });
const deploymentImage = (name: string) => (w.sim.store.get('apps/v1', 'Deployment', ns, name) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } } | undefined)?.spec.template.spec.containers[0]?.image;

interface Deployed {
  outcome: string;
  mode: string;
  app_name: string;
  url: string;
  image: string;
  applied: string[];
  rollout: { ready: number };
}

describe('cluster tools against kube-sim', { timeout: 30_000 }, () => {
  it('preflight: ready against the workspace, read only', async () => {
    conn = await connect();
    const writes = () => w.sim.requests.filter((q) => q.method !== 'GET' && !q.path.includes('selfsubject')).length;
    const before = writes();
    const r = await ok<{ ready: boolean; cluster: { namespace: string }; checks: Array<{ id: string; status: string }>; warnings: Array<{ code: string }> }>(conn, 'preflight', cluster());
    expect(r.ready).toBe(true);
    expect(r.cluster.namespace).toBe(ns);
    expect(r.checks.find((c) => c.id === 'permissions')?.status).toBe('pass');
    expect(r.warnings.map((x) => x.code)).toContain('GIT_UNAVAILABLE');
    expect(writes()).toBe(before);
  });

  it('decide_deploy_mode: DEPLOY without state', async () => {
    conn = await connect();
    const d = await ok<{ mode: string; namespace: string; existing_apps: string[] }>(conn, 'decide_deploy_mode', base());
    expect(d).toMatchObject({ mode: 'DEPLOY', namespace: ns, existing_apps: [] });
  });

  it('deploy without elicitation: CONFIRMATION_REQUIRED with the plan and nothing applied, then confirm with plan_id applies it', async () => {
    conn = await connect();
    const text = await fails(conn, 'deploy', cluster());
    expect(text).toMatch(/^CONFIRMATION_REQUIRED: .*DEPLOY demo-api-[a-z]+ in ns-test with ghcr\.io\/acme\/demo-api:1\.0\.0-abc1234/);
    expect(text).toContain('create Deployment/demo-api-');
    expect(w.sim.store.list('apps/v1', 'Deployment', ns)).toEqual([]);

    const progress: string[] = [];
    const res = await conn.client.callTool({ name: 'deploy', arguments: { ...cluster(), confirm: true, plan_id: planIdOf(text) } }, undefined, { onprogress: (p) => progress.push(p.message ?? '') });
    expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
    const out = res.structuredContent as unknown as Deployed;
    expect(out).toMatchObject({ outcome: 'applied', mode: 'DEPLOY', image: IMAGE, rollout: { ready: 1 } });
    expect(out.applied.map((a) => a.split('/')[0])).toEqual(['Instance', 'Deployment', 'Service', 'Ingress', 'App']);
    expect(deploymentImage(out.app_name)).toBe(IMAGE);
    expect(progress.some((m) => m.startsWith('applied Instance'))).toBe(true);
    // A used plan id confirms nothing again.
    expect(await fails(conn, 'deploy', { ...cluster(), confirm: true, plan_id: planIdOf(text) })).toMatch(/^PLAN_MISMATCH: /);
  });

  it('runtime_truth_pass accepts the live app (through the test ingress) and writes the report; record_state records it', async () => {
    const dr = JSON.parse(await readFile(join(app.dir, '.sealos', 'deploy-result.json'), 'utf8')) as { app_name: string; app_host: string };
    w.ingress.apps.set(dr.app_host, defaultBehaviour());
    w.sim.faults.setLogs(dr.app_name, ['> demo-api@1.0.0 start', 'server listening on port 3000']);
    conn = await connect();
    const r = await ok<{ verdict: string; blocking: string[]; next_steps: string[]; app_name: string; url: string; artifact: string; checks: Array<{ id: string; status: string }> }>(conn, 'runtime_truth_pass', {
      ...base(),
      window_seconds: 1,
      budget_seconds: 20,
      connect_to: `127.0.0.1:${w.ingress.port}`,
      ca_file: w.certFile,
    });
    expect({ verdict: r.verdict, blocking: r.blocking, next_steps: r.next_steps }, JSON.stringify(r.checks)).toEqual({ verdict: 'accepted', blocking: [], next_steps: [] });
    expect(r).toMatchObject({ app_name: dr.app_name, url: `https://${dr.app_host}.${DOMAIN}`, artifact: join(app.dir, '.sealos', 'runtime-truth.json') });

    const rec = await ok<{ outcome: string; action: string; app_name: string; history_length: number }>(conn, 'record_state', { project_dir: app.dir });
    expect(rec).toMatchObject({ outcome: 'recorded', action: 'deploy', app_name: dr.app_name, history_length: 1 });
    expect(await fails(conn, 'record_state', { project_dir: app.dir })).toMatch(/^ARTIFACT_STALE: /);
  });

  it('status shows the recorded app live; decide_deploy_mode says UPDATE', async () => {
    conn = await connect();
    const s = await ok<{ outcome: string; workload: { image: string; ready: number }; recorded: { image: string }; drift: string[]; history: Array<{ action: string }> }>(conn, 'status', base());
    expect(s).toMatchObject({ outcome: 'app', workload: { image: IMAGE, ready: 1 }, recorded: { image: IMAGE }, drift: [] });
    expect(s.history.map((h) => h.action)).toEqual(['deploy']);
    expect((await ok<{ mode: string }>(conn, 'decide_deploy_mode', base())).mode).toBe('UPDATE');
  });

  it('deploy with elicitation: the user accepts the UPDATE plan in the client, and it is applied', async () => {
    await app.render(IMAGE2);
    const prompts: string[] = [];
    conn = await connect({}, (message) => {
      prompts.push(message);
      return { action: 'accept', content: { confirm: true } };
    });
    const out = await ok<Deployed & { previous_image: string }>(conn, 'deploy', cluster());
    expect(out).toMatchObject({ outcome: 'applied', mode: 'UPDATE', image: IMAGE2, previous_image: IMAGE });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatch(/^deploy: UPDATE .* with ghcr\.io\/acme\/demo-api:1\.1\.0-def5678 \(replacing ghcr\.io\/acme\/demo-api:1\.0\.0-abc1234\)/);
    expect(prompts[0]).toMatch(/update Deployment\/demo-api-[a-z]+: .*image/);
    expect(deploymentImage(out.app_name)).toBe(IMAGE2);
    // Recorded like after an accepted pass (this file's pass test already covers the real one).
    await writeTruth(app.dir, acceptedTruth({ app_name: out.app_name, namespace: ns, image: IMAGE2, url: out.url }));
    await ok(conn, 'record_state', { project_dir: app.dir });
  });

  it('a declined elicitation changes nothing (CANCELLED)', async () => {
    const other = await makeApp(w.sim);
    try {
      conn = await connect({}, () => ({ action: 'decline' }));
      const before = w.sim.store.list('apps/v1', 'Deployment', ns).length;
      expect(await fails(conn, 'deploy', { project_dir: other.dir, kubeconfig: other.kubeconfig, domain: DOMAIN })).toMatch(/^CANCELLED: /);
      expect(w.sim.store.list('apps/v1', 'Deployment', ns).length).toBe(before);
    } finally {
      await other.cleanup();
    }
  });

  it('rollback: plan first (CONFIRMATION_REQUIRED), then confirm returns to the previous image', async () => {
    conn = await connect();
    const text = await fails(conn, 'rollback', base());
    expect(text).toMatch(/^CONFIRMATION_REQUIRED: .*back from ghcr\.io\/acme\/demo-api:1\.1\.0-def5678 to ghcr\.io\/acme\/demo-api:1\.0\.0-abc1234/);
    const name = JSON.parse(await readFile(join(app.dir, '.sealos', 'deploy-result.json'), 'utf8')).app_name as string;
    expect(deploymentImage(name)).toBe(IMAGE2);
    const out = await ok<{ outcome: string; from: string; to: string; next: string }>(conn, 'rollback', { ...base(), confirm: true, plan_id: planIdOf(text) });
    expect(out).toMatchObject({ outcome: 'applied', from: IMAGE2, to: IMAGE });
    expect(out.next).toMatch(/runtime_truth_pass.*record_state/);
    expect(deploymentImage(name)).toBe(IMAGE);
  });

  it('record_state repair_from_live shows the change, writes only after confirmation and keeps the old file', async () => {
    conn = await connect();
    const statePath = join(app.dir, '.sealos', 'state.json');
    const before = await readFile(statePath, 'utf8');
    // The rollback is live but not recorded: state and cluster disagree, so both tools STOP and name the ways out.
    const d = await ok<{ mode: string; mismatches: Array<{ field: string; recorded: string; live: string }>; repair_options: Array<{ id: string; tool_call: string }> }>(conn, 'decide_deploy_mode', base());
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toContainEqual({ field: 'image', recorded: IMAGE2, live: IMAGE });
    expect(d.repair_options.map((o) => o.tool_call)).toEqual(['status with apps: true', 'record_state with repair_from_live: true', 'deploy with new_instance: true']);
    const stopped = await ok<{ outcome: string; mode: string; applied: string[] }>(conn, 'deploy', cluster());
    expect(stopped).toMatchObject({ outcome: 'stopped', mode: 'STOP', applied: [] });

    const text = await fails(conn, 'record_state', { ...base(), repair_from_live: true });
    expect(text).toMatch(/^CONFIRMATION_REQUIRED: /);
    expect(text).toContain(`last_deploy.image: ${IMAGE2} → ${IMAGE}`);
    expect(await readFile(statePath, 'utf8')).toBe(before);
    const r = await ok<{ outcome: string; image: string; previous_file: string }>(conn, 'record_state', { ...base(), repair_from_live: true, confirm: true, plan_id: planIdOf(text) });
    expect(r).toMatchObject({ outcome: 'repaired', image: IMAGE });
    expect(r.previous_file).toMatch(/state\.replaced-/);
    const parsed = parseStateText(await readFile(statePath, 'utf8'));
    expect(parsed.ok && parsed.state.last_deploy.image).toBe(IMAGE);
  });

  it('deploy honours cancellation: a cancelled call stops waiting for the rollout and records the failed attempt', async () => {
    await app.render(IMAGE2);
    const statePath = join(app.dir, '.sealos', 'state.json');
    const failedUpdates = async () => {
      const parsed = parseStateText(await readFile(statePath, 'utf8'));
      return parsed.ok ? parsed.state.history.filter((e) => e.action === 'update' && e.status === 'failed').length : -1;
    };
    const before = await failedUpdates();
    conn = await connect({}, () => ({ action: 'accept', content: { confirm: true } }));
    w.sim.controller.pause(); // the rollout cannot finish on its own
    const abort = new AbortController();
    try {
      const call = conn.client.callTool({ name: 'deploy', arguments: { ...cluster(), timeout_seconds: 600 } }, undefined, {
        signal: abort.signal,
        onprogress: (p) => {
          if (/^applied App/.test(p.message ?? '')) abort.abort();
        },
      });
      await expect(call).rejects.toThrow();
      for (let i = 0; i < 100 && (await failedUpdates()) === before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await failedUpdates()).toBe(before + 1);
    } finally {
      w.sim.controller.resume();
    }
  });

  it('a pinned server refuses another namespace, and refuses a kubeconfig for another namespace', async () => {
    conn = await connect({ namespace: 'ns-other' });
    expect(await fails(conn, 'status', { ...base(), namespace: 'ns-test' })).toMatch(/^NAMESPACE_FORBIDDEN: .*pinned to namespace "ns-other"/);
    expect(await fails(conn, 'deploy', cluster())).toMatch(/^NAMESPACE_FORBIDDEN: The kubeconfig .* targets namespace ns-test, not ns-other/);
  });

  it('inputs come only from a private file: a group-readable inputs_file is refused', async () => {
    conn = await connect();
    const file = join(app.dir, 'inputs.json');
    await writeFile(file, JSON.stringify({ API_TOKEN: 'tok_live_123456789' }), { mode: 0o644 });
    const text = await fails(conn, 'deploy', { ...cluster(), inputs_file: file });
    expect(text).toMatch(/^USAGE: The inputs file .* is readable by other users/);
    expect(text).not.toContain('tok_live_123456789');
  });
});

