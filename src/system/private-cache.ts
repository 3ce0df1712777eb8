// Per-user cache files (compiled code, source scans). What a cache holds steers what runs or what the
// analysis reports, so it is only read from and written to a directory the user owns and nobody else
// can write: a shared or planted cache would be injection. Only node builtins: the MCP launcher loads
// this before everything else.
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeDirsSync } from './make-dirs.js';

export interface CacheEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** The current user; undefined on Windows, where POSIX ownership does not apply. */
  uid: number | undefined;
}

export const processCacheEnv = (): CacheEnv => ({ env: process.env, platform: process.platform, home: homedir(), uid: process.getuid?.() });

/** The user's cache directory for sealos-deploy (SEALOS_DEPLOY_CACHE_DIR moves it). */
export function cacheRoot({ env, platform, home }: CacheEnv): string {
  if (env.SEALOS_DEPLOY_CACHE_DIR) return env.SEALOS_DEPLOY_CACHE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'sealos-deploy', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'sealos-deploy');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'sealos-deploy');
}

function isPrivate(path: string, kind: 'dir' | 'file', uid: number | undefined): boolean {
  const st = lstatSync(path);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
}

/** The file's bytes when it and its directory are the user's alone; undefined otherwise (or when absent). */
export function readPrivateFile(dir: string, file: string, uid: number | undefined): Buffer | undefined {
  try {
    return isPrivate(dir, 'dir', uid) && isPrivate(file, 'file', uid) ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Atomically replaces `file` in a private `dir` (made 0700 when missing); never throws: a cache that cannot be written only costs time. */
export function writePrivateFile(dir: string, file: string, data: string | Buffer, uid: number | undefined): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDirsSync(dir, 0o700);
    if (!isPrivate(dir, 'dir', uid)) return false;
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The directory itself is unusable; there is no temp file to remove.
    }
    return false;
  }
}
