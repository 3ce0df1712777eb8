import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DeployError } from '../core/errors.js';

/**
 * An exclusive lockfile (`O_CREAT|O_EXCL`) holding `{pid, host, created_at, token}`.
 * A lock whose process is gone (same host) or that is older than `staleAfterMs` is taken over with a
 * warning; a live lock makes the caller wait up to `waitMs`, then fail with STATE_LOCKED.
 */
export interface LockOptions {
  /** A lock older than this is stale even if its pid looks alive (pid reuse, another host). Default 10 min. */
  staleAfterMs?: number;
  /** How long to wait for a live lock before STATE_LOCKED. Default 10 s. */
  waitMs?: number;
  pollMs?: number;
  onWarning?: (message: string) => void;
  /** Injected for tests; default signals the pid with 0. */
  isAlive?: (pid: number) => boolean;
  now?: () => number;
}

export interface LockInfo {
  pid: number;
  host: string;
  created_at: string;
  token: string;
}

export interface HeldLock {
  path: string;
  info: LockInfo;
  release(): Promise<void>;
}

/** An empty or half-written lockfile this old belongs to a writer that died between create and write. */
const UNREADABLE_GRACE_MS = 2_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(JSON.stringify(info));
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

type Existing = { kind: 'gone' } | { kind: 'info'; info: LockInfo; text: string } | { kind: 'unreadable'; ageMs: number; text: string };

async function readExisting(path: string, now: number): Promise<Existing> {
  let text: string;
  let mtime: number;
  try {
    [text, mtime] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw err;
  }
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.created_at === 'string' && typeof info.token === 'string') {
      return { kind: 'info', info: { pid: info.pid, host: String(info.host ?? ''), created_at: info.created_at, token: info.token }, text };
    }
  } catch {
    // fall through: unreadable
  }
  return { kind: 'unreadable', ageMs: now - mtime, text };
}

/**
 * Remove a stale lock without stealing a fresh one: move it aside atomically, and if what we moved is
 * not what we judged stale (another process took over and re-locked in between), put it back with
 * link(), which never overwrites.
 */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== null && moved !== staleText) {
    await link(aside, path).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  const waitMs = options.waitMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  const isAlive = options.isAlive ?? pidAlive;
  const now = options.now ?? Date.now;
  const host = hostname();
  const start = now();

  for (;;) {
    const info: LockInfo = { pid: process.pid, host, created_at: new Date(now()).toISOString(), token: randomBytes(8).toString('hex') };
    if (await tryCreate(path, info)) {
      return {
        path,
        info,
        async release() {
          // Only remove our own lock: after a takeover the file may belong to someone else.
          const cur = await readFile(path, 'utf8').catch(() => null);
          if (cur !== null && cur.includes(info.token)) await unlink(path).catch(() => {});
        },
      };
    }
    const existing = await readExisting(path, now());
    if (existing.kind === 'gone') continue;
    if (existing.kind === 'unreadable') {
      if (existing.ageMs > UNREADABLE_GRACE_MS) {
        options.onWarning?.(`Took over an unreadable lock file ${path} (left by a writer that died while creating it).`);
        await removeStale(path, existing.text);
        continue;
      }
    } else {
      const held = existing.info;
      const ageMs = now() - Date.parse(held.created_at);
      const deadPid = held.host === host && !isAlive(held.pid);
      if (deadPid || !(ageMs < staleAfterMs)) {
        const why = deadPid ? `process ${held.pid} is not running` : `it is ${Math.round(ageMs / 1000)} s old`;
        options.onWarning?.(`Took over a stale lock ${path} held by pid ${held.pid} on ${held.host || 'unknown host'} since ${held.created_at}: ${why}.`);
        await removeStale(path, existing.text);
        continue;
      }
      if (now() - start >= waitMs) {
        throw new DeployError(
          'STATE_LOCKED',
          `Another sealos-deploy process (pid ${held.pid} on ${held.host || 'unknown host'}, since ${held.created_at}) is writing ${path}.`,
          'Wait for it to finish and retry. If that process is gone for good, delete the lock file and retry.',
          { lock_path: path, pid: held.pid, host: held.host, created_at: held.created_at },
        );
      }
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
