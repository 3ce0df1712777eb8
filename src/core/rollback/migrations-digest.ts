import { createHash } from 'node:crypto';

export interface MigrationFile {
  /** Repo-relative, POSIX separators. */
  path: string;
  content: string | Uint8Array;
}

/**
 * sha256 over the migration files' paths and contents, order-independent. Two releases with the same
 * digest ran the same schema changes; a different digest means rollback may cross a schema change.
 * Lengths are framed so `a`+`bc` and `ab`+`c` never collide.
 */
export function migrationsDigest(files: readonly MigrationFile[]): string {
  const h = createHash('sha256');
  h.update('sealos-deploy/migrations/v1\n');
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const body = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
    const path = Buffer.from(f.path, 'utf8');
    h.update(`${path.length}:`);
    h.update(path);
    h.update(`${body.length}:`);
    h.update(body);
  }
  return `sha256:${h.digest('hex')}`;
}

/** Digest of a release without migrations. */
export const EMPTY_MIGRATIONS_DIGEST = migrationsDigest([]);
