import { describe, expect, it } from 'vitest';
import type { CliIo, Command } from '../../../src/cli/command.js';
import { deployCommand } from '../../../src/cli/commands/deploy.js';
import { recordCommand } from '../../../src/cli/commands/record.js';
import { rollbackCommand } from '../../../src/cli/commands/rollback.js';
import { statusCommand } from '../../../src/cli/commands/status.js';
import { createRedactor } from '../../../src/core/redact.js';
import { status } from '../../../src/ops/status.js';
import { deployAndRecord, IMAGE, IMAGE2, type TestApp, useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;
const ns = 'ns-test';

async function cli(cmd: Command, app: TestApp, values: Record<string, unknown>, stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo & { stdin?: () => Promise<string> } = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: app.dir, env: { HOME: app.opts.home } };
  if (stdin !== undefined) io.stdin = async () => stdin;
  const code = await cmd.run({ kubeconfig: app.kubeconfig, domain: 'test.sealos.app', ...values }, [app.dir], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('status', () => {
  it("shows the recorded app's workload, pods, URL, warning events and redacted recent logs", async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    const secret = 'hunter2-very-secret';
    suite.sim.faults.setLogs(first.app_name, ['listening on :3000', `connected with password ${secret}`]);
    const redactor = createRedactor([secret]);
    const s = await status(app.dir, { ...app.opts, redactor });
    if (s.outcome !== 'app') throw new Error('expected the app');
    expect(s.status.workload).toMatchObject({ kind: 'Deployment', name: first.app_name, image: IMAGE, replicas: 1, ready: 1, status: 'running' });
    expect(s.status.pods).toHaveLength(1);
    expect(s.status.pods[0]).toMatchObject({ phase: 'Running', ready: true, restarts: 0 });
    expect(s.status.url).toBe(first.url);
    expect(s.status.services[0]!.name).toBe(first.app_name);
    expect(s.status.log_tail?.lines).toEqual(['listening on :3000', 'connected with password [REDACTED]']);
    expect(s.drift).toEqual([]);
    expect(s.history.map((h) => h.action)).toEqual(['deploy']);
  });

  it('a crash-looping app: restarts, last termination reason and the Warning events', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    suite.sim.faults.podBehaviour(IMAGE2, { kind: 'crashloop', logs: ['Error: missing SESSION_SECRET'] });
    await app.render(IMAGE2);
    await cli(deployCommand, app, { confirm: true, timeout: '20' });
    const s = await status(app.dir, app.opts);
    if (s.outcome !== 'app') throw new Error('expected the app');
    const crashing = s.status.pods.find((p) => p.image === IMAGE2)!;
    expect(crashing.restarts).toBeGreaterThan(0);
    expect(crashing.last_termination_reason).toBe('Error');
    expect(s.status.warning_events.some((e) => e.includes('BackOff'))).toBe(true);
    expect(s.drift[0]).toContain(`live image ${IMAGE2}`);
    expect(s.status.app_name).toBe(first.app_name);
  });

  it('deployed but not recorded yet: shows that app from deploy-result.json and says what is left to do', async () => {
    const app = await newApp();
    await app.render(IMAGE);
    const applied = await cli(deployCommand, app, { confirm: true, timeout: '20' });
    expect(applied.code).toBe(0);
    const s = await status(app.dir, app.opts);
    if (s.outcome !== 'app') throw new Error(`expected the deployed app, got ${s.outcome}`);
    expect(s).toMatchObject({ source: 'deploy-result', recorded: null, drift: [] });
    expect(s.status.workload).toMatchObject({ image: IMAGE, ready: 1 });
    expect(s.note).toMatch(/not recorded yet: verify it, then record it/);
    const r = await cli(statusCommand, app, {});
    expect(r.stdout).toMatch(/note: +Deployed from this checkout/);
  });

  it('without state: says so and lists the apps found by exact label', async () => {
    const app = await newApp();
    const other = await newApp();
    const deployed = await deployAndRecord(other);
    suite.sim.store.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'unlabelled', namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: 'unlabelled' } }, template: { metadata: { labels: { app: 'unlabelled' } }, spec: { containers: [{ name: 'x', image: 'nginx:1.27' }] } } } });
    const s = await status(app.dir, app.opts);
    if (s.outcome !== 'no-state') throw new Error('expected no-state');
    expect(s.message).toContain('No .sealos/state.json');
    expect(s.apps.map((a) => a.app_name)).toEqual([deployed.app_name]);
    const r = await cli(statusCommand, app, { apps: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(deployed.app_name);
    expect(r.stdout).not.toContain('unlabelled');
  });
});

describe('CLI contract', () => {
  it('deploy: plan → exit 3 and nothing applied; confirm with the plan id → exit 0 and next step verify', async () => {
    const app = await newApp();
    const plan = await cli(deployCommand, app, { json: true });
    expect(plan.code).toBe(3);
    const planned = JSON.parse(plan.stdout) as { outcome: string; plan: { plan_id: string; app_name: string } };
    expect(planned.outcome).toBe('planned');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, planned.plan.app_name)).toBeUndefined();
    const done = await cli(deployCommand, app, { confirm: true, 'plan-id': planned.plan.plan_id });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`Deployed ${planned.plan.app_name}`);
    expect(done.stdout).toContain('Next: run sealos-deploy verify');
    expect(done.stderr).toContain('applied Instance');
    // record before verify: a coded refusal (main prints it and exits 2).
    await expect(cli(recordCommand, app, {})).rejects.toMatchObject({ code: 'TRUTH_NOT_ACCEPTED' });
  });

  it('deploy: a private image gets its pull Secret from stdin, never from argv', async () => {
    const app = await newApp();
    await app.render(IMAGE, { imagePullSecret: true });
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz012345';
    const r = await cli(deployCommand, app, { confirm: true, 'registry-user': 'acme-bot', 'registry-password-stdin': true, json: true }, `${token}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(token);
    const out = JSON.parse(r.stdout) as { app_name: string };
    const secret = suite.sim.store.get('v1', 'Secret', ns, out.app_name)!;
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const cfg = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8')) as { auths: Record<string, { username: string; password: string }> };
    expect(cfg.auths['ghcr.io']).toMatchObject({ username: 'acme-bot', password: token });
    expect(secret.metadata.ownerReferences?.[0]?.kind).toBe('Instance');
  });

  it('deploy STOP and rollback plan exit codes', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    await app.render(IMAGE2);
    await deployAndRecord(app);
    const rb = await cli(rollbackCommand, app, {});
    expect(rb.code).toBe(3);
    expect(rb.stdout).toContain(`${IMAGE2} → ${IMAGE}`);
    const dep = structuredClone(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!);
    dep.spec.template.spec.containers[0].image = 'ghcr.io/acme/demo-api:manual-edit';
    suite.sim.store.put(dep);
    const stop = await cli(deployCommand, app, { confirm: true });
    expect(stop.code).toBe(1);
    expect(stop.stdout).toContain('STOP');
    expect(stop.stdout).toContain('sealos-deploy record --repair-from-live --app ');
    // The suggested command previews the repair; it never writes without a separate --confirm.
    expect(stop.stdout).not.toContain('--repair-from-live --confirm');
  });
});
