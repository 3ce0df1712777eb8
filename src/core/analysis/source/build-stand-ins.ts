import type { EnvVar } from '../../state/analysis-schema.js';
import { isPublicEnv } from './env-vars.js';
import type { SourceRun } from './types.js';

/**
 * `next build` collects page data by loading every route's modules: one that throws at load without a variable the
 * deployment only sets at run time stops the build (nextjs/saas-starter's lib/db/drizzle.ts: `if
 * (!process.env.POSTGRES_URL) throw new Error('POSTGRES_URL environment variable is not set')`). The build gets a
 * stand-in that opens nothing; the running image gets the deployment's value. A public variable is inlined into the
 * browser code by the build: a stand-in would ship, so it gets none (finding build-time-env says what to do).
 */
// A top-level `if (…) throw`: the names its condition refuses without (`!process.env.X`, joined by && or ||: morphic's
// `!process.env.DATABASE_URL && !process.env.DATABASE_RESTRICTED_URL && !isTest` over three lines).
const TOP_LEVEL_REFUSAL = /^if\s*\(([^{}]*?)\)\s*\{?\s*(?:\/\/[^\n]*\n\s*)*throw\b/gm;
const ABSENT = /!\s*process\.env\.([A-Za-z_][A-Za-z0-9_]*)\b/g;

const STAND_INS: Array<[(v: EnvVar) => boolean, string]> = [
  [(v) => v.class === 'database' && /MONGO/i.test(v.name), 'mongodb://build:build@localhost:27017/build'],
  [(v) => v.class === 'database' && /REDIS|KV_/i.test(v.name), 'redis://localhost:6379'],
  [(v) => v.class === 'database' && /MYSQL|MARIADB/i.test(v.name), 'mysql://build:build@localhost:3306/build'],
  [(v) => v.class === 'database', 'postgresql://build:build@localhost:5432/build'],
  [(v) => v.class === 'public-url' || /_(URL|URI|ENDPOINT)$/.test(v.name), 'http://localhost'],
];

export function buildStandIns(run: SourceRun, vars: readonly EnvVar[]): Record<string, string> {
  if (run.hints.framework !== 'nextjs') return {};
  // Variables the deployment gives and the build has no value for: no default, never public.
  const unset = new Map(vars.filter((v) => v.default === null && !isPublicEnv(v.name)).map((v) => [v.name, v]));
  const out: Record<string, string> = {};
  for (const s of run.scans) {
    if (!s.envReads.some((r) => unset.has(r.name))) continue;
    for (const m of s.parsed.text.matchAll(TOP_LEVEL_REFUSAL))
      for (const a of m[1]!.matchAll(ABSENT)) {
        const v = unset.get(a[1]!);
        if (v) out[v.name] = STAND_INS.find(([test]) => test(v))?.[1] ?? 'build';
      }
  }
  return out;
}
