import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command.js';
import { commands } from '../../../src/cli/commands/index.js';
import { runCommand } from '../../../src/cli/run-command.js';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd: '/nonexistent', env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('positional arguments', () => {
  const dirCommands = commands.filter((c) => (c.positionals ?? 'dir') === 'dir');

  it('covers every command that takes a directory', () => {
    expect(dirCommands.map((c) => c.name).sort()).toEqual(['analyze', 'build', 'deploy', 'preflight', 'record', 'rehearse', 'render', 'rollback', 'scorecard', 'status', 'verify']);
  });

  // `sealos-deploy analyze my service` (an unquoted path with a space) must not analyze `my`.
  it.each(dirCommands.map((c) => [c.name, c] as const))('%s refuses extra words before doing anything, and says to quote the path', async (_name, command) => {
    const io = capture();
    expect(await runCommand(command, ['my', 'service'], io)).toBe(2);
    expect(io.err).toContain(`error USAGE: ${command.name} takes one directory, got 2: "my" "service".`);
    expect(io.err).toContain(`sealos-deploy ${command.name} "my service"`);
    expect(io.out).toBe('');
  });

  it('answers in JSON with --json, and refuses any word for commands that take none', async () => {
    const io = capture();
    const analyze = commands.find((c) => c.name === 'analyze')!;
    expect(await runCommand(analyze, ['a', 'b', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out)).toMatchObject({ error: { code: 'USAGE' } });
    const login = commands.find((c) => c.name === 'login')!;
    const io2 = capture();
    expect(await runCommand(login, ['eu'], io2)).toBe(2);
    expect(io2.err).toContain('login takes no positional arguments (got "eu")');
  });
});
