import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerMatches, checkBind, hostnameOf } from '../../../src/mcp/http-guard.js';
import { serveHttp, type HttpHandle } from '../../../src/mcp/http.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { applyTool, listTool, slowTool } from './fixture-tools.js';

let handle: HttpHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const TOKEN = 'a-test-token-0123456789abcdef';
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });

/** A raw POST so the test controls Host and Origin exactly. */
function post(url: string, headers: Record<string, string>, body = INIT): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function connectClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'http-test', version: '0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  await client.connect(transport);
  return client;
}

describe('Streamable HTTP', () => {
  it('serves initialize, ping, tools, resources and prompts to a real SDK client on loopback', async () => {
    handle = await serveHttp({ host: '127.0.0.1', port: 0, tools: [listTool] });
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connectClient(handle.url);
    await client.ping();
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['fixture_list']);
    expect((await client.listResources()).resources.map((r) => r.uri)).toContain('sealos-deploy://checklist');
    expect((await client.listPrompts()).prompts.length).toBe(4);
    const res = await client.callTool({ name: 'fixture_list', arguments: { project_dir: '/x', n: 2 } });
    expect(res.structuredContent).toMatchObject({ summary: '2 items' });
    await client.close();
  });

  it('routes elicitation and progress back to the calling session (why the server is stateful)', async () => {
    const applied: string[] = [];
    handle = await serveHttp({ host: '127.0.0.1', port: 0, tools: [applyTool({ image: 'v1' }, applied), slowTool({ sawAbort: false })] });
    const client = new Client({ name: 'http-elicit', version: '0' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { confirm: true } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    const res = await client.callTool({ name: 'fixture_apply', arguments: { project_dir: '/x', image: 'v2' } });
    expect(res.isError).toBeFalsy();
    expect(applied).toEqual(['v2']);
    const progress: number[] = [];
    await client.callTool({ name: 'fixture_slow', arguments: { project_dir: '/x', steps: 2 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2]);
    await client.close();
  });

  it('refuses a foreign Host or Origin (DNS rebinding) with 403', async () => {
    handle = await serveHttp({ host: '127.0.0.1', port: 0, tools: [] });
    const port = new URL(handle.url).port;
    expect(await post(handle.url, { host: `evil.example:${port}` })).toBe(403);
    expect(await post(handle.url, { host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403);
    expect(await post(handle.url, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
  });

  it('requires the bearer token when one is set', async () => {
    handle = await serveHttp({ host: '127.0.0.1', port: 0, tools: [], token: TOKEN });
    const host = new URL(handle.url).host;
    expect(await post(handle.url, { host })).toBe(401);
    expect(await post(handle.url, { host, authorization: 'Bearer wrong-token-0123456789' })).toBe(401);
    const client = await connectClient(handle.url, TOKEN);
    await client.ping();
    await client.close();
  });

  it('answers 404 off /mcp and for an unknown session, 400 for a request without a session', async () => {
    handle = await serveHttp({ host: '127.0.0.1', port: 0, tools: [] });
    const host = new URL(handle.url).host;
    expect(await post(handle.url.replace('/mcp', '/other'), { host })).toBe(404);
    expect(await post(handle.url, { host, 'mcp-session-id': 'nope' }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }))).toBe(404);
    expect(await post(handle.url, { host }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }))).toBe(400);
    expect(await post(handle.url, { host }, 'not json')).toBe(400);
  });

  it('refuses at startup to bind a non-loopback address without a token', async () => {
    await expect(serveHttp({ host: '0.0.0.0', port: 0, tools: [] })).rejects.toThrow(/Refusing to serve MCP on 0\.0\.0\.0 without a bearer token/);
    expect(() => checkBind('0.0.0.0', 'short')).toThrow(/shorter than 16/);
    expect(() => checkBind('0.0.0.0', TOKEN)).not.toThrow();
    expect(() => checkBind('::1', undefined)).not.toThrow();
  });
});

describe('http guard helpers', () => {
  it('parses Host authorities', () => {
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('Example.com:80')).toBe('example.com');
    expect(hostnameOf('localhost')).toBe('localhost');
  });

  it('matches only the exact bearer token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});
