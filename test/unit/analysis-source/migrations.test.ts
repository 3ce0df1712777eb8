import { describe, expect, it } from 'vitest';
import { analyze, findingOf, pkgJson, status } from './memory-repo.js';

const prismaSchema = (provider: string) => `datasource db {\n  provider = "${provider}"\n  url = env("DATABASE_URL")\n}\n`;

describe('migrations', () => {
  it("a schema the project pushes instead of migrating runs the project's push script, and says it changes the schema in place (dub, postiz)", () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { scripts: { 'prisma:push': 'dotenv-flow -e .env -- prisma db push --schema=./prisma/schema', 'db:push:watch': 'prisma db push --watch' } }),
      'prisma/schema/schema.prisma': prismaSchema('mysql'),
    });
    expect(r.migrations).toMatchObject({ tool: 'prisma', command: 'npm run prisma:push', files: [], evidence: [expect.objectContaining({ file: 'package.json', rule: 'push-script' })] });
    expect(findingOf(r, 'migrations')).toMatchObject({ status: 'warn', message: expect.stringContaining('The deployment runs "prisma:push"') });
    // A versioned CLI in the script (postiz's `pnpm dlx prisma@6.5.0 db push --accept-data-loss`), and what it risks.
    const pinned = analyze({ 'package.json': pkgJson(['@prisma/client'], { scripts: { 'prisma-db-push': 'pnpm dlx prisma@6.5.0 db push --accept-data-loss' } }), 'prisma/schema.prisma': prismaSchema('postgresql') });
    expect(pinned.migrations.command).toBe('npm run prisma-db-push');
    expect(findingOf(pinned, 'migrations')?.message).toContain('may drop data');
    // A migrate script of the project's own comes first (formbricks' apply-migrations.js over its migration/ folder).
    const own = analyze({ 'package.json': pkgJson(['@prisma/client'], { scripts: { 'db:migrate:deploy': 'node ./dist/scripts/apply-migrations.js', 'db:push': 'prisma db push --accept-data-loss' } }), 'prisma/schema.prisma': prismaSchema('postgresql') });
    expect(own.migrations).toMatchObject({ tool: 'script', command: 'npm run db:migrate:deploy' });
    expect(status(own, 'migrations')).toBe('pass');
  });

  it("a hand-written runner in a script named migrate:db is the migrate step (lunary: `bun run src/migrate.ts` over its SQL files)", () => {
    const r = analyze({ 'package.json': pkgJson(['postgres'], { scripts: { start: 'node migrate.js && node index.js', 'migrate:db': 'node src/migrate.js' } }), 'src/migrate.js': "const sql = require('postgres')(process.env.DATABASE_URL);\n", 'index.js': "require('http').createServer().listen(3000);\n" });
    expect(r.migrations).toMatchObject({ tool: 'script', command: 'npm run migrate:db' });
  });

  it("AdonisJS 5's extension-less ace is built to build/ace, 6's ace.js to build/ace.js (ferdium-server)", () => {
    const files = (ace: string) => ({ 'package.json': pkgJson(['@adonisjs/core', '@adonisjs/lucid', 'pg']), [ace]: "require('@adonisjs/core/build/standalone')\n", 'database/migrations/1_users.ts': 'export default class {}\n' });
    expect(analyze(files('ace')).migrations.command).toBe('node build/ace migration:run --force');
    expect(analyze(files('ace.js')).migrations.command).toBe('node build/ace.js migration:run --force');
  });

  it('prisma with committed migrations: npx prisma migrate deploy, files sorted', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { scripts: { migrate: 'prisma migrate deploy' } }),
      'prisma/schema.prisma': prismaSchema('postgresql'),
      'prisma/migrations/20240520_add_orders/migration.sql': 'ALTER TABLE x;',
      'prisma/migrations/20240312_init/migration.sql': 'CREATE TABLE x;',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
    });
    expect(r.migrations).toMatchObject({
      tool: 'prisma',
      command: 'npx prisma migrate deploy',
      directory: 'prisma/migrations',
      files: ['prisma/migrations/20240312_init/migration.sql', 'prisma/migrations/20240520_add_orders/migration.sql'],
    });
    expect(status(r, 'migrations')).toBe('pass');
  });

  it('a schema split over prisma/schema/*.prisma keeps its migrations beside the folder (papermark)', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { devDependencies: { prisma: '6.5.0' } }),
      'prisma/schema/schema.prisma': prismaSchema('postgresql'),
      'prisma/schema/user.prisma': 'model User {\n  id String @id\n}\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" (id text);',
    });
    expect(r.migrations).toMatchObject({ tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', files: ['prisma/migrations/20240101000000_init/migration.sql'] });
    expect(findingOf(r, 'migrations')?.status).toBe('pass');
  });

  it('uses the package manager exec prefix and keeps scripts that add flags', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['@prisma/client'], { scripts: { 'db:deploy': 'prisma migrate deploy --schema db/schema.prisma' }, prisma: { schema: 'db/schema.prisma' } }),
        'db/schema.prisma': prismaSchema('mysql'),
        'db/migrations/1_init/migration.sql': 'CREATE TABLE x;',
      },
      { runPrefix: 'pnpm run', execPrefix: 'pnpm exec' },
    );
    expect(r.migrations).toMatchObject({ tool: 'prisma', command: 'pnpm run db:deploy', directory: 'db/migrations' });
  });

  it('warns for a prisma schema with no migrations and no push script (tool prisma, no command)', () => {
    const r = analyze({ 'package.json': pkgJson(['@prisma/client'], { scripts: { 'db:studio': 'prisma studio' } }), 'prisma/schema.prisma': prismaSchema('mysql') });
    expect(r.migrations).toMatchObject({ tool: 'prisma', command: null, files: [] });
    const f = findingOf(r, 'migrations');
    expect(f?.status).toBe('warn');
    expect(f?.fix).toContain('prisma migrate dev');
  });

  it('drizzle: out dir from drizzle.config, npx drizzle-kit migrate', () => {
    const r = analyze({
      'package.json': pkgJson(['drizzle-orm', 'pg'], { devDependencies: { 'drizzle-kit': '1' } }),
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', out: './db/migrations', dbCredentials: { url: process.env.DATABASE_URL! } });\n`,
      'db/migrations/0000_init.sql': 'CREATE TABLE a();',
      'db/migrations/meta/_journal.json': '{}',
    });
    expect(r.migrations).toMatchObject({ tool: 'drizzle', command: 'npx drizzle-kit migrate', directory: 'db/migrations', files: ['db/migrations/0000_init.sql'] });
  });

  it("a script named like a migration that applies none (Dokploy's \"migration:up\": \"drizzle-kit up\") is not the migrate step", () => {
    const r = analyze({
      'package.json': pkgJson(['drizzle-orm', 'pg'], { devDependencies: { 'drizzle-kit': '1' }, scripts: { 'migration:up': 'drizzle-kit up --config ./drizzle.config.ts', 'migration:generate': 'drizzle-kit generate' } }),
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', out: './drizzle', dbCredentials: { url: process.env.DATABASE_URL! } });\n`,
      'drizzle/0000_init.sql': 'CREATE TABLE a();',
    });
    expect(r.migrations).toMatchObject({ tool: 'drizzle', command: 'npx drizzle-kit migrate' });
    const plain = analyze({ 'package.json': pkgJson(['pg'], { scripts: { 'migrate:status': 'knex migrate:status', migrate: 'knex migrate:status' } }), 'db.js': "require('pg');\n" });
    expect(plain.migrations.command).toBeNull();
  });

  it('typeorm: migration:run -d with the built data source when the service runs from dist/', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['typeorm', 'pg']),
        'src/data-source.ts': `import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, migrations: ['dist/migrations/*.js'] });\n`,
        'src/migrations/1700000000000-Init.ts': `export class Init1700000000000 { async up() {} async down() {} }\n`,
      },
      { startCommand: 'node dist/main.js' },
    );
    expect(r.migrations).toMatchObject({ tool: 'typeorm', command: 'npx typeorm migration:run -d dist/data-source.js', files: ['src/migrations/1700000000000-Init.ts'] });
  });

  it('knex: migrations.directory from the knexfile; sequelize: .sequelizerc path', () => {
    const k = analyze({
      'package.json': pkgJson(['knex', 'pg']),
      'knexfile.js': `module.exports = { client: 'pg', connection: process.env.DATABASE_URL, migrations: { directory: './db/migrations' } };\n`,
      'db/migrations/20240101_users.js': `exports.up = (k) => k.schema.createTable('users', () => {});\n`,
    });
    expect(k.migrations).toMatchObject({ tool: 'knex', command: 'npx knex migrate:latest', directory: 'db/migrations' });
    const s = analyze({
      'package.json': pkgJson(['sequelize', 'pg'], { devDependencies: { 'sequelize-cli': '6' } }),
      '.sequelizerc': `const path = require('path');\nmodule.exports = { 'migrations-path': path.resolve('database', 'migrations') };\n`,
      'database/migrations/2024-init.js': `module.exports = { up() {}, down() {} };\n`,
      'db.js': `const { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(process.env.DATABASE_URL);\n`,
    });
    expect(s.migrations).toMatchObject({ tool: 'sequelize', command: 'npx sequelize-cli db:migrate', directory: 'database/migrations' });
  });

  it('db-migrate: its migrations directory, from a script flag when one names it', () => {
    const db = `import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n`;
    const plain = analyze({ 'package.json': pkgJson(['pg', 'db-migrate', 'db-migrate-pg']), 'migrations/20240101-init.js': 'exports.up = () => {};', 'migrations/sqls/20240101-init-up.sql': 'CREATE TABLE t();', 'src/db.js': db });
    expect(plain.migrations).toMatchObject({ tool: 'db-migrate', command: 'npx db-migrate up', directory: 'migrations', files: ['migrations/20240101-init.js', 'migrations/sqls/20240101-init-up.sql'] });
    expect(status(plain, 'migrations')).toBe('pass');
    // As Unleash writes it: a script that is the tool and its directory, to which `up` is added.
    const flagged = analyze({ 'package.json': pkgJson(['pg', 'db-migrate'], { scripts: { 'db-migrate': 'db-migrate --migrations-dir ./src/migrations' } }), 'src/migrations/20240101-init.js': 'exports.up = () => {};', 'src/db.js': db });
    expect(flagged.migrations).toMatchObject({ tool: 'db-migrate', command: 'npx db-migrate up --migrations-dir src/migrations', directory: 'src/migrations' });
    const upScript = analyze({ 'package.json': pkgJson(['pg', 'db-migrate'], { scripts: { 'migrate:up': 'db-migrate up -m db/migrations' } }), 'db/migrations/1.js': 'exports.up = () => {};', 'src/db.js': db }, { runPrefix: 'pnpm run' });
    expect(upScript.migrations).toMatchObject({ tool: 'db-migrate', command: 'pnpm run migrate:up', directory: 'db/migrations' });
  });

  it('falls back to a migrate script with the right run prefix', () => {
    const r = analyze(
      { 'package.json': pkgJson(['pg'], { scripts: { 'db:migrate': 'node scripts/migrate.js' } }), 'migrations/001.sql': 'CREATE TABLE t();', 'src/db.js': `import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` },
      { runPrefix: 'yarn run' },
    );
    expect(r.migrations).toMatchObject({ tool: 'script', command: 'yarn run db:migrate', directory: 'migrations', files: ['migrations/001.sql'] });
    expect(status(r, 'migrations')).toBe('pass');
  });

  it('warns for SQL without migrations, and emits nothing for redis-only or no database', () => {
    const pg = analyze({ 'package.json': pkgJson(['pg']), 'db.js': `const { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL });\n` });
    expect(status(pg, 'migrations')).toBe('warn');
    const redis = analyze({ 'package.json': pkgJson(['redis']), 'c.js': `import { createClient } from 'redis';\nexport const c = createClient({ url: process.env.REDIS_URL });\n` });
    expect(redis.database).toMatchObject({ engine: 'redis', env_key: 'REDIS_URL' });
    expect(findingOf(redis, 'migrations')).toBeUndefined();
  });
});

