import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DeployError } from '../core/errors.js';
import { parsePorcelainZ } from '../core/git-porcelain.js';
import type { Runner } from '../core/ports.js';
import type { CommittedCopy, Worktree } from '../core/truth/local/ports.js';

const NOT_GIT_NEXT = 'Run the rehearsal inside a git checkout: `git init`, then commit your work (`git add -A && git commit -m "..."`).';

/**
 * Exports the committed tree of `dir` (HEAD) into a temp folder with `git archive` + `tar`, so uncommitted
 * or ignored files can neither help nor hurt: the rehearsal sees what a fresh checkout sees.
 */
export function gitWorktree(runner: Runner): Worktree {
  const git = (cwd: string, args: string[]) => runner.run('git', args, { cwd, timeoutMs: 60_000 });
  return {
    async checkoutCommitted(dirIn: string): Promise<CommittedCopy> {
      const dir = resolve(dirIn);
      const top = await git(dir, ['rev-parse', '--show-toplevel']);
      if (top.notFound) throw new DeployError('GIT_UNAVAILABLE', 'git is not installed or not on PATH.', 'Install git, then commit your work and re-run.');
      if (top.exitCode !== 0) throw new DeployError('GIT_UNAVAILABLE', `${dir} is not inside a git checkout (or does not exist).`, NOT_GIT_NEXT, { dir });
      const head = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      const commit = head.stdout.trim();
      if (head.exitCode !== 0 || !commit)
        throw new DeployError('GIT_UNAVAILABLE', 'The repository has no commit yet; the rehearsal runs the committed tree.', 'Commit your work (`git add -A && git commit -m "..."`), then re-run.', { dir });
      const root = top.stdout.trim();
      const prefix = (await git(dir, ['rev-parse', '--show-prefix'])).stdout.trim().replace(/\/$/, '');
      const treeish = prefix ? `HEAD:${prefix}` : 'HEAD';
      const tracked = await git(dir, ['cat-file', '-t', treeish]);
      if (tracked.exitCode !== 0 || !['tree', 'commit'].includes(tracked.stdout.trim()))
        throw new DeployError('GIT_UNAVAILABLE', `${prefix || dir} is not in the last commit.`, `Commit it first (\`git add ${prefix || '.'} && git commit\`), then re-run.`, { dir, prefix });

      const tmp = await mkdtemp(join(tmpdir(), 'sealos-rehearsal-'));
      const cleanup = () => rm(tmp, { recursive: true, force: true, maxRetries: 3 });
      try {
        const tar = join(tmp, 'tree.tar');
        // Same folder name as the original: analyzers derive the project name from it.
        const out = join(tmp, basename(dir) || 'repo');
        await mkdir(out);
        // From the repo root: inside a subdirectory git archive would apply the prefix a second time.
        const archive = await git(root, ['archive', '--format=tar', '-o', tar, treeish]);
        if (archive.exitCode !== 0) throw new DeployError('REHEARSAL_SETUP_FAILED', `git archive failed: ${archive.stderr.trim()}`, 'Check the repository with `git status` and retry.');
        const x = await runner.run('tar', ['-xf', tar, '-C', out], { timeoutMs: 120_000 });
        if (x.exitCode !== 0) throw new DeployError('REHEARSAL_SETUP_FAILED', `Extracting the committed tree failed: ${x.notFound ? 'tar is not on PATH' : x.stderr.trim()}`, 'Install tar and retry.');
        await rm(tar, { force: true });
        const status = await git(dir, ['status', '--porcelain', '-z', '--untracked-files=all', '--', '.']);
        const uncommitted = parsePorcelainZ(status.stdout).map((e) => e.path);
        return { dir: out, prefix, commit, uncommitted, cleanup };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
  };
}
