import { resolve } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { refuseReadOnly } from './read-only-guard.js';
import { failingCheckLines, truthReportFields, truthReportView } from './truth-report-view.js';

const input = z.object({
  project_dir: projectDirArg,
  path: z.string().max(1024).optional().describe('Workspace unit of a monorepo, relative to project_dir.'),
  budget_seconds: z.number().min(5).max(1800).default(300).describe('Time budget for the whole rehearsal (install, build, start, checks).'),
  stability_seconds: z.number().min(1).max(600).default(10).describe('How long the service must stay up without exiting.'),
  inflight_path: z.string().regex(/^\//).max(512).optional().describe('Path requested while SIGTERM arrives (default: the health path, else /).'),
  env_file: z.string().max(1024).optional().describe('A dotenv file (relative to project_dir) of values for the service, e.g. a local DATABASE_URL; used instead of placeholders, never echoed.'),
});

const output = z.object({
  ...truthReportFields,
  commit: z.string().nullable(),
  command: z.string().nullable(),
  port: z.number().nullable(),
  artifact: z.string().describe('The rehearsal.json written (full evidence).'),
});

export const rehearseTool = defineTool({
  name: 'rehearse',
  title: 'Rehearse locally',
  description:
    'Run the committed service (git HEAD, in a clean worktree) the way the cluster will: install, build, start with PORT and NODE_ENV=production, then check it listens on all interfaces, answers its health path, stays up, shuts down on SIGTERM and leaks no secrets. Catches "works on my machine" before an image is built. Writes .sealos/rehearsal.json. Long: reports progress; honours cancellation.',
  input,
  output,
  // Runs the app in a throwaway worktree and writes its own report: nothing outside changes.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    refuseReadOnly(ctx.readOnly, 'rehearse', '.sealos/rehearsal.json (and runs the app)');
    const { rehearseProject } = await import('../../ops/rehearse.js');
    const { report, artifact } = await rehearseProject(dir, {
      ...(args.path ? { path: args.path } : {}),
      ...(args.inflight_path ? { inFlightPath: args.inflight_path } : {}),
      ...(args.env_file ? { envFile: resolve(dir, args.env_file) } : {}),
      budgetMs: Math.round(args.budget_seconds * 1000),
      stabilityMs: Math.round(args.stability_seconds * 1000),
      signal: ctx.signal,
      progress: ctx.progress,
    });
    const summary = [
      `Rehearsal ${report.verdict.toUpperCase()}: ${report.verdict_reason}`,
      ...failingCheckLines(report),
      `Evidence in ${artifact}.`,
    ].join('\n');
    return {
      summary,
      structured: {
        ...truthReportView(report),
        commit: report.identity.commit ?? null,
        command: report.identity.command ?? null,
        port: report.identity.port ?? null,
        artifact,
      },
    };
  },
});
