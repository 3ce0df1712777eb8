import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { nxProjects } from '../../../src/core/analysis/nx.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v, null, 2);
const now = () => new Date(0);
const root = (extra: Record<string, unknown> = {}) =>
  json({ name: 'acme', private: true, scripts: { build: 'nx run-many -t build' }, dependencies: { express: '^4.21.0' }, devDependencies: { nx: '20.3.0' }, ...extra });
const server = "import express from 'express';\nconst app = express();\napp.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(Number(process.env.PORT ?? 3333), '0.0.0.0');\n";

/** An Nx workspace: nx.json, one root package.json, projects with project.json only. */
function workspace(projects: Record<string, unknown>, files: Record<string, string> = {}, rootPkg = root()) {
  const out: Record<string, string> = { 'nx.json': json({ targetDefaults: {} }), 'package.json': rootPkg, 'package-lock.json': json({ lockfileVersion: 3 }) };
  for (const [dir, project] of Object.entries(projects)) out[`${dir}/project.json`] = json(project);
  return memoryRepo({ ...out, ...files }, { tracked: true });
}

const nodeApp = (name: string, build: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, projectType: 'application', sourceRoot: `apps/${name}/src`, targets: { build }, ...extra });

describe('Nx projects without a package.json', () => {
  it('an app is a unit that installs with the root, builds with nx and runs the file its build writes', () => {
    const repo = workspace({ 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts' }, configurations: { production: {} } }) }, { 'apps/api/src/main.ts': server });
    const a = analyzeRepo(repo, { path: 'apps/api', now });
    expect(a.kind).toBe('server');
    expect(a.framework.name).toBe('express');
    expect(a.commands).toMatchObject({ install: 'npm ci', build: 'npx nx build api --configuration=production', start: 'node ../../dist/apps/api/main.js', start_source: 'nx' });
    expect(a.entrypoint).toBe('../../dist/apps/api/main.js');
    expect(a.nx_project).toEqual({ name: 'api', file: 'apps/api/project.json', output: 'dist/apps/api/main.js', source_main: 'apps/api/src/main.ts' });
    // The code read is the project's: the port and health route come from its main.ts.
    expect(a.port).toMatchObject({ value: 3333, reads_env: true });
    expect(a.health.paths).toContain('/healthz');
    expect(a.commands.evidence).toContainEqual(expect.objectContaining({ file: 'apps/api/project.json', rule: 'nx-build-target' }));
    const byId = Object.fromEntries(a.findings.map((f) => [f.id, f]));
    expect(byId['start-script']).toMatchObject({ status: 'pass' });
    expect(byId['build-output']).toMatchObject({ status: 'pass', message: 'Entrypoint dist/apps/api/main.js is written by `npx nx build api --configuration=production` (apps/api/project.json).' });
    expect(byId['deployable']).toMatchObject({ status: 'pass' });
  });

  it('finds the output by executor: tsc keeps the source tree, esbuild names it after main, a default configuration of production needs no flag', () => {
    const repo = workspace(
      {
        'apps/tsc': nodeApp('tsc', { executor: '@nx/js:tsc', options: { outputPath: 'dist/apps/tsc', main: 'apps/tsc/src/main.ts' } }),
        'apps/esb': nodeApp('esb', { executor: '@nx/esbuild:esbuild', defaultConfiguration: 'production', options: { platform: 'node', outputPath: 'dist/esb', main: 'apps/esb/src/server.ts' }, configurations: { production: {} } }),
      },
      { 'apps/tsc/src/main.ts': server, 'apps/esb/src/server.ts': server },
    );
    expect(analyzeRepo(repo, { path: 'apps/tsc', now }).commands).toMatchObject({ build: 'npx nx build tsc', start: 'node ../../dist/apps/tsc/src/main.js' });
    expect(analyzeRepo(repo, { path: 'apps/esb', now }).commands).toMatchObject({ build: 'npx nx build esb', start: 'node ../../dist/esb/server.js' });
  });

  it('a build inferred from the webpack config (Nx plugins, no build target) takes its outputPath and main from there', () => {
    const webpack = "const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');\nmodule.exports = { plugins: [new NxAppWebpackPlugin({ target: 'node', compiler: 'tsc', main: './src/main.ts', outputPath: '../../dist/apps/api' })] };\n";
    const repo = workspace({ 'apps/api': { name: 'api', projectType: 'application', targets: {} } }, { 'apps/api/webpack.config.js': webpack, 'apps/api/src/main.ts': server });
    const a = analyzeRepo(repo, { path: 'apps/api', now });
    expect(a.nx_project).toMatchObject({ output: 'dist/apps/api/main.js', source_main: 'apps/api/src/main.ts' });
    expect(a.commands.build).toBe('npx nx build api');
    expect(a.kind).toBe('server');
  });

  it("reads the output directory of Nx's generated webpack config: output.path = join(__dirname, …), in one piece or by segments", () => {
    const config = (path: string) => `const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');\nconst { join } = require('path');\nmodule.exports = {\n  output: {\n    path: ${path},\n  },\n  plugins: [new NxAppWebpackPlugin({ target: 'node', compiler: 'tsc', main: './src/main.ts' })],\n};\n`;
    const output = (path: string) =>
      analyzeRepo(workspace({ 'packages/nest': { name: 'nx-nest', projectType: 'application', targets: {} } }, { 'packages/nest/webpack.config.js': config(path), 'packages/nest/src/main.ts': server }), { path: 'packages/nest', now }).nx_project?.output;
    expect(output("join(__dirname, '../../dist/apps/api')")).toBe('dist/apps/api/main.js');
    expect(output('join(__dirname, "..", "..", "dist", "apps", "nx-nest")')).toBe('dist/apps/nx-nest/main.js');
    // A computed path is not guessed at: Nx's default.
    expect(output('join(__dirname, OUT)')).toBe('dist/packages/nest/main.js');
  });

  it("runs nx through the workspace's package manager", () => {
    const repo = memoryRepo(
      { 'nx.json': '{}', 'package.json': root({ packageManager: 'pnpm@9.12.0' }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'apps/api/project.json': json(nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } })), 'apps/api/src/main.ts': server },
      { tracked: true },
    );
    const a = analyzeRepo(repo, { path: 'apps/api', now });
    expect(a.commands).toMatchObject({ install: 'pnpm install --frozen-lockfile', build: 'pnpm exec nx build api', start: 'node ../../dist/apps/api/main.js' });
  });

  it('the root lists the applications to choose from: not end-to-end tests or libraries; a site is listed as not deployed', () => {
    const repo = workspace(
      {
        'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }),
        'apps/api-e2e': { name: 'api-e2e', projectType: 'application', targets: { e2e: { executor: '@nx/jest:jest' } } },
        'apps/web': { name: 'web', projectType: 'application', targets: { build: { executor: '@nx/vite:build', options: { outputPath: 'dist/apps/web' } } } },
        // Targets inferred by Nx's Vite plugin from the config file (school-console's apps/web).
        'apps/admin': { name: 'admin', projectType: 'application', targets: {} },
        'libs/db': { name: 'db', projectType: 'library', targets: {} },
        // A project with its own package.json is a package, found like any workspace's.
        'tools/cli': { name: 'cli', projectType: 'application' },
      },
      { 'apps/api/src/main.ts': server, 'apps/web/index.html': '<div id="root"></div>\n', 'apps/admin/vite.config.mts': 'export default {};\n', 'apps/admin/src/main.tsx': 'export {};\n', 'libs/db/src/index.ts': 'export const url = process.env.DATABASE_URL;\n', 'tools/cli/package.json': json({ name: 'cli', bin: 'index.js' }) },
    );
    expect(nxProjects(repo).map((p) => p.dir)).toEqual(['apps/admin', 'apps/api', 'apps/web']);
    const a = analyzeRepo(repo, { now });
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toContain('apps/api');
    expect(a.units).toEqual([
      { path: 'apps/admin', name: 'admin', kind: 'not-deployable', framework: 'none' },
      { path: 'apps/api', name: 'api', kind: 'server', framework: 'express' },
      { path: 'apps/web', name: 'web', kind: 'not-deployable', framework: 'none' },
    ]);
    expect(a.findings.find((f) => f.id === 'workspace-unit')).toMatchObject({ status: 'fail', fix: 'Analyze one unit: sealos-deploy analyze . --path apps/api' });
    const web = analyzeRepo(repo, { path: 'apps/web', now });
    expect(web.kind).toBe('not-deployable');
    expect(web.kind_reason).toContain('an Nx single-page app (@nx/vite:build in apps/web/project.json)');
  });

  it("a root that starts one project's build output deploys it; other services are named, that one is not", () => {
    const repo = workspace(
      {
        'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts' } }),
        'apps/jobs': nodeApp('jobs', { executor: '@nx/webpack:webpack', options: { target: 'node', outputPath: 'dist/apps/jobs', main: 'apps/jobs/src/main.ts' } }),
      },
      { 'apps/api/src/main.ts': server, 'apps/jobs/src/main.ts': server },
      root({ scripts: { build: 'nx run api:build:production', start: 'node dist/apps/api/main' } }),
    );
    const a = analyzeRepo(repo, { now });
    expect(a.kind).toBe('server');
    expect(a.entrypoint).toBe('dist/apps/api/main.js');
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.message).toContain('1 more deployable unit: apps/jobs.');
  });

  it('Prisma at the workspace root: the schema is the project\'s, migrations run there with the root\'s script', () => {
    const repo = workspace(
      { 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }) },
      {
        'apps/api/src/main.ts': `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\n${server}`,
        'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
        'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE t (id int);\n',
      },
      root({ scripts: { 'db:deploy': 'prisma migrate deploy' }, dependencies: { express: '^4', '@prisma/client': '^6' }, devDependencies: { nx: '20', prisma: '^6' } }),
    );
    const a = analyzeRepo(repo, { path: 'apps/api', now });
    expect(a.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL' });
    expect(a.migrations).toMatchObject({ tool: 'prisma', command: 'cd ../.. && npm run db:deploy', directory: 'prisma/migrations' });
  });

  it("migrations kept at the workspace root run there with the root's scripts: TypeORM's (makefilm), or any migrate script", () => {
    const typeorm = workspace(
      { 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }) },
      { 'apps/api/src/main.ts': server, 'database/src/migrations/1737214515704-articles.ts': 'export class Articles1737214515704 {}\n' },
      root({ scripts: { typeorm: 'ts-node ./node_modules/typeorm/cli.js', 'migration:run': 'npm run typeorm -- --dataSource=database/src/data-source.ts migration:run' }, dependencies: { express: '^4', typeorm: '^0.3', pg: '^8' }, devDependencies: { nx: '20', 'ts-node': '^10' } }),
    );
    const a = analyzeRepo(typeorm, { path: 'apps/api', now });
    expect(a.migrations).toMatchObject({ tool: 'typeorm', command: 'cd ../.. && npm run migration:run', directory: 'database/src/migrations' });
    // The root script runs TypeORM through ts-node, a devDependency here: the image must keep it.
    expect(a.migrations.cli).toEqual({ package: 'ts-node', installed: 'dev' });
    const script = workspace(
      { 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }) },
      { 'apps/api/src/main.ts': `import pg from 'pg';\nnew pg.Pool({ connectionString: process.env.DATABASE_URL });\n${server}`, 'migrations/001_init.sql': 'create table t (id int);\n' },
      root({ scripts: { migrate: 'node tools/migrate.mjs' }, dependencies: { express: '^4', pg: '^8' } }),
    );
    expect(analyzeRepo(script, { path: 'apps/api', now }).migrations).toMatchObject({ tool: 'script', command: 'cd ../.. && npm run migrate', directory: 'migrations' });
  });

  it("the root's scripts an Nx project migrates with are the masked ones: a secret written into them never reaches the document", () => {
    const key = 'sk_live_51HabcdefghijklmnopqrstuvWXYZ';
    const repo = workspace(
      { 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }) },
      { 'apps/api/src/main.ts': `import pg from 'pg';\nnew pg.Pool({ connectionString: process.env.DATABASE_URL });\n${server}`, 'migrations/001_init.sql': 'create table t (id int);\n' },
      root({ scripts: { migrate: `STRIPE_SECRET_KEY=${key} node tools/migrate.mjs` }, dependencies: { express: '^4', pg: '^8' } }),
    );
    const a = analyzeRepo(repo, { path: 'apps/api', now });
    expect(a.migrations).toMatchObject({ tool: 'script', command: 'cd ../.. && npm run migrate' });
    expect(JSON.stringify(a)).not.toContain(key);
  });

  it('.sealos/config.json commands still win', () => {
    const repo = workspace({ 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', main: 'apps/api/src/main.ts' } }) }, { 'apps/api/src/main.ts': server, 'apps/api/.sealos/config.json': json({ build_command: 'npx nx run api:build:ci', start_command: 'node ../../dist/apps/api/main.js --cluster' }) });
    expect(analyzeRepo(repo, { path: 'apps/api', now }).commands).toMatchObject({ build: 'npx nx run api:build:ci', start: 'node ../../dist/apps/api/main.js --cluster', start_source: 'config' });
  });

  it('a directory with a project.json outside an Nx workspace (no nx.json) is still no Node.js project', () => {
    const repo = memoryRepo({ 'package.json': root(), 'apps/api/project.json': json(nodeApp('api', {})), 'apps/api/src/main.ts': server }, { tracked: true });
    expect(analyzeRepo(repo, { path: 'apps/api', now }).kind_reason).toBe('apps/api has no package.json: not a Node.js project');
  });
});

