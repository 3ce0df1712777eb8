import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactUri } from '../../../src/mcp/resources.js';
import { connect, type Connected } from './harness.js';

let project: string;
let conn: Connected | undefined;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'mcp-res-'));
  mkdirSync(join(project, '.sealos'));
  writeFileSync(join(project, '.sealos', 'state.json'), JSON.stringify({ version: '1.0', last_deploy: { app_name: 'web' }, history: [] }));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

describe('resources', () => {
  it('lists the docs and the artifacts present in the project, and reads them', async () => {
    conn = await connect({ projectDir: project, tools: [] });
    const { resources } = await conn.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['sealos-deploy://checklist', 'sealos-deploy://failure-table', artifactUri('state', project)]));
    // analysis.json does not exist yet, so it is not listed.
    expect(uris).not.toContain(artifactUri('analysis', project));

    const state = await conn.client.readResource({ uri: artifactUri('state', project) });
    expect(JSON.parse((state.contents[0] as { text: string }).text)).toMatchObject({ last_deploy: { app_name: 'web' } });

    const checklist = await conn.client.readResource({ uri: 'sealos-deploy://checklist' });
    const text = (checklist.contents[0] as { text: string }).text;
    expect(text).toContain('## 8. Update and rollback checklist');
    expect(text).not.toMatch(/Share to Linkedin|Explore with AI/);

    const templates = (await conn.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toEqual(expect.arrayContaining(['sealos-deploy://state{?dir}', 'sealos-deploy://analysis{?dir}', 'sealos-deploy://runtime-truth{?dir}']));
  });

  it('shortens an oversized artifact and points at the file instead of sending broken JSON', async () => {
    const big = mkdtempSync(join(tmpdir(), 'mcp-res-big-'));
    mkdirSync(join(big, '.sealos'));
    writeFileSync(join(big, '.sealos', 'runtime-truth.json'), JSON.stringify({ checks: Array.from({ length: 5000 }, (_, i) => ({ id: `check-${i}`, evidence: 'x'.repeat(50) })) }));
    conn = await connect({ projectDir: big, tools: [] });
    const res = await conn.client.readResource({ uri: artifactUri('runtime-truth', big) });
    const content = res.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('text/plain');
    expect(content.text.length).toBeLessThan(61_000);
    expect(content.text).toContain(`read ${join(big, '.sealos', 'runtime-truth.json')} for the full file`);
    rmSync(big, { recursive: true, force: true });
  });

  it('answers a missing artifact with its code and the next step', async () => {
    conn = await connect({ projectDir: project, tools: [] });
    await expect(conn.client.readResource({ uri: artifactUri('runtime-truth', project) })).rejects.toThrow(/ARTIFACT_MISSING: .*runtime-truth\.json[\s\S]*next: /);
  });
});

describe('prompts', () => {
  it('offers deploy, update, rollback and the checklist; read-only offers only the checklist', async () => {
    conn = await connect({ tools: [] });
    expect((await conn.client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(['deploy', 'production-checklist', 'rollback', 'update']);
    await conn.close();
    conn = await connect({ tools: [], readOnly: true });
    expect((await conn.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['production-checklist']);
  });

  it('fills the project directory into the prompt and embeds the checklist', async () => {
    conn = await connect({ tools: [] });
    const deploy = await conn.client.getPrompt({ name: 'deploy', arguments: { project_dir: '/srv/app' } });
    const text = (deploy.messages[0]?.content as { text: string }).text;
    expect(text).toContain('/srv/app');
    expect(text).toMatch(/runtime_truth_pass/);
    const review = await conn.client.getPrompt({ name: 'production-checklist', arguments: {} });
    expect(review.messages[0]?.content).toMatchObject({ type: 'resource', resource: { uri: 'sealos-deploy://checklist' } });
  });
});
