import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { defineTool } from '../define-tool.js';
import { kubeconfigArg, kubeconfigOf, namespaceArg, requireContextNamespace } from './cluster-args.js';
import { MismatchView } from './decision-view.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';

const input = z.object({
  project_dir: projectDirArg,
  repair_from_live: z.boolean().default(false).describe("Instead of recording a release, rebuild last_deploy from the live cluster (a STOP repair option); shown to the user first and written only after their yes."),
  app: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63).optional().describe('With repair_from_live: the app to adopt (default: the one state.json names).'),
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
});

const output = z.object({
  outcome: z.enum(['recorded', 'repaired']),
  action: z.string().describe('deploy, update, rollback, or repair.'),
  app_name: z.string(),
  image: z.string(),
  url: z.string().nullable(),
  path: z.string().describe('The state.json written.'),
  previous_file: z.string().nullable().describe('Backup of the previous state.json.'),
  history_length: z.number(),
  changes: z.array(MismatchView).describe('repair: last_deploy fields that changed.'),
});

export const recordStateTool = defineTool({
  name: 'record_state',
  title: 'Record the release in state.json',
  description:
    'Record the last deploy/update/rollback in .sealos/state.json (last_deploy + bounded history), only when .sealos/runtime-truth.json is an accepted, untouched Truth Pass report about exactly that release (TRUTH_NOT_ACCEPTED otherwise). With repair_from_live: rebuild last_deploy from the live cluster, after the user confirms the shown changes (the old file is kept).',
  input,
  output,
  // Writes the recorded state (what decides UPDATE vs STOP next time); never deletes: history is appended,
  // a repair keeps the replaced file. Mutating: hidden on a read-only server; the repair needs confirmation.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  mutating: true,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    const { recordState } = await import('../../ops/record.js');
    if (!args.repair_from_live) {
      if (args.app) throw new DeployError('USAGE', 'app is only used with repair_from_live.', 'Omit app: the release recorded is the one .sealos/deploy-result.json describes.');
      const r = await recordState(dir, {});
      if (r.outcome !== 'recorded') throw new DeployError('INTERNAL', `record returned ${r.outcome}.`, 'Call record_state again.');
      return {
        summary: `Recorded the ${r.action} of ${r.app_name} (${r.image}) in ${r.path}${r.url ? `; url ${r.url}` : ''}.`,
        structured: { outcome: 'recorded' as const, action: r.action, app_name: r.app_name, image: r.image, url: r.url, path: r.path, previous_file: r.backup_path, history_length: r.state.history.length, changes: [] },
      };
    }
    await requireContextNamespace(dir, args.kubeconfig, args.namespace);
    const opts = { ...kubeconfigOf(dir, args.kubeconfig), repairFromLive: true, ...(args.app ? { app: args.app } : {}) };
    const preview = await recordState(dir, opts);
    if (preview.outcome !== 'repair-planned') throw new DeployError('INTERNAL', `record returned ${preview.outcome} for a preview.`, 'Call record_state again.');
    const p = preview.preview;
    const ld = p.next.last_deploy;
    await ctx.confirm({
      summary: `Rewrite last_deploy in .sealos/state.json from what is live: ${ld.app_name} running ${ld.image} in ${ld.namespace} (the current file is kept as a backup).`,
      changes: [...p.current_problems.map((x) => `current state: ${x}`), ...p.changes.map((c) => `${c.field}: ${c.recorded ?? '(none)'} → ${c.live ?? '(none)'}`)],
      details: { app_name: ld.app_name, image: ld.image, namespace: ld.namespace },
    });
    const r = await recordState(dir, { ...opts, confirm: true });
    if (r.outcome !== 'repaired') throw new DeployError('INTERNAL', `record returned ${r.outcome} after confirmation.`, 'Call record_state again.');
    const s = r.state.last_deploy;
    return {
      summary: `Repaired ${r.path} from the live cluster: ${s.app_name} ${s.image}${r.archived_path ? ` (previous file kept as ${r.archived_path})` : ''}.`,
      structured: { outcome: 'repaired' as const, action: 'repair', app_name: s.app_name, image: s.image, url: s.url ?? null, path: r.path, previous_file: r.archived_path, history_length: r.state.history.length, changes: p.changes },
    };
  },
});
