import { parsePorcelainZ } from '../git-porcelain.js';
import type { Runner } from '../ports.js';
import type { GitFacts } from './plan.js';

/**
 * HEAD, dirtiness and origin of the checkout at `root`, read now. `.sealos/` never counts as a
 * change, nor do untracked files `isGenerated` claims (a Dockerfile sealos-deploy wrote): they
 * derive from the commit. Null outside a git checkout.
 */
export async function readGitFacts(runner: Runner, root: string, isGenerated: (path: string) => boolean = () => false): Promise<GitFacts | null> {
  const head = await runner.run('git', ['rev-parse', 'HEAD'], { cwd: root, timeoutMs: 10_000 });
  if (head.exitCode !== 0) return null;
  const [prefix, status, remote] = await Promise.all([
    runner.run('git', ['rev-parse', '--show-prefix'], { cwd: root, timeoutMs: 10_000 }),
    runner.run('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.', ':(exclude).sealos', ':(exclude,glob)**/.sealos/**'], { cwd: root, timeoutMs: 30_000 }),
    runner.run('git', ['config', '--get', 'remote.origin.url'], { cwd: root, timeoutMs: 10_000 }),
  ]);
  const top = prefix.stdout.trim();
  const changed = parsePorcelainZ(status.stdout).filter((e) => {
    if (e.from !== null) return true;
    const rel = top && e.path.startsWith(top) ? e.path.slice(top.length) : e.path;
    return !(e.x === '?' && isGenerated(rel));
  });
  return {
    commit: head.stdout.trim() || null,
    dirty: status.exitCode !== 0 ? false : changed.length > 0,
    remote: remote.exitCode === 0 ? remote.stdout.trim() || null : null,
  };
}
