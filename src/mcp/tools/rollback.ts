import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { defineTool } from '../define-tool.js';
import { domainArg, kubeconfigArg, kubeconfigOf, namespaceArg, requireContextNamespace } from './cluster-args.js';
import { MismatchView, RepairOptionView, repairOptions, stopSummary } from './decision-view.js';
import { changeLines } from './plan-lines.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { inputsFileDescription, inputsFrom } from './secret-files.js';

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
  to: z.string().min(1).max(512).optional().describe('An image from .sealos/state.json history; default: the previous accepted image.'),
  acknowledge_forward_repair: z.boolean().default(false).describe('The user accepts that the database keeps the newer schema (needed when migrations ran since the target; see ROLLBACK_NEEDS_DB_ACK).'),
  reason: z.string().max(500).optional().describe('Why, recorded in history.'),
  inputs_file: z.string().min(1).max(4096).optional().describe(`${inputsFileDescription} Inputs not given keep the values the running release uses.`),
  domain: domainArg,
  timeout_seconds: z.number().int().min(10).max(3600).default(300).describe('Rollout timeout.'),
});

const output = z.object({
  outcome: z.enum(['applied', 'stopped']),
  app_name: z.string().nullable(),
  namespace: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  url: z.string().nullable(),
  release_plan_id: z.string().nullable().describe('The server-side plan that was applied.'),
  applied: z.array(z.string()),
  rollout: z.object({ ready: z.number(), desired: z.number(), duration_ms: z.number() }).nullable(),
  reasons: z.array(z.string()),
  mismatches: z.array(MismatchView),
  repair_options: z.array(RepairOptionView),
  next: z.string(),
});

const NEXT = 'Call runtime_truth_pass; once it is accepted, record_state writes the rollback to history.';

export const rollbackTool = defineTool({
  name: 'rollback',
  title: 'Roll back to a previous image',
  description:
    "Roll the recorded app back to an image from .sealos/state.json history (default: the previous accepted one), after the user's confirmation of the plan (dry-run diff, target image, releases undone, database migrations crossed). Refuses to cross a schema-changing migration without acknowledge_forward_repair (ROLLBACK_NEEDS_DB_ACK). Applies under the same identity and URL, waits for the rollout. Long: reports progress; honours cancellation.",
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  mutating: true,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    await requireContextNamespace(dir, args.kubeconfig, args.namespace);
    const { createRedactor } = await import('../../core/redact.js');
    const redactor = createRedactor();
    const inputs = await inputsFrom(dir, args.inputs_file, redactor);
    const { rollback } = await import('../../ops/rollback.js');
    const opts = {
      ...kubeconfigOf(dir, args.kubeconfig),
      ...(args.to ? { to: args.to } : {}),
      acknowledgeForwardRepair: args.acknowledge_forward_repair,
      ...(args.reason ? { reason: args.reason } : {}),
      inputs,
      ...(args.domain ? { domain: args.domain } : {}),
      timeoutMs: args.timeout_seconds * 1000,
      redactor,
      progress: (m: string, p?: number, t?: number) => ctx.progress(redactor.redact(m), p, t),
      signal: ctx.signal,
    };
    let out = await rollback(dir, opts);
    if (out.outcome === 'planned') {
      const p = out.plan;
      await ctx.confirm({
        summary: `Roll ${p.app_name} in ${p.namespace} back from ${p.from} to ${p.to}, undoing ${p.entries.length} release(s): ${p.summary}.`,
        changes: [
          ...changeLines(p.changes),
          ...(p.needs_db_ack ? [p.backup ? `database: migrations changed since ${p.to}; restore backup ${p.backup.name} or repair forward` : `database: migrations changed since ${p.to}; the schema stays newer (forward repair acknowledged)`] : []),
          ...p.warnings.map((w) => `warning: ${w}`),
        ],
        details: { release_plan_id: p.plan_id, from: p.from, to: p.to, needs_db_ack: p.needs_db_ack },
      });
      out = await rollback(dir, { ...opts, confirm: true, planId: p.plan_id });
    }
    const empty = { app_name: null, namespace: null, from: null, to: null, url: null, release_plan_id: null, applied: [], rollout: null, reasons: [], mismatches: [], repair_options: [] };
    if (out.outcome === 'stopped') {
      return { summary: stopSummary(out.decision), structured: { ...empty, outcome: 'stopped' as const, reasons: out.decision.reasons, mismatches: out.decision.mismatches, repair_options: repairOptions(out.decision), next: 'Show the mismatches and repair options to the user; nothing was changed.' } };
    }
    if (out.outcome !== 'applied') throw new DeployError('INTERNAL', 'The rollback returned a plan after it was confirmed.', 'Call rollback again.');
    return {
      summary: `Rolled ${out.app_name} back from ${out.from} to ${out.to}: ${out.rollout.ready}/${out.rollout.desired} ready${out.url ? `; url ${out.url}` : ''}.\nNot verified yet. Next: ${NEXT}`,
      structured: {
        ...empty,
        outcome: 'applied' as const,
        app_name: out.app_name,
        namespace: out.namespace,
        from: out.from,
        to: out.to,
        url: out.url,
        release_plan_id: out.plan_id,
        applied: out.applied.map((o) => `${o.kind}/${o.name}`),
        rollout: { ready: out.rollout.ready, desired: out.rollout.desired, duration_ms: out.rollout.durationMs },
        next: NEXT,
      },
    };
  },
});