describe('migration-cli: whether the image can run the migrate command', () => {
  const base = {
    'prisma/schema.prisma': prismaSchema('postgresql'),
    'prisma/migrations/20240312_init/migration.sql': 'CREATE TABLE x;',
  };
  it('a production dependency passes; a devDependency warns that pruning removes it; none at all warns that npx fetches it', () => {
    const prod = analyze({ ...base, 'package.json': pkgJson(['@prisma/client', 'prisma']) });
    expect(prod.migrations.cli).toEqual({ package: 'prisma', installed: 'prod' });
    expect(status(prod, 'migration-cli')).toBe('pass');

    const dev = analyze({ ...base, 'package.json': pkgJson(['@prisma/client'], { devDependencies: { prisma: '^6' } }) });
    expect(dev.migrations.cli).toEqual({ package: 'prisma', installed: 'dev' });
    expect(findingOf(dev, 'migration-cli')).toMatchObject({ status: 'warn', message: expect.stringContaining('only a devDependency') });

    const absent = analyze({ ...base, 'package.json': pkgJson(['@prisma/client']) });
    expect(absent.migrations.cli).toEqual({ package: 'prisma', installed: 'absent' });
    expect(findingOf(absent, 'migration-cli')).toMatchObject({ status: 'warn', message: expect.stringContaining('npx would download') });
  });

  it('a migrate script names the CLI it runs', () => {
    const r = analyze({ 'package.json': pkgJson(['pg'], { scripts: { migrate: 'node-pg-migrate up' }, devDependencies: { 'node-pg-migrate': '^7' } }), 'migrations/1_init.sql': 'CREATE TABLE x;' });
    expect(r.migrations).toMatchObject({ tool: 'node-pg-migrate', cli: { package: 'node-pg-migrate', installed: 'dev' } });
    const custom = analyze({ 'package.json': pkgJson(['pg'], { scripts: { migrate: 'node scripts/migrate.js' } }), 'scripts/migrate.js': 'require("pg")' });
    expect(custom.migrations.tool).toBe('script');
    expect(custom.migrations.cli ?? null).toBeNull();
    expect(findingOf(custom, 'migration-cli')).toBeUndefined();
  });
});

