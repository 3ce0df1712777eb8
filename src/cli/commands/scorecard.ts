import { resolve } from 'node:path';
import type { Scorecard } from '../../core/scorecard/index.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';

const LABEL = { ready: 'Ready', 'not-ready': 'NOT READY', 'not-needed': 'Not needed', unknown: 'Unknown' } as const;

function human(card: Scorecard): string {
  const rows = card.rows.map((r) => [r.row, LABEL[r.status], r.fix ?? '']);
  return `${table([['row', 'status', 'fix'], ...rows])}\n${card.overall.reason}\n`;
}

export const scorecardCommand: Command = {
  name: 'scorecard',
  summary: 'The 14-row production readiness scorecard from .sealos/ artifacts; writes .sealos/RUNBOOK.md',
  usage: [
    'Usage: sealos-deploy scorecard [dir] [--path <unit>] [--json] [--no-runbook] [--strict]',
    '',
    '  dir            the service checkout (default: current directory)',
    '  --path <unit>  a workspace unit of a monorepo, relative to dir (e.g. apps/api)',
    '  --json         print the scorecard document ({scorecard, runbook_path})',
    '  --no-runbook   do not write .sealos/RUNBOOK.md',
    '  --strict       exit 1 when any row is not ready',
    '',
    'Each row is Ready, Not ready, Not needed or Unknown, with its evidence and fix. Missing artifacts make',
    'rows Unknown, never Ready. The launch gate: launchable only when the Runtime Truth Pass of this release',
    'is accepted and no row is not ready. This is a report: it exits 0 even when not launchable (unless --strict).',
  ].join('\n'),
  options: { path: { type: 'string' }, 'no-runbook': { type: 'boolean' }, strict: { type: 'boolean' } },
  async run(values, positionals, io) {
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const path = typeof values.path === 'string' ? values.path : undefined;
    const { readinessScorecard } = await import('../../ops/scorecard.js');
    const result = await readinessScorecard(dir, { path, writeRunbook: values['no-runbook'] !== true });
    if (values.json) printJson(io, result);
    else {
      io.stdout(human(result.scorecard));
      if (result.runbook_path) io.stderr(`wrote ${result.runbook_path}\n`);
    }
    return values.strict === true && result.scorecard.overall.counts.not_ready > 0 ? EXIT.rejected : EXIT.ok;
  },
};