describe('a start script that runs `nx serve`', () => {
  const standalone = (start: string, extra: Record<string, string> = {}, withNxJson = true) =>
    memoryRepo(
      {
        ...(withNxJson ? { 'nx.json': '{}' } : {}),
        'package.json': json({ name: 'realworld', scripts: { start, build: 'nx build' }, dependencies: { express: '^4' }, devDependencies: { nx: '20' } }),
        'package-lock.json': '{}',
        'project.json': json({ name: 'api', sourceRoot: 'src', projectType: 'application', targets: { build: { executor: '@nx/esbuild:esbuild', defaultConfiguration: 'production', options: { platform: 'node', outputPath: 'dist/api', main: 'src/main.ts' }, configurations: { production: {} } }, serve: { executor: '@nx/js:node' } } }),
        'src/main.ts': "import express from 'express';\nimport { port } from './config';\nexpress().listen(port);\n",
        'src/config.ts': 'export const port = Number(process.env.PORT ?? 3000);\n',
        ...extra,
      },
      { tracked: true },
    );

  it("starts the file the project's build writes, with a warning to make that the start script (gothinkster's realworld API)", () => {
    const a = analyzeRepo(standalone('nx serve'), { now });
    expect(a.commands).toMatchObject({ build: 'npm run build', start: 'node dist/api/main.js', start_source: 'nx', start_issues: [] });
    expect(a.entrypoint).toBe('dist/api/main.js');
    // The source behind it is read from the project's main: the port comes through its import.
    expect(a.port).toMatchObject({ value: 3000, reads_env: true });
    const byId = Object.fromEntries(a.findings.map((f) => [f.id, f]));
    expect(byId['start-script']).toMatchObject({ status: 'warn', fix: 'Make "start" run the build output ("start": "node dist/api/main.js") and keep `nx serve` in a "dev" script.' });
    expect(byId['start-foreground']).toMatchObject({ status: 'pass' });
    expect(byId['build-output']).toMatchObject({ status: 'pass' });
  });

  it('`nx run api:serve` names the project; with no build script nx builds it', () => {
    const repo = workspace(
      { 'apps/api': nodeApp('api', { executor: '@nx/webpack:webpack', options: { target: 'node', outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts' } }) },
      { 'apps/api/src/main.ts': server },
      root({ scripts: { start: 'nx run api:serve' } }),
    );
    const a = analyzeRepo(repo, { now });
    expect(a.commands).toMatchObject({ build: 'npx nx build api', start: 'node dist/apps/api/main.js', start_source: 'nx' });
  });

  it('outside an Nx workspace it stays a development start to fix', () => {
    const a = analyzeRepo(standalone('nx serve', {}, false), { now });
    expect(a.commands.start).toBe('npm start');
    expect(a.commands.start_issues[0]).toContain('runs the Nx serve target');
  });
});