describe('a migrate script that runs the tool its own way', () => {
  it('is the command, and whatever binary it runs through `npm run` must survive pruning', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/typeorm', 'typeorm', 'pg'], {
        scripts: { typeorm: 'env-cmd -- ts-node -r tsconfig-paths/register ./node_modules/typeorm/cli.js', 'migration:run': 'npm run typeorm -- --dataSource=src/database/data-source.ts migration:run' },
        devDependencies: { 'env-cmd': '^10', 'ts-node': '^10', 'tsconfig-paths': '^4' },
      }),
      // A module that builds a DataSource in a factory, and the CLI's own data source file.
      'src/app.module.ts': "import { DataSource } from 'typeorm';\nexport const f = (o: any) => new DataSource(o).initialize();\n",
      'src/database/data-source.ts': "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, migrations: ['src/database/migrations/*.ts'] });\n",
      'src/database/migrations/1700000000000-Init.ts': 'export class Init1700000000000 {}\n',
    });
    expect(r.migrations).toMatchObject({ tool: 'typeorm', command: 'npm run migration:run', directory: 'src/database/migrations', cli: { package: 'env-cmd', installed: 'dev' } });
    expect(r.migrations.evidence[0]).toMatchObject({ file: 'src/database/data-source.ts', rule: 'typeorm-datasource' });
    expect(findingOf(r, 'migration-cli')?.status).toBe('warn');
  });
});

