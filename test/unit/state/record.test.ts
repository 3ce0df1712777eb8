import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import {
  archiveState,
  ensureSealosGitignore,
  loadState,
  readState,
  recordFailure,
  recordRelease,
  replaceState,
  sealosGitignore,
  type DeployTarget,
} from '../../../src/core/state/store.js';
import { nodeStateIo } from '../../../src/system/atomic-file.js';
import { fixedClock, pluginV1State, truthFor } from './helpers.js';

const io = nodeStateIo({ waitMs: 1000 });
let dir: string;
const clock = fixedClock('2026-09-01T10:02:00Z');
const deps = { io, clock };

const target: DeployTarget = {
  app_name: 'web-abcdefgh',
  app_host: 'web-qwertyui',
  namespace: 'ns-abc12345',
  region: 'usw-1.sealos.io',
  repo_name: 'web',
  docker_hub_user: null,
  url: 'https://web-qwertyui.usw-1.sealos.app',
  workload_kind: 'Deployment',
};
const id = (image: string, url: string | undefined = target.url ?? undefined) => ({ app_name: target.app_name, namespace: target.namespace, image, url });

async function codeOf(p: Promise<unknown>): Promise<DeployError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DeployError) return err;
    throw err;
  }
  throw new Error('expected a DeployError');
}

