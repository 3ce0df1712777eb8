import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeployError } from '../../../src/core/errors.js';
import { openCluster } from '../../../src/ops/cluster-context.js';
import { applyPrepared } from '../../../src/ops/deploy-apply.js';
import { loadTemplate } from '../../../src/ops/deploy-artifacts.js';
import { prepareRelease } from '../../../src/ops/deploy-prepare.js';
import { deploy } from '../../../src/ops/deploy.js';
import type { DeliverTemplateOptions, DeliverTemplateResult } from '../../../src/sealos/template-api.js';
import { applied, deployAndRecord, type TestApp, useSimSuite } from './harness.js';

const suite = useSimSuite();
const newApp = suite.newApp;

const base = { region: 'https://test.sealos.io', endpoint: 'https://template.test.sealos.io/api/v2alpha/templates/raw', args_supplied: 0 };

/** A stand-in for the region's Template API that creates the instance in kube-suite.sim under its own random name. */
function fakeTemplateApi(app: TestApp, serverName: string, calls: DeliverTemplateOptions[]) {
  return async (o: DeliverTemplateOptions): Promise<DeliverTemplateResult> => {
    calls.push(o);
    if (o.mode !== 'apply') return { ...base, outcome: 'planned', preview_name: 'demo-api-preview0', resources: [{ name: 'demo-api-preview0', uid: '', resourceType: 'deployment' }] };
    const cluster = openCluster({ kubeconfig: app.kubeconfig, env: {} });
    const prepared = await prepareRelease({ template: await loadTemplate(app.dir), namespace: cluster.namespace, domain: { app_domain: 'test.sealos.app', cert_secret_name: 'wildcard-cert' }, inputs: o.args ?? {}, identity: { app_name: serverName, app_host: serverName } });
    const r = await applyPrepared(cluster.res, prepared, []);
    return { ...base, outcome: 'created', instance_name: serverName, uid: r.instance_uid, created_at: new Date().toISOString(), preview_name: 'demo-api-preview0', resources: [] };
  };
}

describe('deploy --via template-api', () => {
  it('the dry run is the plan; the created instance name is authoritative and recorded', async () => {
    const app = await newApp();
    const calls: DeliverTemplateOptions[] = [];
    const deliver = fakeTemplateApi(app, 'demo-api-srvside1', calls);
    const plan = await deploy(app.dir, { ...app.opts, via: 'template-api', deliver });
    expect(plan.outcome === 'planned' && plan.plan.via).toBe('template-api');
    expect(calls[0]!.mode).toBe('plan');
    expect(calls[0]!.kubeconfigYaml).toBe(await readFile(app.kubeconfig, 'utf8'));
    const out = applied(await deploy(app.dir, { ...app.opts, via: 'template-api', deliver, confirm: true }));
    expect(out.via).toBe('template-api');
    expect(out.app_name).toBe('demo-api-srvside1');
    expect(out.notes.join(' ')).toContain('demo-api-preview0');
    expect(out.url).toBe('https://demo-api-srvside1.test.sealos.app');
    const result = JSON.parse(await readFile(join(app.dir, '.sealos', 'deploy-result.json'), 'utf8'));
    expect(result).toMatchObject({ app_name: 'demo-api-srvside1', method: 'template-api', action: 'deploy' });
  });

  it('a region without the Template API falls back to direct apply and says so', async () => {
    const app = await newApp();
    const deliver = async (): Promise<DeliverTemplateResult> => ({ ...base, outcome: 'fallback', fallback: 'direct-apply', reason: 'test.sealos.io has no Template API (HTTP 404).', status: 404 });
    const out = applied(await deploy(app.dir, { ...app.opts, via: 'template-api', deliver, confirm: true }));
    expect(out.via).toBe('direct');
    expect(out.notes.join(' ')).toContain('Template API unavailable');
    expect(suite.sim.store.get('app.sealos.io/v1', 'Instance', 'ns-test', out.app_name)).toBeDefined();
  });

  it('refuses an UPDATE and inputs that raw text substitution would break', async () => {
    const app = await newApp();
    await deployAndRecord(app);
    const err = await deploy(app.dir, { ...app.opts, via: 'template-api' }).catch((e: unknown) => e);
    expect(isDeployError(err) && err.code).toBe('USAGE');
    expect(isDeployError(err) && err.message).toContain('cannot update');
    const fresh = await newApp();
    const bad = await deploy(fresh.dir, { ...fresh.opts, via: 'template-api', inputs: { X: 'a"b' } }).catch((e: unknown) => e);
    expect(isDeployError(bad) && bad.code).toBe('USAGE');
    expect(isDeployError(bad) && bad.message).not.toContain('a"b');
  });
});
