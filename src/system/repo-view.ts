import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { RepoView } from '../core/analysis/context.js';
import type { Runner } from '../core/ports.js';

/** Files larger than this are not read: generated bundles and data, not the service's code. */
export const MAX_FILE_BYTES = 1024 * 1024;
const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

async function gitLines(runner: Runner, cwd: string, args: string[]): Promise<string[] | null> {
  const r = await runner.run('git', args, { cwd, timeoutMs: 30_000 });
  if (r.exitCode !== 0) return null;
  return r.stdout.split('\0').filter(Boolean);
}

async function gitFacts(runner: Runner, root: string): Promise<RepoView['git']> {
  const one = async (args: string[]) => {
    const r = await runner.run('git', args, { cwd: root, timeoutMs: 10_000 });
    return r.exitCode === 0 ? r.stdout.trim() || null : null;
  };
  const [commit, branch, status, remote] = await Promise.all([
    one(['rev-parse', 'HEAD']),
    one(['rev-parse', '--abbrev-ref', 'HEAD']),
    runner.run('git', ['status', '--porcelain', '--', '.'], { cwd: root, timeoutMs: 30_000 }),
    one(['config', '--get', 'remote.origin.url']),
  ]);
  return { commit, branch: branch === 'HEAD' ? null : branch, dirty: status.stdout.trim().length > 0, remote };
}

function skipPath(path: string): boolean {
  return path.split('/').some((seg) => ALWAYS_SKIPPED_DIRS.has(seg));
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

/**
 * Builds a RepoView of `root`. Inside a git checkout the listing is what git reports
 * (tracked + untracked-not-ignored), so ignored paths are never read; elsewhere a walk
 * that honours .gitignore files. Files are read lazily, once.
 */
export async function openRepoView(root: string, runner: Runner): Promise<RepoView> {
  const skipped: Array<{ file: string; reason: string }> = [];
  const [cached, others] = await Promise.all([
    gitLines(runner, root, ['ls-files', '-z', '--cached', '--full-name', '--', '.']),
    gitLines(runner, root, ['ls-files', '-z', '--others', '--exclude-standard', '--', '.']),
  ]);
  let files: string[];
  let tracked: Set<string> | null = null;
  let git: RepoView['git'] = null;
  if (cached && others) {
    // --full-name gives top-level paths; make them relative to root.
    const top = (await runner.run('git', ['rev-parse', '--show-prefix'], { cwd: root })).stdout.trim();
    const strip = (p: string) => (top && p.startsWith(top) ? p.slice(top.length) : p);
    tracked = new Set(cached.map(strip));
    files = [...new Set([...tracked, ...others])].filter((f) => !skipPath(f)).sort();
    git = await gitFacts(runner, root);
  } else {
    files = walkFs(root, skipped);
  }

  const cache = new Map<string, string | null>();
  let readCount = 0;
  const listed = new Set(files);
  return {
    root,
    files,
    skipped,
    git,
    get readCount() {
      return readCount;
    },
    isTracked: (path) => (tracked ? tracked.has(path) : null),
    read(path: string): string | null {
      if (cache.has(path)) return cache.get(path) ?? null;
      let text: string | null = null;
      const abs = join(root, path);
      try {
        const st = lstatSync(abs);
        if (st.isSymbolicLink()) skipped.push({ file: path, reason: 'symlink (not followed)' });
        else if (!st.isFile()) skipped.push({ file: path, reason: 'not a regular file' });
        else if (st.size > MAX_FILE_BYTES) skipped.push({ file: path, reason: `larger than ${MAX_FILE_BYTES} bytes` });
        else {
          const buf = readFileSync(abs);
          readCount++;
          if (buf.subarray(0, 8000).includes(0)) skipped.push({ file: path, reason: 'binary' });
          else text = buf.toString('utf8');
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