async function deployV1() {
  return recordRelease(dir, { action: 'deploy', target, image: 'ghcr.io/acme/web:v1', migrations_digest: 'sha256:m1', git_commit: 'c1' }, truthFor(id('ghcr.io/acme/web:v1')), deps);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-'));
  clock.set('2026-09-01T10:02:00Z');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recording refuses without an accepted, verified, matching Truth report', () => {
  it('no report', async () => {
    const err = await codeOf(recordRelease(dir, { action: 'deploy', target, image: 'ghcr.io/acme/web:v1' }, null, deps));
    expect(err.code).toBe('TRUTH_NOT_ACCEPTED');
    expect((await loadState(dir, io)).status).toBe('missing');
  });

  it('rejected verdict', async () => {
    const err = await codeOf(recordRelease(dir, { action: 'deploy', target, image: 'ghcr.io/acme/web:v1' }, truthFor(id('ghcr.io/acme/web:v1'), { verdict: 'rejected' }), deps));
    expect(err.code).toBe('TRUTH_NOT_ACCEPTED');
    expect(err.message).toMatch(/"rejected"/);
  });

  it('a report edited after sealing (digest no longer verifies)', async () => {
    const t = truthFor(id('ghcr.io/acme/web:v1'));
    t.checks[0]!.status = 'fail';
    t.checks[0]!.summary = 'edited';
    const err = await codeOf(recordRelease(dir, { action: 'deploy', target, image: 'ghcr.io/acme/web:v1' }, t, deps));
    expect(err.code).toBe('TRUTH_NOT_ACCEPTED');
    expect(err.message).toMatch(/digest/);
  });

  it('a local rehearsal report', async () => {
    const err = await codeOf(recordRelease(dir, { action: 'deploy', target, image: 'ghcr.io/acme/web:v1' }, truthFor(id('ghcr.io/acme/web:v1'), { target: 'local' }), deps));
    expect(err.code).toBe('TRUTH_NOT_ACCEPTED');
  });

  it('a report about another image, URL or namespace', async () => {
    const err = await codeOf(
      recordRelease(
        dir,
        { action: 'deploy', target, image: 'ghcr.io/acme/web:v1' },
        truthFor({ ...id('ghcr.io/acme/web:v0'), namespace: 'ns-other', url: 'https://web-other.usw-1.sealos.app' }),
        deps,
      ),
    );
    expect(err.code).toBe('TRUTH_IDENTITY_MISMATCH');
    expect((err.details?.mismatches as Array<{ field: string }>).map((m) => m.field)).toEqual(['namespace', 'image', 'url']);
    expect((await loadState(dir, io)).status).toBe('missing');
  });

  it('an update whose report verified the old image', async () => {
    await deployV1();
    const before = await readFile(join(dir, 'state.json'), 'utf8');
    const err = await codeOf(recordRelease(dir, { action: 'update', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2' }, truthFor(id('ghcr.io/acme/web:v1')), deps));
    expect(err.code).toBe('TRUTH_IDENTITY_MISMATCH');
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(before);
  });
});

describe('recording releases', () => {
  it('deploy writes a valid state with truth summary, provenance and release metadata', async () => {
    const r = await deployV1();
    expect(r.backup_path).toBeNull();
    const s = await readState(dir, io);
    expect(s?.last_deploy).toMatchObject({ app_name: 'web-abcdefgh', image: 'ghcr.io/acme/web:v1', url: target.url, workload_kind: 'Deployment', deployed_at: '2026-09-01T10:02:00.000Z' });
    expect(s?.history).toEqual([
      expect.objectContaining({ action: 'deploy', status: 'success', image: 'ghcr.io/acme/web:v1', migrations_digest: 'sha256:m1', git_commit: 'c1', method: 'server-side-apply' }),
    ]);
    expect(s?.runtime_truth).toMatchObject({ status: 'verified', captured_at: '2026-09-01T10:01:30Z', stability_window_seconds: 60, checks: ['url', 'rollout'], evidence_paths: ['.sealos/runtime-truth.json'] });
    expect(s?.provenance?.source).toBe('sealos-deploy/runtime-truth');
  });

  it('update keeps the previous good file as state.json.bak and appends the entry', async () => {
    await deployV1();
    const v1Text = await readFile(join(dir, 'state.json'), 'utf8');
    clock.set('2026-09-02T10:00:00Z');
    const r = await recordRelease(dir, { action: 'update', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2', migrations_digest: 'sha256:m2' }, truthFor(id('ghcr.io/acme/web:v2')), deps);
    expect(await readFile(join(dir, 'state.json.bak'), 'utf8')).toBe(v1Text);
    expect(r.state.last_deploy.image).toBe('ghcr.io/acme/web:v2');
    expect(r.state.last_deploy.deployed_at).toBe('2026-09-01T10:02:00.000Z');
    expect(r.state.last_deploy.last_updated_at).toBe('2026-09-02T10:00:00.000Z');
    expect(r.state.history[1]).toMatchObject({ action: 'update', previous_image: 'ghcr.io/acme/web:v1', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2' });
  });

  it('a failed update is recorded without a report and leaves last_deploy on the running image', async () => {
    await deployV1();
    const r = await recordFailure(dir, { action: 'update', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2', reason: 'ROLLOUT_CRASHLOOP' }, deps);
    expect(r.state.last_deploy.image).toBe('ghcr.io/acme/web:v1');
    expect(r.state.history[1]).toMatchObject({ action: 'update', status: 'failed', note: 'ROLLOUT_CRASHLOOP' });
    expect(r.state.runtime_truth?.identity.image).toBe('ghcr.io/acme/web:v1');
  });

  it('a rollback entry carries the target release migrations digest', async () => {
    await deployV1();
    await recordRelease(dir, { action: 'update', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2', migrations_digest: 'sha256:m2' }, truthFor(id('ghcr.io/acme/web:v2')), deps);
    const r = await recordRelease(dir, { action: 'rollback', to_image: 'ghcr.io/acme/web:v1', reason: 'errors after v2' }, truthFor(id('ghcr.io/acme/web:v1')), deps);
    expect(r.state.history[2]).toMatchObject({ action: 'rollback', from_image: 'ghcr.io/acme/web:v2', to_image: 'ghcr.io/acme/web:v1', migrations_digest: 'sha256:m1', git_commit: 'c1' });
    expect(r.state.last_deploy.image).toBe('ghcr.io/acme/web:v1');
  });

  it('refuses a second deploy over an existing state', async () => {
    await deployV1();
    const err = await codeOf(deployV1());
    expect(err.code).toBe('PLAN_MISMATCH');
  });

  it('updates a plugin-written state and keeps its entries and keys', async () => {
    const plugin = pluginV1State();
    await writeFile(join(dir, 'state.json'), JSON.stringify(plugin));
    const ld = plugin.last_deploy as Record<string, string>;
    const r = await recordRelease(
      dir,
      { action: 'update', image: 'ghcr.io/acme/evershop:20260901-c3', template_digest: 'sha256:t3' },
      truthFor({ app_name: ld.app_name, namespace: ld.namespace, image: 'ghcr.io/acme/evershop:20260901-c3', url: ld.url }),
      deps,
    );
    expect(r.state.version).toBe('1.0');
    expect(r.state.history.map((e) => e.action)).toEqual(['deploy', 'set-env', 'patch', 'restart', 'set-image', 'set-image', 'update']);
    expect(r.state.last_deploy.app_host).toBe('evershop-4ha6b4mh');
  });
});

describe('corrupt state is reported, never overwritten', () => {
  it('hand-edited image: STATE_CORRUPT with the exact problem and repair options; bytes unchanged', async () => {
    const s = pluginV1State() as Record<string, any>;
    s.last_deploy.image = 'ghcr.io/acme/evershop:hand-edited';
    const text = JSON.stringify(s, null, 2);
    await writeFile(join(dir, 'state.json'), text);
    const err = await codeOf(recordFailure(dir, { action: 'restart', reason: 'x' }, deps));
    expect(err.code).toBe('STATE_CORRUPT');
    expect(err.details?.problems).toEqual([
      expect.stringMatching(/^last_deploy\.image \(ghcr\.io\/acme\/evershop:hand-edited\) differs from the image of the latest successful release history\[5\]/),
      expect.stringMatching(/^runtime_truth\.identity\.image .* differs from last_deploy\.image/),
    ]);
    expect((err.details?.repair_options as Array<{ id: string }>).map((o) => o.id).sort()).toEqual(['discover', 'fresh-deploy', 'repair-state']);
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(text);
  });

  it('mentions a valid state.json.bak when there is one', async () => {
    await deployV1();
    await recordRelease(dir, { action: 'update', image: 'ghcr.io/acme/web:v2', template_digest: 'sha256:t2' }, truthFor(id('ghcr.io/acme/web:v2')), deps);
    await writeFile(join(dir, 'state.json'), '{"version":"1.0", "last_deploy"');
    const err = await codeOf(readState(dir, io));
    expect(err.code).toBe('STATE_CORRUPT');
    expect(err.details?.backup_valid).toBe(true);
    expect(err.next).toMatch(/state\.json\.bak/);
  });

  it('replaceState needs confirmation and archives what it replaces', async () => {
    await writeFile(join(dir, 'state.json'), 'garbage');
    const good = (await deployV1().catch(() => null)) ?? null;
    expect(good).toBeNull(); // corrupt blocks recording
    const next = JSON.parse(JSON.stringify(pluginV1State()));
    expect((await codeOf(replaceState(dir, next, { ...deps, confirm: false }))).code).toBe('CONFIRMATION_REQUIRED');
    const r = await replaceState(dir, next, { ...deps, confirm: true });
    expect(await readFile(r.archived_path!, 'utf8')).toBe('garbage');
    expect((await loadState(dir, io)).status).toBe('ok');
  });
});

describe('fresh deploy as a new instance', () => {
  it('archives the old state under a timestamped name, then a deploy records the new app', async () => {
    await deployV1();
    const old = await readFile(join(dir, 'state.json'), 'utf8');
    const archived = await archiveState(dir, deps);
    expect(archived).toBe(join(dir, 'state.archived-20260901T100200Z.json'));
    expect(await readFile(archived!, 'utf8')).toBe(old);
    await deployV1();
    expect((await readdir(dir)).sort()).toEqual(['state.archived-20260901T100200Z.json', 'state.json']);
  });
});

describe('.sealos/.gitignore', () => {
  it('ignores evidence, logs and store scratch files but not state.json or the template', () => {
    const text = sealosGitignore();
    const lines = text.split('\n');
    for (const l of ['runtime-truth.json', 'rehearsal.json', 'build/*.log', 'state.json.bak', 'state.json.lock']) expect(lines).toContain(l);
    expect(lines).not.toContain('state.json');
    expect(lines.some((l) => l.startsWith('template'))).toBe(false);
  });

  it('keeps user lines and appends only what is missing', () => {
    const merged = sealosGitignore('my-notes.txt\nruntime-truth.json\n');
    expect(merged.startsWith('my-notes.txt\nruntime-truth.json\n')).toBe(true);
    expect(merged.match(/runtime-truth\.json/g)).toHaveLength(1);
    expect(sealosGitignore(merged)).toBe(merged);
  });

  it('ensureSealosGitignore writes once, then leaves the file alone', async () => {
    expect(await ensureSealosGitignore(dir, io)).toBe(true);
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    expect(text).toBe(sealosGitignore());
    expect(await ensureSealosGitignore(dir, io)).toBe(false);
  });
});
