import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'cli-pipe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a reader that closes the pipe early (`analyze | head -1`) neither crashes the command nor stops its work', async () => {
  const app = join(work, 'hello-node');
  cpSync(join(root, 'examples/hello-node'), app, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/entry.ts'), 'analyze', app], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // The reader goes away before the command prints: every write it makes meets a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
  expect(existsSync(join(app, '.sealos/analysis.json'))).toBe(true);
}, 60_000);
