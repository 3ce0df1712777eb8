// tools/list, answered from a snapshot taken at build time. The SDK converts every tool's zod input
// and output schema to JSON Schema on each tools/list; for our 15 tools that is the largest single
// cost of a cold start after compiling. scripts/build.mjs asks the freshly built server for its list
// and writes it next to the bundle; the bundled server serves it. From source there is no snapshot
// and the SDK computes the list as usual (test/e2e/mcp-stdio.test.ts checks the two are equal).
import { readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

export const TOOL_LIST_SNAPSHOT = 'mcp-tools.json';

/** The snapshot beside this module (dist/ when bundled), by tool name; null when there is none or it is unusable. */
export function loadToolListSnapshot(url = new URL(`./${TOOL_LIST_SNAPSHOT}`, import.meta.url)): Map<string, Tool> | null {
  try {
    const doc = JSON.parse(readFileSync(url, 'utf8')) as { tools?: Tool[] };
    if (!Array.isArray(doc.tools)) return null;
    return new Map(doc.tools.map((t) => [t.name, t]));
  } catch {
    return null;
  }
}

/**
 * Serves tools/list from the snapshot when it describes every tool this server registered, in
 * registration order as the SDK does; otherwise leaves the SDK's handler alone.
 */
export function serveToolListSnapshot(server: McpServer, registered: string[], snapshot: Map<string, Tool> | null): boolean {
  const tools = registered.map((name) => snapshot?.get(name));
  if (!snapshot || tools.some((t) => t === undefined)) return false;
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools as Tool[] }));
  return true;
}
