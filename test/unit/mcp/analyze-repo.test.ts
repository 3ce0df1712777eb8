import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, textOf, type Connected } from './harness.js';

let app: string;
let conn: Connected | undefined;

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'mcp-express-'));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'tiny', version: '1.0.0', main: 'server.js', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }, null, 2),
  );
  writeFileSync(
    join(app, 'server.js'),
    [
      "const express = require('express');",
      'const app = express();',
      "app.get('/healthz', (req, res) => res.send('ok'));",
      'const port = process.env.PORT || 3000;',
      "app.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));",
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(app, { recursive: true, force: true }));
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

describe('analyze_repo', () => {
  it('is listed as a non-destructive, idempotent, closed-world tool', async () => {
    conn = await connect();
    const tool = (await conn.client.listTools()).tools.find((t) => t.name === 'analyze_repo');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(tool?.inputSchema.required).toEqual(['project_dir']);
  });

  it('reports how a tiny express app runs and writes .sealos/analysis.json', async () => {
    conn = await connect();
    const res = await conn.client.callTool({ name: 'analyze_repo', arguments: { project_dir: app } });
    expect(res.isError, textOf(res)).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      project_dir: app,
      framework: 'express',
      kind: 'server',
      package_manager: 'npm',
      commands: { start: 'npm start' },
      entrypoint: 'server.js',
      port: { value: 3000, reads_env: true, env_name: 'PORT' },
      binds_all_interfaces: true,
      health_paths: expect.arrayContaining(['/healthz']),
      artifact: join(app, '.sealos', 'analysis.json'),
    });
    const summary = (res.structuredContent as { summary: string; findings?: Array<{ id: string; status: string }> }).summary;
    expect(summary).toMatch(/express server .*port 3000/);
    // The findings that are not passing are named, fail first.
    const warnIds = (res.structuredContent as { findings: Array<{ id: string; status: string }> }).findings.filter((f) => f.status === 'warn').map((f) => f.id);
    expect(warnIds.length).toBeGreaterThan(0);
    expect(summary).toContain(`warn: ${warnIds.join(', ')}`);
    expect(JSON.parse(readFileSync(join(app, '.sealos', 'analysis.json'), 'utf8'))).toMatchObject({ framework: { name: 'express' } });
  });

  it('names the required env vars and keeps them when a long list is shortened', async () => {
    const many = mkdtempSync(join(tmpdir(), 'mcp-many-env-'));
    try {
      writeFileSync(join(many, 'package.json'), JSON.stringify({ name: 'many', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }));
      // 80 optional settings sort before the two variables the service cannot run without.
      const optional = Array.from({ length: 80 }, (_, i) => `const a${i} = process.env.AAA_SETTING_${i} || 'x';`);
      writeFileSync(join(many, 'server.js'), [...optional, 'const key = process.env.ZZZ_API_KEY;', 'const secret = process.env.ZZZ_SESSION_SECRET;', "require('express')().listen(process.env.PORT || 3000);", ''].join('\n'));
      conn = await connect();
      const res = await conn.client.callTool({ name: 'analyze_repo', arguments: { project_dir: many } });
      const out = res.structuredContent as { summary: string; env_vars: Array<{ name: string; required: boolean }>; truncated?: string[] };
      expect(out.truncated?.some((t) => t.startsWith('env_vars'))).toBe(true);
      expect(out.env_vars.slice(0, 2)).toEqual([expect.objectContaining({ name: 'ZZZ_API_KEY', required: true }), expect.objectContaining({ name: 'ZZZ_SESSION_SECRET', required: true })]);
      expect(out.summary).toContain('Env vars: 83 read, 2 required: ZZZ_API_KEY, ZZZ_SESSION_SECRET.');
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  it('writes nothing in read-only mode', async () => {
    rmSync(join(app, '.sealos'), { recursive: true, force: true });
    conn = await connect({ readOnly: true });
    const res = await conn.client.callTool({ name: 'analyze_repo', arguments: { project_dir: app } });
    expect(res.structuredContent).toMatchObject({ artifact: null, framework: 'express' });
    expect(existsSync(join(app, '.sealos'))).toBe(false);
  });

  it('answers a missing directory with PROJECT_NOT_FOUND and a next step', async () => {
    conn = await connect();
    const res = await conn.client.callTool({ name: 'analyze_repo', arguments: { project_dir: join(app, 'nope') } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^PROJECT_NOT_FOUND: .*\nnext: /);
  });
});
