import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeployError } from '../../../src/core/errors.js';
import { deploy } from '../../../src/ops/deploy.js';
import { applied, deployAndRecord, IMAGE, IMAGE2, useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;
const ns = 'ns-test';

function workloadOf(name: string) {
  return suite.sim.store.get('apps/v1', 'Deployment', ns, name) as unknown as { metadata: { ownerReferences?: Array<{ kind: string; uid: string; controller: boolean; blockOwnerDeletion: boolean }>; managedFields?: Array<{ manager: string }> }; spec: { template: { spec: { containers: Array<{ image: string; env?: Array<{ name: string; value?: string }>; readinessProbe?: { httpGet?: { path: string } } }> } } } };
}

describe('deploy: first deploy (DEPLOY)', () => {
  it('plans without changing anything (exit-3 path), then applies the same plan: Instance first, owner references, rollout, URL from the App CR', async () => {
    const app = await newApp();
    const writesBefore = suite.sim.requests.filter((r) => ['PATCH', 'POST', 'PUT', 'DELETE'].includes(r.method) && !r.path.includes('selfsubject') && !/dryRun=All/.test(r.path)).length;
    const plan = await deploy(app.dir, app.opts);
    expect(plan.outcome).toBe('planned');
    if (plan.outcome !== 'planned') return;
    expect(plan.plan.mode).toBe('DEPLOY');
    expect(plan.plan.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['create Instance', 'create Deployment', 'create Service', 'create Ingress', 'create App']);
    expect(plan.plan.plan_id).toMatch(/^[0-9a-f]{16}$/);
    const name = plan.plan.app_name;
    expect(name).toMatch(/^demo-api-[a-z]{8}$/);
    // Nothing persisted: no object of the app exists and no non-dry-run write happened.
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, name)).toBeUndefined();
    expect(suite.sim.store.get('app.sealos.io/v1', 'Instance', ns, name)).toBeUndefined();
    const writesAfter = suite.sim.requests.filter((r) => ['PATCH', 'POST', 'PUT', 'DELETE'].includes(r.method) && !r.path.includes('selfsubject') && !/dryRun=All/.test(r.path)).length;
    expect(writesAfter).toBe(writesBefore);

    const lines: string[] = [];
    const out = applied(await deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id, progress: (m) => lines.push(m) }));
    expect(out.app_name).toBe(name); // the reviewed names are the applied names
    expect(out.mode).toBe('DEPLOY');
    expect(out.applied.map((a) => a.kind)).toEqual(['Instance', 'Deployment', 'Service', 'Ingress', 'App']);
    expect(out.rollout.ready).toBe(1);
    expect(out.url).toBe(`https://${plan.plan.app_host}.test.sealos.app`);
    expect(out.next).toBe('run sealos-deploy verify');
    expect(lines.some((l) => l.startsWith('applied Instance'))).toBe(true);

    const instance = suite.sim.store.get('app.sealos.io/v1', 'Instance', ns, name)!;
    expect(instance.metadata.labels).toMatchObject({ 'cloud.sealos.io/deploy-on-sealos': name, 'cloud.sealos.io/owner-references': 'ready' });
    const dep = workloadOf(name);
    expect(dep.metadata.ownerReferences).toEqual([{ apiVersion: 'app.sealos.io/v1', kind: 'Instance', name, uid: instance.metadata.uid, controller: false, blockOwnerDeletion: false }]);
    for (const [v, k] of [['v1', 'Service'], ['networking.k8s.io/v1', 'Ingress'], ['app.sealos.io/v1', 'App']] as const) {
      expect(suite.sim.store.get(v, k, ns, name)!.metadata.ownerReferences?.[0]?.uid).toBe(instance.metadata.uid);
    }
    expect(dep.metadata.managedFields?.some((f) => f.manager === 'sealos-deploy')).toBe(true);
    // Apply order on the wire: Instance before everything else.
    const applies = suite.sim.requests.filter((r) => r.method === 'PATCH' && !/dryRun/.test(r.path) && r.path.includes(name));
    expect(applies[0]!.path).toContain('/instances/');
    const result = JSON.parse(await readFile(join(app.dir, '.sealos', 'deploy-result.json'), 'utf8'));
    expect(result).toMatchObject({ action: 'deploy', app_name: name, image: IMAGE, previous_image: null, url: out.url, recorded_at: null });
  });

  it('refuses a confirm whose plan id is not the current plan (PLAN_MISMATCH) and applies nothing', async () => {
    const app = await newApp();
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    const err = await deploy(app.dir, { ...app.opts, confirm: true, planId: '0000000000000000' }).catch((e: unknown) => e);
    expect(isDeployError(err) && err.code).toBe('PLAN_MISMATCH');
    expect(suite.sim.store.get('apps/v1', 'Deployment', ns, plan.plan.app_name)).toBeUndefined();
  });

  it('names missing required inputs without echoing values, and never prints given secret values', async () => {
    const app = await newApp({ env_vars: [{ name: 'API_TOKEN', class: 'third-party-key', required: true, default: null, sources: ['code'], public: false, evidence: [{ file: 'src/server.js', line: 4, rule: 'env.read' }] }] });
    const err = await deploy(app.dir, app.opts).catch((e: unknown) => e);
    expect(isDeployError(err) && err.code).toBe('INPUT_MISSING');
    expect(isDeployError(err) && err.details?.missing).toEqual(['API_TOKEN']);
    const secret = 'tok_live_9f8e7d6c5b4a';
    const plan = await deploy(app.dir, { ...app.opts, inputs: { API_TOKEN: secret } });
    expect(plan.outcome).toBe('planned');
    expect(JSON.stringify(plan)).not.toContain(secret);
  });

  it('refuses a template rendered for another image (ARTIFACT_STALE, re-run render)', async () => {
    const app = await newApp();
    const err = await deploy(app.dir, { ...app.opts, image: IMAGE2 }).catch((e: unknown) => e);
    expect(isDeployError(err) && err.code).toBe('ARTIFACT_STALE');
    expect(isDeployError(err) && err.next).toContain('render --image');
  });
});

