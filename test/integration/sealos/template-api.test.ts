import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverTemplate, readArgsFile, type DeliverTemplateOptions } from '../../../src/sealos/template-api.js';
import { fakeEnv, leakedSecrets, tmpHome } from '../../support/fake-region/harness.js';
import { startFakeRegion, type FakeRegion } from '../../support/fake-region/server.js';

let region: FakeRegion;
let home: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  region = await startFakeRegion();
  ({ home, cleanup } = await tmpHome());
});
afterEach(async () => {
  await region.close();
  await cleanup();
});

const TEMPLATE = `apiVersion: app.sealos.io/v1
kind: Template
metadata:
  name: myapp
spec:
  title: myapp
  templateType: inline
  defaults:
    app_name:
      type: string
      value: myapp-\${{ random(8) }}
  inputs:
    API_KEY:
      description: key
      type: string
      required: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${{ defaults.app_name }}
---
apiVersion: v1
kind: Service
metadata:
  name: \${{ defaults.app_name }}
`;

const SECRET = 'sk-live-0123456789abcdef';

function opts(extra: Partial<DeliverTemplateOptions> = {}): DeliverTemplateOptions {
  return { region: region.url, env: fakeEnv(region, home), yaml: TEMPLATE, kubeconfigYaml: region.kubeconfigFor('ns-abcd1234'), args: { API_KEY: SECRET }, ...extra };
}

const templateCalls = () => region.requests.filter((r) => r.path === '/api/v2alpha/templates/raw');

async function errOf(p: Promise<unknown>): Promise<{ code: string; message: string; next: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected a rejection');
}

