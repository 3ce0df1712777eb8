import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { PROCESS_FINDINGS } from './build.js';
import { RUN } from './fixes.js';

/**
 * One foreground production process that reads PORT, binds all interfaces and shuts down cleanly.
 * The analysis alone is not proof: a rehearsal or a Truth Pass must have seen it start and stay up.
 */
export function processRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Process model');
  const { a } = ctx;
  if (a.kind === 'not-deployable') b.block('analysis', 'kind', `not a deployable service: ${a.kind_reason}`, 'Point sealos-deploy at the service unit (--path) or add a server entrypoint');
  if (a.commands.start === null && a.kind !== 'static') b.block('analysis', 'commands.start', 'no start command was found', 'Add a "start" script that runs the production server in the foreground');
  else if (a.commands.start !== null) b.add('analysis', 'commands.start', 'info', `start: ${a.commands.start}${a.entrypoint ? ` (entrypoint ${a.entrypoint})` : ''}`);
  for (const issue of a.commands.start_issues) b.block('analysis', 'commands.start_issues', issue, `Make the start command run one foreground production process (${issue})`);
  b.findings(a, PROCESS_FINDINGS);

  const pattern = CHECK_PATTERNS['Process model']!;
  const local = b.checks(ctx.rehearsal, 'rehearsal', pattern, 'Fix how the service starts and stays up');
  const live = b.checks(ctx.truth, 'runtime-truth', pattern, 'Fix the crash or restart the Truth Pass found');
  if (ctx.rehearsal && !ctx.rehearsal.fresh) b.add('rehearsal', 'identity.commit', 'info', `rehearsal is stale: ${ctx.rehearsal.stale}`);
  const acceptedLive = ctx.truth?.fresh === true && ctx.truth.report.verdict === 'accepted';
  if (acceptedLive && live.passed === 0) b.add('runtime-truth', 'verdict', 'pass', 'the accepted Truth Pass saw the service running in the cluster');
  if (local.passed === 0 && live.passed === 0 && !acceptedLive) b.gap(RUN.rehearse);
  return b.done();
}
