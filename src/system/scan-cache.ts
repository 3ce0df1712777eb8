// The token tier's verdicts kept between analyses, per checkout, in the user's private cache directory.
// An entry is kept by path with the git blob id of the content it describes, and used only while git
// vouches the work-tree file still is that blob: a hit is exactly what scanning the file again would
// give. The file holds entries for paths the checkout still has: it stays as large as the
// repository's source, no larger.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanCache } from '../core/analysis/context.js';
import { validLightScan, type CachedScan } from '../core/analysis/source/cached-scan.js';
import { cacheRoot, processCacheEnv, readPrivateFile, writePrivateFile, type CacheEnv } from './private-cache.js';

declare const __SEALOS_SCAN_FINGERPRINT__: string | undefined;
/**
 * Identifies the analyzer that wrote an entry; scripts/build.mjs sets it from the sources. Running from
 * source there is none, and no cache unless a caller names one (tests).
 */
export const BUILD_SCAN_FINGERPRINT: string | null = typeof __SEALOS_SCAN_FINGERPRINT__ === 'string' ? __SEALOS_SCAN_FINGERPRINT__ : null;

export interface ScanCacheStore extends ScanCache {
  /** Writes the entries this checkout still uses when anything changed; false when nothing was written. */
  save(): boolean;
}

export interface ScanCacheOptions {
  /** Absolute path of the analyzed directory. */
  root: string;
  /** Blob id of each listed file whose work-tree content git vouches equals it. */
  blobs: ReadonlyMap<string, string>;
  fingerprint: string;
  cenv?: CacheEnv;
}

/**
 * On disk: a header, then `path NUL blob NUL verdict NUL` per file (git paths never hold NUL; the
 * verdict is JSON, which never does either). Loading splits the file once and parses a verdict only
 * when its file is asked for and the blob still matches: a 20,000-file checkout loads in a few
 * milliseconds instead of building every entry up front.
 *   verdict: 0 none · 1 ast · [2, why] gate · [3, env, imports, routes, flags, corsStar] light, where flags holds the
 *   text marks appGuard (1), dynamicEnv (2) and indexed (4). Format 3 kept only appGuard: a repeated analysis lost the
 *   other two, and with them the service's own env helpers and the setting maps of the files they marked.
 */
const HEADER = 'sealos-deploy scan cache 4';

function encode(e: CachedScan): string {
  switch (e.k) {
    case 'none':
      return '0';
    case 'ast':
      return '1';
    case 'gate':
      return JSON.stringify([2, e.why]);
    case 'light':
      return JSON.stringify([3, e.env, e.imp, e.routes, (e.marks.appGuard ? 1 : 0) | (e.marks.dynamicEnv ? 2 : 0) | (e.marks.indexed ? 4 : 0), e.marks.corsStar]);
  }
}

function decode(verdict: string): CachedScan | undefined {
  if (verdict === '0') return { k: 'none' };
  if (verdict === '1') return { k: 'ast' };
  let row: unknown;
  try {
    row = JSON.parse(verdict);
  } catch {
    return undefined;
  }
  if (!Array.isArray(row)) return undefined;
  if (row[0] === 2) return typeof row[1] === 'string' ? { k: 'gate', why: row[1] } : undefined;
  if (row[0] === 3) {
    const flags = row[4];
    if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 7) return undefined;
    return validLightScan({ env: row[1], imp: row[2], routes: row[3], marks: { appGuard: (flags & 1) !== 0, dynamicEnv: (flags & 2) !== 0, indexed: (flags & 4) !== 0, corsStar: row[5] } });
  }
  return undefined;
}

interface Loaded {
  /** The file's fields: path, blob, verdict, path, blob, verdict... */
  fields: string[];
  /** Index of each path in `fields`. */
  at: Map<string, number>;
}

