import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/mcp/server.js';
import { createLoginTool } from '../../../src/mcp/tools/login.js';
import { createWorkspaceListTool } from '../../../src/mcp/tools/workspace-list.js';
import { createWorkspaceSwitchTool } from '../../../src/mcp/tools/workspace-switch.js';
import { FakeClock } from '../../support/fake-region/clock.js';
import { fakeEnv, leakedSecrets, tmpHome } from '../../support/fake-region/harness.js';
import { startFakeRegion, type FakeRegion } from '../../support/fake-region/server.js';
import { connect, textOf, type Connected } from './harness.js';
import { fails, ok } from './tools-support.js';

let region: FakeRegion;
let home: string;
let cleanup: () => Promise<void>;
let conn: Connected | undefined;

beforeEach(async () => {
  region = await startFakeRegion();
  ({ home, cleanup } = await tmpHome());
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
  await region.close();
  await cleanup();
});

/** The Sealos tools wired to the fake region and a clock whose polling sleeps return at once. */
function sealosTools() {
  const deps = { env: fakeEnv(region, home), clock: new FakeClock() };
  return [createLoginTool(deps), createWorkspaceListTool(deps), createWorkspaceSwitchTool(deps)];
}

interface Login {
  status: string;
  namespace: string | null;
  team: string | null;
  verification_url: string;
  user_code: string;
}

const project = { project_dir: '/tmp' };

describe('login', () => {
  it('sends the verification URL and code as progress, waits for approval, returns the target namespace and no token', async () => {
    region.state.tokenScript = ['authorization_pending'];
    conn = await connect({ tools: sealosTools() });
    const progress: string[] = [];
    const res = await conn.client.callTool({ name: 'login', arguments: { ...project, region: region.url } }, undefined, { onprogress: (p) => progress.push(p.message ?? '') });
    expect(res.isError, textOf(res)).toBeFalsy();
    const out = res.structuredContent as unknown as Login;
    expect(out).toMatchObject({ status: 'signed-in', namespace: 'ns-abcd1234', team: 'private team' });
    expect(progress[0]).toContain(`${region.url}/oauth2/device?user_code=`);
    expect(progress[0]).toContain(out.user_code);
    expect(leakedSecrets(region, JSON.stringify(res) + progress.join('\n'))).toEqual([]);
  });

  it('without progress or URL prompts: returns the URL as pending, and the next call collects the login', async () => {
    conn = await connect({ tools: sealosTools() });
    const first = await ok<Login>(conn, 'login', { ...project, region: region.url });
    expect(first.status).toBe('pending');
    expect(first.verification_url).toContain(`user_code=${encodeURIComponent(first.user_code)}`);
    const second = await ok<Login>(conn, 'login', { ...project, region: region.url, workspace: 'ns-team0001' });
    expect(second).toMatchObject({ status: 'signed-in', namespace: 'ns-team0001', team: 'Acme', user_code: first.user_code });
    // One device authorization for both calls.
    expect(region.requests.filter((r) => r.path.includes('device') && r.method === 'POST' && !r.body.includes('device_code=')).length).toBe(1);
  });

  it('opens a URL elicitation when the client supports it', async () => {
    const server = createServer({ tools: sealosTools() });
    const client = new Client({ name: 'test', version: '0' }, { capabilities: { elicitation: { url: {} } } });
    const asked: ElicitRequest['params'][] = [];
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(req.params);
      return { action: 'accept' };
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      const res = await client.callTool({ name: 'login', arguments: { ...project, region: region.url } });
      expect(res.isError, textOf(res)).toBeFalsy();
      const out = res.structuredContent as unknown as Login;
      expect(out.status).toBe('signed-in');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ mode: 'url', url: out.verification_url });
      expect((asked[0] as { message: string }).message).toContain(out.user_code);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('a denied login is LOGIN_DENIED with a next step', async () => {
    region.state.tokenScript = ['access_denied'];
    conn = await connect({ tools: sealosTools() });
    const res = await conn.client.callTool({ name: 'login', arguments: { ...project, region: region.url } }, undefined, { onprogress: () => {} });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^LOGIN_DENIED: .*\nnext: /);
  });
});

describe('workspace_list / workspace_switch', () => {
  it('need a login first', async () => {
    conn = await connect({ tools: sealosTools() });
    expect(await fails(conn, 'workspace_list', project)).toMatch(/^LOGIN_REQUIRED: /);
  });

  it('list marks the current workspace; switch by exact team name moves the deploy target', async () => {
    conn = await connect({ tools: sealosTools() });
    await conn.client.callTool({ name: 'login', arguments: { ...project, region: region.url } }, undefined, { onprogress: () => {} });
    const list = await ok<{ current: string; workspaces: Array<{ id: string; team: string; role: string; current: boolean }> }>(conn, 'workspace_list', project);
    expect(list.current).toBe('ns-abcd1234');
    expect(list.workspaces).toContainEqual({ id: 'ns-team0001', team: 'Acme', role: 'manager', type: 'team', current: false });
    expect(await fails(conn, 'workspace_switch', { ...project, workspace: 'Ac' })).toMatch(/^WORKSPACE_NOT_FOUND: /);
    const sw = await ok<{ namespace: string; previous: string; team: string }>(conn, 'workspace_switch', { ...project, workspace: 'acme' });
    expect(sw).toMatchObject({ namespace: 'ns-team0001', previous: 'ns-abcd1234', team: 'Acme' });
    expect((await ok<{ current: string }>(conn, 'workspace_list', project)).current).toBe('ns-team0001');
  });
});
