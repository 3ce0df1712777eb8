import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { parseDockerfile } from '../../../src/core/image/dockerfile-parse.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const next = (db: string, framework: Record<string, string> = { next: '15.1.0', react: '19' }) =>
  memoryRepo({
    'package.json': JSON.stringify({ name: 'saas', scripts: { build: 'next build', start: 'next start' }, dependencies: { ...framework, 'drizzle-orm': '0.36', postgres: '3' } }),
    'lib/db/drizzle.ts': db,
    'app/layout.tsx': "import { db } from '@/lib/db/drizzle';\nexport default async function Layout({ children }: { children: React.ReactNode }) { await db.query.users.findFirst(); return children; }\n",
  });

describe('variables a Next.js module refuses to load without', () => {
  it("get a stand-in for the build only: next build loads every route's modules (nextjs/saas-starter's POSTGRES_URL)", () => {
    const db = "import { drizzle } from 'drizzle-orm/postgres-js';\nimport postgres from 'postgres';\n\nif (!process.env.POSTGRES_URL) {\n  throw new Error('POSTGRES_URL environment variable is not set');\n}\nif (!process.env.NEXT_PUBLIC_SITE) throw new Error('NEXT_PUBLIC_SITE');\nexport const client = postgres(process.env.POSTGRES_URL);\nexport const db = drizzle(client);\n";
    const a = analyzeRepo(next(db));
    // A public one would ship in the browser bundle: no stand-in.
    expect(a.commands.build_env).toEqual({ POSTGRES_URL: 'postgresql://build:build@localhost:5432/build' });
    const df = parseDockerfile(generateDockerfile(a, ['package.json', 'lib/db/drizzle.ts', 'app/layout.tsx']).text);
    const envOf = (name: string) => df.stages.find((s) => s.name === name)?.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ') ?? '';
    expect(envOf('deps')).toContain('POSTGRES_URL=');
    expect(envOf('runtime')).not.toContain('POSTGRES_URL');
  });

  it("reads a condition over several lines and names (morphic: !DATABASE_URL && !DATABASE_RESTRICTED_URL && !isTest)", () => {
    const db = "import postgres from 'postgres';\nconst isTest = process.env.NODE_ENV === 'test';\nif (\n  !process.env.DATABASE_URL &&\n  !process.env.DATABASE_RESTRICTED_URL &&\n  !isTest\n) {\n  throw new Error('DATABASE_URL or DATABASE_RESTRICTED_URL environment variable is not set');\n}\nexport const db = postgres(process.env.DATABASE_RESTRICTED_URL ?? process.env.DATABASE_URL);\n";
    expect(analyzeRepo(next(db)).commands.build_env).toMatchObject({ DATABASE_URL: 'postgresql://build:build@localhost:5432/build' });
  });

  it('not for a check inside a function (it runs on a request), nor outside Next.js', () => {
    const inFn = "export function db() {\n  if (!process.env.POSTGRES_URL) throw new Error('POSTGRES_URL');\n  return process.env.POSTGRES_URL;\n}\n";
    expect(analyzeRepo(next(inFn)).commands.build_env).toBeUndefined();
    const top = "if (!process.env.POSTGRES_URL) throw new Error('POSTGRES_URL');\nexport const url = process.env.POSTGRES_URL;\n";
    expect(analyzeRepo(next(top, { express: '4' })).commands.build_env).toBeUndefined();
  });
});
