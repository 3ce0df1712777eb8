import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { defineTool } from '../define-tool.js';
import { domainArg, kubeconfigArg, kubeconfigOf, namespaceArg, requireContextNamespace } from './cluster-args.js';
import { MismatchView, RepairOptionView, repairOptions, stopSummary } from './decision-view.js';
import { changeLines } from './plan-lines.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { inputsFileDescription, inputsFrom, registryCredential } from './secret-files.js';

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
  image: z.string().min(1).max(512).optional().describe('The image to deploy; must match the rendered template (default: build-result.json).'),
  inputs_file: z.string().min(1).max(4096).optional().describe(inputsFileDescription),
  via: z.enum(['direct', 'template-api']).default('direct').describe('direct: server-side apply. template-api: create the instance through the region Template API (first deploy only).'),
  new_instance: z.boolean().default(false).describe('Archive .sealos/state.json and deploy a second, fresh instance next to the recorded one.'),
  domain: domainArg,
  registry_user: z.string().min(1).max(256).optional().describe('Private image: create/refresh the pull Secret with this user (with registry_password_file).'),
  registry_password_file: z.string().min(1).max(4096).optional().describe('Path of a mode-0600 file holding only the registry token.'),
  timeout_seconds: z.number().int().min(10).max(3600).default(300).describe('Rollout timeout.'),
  skip_backup: z.boolean().default(false).describe('Skip the pre-release database backup (needs acknowledge_forward_repair).'),
  acknowledge_forward_repair: z.boolean().default(false).describe('The user accepts that a rollback cannot restore the old database schema.'),
});

const output = z.object({
  outcome: z.enum(['applied', 'stopped']),
  mode: z.enum(['DEPLOY', 'UPDATE', 'STOP']),
  via: z.enum(['direct', 'template-api']).nullable(),
  app_name: z.string().nullable(),
  namespace: z.string().nullable(),
  url: z.string().nullable().describe('Where the app answers; not verified until runtime_truth_pass accepts it.'),
  image: z.string().nullable(),
  previous_image: z.string().nullable(),
  release_plan_id: z.string().nullable().describe('The server-side plan that was applied.'),
  applied: z.array(z.string()).describe('Kind/name of every object applied, in order.'),
  rollout: z.object({ ready: z.number(), desired: z.number(), duration_ms: z.number() }).nullable(),
  backup: z.string().nullable().describe('The database backup taken before a schema-changing release.'),
  archived_state: z.string().nullable(),
  notes: z.array(z.string()),
  reasons: z.array(z.string()).describe('STOP: why.'),
  mismatches: z.array(MismatchView),
  repair_options: z.array(RepairOptionView),
  next: z.string(),
});

const NEXT = 'Call runtime_truth_pass (the launch gate); only after it is accepted, record_state.';

