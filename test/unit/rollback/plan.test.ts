import { describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import { planBackupBeforeRelease } from '../../../src/core/rollback/backup.js';
import { EMPTY_MIGRATIONS_DIGEST, migrationsDigest } from '../../../src/core/rollback/migrations-digest.js';
import { planRollback } from '../../../src/core/rollback/plan.js';
import { DeployStateSchema, type DeployState, type HistoryEntry } from '../../../src/core/state/state-schema.js';
import { pluginV1State } from '../state/helpers.js';

const M1 = migrationsDigest([{ path: 'prisma/migrations/001_init/migration.sql', content: 'create table users(id int);' }]);
const M2 = migrationsDigest([
  { path: 'prisma/migrations/001_init/migration.sql', content: 'create table users(id int);' },
  { path: 'prisma/migrations/002_email/migration.sql', content: 'alter table users add email text;' },
]);

type Rel = { image: string; migrations?: string; backup?: { name: string; created_at: string; phase: string }; status?: 'success' | 'failed' };

function stateOf(releases: Rel[]): DeployState {
  const history: HistoryEntry[] = [];
  let running = '';
  releases.forEach((r, i) => {
    const at = new Date(Date.UTC(2026, 8, 1 + i)).toISOString();
    const meta = { ...(r.migrations ? { migrations_digest: r.migrations } : {}), ...(r.backup ? { backup: r.backup } : {}), git_commit: `c${i}` };
    const status = r.status ?? 'success';
    history.push(
      i === 0
        ? { at, action: 'deploy', image: r.image, method: 'server-side-apply', status, ...meta }
        : { at, action: 'update', previous_image: running, image: r.image, template_digest: `sha256:t${i}`, method: 'server-side-apply', status, ...meta },
    );
    if (status === 'success') running = r.image;
  });
  return DeployStateSchema.parse({
    version: '1.0',
    last_deploy: {
      app_name: 'web',
      app_host: 'web-h',
      namespace: 'ns-abc12345',
      region: 'usw-1.sealos.io',
      image: running,
      docker_hub_user: null,
      repo_name: 'web',
      url: 'https://web-h.usw-1.sealos.app',
      deployed_at: history[0]!.at,
      last_updated_at: history.at(-1)!.at,
    },
    history,
  });
}

function thrown(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeployError) return err;
    throw err;
  }
  throw new Error('expected a DeployError');
}

