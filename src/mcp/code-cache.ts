// A per-user V8 code cache for the MCP server bundle. Agents spawn `sealos-deploy mcp` for every
// session and wait for tools/list; compiling ~1.4 MB of JavaScript is a third of that wait. Node 20
// has no module.enableCompileCache (22+), so the launcher compiles the CommonJS bundle with
// vm.Script and keeps the compiled code here. Only node builtins: this loads before everything else.
import { join } from 'node:path';
import { cacheRoot, processCacheEnv, readPrivateFile, writePrivateFile, type CacheEnv } from '../system/private-cache.js';

export { processCacheEnv, type CacheEnv } from '../system/private-cache.js';

/** Where compiled code is kept, or null when the user turned the cache off (SEALOS_DEPLOY_CODE_CACHE=0). */
export function cacheDir(cenv: CacheEnv): string | null {
  return cenv.env.SEALOS_DEPLOY_CODE_CACHE === '0' ? null : cacheRoot(cenv);
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
    read: () => readPrivateFile(dir, file, cenv.uid),
    write: (data) => writePrivateFile(dir, file, data, cenv.uid),
  };
}
