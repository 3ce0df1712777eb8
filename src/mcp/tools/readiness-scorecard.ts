import { z } from 'zod';
import { RowName, RowStatus } from '../../core/scorecard/schema.js';
import { defineTool } from '../define-tool.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';

const input = z.object({
  project_dir: projectDirArg,
  path: z.string().max(1024).optional().describe('Workspace unit in a monorepo, relative to project_dir.'),
  write_runbook: z.boolean().default(true).describe('Write .sealos/RUNBOOK.md (ignored in read-only mode).'),
});

const output = z.object({
  launchable: z.boolean(),
  reason: z.string(),
  rows: z.array(z.object({ row: RowName, status: RowStatus, fix: z.string().nullable(), evidence: z.array(z.string()) })),
  runbook_path: z.string().nullable(),
});

export const readinessScorecardTool = defineTool({
  name: 'readiness_scorecard',
  title: 'Production readiness scorecard',
  description:
    "The checklist's 14-row production scorecard (build, process model, resources, env, health, database, domain/HTTPS, storage, scaling, logs, backups, rollback, security, runbook): each row ready / not-ready / not-needed / unknown with evidence and the fix, from .sealos/ artifacts and the last Truth Pass. Writes .sealos/RUNBOOK.md with this app's launch, update and rollback commands.",
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    const { readinessScorecard } = await import('../../ops/scorecard.js');
    const { scorecard, runbook_path } = await readinessScorecard(dir, { ...(args.path ? { path: args.path } : {}), writeRunbook: args.write_runbook && !ctx.readOnly });
    const open = scorecard.rows.filter((r) => r.status === 'not-ready' || r.status === 'unknown');
    return {
      summary: `${scorecard.overall.reason}${open.length ? `\nOpen rows: ${open.map((r) => `${r.row} (${r.status})`).join(', ')}` : ''}`,
      structured: {
        launchable: scorecard.overall.launchable,
        reason: scorecard.overall.reason,
        rows: scorecard.rows.map((r) => ({ row: r.row, status: r.status, fix: r.fix, evidence: r.evidence.map((e) => `${e.artifact}:${e.key} ${e.result}: ${e.text}`) })),
        runbook_path,
      },
    };
  },
});