describe('a service that applies its migrations itself when it starts', () => {
  const dataSource = `import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, migrations: ['dist/migrations/*.js'] });\n`;
  const migration = { 'src/migrations/1700000000000-Init.ts': 'export class Init1700000000000 { async up() {} async down() {} }\n' };

  it('Flowise: runMigrations() where the server starts: no migrate step, a pass that says where', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['typeorm', 'pg', 'express']),
        'src/data-source.ts': dataSource,
        'src/index.ts': "import express from 'express';\nimport { AppDataSource } from './data-source';\nexport async function start() {\n  await AppDataSource.initialize();\n  await AppDataSource.runMigrations({ transaction: 'each' });\n  express().listen(process.env.PORT || 3000);\n}\n",
        'src/main.ts': "import { start } from './index';\nstart();\n",
        ...migration,
      },
      { entrypoint: 'src/main.ts', startCommand: 'node dist/main.js' },
    );
    expect(r.migrations).toMatchObject({ tool: 'typeorm', command: null, files: ['src/migrations/1700000000000-Init.ts'], at_start: { file: 'src/index.ts', line: 5, rule: 'migrate-at-start' } });
    expect(findingOf(r, 'migrations')).toMatchObject({ status: 'pass', message: expect.stringContaining('applies its migrations itself when it starts (src/index.ts:5)') });
    // No command, no CLI to keep in the image.
    expect(findingOf(r, 'migration-cli')).toBeUndefined();
  });

  it("pushes the schema when the migrate script is the tool's own over migrations nobody committed (rybbit: drizzle-kit migrate with no ./drizzle)", () => {
    const r = analyze({
      'package.json': pkgJson(['drizzle-orm', 'pg'], { devDependencies: { 'drizzle-kit': '0.31.1' }, scripts: { 'db:generate': 'drizzle-kit generate', 'db:migrate': 'drizzle-kit migrate --config=drizzle.config.ts', 'db:push': 'drizzle-kit push --config=drizzle.config.ts' } }),
      'drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ schema: './src/db/schema.ts', out: './drizzle', dialect: 'postgresql' });\n",
      'src/db/schema.ts': "import { pgTable, text } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: text('id').primaryKey() });\n",
    });
    expect(r.migrations).toMatchObject({ tool: 'drizzle', command: 'npm run db:push' });
  });

  it("runs the project's migrate script that runs the tool's and more (openpanel: migrate:deploy = migrate:deploy:db && migrate:deploy:code)", () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { scripts: { 'migrate:deploy': 'pnpm migrate:deploy:db && pnpm migrate:deploy:code', 'migrate:deploy:db': 'prisma migrate deploy', 'migrate:deploy:code': 'jiti ./code-migrations/migrate.ts' } }),
      'prisma/schema.prisma': prismaSchema('postgresql'),
      'prisma/migrations/1_init/migration.sql': 'CREATE TABLE x;',
    }, { runPrefix: 'pnpm run', execPrefix: 'pnpm exec' });
    expect(r.migrations).toMatchObject({ tool: 'prisma', command: 'pnpm run migrate:deploy' });
  });

  it("seeds in the migrate step when the production start seeds after migrating (pingvin-share's Config rows)", () => {
    const files = {
      'package.json': pkgJson(['@prisma/client', '@nestjs/core'], { scripts: { prod: 'prisma migrate deploy && prisma db seed && node dist/src/main' }, prisma: { seed: 'ts-node prisma/seed/config.seed.ts' } }),
      'prisma/schema.prisma': prismaSchema('sqlite'),
      'prisma/migrations/1_init/migration.sql': 'CREATE TABLE x;',
    };
    const seeded = analyze(files, { startCommand: 'prisma migrate deploy && prisma db seed && node dist/src/main' });
    expect(seeded.migrations.command).toBe('npx prisma migrate deploy && npx prisma db seed');
    // A seed script the start does not run is the developer's, not the deployment's.
    expect(analyze(files, { startCommand: 'node dist/src/main' }).migrations.command).toBe('npx prisma migrate deploy');
  });

  it("umzug's up() on the instance the service makes at start (flame)", () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'sequelize', 'sqlite3', 'umzug'], { scripts: { start: 'node server.js' } }),
      'db/index.js': "const { Sequelize } = require('sequelize');\nconst { Umzug, SequelizeStorage } = require('umzug');\nconst sequelize = new Sequelize({ dialect: 'sqlite', storage: './data/db.sqlite' });\nconst connectDB = async () => {\n  const umzug = new Umzug({ migrations: { glob: 'db/migrations/*.js' }, storage: new SequelizeStorage({ sequelize }) });\n  await umzug.up();\n};\nmodule.exports = { connectDB };\n",
      'db/migrations/00_initial.js': 'module.exports = { up: async () => {} };\n',
      'server.js': "const { connectDB } = require('./db');\nconst app = require('express')();\nconnectDB().then(() => app.listen(process.env.PORT || 5005));\n",
    }, { entrypoint: 'server.js', startCommand: 'node server.js' });
    expect(r.migrations.at_start).toMatchObject({ file: 'db/index.js', line: 6, rule: 'migrate-at-start' });
  });

  it("TypeORM's migrationsRun: true, knex's migrate.latest(), drizzle's migrate() at start", () => {
    const typeorm = analyze({ 'package.json': pkgJson(['typeorm', 'pg']), 'src/data-source.ts': dataSource.replace("migrations: [", 'migrationsRun: true, migrations: ['), 'src/main.ts': "import { AppDataSource } from './data-source';\nAppDataSource.initialize();\n", ...migration }, { entrypoint: 'src/main.ts' });
    expect(typeorm.migrations.at_start).toMatchObject({ file: 'src/data-source.ts', line: 2 });
    // A setting that defaults to running them (ohmyform's `configService.get('DATABASE_MIGRATE', true)`), and one that does not.
    const setting = (def: string) => analyze({ 'package.json': pkgJson(['typeorm', 'pg'], { scripts: { typeorm: 'ts-node ./node_modules/typeorm/cli.js' } }), 'src/data-source.ts': dataSource.replace("migrations: [", `migrationsRun: configService.get('DATABASE_MIGRATE', ${def}), migrations: [`), 'src/main.ts': "import { AppDataSource } from './data-source';\nAppDataSource.initialize();\n", ...migration }, { entrypoint: 'src/main.ts' });
    expect(setting('true').migrations).toMatchObject({ command: null, at_start: { file: 'src/data-source.ts', line: 2 } });
    expect(setting('false').migrations.at_start).toBeUndefined();
    const knex = analyze({ 'package.json': pkgJson(['knex', 'pg']), 'migrations/001_init.js': 'exports.up = () => {};\n', 'server.js': "const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });\nknex.migrate.latest().then(() => require('http').createServer().listen(3000));\n" }, { entrypoint: 'server.js' });
    expect(knex.migrations).toMatchObject({ tool: 'knex', command: null, at_start: { file: 'server.js', line: 2 } });
    const drizzle = analyze({ 'package.json': pkgJson(['drizzle-orm', 'postgres']), 'drizzle/0000_init.sql': 'create table t (id int);\n', 'src/db.ts': "import { drizzle } from 'drizzle-orm/postgres-js';\nimport { migrate } from 'drizzle-orm/postgres-js/migrator';\nimport postgres from 'postgres';\nexport const db = drizzle(postgres(process.env.DATABASE_URL!));\nawait migrate(db, { migrationsFolder: './drizzle' });\n", 'src/main.ts': "import './db';\n" }, { entrypoint: 'src/main.ts' });
    expect(drizzle.migrations).toMatchObject({ tool: 'drizzle', command: null, at_start: { file: 'src/db.ts', line: 5 } });
    // MikroORM's migrator at module init (mikro-orm's realworld app), on the driver it imports.
    const mikro = analyze({ 'package.json': pkgJson(['@mikro-orm/core', '@mikro-orm/mysql', '@mikro-orm/nestjs', '@mikro-orm/migrations']), 'src/migrations/Migration1.ts': 'export class Migration1 {}\n', 'src/app.module.ts': "import { MikroORM } from '@mikro-orm/mysql';\nexport class AppModule {\n  constructor(private readonly orm: MikroORM) {}\n  async onModuleInit() {\n    await this.orm.migrator.up();\n  }\n}\n", 'src/main.ts': "import { AppModule } from './app.module';\nexport const m = AppModule;\n" }, { entrypoint: 'src/main.ts' });
    expect(mikro.database).toMatchObject({ engine: 'mysql', driver: '@mikro-orm/mysql' });
    expect(mikro.migrations).toMatchObject({ command: null, at_start: { file: 'src/app.module.ts', line: 5 } });
  });

  it("Unleash's migrateDb(config) as the server starts; Next.js: what instrumentation's register() loads, not a runner script", () => {
    const unleash = analyze({ 'package.json': pkgJson(['db-migrate', 'pg']), 'src/migrations/20200101-init.js': 'exports.up = () => {};\n', 'src/migrator.ts': 'export async function migrateDb(config: unknown) {}\n', 'src/server.ts': "import { migrateDb } from './migrator';\nexport async function start(config: unknown) {\n  await migrateDb(config);\n  require('http').createServer().listen(4242);\n}\nstart({});\n" }, { entrypoint: 'src/server.ts', scripts: { migrate: 'db-migrate up --migrations-dir src/migrations' } });
    expect(unleash.migrations).toMatchObject({ command: null, at_start: { file: 'src/server.ts', line: 3 } });
    const runner = { 'package.json': pkgJson(['next', '@prisma/client', 'pg']), 'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n', 'prisma/migrations/1_init/migration.sql': 'create table t (id int);\n', 'src/scripts/migration-runner.ts': 'export async function runMigrations() {}\nawait runMigrations();\n', 'app/page.tsx': 'export default function Page() { return null; }\n' };
    expect(analyze(runner, { framework: 'nextjs' }).migrations).toMatchObject({ tool: 'prisma', command: 'npx prisma migrate deploy' });
    const instrumented = analyze({ ...runner, 'instrumentation.ts': "export async function register() {\n  const { runMigrations } = await import('./src/scripts/migration-runner');\n  await runMigrations();\n}\n" }, { framework: 'nextjs' });
    expect(instrumented.migrations).toMatchObject({ command: null, at_start: { file: 'instrumentation.ts', line: 3 } });
  });

  it('not a function the start loads but only a migrate script calls', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['kysely', 'pg'], { scripts: { migrate: 'tsx scripts/migrate.ts' } }),
        'src/db.ts': "import { Migrator } from 'kysely';\nimport pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\nexport async function migrate() {\n  await new Migrator({} as any).migrateToLatest();\n}\n",
        'scripts/migrate.ts': "import { migrate } from '../src/db';\nawait migrate();\n",
        'src/main.ts': "import { pool } from './db';\nrequire('http').createServer(async (q: any, s: any) => s.end(String((await pool.query('select 1')).rowCount))).listen(3000);\n",
      },
      { entrypoint: 'src/main.ts', scripts: { migrate: 'tsx scripts/migrate.ts' } },
    );
    expect(r.migrations.at_start ?? null).toBeNull();
    // Called where the server starts, it is.
    const started = analyze(
      {
        'package.json': pkgJson(['kysely', 'pg']),
        'src/db.ts': "import { Migrator } from 'kysely';\nexport async function migrate() {\n  await new Migrator({} as any).migrateToLatest();\n}\n",
        'src/main.ts': "import { migrate } from './db';\nmigrate().then(() => require('http').createServer().listen(3000));\n",
      },
      { entrypoint: 'src/main.ts' },
    );
    expect(started.migrations.at_start).toMatchObject({ file: 'src/db.ts', line: 3 });
  });

  it('not a migrate script of its own that the start never loads (it stays the migrate step)', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['kysely', 'pg'], { scripts: { migrate: 'tsx src/db/migrate.ts' } }),
        'src/db/migrate.ts': "import { Migrator } from 'kysely';\nconst migrator = new Migrator({} as any);\nawait migrator.migrateToLatest();\n",
        'src/db/client.ts': "import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n",
        'src/main.ts': "import { pool } from './db/client';\nrequire('http').createServer(async (q: any, s: any) => s.end(String((await pool.query('select 1')).rowCount))).listen(3000);\n",
      },
      { entrypoint: 'src/main.ts', scripts: { migrate: 'tsx src/db/migrate.ts' } },
    );
    expect(r.migrations).toMatchObject({ tool: 'script', command: 'npm run migrate' });
    expect(r.migrations.at_start ?? null).toBeNull();
  });
});
