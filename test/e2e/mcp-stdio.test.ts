import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildPrivateBundle } from '../support/bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let app: string;
let bundle: ReturnType<typeof buildPrivateBundle>;

beforeAll(() => {
  // Test what ships: the bundles, built from the current sources.
  bundle = buildPrivateBundle('mcp-stdio');
  app = mkdtempSync(join(tmpdir(), 'mcp-e2e-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'e2e-app', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }));
  writeFileSync(join(app, 'server.js'), "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 8080);\n");
}, 60_000);
afterAll(() => {
  rmSync(app, { recursive: true, force: true });
  bundle.remove();
});

async function withServer(args: string[], fn: (client: Client) => Promise<void>): Promise<string> {
  const transport = new StdioClientTransport({ command: process.execPath, args, cwd: app, stderr: 'pipe' });
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
