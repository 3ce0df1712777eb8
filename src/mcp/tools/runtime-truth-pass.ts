import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { defineTool } from '../define-tool.js';
import { kubeconfigArg, kubeconfigOf, namespaceArg, pathIn, requireContextNamespace } from './cluster-args.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { inputsFileDescription, inputsFrom } from './secret-files.js';
import { failingCheckLines, truthReportFields, truthReportView } from './truth-report-view.js';

const urlPath = z.string().regex(/^\//).max(512);

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
  app: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63).optional().describe('App (Deployment/StatefulSet) name; default: .sealos/deploy-result.json, then state.json.'),
  image: z.string().min(1).max(512).optional().describe('The image that must be running; default: from the same files.'),
  window_seconds: z.number().min(0).max(1800).default(60).describe('Stability window watched for restarts, errors and Warning events.'),
  budget_seconds: z.number().min(5).max(3600).default(300).describe('Time budget for the whole pass; must exceed the window.'),
  health_path: urlPath.optional().describe('Health path (default: from the analysis).'),
  read_write_path: urlPath.optional().describe('A path that reads the database, proving DB-backed readiness.'),
  smoke_path: urlPath.optional().describe('A page that must render (default /).'),
  region: z.string().max(256).optional().describe('Sealos region for the App Launchpad check (default: ~/.sealos/auth.json).'),
  connect_to: z.string().regex(/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/).max(300).optional().describe("host:port to send the app host's requests to (private clusters); Host and SNI stay the app's."),
  ca_file: z.string().min(1).max(4096).optional().describe("Extra CA (PEM) for the app's certificate."),
  inputs_file: z.string().min(1).max(4096).optional().describe(`${inputsFileDescription} The pass searches the logs for these values (never printed).`),
});

const output = z.object({
  ...truthReportFields,
  app_name: z.string().nullable(),
  namespace: z.string().nullable(),
  image: z.string().nullable(),
  url: z.string().nullable().describe('The verified URL (report it, never a composed one).'),
  digest: z.string(),
  artifact: z.string().nullable().describe('The runtime-truth.json written (full evidence), or null in read-only mode.'),
});

export const runtimeTruthPassTool = defineTool({
  name: 'runtime_truth_pass',
  title: 'Runtime Truth Pass (launch gate)',
  description:
    'Prove the live app works on the cluster: identity and image, rollout, public URL and TLS, health, startup/request/error logs, database, footprint, warning events, App Launchpad, no secret in logs; watched over a stability window. Verdict accepted/rejected with evidence; writes .sealos/runtime-truth.json, which record_state requires. A release is done only when this is accepted. Long: reports progress; honours cancellation.',
  input,
  output,
  // Reads the cluster and probes the public URL; writes only its own report.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    const budgetMs = Math.round(args.budget_seconds * 1000);
    const windowMs = Math.round(args.window_seconds * 1000);
    if (windowMs >= budgetMs) {
      throw new DeployError('USAGE', `The stability window (${args.window_seconds} s) must be shorter than the time budget (${args.budget_seconds} s).`, `Raise budget_seconds (e.g. ${Math.ceil(args.window_seconds) + 120}) or shorten window_seconds.`);
    }
    await requireContextNamespace(dir, args.kubeconfig, args.namespace);
    const { createRedactor } = await import('../../core/redact.js');
    const redactor = createRedactor();
    const secrets = Object.values(await inputsFrom(dir, args.inputs_file, redactor));
    const m = args.connect_to ? /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(args.connect_to) : null;
    const routeTo = m ? { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) } : undefined;
    if (routeTo && (routeTo.port < 1 || routeTo.port > 65535)) throw new DeployError('USAGE', `connect_to port ${routeTo.port} is out of range.`, 'Pass host:port, e.g. 10.0.0.5:443.');
    const { verifyDeployment } = await import('../../ops/verify.js');
    const { report, artifact } = await verifyDeployment({
      dir,
      ...kubeconfigOf(dir, args.kubeconfig),
      ...(args.app ? { app: args.app } : {}),
      ...(args.image ? { image: args.image } : {}),
      ...(args.region ? { region: args.region } : {}),
      ...(args.health_path ? { healthPath: args.health_path } : {}),
      ...(args.read_write_path ? { readWritePath: args.read_write_path } : {}),
      ...(args.smoke_path ? { smokePaths: [args.smoke_path] } : {}),
      ...(routeTo ? { routeTo } : {}),
      ...(args.ca_file ? { caFile: pathIn(dir, args.ca_file) } : {}),
      ...(secrets.length ? { secrets } : {}),
      budgetMs,
      windowMs,
      write: !ctx.readOnly,
      redactor,
      progress: (msg, p, t) => ctx.progress(redactor.redact(msg), p, t),
      signal: ctx.signal,
    });
    const id = report.identity;
    const warned = report.checks.filter((c) => c.status === 'warn');
    const summary = [
      `${report.verdict === 'accepted' ? 'ACCEPTED' : 'REJECTED'}: ${id.app_name ?? '?'} in ${id.namespace ?? '?'}${id.url ? ` at ${id.url}` : ''} (${report.verdict_reason}).`,
      ...failingCheckLines(report),
      ...warned.map((c) => `warn ${c.id}: ${c.summary}`),
      report.verdict === 'accepted' ? 'Next: record_state.' : 'Do not record state. Fix the cause (see the failure table), or offer rollback for a broken update.',
    ].join('\n');
    return {
      summary,
      structured: {
        ...truthReportView(report),
        app_name: id.app_name ?? null,
        namespace: id.namespace ?? null,
        image: id.image ?? null,
        url: id.url ?? null,
        digest: report.digest,
        artifact,
      },
    };
  },
});
