import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { localPackagesOf, packageEntries } from '../../../src/core/analysis/local-packages.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v);
const workspaceRoot = json({ name: 'acme', private: true, workspaces: ['apps/*', 'packages/*'] });
const prismaSchema = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n';

describe('localPackagesOf', () => {
  const files = {
    'package.json': workspaceRoot,
    'apps/api/package.json': json({ name: '@a/api', dependencies: { '@a/db': 'workspace:*', express: '^4' }, devDependencies: { '@a/tsconfig': '*' } }),
    'apps/web/package.json': json({ name: '@a/web', dependencies: { '@a/ui': '*' } }),
    'packages/db/package.json': json({ name: '@a/db', dependencies: { '@a/config': '^1.0.0' }, devDependencies: { '@a/testkit': '*' } }),
    'packages/config/package.json': json({ name: '@a/config', peerDependencies: { '@a/db': '*' } }),
    'packages/tsconfig/package.json': json({ name: '@a/tsconfig' }),
    'packages/testkit/package.json': json({ name: '@a/testkit' }),
    'packages/ui/package.json': json({ name: '@a/ui' }),
    'packages/broken/package.json': '{ "name": "@a/broken",',
  };
  const dirs = ['apps/api', 'apps/web', 'packages/broken', 'packages/config', 'packages/db', 'packages/testkit', 'packages/tsconfig', 'packages/ui'];

  it('lists what the unit runs, each after its own dependencies; a package’s devDependencies and other units’ packages stay out', () => {
    const repo = memoryRepo(files);
    const unitPkg = JSON.parse(files['apps/api/package.json']);
    expect(localPackagesOf(repo, 'apps/api', unitPkg, dirs).map((p) => p.dir)).toEqual(['packages/config', 'packages/db', 'packages/tsconfig']);
  });

  it('is empty at the root, without a manifest, or outside a workspace', () => {
    const repo = memoryRepo(files);
    expect(localPackagesOf(repo, '', JSON.parse(workspaceRoot), dirs)).toEqual([]);
    expect(localPackagesOf(repo, 'apps/api', null, dirs)).toEqual([]);
    expect(localPackagesOf(repo, 'apps/api', JSON.parse(files['apps/api/package.json']), [])).toEqual([]);
  });
});

describe('packageEntries', () => {
  it('reads every exports form, then module/main/types for the package root', () => {
    expect(packageEntries({ exports: './dist/index.js', main: 'lib/index.js' }, '.')).toEqual(['./dist/index.js', 'lib/index.js']);
    expect(packageEntries({ exports: { import: './dist/index.mjs', require: './dist/index.cjs' } }, '.')).toEqual(['./dist/index.mjs', './dist/index.cjs']);
    expect(packageEntries({ exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './server': { import: './dist/server.js' } } }, './server')).toEqual(['./dist/server.js']);
    expect(packageEntries({ exports: { './server': './dist/server.js' } }, './client')).toEqual([]);
  });
});

