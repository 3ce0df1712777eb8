import { isDeployError } from '../../errors.js';
import { planRollback } from '../../rollback/plan.js';
import { imageLeftRunning, successfulReleases } from '../../state/history.js';
import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { RUN } from './fixes.js';

/** Previous image tags are recorded, and rolling back to the last one is possible (database included). */
export function rollbackRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Rollback path');
  const state = b.need(ctx.inputs.state, 'state', '.sealos/state.json', `${RUN.verify}, then ${RUN.record.toLowerCase()}`);
  if (!state) return b.done();
  const current = imageLeftRunning(state);
  const previous = [...new Set(successfulReleases(state.history).map((r) => r.image).reverse())].filter((i) => i !== current);
  b.add('state', 'last_deploy.image', 'info', `running ${current}`);
  if (previous.length === 0) {
    return b.notNeeded('state', 'history', `first release: there is no earlier image yet (a failed first release is fixed forward); ${current} becomes the rollback target of the next update`);
  }
  b.add('state', 'history', 'pass', `previous images recorded: ${previous.slice(0, 5).join(', ')}`);
  try {
    const plan = planRollback(state, { running: current });
    b.add('state', 'rollback', 'pass', `\`sealos-deploy rollback --to ${plan.to}\` returns to the release of ${plan.target.at}`);
    if (plan.backup) b.add('state', 'rollback.backup', 'pass', `the migrations changed since; restore point: backup ${plan.backup.name} (${plan.backup.created_at})`);
    else if (!ctx.hasDatabase) b.add('analysis', 'database', 'info', 'no database: rolling back changes only the image');
    else if (plan.migrations === 'unchanged') b.add('state', 'rollback.migrations', 'pass', 'no migration changed since that release: the database needs no recovery');
    if (ctx.hasDatabase) for (const w of plan.warnings) b.add('state', 'rollback.migrations', 'warn', w);
  } catch (err) {
    if (!isDeployError(err)) throw err;
    b.block('state', 'rollback', err.message, err.next);
  }
  return b.done();
}
