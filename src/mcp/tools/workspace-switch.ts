import { z } from 'zod';
import { defineTool, type McpTool } from '../define-tool.js';
import { projectDirArg } from './project-dir.js';
import { caFileDescription, kubeconfigShadowNote, type SealosToolDeps } from './sealos-deps.js';

const input = z.object({
  project_dir: projectDirArg,
  workspace: z.string().min(1).max(200).describe('Workspace id (ns-…), uid or exact team name, from workspace_list.'),
  ca_file: z.string().min(1).max(4096).optional().describe(caFileDescription),
});

const output = z.object({
  region: z.string(),
  previous: z.string().nullable(),
  namespace: z.string().describe('The namespace deploys now target.'),
  team: z.string(),
  kubeconfig_path: z.string(),
  note: z.string().nullable(),
});

export function createWorkspaceSwitchTool(deps: SealosToolDeps = {}): McpTool {
  return defineTool({
    name: 'workspace_switch',
    title: 'Switch Sealos workspace',
    description:
      'Make another workspace of the signed-in account the deploy target: exact id, uid or team name (never a substring). Rewrites ~/.sealos/kubeconfig and auth.json (0600). Ask the user before switching: every later cluster tool acts in the new namespace. confirm/plan_id are not used.',
    input,
    output,
    // Replaces the credentials deploys use (switching back restores them): mutating, not destructive.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    mutating: true,
    async run(args, ctx) {
      const env = deps.env ?? process.env;
      const { switchWorkspace } = await import('../../sealos/workspaces.js');
      const r = await switchWorkspace({ env, target: args.workspace, ...(deps.http ? { http: deps.http } : {}), ...(args.ca_file ? { caFile: args.ca_file } : {}), progress: ctx.progress, signal: ctx.signal });
      const note = kubeconfigShadowNote(env);
      return {
        summary: `Switched to ${r.namespace} (${r.workspace.teamName}); deploys now target this namespace.${note ? `\n${note}` : ''}`,
        structured: { region: r.region, previous: r.previous?.id ?? null, namespace: r.namespace, team: r.workspace.teamName, kubeconfig_path: r.kubeconfig_path, note },
      };
    },
  });
}

export const workspaceSwitchTool = createWorkspaceSwitchTool();
