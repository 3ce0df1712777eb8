import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command.js';
import { mcpCommand, parseListen } from '../../../src/cli/commands/mcp.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (env: NodeJS.ProcessEnv = {}): CliIo => ({ stdout: () => {}, stderr: () => {}, cwd: dir, env });

describe('sealos-deploy mcp', () => {
  it('parses --http addresses', () => {
    expect(parseListen('127.0.0.1:8787')).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('8787')).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(() => parseListen('localhost')).toThrow(/host:port/);
    expect(() => parseListen('h:99999')).toThrow(/host:port/);
  });

  it('refuses a non-loopback bind without a token, before listening', async () => {
    await expect(mcpCommand.run({ http: '0.0.0.0:0' }, [], io())).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/without a bearer token/) });
  });

  it('reads the token from the file or the environment, never argv, and rejects short ones', async () => {
    expect(Object.keys(mcpCommand.options)).not.toContain('token');
    const file = join(dir, 'token');
    writeFileSync(file, 'short\n');
    await expect(mcpCommand.run({ http: '0.0.0.0:0', 'token-file': file }, [], io())).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/shorter than 16/) });
    await expect(mcpCommand.run({ http: '0.0.0.0:0' }, [], io({ SEALOS_DEPLOY_MCP_TOKEN: 'tiny' }))).rejects.toMatchObject({ message: expect.stringMatching(/shorter than 16/) });
    await expect(mcpCommand.run({ http: '0.0.0.0:0', 'token-file': join(dir, 'missing') }, [], io())).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/Cannot read the token file/) });
  });

  it('rejects bad usage with USAGE and a next step', async () => {
    await expect(mcpCommand.run({}, ['extra'], io())).rejects.toMatchObject({ code: 'USAGE' });
    await expect(mcpCommand.run({ namespace: 'Bad_NS' }, [], io())).rejects.toMatchObject({ code: 'USAGE', next: expect.any(String) });
    await expect(mcpCommand.run({ 'token-file': 'x' }, [], io())).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/only applies to --http/) });
  });
});
