import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeployError, type DeployError } from '../../../src/core/errors.js';
import { parseStateText } from '../../../src/core/state/store.js';
import { deploy } from '../../../src/ops/deploy.js';
import { recordState } from '../../../src/ops/record.js';
import { rollback } from '../../../src/ops/rollback.js';
import { acceptedTruth, applied, deployAndRecord, IMAGE, IMAGE2, writeTruth, type TestApp, useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;

/** A Prisma + PostgreSQL app whose first migration is deployed and recorded, with a second migration added since. */
async function prismaPostgresWithNewMigration() {
  const app = await newApp({
    database: { engine: 'postgres', driver: 'pg', orm: null, env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] },
    migrations: { tool: 'prisma', command: null, directory: 'prisma/migrations', files: ['prisma/migrations/001/migration.sql'], evidence: [] },
  });
  await mkdir(join(app.dir, 'prisma', 'migrations', '001'), { recursive: true });
  await writeFile(join(app.dir, 'prisma', 'migrations', '001', 'migration.sql'), 'CREATE TABLE t (id int);');
  const first = await deployAndRecord(app);
  await mkdir(join(app.dir, 'prisma', 'migrations', '002'), { recursive: true });
  app.analysis.migrations.files.push('prisma/migrations/002/migration.sql');
  await writeFile(join(app.dir, '.sealos', 'analysis.json'), JSON.stringify(app.analysis));
  await writeFile(join(app.dir, 'prisma', 'migrations', '002', 'migration.sql'), 'ALTER TABLE t ADD c int;');
  return { app, first };
}
const ns = 'ns-test';

async function failing(p: Promise<unknown>): Promise<DeployError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!isDeployError(err)) throw new Error(`expected a DeployError, got ${String(err)}`);
  return err;
}

const stateOf = async (app: TestApp) => {
  const r = parseStateText(await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8'));
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.state;
};
const exists = (p: string) => readFile(p).then(() => true, () => false);

describe('record', () => {
  it('refuses without an accepted, untouched, matching cluster Truth report; then records exactly once', async () => {
    const app = await newApp();
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('plan');
    const out = applied(await deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id }));
    const statePath = join(app.dir, '.sealos', 'state.json');
    const identity = { app_name: out.app_name, namespace: ns, image: out.image, url: out.url };

    expect((await failing(recordState(app.dir))).code).toBe('TRUTH_NOT_ACCEPTED');
    const rejected = { ...acceptedTruth(identity) };
    await writeTruth(app.dir, { ...rejected, verdict: 'rejected' });
    expect((await failing(recordState(app.dir))).code).toBe('TRUTH_NOT_ACCEPTED'); // schema-valid but digest no longer matches / rejected
    const edited = acceptedTruth(identity);
    edited.stability_window_seconds = 600; // hand edit after sealing
    await writeTruth(app.dir, edited);
    expect((await failing(recordState(app.dir))).message).toMatch(/digest/);
    await writeTruth(app.dir, acceptedTruth({ ...identity, image: IMAGE2 }));
    expect((await failing(recordState(app.dir))).code).toBe('TRUTH_IDENTITY_MISMATCH');
    await writeTruth(app.dir, acceptedTruth(identity, new Date(Date.now() - 3_600_000)));
    expect((await failing(recordState(app.dir))).message).toMatch(/before this deploy finished/);
    expect(await exists(statePath)).toBe(false);

    await writeTruth(app.dir, acceptedTruth(identity));
    const rec = await recordState(app.dir);
    expect(rec.outcome).toBe('recorded');
    const state = await stateOf(app);
    expect(state.last_deploy).toMatchObject({ app_name: out.app_name, namespace: ns, image: IMAGE, url: out.url, region: '127.0.0.1', workload_kind: 'Deployment', repo_name: 'demo-api', docker_hub_user: null });
    expect(state.history).toHaveLength(1);
    expect(state.history[0]).toMatchObject({ action: 'deploy', status: 'success', method: 'server-side-apply', git_commit: '0123456789abcdef0123456789abcdef01234567' });
    expect(await readFile(join(app.dir, '.sealos', '.gitignore'), 'utf8')).toContain('runtime-truth.json');
    expect((await failing(recordState(app.dir))).code).toBe('ARTIFACT_STALE');
  });

  it('repair from live: shows the change first, writes only with confirm, keeps the old file', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    const dep = structuredClone(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!);
    dep.spec.template.spec.containers[0].image = 'ghcr.io/acme/demo-api:hotfix-1';
    suite.sim.store.put(dep);
    const before = await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8');
    const preview = await recordState(app.dir, { ...app.opts, repairFromLive: true });
    if (preview.outcome !== 'repair-planned') throw new Error('expected a preview');
    expect(preview.preview.changes).toContainEqual({ field: 'last_deploy.image', recorded: IMAGE, live: 'ghcr.io/acme/demo-api:hotfix-1' });
    expect(await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8')).toBe(before);
    const done = await recordState(app.dir, { ...app.opts, repairFromLive: true, confirm: true });
    if (done.outcome !== 'repaired') throw new Error('expected repaired');
    expect(done.archived_path).toMatch(/state\.replaced-/);
    expect((await stateOf(app)).last_deploy.image).toBe('ghcr.io/acme/demo-api:hotfix-1');
    // Now the live app matches the state again: a deploy is an UPDATE, not a STOP.
    const plan = await deploy(app.dir, app.opts);
    expect(plan.outcome === 'planned' && plan.plan.mode).toBe('UPDATE');
  });
});

