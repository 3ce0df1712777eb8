import type { McpTool } from '../define-tool.js';
import { analyzeRepoTool } from './analyze-repo.js';
import { buildImageTool } from './build-image.js';
import { decideDeployModeTool } from './decide-deploy-mode.js';
import { deployTool } from './deploy.js';
import { loginTool } from './login.js';
import { preflightTool } from './preflight.js';
import { readinessScorecardTool } from './readiness-scorecard.js';
import { recordStateTool } from './record-state.js';
import { rehearseTool } from './rehearse.js';
import { renderTemplateTool } from './render-template.js';
import { rollbackTool } from './rollback.js';
import { runtimeTruthPassTool } from './runtime-truth-pass.js';
import { statusTool } from './status.js';
import { workspaceListTool } from './workspace-list.js';
import { workspaceSwitchTool } from './workspace-switch.js';

/**
 * Every tool the server offers, in the order tools/list shows them (the order of a release). A tool
 * module holds only its schemas and a thin adapter, and imports its core operation with `await import()`
 * inside `run`: listing tools loads no analyzer, Kubernetes client or parser (cold start), and each core
 * module loads on its first call. analyze-repo.ts is the template for a new tool:
 *   1. `input`: flat z.object with `project_dir: projectDirArg` (+ `kubeconfig`/`namespace` from
 *      cluster-args.ts if it talks to the cluster: a pinned server fills namespace in); every number gets
 *      an explicit `.max()`. Secrets only as paths of 0600 files (secret-files.ts), never as values.
 *   2. `output`: flat z.object of what the model needs (not the whole artifact); `summary`/`truncated`
 *      are added by defineTool.
 *   3. `annotations`: all four hints; `mutating: true` for cluster/state changes, which then calls
 *      `await ctx.confirm(plan)` after computing the plan and before changing anything.
 *   4. `run`: lazy-import the core, pass `ctx.signal` and `ctx.progress`, throw DeployError on failure.
 *
 * Mutating (hidden by --read-only), and why:
 *   deploy, rollback     change what runs in the cluster; the plan is confirmed first.
 *   record_state         writes .sealos/state.json, which decides UPDATE vs STOP; repair_from_live is confirmed.
 *   build_image          pushes an image to a registry and writes Dockerfile/build-result; reusing a foreign image is confirmed.
 *   login, workspace_switch  replace ~/.sealos/kubeconfig, i.e. where every later cluster tool acts.
 * Not mutating: preflight, decide_deploy_mode, status, workspace_list (read only); analyze_repo,
 * render_template, rehearse, runtime_truth_pass, readiness_scorecard write only their own derived
 * `.sealos/` report (skipped or refused in read-only mode) and change nothing outside the checkout.
 */
export const tools: McpTool[] = [
  preflightTool,
  analyzeRepoTool,
  rehearseTool,
  decideDeployModeTool,
  buildImageTool,
  renderTemplateTool,
  deployTool,
  runtimeTruthPassTool,
  recordStateTool,
  rollbackTool,
  statusTool,
  readinessScorecardTool,
  loginTool,
  workspaceListTool,
  workspaceSwitchTool,
];