describe('a workspace unit analyzed with the packages it runs', () => {
  it('names a Prisma schema the CLI would not find from where generate and migrate run (teable, postiz): --schema, and openssl for its engines', async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const base = {
      'package.json': workspaceRoot,
      'package-lock.json': '{}',
      'apps/api/package.json': json({ name: '@a/api', scripts: { start: 'node src/index.js' }, dependencies: { '@a/db': '*', express: '^4' } }),
      'apps/api/src/index.js': "const express = require('express');\nconst { db } = require('@a/db');\nexpress().listen(process.env.PORT || 3000);\n",
      'packages/db/src/index.js': "const { PrismaClient } = require('@prisma/client');\nexports.db = new PrismaClient();\n",
    };
    // teable: the package holds prisma/postgres/schema.prisma (and a sqlite twin), in no place Prisma looks by itself.
    const teable = analyzeRepo(memoryRepo({
      ...base,
      'packages/db/package.json': json({ name: '@a/db', main: 'src/index.js', dependencies: { '@prisma/client': '^5', prisma: '^5' } }),
      'packages/db/prisma/postgres/schema.prisma': prismaSchema,
      'packages/db/prisma/postgres/migrations/1_init/migration.sql': 'CREATE TABLE x (id int);',
    }, { tracked: true }), { path: 'apps/api', now: () => new Date(0) });
    expect(teable.database.prisma_schema).toEqual({ path: 'packages/db/prisma/postgres/schema.prisma', found_from: [] });
    expect(teable.migrations).toMatchObject({ tool: 'prisma', command: 'cd ../../packages/db && npx prisma migrate deploy --schema prisma/postgres/schema.prisma', directory: 'packages/db/prisma/postgres/migrations' });
    const text = generateDockerfile(teable, ['package.json', 'package-lock.json', 'apps/api/package.json', 'packages/db/package.json']).text;
    expect(text).toContain('WORKDIR /app/packages/db\nRUN npx prisma generate --schema prisma/postgres/schema.prisma\n');
    expect(text).toMatch(/FROM node:\$\{NODE_VERSION\}-bookworm-slim AS base\nWORKDIR \/app\nRUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf \/var\/lib\/apt\/lists\/\*\n/);
    // The same package with package.json's "prisma": {"schema"} is found unasked: no flag.
    const configured = analyzeRepo(memoryRepo({
      ...base,
      'packages/db/package.json': json({ name: '@a/db', main: 'src/index.js', prisma: { schema: 'prisma/postgres/schema.prisma' }, dependencies: { '@prisma/client': '^5', prisma: '^5' } }),
      'packages/db/prisma/postgres/schema.prisma': prismaSchema,
      'packages/db/prisma/postgres/migrations/1_init/migration.sql': 'CREATE TABLE x (id int);',
    }, { tracked: true }), { path: 'apps/api', now: () => new Date(0) });
    expect(configured.database.prisma_schema).toEqual({ path: 'packages/db/prisma/postgres/schema.prisma', found_from: ['packages/db'] });
    expect(configured.migrations.command).toBe('cd ../../packages/db && npx prisma migrate deploy');
    expect(generateDockerfile(configured, ['package.json', 'package-lock.json', 'apps/api/package.json', 'packages/db/package.json']).text).toContain('RUN npx prisma generate\n');
    // typebot: one schema per engine side by side, chosen by a script; PostgreSQL is the one deployed.
    const typebot = analyzeRepo(memoryRepo({
      ...base,
      'packages/db/package.json': json({ name: '@a/db', main: 'src/index.js', dependencies: { '@prisma/client': '^5', prisma: '^5' } }),
      'packages/db/mysql/schema.prisma': prismaSchema.replace('postgresql', 'mysql'),
      'packages/db/postgresql/schema.prisma': prismaSchema,
      'packages/db/postgresql/migrations/1_init/migration.sql': 'CREATE TABLE x (id int);',
    }, { tracked: true }), { path: 'apps/api', now: () => new Date(0) });
    expect(typebot.database).toMatchObject({ engine: 'postgres', prisma_schema: { path: 'packages/db/postgresql/schema.prisma' } });
    expect(typebot.migrations.command).toBe('cd ../../packages/db && npx prisma migrate deploy --schema postgresql/schema.prisma');
  });

  it('follows the port into a package subpath export, and finds the database, schema and migrations of another package', () => {
    const repo = memoryRepo(
      {
        'package.json': workspaceRoot,
        'package-lock.json': '{}',
        'apps/api/package.json': json({ name: '@a/api', type: 'module', scripts: { start: 'node src/index.js' }, dependencies: { '@a/settings': '*', '@a/db': '*', express: '^4' } }),
        'apps/api/src/index.js': "import express from 'express';\nimport { port } from '@a/settings/server';\nimport { db } from '@a/db';\nconst app = express();\napp.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(port, '0.0.0.0');\n",
        'packages/settings/package.json': json({ name: '@a/settings', type: 'module', exports: { './server': { types: './dist/server.d.ts', import: './dist/server.js' } }, scripts: { build: 'tsc' } }),
        'packages/settings/src/server.ts': 'export const port = Number(process.env.PORT ?? 7070);\nexport const secret = process.env.SESSION_SECRET!;\n',
        'packages/db/package.json': json({ name: '@a/db', main: 'dist/index.js', scripts: { 'db:deploy': 'prisma migrate deploy' }, dependencies: { '@prisma/client': '^6' }, devDependencies: { prisma: '^6' } }),
        'packages/db/src/index.ts': "import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n",
        'packages/db/prisma/schema.prisma': prismaSchema,
        'packages/db/prisma/migrations/1_init/migration.sql': 'CREATE TABLE x (id int);',
      },
      { tracked: true },
    );
    const a = analyzeRepo(repo, { path: 'apps/api', now: () => new Date(0) });
    expect(a.port).toMatchObject({ value: 7070, reads_env: true });
    expect(a.env_vars.map((v) => [v.name, v.required])).toEqual(expect.arrayContaining([['SESSION_SECRET', true], ['DATABASE_URL', true]]));
    expect(a.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL' });
    expect(a.migrations).toMatchObject({ tool: 'prisma', command: 'cd ../../packages/db && npm run db:deploy', directory: 'packages/db/prisma/migrations', cli: { package: 'prisma', installed: 'dev' } });
    expect(a.local_packages).toEqual([
      { path: 'packages/settings', name: '@a/settings', build: true },
      { path: 'packages/db', name: '@a/db', build: false },
    ]);
    expect(a.findings.find((f) => f.id === 'migration-cli')).toMatchObject({ status: 'warn', fix: expect.stringContaining('Move prisma to "dependencies"') });
    // The unit's own framework, kind and commands come from its own manifest only.
    expect(a.framework.name).toBe('express');
    expect(a.commands.start).toBe('npm start');
  });
});