describe('rollback', () => {
  it('plans first (nothing changes), applies the previous image under the same identity, then record writes a rollback entry', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    await app.render(IMAGE2);
    await deployAndRecord(app);

    const plan = await rollback(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan).toMatchObject({ from: IMAGE2, to: IMAGE, needs_db_ack: false, app_name: first.app_name });
    expect(plan.plan.changes.find((c) => c.kind === 'Deployment')?.action).toBe('update');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!.spec.template.spec.containers[0].image).toBe(IMAGE2);

    expect((await failing(rollback(app.dir, { ...app.opts, confirm: true, planId: 'ffffffffffffffff' }))).code).toBe('PLAN_MISMATCH');
    const out = await rollback(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id });
    if (out.outcome !== 'applied') throw new Error('expected applied');
    expect(out.next).toContain('sealos-deploy verify, then sealos-deploy record');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!.spec.template.spec.containers[0].image).toBe(IMAGE);
    expect(out.url).toBe(first.url);

    await writeTruth(app.dir, acceptedTruth({ app_name: first.app_name, namespace: ns, image: IMAGE, url: out.url }));
    const rec = await recordState(app.dir);
    expect(rec.outcome === 'recorded' && rec.action).toBe('rollback');
    const state = await stateOf(app);
    expect(state.last_deploy.image).toBe(IMAGE);
    expect(state.history.at(-1)).toMatchObject({ action: 'rollback', from_image: IMAGE2, to_image: IMAGE, status: 'success' });
  });

  it('a rollback across a migration needs a backup or an explicit forward-repair acknowledgment', async () => {
    const app = await newApp({ migrations: { tool: 'prisma', command: null, directory: 'prisma/migrations', files: ['prisma/migrations/001_init/migration.sql'], evidence: [] } });
    await mkdir(join(app.dir, 'prisma', 'migrations', '001_init'), { recursive: true });
    await writeFile(join(app.dir, 'prisma', 'migrations', '001_init', 'migration.sql'), 'CREATE TABLE a (id int);');
    await deployAndRecord(app);
    await writeFile(join(app.dir, 'prisma', 'migrations', '001_init', 'migration.sql'), 'CREATE TABLE a (id int); ALTER TABLE a ADD b int;');
    await app.render(IMAGE2);
    await deployAndRecord(app);

    const err = await failing(rollback(app.dir, app.opts));
    expect(err.code).toBe('ROLLBACK_NEEDS_DB_ACK');
    const plan = await rollback(app.dir, { ...app.opts, acknowledgeForwardRepair: true });
    expect(plan.outcome === 'planned' && plan.plan).toMatchObject({ needs_db_ack: true, acknowledged_forward_repair: true, to: IMAGE });
  });

  it('after a failed update (its image left running): rolls back to the recorded release, and record writes it', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    suite.sim.faults.podBehaviour(IMAGE2, { kind: 'crashloop', exitCode: 1, logs: ['Error: DATABASE_URL is not set'] });
    await app.render(IMAGE2);
    expect((await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 15_000 }))).code).toBe('ROLLOUT_CRASHLOOP');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!.spec.template.spec.containers[0].image).toBe(IMAGE2);
    // Fixing forward instead would say what runs now and what was last good.
    const forward = await deploy(app.dir, app.opts);
    expect(forward.outcome === 'planned' && forward.plan).toMatchObject({ mode: 'UPDATE', running_image: IMAGE2, previous_image: IMAGE });

    const plan = await rollback(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error(`expected a plan, got ${plan.outcome}`);
    expect(plan.plan).toMatchObject({ from: IMAGE2, to: IMAGE, needs_db_ack: false, migrations: 'unchanged' });
    expect(plan.plan.entries.map((e) => [e.action, e.image])).toEqual([['update', IMAGE2]]);
    // Only the image differs from the release being returned to: no "template changed" warning.
    expect(plan.plan.warnings.filter((w) => /template changed/.test(w))).toEqual([]);

    const out = await rollback(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id });
    if (out.outcome !== 'applied') throw new Error('expected applied');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!.spec.template.spec.containers[0].image).toBe(IMAGE);
    await writeTruth(app.dir, acceptedTruth({ app_name: first.app_name, namespace: ns, image: IMAGE, url: out.url }));
    const rec = await recordState(app.dir);
    expect(rec.outcome === 'recorded' && rec.action).toBe('rollback');
    const state = await stateOf(app);
    expect(state.last_deploy.image).toBe(IMAGE);
    expect(state.history.slice(-2)).toMatchObject([
      { action: 'update', status: 'failed', image: IMAGE2 },
      { action: 'rollback', status: 'success', from_image: IMAGE2, to_image: IMAGE },
    ]);
  });

  it('after a failed schema-changing update: the migration it may have run counts, and the backup taken before it is used', async () => {
    const { app } = await prismaPostgresWithNewMigration();
    suite.sim.faults.podBehaviour(IMAGE2, { kind: 'crashloop', exitCode: 1, logs: ['Error: column c is read before it exists'] });
    await app.render(IMAGE2);
    await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 15_000 }));
    const failed = (await stateOf(app)).history.at(-1)!;
    expect(failed).toMatchObject({ action: 'update', status: 'failed', backup: { phase: 'Completed' } });

    const plan = await rollback(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan).toMatchObject({ from: IMAGE2, to: IMAGE, migrations: 'changed', needs_db_ack: true, backup: { name: failed.backup!.name, phase: 'Completed' } });
  });

  it('refuses without state (ROLLBACK_NO_TARGET)', async () => {
    const app = await newApp();
    expect((await failing(rollback(app.dir, app.opts))).code).toBe('ROLLBACK_NO_TARGET');
  });
});

