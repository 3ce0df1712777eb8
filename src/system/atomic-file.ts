import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateIo } from '../core/state/store.js';
import { withFileLock, type LockOptions } from './file-lock.js';
import { makeDirs } from './make-dirs.js';

/**
 * Test hook: milliseconds to pause after the temp file is durable and before the rename, so a test
 * can SIGKILL a writer in the window where a non-atomic writer would leave a truncated file.
 */
export const RENAME_DELAY_ENV = 'SEALOS_DEPLOY_TEST_RENAME_DELAY_MS';

async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    // Some platforms/filesystems refuse fsync on a directory; the rename itself is still atomic.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * Replace `path` with `data` so readers see either the old or the new complete file, never a mix:
 * temp file in the same directory (same filesystem, so rename is atomic) → write → fsync → rename →
 * fsync the directory (so the rename survives a crash).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await makeDirs(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const delay = Number(process.env[RENAME_DELAY_ENV] ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fsyncDir(dir);
}

/** File text, or null when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The real `StateIo`: atomic writes and a pid lockfile on the local filesystem. */
export function nodeStateIo(lock: LockOptions = {}): StateIo {
  return {
    readText: readTextIfExists,
    writeAtomic: (path, text) => writeFileAtomic(path, text),
    async rename(from, to) {
      await rename(from, to);
      await fsyncDir(dirname(to));
    },
    withLock: (lockPath, fn) => withFileLock(lockPath, fn, lock),
  };
}
