// A per-user V8 code cache for the MCP server bundle. Agents spawn `sealos-deploy mcp` for every
// session and wait for tools/list; compiling ~1.4 MB of JavaScript is a third of that wait. Node 20
// has no module.enableCompileCache (22+), so the launcher compiles the CommonJS bundle with
// vm.Script and keeps the compiled code here. Only node builtins: this loads before everything else.
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CacheEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** The current user; undefined on Windows, where POSIX ownership does not apply. */
  uid: number | undefined;
}

export const processCacheEnv = (): CacheEnv => ({ env: process.env, platform: process.platform, home: homedir(), uid: process.getuid?.() });

/** Where compiled code is kept, or null when the user turned the cache off (SEALOS_DEPLOY_CODE_CACHE=0). */
export function cacheDir({ env, platform, home }: CacheEnv): string | null {
  if (env.SEALOS_DEPLOY_CODE_CACHE === '0') return null;
  if (env.SEALOS_DEPLOY_CACHE_DIR) return env.SEALOS_DEPLOY_CACHE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'sealos-deploy', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'sealos-deploy');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'sealos-deploy');
}

/**
 * Compiled code runs with the user's rights, so it is only read from and written to a directory the
 * user owns and nobody else can write (a shared or planted cache would be code injection).
 */
function isPrivate(path: string, kind: 'dir' | 'file', uid: number | undefined): boolean {
  const st = lstatSync(path);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) return false;
  return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
}

export interface CodeCache {
  /** The cached bytes, or undefined when there is none (or it is not safe to use). */
  read(): Buffer | undefined;
  /** Atomically replaces the cache; never throws: a cache that cannot be written only costs time. */
  write(data: Buffer): boolean;
  readonly file: string;
}

/**
 * The cache file for one bundle build on one Node version and architecture. The bundle id is a hash
 * of the bundle's bytes: V8 checks only the source length and its own flags before it trusts a cache.
 */
export function openCodeCache(bundleId: string, cenv: CacheEnv = processCacheEnv()): CodeCache | null {
  const dir = cacheDir(cenv);
  if (!dir) return null;
  const file = join(dir, `mcp-server-${bundleId}-${process.version}-${process.arch}.v8cache`);
  return {
    file,
    read() {
      try {
        return isPrivate(dir, 'dir', cenv.uid) && isPrivate(file, 'file', cenv.uid) ? readFileSync(file) : undefined;
      } catch {
        return undefined;
      }
    },
    write(data) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!isPrivate(dir, 'dir', cenv.uid)) return false;
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
    },
  };
}
