import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeployError, isDeployError } from '../../../src/core/errors.js';
import { parseStateText } from '../../../src/core/state/store.js';
import { deploy } from '../../../src/ops/deploy.js';
import type { KubeSim, PodBehaviour } from '../../support/kube-sim/index.js';
import { applied, deployAndRecord, IMAGE, IMAGE2, type TestApp, useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;
const ns = 'ns-test';

async function failing(p: Promise<unknown>): Promise<DeployError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDeployError(err)) throw new Error(`expected a DeployError, got ${String(err)}`);
  return err;
}

async function readStateFile(app: TestApp) {
  const r = parseStateText(await readFile(join(app.dir, '.sealos', 'state.json'), 'utf8'));
  if (!r.ok) throw new Error(`state.json is not valid: ${r.problems.join('; ')}`);
  return r.state;
}

/** A recorded first release, then the template rendered for IMAGE2: the next deploy is an UPDATE. */
async function updateWith(behaviour: PodBehaviour | null) {
  const app = await newApp();
  const first = await deployAndRecord(app);
  await app.render(IMAGE2);
  suite.sim.faults.podBehaviour(IMAGE2, behaviour);
  return { app, first };
}

describe('rollout failures: a coded error in plain words, a failed history entry, no automatic rollback', () => {
  it('crash loop: names the last error line from the logs', async () => {
    const { app, first } = await updateWith({ kind: 'crashloop', exitCode: 1, logs: ['server starting on :3000', 'Error: connect ECONNREFUSED 10.0.0.5:5432', '    at TCPConnectWrap.afterConnect'] });
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(err.code).toBe('ROLLOUT_CRASHLOOP');
    expect(err.message).toContain('Error: connect ECONNREFUSED 10.0.0.5:5432');
    expect(err.next).toContain('sealos-deploy rollback --confirm');
    expect(err.details?.recorded_failure).toBe(true);
    const state = await readStateFile(app);
    expect(state.last_deploy.image).toBe(IMAGE);
    expect(state.history.at(-1)).toMatchObject({ action: 'update', status: 'failed', image: IMAGE2, previous_image: IMAGE });
    // Never rolled back automatically: the new (failing) template stays applied.
    const dep = suite.sim.store.get('apps/v1', 'Deployment', ns, first.app_name)!;
    expect(dep.spec.template.spec.containers[0].image).toBe(IMAGE2);
  });

  it('image pull: a registry auth failure points at the pull Secret, a missing tag at the image reference', async () => {
    const { app } = await updateWith({ kind: 'imagePullBackOff', error: 'unauthorized' });
    const auth = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(auth.code).toBe('ROLLOUT_IMAGE_PULL');
    expect(auth.message).toMatch(/refused the credentials/);
    expect(auth.next).toMatch(/pull Secret/);
    suite.sim.faults.podBehaviour(IMAGE2, { kind: 'imagePullBackOff', error: 'manifest unknown' });
    wipePods();
    const missing = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(missing.code).toBe('ROLLOUT_IMAGE_PULL');
    expect(missing.message).toMatch(/does not exist/);
    expect(missing.next).toMatch(/image reference/);
  });

  it('OOMKilled', async () => {
    const { app } = await updateWith({ kind: 'oomkilled' });
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(err.code).toBe('ROLLOUT_OOM');
    expect(err.next).toMatch(/memory limit/);
  });

  it('unschedulable pod (Pending)', async () => {
    const { app } = await updateWith({ kind: 'pending' });
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(err.code).toBe('ROLLOUT_UNSCHEDULABLE');
    expect(err.message).toMatch(/Insufficient memory/);
  });

  it('a probe refused on the template port while the app logs another: names both ports and the two fixes', async () => {
    const { app } = await updateWith({
      kind: 'unready',
      message: 'Readiness probe failed: Get "http://10.1.0.7:3000/healthz": dial tcp 10.1.0.7:3000: connect: connection refused',
      logs: ['[2026-11-26 13:00:01] INFO Ghost booting', '[2026-11-26 13:00:03] INFO Your site is now available on http://localhost:2368/'],
    });
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true, timeoutMs: 20_000 }));
    expect(err.code).toBe('ROLLOUT_PROBE_FAILED');
    expect(err.message).toMatch(/nothing answers on port 3000: the app says it listens on port 2368/);
    expect(err.next).toContain('"port": 2368 in .sealos/config.json');
  });

  it('ProgressDeadlineExceeded', async () => {
    const { app } = await updateWith({ kind: 'slowStart', readyAfterMs: 3_600_000 });
    let advanced = false;
    const err = await failing(
      deploy(app.dir, {
        ...app.opts,
        confirm: true,
        timeoutMs: 20_000,
        progress: (m) => {
          // Once the new pods exist, let 11 simulated minutes pass: past the 600 s progress deadline.
          if (!advanced && m.includes('updated')) {
            advanced = true;
            suite.sim.controller.advance(660_000);
          }
        },
      }),
    );
    expect(err.code).toBe('ROLLOUT_TIMEOUT');
    expect(err.message).toMatch(/timed out progressing|progress deadline/);
  });
});

function wipePods() {
  for (const p of suite.sim.store.list('v1', 'Pod', ns)) suite.sim.store.delete('v1', 'Pod', ns, p.metadata.name);
}