describe('a schema-changing release with PostgreSQL', () => {
  it('takes a KubeBlocks Backup, waits for Completed, then applies; record keeps the backup on the entry', async () => {
    const { app, first } = await prismaPostgresWithNewMigration();
    await app.render(IMAGE2);
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('plan');
    expect(plan.plan.backup).toMatchObject({ required: true, skipped: false });
    const out = applied(await deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id }));
    // Named at apply time (<cluster>-pre-<UTC stamp>), so it can differ from the plan's by a second.
    expect(out.backup).toMatchObject({ name: expect.stringMatching(new RegExp(`^${first.app_name}-pg-pre-\\d{14}$`)), phase: 'Completed' });
    const backup = suite.sim.store.get('dataprotection.kubeblocks.io/v1alpha1', 'Backup', ns, out.backup!.name)!;
    expect(backup.spec).toMatchObject({ backupPolicyName: `${first.app_name}-pg-postgresql-backup-policy`, backupMethod: 'pg-basebackup' });
    // The backup was requested before the new Deployment.
    const writes = suite.sim.requests.filter((r) => r.method === 'PATCH' && !/dryRun/.test(r.path));
    const iBackup = writes.findIndex((r) => r.path.includes('/backups/'));
    const iDeploy = writes.findIndex((r, i) => i > iBackup && r.path.includes(`/deployments/${first.app_name}`));
    expect(iBackup).toBeGreaterThanOrEqual(0);
    expect(iDeploy).toBeGreaterThan(iBackup);
    await writeTruth(app.dir, acceptedTruth({ app_name: out.app_name, namespace: ns, image: IMAGE2, url: out.url }));
    await recordState(app.dir);
    expect((await stateOf(app)).history.at(-1)).toMatchObject({ action: 'update', backup: { name: out.backup!.name, phase: 'Completed' } });
  });
});