/** The checkout's scan cache, or null when the user turned it off (SEALOS_DEPLOY_SCAN_CACHE=0). */
export function openScanCache({ root, blobs, fingerprint, cenv = processCacheEnv() }: ScanCacheOptions): ScanCacheStore | null {
  if (cenv.env.SEALOS_DEPLOY_SCAN_CACHE === '0' || !/^[A-Za-z0-9_-]{1,64}$/.test(fingerprint)) return null;
  const dir = cacheRoot(cenv);
  const rootId = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const file = join(dir, `scan-${fingerprint}-${rootId}`);
  let loaded: Loaded | null = null;
  let existed = false;
  const load = (): Loaded => {
    if (loaded) return loaded;
    loaded = { fields: [], at: new Map() };
    const raw = readPrivateFile(dir, file, cenv.uid);
    if (!raw) return loaded;
    existed = true;
    const fields = raw.toString('utf8').split('\0');
    // A foreign or torn file (its last record cut short): start over, it is rewritten on save.
    if (fields[0] !== HEADER || fields.pop() !== '' || (fields.length - 1) % 3 !== 0) return loaded;
    const at = new Map<string, number>();
    for (let i = 1; i < fields.length; i += 3) at.set(fields[i]!, i);
    loaded = { fields, at };
    return loaded;
  };
  const fresh = new Map<string, CachedScan>();
  let hits = 0;
  // SEALOS_DEPLOY_DEBUG=scan-cache: what the cache answered and wrote, on stderr (stdout may be a protocol).
  const debug = cenv.env.SEALOS_DEPLOY_DEBUG?.split(',').includes('scan-cache')
    ? (outcome: string) => process.stderr.write(`scan-cache: ${file}: ${hits} answered, ${fresh.size} new; ${outcome}\n`)
    : () => {};
  return {
    get hits() {
      return hits;
    },
    get(path) {
      const blob = blobs.get(path);
      if (blob === undefined) return undefined;
      const { fields, at } = load();
      const i = at.get(path);
      // The entry describes this path's content only while the blob is the same.
      if (i === undefined || fields[i + 1] !== blob) return undefined;
      const entry = decode(fields[i + 2]!);
      if (entry) hits++;
      return entry;
    },
    put(path, entry) {
      if (blobs.has(path)) fresh.set(path, entry);
    },
    save() {
      const { fields, at } = load();
      // Every entry on disk was used and none was added: the file is already right (and still in use).
      if (fresh.size === 0 && hits === at.size) {
        if (hits > 0) touch(file);
        debug('unchanged');
        return false;
      }
      const out = [HEADER];
      let kept = 0;
      for (const [path, i] of at)
        if (!fresh.has(path) && fields[i + 1] === blobs.get(path)) {
          out.push(path, fields[i + 1]!, fields[i + 2]!);
          kept++;
        }
      if (fresh.size === 0 && kept === at.size) {
        debug('unchanged');
        return false;
      }
      for (const [path, entry] of fresh) out.push(path, blobs.get(path)!, encode(entry));
      out.push('');
      const ok = writePrivateFile(dir, file, out.join('\0'), cenv.uid);
      debug(ok ? `wrote ${(out.length - 2) / 3} entries` : 'could not write (the directory is missing, not private, or read-only)');
      if (ok && !existed) pruneCacheFiles(dir, file, rootId);
      existed ||= ok;
      return ok;
    },
  };
}

const STALE_MS = 30 * 24 * 3600 * 1000;

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // An unused-looking cache is only dropped early.
  }
}

/**
 * Entries written by other analyzer builds for this checkout can never be used again, and a checkout
 * not analyzed for 30 days is likely gone: their files go when a new one is written.
 */
function pruneCacheFiles(dir: string, keep: string, rootId: string, now = Date.now()): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('scan-') || join(dir, name) === keep) continue;
      const path = join(dir, name);
      if (name.endsWith(`-${rootId}`) || now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    // Only disk space is at stake.
  }
}
