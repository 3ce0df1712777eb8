import type { FileScan } from './scan.js';
import type { SourceRun } from './types.js';

const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"`]([^'"`\s]+)['"`]/g;

/** Per analysis: the scans by file, and each walk from an entry (several concerns ask from the same one). */
const memo = new WeakMap<SourceRun, { byFile: Map<string, FileScan>; walks: Map<string, Set<string>> }>();

function memoOf(run: SourceRun): { byFile: Map<string, FileScan>; walks: Map<string, Set<string>> } {
  let m = memo.get(run);
  if (!m) memo.set(run, (m = { byFile: new Map(run.scans.map((s) => [s.file, s])), walks: new Map() }));
  return m;
}

function textImports(run: SourceRun, file: string): string[] {
  return [...(run.index.text(file) ?? '').matchAll(SPEC)].map((m) => m[1]!);
}

/**
 * What a file imports, from its scan (the analysis's, else the token tier's), else from its text: a file with nothing any
 * concern looks for has no scan (mayMatter), but what it imports still loads (maildev's relay.ts imports nodemailer and
 * nothing else of note).
 */
export function importsOf(run: SourceRun, file: string): string[] {
  const scan = memoOf(run).byFile.get(file) ?? run.index.tiered(file);
  return scan ? [...scan.importSources] : textImports(run, file);
}

/** Files the entrypoint loads through relative imports, itself included (a file with no scan is read for its imports). */
export function loadedFrom(run: SourceRun, entry: string): ReadonlySet<string> {
  const { byFile, walks } = memoOf(run);
  const known = walks.get(entry);
  if (known) return known;
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0 && seen.size < 20_000) {
    const f = queue.pop()!;
    const s = byFile.get(f);
    // Relative imports only for a file with no scan: its text is matched, not parsed.
    const specs = s ? [...s.importSources] : textImports(run, f).filter((x) => x.startsWith('./') || x.startsWith('../'));
    for (const spec of specs) {
      const target = run.index.resolve(f, spec);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  walks.set(entry, seen);
  return seen;
}
