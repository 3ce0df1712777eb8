import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from './memory-repo.js';

const app = (db: string, deps: Record<string, string>) =>
  analyzeRepo(
    memoryRepo({
      'package.json': JSON.stringify({ name: 'admin', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15', 'drizzle-orm': '0.33', ...deps } }),
      'lib/db.ts': db,
      'app/page.tsx': "import { db } from '@/lib/db';\nexport default async function Page() { return null; }\n",
    }),
  );

describe('database clients that speak HTTP or WebSockets to a hosted database', () => {
  it("warn: the database the deployment provisions speaks only the protocol (nextjs-postgres-nextauth template: drizzle(neon(…)))", () => {
    const a = app("import { neon } from '@neondatabase/serverless';\nimport { drizzle } from 'drizzle-orm/neon-http';\nexport const db = drizzle(neon(process.env.POSTGRES_URL!));\n", { '@neondatabase/serverless': '0.9' });
    expect(a.findings.find((f) => f.id === 'database-http-driver')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining("Neon's serverless driver"),
      fix: expect.stringContaining('drizzle-orm/postgres-js'),
      evidence: [expect.objectContaining({ file: 'lib/db.ts', line: 1 })],
    });
    // Redis is not provisioned: the URL the user gives may be Upstash's own (vercel/platforms, rallly's rate limiter).
    expect(app("import { Redis } from '@upstash/redis';\nexport const redis = new Redis({ url: process.env.KV_REST_API_URL, token: process.env.KV_REST_API_TOKEN });\n", { '@upstash/redis': '1' }).findings.some((f) => f.id === 'database-http-driver')).toBe(false);
  });

  it('nothing for protocol drivers', () => {
    const a = app("import postgres from 'postgres';\nimport { drizzle } from 'drizzle-orm/postgres-js';\nexport const db = drizzle(postgres(process.env.POSTGRES_URL!));\n", { postgres: '3' });
    expect(a.findings.some((f) => f.id === 'database-http-driver')).toBe(false);
  });
});
