import type { McpTool } from '../define-tool.js';
import { analyzeRepoTool } from './analyze-repo.js';
import { readinessScorecardTool } from './readiness-scorecard.js';

/**
 * Every tool the server offers, in the order tools/list shows them. A tool module holds only its
 * schemas and a thin adapter, and imports its core operation with `await import()` inside `run`:
 * listing tools loads no analyzer, Kubernetes client or parser (cold start), and each core module
 * loads on its first call. analyze-repo.ts is the template for a new tool:
 *   1. `input`: flat z.object with `project_dir: projectDirArg` (+ `namespace` if it talks to the cluster:
 *      a pinned server fills it in); every number gets an explicit `.max()`.
 *   2. `output`: flat z.object of what the model needs (not the whole artifact); `summary`/`truncated`
 *      are added by defineTool.
 *   3. `annotations`: all four hints; `mutating: true` for cluster/state changes, which then calls
 *      `await ctx.confirm(plan)` after computing the plan and before changing anything.
 *   4. `run`: lazy-import the core, pass `ctx.signal` and `ctx.progress`, throw DeployError on failure.
 */
export const tools: McpTool[] = [analyzeRepoTool, readinessScorecardTool];
