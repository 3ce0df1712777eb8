import type { FileScan } from './scan.js';
import type { SourceRun } from './types.js';

const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"`](\.{1,2}\/[^'"`\s]*)['"`]/g;

/** Files the entrypoint loads through relative imports, itself included (a file with no scan is read for its imports). */
export function loadedFrom(run: SourceRun, entry: string, scans: ReadonlyMap<string, FileScan>): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0 && seen.size < 20_000) {
    const f = queue.pop()!;
    const s = scans.get(f);
    const specs = s ? [...s.importSources] : [...(run.index.text(f) ?? '').matchAll(SPEC)].map((m) => m[1]!);
    for (const spec of specs) {
      const target = run.index.resolve(f, spec);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}
