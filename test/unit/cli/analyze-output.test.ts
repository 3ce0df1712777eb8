import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command.js';
import { commands } from '../../../src/cli/commands/index.js';
import { runCommand } from '../../../src/cli/run-command.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function service(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-analyze-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'svc', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }));
  writeFileSync(join(dir, 'server.js'), [...lines, "require('express')().listen(process.env.PORT || 3000);", ''].join('\n'));
  return dir;
}

async function envRow(dir: string): Promise<string> {
  const io: CliIo & { out: string } = { out: '', cwd: dir, env: {}, stdout: (t: string) => void (io.out += t), stderr: () => {} };
  expect(await runCommand(commands.find((c) => c.name === 'analyze')!, [dir, '--no-write'], io)).toBe(0);
  return io.out.split('\n').find((l) => l.startsWith('env vars'))!;
}

describe('analyze, human output', () => {
  it('lists a short env var list in full, required ones starred', async () => {
    expect(await envRow(service(['const s = process.env.SESSION_SECRET;', "const l = process.env.LOG_LEVEL || 'info';"]))).toMatch(/^env vars\s+LOG_LEVEL PORT SESSION_SECRET\*$/);
  });

  it('sums up a long one: how many, and the required ones by name', async () => {
    const optional = Array.from({ length: 40 }, (_, i) => `const o${i} = process.env.OPT_${i} || 'x';`);
    const row = await envRow(service([...optional, 'const k = process.env.STRIPE_API_KEY;']));
    expect(row).toMatch(/^env vars\s+42 read, 1 required: STRIPE_API_KEY \(all in \.sealos\/analysis\.json\)$/);
  });
});
