import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { domainArg, kubeconfigArg, kubeconfigOf, namespaceArg } from './cluster-args.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { inputsFileDescription, inputsFrom } from './secret-files.js';

const input = z.object({
  project_dir: projectDirArg,
  kubeconfig: kubeconfigArg,
  namespace: namespaceArg,
  domain: domainArg,
  image: z.string().min(1).max(512).optional().describe('An image built elsewhere (then Docker is not needed).'),
  inputs_file: z.string().min(1).max(4096).optional().describe(inputsFileDescription),
});

const Status = z.enum(['pass', 'warn', 'fail', 'skip']);
const output = z.object({
  ready: z.boolean(),
  blockers: z.array(z.object({ check: z.string(), code: z.string(), message: z.string(), next: z.string() })),
  warnings: z.array(z.object({ check: z.string(), code: z.string(), message: z.string(), next: z.string() })),
  checks: z.array(z.object({ id: z.string(), status: Status, code: z.string(), summary: z.string() })),
  cluster: z.object({ kubeconfig_source: z.string(), kubeconfig_path: z.string(), context: z.string(), namespace: z.string(), server: z.string() }).nullable(),
});

export const preflightTool = defineTool({
  name: 'preflight',
  title: 'Preflight checks',
  description:
    'Check everything a deploy needs without changing anything: kubeconfig, API reachability and TLS, accepted credentials, every permission in the namespace, quota headroom for the rendered template, the app domain, the git state, and Docker when an image still has to be built. Each blocker comes with its code and next step.',
  input,
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    const { createRedactor } = await import('../../core/redact.js');
    const redactor = createRedactor();
    const inputs = await inputsFrom(dir, args.inputs_file, redactor);
    const { preflight } = await import('../../ops/preflight.js');
    ctx.progress('Checking kubeconfig, cluster, permissions, quota, git and Docker', 0, 1);
    const report = redactor.redactDeep(
      await preflight(dir, {
        ...kubeconfigOf(dir, args.kubeconfig),
        ...(args.namespace ? { namespace: args.namespace } : {}),
        ...(args.domain ? { domain: args.domain } : {}),
        ...(args.image ? { image: args.image } : {}),
        inputs,
      }),
    );
    ctx.progress('Preflight complete', 1, 1);
    const summary = [
      report.ready ? `Ready to deploy${report.warnings.length ? ` (${report.warnings.length} warning(s))` : ''}${report.cluster ? ` to ${report.cluster.namespace} on ${report.cluster.server}` : ''}.` : `Not ready: ${report.blockers.length} blocker(s).`,
      ...report.blockers.map((b) => `blocker ${b.check} ${b.code}: ${b.message} next: ${b.next}`),
      ...report.warnings.map((w) => `warning ${w.check} ${w.code}: ${w.message}`),
    ].join('\n');
    return {
      summary,
      structured: {
        ready: report.ready,
        blockers: report.blockers,
        warnings: report.warnings,
        checks: report.checks.map((c) => ({ id: c.id, status: c.status, code: c.code, summary: c.summary })),
        cluster: report.cluster,
      },
    };
  },
});
