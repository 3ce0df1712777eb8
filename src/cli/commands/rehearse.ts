import { DeployError } from '../../core/errors.js';
import type { RuntimeTruthReport } from '../../core/state/runtime-truth-schema.js';
import { resolve } from 'node:path';
import { REHEARSAL_DEFAULTS } from '../../core/truth/local/rehearse-defaults.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { verdictText } from '../truth-text.js';

function seconds(values: Record<string, unknown>, name: string, fallbackMs: number): number {
  const raw = values[name];
  if (raw === undefined) return fallbackMs;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw.trim()) || !(n > 0))
    throw new DeployError('USAGE', `--${name} must be a positive number of seconds, got "${String(raw)}".`, `e.g. --${name} ${fallbackMs / 1000}`);
  return Math.round(n * 1000);
}

const fmtMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function human(report: RuntimeTruthReport): string {
  const rows = report.checks.map((c) => [c.status.toUpperCase(), c.id + (c.required ? '' : ' (optional)'), fmtMs(c.duration_ms), c.summary]);
  const id = report.identity;
  const head = `rehearsal of ${id.dir}${id.path ? ` (unit ${id.path})` : ''} at ${id.commit?.slice(0, 12) ?? '?'}: ${id.command ?? 'no start command'} on port ${id.port ?? '?'}\n`;
  return head + table(rows) + verdictText(report);
}

export const rehearseCommand: Command = {
  name: 'rehearse',
  summary: 'Run the committed service locally and check it like the launch gate: port, 0.0.0.0, health, SIGTERM, secrets',
  usage: [
    'Usage: sealos-deploy rehearse [dir] [--path <unit>] [--env-file <file>] [--json] [--budget <seconds>] [--stability <seconds>]',
    '',
    '  dir                 the service checkout (default: current directory); the COMMITTED tree (HEAD) is rehearsed',
    '  --path <unit>       a workspace unit of a monorepo, relative to dir',
    `  --budget <s>        time budget for the whole rehearsal (default ${REHEARSAL_DEFAULTS.budgetMs / 1000})`,
    `  --stability <s>     how long the service must stay up (default ${REHEARSAL_DEFAULTS.stabilityMs / 1000})`,
    '  --inflight-path <p> path requested while SIGTERM arrives (default: the health path, else /)',
    '  --env-file <file>   NAME=value lines for the service (a local DATABASE_URL): used instead of placeholders,',
    '                      read from the file so no value is on the command line; redacted from all output',
    '  --json              print the report (same document as .sealos/rehearsal.json)',
    '',
    'Installs with the analyzed command, builds, starts with PORT and NODE_ENV=production (placeholders for',
    'required env vars), then checks. Writes .sealos/rehearsal.json. Exit 0 accepted, 1 rejected, 2 error.',
  ].join('\n'),
  options: { path: { type: 'string' }, budget: { type: 'string' }, stability: { type: 'string' }, 'inflight-path': { type: 'string' }, 'env-file': { type: 'string' } },
  async run(values, positionals, io) {
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const budgetMs = seconds(values, 'budget', REHEARSAL_DEFAULTS.budgetMs);
    const stabilityMs = seconds(values, 'stability', REHEARSAL_DEFAULTS.stabilityMs);
    const inFlight = values['inflight-path'];
    if (inFlight !== undefined && (typeof inFlight !== 'string' || !inFlight.startsWith('/')))
      throw new DeployError('USAGE', '--inflight-path must start with "/".', 'e.g. --inflight-path /healthz');

    const { rehearseProject } = await import('../../ops/rehearse.js');
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let result: Awaited<ReturnType<typeof rehearseProject>>;
    try {
      result = await rehearseProject(dir, {
        ...(typeof values.path === 'string' ? { path: values.path } : {}),
        ...(typeof inFlight === 'string' ? { inFlightPath: inFlight } : {}),
        ...(typeof values['env-file'] === 'string' ? { envFile: resolve(io.cwd, values['env-file']) } : {}),
        budgetMs,
        stabilityMs,
        env: io.env,
        signal: controller.signal,
        progress: (m) => io.stderr(m + '\n'),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    const { report, artifact: file } = result;
    if (values.json) printJson(io, report);
    else {
      io.stdout(human(report));
      io.stderr(`wrote ${file}\n`);
    }
    return report.verdict === 'accepted' ? EXIT.ok : EXIT.rejected;
  },
};
