import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideFromStateDir } from '../../../src/core/mode/decide.js';
import { discoverApps, findApp } from '../../../src/core/mode/discover.js';
import { previewStateRepair, rebuildStateFromLive } from '../../../src/core/mode/repair.js';
import { DeployError } from '../../../src/core/errors.js';
import { parseStateText, replaceState } from '../../../src/core/state/store.js';
import { DeployStateSchema } from '../../../src/core/state/state-schema.js';
import { nodeStateIo } from '../../../src/system/atomic-file.js';
import { fixedClock, pluginV1State } from '../state/helpers.js';
import { fakeLive, workload } from './fake-live.js';

const now = new Date('2026-09-05T00:00:00Z');

describe('discovery by label', () => {
  it('groups by the exact app-deploy-manager value; web never finds web2-x', async () => {
    const live = fakeLive([
      workload('web2-x'),
      workload('web2-x-worker', { labels: { 'cloud.sealos.io/app-deploy-manager': 'web2-x' } }),
      workload('api'),
    ]);
    const apps = await discoverApps(live, 'ns-abc12345');
    expect(apps.map((a) => [a.app_name, a.workloads.map((w) => w.name), a.launchpad_shaped])).toEqual([
      ['api', ['api'], true],
      ['web2-x', ['web2-x', 'web2-x-worker'], true],
    ]);
    expect(findApp(apps, 'web')).toBeNull();
    expect(findApp(apps, 'web2-x')?.workloads).toHaveLength(2);
  });
});

describe('state repair from live truth', () => {
  it('same app: keeps history, appends an adopted entry with the live image, drops the stale truth summary', () => {
    const prev = DeployStateSchema.parse(pluginV1State());
    const live = workload('evershop-uvbp0n0n', { namespace: 'ns-qiqovyrm', image: 'ghcr.io/acme/evershop:manual-fix', host: 'evershop-4ha6b4mh.usw-1.sealos.app' });
    const next = rebuildStateFromLive(prev, live, null, { region: 'usw-1.sealos.io', repo_name: 'evershop', now });
    expect(next.history).toHaveLength(prev.history.length + 1);
    expect(next.history.at(-1)).toMatchObject({ action: 'deploy', method: 'adopted', image: 'ghcr.io/acme/evershop:manual-fix' });
    expect(next.last_deploy).toMatchObject({ image: 'ghcr.io/acme/evershop:manual-fix', app_host: 'evershop-4ha6b4mh', url: 'https://evershop-4ha6b4mh.usw-1.sealos.app', deployed_at: '2026-07-30T10:00:00Z' });
    expect(next.runtime_truth).toBeUndefined();
    expect(parseStateText(JSON.stringify(next)).ok).toBe(true);
  });

  it('another app (or no readable state): starts a fresh history, URL from the App CR', () => {
    const live = workload('api', { kind: 'StatefulSet', image: 'ghcr.io/acme/api:7' });
    const next = rebuildStateFromLive(null, live, 'https://api-zz.usw-1.sealos.app', { region: 'usw-1.sealos.io', repo_name: 'api', now });
    expect(next.history).toEqual([expect.objectContaining({ action: 'deploy', method: 'adopted' })]);
    expect(next.last_deploy).toMatchObject({ app_name: 'api', app_host: 'api-zz', workload_kind: 'StatefulSet', url: 'https://api-zz.usw-1.sealos.app' });
    expect(parseStateText(JSON.stringify(next)).ok).toBe(true);
  });

  it('refuses a workload without the Launchpad labels', () => {
    const live = workload('api', { labels: { app: 'api' } });
    expect(() => rebuildStateFromLive(null, live, null, { region: 'usw-1.sealos.io', repo_name: 'api', now })).toThrow(DeployError);
  });
});

describe('repair path end to end: STOP → preview → confirm → UPDATE', () => {
  it('rebuilds last_deploy from the live app after confirmation, archiving the old file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'repair-'));
    try {
      const io = nodeStateIo();
      const original = JSON.stringify(pluginV1State(), null, 2);
      await writeFile(join(dir, 'state.json'), original);
      const ns = 'ns-qiqovyrm';
      const live = fakeLive([workload('evershop-uvbp0n0n', { namespace: ns, image: 'ghcr.io/acme/evershop:kubectl-hotfix', host: 'evershop-4ha6b4mh.usw-1.sealos.app' })]);
      expect((await decideFromStateDir({ sealosDir: dir, io, live, namespace: ns })).mode).toBe('STOP');

      const preview = await previewStateRepair({ sealosDir: dir, io, live, namespace: ns, context: { region: 'usw-1.sealos.io', repo_name: 'evershop', now } });
      expect(preview.changes).toEqual([
        { field: 'last_deploy.image', recorded: 'ghcr.io/acme/evershop:20260801-b2', live: 'ghcr.io/acme/evershop:kubectl-hotfix' },
        { field: 'last_deploy.workload_kind', recorded: null, live: 'Deployment' },
      ]);
      expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(original); // preview writes nothing

      const r = await replaceState(dir, preview.next, { io, clock: fixedClock('2026-09-05T00:00:00Z'), confirm: true });
      expect(await readFile(r.archived_path!, 'utf8')).toBe(original);
      expect((await decideFromStateDir({ sealosDir: dir, io, live, namespace: ns })).mode).toBe('UPDATE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable state needs the app name; a missing workload is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'repair-'));
    try {
      await writeFile(join(dir, 'state.json'), 'not json');
      const args = { sealosDir: dir, io: nodeStateIo(), live: fakeLive([workload('api')]), namespace: 'ns-abc12345', context: { region: 'usw-1.sealos.io', repo_name: 'api', now } };
      await expect(previewStateRepair(args)).rejects.toMatchObject({ code: 'USAGE' });
      await expect(previewStateRepair({ ...args, appName: 'ap' })).rejects.toMatchObject({ code: 'STATE_LIVE_MISMATCH' });
      const p = await previewStateRepair({ ...args, appName: 'api' });
      expect(p.current).toBeNull();
      expect(p.current_problems[0]).toMatch(/not valid JSON/);
      expect(p.next.last_deploy.app_name).toBe('api');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
