import { resolve } from 'node:path';
import { DeployError } from '../../core/errors.js';
import { createRedactor, looksSecretName } from '../../core/redact.js';
import type { RuntimeTruthReport } from '../../core/state/runtime-truth-schema.js';
import { CLUSTER_TRUTH_DEFAULTS } from '../../core/truth/cluster/pass-defaults.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { verdictText } from '../truth-text.js';

function seconds(values: Record<string, unknown>, name: string, fallbackMs: number, allowZero: boolean): number {
  const raw = values[name];
  if (raw === undefined) return fallbackMs;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw.trim()) || !(allowZero ? n >= 0 : n > 0))
    throw new DeployError('USAGE', `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds, got "${String(raw)}".`, `e.g. --${name} ${fallbackMs / 1000}`);
  return Math.round(n * 1000);
}

function path(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.startsWith('/')) throw new DeployError('USAGE', `--${name} must be a path starting with "/".`, `e.g. --${name} /api/items`);
  return v;
}

function connectTo(raw: unknown): { host: string; port: number } | undefined {
  if (raw === undefined) return undefined;
  const m = typeof raw === 'string' ? /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw.trim()) : null;
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) throw new DeployError('USAGE', `--connect-to must be host:port, got "${String(raw)}".`, 'e.g. --connect-to 10.0.0.5:443 (the ingress address of a private cluster)');
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

const fmtMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function human(report: RuntimeTruthReport): string {
  const id = report.identity;
  const head = `Runtime Truth Pass of ${id.app_name} in ${id.namespace}: ${id.image ?? 'image unknown'}${id.url ? ` at ${id.url}` : ''}\n`;
  const rows = report.checks.map((c) => [c.status.toUpperCase(), c.id + (c.required ? '' : ' (optional)'), fmtMs(c.duration_ms), c.status === 'skip' ? `skipped: ${c.skip_reason ?? c.summary}` : c.summary]);
  return head + table(rows) + verdictText(report);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Runtime Truth Pass (the launch gate): prove the live app on the cluster works, write .sealos/runtime-truth.json',
  usage: [
    'Usage: sealos-deploy verify [dir] [--kubeconfig <file>] [--app <name>] [--window <s>] [--budget <s>] [--json]',
    '',
    '  dir                    the deployed unit (holds .sealos/; default: current directory)',
    '  --kubeconfig <file>    default: SEALOS_KUBECONFIG, KUBECONFIG, ~/.sealos/kubeconfig, ~/.kube/config',
    '  --app <name>           the app (Deployment/StatefulSet) name; default: .sealos/deploy-result.json, then state.json',
    '  --image <ref>          the image that must be running; default: from the same files',
    `  --window <s>           stability window watched for restarts, errors and Warning events (default ${CLUSTER_TRUTH_DEFAULTS.stabilityWindowMs / 1000})`,
    `  --budget <s>           time budget for the whole pass (default ${CLUSTER_TRUTH_DEFAULTS.budgetMs / 1000})`,
    '  --health-path <p>      health path (default: from the analysis)',
    '  --read-write-path <p>  a path that reads the database, proving DB-backed readiness',
    '  --smoke-path <p>       page that must render (default /)',
    '  --region <url>         Sealos region for the App Launchpad check (default: ~/.sealos/auth.json)',
    '  --connect-to <h:p>     send the app host\'s requests to this address (private clusters); Host and SNI stay the app\'s',
    '  --ca-file <pem>        extra CA for the app certificate',
    '  --json                 print the report (same document as .sealos/runtime-truth.json)',
    '',
    'Exit 0 accepted, 1 rejected, 2 error. Progress goes to stderr. Secret values never appear in the output.',
  ].join('\n'),
  options: {
    kubeconfig: { type: 'string' },
    app: { type: 'string' },
    image: { type: 'string' },
    window: { type: 'string' },
    budget: { type: 'string' },
    'health-path': { type: 'string' },
    'read-write-path': { type: 'string' },
    'smoke-path': { type: 'string' },
    region: { type: 'string' },
    'connect-to': { type: 'string' },
    'ca-file': { type: 'string' },
  },
  async run(values, positionals, io) {
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const budgetMs = seconds(values, 'budget', CLUSTER_TRUTH_DEFAULTS.budgetMs, false);
    const windowMs = seconds(values, 'window', CLUSTER_TRUTH_DEFAULTS.stabilityWindowMs, true);
    if (windowMs >= budgetMs)
      throw new DeployError('USAGE', `The stability window (${windowMs / 1000} s) must be shorter than the time budget (${budgetMs / 1000} s).`, `Raise --budget (e.g. --budget ${Math.ceil(windowMs / 1000) + 120}) or shorten --window.`);
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const healthPath = path(values, 'health-path');
    const readWritePath = path(values, 'read-write-path');
    const smokePath = path(values, 'smoke-path');
    const routeTo = connectTo(values['connect-to']);
    // Tokens in the caller's shell must not surface through evidence either.
    const redactor = createRedactor(Object.entries(io.env).flatMap(([k, v]) => (v && v.length >= 8 && looksSecretName(k) ? [v] : [])));
    const { verifyDeployment } = await import('../../ops/verify.js');
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await verifyDeployment({
        dir,
        budgetMs,
        windowMs,
        env: io.env,
        redactor,
        signal: controller.signal,
        progress: (m) => io.stderr(redactor.redact(m) + '\n'),
        ...(str('kubeconfig') ? { kubeconfig: resolve(io.cwd, str('kubeconfig') as string) } : {}),
        ...(str('app') ? { app: str('app') } : {}),
        ...(str('image') ? { image: str('image') } : {}),
        ...(str('region') ? { region: str('region') } : {}),
        ...(str('ca-file') ? { caFile: resolve(io.cwd, str('ca-file') as string) } : {}),
        ...(healthPath ? { healthPath } : {}),
        ...(readWritePath ? { readWritePath } : {}),
        ...(smokePath ? { smokePaths: [smokePath] } : {}),
        ...(routeTo ? { routeTo } : {}),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    const { report, artifact } = result;
    if (values.json) printJson(io, report);
    else io.stdout(human(report));
    if (artifact) io.stderr(`wrote ${artifact}\n`);
    return report.verdict === 'accepted' ? EXIT.ok : EXIT.rejected;
  },
};
