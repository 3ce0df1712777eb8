import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideDeployMode, decideFromStateDir } from '../../../src/core/mode/decide.js';
import { DeployError } from '../../../src/core/errors.js';
import { DeployStateSchema, type DeployState } from '../../../src/core/state/state-schema.js';
import { nodeStateIo } from '../../../src/system/atomic-file.js';
import { pluginV2State } from '../state/helpers.js';
import { fakeLive, workload } from './fake-live.js';

const NS = 'ns-abc12345';

function stateFor(app: string, over: Partial<DeployState['last_deploy']> = {}): DeployState {
  return DeployStateSchema.parse({
    version: '1.0',
    last_deploy: {
      app_name: app,
      app_host: `${app}-host`,
      namespace: NS,
      region: 'usw-1.sealos.io',
      image: 'ghcr.io/acme/web:v1',
      docker_hub_user: null,
      repo_name: 'web',
      url: `https://${app}-host.usw-1.sealos.app`,
      deployed_at: '2026-09-01T10:00:00Z',
      last_updated_at: '2026-09-01T10:00:00Z',
      ...over,
    },
    history: [{ at: '2026-09-01T10:00:00Z', action: 'deploy', image: over.image ?? 'ghcr.io/acme/web:v1', method: 'server-side-apply', status: 'success' }],
  });
}

