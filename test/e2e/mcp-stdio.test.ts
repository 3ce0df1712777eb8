import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildPrivateBundle } from '../support/bundle.js';
import { connect } from '../unit/mcp/harness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: string;
/** The launcher's code cache goes here, never into the user's ~/.cache. */
let cacheDir: string;
let bundle: ReturnType<typeof buildPrivateBundle>;

beforeAll(() => {
  // Test what ships: the bundles, built from the current sources.
  bundle = buildPrivateBundle('mcp-stdio');
  app = mkdtempSync(join(tmpdir(), 'mcp-e2e-'));
  cacheDir = mkdtempSync(join(tmpdir(), 'mcp-e2e-cache-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'e2e-app', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }));
  writeFileSync(join(app, 'server.js'), "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 8080);\n");
}, 60_000);
afterAll(() => {
  rmSync(app, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  bundle.remove();
});

async function withServer(args: string[], fn: (client: Client) => Promise<void>, env: Record<string, string> = {}): Promise<string> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    cwd: app,
    stderr: 'pipe',
    env: { ...getDefaultEnvironment(), SEALOS_DEPLOY_CACHE_DIR: cacheDir, ...env },
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'e2e', version: '0' });
  await client.connect(transport);
  try {
    await fn(client);
  } finally {
    await client.close();
  }
  return stderr;
}

describe.each([
  ['node dist/cli.js mcp', ['dist/cli.js', 'mcp']],
  ['node dist/mcp.js', ['dist/mcp.js']],
])('%s over stdio', (_label, args) => {
  it('lists tools and analyzes a project', async () => {
    const stderr = await withServer(args.map((a, i) => (i === 0 ? join(bundle.dir, a.replace(/^dist\//, '')) : a)), async (client) => {
      expect(client.getServerVersion()?.name).toBe('sealos-deploy');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('analyze_repo');
      const res = await client.callTool({ name: 'analyze_repo', arguments: { project_dir: app, write: false } });
      expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
      expect(res.structuredContent).toMatchObject({ framework: 'express', port: { value: 8080, reads_env: true }, artifact: null });
    });
    // stdout is the protocol channel; nothing should have been logged either.
    expect(stderr).toBe('');
  });
});

describe('node dist/mcp.js: what makes it start fast changes nothing it answers', () => {
  const launcher = () => join(bundle.dir, 'mcp.js');

  it.each([[[]], [['--read-only']]])('serves the build-time tools/list snapshot, equal to what the SDK computes from the sources (%j)', async (flags) => {
    const inProcess = await connect({ readOnly: flags.length > 0, toolListSnapshot: false });
    const expected = (await inProcess.client.listTools()).tools;
    await inProcess.close();
    let listed: unknown[] = [];
    await withServer([launcher(), ...flags], async (client) => {
      listed = (await client.listTools()).tools;
    });
    expect(existsSync(join(bundle.dir, 'mcp-tools.json'))).toBe(true);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).toEqual(expected);
  });

  it('fills the per-user code cache, starts from it, and recovers from a corrupt one', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-code-cache-'));
    const env = { SEALOS_DEPLOY_CACHE_DIR: dir, SEALOS_DEPLOY_DEBUG: 'code-cache' };
    const session = (holdMs: number) =>
      withServer(
        [launcher()],
        async (client) => {
          expect((await client.listTools()).tools.map((t) => t.name)).toContain('analyze_repo');
          // The launcher writes the cache a second after start, once the first requests ran.
          await new Promise((r) => setTimeout(r, holdMs));
        },
        env,
      );
    try {
      const first = await session(1_500);
      expect(first).toMatch(/code-cache: miss .*\n/);
      expect(first).toMatch(/code-cache: wrote .*\.v8cache\n/);
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^mcp-server-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.v8cache$/);

      expect(await session(0)).toMatch(/^code-cache: hit /);

      // Same length, wrong bytes: V8 must reject it, the server must still answer, and the cache is rewritten.
      writeFileSync(join(dir, file!), Buffer.alloc(1024, 7));
      const third = await session(1_500);
      expect(third).toMatch(/^code-cache: rejected /);
      expect(third).toMatch(/code-cache: wrote /);
      expect(await session(0)).toMatch(/^code-cache: hit /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends quietly when the client goes away mid-answer (closed stdout), with no stack trace', { timeout: 20_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(bundle.dir, 'mcp.cjs')], { cwd: app, env: { ...process.env, SEALOS_DEPLOY_CACHE_DIR: cacheDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const hello = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gone', version: '0' } } };
    child.stdin.write(JSON.stringify(hello) + '\n');
    await first;
    child.stdout.destroy();
    // More answers are due after the client stopped reading.
    for (let i = 2; i < 6; i++) child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list' }) + '\n');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      setTimeout(() => child.stdin.end(), 500);
    });
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\(/);
    expect(code).toBe(0);
  });
});

