import { createHash } from 'node:crypto';
import { latestRelease } from '../state/history.js';
import type { DeployState } from '../state/state-schema.js';
import { EMPTY_MIGRATIONS_DIGEST } from './migrations-digest.js';
import { compareMigrations } from './plan.js';

/** A KubeBlocks manual Backup, as the Sealos database provider creates one (`json2ManualBackup`). */
export interface KubeBlocksBackup {
  apiVersion: 'dataprotection.kubeblocks.io/v1alpha1';
  kind: 'Backup';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { backupPolicyName: string; backupMethod: 'pg-basebackup' };
}

export interface ReleaseSchemaFacts {
  app_name: string;
  namespace: string;
  /** Digest of this release's migration files (`migrationsDigest`), null when the app has none. */
  migrations_digest: string | null;
  /** The KubeBlocks PostgreSQL Cluster name; templates name it `<app>-pg`. Null when the app has no database. */
  database_cluster: string | null;
  git_commit?: string | null;
}

export interface BackupDecision {
  required: boolean;
  reason: string;
  backup: KubeBlocksBackup | null;
}

function compact(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Whether a database Backup must be taken before this release, and the object to create.
 * Required when the app has a PostgreSQL cluster, something is already deployed (there is data to
 * lose), and this release's migrations differ from the running release's (or the running release's
 * are unknown). Create the Backup, wait for `status.phase: Completed`, then apply the release and record
 * `backup: {name, created_at, phase}` on its history entry: only a Completed backup lets a later
 * rollback cross the migration without a forward-repair acknowledgment.
 */
export function planBackupBeforeRelease(release: ReleaseSchemaFacts, previous: DeployState | null, now: Date): BackupDecision {
  if (!release.database_cluster) return { required: false, reason: 'The app has no PostgreSQL cluster.', backup: null };
  if (!previous) return { required: false, reason: 'First deploy: the database is new, there is no data to protect yet.', backup: null };
  const running = latestRelease(previous.history);
  const change = compareMigrations(release.migrations_digest ?? undefined, running?.entry.migrations_digest);
  if (release.migrations_digest === null || release.migrations_digest === EMPTY_MIGRATIONS_DIGEST) {
    return { required: false, reason: 'This release has no migrations, so it cannot change the schema.', backup: null };
  }
  if (change === 'unchanged') {
    return { required: false, reason: 'This release does not change the migrations of the running release.', backup: null };
  }
  const cluster = release.database_cluster;
  const remark = `pre-release ${release.git_commit ? release.git_commit.slice(0, 12) : release.migrations_digest.slice(7, 19)}`;
  // DNS-1123 and ≤63 chars: KubeBlocks derives Job names from it.
  const name = `${cluster.slice(0, 40)}-pre-${compact(now)}`.replace(/[^a-z0-9-]/g, '-');
  return {
    required: true,
    reason:
      running?.entry.migrations_digest !== undefined
        ? `This release changes database migrations (${running.entry.migrations_digest} → ${release.migrations_digest}); take a backup first so a rollback can restore the old schema.`
        : 'This release has migrations and the running release recorded none, so a schema change cannot be ruled out; take a backup first.',
    backup: {
      apiVersion: 'dataprotection.kubeblocks.io/v1alpha1',
      kind: 'Backup',
      metadata: {
        name,
        namespace: release.namespace,
        labels: {
          // Same label the Sealos database provider puts on manual backups (hex-encoded remark).
          'backup-remark': Buffer.from(remark, 'utf8').toString('hex'),
          'cloud.sealos.io/app-deploy-manager': release.app_name,
          'sealos-deploy/migrations': createHash('sha256').update(release.migrations_digest).digest('hex').slice(0, 16),
        },
      },
      spec: { backupPolicyName: `${cluster}-postgresql-backup-policy`, backupMethod: 'pg-basebackup' },
    },
  };
}