describe('quota', () => {
  it('a release that does not fit the ResourceQuota is refused before anything is applied', async () => {
    const app = await newApp();
    suite.sim.store.put({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota-ns-test', namespace: ns }, spec: { hard: { 'limits.cpu': '400m', 'limits.memory': '1Gi', pods: '20' } }, status: { hard: { 'limits.cpu': '400m', 'limits.memory': '1Gi', pods: '20' }, used: { 'limits.cpu': '0', 'limits.memory': '0', pods: '0' } } });
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan.quota.find((q) => q.resource === 'limits.cpu')?.ok).toBe(false);
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true }));
    expect(err.code).toBe('QUOTA_EXCEEDED');
    expect(err.message).toContain('limits.cpu');
    expect(suite.sim.store.get('app.sealos.io/v1', 'Instance', ns, plan.plan.app_name)).toBeUndefined();
  });
});

describe('database', () => {
  it('KubeBlocks stuck in Creating → ROLLOUT_DB_NOT_READY (the crashing app is blamed on the database)', async () => {
    const app = await newApp({ database: { engine: 'postgres', driver: 'pg', orm: null, env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] } });
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan.changes.map((c) => c.kind)).toContain('Cluster');
    suite.sim.faults.clusterBehaviour(`${plan.plan.app_name}-pg`, { kind: 'stuck' });
    suite.sim.faults.podBehaviour(IMAGE, { kind: 'crashloop', logs: ['Error: getaddrinfo ENOTFOUND db'] });
    const err = await failing(deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id, timeoutMs: 1500 }));
    expect(err.code).toBe('ROLLOUT_DB_NOT_READY');
    expect(err.message).toContain(`${plan.plan.app_name}-pg`);
    expect(err.message).toContain('Creating');
  });
});

describe('API failures during apply: coded, what was applied is said, state never half-written, a re-run converges', () => {
  const cases: Array<{ name: string; fault: Parameters<KubeSim['faults']['inject']>[0]; code: string }> = [
    { name: 'HTTP 500', fault: { method: 'PATCH', path: '/services/', status: 500, message: 'etcdserver: request timed out', once: true }, code: 'CLUSTER_ERROR' },
    { name: 'HTTP 409', fault: { method: 'PATCH', path: '/services/', status: 409, message: 'Apply failed with 1 conflict: conflict with "kubectl-edit"', once: true }, code: 'CLUSTER_CONFLICT' },
    { name: 'HTTP 403', fault: { method: 'PATCH', path: '/services/', status: 403, message: 'services is forbidden: User cannot patch resource', once: true }, code: 'NAMESPACE_FORBIDDEN' },
    { name: 'dropped connection', fault: { method: 'PATCH', path: '/services/', drop: true, once: true }, code: 'CLUSTER_UNREACHABLE' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const app = await newApp();
      const first = await deployAndRecord(app);
      await app.render(IMAGE2);
      const stateBefore = await readStateFile(app);
      let armed = false;
      const err = await failing(
        deploy(app.dir, {
          ...app.opts,
          confirm: true,
          // Arm the fault once the Deployment is applied: the plan's dry runs are done, the Service apply is next.
          progress: (m) => {
            if (!armed && m.startsWith('applied Deployment')) {
              armed = true;
              suite.sim.faults.inject(c.fault);
            }
          },
        }),
      );
      expect(err.code).toBe(c.code);
      expect(err.message).toMatch(/2 of 5 objects were applied \(Instance .*, Deployment .*\)/);
      expect(err.next).toContain('Re-running the deploy is safe');
      const state = await readStateFile(app);
      expect(state.last_deploy).toEqual(stateBefore.last_deploy);
      expect(state.history.length).toBe(stateBefore.history.length + 1);
      expect(state.history.at(-1)).toMatchObject({ action: 'update', status: 'failed' });
      const out = applied(await deploy(app.dir, { ...app.opts, confirm: true }));
      expect(out.app_name).toBe(first.app_name);
      expect(out.rollout.ready).toBe(1);
    });
  }

  it('a first deploy that did not roll out is retried under the same names: no second app is left behind', async () => {
    const app = await newApp();
    suite.sim.faults.podBehaviour(IMAGE, { kind: 'crashloop', exitCode: 1, logs: ['Error: boom'] });
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('plan');
    const first = plan.plan.app_name;
    expect((await failing(deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id, timeoutMs: 10_000 }))).code).toBe('ROLLOUT_CRASHLOOP');

    // The fix: a new image, so a new template.
    await app.render(IMAGE2);
    const retry = await deploy(app.dir, app.opts);
    if (retry.outcome !== 'planned') throw new Error('retry plan');
    expect(retry.plan).toMatchObject({ mode: 'DEPLOY', app_name: first });
    expect(retry.plan.warnings.join(' ')).toMatch(/Retrying the first deploy of .* instead of creating a second one/);
    const out = applied(await deploy(app.dir, { ...app.opts, confirm: true, planId: retry.plan.plan_id, timeoutMs: 20_000 }));
    expect(out.app_name).toBe(first);
    expect(suite.sim.store.list('apps/v1', 'Deployment', ns).map((d) => d.metadata.name)).toEqual([first]);
    // Rolled out: the names are settled, the next first-deploy plan (say, after a cleanup) starts fresh.
    await expect(readFile(join(app.dir, '.sealos', 'deploy-plan.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

