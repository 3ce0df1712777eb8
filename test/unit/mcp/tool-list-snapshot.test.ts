import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/mcp/server.js';
import { tools as registry } from '../../../src/mcp/tools/index.js';

const mutating = new Set(registry.filter((t) => t.mutating).map((t) => t.name));
import { loadToolListSnapshot, serveToolListSnapshot } from '../../../src/mcp/tool-list-snapshot.js';

async function list(readOnly: boolean, snapshot: Map<string, Tool> | null): Promise<{ served: boolean; tools: Tool[] }> {
  const server = createServer({ readOnly, toolListSnapshot: false });
  const registered = Object.keys((server as unknown as { _registeredTools: Record<string, unknown> })._registeredTools);
  const served = serveToolListSnapshot(server, registered, snapshot);
  const client = new Client({ name: 't', version: '0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  const { tools } = await client.listTools();
  await client.close();
  return { served, tools };
}

describe('tools/list snapshot', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'tool-snapshot-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('answers from the snapshot, in registration order, only the tools this server registered', async () => {
    const computed = (await list(false, null)).tools;
    const marked = new Map(computed.map((t) => [t.name, { ...t, description: `snapshot: ${t.name}` }]));
    const readOnly = await list(true, marked);
    expect(readOnly.served).toBe(true);
    expect(readOnly.tools.length).toBeLessThan(computed.length);
    expect(readOnly.tools.every((t) => t.description === `snapshot: ${t.name}`)).toBe(true);
    expect(readOnly.tools.map((t) => t.name)).toEqual(computed.filter((t) => !mutating.has(t.name)).map((t) => t.name));
  });

  it('leaves the SDK to compute the list when the snapshot misses a registered tool', async () => {
    const computed = (await list(false, null)).tools;
    const partial = new Map(computed.slice(1).map((t) => [t.name, { ...t, description: 'stale' }]));
    const r = await list(false, partial);
    expect(r.served).toBe(false);
    expect(r.tools).toEqual(computed);
  });

  it('reads a snapshot file, and treats a missing or malformed one as none', () => {
    const file = join(work, 'mcp-tools.json');
    expect(loadToolListSnapshot(pathToFileURL(file))).toBeNull();
    writeFileSync(file, '{ not json');
    expect(loadToolListSnapshot(pathToFileURL(file))).toBeNull();
    writeFileSync(file, JSON.stringify({ tools: [{ name: 'a', inputSchema: { type: 'object' } }] }));
    expect([...(loadToolListSnapshot(pathToFileURL(file))?.keys() ?? [])]).toEqual(['a']);
  });
});
