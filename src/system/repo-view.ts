import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { RepoView } from '../core/analysis/context.js';
import { parsePorcelainZ } from '../core/git-porcelain.js';
import type { Runner } from '../core/ports.js';
import type { CacheEnv } from './private-cache.js';
import { BUILD_SCAN_FINGERPRINT, openScanCache, type ScanCacheStore } from './scan-cache.js';

/** Files larger than this are not read: generated bundles and data, not the service's code. */
export const MAX_FILE_BYTES = 1024 * 1024;
const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

async function gitLines(runner: Runner, cwd: string, args: string[]): Promise<string[] | null> {
  const r = await runner.run('git', args, { cwd, timeoutMs: 30_000 });
  if (r.exitCode !== 0) return null;
  return r.stdout.split('\0').filter(Boolean);
}

interface GitFacts extends Omit<NonNullable<RepoView['git']>, 'dirty'> {
  modified: boolean;
  /** Tracked paths (relative to root) whose work-tree content differs from the index. */
  changed: Set<string>;
  /** False when the changed paths could not be placed relative to root (no commit yet). */
  changedKnown: boolean;
}

async function gitFacts(runner: Runner, root: string): Promise<GitFacts> {
  const one = async (args: string[]) => {
    const r = await runner.run('git', args, { cwd: root, timeoutMs: 10_000 });
    return r.exitCode === 0 ? r.stdout.trim() || null : null;
  };
  // Each git process costs tens of milliseconds to start on a busy machine: ask rev-parse its questions at once.
  const [revs, status, remote] = await Promise.all([
    runner.run('git', ['rev-parse', '--show-prefix', 'HEAD', '--abbrev-ref', 'HEAD'], { cwd: root, timeoutMs: 10_000 }),
    // Untracked files come from the listing: status need not walk the tree for them a second time.
    runner.run('git', ['status', '--porcelain', '-z', '--untracked-files=no', '--', '.'], { cwd: root, timeoutMs: 30_000 }),
    one(['config', '--get', 'remote.origin.url']),
  ]);
  // Without a first commit rev-parse fails: no commit, no branch (and the prefix is not trusted).
  const [prefix, commit, branch] = revs.exitCode === 0 ? revs.stdout.split('\n').map((l) => l.trim()) : [null, null, null];
  // Porcelain paths are relative to the top of the repository, whatever the directory.
  const changed = new Set<string>();
  const entries = status.exitCode === 0 ? parsePorcelainZ(status.stdout) : [];
  for (const e of entries) if (e.y !== ' ' && prefix !== null && e.path.startsWith(prefix)) changed.add(e.path.slice(prefix.length));
  return {
    commit: commit || null,
    branch: !branch || branch === 'HEAD' ? null : branch,
    modified: entries.length > 0,
    remote,
    changed,
    changedKnown: prefix !== null && status.exitCode === 0,
  };
}

const NOFOLLOW = constants.O_NOFOLLOW as number | undefined;
// O_NONBLOCK: opening a FIFO must not wait for a writer.
const READ_FLAGS = constants.O_RDONLY | (NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

// Where big files live: lockfiles, build output, bundles, source maps, vendored and static assets.
// These are sized before they are read; everything else is read in one call and sized after.
const BULKY = /(^|\/)(dist|build|built|out|public|static|assets|vendor|coverage|\.next|\.output)\/|\.min\.[cm]?js$|\.map$|(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock)$/;

type ReadOutcome = string | 'symlink' | 'special' | 'large' | 'binary';

/**
 * A regular file's text, never through a symlink. With O_NOFOLLOW a source file is one native call
 * (open, read, decode, close), as cheap as reading can be: reading every file is the floor of analysis.
 * Its size is judged after reading. A file where big ones live is opened and sized first, so a 20 MB
 * bundle or lockfile is never read only to be dropped.
 */
function readRegular(abs: string, path: string, max = MAX_FILE_BYTES): ReadOutcome {
  if (NOFOLLOW === undefined) {
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) return 'symlink';
    if (!st.isFile()) return 'special';
    if (st.size > max) return 'large';
    return textOf(readFileSync(abs, 'utf8'));
  }
  return BULKY.test(path) ? readSized(abs, max) : readWhole(abs, max);
}