describe('a unit whose workspace package has a server entry of its own', () => {
  it("takes the unit's own listener, not the package's bin (standardnotes: the home server beside api-gateway's bin/server.ts)", () => {
    const repo = memoryRepo({
      'package.json': workspaceRoot,
      'apps/home/package.json': json({ name: '@a/home', scripts: { start: 'node dist/bin/server.js', build: 'tsc' }, dependencies: { '@a/gateway': '*', express: '^4' } }),
      'apps/home/src/HomeServer.ts': "import express from 'express';\nimport { routes } from '@a/gateway';\nconst port = env.get('PORT', true) ? +env.get('PORT', true) : 3000;\nexpress().use(routes).listen(port);\n",
      'packages/gateway/package.json': json({ name: '@a/gateway', main: 'dist/index.js', scripts: { start: 'node dist/bin/server.js' }, dependencies: { express: '^4' } }),
      'packages/gateway/src/index.ts': "import { Router } from 'express';\nexport const routes = Router();\n",
      'packages/gateway/bin/server.ts': "import express from 'express';\nexpress().listen(Number(process.env.GATEWAY_PORT ?? 4000));\n",
    });
    const a = analyzeRepo(repo, { path: 'apps/home', now: () => new Date(0) });
    expect(a.port.evidence[0]).toMatchObject({ file: 'apps/home/src/HomeServer.ts', line: 4 });
    expect(a.port.env_name).not.toBe('GATEWAY_PORT');
  });
});

describe('the monorepo root', () => {
  it('names the deployable units apart from the packages they share', () => {
    const repo = memoryRepo({
      'package.json': workspaceRoot,
      'apps/api/package.json': json({ name: '@a/api', scripts: { start: 'node server.js' }, dependencies: { express: '^4', '@a/db': '*' } }),
      'apps/api/server.js': "require('express')().listen(3000);\n",
      'packages/db/package.json': json({ name: '@a/db', main: 'index.js' }),
      'packages/db/index.js': 'module.exports = {};\n',
    });
    const a = analyzeRepo(repo, { now: () => new Date(0) });
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.message).toBe(
      'This is a monorepo root with 1 deployable unit: apps/api (and 1 package that deploys nothing alone: packages/db). Nothing is picked silently.',
    );
  });
});

