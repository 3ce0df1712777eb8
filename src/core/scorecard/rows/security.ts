import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';

/** Section 9, "Reviewed": every security finding passes or is noted, and no secret reached the logs. */
export function securityRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Security');
  const ids = [...new Set(ctx.a.findings.filter((f) => f.section === 'security').map((f) => f.id))];
  b.findings(ctx.a, ids);
  if (ids.length === 0) b.add('analysis', 'findings', 'info', 'the analysis reported no security findings');
  const pattern = CHECK_PATTERNS.Security!;
  b.checks(ctx.rehearsal, 'rehearsal', pattern, 'Stop logging secret values');
  b.checks(ctx.truth, 'runtime-truth', pattern, 'Stop logging secret values');
  if (ctx.a.env_files.committed_env_files.length) {
    b.block('analysis', 'env_files.committed_env_files', `env files with values are in git: ${ctx.a.env_files.committed_env_files.join(', ')}`, 'Remove committed env files from git and rotate the secrets they held');
  }
  return b.done();
}
