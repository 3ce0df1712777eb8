import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import { acquireFileLock, withFileLock } from '../../../src/system/file-lock.js';

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'));
  lockPath = join(dir, 'state.json.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file lock', () => {
  it('writes pid, host and time; releases on completion and on error', async () => {
    await withFileLock(lockPath, async () => {
      const info = JSON.parse(await readFile(lockPath, 'utf8'));
      expect(info).toMatchObject({ pid: process.pid, host: hostname() });
      expect(Date.parse(info.created_at)).not.toBeNaN();
    });
    await expect(readFile(lockPath)).rejects.toThrow(/ENOENT/);
    await expect(withFileLock(lockPath, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(readFile(lockPath)).rejects.toThrow(/ENOENT/);
  });

  it('a live lock (this very process, fresh) → STATE_LOCKED after the wait, with the holder in details', async () => {
    const held = await acquireFileLock(lockPath);
    const err = await acquireFileLock(lockPath, { waitMs: 100, pollMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect((err as DeployError).code).toBe('STATE_LOCKED');
    expect((err as DeployError).details).toMatchObject({ pid: process.pid, lock_path: lockPath });
    expect((err as DeployError).next).toMatch(/Wait/);
    await held.release();
  });

  it('a dead pid on this host is stale: taken over with a warning', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 424242, host: hostname(), created_at: new Date().toISOString(), token: 't' }));
    const warnings: string[] = [];
    const lock = await acquireFileLock(lockPath, { isAlive: (pid) => pid !== 424242, waitMs: 0, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/pid 424242 .*process 424242 is not running/)]);
    await lock.release();
  });

  it('a pid on another host cannot be checked: only age makes it stale', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 424242, host: 'other-host', created_at: new Date().toISOString(), token: 't' }));
    const err = await acquireFileLock(lockPath, { isAlive: () => false, waitMs: 50, pollMs: 10 }).catch((e: unknown) => e);
    expect((err as DeployError).code).toBe('STATE_LOCKED');
  });

  it('an empty lock file left by a writer that died while creating it is taken over once it is old', async () => {
    await writeFile(lockPath, '');
    const past = new Date(Date.now() - 60_000);
    await utimes(lockPath, past, past);
    const warnings: string[] = [];
    const lock = await acquireFileLock(lockPath, { waitMs: 0, onWarning: (w) => warnings.push(w) });
    expect(warnings[0]).toMatch(/unreadable lock/);
    await lock.release();
  });

  it('release never removes a lock that now belongs to someone else', async () => {
    const lock = await acquireFileLock(lockPath);
    const other = JSON.stringify({ pid: 1, host: hostname(), created_at: new Date().toISOString(), token: 'someone-else' });
    await writeFile(lockPath, other);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(other);
  });
});
