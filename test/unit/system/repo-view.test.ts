import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execaRunner } from '../../../src/system/runner.js';
import { MAX_FILE_BYTES, openRepoView } from '../../../src/system/repo-view.js';

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'repo-view-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

async function git(root: string, ...args: string[]) {
  const r = await execaRunner.run('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

describe('openRepoView', () => {
  it('lists what git lists: ignored paths and node_modules are never read', async () => {
    const root = tree({
      'package.json': '{}',
      '.gitignore': 'secret.txt\nbuild/\n',
      'secret.txt': 'x',
      'build/out.js': 'x',
      'node_modules/a/index.js': 'x',
      'src/index.js': 'console.log(1)',
      'untracked.js': '1',
    });
    await git(root, 'init', '-q');
    await git(root, 'add', 'package.json', '.gitignore', 'src/index.js');
    await git(root, 'commit', '-qm', 'init');
    const view = await openRepoView(root, execaRunner);
    expect(view.files).toEqual(['.gitignore', 'package.json', 'src/index.js', 'untracked.js']);
    expect(view.isTracked('src/index.js')).toBe(true);
    expect(view.isTracked('untracked.js')).toBe(false);
    expect(view.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(view.git?.dirty).toBe(true);
  });

  it('outside git honours .gitignore, skips symlinks, binaries and huge files without throwing', async () => {
    const root = tree({
      'a.js': 'ok',
      '.gitignore': '*.log\n',
      'x.log': 'no',
      'sub/.gitignore': 'gen.js\n',
      'sub/gen.js': 'no',
      'sub/keep.js': 'yes',
      'bin.dat': Buffer.from([1, 0, 2, 3]),
      'big.js': 'a'.repeat(MAX_FILE_BYTES + 1),
    });
    symlinkSync(root, join(root, 'loop'));
    const view = await openRepoView(root, execaRunner);
    expect(view.files).toEqual(['.gitignore', 'a.js', 'big.js', 'bin.dat', 'sub/.gitignore', 'sub/keep.js']);
    expect(view.read('a.js')).toBe('ok');
    expect(view.read('bin.dat')).toBeNull();
    expect(view.read('big.js')).toBeNull();
    expect(view.git).toBeNull();
    expect(view.isTracked('a.js')).toBeNull();
    const reasons = Object.fromEntries(view.skipped.map((s) => [s.file, s.reason]));
    expect(reasons.loop).toMatch(/symlink/);
    expect(reasons['bin.dat']).toBe('binary');
    expect(reasons['big.js']).toMatch(/larger than/);
  });
});