describe('decideDeployMode', () => {
  it('no state → DEPLOY, naming apps already in the namespace', async () => {
    const d = await decideDeployMode({ state: null, live: fakeLive([workload('other')]), namespace: NS });
    expect(d.mode).toBe('DEPLOY');
    expect(d.identity).toBeNull();
    expect(d.existing_apps).toEqual(['other']);
    expect(d.reasons.join(' ')).toMatch(/other/);
  });

  it('everything matches → UPDATE with the live identity', async () => {
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([workload('web')]), namespace: NS });
    expect(d.mode).toBe('UPDATE');
    expect(d.mismatches).toEqual([]);
    expect(d.repair_options).toEqual([]);
    expect(d.identity).toEqual({ app_name: 'web', namespace: NS, kind: 'Deployment', image: 'ghcr.io/acme/web:v1', url: 'https://web-host.usw-1.sealos.app', host: 'web-host.usw-1.sealos.app' });
  });

  it('StatefulSet app → UPDATE', async () => {
    const d = await decideDeployMode({ state: stateFor('db-app', { workload_kind: 'StatefulSet' }), live: fakeLive([workload('db-app', { kind: 'StatefulSet' })]), namespace: NS });
    expect(d.mode).toBe('UPDATE');
    expect(d.identity?.kind).toBe('StatefulSet');
  });

  it('recorded Deployment but a StatefulSet is live → STOP on kind', async () => {
    const d = await decideDeployMode({ state: stateFor('web', { workload_kind: 'Deployment' }), live: fakeLive([workload('web', { kind: 'StatefulSet' })]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'kind', recorded: 'Deployment', live: 'StatefulSet' }]);
  });

  it('missing workload → STOP with the three repair paths', async () => {
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'workload', recorded: 'Deployment|StatefulSet/web', live: null }]);
    expect(d.repair_options.map((o) => o.id)).toEqual(['discover', 'repair-state', 'fresh-deploy']);
    expect(d.repair_options[0]!.command).toContain(`--namespace ${NS}`);
    expect(d.identity?.app_name).toBe('web');
  });

  it('state from another namespace → STOP without touching that namespace', async () => {
    const live = fakeLive([workload('web')]);
    const d = await decideDeployMode({ state: stateFor('web', { namespace: 'ns-zzzzzzzz' }), live, namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'namespace', recorded: 'ns-zzzzzzzz', live: NS }]);
    expect(live.calls).toEqual([]);
  });

  it('label mismatch → STOP listing each label', async () => {
    const w = workload('web', { labels: { app: 'web', 'cloud.sealos.io/app-deploy-manager': 'web-legacy' } });
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([w]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'labels.cloud.sealos.io/app-deploy-manager', recorded: 'web', live: 'web-legacy' }]);
    const unlabeled = workload('web', { labels: {} });
    const d2 = await decideDeployMode({ state: stateFor('web'), live: fakeLive([unlabeled]), namespace: NS });
    expect(d2.mismatches.map((m) => m.field)).toEqual(['labels.app', 'labels.cloud.sealos.io/app-deploy-manager']);
  });

  it('image mismatch → STOP', async () => {
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([workload('web', { image: 'ghcr.io/acme/web:hotfix' })]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'image', recorded: 'ghcr.io/acme/web:v1', live: 'ghcr.io/acme/web:hotfix' }]);
  });

  it('host mismatch → STOP; the App CR url also counts as live host', async () => {
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([workload('web', { host: 'elsewhere.usw-1.sealos.app' })]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches).toEqual([{ field: 'host', recorded: 'web-host.usw-1.sealos.app', live: 'elsewhere.usw-1.sealos.app' }]);

    const noIngress = fakeLive([workload('web', { host: null })], { [`${NS}/web`]: 'https://web-host.usw-1.sealos.app/' });
    expect((await decideDeployMode({ state: stateFor('web'), live: noIngress, namespace: NS })).mode).toBe('UPDATE');

    const nothing = fakeLive([workload('web', { host: null })]);
    const d3 = await decideDeployMode({ state: stateFor('web'), live: nothing, namespace: NS });
    expect(d3.mismatches).toEqual([{ field: 'host', recorded: 'web-host.usw-1.sealos.app', live: null }]);
  });

  it('a name-prefix lookalike web2-x never matches web, even from a sloppy adapter', async () => {
    const lookalike = workload('web2-x');
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([lookalike]), namespace: NS });
    expect(d.mode).toBe('STOP');
    expect(d.mismatches[0]!.field).toBe('workload');

    const sloppy = await decideDeployMode({ state: stateFor('web'), live: fakeLive([lookalike], {}, { sloppyPrefix: true }), namespace: NS });
    expect(sloppy.mode).toBe('STOP');
    expect(sloppy.mismatches).toEqual([{ field: 'workload', recorded: 'Deployment|StatefulSet/web', live: `Deployment/web2-x in ${NS}` }]);
  });

  it('v2.0.0 state: no url (host not compared) and per-service images checked', async () => {
    const v2 = DeployStateSchema.parse(pluginV2State());
    const ns = v2.last_deploy.namespace;
    const web = workload('shop-abcdefgh', { namespace: ns, image: 'ghcr.io/acme/shop:v2' });
    const worker = workload('shop-worker', { namespace: ns, kind: 'StatefulSet', image: 'ghcr.io/acme/shop-worker:v1' });
    const ok = await decideDeployMode({ state: v2, live: fakeLive([web, worker]), namespace: ns });
    expect(ok.mode).toBe('UPDATE');
    expect(ok.reasons.join(' ')).toMatch(/no URL/);

    const drifted = await decideDeployMode({ state: v2, live: fakeLive([web, { ...worker, image: 'ghcr.io/acme/shop-worker:v9' }]), namespace: ns });
    expect(drifted.mode).toBe('STOP');
    expect(drifted.mismatches).toEqual([{ field: 'services.worker.image', recorded: 'ghcr.io/acme/shop-worker:v1', live: 'ghcr.io/acme/shop-worker:v9' }]);

    const gone = await decideDeployMode({ state: v2, live: fakeLive([web]), namespace: ns });
    expect(gone.mismatches).toEqual([{ field: 'services.worker.workload', recorded: 'shop-worker', live: null }]);
  });

  it('a not-ready workload is still UPDATE, with the readiness in the reasons', async () => {
    const d = await decideDeployMode({ state: stateFor('web'), live: fakeLive([workload('web', { readyReplicas: 0, replicas: 2 })]), namespace: NS });
    expect(d.mode).toBe('UPDATE');
    expect(d.reasons.join(' ')).toMatch(/0\/2 replicas/);
  });

  it('corrupt state.json → STATE_CORRUPT with repair options, file untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mode-'));
    try {
      await writeFile(join(dir, 'state.json'), '{"version":"1.0"}');
      const err = await decideFromStateDir({ sealosDir: dir, io: nodeStateIo(), live: fakeLive([]), namespace: NS }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeployError);
      expect((err as DeployError).code).toBe('STATE_CORRUPT');
      expect((err as DeployError).details?.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^last_deploy:/), expect.stringMatching(/^history:/)]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
