import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function git(cwd: string, ...args: string[]): Promise<void> {
  const r = await execaRunner.run('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'repo-view-'));
  dirs.push(d);
  return d;
}

describe('RepoView over a git checkout (one listing, one read per file)', () => {
  it('lists tracked and untracked-not-ignored files relative to the analyzed directory, with git facts', async () => {
    const root = tmp();
    await git(root, 'init', '-q', '-b', 'main');
    mkdirSync(join(root, 'svc/src'), { recursive: true });
    writeFileSync(join(root, 'svc/src/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'svc/.gitignore'), 'ignored.ts\n');
    writeFileSync(join(root, 'top.txt'), 'x');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'init');
    writeFileSync(join(root, 'svc/src/new.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'svc/ignored.ts'), 'nope');
    symlinkSync(join(root, 'top.txt'), join(root, 'svc/link.ts'));

    const view = await openRepoView(join(root, 'svc'), execaRunner);
    expect(view.files).toEqual(['.gitignore', 'link.ts', 'src/a.ts', 'src/new.ts']);
    expect(view.isTracked('src/a.ts')).toBe(true);
    expect(view.isTracked('src/new.ts')).toBe(false);
    expect(view.git).toMatchObject({ branch: 'main', dirty: true, remote: null });
    expect(view.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    // A symlink is never followed, and says why; a file is read once however often it is asked for.
    expect(view.read('link.ts')).toBeNull();
    expect(view.skipped).toContainEqual({ file: 'link.ts', reason: 'symlink (not followed)' });
    expect(view.read('src/a.ts')).toBe('export const a = 1;\n');
    expect(view.read('src/a.ts')).toBe('export const a = 1;\n');
    expect(view.readCount).toBe(1);
  });

  it('has no commit or branch before the first commit', async () => {
    const root = tmp();
    await git(root, 'init', '-q');
    writeFileSync(join(root, 'index.js'), 'x');
    const view = await openRepoView(root, execaRunner);
    expect(view.files).toEqual(['index.js']);
    expect(view.isTracked('index.js')).toBe(false);
    expect(view.git).toMatchObject({ commit: null, branch: null, dirty: true });
  });

  it('is dirty for an untracked file or a modified one, and clean otherwise', async () => {
    const root = tmp();
    await git(root, 'init', '-q', '-b', 'main');
    writeFileSync(join(root, 'index.js'), 'x');
    writeFileSync(join(root, '.gitignore'), 'ignored.log\n');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'init');
    writeFileSync(join(root, 'ignored.log'), 'noise');
    expect((await openRepoView(root, execaRunner)).git?.dirty).toBe(false);
    writeFileSync(join(root, 'new.js'), 'y');
    expect((await openRepoView(root, execaRunner)).git?.dirty).toBe(true);
    rmSync(join(root, 'new.js'));
    writeFileSync(join(root, 'index.js'), 'changed');
    expect((await openRepoView(root, execaRunner)).git?.dirty).toBe(true);
  });

  it('skips a file larger than the limit after reading it once, and never blocks on a FIFO', async () => {
    const root = tmp();
    await git(root, 'init', '-q');
    writeFileSync(join(root, 'big.js'), 'x'.repeat(MAX_FILE_BYTES + 1));
    writeFileSync(join(root, 'wide.js'), '\u00e9'.repeat(MAX_FILE_BYTES / 2 + 1)); // fewer characters than the limit, more bytes
    writeFileSync(join(root, 'ok.js'), 'const a = 1;\n');
    const view = await openRepoView(root, execaRunner);
    expect(view.read('big.js')).toBeNull();
    expect(view.read('wide.js')).toBeNull();
    expect(view.read('ok.js')).toBe('const a = 1;\n');
    expect(view.skipped.filter((s) => /larger than/.test(s.reason)).map((s) => s.file).sort()).toEqual(['big.js', 'wide.js']);
    // A caller may raise the limit for one file (lockfiles): it is read again, and no longer reported as skipped.
    expect(view.read('big.js', { maxBytes: 4 * MAX_FILE_BYTES })?.length).toBe(MAX_FILE_BYTES + 1);
    expect(view.skipped.map((s) => s.file)).not.toContain('big.js');
    expect(view.read('big.js')?.length).toBe(MAX_FILE_BYTES + 1);
    // A FIFO where a file was listed (replaced after listing): read as special or empty, never a hang.
    rmSync(join(root, 'ok.js'));
    execFileSync('mkfifo', [join(root, 'ok.js')]);
    const again = await openRepoView(root, execaRunner);
    expect(again.read('ok.js') ?? '').toBe('');
  });
});

