import { posix } from 'node:path';
import type { DatabaseFacts } from './state/analysis-schema.js';

export type PrismaSchemaFacts = NonNullable<DatabaseFacts['prisma_schema']>;

/**
 * What to add to a Prisma command run in `dir` (repo-relative, '' = root) so it finds the schema: '' where the CLI
 * finds it unasked. teable's schema is `packages/db-main-prisma/prisma/postgres/schema.prisma`, postiz's sits in a
 * library with no package.json: a bare `prisma generate` fails there with "Could not find Prisma Schema".
 */
export function prismaSchemaFlag(schema: PrismaSchemaFacts | null | undefined, dir: string): string {
  if (!schema || schema.found_from.includes(dir)) return '';
  return ` --schema ${posix.relative(dir || '.', schema.path)}`;
}
