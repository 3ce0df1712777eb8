// Directories the server serves that the repository does not have: audiobookshelf serves client/dist (`Path.join(
// global.appRoot, '/client/dist')`), docmost apps/client/dist (`join(__dirname, '..', '..', '..', '..', 'client/dist')`),
// automatisch packages/web/build. Another package's build makes them; an image of the server alone serves a 404 for
// every page while its health check passes.
import { posix } from 'node:path';
import type { Evidence } from '../../evidence.js';
import { args, child, identName, memberProp, stringValue, unwrap, type Node } from './ast.js';
import { findBinding } from './modules.js';
import { callsNamed, type FileScan } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

/** A repo-relative directory the code computes that holds no committed file, with where. */
export interface ServedPath {
  path: string;
  evidence: Evidence;
}

// Where an app keeps its root: `global.appRoot = __dirname` in the entry (audiobookshelf), `ROOT_DIR`.
const ROOT_NAMES = /^(appRoot|APP_ROOT|rootDir|ROOT_DIR|ROOT_PATH|projectRoot|PROJECT_ROOT)$/;
// The last segment of a build's output directory.
const OUTPUT_DIR = /^(dist|build|out|\.output|www|public|browser)$/;

/** The path an expression computes, repo-relative ('' = the repository root); null when it cannot be followed. */
function pathOf(n: Node | null, scan: FileScan, unit: string, depth = 0): string | null {
  const u = unwrap(n);
  if (!u || depth > 6) return null;
  const dir = posix.dirname(scan.file);
  const s = stringValue(u);
  if (s !== null) return s;
  if (u.type === 'Identifier') {
    if (u.name === '__dirname') return dir;
    if (ROOT_NAMES.test(u.name as string)) return unit;
    const b = findBinding(scan, u.name as string, u.start);
    return b && !b.fn && b.key === null && b.init ? pathOf(b.init, scan, unit, depth + 1) : null;
  }
  if (u.type === 'MemberExpression') return ROOT_NAMES.test(memberProp(u) ?? '') ? unit : null;
  if (u.type === 'CallExpression') {
    const callee = unwrap(child(u, 'callee'));
    const name = identName(callee) ?? memberProp(callee);
    const a = args(u);
    // `process.cwd()`: the image runs the server in the unit's directory.
    if (name === 'cwd') return unit;
    // ESM's `dirname(fileURLToPath(import.meta.url))`.
    if (name === 'fileURLToPath') return scan.file;
    if (name === 'dirname' && a.length === 1) {
      const p = pathOf(a[0]!, scan, unit, depth + 1);
      return p === null ? null : p === scan.file ? dir : posix.dirname(p);
    }
    if (name === 'join' || name === 'resolve') {
      const parts = a.map((x) => pathOf(x, scan, unit, depth + 1));
      if (parts.length === 0 || parts.some((p) => p === null)) return null;
      // Only paths anchored at a directory of the code (__dirname, the root, cwd): a bare relative join could be anything.
      const first = unwrap(a[0]!);
      if (stringValue(first) !== null) return null;
      let out = parts[0]!;
      for (const p of parts.slice(1) as string[]) {
        // resolve() restarts at an absolute segment, somewhere outside the repository.
        if (name === 'resolve' && p.startsWith('/')) return null;
        out = posix.join(out || '.', p);
      }
      return out;
    }
  }
  return null;
}

/** Directories the unit's code builds paths to whose last segment is a build output, and that git does not have. */
export function servedPaths(run: SourceRun): ServedPath[] {
  const { ctx } = run;
  const out = new Map<string, ServedPath>();
  for (const s of run.astScans)
    for (const call of callsNamed(s, 'join', 'resolve')) {
      const p = pathOf(call, s, ctx.unit);
      if (p === null) continue;
      let norm = posix.normalize(p).replace(/\/+$/, '');
      // `join(dist, 'index.html')`: the directory it is in.
      if (/\.[a-z]+$/i.test(norm.slice(norm.lastIndexOf('/') + 1))) norm = posix.dirname(norm);
      if (norm.startsWith('..') || norm.startsWith('/') || norm === '.' || !OUTPUT_DIR.test(norm.slice(norm.lastIndexOf('/') + 1)) || out.has(norm)) continue;
      if (ctx.repo.files.some((f) => f.startsWith(norm + '/'))) continue;
      out.set(norm, { path: norm, evidence: nodeEvidence(s, call.start, 'served-path') });
    }
  return [...out.values()];
}