describe('deploy: update (UPDATE)', () => {
  it('re-applies the whole template under the recorded identity: image, env and probe change together', async () => {
    const app = await newApp();
    const first = await deployAndRecord(app);
    // New release: another image, a new env var, another health path.
    app.analysis.env_vars.push({ name: 'APP_BASE_URL', class: 'public-url', required: false, default: null, sources: ['code'], public: false, evidence: [] });
    await app.render(IMAGE2, { healthPath: '/readyz' });
    const tpl = await readFile(join(app.dir, '.sealos', 'template', 'index.yaml'), 'utf8');
    expect(tpl).toContain('/readyz');
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan.mode).toBe('UPDATE');
    expect(plan.plan.app_name).toBe(first.app_name);
    const depChange = plan.plan.changes.find((c) => c.kind === 'Deployment')!;
    expect(depChange.action).toBe('update');
    expect(depChange.changed.some((p) => p.includes('readinessProbe.httpGet.path'))).toBe(true);
    expect(depChange.changed.some((p) => p.endsWith('.image'))).toBe(true);
    expect(depChange.changed.some((p) => p.includes('env[APP_BASE_URL]'))).toBe(true);
    const out = applied(await deploy(app.dir, { ...app.opts, confirm: true, planId: plan.plan.plan_id }));
    expect(out.mode).toBe('UPDATE');
    expect(out.previous_image).toBe(IMAGE);
    const c = workloadOf(first.app_name).spec.template.spec.containers[0]!;
    expect(c.image).toBe(IMAGE2);
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(c.env?.find((e) => e.name === 'APP_BASE_URL')?.value).toBe(first.url);
    expect(out.url).toBe(first.url);
  });

  it('keeps the secret inputs the running release uses when they are not given again (names only in the plan)', async () => {
    const app = await newApp({ env_vars: [{ name: 'API_TOKEN', class: 'third-party-key', required: true, default: null, sources: ['code'], public: false, evidence: [] }] });
    const secret = 'tok_live_0a1b2c3d4e5f';
    const first = await deployAndRecord(app, { inputs: { API_TOKEN: secret } });
    await app.render(IMAGE2);
    const plan = await deploy(app.dir, app.opts);
    if (plan.outcome !== 'planned') throw new Error('expected a plan');
    expect(plan.plan.warnings.join(' ')).toContain('API_TOKEN');
    expect(JSON.stringify(plan)).not.toContain(secret);
    applied(await deploy(app.dir, { ...app.opts, confirm: true }));
    const env = workloadOf(first.app_name).spec.template.spec.containers[0]!.env ?? [];
    expect(env.find((e) => e.name === 'API_TOKEN')?.value).toBe(secret);
  });
});
