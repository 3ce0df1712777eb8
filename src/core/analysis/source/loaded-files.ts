import type { FileScan } from './scan.js';
import type { SourceRun } from './types.js';

const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"`]([^'"`\s]+)['"`]/g;

/**
 * What a file imports, from its scan, else from its text: a file with nothing any concern looks for has no scan
 * (mayMatter), but what it imports still loads (maildev's relay.ts imports nodemailer and nothing else of note).
 */
export function importsOf(run: SourceRun, file: string, scan: FileScan | null | undefined): string[] {
  return scan ? [...scan.importSources] : [...(run.index.text(file) ?? '').matchAll(SPEC)].map((m) => m[1]!);
}

/** Files the entrypoint loads through relative imports, itself included (a file with no scan is read for its imports). */
export function loadedFrom(run: SourceRun, entry: string, scans: ReadonlyMap<string, FileScan>): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0 && seen.size < 20_000) {
    const f = queue.pop()!;
    const s = scans.get(f);
    // Relative imports only for a file with no scan: its text is matched, not parsed.
    const specs = s ? [...s.importSources] : importsOf(run, f, s).filter((x) => x.startsWith('./') || x.startsWith('../'));
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
