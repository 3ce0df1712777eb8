import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';

/** Analyses of the app shapes the renderer must handle; golden files and round-trip tests share them. */

const ev = (file: string, line: number) => [{ file, line, rule: 'env.read' }];
const secret = (name: string, file = 'src/config.ts', line = 4): Analysis['env_vars'][number] => ({
  name,
  class: 'server-secret',
  required: true,
  default: null,
  sources: ['code'],
  public: false,
  evidence: ev(file, line),
});
const pg = (over: DeepPartial<Analysis['database']>): DeepPartial<Analysis> => ({
  database: { engine: 'postgres', driver: 'pg', orm: null, env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [], ...over } as DeepPartial<Analysis['database']>,
});

export function expressPostgres(): Analysis {
  return buildAnalysis({
    ...pg({}),
    env_vars: [
      { name: 'PORT', class: 'runtime-port', required: false, default: '3000', sources: ['code'], public: false, evidence: ev('src/server.js', 20) },
      { name: 'DATABASE_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: ev('src/db.js', 3) },
      secret('SESSION_SECRET', 'src/session.js', 8),
      { name: 'STRIPE_API_KEY', class: 'third-party-key', required: true, default: null, sources: ['code'], public: false, evidence: ev('src/billing.js', 2) },
      { name: 'PUBLIC_URL', class: 'public-url', required: false, default: null, sources: ['code'], public: false, evidence: ev('src/mail.js', 5) },
      { name: 'HOMEPAGE_ALLOWED_HOSTS', class: 'public-url', required: false, default: null, sources: ['code'], public: false, evidence: ev('src/middleware.js', 12) },
      { name: 'LOG_LEVEL', class: 'logging', required: false, default: 'info', sources: ['code'], public: false, evidence: ev('src/log.js', 1) },
      { name: 'FEATURE_FLAG', class: 'other', required: false, default: 'off', sources: ['code'], public: false, evidence: ev('src/flags.js', 1) },
    ],
  });
}

export function express(): Analysis {
  return buildAnalysis({ env_vars: [secret('JWT_SECRET', 'src/auth.js', 12)] });
}

export function drizzlePostgresUrl(): Analysis {
  return buildAnalysis({
    project: { name: 'drizzle-api' },
    units: [{ path: '', name: 'drizzle-api', kind: 'server', framework: 'hono' }],
    framework: { name: 'hono', version: '4.6.0', details: {}, evidence: [] },
    ...pg({ driver: 'postgres', orm: 'drizzle', env_key: 'POSTGRES_URL', env_keys: ['POSTGRES_URL'] }),
    migrations: { tool: 'drizzle', command: 'npx drizzle-kit migrate', directory: 'drizzle', files: ['drizzle/0000_init.sql'], evidence: [] },
    env_vars: [{ name: 'POSTGRES_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: ev('src/db.ts', 5) }],
  });
}

export function pgParts(): Analysis {
  return buildAnalysis({
    ...pg({ env_key: null, env_keys: ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'] }),
  });
}

export function fastifyPrisma(): Analysis {
  return buildAnalysis({
    project: { name: 'fastify-prisma-postgres', git: { commit: 'fedcba9876543210fedcba9876543210fedcba98', branch: 'main', dirty: false, remote: 'git@github.com:acme/fastify-prisma-postgres.git' } },
    units: [{ path: '', name: '@acme/fastify-prisma-postgres', kind: 'server', framework: 'fastify' }],
    framework: { name: 'fastify', version: '5.1.0', details: {}, evidence: [] },
    port: { value: 8080, reads_env: true, env_name: 'PORT', default: 8080, source: 'code', evidence: [] },
    health: {
      paths: ['/health'],
      routes: [{ path: '/health', method: 'GET', slow: true, reveals: [], evidence: ev('src/routes/health.ts', 6) }],
      module: null,
    },
    ...pg({ driver: '@prisma/client', orm: 'prisma' }),
    migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', files: ['prisma/migrations/20260101000000_init/migration.sql'], evidence: [] },
    env_vars: [
      { name: 'DATABASE_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: ev('prisma/schema.prisma', 7) },
      secret('JWT_SECRET', 'src/plugins/auth.ts', 14),
      { name: 'OPENAI_API_KEY', class: 'third-party-key', required: true, default: null, sources: ['code', 'env-example'], public: false, evidence: ev('src/ai.ts', 3) },
      { name: 'APP_URL', class: 'public-url', required: false, default: null, sources: ['env-example'], public: false, evidence: ev('.env.example', 4) },
    ],
  });
}

export function nextSsr(): Analysis {
  return buildAnalysis({
    project: { name: 'next-shop', git: null },
    units: [{ path: '', name: 'next-shop', kind: 'ssr', framework: 'nextjs' }],
    framework: { name: 'nextjs', version: '15.1.0', details: { output: 'standalone' }, evidence: [] },
    kind: 'ssr',
    kind_reason: 'next start serves pages',
    commands: { install: 'npm ci', build: 'next build', start: 'node server.js', start_source: 'framework', start_issues: [], evidence: [] },
    port: { value: 3000, reads_env: true, env_name: 'PORT', default: 3000, source: 'framework-default', evidence: [] },
    health: { paths: ['/api/health'], routes: [{ path: '/api/health', method: 'GET', slow: false, reveals: [], evidence: ev('app/api/health/route.ts', 1) }], module: null },
    env_vars: [
      { name: 'NEXTAUTH_SECRET', class: 'server-secret', required: true, default: null, sources: ['code'], public: false, evidence: ev('auth.ts', 9) },
      { name: 'NEXTAUTH_URL', class: 'public-url', required: false, default: null, sources: ['code'], public: false, evidence: ev('auth.ts', 10) },
      { name: 'NEXT_PUBLIC_ANALYTICS_ID', class: 'other', required: true, default: null, sources: ['code'], public: true, evidence: ev('app/layout.tsx', 3) },
    ],
  });
}

export function staticSpa(): Analysis {
  return buildAnalysis({
    project: { name: 'vite-spa' },
    units: [{ path: '', name: 'vite-spa', kind: 'static', framework: 'vite' }],
    framework: { name: 'vite', version: '6.0.0', details: {}, evidence: [] },
    kind: 'static',
    kind_reason: 'vite build emits dist/',
    static_site: { output_dir: 'dist', spa: true },
    port: { value: null, reads_env: false, env_name: null, default: null, source: 'static-server', evidence: [] },
    health: { paths: [], routes: [], module: null },
    env_vars: [{ name: 'VITE_API_URL', class: 'public-url', required: false, default: null, sources: ['code'], public: true, evidence: ev('src/api.ts', 1) }],
  });
}

export function worker(): Analysis {
  return buildAnalysis({
    project: { name: 'mail-worker' },
    units: [{ path: '', name: 'mail-worker', kind: 'worker', framework: 'none' }],
    framework: { name: 'none', version: null, details: {}, evidence: [] },
    kind: 'worker',
    kind_reason: 'bullmq worker without a listener',
    port: { value: null, reads_env: false, env_name: null, default: null, source: null, evidence: [] },
    health: { paths: [], routes: [], module: null },
    process: { graceful_shutdown: true, signals: ['SIGTERM'], logger: 'pino', logs_port_on_start: false, background_work: ['bullmq'], evidence: [] },
    env_vars: [{ name: 'REDIS_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: ev('src/queue.js', 2) }],
    database: { engine: 'redis', driver: 'ioredis', orm: null, env_key: 'REDIS_URL', env_keys: ['REDIS_URL'], evidence: [] },
  });
}