describe('deliverTemplate (Template API)', () => {
  it('plan = dry run: encoded kubeconfig in Authorization, {yaml, args, dryRun} in the body, nothing secret in the result', async () => {
    const result = await deliverTemplate(opts());
    expect(result.outcome).toBe('planned');
    if (result.outcome !== 'planned') return;
    expect(result.preview_name).toMatch(/^myapp-[a-z]{8}$/);
    expect(result.resources.map((r) => r.resourceType)).toEqual(['deployment', 'service']);
    expect(result.resources[0]!.quota).toEqual({ cpu: 0.2, memory: 0.25, storage: 0, replicas: 1 });
    expect(result.args_supplied).toBe(1);

    const [call] = templateCalls();
    expect(templateCalls()).toHaveLength(1);
    expect(call!.headers.authorization).toBe(encodeURIComponent(region.kubeconfigFor('ns-abcd1234')));
    expect(call!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(call!.body)).toEqual({ yaml: TEMPLATE, args: { API_KEY: SECRET }, dryRun: true });
    // The server echoes args back; the result must not.
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(leakedSecrets(region, JSON.stringify(result))).toEqual([]);
  });

  it('apply = dry run then create; the server-rendered instance name is authoritative', async () => {
    const result = await deliverTemplate(opts({ mode: 'apply', extraLabels: { 'brain.sealos.io/task': 't1' } }));
    expect(templateCalls().map((c) => JSON.parse(c.body).dryRun)).toEqual([true, false]);
    expect(JSON.parse(templateCalls()[1]!.body).extraLabels).toEqual({ 'brain.sealos.io/task': 't1' });
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    expect(result.instance_name).toMatch(/^myapp-[a-z]{8}$/);
    expect(result.preview_name).toMatch(/^myapp-[a-z]{8}$/);
    expect(result.instance_name).not.toBe(result.preview_name);
    expect(result.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.resources.every((r) => r.uid.length > 0)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it.each([
    [400, undefined, 'TEMPLATE_INVALID', /Fix the template/],
    [401, undefined, 'AUTH_EXPIRED', /sealos-deploy login/],
    [403, undefined, 'NAMESPACE_FORBIDDEN', /workspace switch/],
    [403, 'INSUFFICIENT_BALANCE', 'NAMESPACE_FORBIDDEN', /Top up/],
    [409, undefined, 'CLUSTER_CONFLICT', /fresh app_name/],
    [422, undefined, 'CLUSTER_ERROR', /re-render/],
    [500, undefined, 'TEMPLATE_API_ERROR', /direct apply/],
  ])('HTTP %i (%s) → %s with a next step', async (status, apiCode, code, next) => {
    region.state.template = { forceStatus: status, ...(apiCode ? { errorCode: apiCode } : {}), errorDetails: `admission webhook denied: value ${SECRET} rejected` };
    const err = await errOf(deliverTemplate(opts({ mode: 'apply' })));
    expect(err.code).toBe(code);
    expect(err.next).toMatch(next);
    expect(err.details).toMatchObject({ status });
    // A server message quoting a secret arg is redacted.
    expect(err.message).not.toContain(SECRET);
    // The plan failed: nothing was created.
    expect(templateCalls()).toHaveLength(1);
  });

  it('quota rejections are QUOTA_EXCEEDED', async () => {
    region.state.template = { forceStatus: 422, errorDetails: 'pods "x" is forbidden: exceeded quota: quota-ns-abcd1234' };
    expect((await errOf(deliverTemplate(opts()))).code).toBe('QUOTA_EXCEEDED');
  });

  it.each([404, 503])('HTTP %i → typed direct-apply fallback, nothing thrown', async (status) => {
    region.state.template = { forceStatus: status };
    const result = await deliverTemplate(opts({ mode: 'apply' }));
    expect(result).toMatchObject({ outcome: 'fallback', fallback: 'direct-apply', status });
    if (result.outcome === 'fallback') expect(result.reason).toMatch(/direct apply/);
  });

  it('a real 401 from a kubeconfig the region does not know', async () => {
    const err = await errOf(deliverTemplate(opts({ kubeconfigYaml: region.kubeconfigFor('ns-abcd1234').replace(/token: .*/, 'token: stale-token-value') })));
    expect(err.code).toBe('AUTH_EXPIRED');
  });

  it('a template whose first document is not a Template is TEMPLATE_INVALID', async () => {
    const err = await errOf(deliverTemplate(opts({ yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n' })));
    expect(err.code).toBe('TEMPLATE_INVALID');
    expect(err.message).toMatch(/first YAML must be a Template/);
  });

  it('reads the kubeconfig from ~/.sealos and the region from the kubeconfig server when not signed in', async () => {
    await mkdir(join(home, '.sealos'), { recursive: true });
    await writeFile(join(home, '.sealos', 'kubeconfig'), region.kubeconfigFor('ns-abcd1234'), { mode: 0o600 });
    const result = await deliverTemplate({ env: fakeEnv(region, home), yaml: TEMPLATE });
    expect(result.region).toBe('https://usw-1.sealos.io');
    expect(result.outcome).toBe('planned');
  });

  it('sends ~/.sealos/kubeconfig to the login region, and a supplied kubeconfig to its own server host', async () => {
    await mkdir(join(home, '.sealos'), { recursive: true });
    await writeFile(join(home, '.sealos', 'kubeconfig'), region.kubeconfigFor('ns-abcd1234'), { mode: 0o600 });
    await writeFile(join(home, '.sealos', 'auth.json'), JSON.stringify({ region: 'https://gzg.sealos.run' }), { mode: 0o600 });
    expect((await deliverTemplate({ env: fakeEnv(region, home), yaml: TEMPLATE })).region).toBe('https://gzg.sealos.run');
    const supplied = await deliverTemplate({ env: fakeEnv(region, home), yaml: TEMPLATE, kubeconfigYaml: region.kubeconfigFor('ns-abcd1234') });
    expect(supplied.region).toBe('https://usw-1.sealos.io');
  });

  it('without any kubeconfig it is LOGIN_REQUIRED', async () => {
    expect((await errOf(deliverTemplate({ region: region.url, env: fakeEnv(region, home), yaml: TEMPLATE }))).code).toBe('LOGIN_REQUIRED');
  });
});

describe('readArgsFile', () => {
  it('refuses a group/other-readable file without quoting it, accepts 0600', async () => {
    const path = join(home, 'args.json');
    await writeFile(path, JSON.stringify({ API_KEY: SECRET, REPLICAS: 2, DEBUG: false }), { mode: 0o644 });
    await chmod(path, 0o644);
    const err = await errOf(readArgsFile(path));
    expect(err.code).toBe('USAGE');
    expect(err.next).toContain('chmod 600');
    expect(err.message).not.toContain(SECRET);
    await chmod(path, 0o600);
    expect(await readArgsFile(path)).toEqual({ API_KEY: SECRET, REPLICAS: '2', DEBUG: 'false' });
  });

  it('a malformed file is USAGE without its content in the message', async () => {
    const path = join(home, 'bad.json');
    await writeFile(path, `{"API_KEY": "${SECRET}"`, { mode: 0o600 });
    const err = await errOf(readArgsFile(path));
    expect(err.code).toBe('USAGE');
    expect(err.message).not.toContain(SECRET);
  });
});
