import { DeployError } from '../errors.js';
import { latestRelease, releasesOf, successfulReleases, type Release } from '../state/history.js';
import type { DeployState, HistoryEntry, ReleaseBackup } from '../state/state-schema.js';
import { EMPTY_MIGRATIONS_DIGEST } from './migrations-digest.js';

export type MigrationChange = 'unchanged' | 'changed' | 'unknown';

export interface RollbackStep {
  index: number;
  at: string;
  action: HistoryEntry['action'];
  image: string;
  git_commit: string | null;
  migrations_digest: string | null;
}

export interface RollbackPlan {
  from: string;
  to: string;
  /** The release that first ran `to` and is being returned to. */
  target: RollbackStep;
  /** Successful releases after the target, newest first: what the rollback undoes. */
  entries: RollbackStep[];
  migrations: MigrationChange;
  /** True when the releases being undone changed database migrations. */
  needs_db_ack: boolean;
  /** The Completed backup taken before the first schema-changing release being undone, if any. */
  backup: ReleaseBackup | null;
  acknowledged_forward_repair: boolean;
  warnings: string[];
}

export interface RollbackOptions {
  /** An image from history; default is the previous successful image. */
  to?: string;
  /**
   * The image the cluster runs now. After a failed update (never rolled back automatically) it is that
   * attempt's image, not the recorded one; default: the recorded `last_deploy.image`.
   */
  running?: string;
  /** The user accepts that the database stays at the newer schema and will be repaired forward. */
  acknowledgeForwardRepair?: boolean;
}

function step(r: Release): RollbackStep {
  return {
    index: r.index,
    at: r.entry.at,
    action: r.entry.action,
    image: r.image,
    git_commit: r.entry.git_commit ?? null,
    migrations_digest: r.entry.migrations_digest ?? null,
  };
}

/**
 * Compare two releases' migrations. Unknown means the older entry predates digest recording (e.g.
 * written by the Sealos plugin): if the current release has migrations, assume the schema moved on.
 */
export function compareMigrations(current: string | undefined, target: string | undefined): MigrationChange {
  if (current !== undefined && target !== undefined) return current === target ? 'unchanged' : 'changed';
  if (current !== undefined && current !== EMPTY_MIGRATIONS_DIGEST) return 'changed';
  return 'unknown';
}

/**
 * The failed update/rollback after the last successful release that left `image` running, if any: its
 * release is what a rollback undoes (its migrations may already have run in an init container).
 */
function failedAttemptRunning(history: readonly HistoryEntry[], image: string): Release | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.status === 'success') return null;
    const attempted = entry.action === 'update' ? entry.image : entry.action === 'rollback' ? entry.to_image : null;
    if (attempted === image) return { index: i, entry, image };
  }
  return null;
}

/**
 * Plan a rollback to a previous successful image. Throws ROLLBACK_NO_TARGET when there is none (or the
 * requested one is not in history), and ROLLBACK_NEEDS_DB_ACK when the releases being undone changed
 * migrations and there is neither a Completed pre-release backup nor a forward-repair acknowledgment;
 * the plan is in the error's details so it can still be shown.
 */
export function planRollback(state: DeployState, options: RollbackOptions = {}): RollbackPlan {
  const history = state.history;
  const from = options.running ?? state.last_deploy.image;
  const failed = from !== state.last_deploy.image ? failedAttemptRunning(history, from) : null;
  const current = failed ?? latestRelease(history);
  const releases = successfulReleases(history);

  let target: Release | undefined;
  if (options.to !== undefined) {
    if (options.to === from) {
      throw new DeployError('ROLLBACK_NO_TARGET', `${options.to} is the image running now; there is nothing to roll back to.`, 'Pick an earlier image from the history (sealos-deploy status --history).', { to: options.to });
    }
    target = releasesOf(history, options.to)[0];
    if (!target) {
      const known = [...new Set(releases.map((r) => r.image))].filter((i) => i !== from);
      throw new DeployError(
        'ROLLBACK_NO_TARGET',
        `${options.to} never ran successfully according to .sealos/state.json history, so it is not a known-good rollback target.`,
        known.length ? `Choose one of: ${known.join(', ')}.` : 'There is no earlier successful image in history; deploy a fixed image instead.',
        { to: options.to, known_images: known },
      );
    }
  } else {
    for (let i = releases.length - 1; i >= 0; i--) {
      if (releases[i]!.image !== from) {
        target = releases[i];
        break;
      }
    }
    if (!target) {
      throw new DeployError('ROLLBACK_NO_TARGET', 'History has no earlier successful image than the one running now.', 'Deploy a fixed image instead (update), or restart if the current image is correct.', { from });
    }
  }

  // Newest first: the failed attempt that runs now, then the successful releases after the target.
  const undone = [...(failed ? [failed] : []), ...releases.filter((r) => r.index > target.index).reverse()];
  const migrations = compareMigrations(current?.entry.migrations_digest, target.entry.migrations_digest);
  const warnings: string[] = [];
  if (migrations === 'unknown') {
    warnings.push('Migration digests were not recorded for these releases; check by hand whether the database schema changed since the target release.');
  }

  // The backup that holds data in the target's schema was taken right before the first release after
  // the target whose migrations differ from the target's.
  let backup: ReleaseBackup | null = null;
  let schemaRelease: Release | undefined;
  if (migrations === 'changed') {
    const chronological = [...undone].reverse();
    schemaRelease = chronological.find((r) => compareMigrations(r.entry.migrations_digest, target.entry.migrations_digest) !== 'unchanged');
    const b = schemaRelease?.entry.backup;
    if (b && b.phase === 'Completed') backup = b;
  }

  const plan: RollbackPlan = {
    from,
    to: target.image,
    target: step(target),
    entries: undone.map(step),
    migrations,
    needs_db_ack: migrations === 'changed',
    backup,
    acknowledged_forward_repair: options.acknowledgeForwardRepair === true,
    warnings,
  };

  if (plan.needs_db_ack && !backup && !plan.acknowledged_forward_repair) {
    const at = schemaRelease ? ` (release of ${schemaRelease.image} at ${schemaRelease.entry.at})` : '';
    const failedBackup = schemaRelease?.entry.backup ? ` A backup ${schemaRelease.entry.backup.name} was recorded but its phase is ${schemaRelease.entry.backup.phase}, not Completed.` : '';
    throw new DeployError(
      'ROLLBACK_NEEDS_DB_ACK',
      `Rolling back from ${from} to ${target.image} crosses a database migration${at}. The old code would run against the newer schema, and there is no completed backup from before that migration.${failedBackup}`,
      'Either restore a database backup taken before that release first, or confirm that you will fix the database forward (acknowledgeForwardRepair: true / --ack-forward-repair).',
      { plan },
    );
  }
  return plan;
}
