import { z } from 'zod';
import { imageSetBy } from '../../core/state/state-schema.js';
import { defineTool } from '../define-tool.js';
import { kubeconfigArg, kubeconfigOf, namespaceArg } from './cluster-args.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
  app: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63).optional().describe('Show this app instead of the one .sealos/state.json records.'),
  apps: z.boolean().default(false).describe('List the apps in the namespace by the label cloud.sealos.io/app-deploy-manager (exact values).'),
  log_lines: z.number().int().min(0).max(50).default(30).describe('Recent log lines of one pod (redacted).'),
});

const output = z.object({
  outcome: z.enum(['app', 'no-state']),
  namespace: z.string(),
  app_name: z.string().nullable(),
  url: z.string().nullable().describe('The live App CR URL, else the first Ingress host.'),
  workload: z.object({ kind: z.string(), image: z.string().nullable(), status: z.string(), replicas: z.number(), ready: z.number(), condition: z.string().nullable() }).nullable(),
  restarts: z.number(),
  pods: z.array(z.object({ name: z.string(), phase: z.string(), ready: z.boolean(), restarts: z.number(), state: z.string(), last_termination_reason: z.string().nullable() })),
  database: z.object({ name: z.string(), phase: z.string().nullable() }).nullable(),
  backups: z.array(z.object({ name: z.string(), phase: z.string().nullable(), created_at: z.string().nullable() })),
  recorded: z.object({ image: z.string(), url: z.string().nullable(), last_updated_at: z.string() }).nullable(),
  drift: z.array(z.string()).describe('Where the live app differs from state.json.'),
  history: z.array(z.object({ action: z.string(), at: z.string(), status: z.string(), image: z.string().nullable() })).describe('Last recorded releases, oldest first.'),
  warning_events: z.array(z.string()),
  log_tail: z.array(z.string()),
  apps: z.array(z.object({ app_name: z.string(), workloads: z.array(z.string()), host: z.string().nullable() })).describe('no-state / apps: apps found by label.'),
  message: z.string().nullable().describe('no-state: what was found instead; app: a note such as "deployed, not recorded yet".'),
});

export const statusTool = defineTool({
  name: 'status',
  title: 'Live status',
  description:
    "The recorded app (or `app`) as it is live: workload and pods (ready, restarts, state), URL, database and backups, warning events, recent logs (redacted), drift from .sealos/state.json and the last releases. Without state (or with apps: true): the apps in the namespace by label. Changes nothing.",
  input,
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  mutating: false,
  async run(args) {
    const dir = resolveProjectDir(args.project_dir);
    const { status } = await import('../../ops/status.js');
    const out = await status(dir, {
      ...kubeconfigOf(dir, args.kubeconfig),
      ...(args.namespace ? { namespace: args.namespace } : {}),
      ...(args.app ? { app: args.app } : {}),
      apps: args.apps,
      // 0 means "no logs": the op treats 0 as its default, so ask for one line and drop it.
      logLines: Math.max(1, args.log_lines),
    });
    const none = { app_name: null, url: null, workload: null, restarts: 0, pods: [], database: null, backups: [], recorded: null, drift: [], history: [], warning_events: [], log_tail: [], apps: [], message: null };
    if (out.outcome === 'no-state') {
      return {
        summary: out.message,
        structured: {
          ...none,
          outcome: 'no-state' as const,
          namespace: out.namespace,
          message: out.message,
          apps: out.apps.map((a) => ({ app_name: a.app_name, workloads: a.workloads.map((w) => `${w.kind}/${w.name} ${w.readyReplicas}/${w.replicas} ${w.image ?? ''}`.trim()), host: a.workloads.find((w) => w.host)?.host ?? null })),
        },
      };
    }
    const s = out.status;
    const w = s.workload;
    const summary = [
      `${s.app_name} in ${s.namespace}: ${w ? `${w.kind} ${w.status}, ${w.ready}/${w.replicas} ready, ${s.restarts} restart(s), image ${w.image ?? '(none)'}` : 'no workload'}${s.url ? `; url ${s.url}` : ''}.`,
      ...(out.note ? [out.note] : []),
      ...out.drift.map((d) => `drift: ${d}`),
      ...s.warning_events.slice(-3).map((e) => `event: ${e}`),
    ].join('\n');
    return {
      summary,
      structured: {
        ...none,
        outcome: 'app' as const,
        namespace: s.namespace,
        app_name: s.app_name,
        url: s.url,
        workload: w ? { kind: w.kind, image: w.image, status: w.status, replicas: w.replicas, ready: w.ready, condition: w.condition } : null,
        restarts: s.restarts,
        pods: s.pods.map((p) => ({ name: p.name, phase: p.phase, ready: p.ready, restarts: p.restarts, state: p.state, last_termination_reason: p.last_termination_reason })),
        database: s.database,
        backups: s.backups.slice(-10),
        recorded: out.recorded,
        drift: out.drift,
        history: out.history.map((h) => ({ action: h.action, at: h.at, status: h.status, image: imageSetBy(h) })),
        warning_events: s.warning_events,
        log_tail: args.log_lines === 0 ? [] : (s.log_tail?.lines ?? []).slice(-args.log_lines),
        message: out.note,
      },
    };
  },
});

