import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';

/** "Written": RUNBOOK.md is generated from the same artifacts as this scorecard. */
export function runbookRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Runbook');
  const path = '.sealos/RUNBOOK.md';
  if (ctx.inputs.runbook === 'written') b.add('runbook', path, 'pass', 'written from the current artifacts: launch, update, rollback, logs');
  else if (ctx.inputs.runbook === 'exists') b.add('runbook', path, 'warn', 'kept from an earlier run (not regenerated with --no-runbook); it may be out of date');
  else b.block('runbook', path, `${path} does not exist`, 'Run `sealos-deploy scorecard` without --no-runbook to write it');
  return b.done();
}
