import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version.js';
import { DEFAULT_CAPS, type Caps } from './caps.js';
import { PlanStore } from './confirmation.js';
import type { McpTool } from './define-tool.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { loadToolListSnapshot, serveToolListSnapshot } from './tool-list-snapshot.js';
import { tools as defaultTools } from './tools/index.js';

export interface ServerOptions {
  /** Register no mutating tool and no mutating prompt; tools write no `.sealos/` artifact. */
  readOnly?: boolean;
  /** Pin every namespace argument to this namespace. */
  namespace?: string;
  /** Defaults to the registry in tools/index.ts; tests pass fixtures. */
  tools?: McpTool[];
  /** Shared across the sessions of one process (Streamable HTTP); a fresh store otherwise. */
  plans?: PlanStore;
  caps?: Caps;
  /** Where resources/list looks for `.sealos/` artifacts; defaults to the working directory. */
  projectDir?: string;
  /** Answer tools/list from the build-time snapshot beside the bundle when there is one (default true). */
  toolListSnapshot?: boolean;
}

const INSTRUCTIONS = `sealos-deploy ships a Node.js service to production on Sealos and keeps it there.
Every tool takes project_dir (absolute path of the checkout). Start with preflight and analyze_repo; decide_deploy_mode says DEPLOY, UPDATE or STOP.
Mutating tools (deploy, rollback, record_state repair) first return a plan: show it to the user and re-call with confirm: true and the plan_id only after the user agrees.
A release is accepted only by runtime_truth_pass; record_state refuses otherwise. Errors carry a stable code and a "next:" step: follow it.`;

export function createServer(options: ServerOptions = {}): McpServer {
  const readOnly = options.readOnly ?? false;
  const server = new McpServer(
    { name: 'sealos-deploy', title: 'Sealos Deploy', version: VERSION },
    // Declared up front so list/call handlers exist even when read-only mode registers few tools.
    // Our tools take a handful of scalars; a huge argument object is a mistake or an attack, refused before parsing.
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS, maxToolInputElements: 1_000 },
  );
  const env = { namespace: options.namespace, readOnly, plans: options.plans ?? new PlanStore(), caps: options.caps ?? DEFAULT_CAPS };
  const registered: string[] = [];
  for (const tool of options.tools ?? defaultTools) {
    if (readOnly && tool.mutating) continue;
    tool.register(server, env);
    registered.push(tool.name);
  }
  if (options.toolListSnapshot !== false && !options.tools) serveToolListSnapshot(server, registered, loadToolListSnapshot());
  registerResources(server, options.projectDir ?? process.cwd());
  registerPrompts(server, readOnly);
  return server;
}
