import { join } from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { kubeconfigArg, kubeconfigOf, namespaceArg } from './cluster-args.js';
import { MismatchView, RepairOptionView, repairOptions, stopSummary } from './decision-view.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
});

const output = z.object({
  mode: z.enum(['DEPLOY', 'UPDATE', 'STOP']),
  namespace: z.string(),
  reasons: z.array(z.string()),
  identity: z.object({ app_name: z.string(), namespace: z.string(), kind: z.string().nullable(), image: z.string(), url: z.string().nullable() }).nullable().describe('UPDATE: the app confirmed live; STOP: what state.json records.'),
  existing_apps: z.array(z.string()).describe('DEPLOY: apps already in the namespace (by label).'),
  mismatches: z.array(MismatchView),
  repair_options: z.array(RepairOptionView),
});

export const decideDeployModeTool = defineTool({
  name: 'decide_deploy_mode',
  title: 'Decide DEPLOY, UPDATE or STOP',
  description:
    'Read .sealos/state.json and the live cluster (resources found by exact labels) and decide: DEPLOY (nothing recorded), UPDATE (the recorded app is live with the same namespace, labels, image and URL) or STOP (state and cluster disagree; lists every mismatch and the repair options for the user to choose). Changes nothing.',
  input,
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  mutating: false,
  async run(args) {
    const dir = resolveProjectDir(args.project_dir);
    const [{ openCluster }, { decideMode }, { readState }, { nodeStateIo }] = await Promise.all([
      import('../../ops/cluster-context.js'),
      import('../../ops/deploy-mode.js'),
      import('../../core/state/store.js'),
      import('../../system/atomic-file.js'),
    ]);
    const cluster = openCluster({ ...kubeconfigOf(dir, args.kubeconfig), ...(args.namespace ? { namespace: args.namespace } : {}) });
    const state = await readState(join(dir, '.sealos'), nodeStateIo());
    const d = await decideMode({ state, live: cluster.live, namespace: cluster.namespace });
    const id = d.identity;
    const summary =
      d.mode === 'STOP'
        ? stopSummary(d)
        : [`${d.mode} in ${cluster.namespace}${id ? ` (${id.app_name}, running ${id.image})` : ''}.`, ...d.reasons].join('\n');
    return {
      summary,
      structured: {
        mode: d.mode,
        namespace: cluster.namespace,
        reasons: d.reasons,
        identity: id ? { app_name: id.app_name, namespace: id.namespace, kind: id.kind, image: id.image, url: id.url } : null,
        existing_apps: d.existing_apps ?? [],
        mismatches: d.mismatches,
        repair_options: repairOptions(d),
      },
    };
  },
});