function openError(err: unknown): 'symlink' | 'special' | 'large' {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symlink';
  // A FIFO without a writer, a socket, a directory where git listed a file.
  if (code === 'EAGAIN' || code === 'ENXIO' || code === 'EISDIR') return 'special';
  if (code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG') return 'large';
  throw err;
}

function readWhole(abs: string, max: number): ReadOutcome {
  let text: string;
  try {
    // Numeric flags reach open(2) as they are (the typings only admit strings such as 'r').
    text = readFileSync(abs, { encoding: 'utf8', flag: READ_FLAGS as unknown as string });
  } catch (err) {
    return openError(err);
  }
  // Characters never outnumber UTF-8 bytes: count bytes only when it could matter.
  if (text.length > max || (text.length * 3 > max && Buffer.byteLength(text) > max)) return 'large';
  return textOf(text);
}

function readSized(abs: string, max: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(abs, READ_FLAGS);
  } catch (err) {
    return openError(err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'special';
    if (st.size > max) return 'large';
    return textOf(readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/** A NUL byte in the first 8000 bytes marks a binary file. */
function textOf(text: string): string | 'binary' {
  const nul = text.indexOf('\0');
  return nul !== -1 && nul < 8000 && Buffer.byteLength(text.slice(0, nul)) < 8000 ? 'binary' : text;
}

const SKIPPED_SEGMENT = /(^|\/)(node_modules|\.git|\.hg|\.svn)(\/|$)/;

function skipPath(path: string): boolean {
  return SKIPPED_SEGMENT.test(path);
}

/** Walks a non-git directory, honouring every .gitignore on the way down; symlinks are never followed. */
function walkFs(root: string, skipped: Array<{ file: string; reason: string }>): string[] {
  const out: string[] = [];
  const visit = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      skipped.push({ file: toPosix(relative(root, dir)) || '.', reason: 'unreadable directory' });
      return;
    }
    let local = rules;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      try {
        local = [...rules, { base: toPosix(relative(root, dir)), ig: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* unreadable .gitignore: keep parent rules */
      }
    }
    for (const e of entries) {
      if (ALWAYS_SKIPPED_DIRS.has(e.name)) continue;
      const abs = join(dir, e.name);
      const rel = toPosix(relative(root, abs));
      const ignored = local.some(({ base, ig }) => {
        const sub = base ? rel.slice(base.length + 1) : rel;
        return ig.ignores(e.isDirectory() ? sub + '/' : sub);
      });
      if (ignored) continue;
      if (e.isSymbolicLink()) {
        skipped.push({ file: rel, reason: 'symlink (not followed)' });
      } else if (e.isDirectory()) {
        visit(abs, local);
      } else if (e.isFile()) {
        out.push(rel);
      }
    }
  };
  visit(root, []);
  return out.sort();
}

export interface OpenRepoOptions {
  /**
   * The scan cache: by default the build's own (none when running from source); false turns it off.
   * Tests name a fingerprint and a cache environment.
   */
  scanCache?: { fingerprint: string; cenv?: CacheEnv } | false;
}

/** A RepoView of a local checkout; `scanCache.save()` keeps what this analysis learned for the next one. */
export interface LocalRepoView extends RepoView {
  readonly scanCache: ScanCacheStore | null;
}

/**
 * Builds a RepoView of `root`. Inside a git checkout the listing is what git reports
 * (tracked + untracked-not-ignored), so ignored paths are never read; elsewhere a walk
 * that honours .gitignore files. Files are read lazily, once.
 */
export async function openRepoView(root: string, runner: Runner, opts: OpenRepoOptions = {}): Promise<LocalRepoView> {
  const skipped: Array<{ file: string; reason: string }> = [];
  // Every git question at once: `git status` over a large tree costs as much as the listing.
  // One ls-files lists tracked paths with their staged blob (tagged H, S, M...: `H <mode> <blob> <stage>\t<path>`;
  // -v tags files marked assume-unchanged in lower case: status would not report their changes) and
  // untracked-not-ignored ones (tagged ?), relative to root.
  const [listing, facts] = await Promise.all([gitLines(runner, root, ['ls-files', '-z', '-s', '-v', '--cached', '--others', '--exclude-standard', '--', '.']), gitFacts(runner, root)]);
  let files: string[];
  let tracked: Set<string> | null = null;
  let git: RepoView['git'] = null;
  // Blob ids git vouches for: tracked, merged, a regular file, unchanged in the work tree.
  const blobs = new Map<string, string>();
  if (listing) {
    tracked = new Set();
    const all = new Set<string>();
    let untracked = false;
    for (const entry of listing) {
      if (entry.charCodeAt(0) === 63) {
        untracked = true;
        all.add(entry.slice(2));
        continue;
      }
      // `H 100644 <blob> 0\t<path>`: fixed offsets, no splitting (20,000 entries in a large repository).
      const tab = entry.indexOf('\t');
      const path = entry.slice(tab + 1);
      tracked.add(path);
      all.add(path);
      const regular = entry.charCodeAt(0) === 72 && entry.charCodeAt(tab - 1) === 48 && (entry.startsWith('100644 ', 2) || entry.startsWith('100755 ', 2));
      if (regular && tab > 11) blobs.set(path, entry.slice(9, tab - 2));
      else blobs.delete(path);
    }
    files = [...all].filter((f) => !skipPath(f)).sort();
    const { modified, changed, changedKnown, ...rest } = facts;
    git = { ...rest, dirty: modified || untracked };
    if (changedKnown) for (const path of changed) blobs.delete(path);
    else blobs.clear();
  } else {
    files = walkFs(root, skipped);
  }
  const cacheOpts = opts.scanCache === false ? null : (opts.scanCache ?? (BUILD_SCAN_FINGERPRINT ? { fingerprint: BUILD_SCAN_FINGERPRINT } : null));
  const scanCache = cacheOpts && blobs.size > 0 ? openScanCache({ root, blobs, ...cacheOpts }) : null;

  const cache = new Map<string, string | null>();
  const largeAt = new Map<string, number>();
  let readCount = 0;
  const listed = new Set(files);
  return {
    root,
    files,
    skipped,
    git,
    scanCache,
    get readCount() {
      return readCount;
    },
    isTracked: (path) => (tracked ? tracked.has(path) : null),
    read(path: string, opts?: { maxBytes?: number }): string | null {
      const max = Math.max(opts?.maxBytes ?? MAX_FILE_BYTES, MAX_FILE_BYTES);
      const tooLargeAt = largeAt.get(path);
      // A file too large for an earlier, smaller limit is read again under a larger one.
      if (cache.has(path) && !(tooLargeAt !== undefined && max > tooLargeAt)) return cache.get(path) ?? null;
      if (tooLargeAt !== undefined) {
        largeAt.delete(path);
        const i = skipped.findIndex((s) => s.file === path && s.reason.startsWith('larger than'));
        if (i !== -1) skipped.splice(i, 1);
      }
      let text: string | null = null;
      const abs = join(root, path);
      try {
        const r = readRegular(abs, path, max);
        if (r === 'symlink') skipped.push({ file: path, reason: 'symlink (not followed)' });
        else if (r === 'special') skipped.push({ file: path, reason: 'not a regular file' });
        else if (r === 'large') {
          largeAt.set(path, max);
          skipped.push({ file: path, reason: `larger than ${max} bytes` });
        } else {
          readCount++;
          if (r === 'binary') skipped.push({ file: path, reason: 'binary' });
          else text = r;
        }
      } catch (err) {
        // Listed by git but gone or unreadable on disk (deleted in the work tree, permissions).
        if (listed.has(path)) skipped.push({ file: path, reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      }
      cache.set(path, text);
      return text;
    },
  };
}
