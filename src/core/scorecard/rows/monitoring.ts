import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/** Section 7: startup and request logs exist, and the Truth Pass read clean logs after smoke traffic. */
export function monitoringRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Monitoring and logs');
  b.findings(ctx.a, [...new Set(ctx.a.findings.filter((f) => f.section === 'monitoring').map((f) => f.id))]);
  const pattern = CHECK_PATTERNS['Monitoring and logs']!;
  b.checks(ctx.rehearsal, 'rehearsal', pattern, 'Log the port and readiness at startup');
  const live = b.checks(ctx.truth, 'runtime-truth', pattern, 'Fix what the logs after smoke traffic show');
  if (!ctx.truth) b.gap(`${RUN.verify}: it reads the logs after smoke traffic`);
  else if (!ctx.truth.fresh) b.gap(RUN.reverify);
  else if (live.passed === 0 && live.failed === 0) b.gap('The last Truth Pass did not read the logs; run `sealos-deploy verify` again');
  return b.done();
}