describe('planRollback', () => {
  it('defaults to the previous successful image, skipping failed attempts and repeats of the current image', () => {
    const s = stateOf([{ image: 'web:1', migrations: M1 }, { image: 'web:2', migrations: M1 }, { image: 'web:3', migrations: M1, status: 'failed' }, { image: 'web:2b', migrations: M1 }]);
    const p = planRollback(s);
    expect(p).toMatchObject({ from: 'web:2b', to: 'web:2', migrations: 'unchanged', needs_db_ack: false, backup: null });
    expect(p.entries.map((e) => e.image)).toEqual(['web:2b']);
    expect(p.target).toMatchObject({ image: 'web:2', git_commit: 'c1' });
  });

  it('accepts an explicit image from history and refuses one that never ran successfully', () => {
    const s = stateOf([{ image: 'web:1' }, { image: 'web:2' }, { image: 'web:3', status: 'failed' }, { image: 'web:4' }]);
    expect(planRollback(s, { to: 'web:1' }).entries.map((e) => e.image)).toEqual(['web:4', 'web:2']);
    const notInHistory = thrown(() => planRollback(s, { to: 'web:9' }));
    expect(notInHistory.code).toBe('ROLLBACK_NO_TARGET');
    expect(notInHistory.next).toContain('web:1, web:2');
    expect(thrown(() => planRollback(s, { to: 'web:3' })).code).toBe('ROLLBACK_NO_TARGET');
    expect(thrown(() => planRollback(s, { to: 'web:4' })).code).toBe('ROLLBACK_NO_TARGET');
  });

  it('no earlier image → ROLLBACK_NO_TARGET', () => {
    expect(thrown(() => planRollback(stateOf([{ image: 'web:1' }]))).code).toBe('ROLLBACK_NO_TARGET');
  });

  it('crossing a migration without backup or acknowledgment → ROLLBACK_NEEDS_DB_ACK, plan in details', () => {
    const s = stateOf([{ image: 'web:1', migrations: M1 }, { image: 'web:2', migrations: M2 }]);
    const err = thrown(() => planRollback(s));
    expect(err.code).toBe('ROLLBACK_NEEDS_DB_ACK');
    expect(err.message).toMatch(/crosses a database migration \(release of web:2/);
    expect(err.next).toMatch(/restore a database backup|fix the database forward/);
    expect((err.details?.plan as { needs_db_ack: boolean }).needs_db_ack).toBe(true);
  });

  it('a Completed backup recorded on the schema-changing release allows it', () => {
    const backup = { name: 'web-pg-pre-20260902000000', created_at: '2026-09-01T23:59:00Z', phase: 'Completed' };
    const s = stateOf([{ image: 'web:1', migrations: M1 }, { image: 'web:2', migrations: M2, backup }, { image: 'web:3', migrations: M2 }]);
    const p = planRollback(s, { to: 'web:1' });
    expect(p).toMatchObject({ needs_db_ack: true, backup, migrations: 'changed' });
  });

  it('a backup that is not Completed does not count', () => {
    const s = stateOf([{ image: 'web:1', migrations: M1 }, { image: 'web:2', migrations: M2, backup: { name: 'b', created_at: '2026-09-01T23:59:00Z', phase: 'Failed' } }]);
    const err = thrown(() => planRollback(s));
    expect(err.code).toBe('ROLLBACK_NEEDS_DB_ACK');
    expect(err.message).toMatch(/phase is Failed/);
  });

  it('an explicit forward-repair acknowledgment allows it', () => {
    const s = stateOf([{ image: 'web:1', migrations: M1 }, { image: 'web:2', migrations: M2 }]);
    expect(planRollback(s, { acknowledgeForwardRepair: true })).toMatchObject({ needs_db_ack: true, acknowledged_forward_repair: true, backup: null });
  });

  it('unknown digests (plugin-era) only warn; a current release with migrations over a target without → needs ack', () => {
    const s = DeployStateSchema.parse(pluginV1State());
    expect(planRollback(s)).toMatchObject({ to: 'ghcr.io/acme/evershop:20260730-a1', migrations: 'unknown', needs_db_ack: false });
    expect(planRollback(s).warnings[0]).toMatch(/not recorded/);
    const withDigest = stateOf([{ image: 'web:1' }, { image: 'web:2', migrations: M2 }]);
    expect(thrown(() => planRollback(withDigest)).code).toBe('ROLLBACK_NEEDS_DB_ACK');
  });
});

describe('migrationsDigest', () => {
  it('depends on paths and contents, not order', () => {
    const a = { path: 'm/001.sql', content: 'x' };
    const b = { path: 'm/002.sql', content: 'y' };
    expect(migrationsDigest([a, b])).toBe(migrationsDigest([b, a]));
    expect(migrationsDigest([a, b])).not.toBe(migrationsDigest([a, { ...b, content: 'y2' }]));
    expect(migrationsDigest([{ path: 'm/0', content: '01.sql' }])).not.toBe(migrationsDigest([{ path: 'm/00', content: '1.sql' }]));
    expect(migrationsDigest([])).toBe(EMPTY_MIGRATIONS_DIGEST);
  });
});

describe('planBackupBeforeRelease', () => {
  const running = stateOf([{ image: 'web:1', migrations: M1 }]);
  const now = new Date('2026-09-10T08:09:10Z');
  const facts = { app_name: 'web', namespace: 'ns-abc12345', database_cluster: 'web-pg', git_commit: 'abcdef1234567890' };

  it('schema-changing release on a live app → a KubeBlocks pg-basebackup Backup', () => {
    const d = planBackupBeforeRelease({ ...facts, migrations_digest: M2 }, running, now);
    expect(d.required).toBe(true);
    expect(d.backup).toEqual({
      apiVersion: 'dataprotection.kubeblocks.io/v1alpha1',
      kind: 'Backup',
      metadata: {
        name: 'web-pg-pre-20260910080910',
        namespace: 'ns-abc12345',
        labels: expect.objectContaining({
          'backup-remark': Buffer.from('pre-release abcdef123456').toString('hex'),
          'cloud.sealos.io/app-deploy-manager': 'web',
        }),
      },
      spec: { backupPolicyName: 'web-pg-postgresql-backup-policy', backupMethod: 'pg-basebackup' },
    });
    expect(d.backup!.metadata.name.length).toBeLessThanOrEqual(63);
  });

  it('not required: same migrations, no migrations, no database, or first deploy', () => {
    expect(planBackupBeforeRelease({ ...facts, migrations_digest: M1 }, running, now).required).toBe(false);
    expect(planBackupBeforeRelease({ ...facts, migrations_digest: EMPTY_MIGRATIONS_DIGEST }, running, now).required).toBe(false);
    expect(planBackupBeforeRelease({ ...facts, database_cluster: null, migrations_digest: M2 }, running, now).required).toBe(false);
    expect(planBackupBeforeRelease({ ...facts, migrations_digest: M2 }, null, now).required).toBe(false);
  });

  it('required when the running release recorded no digest (plugin-era state)', () => {
    const d = planBackupBeforeRelease({ ...facts, migrations_digest: M1 }, stateOf([{ image: 'web:1' }]), now);
    expect(d.required).toBe(true);
    expect(d.reason).toMatch(/recorded none/);
  });
});
