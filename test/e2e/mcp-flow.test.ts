import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildPrivateBundle } from '../support/bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let bundle: ReturnType<typeof buildPrivateBundle>;
let bin: string;
let app: string;

beforeAll(() => {
  // Test what ships: the bundle, built from the current sources.
  bundle = buildPrivateBundle('mcp-flow');
  bin = join(bundle.dir, 'mcp.js');
  app = mkdtempSync(join(tmpdir(), 'mcp-flow-'));
  cpSync(join(root, 'test/fixtures/apps/plain-http-good'), app, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: app, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
}, 120_000);
afterAll(() => {
  rmSync(app, { recursive: true, force: true });
  rmSync(`${app}-code-cache`, { recursive: true, force: true });
  bundle.remove();
});

describe('node dist/mcp.js over stdio: analyze_repo → render_template → rehearse', () => {
  it('takes a committed fixture through the local half of a release', { timeout: 90_000 }, async () => {
    // The launcher's code cache stays in the test's directory, not the user's ~/.cache.
    const env = { ...getDefaultEnvironment(), SEALOS_DEPLOY_CACHE_DIR: `${app}-code-cache` };
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin], cwd: app, stderr: 'pipe', env });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'e2e-flow', version: '0' });
    await client.connect(transport);
    try {
      const call = async (name: string, args: Record<string, unknown>, onprogress?: (m: string) => void) => {
        const res = await client.callTool({ name, arguments: { project_dir: app, ...args } }, undefined, { timeout: 80_000, ...(onprogress ? { onprogress: (p) => onprogress(p.message ?? '') } : {}) });
        expect(res.isError, `${name}: ${JSON.stringify(res.content)}`).toBeFalsy();
        return res.structuredContent as Record<string, unknown>;
      };
      const analysis = await call('analyze_repo', {});
      expect(analysis).toMatchObject({ framework: 'node-http', port: { value: 3000, reads_env: true }, binds_all_interfaces: true, artifact: join(app, '.sealos', 'analysis.json') });

      const image = 'ghcr.io/acme/plain-http-good:1.0.0-abc1234';
      const rendered = await call('render_template', { image });
      expect(rendered).toMatchObject({ path: join(app, '.sealos', 'template', 'index.yaml'), image, missing_inputs: [] });

      const progress: string[] = [];
      const rehearsal = await call('rehearse', { budget_seconds: 60, stability_seconds: 1 }, (m) => progress.push(m));
      expect({ verdict: rehearsal.verdict, blocking: rehearsal.blocking }, JSON.stringify(rehearsal.checks)).toEqual({ verdict: 'accepted', blocking: [] });
      expect(existsSync(join(app, '.sealos', 'rehearsal.json'))).toBe(true);
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    // stdout is the protocol channel; nothing may be logged on stderr either.
    expect(stderr).toBe('');
  });
});
