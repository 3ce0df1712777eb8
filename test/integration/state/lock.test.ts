import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import { systemClock } from '../../../src/core/ports.js';
import { loadState, recordRelease } from '../../../src/core/state/store.js';
import { nodeStateIo } from '../../../src/system/atomic-file.js';
import { acquireFileLock } from '../../../src/system/file-lock.js';
import { truthFor } from '../../unit/state/helpers.js';
import { startChild } from './spawn.js';

let dir: string;

async function seed(): Promise<void> {
  const image = 'ghcr.io/acme/web:v1';
  await recordRelease(
    dir,
    {
      action: 'deploy',
      image,
      target: { app_name: 'web', app_host: 'web-h', namespace: 'ns-abc12345', region: 'usw-1.sealos.io', repo_name: 'web', docker_hub_user: null, url: 'https://web-h.usw-1.sealos.app' },
    },
    truthFor({ app_name: 'web', namespace: 'ns-abc12345', image, url: 'https://web-h.usw-1.sealos.app' }),
    { io: nodeStateIo(), clock: systemClock },
  );
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('state lock across processes', () => {
  it('two concurrent writers: every entry from both lands, none lost', async () => {
    await seed();
    const a = startChild(['append', dir, '12', 'A', '0']);
    const b = startChild(['append', dir, '12', 'B', '0']);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code, a.stderr(), b.stderr()]).toEqual([0, 0, '', '']);
    const loaded = await loadState(dir, nodeStateIo());
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok') return;
    const notes = loaded.state.history.slice(1).map((e) => e.note);
    expect(notes).toHaveLength(24);
    for (const tag of ['A', 'B']) {
      // Each writer's own entries stay in its order.
      expect(notes.filter((n) => n!.startsWith(`${tag}-`))).toEqual(Array.from({ length: 12 }, (_, i) => `${tag}-${i + 1}`));
    }
  });

  it('a live lock held by another process → STATE_LOCKED naming it; once that process dies the lock is taken over with a warning', async () => {
    const lockPath = join(dir, 'state.json.lock');
    const holder = startChild(['hold', lockPath, '60000']);
    await holder.waitFor(/^locked$/);
    try {
      const err = await acquireFileLock(lockPath, { waitMs: 300, pollMs: 20 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeployError);
      expect((err as DeployError).code).toBe('STATE_LOCKED');
      expect((err as DeployError).details?.pid).toBe(holder.proc.pid);
    } finally {
      holder.proc.kill('SIGKILL');
    }
    await holder.exited;
    const warnings: string[] = [];
    const lock = await acquireFileLock(lockPath, { waitMs: 300, onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`pid ${holder.proc.pid}.*process ${holder.proc.pid} is not running`));
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('a lock older than the stale limit is taken over even if its pid is alive', async () => {
    const lockPath = join(dir, 'state.json.lock');
    const old = new Date(Date.now() - 20 * 60_000).toISOString();
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), created_at: old, token: 'old' }));
    const warnings: string[] = [];
    const lock = await acquireFileLock(lockPath, { staleAfterMs: 10 * 60_000, waitMs: 0, onWarning: (w) => warnings.push(w) });
    expect(warnings[0]).toMatch(/stale lock .* s old/);
    await lock.release();
    // Release removes only our own lock file.
    await expect(readFile(lockPath, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a writer blocked on a corrupt state exits with STATE_CORRUPT and leaves the bytes alone', async () => {
    const text = '{"version":"1.0","last_deploy":{"app_name":"web"},"history":[]}';
    await writeFile(join(dir, 'state.json'), text);
    const c = startChild(['append', dir, '1', 'C', '0']);
    const { code } = await c.exited;
    expect(code).toBe(3);
    expect(c.stderr().trim()).toBe('STATE_CORRUPT');
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(text);
  });
});
