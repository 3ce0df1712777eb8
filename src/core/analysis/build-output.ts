import { posix } from 'node:path';
import type { AnalysisContext } from './context.js';
import { parseJsonc } from './source/modules.js';

/** Maps a build output (`dist/server.js`) back to its source (`src/server.ts`) when the output is not committed. */
export function entrySource(index: { has(path: string): boolean }, entry: string | null, unit: string, outDirs: ReadonlyArray<{ out: string; src: string }> = []): string | null {
  if (!entry) return null;
  if (index.has(entry)) return entry;
  const prefix = unit ? unit + '/' : '';
  const rel = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
  const stem = rel.replace(/\.[cm]?jsx?$/, '');
  const bases = [stem, stem.replace(/^(dist|build|out|lib|\.output)\//, 'src/'), stem.replace(/^(dist|build|out|lib)\//, ''), stem.replace(/^(dist|build|out|lib)\/src\//, 'src/')];
  // A tsconfig elsewhere that compiles into the entry's directory (jellyseerr's server/tsconfig.json, outDir ../dist).
  for (const o of outDirs) if (stem.startsWith(o.out + '/')) bases.push(posix.join(o.src, stem.slice(o.out.length + 1)));
  for (const b of bases)
    for (const ext of ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'])
      if (index.has(prefix + b + ext)) return prefix + b + ext;
  return null;
}

/** Where the unit's tsconfig files (one level of directories down at most) compile to, unit-relative: `{ out: 'dist', src: 'server' }`. */
export function tsOutDirs(ctx: AnalysisContext): Array<{ out: string; src: string }> {
  const prefix = ctx.unit ? ctx.unit + '/' : '';
  const out: Array<{ out: string; src: string }> = [];
  for (const f of ctx.unitFiles) {
    const rel = f.slice(prefix.length);
    if (!/^([^/]+\/)?tsconfig[\w.-]*\.json$/.test(rel)) continue;
    const json = parseJsonc(ctx.repo.read(f) ?? '') as { compilerOptions?: { outDir?: unknown; rootDir?: unknown } } | null;
    const outDir = json?.compilerOptions?.outDir;
    if (typeof outDir !== 'string') continue;
    const dir = posix.dirname(rel);
    const root = typeof json?.compilerOptions?.rootDir === 'string' ? posix.join(dir, json.compilerOptions.rootDir) : dir;
    const o = posix.normalize(posix.join(dir, outDir)).replace(/\/$/, '');
    if (!o.startsWith('..') && o !== '.') out.push({ out: o, src: root === '.' ? '' : root });
  }
  return out;
}
