import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployCommand } from '../../../src/cli/commands/deploy.js';
import { runCommand } from '../../../src/cli/run-command.js';
import { deploy } from '../../../src/ops/deploy.js';
import { kubeconfigFor, type KObject } from '../../support/kube-sim/index.js';
import { deployAndRecord, type TestApp, useSimSuite } from './harness.js';

const suite = useSimSuite();
const ns = 'ns-test';

async function recorded(): Promise<{ app: TestApp; name: string; state: string }> {
  const app = await suite.newApp();
  const out = await deployAndRecord(app);
  return { app, name: out.app_name, state: await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8') };
}

function editDeployment(name: string, edit: (d: KObject) => void): void {
  const d = structuredClone(suite.sim.store.get('apps/v1', 'Deployment', ns, name)!);
  edit(d);
  suite.sim.store.put(d);
}

async function expectStop(app: TestApp, stateBefore: string, field: string, opts: Record<string, unknown> = {}) {
  const writes = suite.sim.requests.length;
  const out = await deploy(app.dir, { ...app.opts, confirm: true, ...opts });
  expect(out.outcome).toBe('stopped');
  if (out.outcome !== 'stopped') return;
  expect(out.decision.mismatches.map((m) => m.field)).toContain(field);
  expect(out.decision.repair_options.map((o) => o.command)).toEqual([
    expect.stringContaining('sealos-deploy status --apps'),
    expect.stringContaining('sealos-deploy record --repair-from-live --app '),
    'sealos-deploy deploy --new-instance',
  ]);
  // Read-only: no write reached the cluster, and state.json is byte-for-byte unchanged.
  expect(suite.sim.requests.slice(writes).filter((r) => r.method !== 'GET' && !r.path.includes('selfsubject'))).toEqual([]);
  expect(await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8')).toBe(stateBefore);
}

describe('deploy STOPs when state.json and the live cluster disagree', () => {
  it('image edited live', async () => {
    const { app, name, state } = await recorded();
    editDeployment(name, (d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/acme/demo-api:hotfix-1'));
    await expectStop(app, state, 'image');
  });

  it('kubeconfig context in another namespace', async () => {
    const { app, state } = await recorded();
    suite.sim.addToken('tok-other', { namespace: 'other' });
    const other = join(app.dir, 'kubeconfig-other');
    await writeFile(other, kubeconfigFor(suite.sim.url, 'other', 'tok-other'));
    await expectStop(app, state, 'namespace', { kubeconfig: other });
  });

  it('ownership label changed', async () => {
    const { app, name, state } = await recorded();
    editDeployment(name, (d) => (d.metadata.labels['cloud.sealos.io/app-deploy-manager'] = 'someone-else'));
    await expectStop(app, state, 'labels.cloud.sealos.io/app-deploy-manager');
  });

  it('only a name lookalike (<app>2-x) is live: never matched by prefix', async () => {
    const { app, name, state } = await recorded();
    const look = structuredClone(suite.sim.store.get('apps/v1', 'Deployment', ns, name)!);
    suite.sim.store.delete('apps/v1', 'Deployment', ns, name);
    const twin = `${name}2-x`;
    look.metadata = { name: twin, namespace: ns, labels: { app: twin, 'cloud.sealos.io/app-deploy-manager': twin } };
    look.spec.selector = { matchLabels: { app: twin } };
    look.spec.template.metadata.labels = { app: twin };
    delete look.status;
    suite.sim.store.put(look);
    await expectStop(app, state, 'workload');
  });
});

describe('deploy --new-instance', () => {
  it('archives state.json and deploys a second instance next to the old one', async () => {
    const { app, name } = await recorded();
    const plan = await deploy(app.dir, { ...app.opts, newInstance: true });
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan.mode).toBe('DEPLOY');
    expect(plan.plan.app_name).not.toBe(name);
    // Planning archived nothing.
    await expect(readFile(join(app.dir, '.sealos', 'state.json'), 'utf8')).resolves.toContain(name);
    const out = await deploy(app.dir, { ...app.opts, newInstance: true, confirm: true, planId: plan.plan.plan_id });
    if (out.outcome !== 'applied') throw new Error('expected applied');
    expect(out.archived_state).toMatch(/state\.archived-\d{8}T\d{6}Z\.json$/);
    await expect(readFile(join(app.dir, '.sealos', 'state.json'), 'utf8')).rejects.toThrow();
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, name)).toBeDefined();
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, out.app_name)).toBeDefined();
  });

  it('a corrupt state.json blocks deploy (STATE_CORRUPT, never overwritten) but a new instance moves it aside', async () => {
    const { app } = await recorded();
    const path = join(app.dir, '.sealos', 'state.json');
    await writeFile(path, '{"version": "1.0", "last_deploy": ');
    const err = await deploy(app.dir, { ...app.opts, confirm: true }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('STATE_CORRUPT');
    expect(await readFile(path, 'utf8')).toBe('{"version": "1.0", "last_deploy": ');
    // The CLI spells out the repair options the error carries.
    const stderr: string[] = [];
    const code = await runCommand(deployCommand, [app.dir, '--kubeconfig', app.kubeconfig, '--domain', 'test.sealos.app'], { stdout: () => {}, stderr: (t) => stderr.push(t), cwd: app.dir, env: { HOME: app.opts.home } });
    expect(code).toBe(2);
    expect(stderr.join('')).toMatch(/error STATE_CORRUPT[\s\S]*ways out:\n {2}- [\s\S]*\n {6}sealos-deploy record --repair-from-live\n[\s\S]*sealos-deploy deploy --new-instance/);
    const out = await deploy(app.dir, { ...app.opts, newInstance: true, confirm: true });
    if (out.outcome !== 'applied') throw new Error('expected applied');
    expect(await readFile(out.archived_state!, 'utf8')).toBe('{"version": "1.0", "last_deploy": ');
  });
});