export const deployTool = defineTool({
  name: 'deploy',
  title: 'Deploy or update on Sealos',
  description:
    "Deploy the rendered template (first deploy) or update the recorded app (UPDATE), after the user's confirmation of the plan: the server-side dry-run diff, quota, database backup and pull Secret. Then applies (Instance first, owner references), waits for the rollout and diagnoses failures (ROLLOUT_* codes with events and logs); never rolls back on its own. Secret input values come from inputs_file (mode 0600), never arguments. Returns STOP with repair options when state and cluster disagree. Long: reports progress; honours cancellation.",
  input,
  output,
  // Replaces the running release (UPDATE) and can archive state (new_instance): destructive, needs the plan confirmed.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  mutating: true,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    if (args.skip_backup && !args.acknowledge_forward_repair) {
      throw new DeployError('USAGE', 'skip_backup needs acknowledge_forward_repair.', 'Skipping the pre-release backup means a rollback cannot restore the old schema: ask the user, then pass acknowledge_forward_repair: true too.');
    }
    await requireContextNamespace(dir, args.kubeconfig, args.namespace);
    const { createRedactor } = await import('../../core/redact.js');
    const redactor = createRedactor();
    const inputs = await inputsFrom(dir, args.inputs_file, redactor);
    const cred = await registryCredential(dir, args.registry_user, args.registry_password_file, redactor);
    const { deploy } = await import('../../ops/deploy.js');
    const opts = {
      ...kubeconfigOf(dir, args.kubeconfig),
      ...(args.image ? { image: args.image } : {}),
      inputs,
      newInstance: args.new_instance,
      via: args.via,
      ...(cred ? { registryCredential: cred } : {}),
      ...(args.domain ? { domain: args.domain } : {}),
      timeoutMs: args.timeout_seconds * 1000,
      skipBackup: args.skip_backup,
      acknowledgeForwardRepair: args.acknowledge_forward_repair,
      redactor,
      progress: (m: string, p?: number, t?: number) => ctx.progress(redactor.redact(m), p, t),
      signal: ctx.signal,
    };

    let out = await deploy(dir, opts);
    if (out.outcome === 'planned') {
      const p = out.plan;
      await ctx.confirm({
        summary: `${p.mode} ${p.app_name} in ${p.namespace}${p.via === 'template-api' ? ' through the Template API' : ''} with ${p.image}${p.running_image ? ` (replacing the failed ${p.running_image}; last good ${p.previous_image})` : p.previous_image && p.previous_image !== p.image ? ` (replacing ${p.previous_image})` : ''}: ${p.summary}.`,
        // Nothing time-dependent (the backup's name carries a timestamp): the plan must fingerprint the same on the confirming call.
        changes: [
          ...changeLines(p.changes),
          ...(p.backup.required ? [p.backup.skipped ? 'database backup: SKIPPED (forward repair acknowledged)' : `database backup before applying (${p.backup.reason})`] : []),
          ...(p.pull_secret_status !== 'not-needed' ? [`image pull Secret: ${p.pull_secret_status}`] : []),
          ...p.warnings.map((w) => `warning: ${w}`),
        ],
        details: { release_plan_id: p.plan_id, mode: p.mode, image: p.image, previous_image: p.previous_image, app_domain: p.app_domain?.domain ?? null, quota: p.quota.filter((q) => !q.ok) },
      });
      out = await deploy(dir, { ...opts, confirm: true, planId: p.plan_id });
    }

    const empty = { via: null, app_name: null, namespace: null, url: null, image: null, previous_image: null, release_plan_id: null, applied: [], rollout: null, backup: null, archived_state: null, notes: [], reasons: [], mismatches: [], repair_options: [] };
    if (out.outcome === 'stopped') {
      return { summary: stopSummary(out.decision), structured: { ...empty, outcome: 'stopped' as const, mode: 'STOP' as const, reasons: out.decision.reasons, mismatches: out.decision.mismatches, repair_options: repairOptions(out.decision), next: 'Show the mismatches and repair options to the user; nothing was changed.' } };
    }
    if (out.outcome !== 'applied') throw new DeployError('INTERNAL', 'The deploy returned a plan after it was confirmed.', 'Call deploy again.');
    const a = redactor.redactDeep(out);
    const summary = [
      `${a.mode === 'DEPLOY' ? 'Deployed' : 'Updated'} ${a.app_name} in ${a.namespace}${a.via === 'template-api' ? ' through the Template API' : ''}: ${a.rollout.ready}/${a.rollout.desired} ready; image ${a.image}${a.url ? `; url ${a.url}` : ''}.`,
      ...a.notes.map((n) => `note: ${n}`),
      `Not verified yet. Next: ${NEXT}`,
    ].join('\n');
    return {
      summary,
      structured: {
        ...empty,
        outcome: 'applied' as const,
        mode: a.mode,
        via: a.via,
        app_name: a.app_name,
        namespace: a.namespace,
        url: a.url,
        image: a.image,
        previous_image: a.previous_image,
        release_plan_id: a.plan_id,
        applied: a.applied.map((o) => `${o.kind}/${o.name}`),
        rollout: { ready: a.rollout.ready, desired: a.rollout.desired, duration_ms: a.rollout.durationMs },
        backup: a.backup?.name ?? null,
        archived_state: a.archived_state,
        notes: a.notes,
        next: NEXT,
      },
    };
  },
});
