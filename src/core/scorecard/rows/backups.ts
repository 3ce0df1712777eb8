import { compareMigrations } from '../../rollback/plan.js';
import { successfulReleases } from '../../state/history.js';
import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { RUN } from './fixes.js';

/**
 * A restore point for every schema-changing release: each release whose migrations differ from the
 * one before it must record a Completed KubeBlocks backup taken before it ran.
 */
export function backupsRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Backups');
  const { a } = ctx;
  if (!ctx.hasDatabase) return b.notNeeded('analysis', 'database', 'the service has no database, so there is no data to back up');
  const engine = a.database.engine ?? a.databases[0]?.engine ?? null;
  if (engine === 'sqlite') {
    b.add('analysis', 'database.engine', 'warn', 'SQLite data lives in a file on the volume; nothing backs it up automatically');
    return b.gap('Schedule a copy of the SQLite file (or move to the generated PostgreSQL) and write down how to restore it').done();
  }
  if (engine !== 'postgres') {
    b.add('analysis', 'database.engine', 'info', `${engine ?? 'the database'} is external to this deployment`);
    return b.gap(`Confirm that the ${engine ?? 'database'} provider takes backups and how to restore one; this tool cannot see them`).done();
  }
  const state = b.need(ctx.inputs.state, 'state', '.sealos/state.json', `${RUN.verify}, then ${RUN.record.toLowerCase()}`);
  if (!state) return b.done();
  const cluster = `${state.last_deploy.app_name}-pg`;
  const releases = successfulReleases(state.history);
  for (const r of releases) {
    const bk = r.entry.backup;
    if (bk) b.add('state', `history[${r.index}].backup`, bk.phase === 'Completed' ? 'pass' : 'warn', `backup ${bk.name} of ${cluster} at ${bk.created_at} before ${r.image}: ${bk.phase}`);
  }
  let unknown = 0;
  for (let i = 1; i < releases.length; i++) {
    const r = releases[i]!;
    const change = compareMigrations(r.entry.migrations_digest, releases[i - 1]!.entry.migrations_digest);
    if (change === 'unchanged') continue;
    if (r.entry.backup?.phase === 'Completed') continue;
    if (change === 'changed') {
      b.block('state', `history[${r.index}]`, `the release of ${r.image} at ${r.entry.at} changed migrations without a completed backup`, `Take a backup of ${cluster} now (Sealos console: Database → ${cluster} → Backup) so a rollback has a restore point`);
    } else unknown++;
  }
  if (unknown) {
    b.add('state', 'history', 'warn', `${unknown} release(s) did not record a migrations digest, so schema changes cannot be ruled out`);
    b.gap(`Take a backup of ${cluster} now so a rollback has a restore point; later releases record digests and back up automatically`);
  }
  if (!releases.some((r) => r.entry.backup) && releases.length > 0 && unknown === 0) {
    b.add('state', 'history', 'pass', 'no release since the first deploy changed the schema; the deploy takes a backup before the next one that does');
  }
  return b.done();
}
