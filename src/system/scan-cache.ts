// The token tier's verdicts kept between analyses, per checkout, in the user's private cache directory.
// An entry is kept by path with the git blob id of the content it describes, and used only while git
// vouches the work-tree file still is that blob: a hit is exactly what scanning the file again would
// give. The file holds entries for paths the checkout still has: it stays as large as the
// repository's source, no larger.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanCache } from '../core/analysis/context.js';
import { validCachedScan, type CachedScan } from '../core/analysis/source/cached-scan.js';
import { cacheRoot, processCacheEnv, readPrivateFile, writePrivateFile, type CacheEnv } from './private-cache.js';

declare const __SEALOS_SCAN_FINGERPRINT__: string | undefined;
/**
 * Identifies the analyzer that wrote an entry; scripts/build.mjs sets it from the sources. Running from
 * source there is none, and no cache unless a caller names one (tests).
 */
export const BUILD_SCAN_FINGERPRINT: string | null = typeof __SEALOS_SCAN_FINGERPRINT__ === 'string' ? __SEALOS_SCAN_FINGERPRINT__ : null;

export interface ScanCacheStore extends ScanCache {
  readonly file: string;
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
 * On disk, by path: `[blob, kind, ...]` with flat arrays (a third of the objects to parse and keep):
 *   none [blob, 0] · ast [blob, 1] · gate [blob, 2, why]
 *   light [blob, 3, [name, start, def, via, ...], [import, ...], [method, path, offset, ...], appGuard (0|1), corsStar]
 */
type Row = unknown[];
interface CacheFile {
  v: 2;
  entries: Record<string, Row>;
}

function encode(blob: string, e: CachedScan): Row {
  switch (e.k) {
    case 'none':
      return [blob, 0];
    case 'ast':
      return [blob, 1];
    case 'gate':
      return [blob, 2, e.why];
    case 'light':
      return [blob, 3, e.env, e.imp, e.routes, e.marks.appGuard ? 1 : 0, e.marks.corsStar];
  }
}

function decode(row: Row): CachedScan | undefined {
  switch (row[1]) {
    case 0:
      return { k: 'none' };
    case 1:
      return { k: 'ast' };
    case 2:
      return validCachedScan({ k: 'gate', why: row[2] });
    case 3:
      return validCachedScan({ k: 'light', env: row[2], imp: row[3], routes: row[4], marks: { appGuard: row[5] === 1, corsStar: row[6] } });
    default:
      return undefined;
  }
}

/** The checkout's scan cache, or null when the user turned it off (SEALOS_DEPLOY_SCAN_CACHE=0). */
export function openScanCache({ root, blobs, fingerprint, cenv = processCacheEnv() }: ScanCacheOptions): ScanCacheStore | null {
  if (cenv.env.SEALOS_DEPLOY_SCAN_CACHE === '0' || !/^[A-Za-z0-9_-]{1,64}$/.test(fingerprint)) return null;
  const dir = cacheRoot(cenv);
  const rootId = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const file = join(dir, `scan-${fingerprint}-${rootId}.json`);
  let loaded: Record<string, Row> | null = null;
  let existed = false;
  const load = (): Record<string, Row> => {
    if (loaded) return loaded;
    loaded = {};
    const raw = readPrivateFile(dir, file, cenv.uid);
    if (!raw) return loaded;
    existed = true;
    try {
      const doc = JSON.parse(raw.toString('utf8')) as CacheFile;
      if (doc && doc.v === 2 && doc.entries && typeof doc.entries === 'object') loaded = doc.entries;
    } catch {
      // A torn or foreign file: start over, it is rewritten on save.
    }
    return loaded;
  };
  const fresh = new Map<string, Row>();
  const served = new Set<string>();
  let hits = 0;
  return {
    file,
    get hits() {
      return hits;
    },
    get(path) {
      const blob = blobs.get(path);
      if (blob === undefined) return undefined;
      const row = Object.hasOwn(load(), path) ? loaded![path] : undefined;
      // The entry describes this path's content only while the blob is the same.
      if (!Array.isArray(row) || row[0] !== blob) return undefined;
      const entry = decode(row);
      if (entry) {
        served.add(path);
        hits++;
      }
      return entry;
    },
    put(path, entry) {
      const blob = blobs.get(path);
      if (blob !== undefined) fresh.set(path, encode(blob, entry));
    },
    save() {
      const old = load();
      const oldPaths = Object.keys(old);
      // Every entry on disk was used and none was added: the file is already right.
      if (fresh.size === 0 && served.size === oldPaths.length) return false;
      const entries: Record<string, Row> = {};
      let kept = 0;
      for (const path of oldPaths) {
        const row = old[path];
        if (!fresh.has(path) && Array.isArray(row) && row[0] === blobs.get(path)) {
          entries[path] = row;
          kept++;
        }
      }
      if (fresh.size === 0 && kept === oldPaths.length) return false;
      for (const [path, row] of fresh) entries[path] = row;
      const ok = writePrivateFile(dir, file, JSON.stringify({ v: 2, entries } satisfies CacheFile), cenv.uid);
      if (ok && !existed) dropOtherBuilds(dir, file, rootId);
      existed ||= ok;
      return ok;
    },
  };
}
/** Entries written by other analyzer builds for this checkout can never be used again. */
function dropOtherBuilds(dir: string, keep: string, rootId: string): void {
  try {
    for (const name of readdirSync(dir))
      if (name.startsWith('scan-') && name.endsWith(`-${rootId}.json`) && join(dir, name) !== keep) rmSync(join(dir, name), { force: true });
  } catch {
    // Only disk space is at stake.
  }
}