describe('what a unit is comes from its own manifest', () => {
  const files = {
    // Shared tooling at the root: vite for tests, electron for one app; the build runs through turbo.
    'package.json': json({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'], scripts: { build: 'turbo run build' }, devDependencies: { vite: '^7', electron: '^30', turbo: '^2' } }),
    'turbo.json': '{}',
    'apps/api/package.json': json({ name: '@a/api', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }),
    'apps/api/server.js': "require('express')().listen(process.env.PORT || 3000);\n",
    'apps/site/package.json': json({ name: '@a/site', scripts: { build: 'vite build' } }),
    'apps/site/vite.config.ts': 'export default {};\n',
    'apps/site/index.html': '<!doctype html><div id="app"></div><script type="module" src="/src/main.ts"></script>\n',
    // A library Vite only bundles: no index.html.
    'packages/ui/package.json': json({ name: '@a/ui', main: 'dist/ui.js', scripts: { build: 'vite build' }, devDependencies: { vite: '^7' } }),
    'packages/ui/vite.config.ts': "export default { build: { lib: { entry: 'src/index.ts' } } };\n",
    'packages/lib/package.json': json({ name: '@a/lib', main: 'index.js' }),
    'packages/lib/index.js': 'module.exports = {};\n',
  };

  it('a root that builds through turbo orchestrates, whatever tooling it installs', () => {
    const a = analyzeRepo(memoryRepo(files), { now: () => new Date(0) });
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toMatch(/^monorepo root/);
    expect(a.units.map((u) => [u.path, u.kind])).toEqual([
      ['apps/api', 'server'],
      ['apps/site', 'static'],
      ['packages/lib', 'not-deployable'],
      ['packages/ui', 'not-deployable'],
    ]);
  });

  it("a package is not a SPA or a desktop app because the root installs vite or electron; an app's own config file still counts", () => {
    expect(analyzeRepo(memoryRepo(files), { path: 'packages/lib', now: () => new Date(0) })).toMatchObject({ kind: 'not-deployable', framework: { name: 'none' } });
    expect(analyzeRepo(memoryRepo(files), { path: 'apps/api', now: () => new Date(0) })).toMatchObject({ kind: 'server', framework: { name: 'express' } });
    expect(analyzeRepo(memoryRepo(files), { path: 'apps/site', now: () => new Date(0) })).toMatchObject({ kind: 'static', framework: { name: 'vite' } });
  });
});

describe('a root that is a service itself beside deployable units', () => {
  it('is analyzed as the service, with a warning naming the other services', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': json({ name: 'tool', private: true, workspaces: ['packages/*'], scripts: { start: 'http-server packages/web/dist -p 3000' }, dependencies: { 'http-server': '^14' } }),
        'packages/backend/package.json': json({ name: 'backend', scripts: { start: 'node main.js' }, dependencies: { '@nestjs/core': '^10' } }),
        'packages/backend/main.js': 'module.exports = {};\n',
        'packages/lib/package.json': json({ name: 'lib', main: 'index.js' }),
      }),
      { now: () => new Date(0) },
    );
    expect(a.kind).toBe('server');
    expect(a.findings.find((f) => f.id === 'workspace-unit')).toMatchObject({ status: 'warn', message: expect.stringContaining('1 more deployable unit: packages/backend'), fix: 'If you meant one of them, analyze it: sealos-deploy analyze . --path packages/backend' });
  });
});

describe('an Nx-style repository: one root package.json, libraries reached through tsconfig paths', () => {
  it('follows the unit into the libraries it imports (and theirs), reads their env vars and Prisma schema, and takes the framework its code imports', () => {
    const repo = memoryRepo(
      {
        'package.json': json({ name: 'acme', private: true, workspaces: ['apps/*'], dependencies: { '@nestjs/core': '^10', next: '^14', '@prisma/client': '^6' }, devDependencies: { prisma: '^6' } }),
        'tsconfig.base.json': json({ compilerOptions: { baseUrl: '.', paths: { '@acme/db/*': ['libs/db/src/*'], '@acme/ui/*': ['libs/ui/src/*'] } } }),
        'apps/api/package.json': json({ name: 'api', scripts: { build: 'nest build', start: 'node dist/main.js' } }),
        'apps/api/tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist' } }),
        'apps/api/src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { DbModule } from '@acme/db/db.module';\nNestFactory.create(DbModule).then((app) => app.listen(Number(process.env.PORT ?? 3000)));\n",
        'libs/db/src/db.module.ts': "import { PrismaClient } from '@prisma/client';\nimport { mailer } from './mailer';\nexport class DbModule { client = new PrismaClient(); url = process.env.DATABASE_URL; m = mailer; }\n",
        // A DTO validating against a Prisma enum: importing it opens no database.
        'libs/db/src/dto.ts': "import { Provider } from '@prisma/client';\nexport const providers = Object.values(Provider);\n",
        'apps/admin/package.json': json({ name: 'admin', scripts: { start: 'node dist/main.js' } }),
        'apps/admin/tsconfig.json': json({ extends: '../../tsconfig.base.json' }),
        'apps/admin/src/main.ts': "import express from 'express';\nimport { providers } from '@acme/db/dto';\nexpress().get('/p', (_q, r) => r.json(providers)).listen(Number(process.env.PORT ?? 4000));\n",
        'libs/db/src/mailer.ts': 'export const mailer = process.env.SMTP_URL!;\n',
        'libs/db/src/prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
        // A library the api never imports: not its code.
        'libs/ui/src/theme.ts': 'export const theme = process.env.NEXT_PUBLIC_THEME;\n',
        'apps/web/package.json': json({ name: 'web', scripts: { start: 'next start' } }),
      },
      { tracked: true },
    );
    const a = analyzeRepo(repo, { path: 'apps/api', now: () => new Date(0) });
    expect(a.framework.name).toBe('nestjs');
    expect(a.port).toMatchObject({ value: 3000, reads_env: true });
    expect(a.env_vars.map((v) => v.name).sort()).toEqual(['DATABASE_URL', 'PORT', 'SMTP_URL']);
    expect(a.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL' });
    const admin = analyzeRepo(repo, { path: 'apps/admin', now: () => new Date(0) });
    expect(admin.database.engine).toBeNull();
  });
});

describe('an Nx repository analyzed at its root (one package.json, no root tsconfig.json)', () => {
  const main = (spec: string) =>
    `import { DEFAULT_HOST, DEFAULT_PORT } from '${spec}';\nimport { NestFactory } from '@nestjs/core';\nimport { ConfigService } from '@nestjs/config';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  const configService = app.get<ConfigService>(ConfigService);\n  const HOST = configService.get<string>('HOST') || DEFAULT_HOST;\n  const PORT = configService.get<number>('PORT') || DEFAULT_PORT;\n  await app.listen(PORT, HOST);\n}\nbootstrap();\n`;
  const base = {
    'package.json': json({ name: 'folio', private: true, scripts: { build: 'nx run api:build', start: 'node dist/apps/api/main' }, dependencies: { '@nestjs/core': '^11', '@nestjs/config': '^4' } }),
    'libs/common/src/lib/config.ts': "export const DEFAULT_HOST = '0.0.0.0';\nexport const DEFAULT_PORT = 3333;\n",
    'apps/api/project.json': json({ name: 'api', projectType: 'application' }),
  };

  it("resolves the apps' imports through the tsconfig.base.json their tsconfig.json extends (ghostfolio: port 3333, not Nest's 3000)", () => {
    const a = analyzeRepo(
      memoryRepo({
        ...base,
        'tsconfig.base.json': json({ compilerOptions: { baseUrl: '.', paths: { '@folio/common/*': ['libs/common/src/lib/*'] } } }),
        'apps/api/tsconfig.json': json({ extends: '../../tsconfig.base.json' }),
        'apps/api/src/main.ts': main('@folio/common/config'),
      }),
      { now: () => new Date(0) },
    );
    expect(a.entrypoint).toBe('dist/apps/api/main.js');
    expect(a.port).toMatchObject({ value: 3333, reads_env: true, env_name: 'PORT', default: 3333 });
    expect(a.bind).toMatchObject({ host: '0.0.0.0', all_interfaces: true });
  });

  it("takes the paths of the app's own tsconfig.json first, as TypeScript compiles the app with it", () => {
    const a = analyzeRepo(
      memoryRepo({
        ...base,
        'tsconfig.base.json': json({ compilerOptions: { paths: { '@cfg/*': ['libs/other/*'] } } }),
        'apps/api/tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { baseUrl: '.', paths: { '@cfg/*': ['../../libs/common/src/lib/*'] } } }),
        'apps/api/src/main.ts': main('@cfg/config'),
      }),
      { now: () => new Date(0) },
    );
    expect(a.port).toMatchObject({ value: 3333, default: 3333 });
  });
});

describe('a workspace package only the root declares', () => {
  // docmost: apps/server imports @docmost/editor-ext, which only the root package.json lists (`workspace:*`); pnpm's
  // filter on the server neither installed nor built it, and nest build failed (TS2307).
  const files = (rootDeps: Record<string, string>) => ({
    'package.json': json({ name: 'docmost', private: true, dependencies: rootDeps, packageManager: 'pnpm@10.28.0' }),
    'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    'apps/server/package.json': json({ name: 'server', scripts: { build: 'nest build', start: 'node dist/main' }, dependencies: { '@nestjs/core': '^11', '@acme/util': 'workspace:*' } }),
    'apps/server/src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { ext } from '@acme/editor-ext';\nimport { util } from '@acme/util';\nNestFactory.create(ext(util)).then((app: any) => app.listen(process.env.PORT ?? 3000, '0.0.0.0'));\n",
    'packages/editor-ext/package.json': json({ name: '@acme/editor-ext', main: 'dist/index.js', scripts: { build: 'tsc' } }),
    'packages/editor-ext/src/index.ts': 'export const ext = (x: unknown) => x;\n',
    'packages/util/package.json': json({ name: '@acme/util', main: 'dist/index.js', scripts: { build: 'tsc' } }),
    'packages/unused/package.json': json({ name: '@acme/unused', scripts: { build: 'tsc' } }),
  });

  it('runs in the unit when its code imports it: installed and built by name before the filtered build', async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const a = analyzeRepo(memoryRepo(files({ '@acme/editor-ext': 'workspace:*', '@acme/unused': 'workspace:*' })), { path: 'apps/server' });
    expect(a.local_packages).toEqual([
      { path: 'packages/util', name: '@acme/util', build: true },
      { path: 'packages/editor-ext', name: '@acme/editor-ext', build: true, root_declared: true },
    ]);
    const text = generateDockerfile(a, ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'apps/server/package.json', 'packages/editor-ext/package.json', 'packages/util/package.json']).text;
    expect(text).toContain('RUN CI=true pnpm install --frozen-lockfile --filter "{apps/server}..." --filter "{packages/editor-ext}..."\n');
    // The filtered build builds util (a declared dependency); editor-ext is built first, by name.
    expect(text).toContain('WORKDIR /app/packages/editor-ext\nRUN pnpm run build\nWORKDIR /app\nRUN pnpm --filter "{apps/server}..." run build\n');
    expect(text).not.toContain('packages/util\nRUN');
  });
});

describe("a workspace unit opening the client of the root's Prisma schema (plunk)", () => {
  it('is that database, migrated from the root schema, with the client generated before the build', async () => {
    const files = {
      'package.json': JSON.stringify({ name: 'plunk', private: true, workspaces: ['packages/*'], scripts: { 'migrate:deploy': 'prisma migrate deploy' }, devDependencies: { prisma: '^5' }, dependencies: { '@prisma/client': '^5' } }),
      'package-lock.json': '{}',
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
      'prisma/migrations/20240719085125_init/migration.sql': 'CREATE TABLE "User" (id TEXT);\n',
      'packages/api/package.json': JSON.stringify({ name: '@plunk/api', scripts: { build: 'tsc', start: 'node dist/app.js' }, dependencies: { '@prisma/client': '^5', express: '^4' }, devDependencies: { prisma: '^5' } }),
      'packages/api/src/app.ts': "import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\nexpress().listen(Number(process.env.PORT) || 4000);\n",
    };
    const a = analyzeRepo(memoryRepo(files, { tracked: true }), { path: 'packages/api' });
    expect(a.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL', prisma_schema: { path: 'prisma/schema.prisma' } });
    expect(a.migrations).toMatchObject({ tool: 'prisma', command: 'npx prisma migrate deploy --schema ../../prisma/schema.prisma', directory: 'prisma/migrations', files: ['prisma/migrations/20240719085125_init/migration.sql'] });
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('RUN npx prisma generate --schema ../../prisma/schema.prisma');
    // A unit that only imports the model types (plunk's dashboard) opens no database.
    const dashboard = { ...files, 'packages/web/package.json': JSON.stringify({ name: '@plunk/web', scripts: { build: 'tsc', start: 'node dist/server.js' }, dependencies: { express: '^4' } }), 'packages/web/src/server.ts': "import express from 'express';\nimport type { Email } from '@prisma/client';\nexport const show = (e: Email) => e;\nexpress().listen(Number(process.env.PORT) || 3000);\n" };
    expect(analyzeRepo(memoryRepo(dashboard, { tracked: true }), { path: 'packages/web' }).database.engine).toBeNull();
  });
});
