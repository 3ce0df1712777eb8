import { z } from 'zod';
import { defineTool, type McpTool } from '../define-tool.js';
import { projectDirArg } from './project-dir.js';
import { caFileDescription, type SealosToolDeps } from './sealos-deps.js';

const input = z.object({
  project_dir: projectDirArg,
  ca_file: z.string().min(1).max(4096).optional().describe(caFileDescription),
});

const output = z.object({
  region: z.string(),
  current: z.string().nullable().describe('The namespace deploys target now.'),
  workspaces: z.array(z.object({ id: z.string().describe('The namespace (ns-…).'), team: z.string(), role: z.enum(['owner', 'manager', 'developer', 'unknown']), type: z.string().nullable(), current: z.boolean() })),
});

const ROLES = ['owner', 'manager', 'developer'] as const;

export function createWorkspaceListTool(deps: SealosToolDeps = {}): McpTool {
  return defineTool({
    name: 'workspace_list',
    title: 'List Sealos workspaces',
    description: 'The workspaces (namespaces) of the signed-in Sealos account, and which one deploys target now. Needs a login (LOGIN_REQUIRED / AUTH_EXPIRED → login). Changes nothing.',
    input,
    output,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    mutating: false,
    async run(args, ctx) {
      const { listWorkspaces } = await import('../../sealos/workspaces.js');
      const r = await listWorkspaces({ env: deps.env ?? process.env, ...(deps.http ? { http: deps.http } : {}), ...(args.ca_file ? { caFile: args.ca_file } : {}), signal: ctx.signal });
      const rows = r.workspaces.map((w) => ({ id: w.id, team: w.teamName, role: (w.role === null ? 'unknown' : (ROLES[w.role] ?? 'unknown')) as (typeof ROLES)[number] | 'unknown', type: w.nstype, current: w.current }));
      return {
        summary: `${rows.length} workspace(s) in ${r.region}: ${rows.map((w) => `${w.current ? '*' : ''}${w.id} (${w.team}, ${w.role})`).join(', ')}.${r.current ? '' : ' No current workspace is recorded: workspace_switch picks one.'}`,
        structured: { region: r.region, current: r.current?.id ?? null, workspaces: rows },
      };
    },
  });
}

export const workspaceListTool = createWorkspaceListTool();
