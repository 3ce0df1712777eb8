import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs, makeDirsSync } from '../../../src/system/make-dirs.js';
import { writePrivateFile } from '../../../src/system/private-cache.js';

const root = mkdtempSync(join(tmpdir(), 'make-dirs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ['makeDirsSync', async (d: string, m?: number) => makeDirsSync(d, m)],
  ['makeDirs', makeDirs],
])('%s', (name, make) => {
  it('makes every missing parent with the mode, and leaves existing ones', async () => {
    const dir = join(root, name, 'a', 'b', 'c');
    await make(dir, 0o700);
    expect(statSync(dir).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(root, name, 'a')).mode & 0o777).toBe(0o700);
    await make(dir, 0o700);
  });

  it('fails with the error when a component is a file', async () => {
    const file = join(root, `${name}-file`);
    writeFileSync(file, 'x');
    await expect(Promise.resolve().then(() => make(join(file, 'sub')))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node 20's mkdir({ recursive: true }) never returns for this path: the command would hang.
  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('fails at once under /proc instead of hanging', async () => {
    await expect(Promise.resolve().then(() => make('/proc/sealos-deploy-nope/x'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('writePrivateFile', () => {
  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('reports a cache directory it cannot make, without hanging', () => {
    expect(writePrivateFile('/proc/sealos-deploy-nope', '/proc/sealos-deploy-nope/f', 'x', process.getuid?.())).toBe(false);
  });
});
