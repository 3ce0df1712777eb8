import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { readPackageText } from './package-files.js';

const dirArg = { project_dir: z.string().optional().describe('Absolute path of the project; defaults to the current directory.') };

function user(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

const project = (dir: string | undefined) => (dir ? `the project at ${dir}` : 'the project in the current directory');

const FLOWS = {
  deploy: {
    title: 'Deploy to Sealos',
    description: 'Take a Node.js service from this checkout to a verified production deployment.',
    text: (p: string) => `Deploy ${p} to Sealos, following the sealos-deploy skill:
1. preflight (kubeconfig, namespace, Docker/registry), then analyze_repo; show me failing findings and ask before fixing code.
2. decide_deploy_mode: follow DEPLOY / UPDATE / STOP exactly; on STOP show the repair options and wait for my choice.
3. build_image only when no reusable linux/amd64 image exists; render_template and show me required inputs (never echo secret values).
4. deploy: show me the plan it returns and wait for my explicit yes before confirming.
5. runtime_truth_pass; if rejected, explain each failing check in plain words with its fix (references/failure-table.md) and do not record state.
6. record_state only after the Truth Pass is accepted; then give me the live URL and the rollback command.`,
  },
  update: {
    title: 'Update the Sealos deployment',
    description: 'Ship a new release of an app already deployed and recorded in .sealos/state.json.',
    text: (p: string) => `Update the Sealos deployment of ${p}:
1. status and decide_deploy_mode; continue only if the mode is UPDATE (state and live cluster agree). On STOP, show the repair options.
2. analyze_repo for changes since the last release (port, env vars, migrations); flag schema-changing migrations and ask about a backup first.
3. build_image with a new unique tag, render_template, then deploy (show me the plan; confirm only after my yes).
4. runtime_truth_pass; accepted → record_state; rejected → explain the failing checks and offer rollback.`,
  },
  rollback: {
    title: 'Roll back the Sealos deployment',
    description: 'Return the app to a previous image from history, with database awareness.',
    text: (p: string) => `Roll back the Sealos deployment of ${p}:
1. status: show the current image and the previous images from .sealos/state.json history.
2. rollback: show me its plan, including any database warning (schema changes since the target image need a restore or a forward fix); wait for my explicit yes.
3. runtime_truth_pass on the rolled-back release; record_state only when it is accepted (action "rollback").`,
  },
} as const;

export function registerPrompts(server: McpServer, readOnly: boolean): void {
  // In read-only mode the mutating flows are not offered: their tools are not registered either.
  if (!readOnly) {
    for (const [name, flow] of Object.entries(FLOWS)) {
      server.registerPrompt(name, { title: flow.title, description: flow.description, argsSchema: dirArg }, ({ project_dir }) => user(flow.text(project(project_dir))));
    }
  }
  server.registerPrompt(
    'production-checklist',
    { title: 'Production checklist review', description: 'Walk the Node.js production checklist for this project and show what is ready and what is not.', argsSchema: dirArg },
    async ({ project_dir }) => {
      const checklist = await readPackageText('skills/sealos-deploy/references/production-checklist.md');
      return {
        messages: [
          { role: 'user' as const, content: { type: 'resource' as const, resource: { uri: 'sealos-deploy://checklist', mimeType: 'text/markdown', text: checklist } } },
          {
            role: 'user' as const,
            content: {
              type: 'text' as const,
              text: `Review ${project(project_dir)} against this checklist. Run analyze_repo (and readiness_scorecard when available); report each section as Ready / Not ready / Needs a human, with the evidence (file:line) and the fix. Ask me before changing any file.`,
            },
          },
        ],
      };
    },
  );
}
