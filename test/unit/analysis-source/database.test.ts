import { describe, expect, it } from 'vitest';
import { engineFromName } from '../../../src/core/analysis/source/database.js';
import { analyze, analyzeIn, findingOf, pkgJson, status } from './memory-repo.js';

describe('database engine and env key', () => {
  it('reads the Prisma datasource provider and url = env("X")', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { devDependencies: { prisma: '6' } }),
      'prisma/schema.prisma': `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env("PRISMA_DATABASE_URL")\n}\n`,
      'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
    });
    expect(r.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'PRISMA_DATABASE_URL', env_keys: ['PRISMA_DATABASE_URL'] });
    expect(r.database.evidence[0]).toMatchObject({ file: 'prisma/schema.prisma', line: 7, rule: 'prisma-datasource' });
    expect(status(r, 'database-env-key')).toBe('pass');
  });

  it('reads drizzle.config dialect and dbCredentials.url: process.env.POSTGRES_URL', () => {
    const r = analyze({
      'package.json': pkgJson(['drizzle-orm', 'postgres'], { devDependencies: { 'drizzle-kit': '0.30' } }),
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n  schema: './src/db/schema.ts',\n  out: './drizzle',\n  dialect: 'postgresql',\n  dbCredentials: { url: process.env.POSTGRES_URL! },\n});\n`,
      'src/db/index.ts': `import postgres from 'postgres';\nimport { drizzle } from 'drizzle-orm/postgres-js';\nconst client = postgres(process.env.POSTGRES_URL!);\nexport const db = drizzle(client);\n`,
    });
    expect(r.database).toMatchObject({ engine: 'postgres', driver: 'postgres', orm: 'drizzle', env_key: 'POSTGRES_URL' });
    expect(r.database.evidence.map((e) => e.rule)).toEqual(expect.arrayContaining(['drizzle-config', 'db-connection']));
  });

  it('follows a connection string through a config module into new Pool()', () => {
    const r = analyze({
      'package.json': pkgJson(['pg']),
      'src/config.js': `export default { db: { connectionString: process.env.PG_CONNECTION_STRING } };\n`,
      'src/db.js': `import { Pool } from 'pg';\nimport config from './config.js';\nexport const pool = new Pool(config.db);\n`,
    });
    expect(r.database).toMatchObject({ engine: 'postgres', driver: 'pg', env_key: 'PG_CONNECTION_STRING' });
    expect(r.database.evidence.some((e) => e.file === 'src/db.js' && e.rule === 'db-connection')).toBe(true);
  });

  it('reports PG* parts: new Pool() with no options reads libpq variables', () => {
    const r = analyze({
      'package.json': pkgJson(['pg']),
      'src/db.js': `const { Pool } = require('pg');\nmodule.exports = new Pool();\n`,
      'src/check.js': `if (!process.env.PGHOST || !process.env.PGPASSWORD) throw new Error('db env missing');\n`,
    });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: null, env_keys: ['PGHOST', 'PGPASSWORD'] });
    expect(findingOf(r, 'database-env-key')?.message).toContain('separate parts');
  });

  it('reports explicit parts (TypeORM host/user/password from env) with no URL key', () => {
    const r = analyze({
      'package.json': pkgJson(['typeorm', 'pg']),
      'src/data-source.ts': `import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  host: process.env.DB_HOST,\n  port: Number(process.env.DB_PORT ?? 5432),\n  username: process.env.DB_USER,\n  password: process.env.DB_PASSWORD,\n  database: process.env.DB_NAME,\n});\n`,
    });
    expect(r.database).toMatchObject({ engine: 'postgres', orm: 'typeorm', env_key: null });
    expect(r.database.env_keys).toEqual(['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME']);
  });

  it('counts the parts read beside a URL key (DATABASE_HOST beside DATABASE_URL) as the same connection', () => {
    const r = analyze({
      'package.json': pkgJson(['knex', 'pg']),
      'src/db.js': [
        "const knex = require('knex');",
        'const connection = process.env.DATABASE_URL',
        '  ? process.env.DATABASE_URL',
        '  : { host: process.env.DATABASE_HOST, user: process.env.DATABASE_USERNAME, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME };',
        "const ssl = process.env.DATABASE_SSL_MODE;",
        "module.exports = knex({ client: 'pg', connection });",
        '',
      ].join('\n'),
    });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URL' });
    expect(r.database.env_keys).toEqual(['DATABASE_URL', 'DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_PASSWORD', 'DATABASE_USERNAME']);
  });

  it('reads Nest TypeOrmModule.forRootAsync({ useFactory }) with ConfigService.get', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/typeorm', 'typeorm', 'pg']),
      'src/app.module.ts': `import { TypeOrmModule } from '@nestjs/typeorm';\n@Module({ imports: [TypeOrmModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ type: 'postgres', url: config.get<string>('PG_URL'), autoLoadEntities: true }) })] })\nexport class AppModule {}\n`,
    }, { framework: 'nestjs' });
    expect(r.database).toMatchObject({ engine: 'postgres', orm: 'typeorm', env_key: 'PG_URL' });
    expect(r.database.evidence.map((e) => e.rule)).toContain('db-connection');
  });

  it('fails a hard-coded connection string and masks it in evidence', () => {
    const r = analyze({ 'package.json': pkgJson(['pg']), 'db.js': `const { Client } = require('pg');\nconst client = new Client({ connectionString: 'postgres://admin:s3cret@10.0.0.5:5432/prod' });\n` });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: null });
    const f = findingOf(r, 'database-env-key');
    expect(f?.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });

  it.each(['tiered', 'ast'] as const)("finds Redis behind a queue library and where it is in parts (ghostfolio's bull with REDIS_HOST; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['bull', 'pg']),
      'src/pg.js': `import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n`,
      'src/config.js': "export const redis = { host: process.env.REDIS_HOST || 'localhost', port: Number(process.env.REDIS_PORT || 6379), password: process.env.REDIS_PASSWORD };\n",
      'src/queue.js': "import Queue from 'bull';\nimport { redis } from './config';\nexport const q = new Queue('jobs', { redis });\n",
    }, mode);
    expect(r.databases.map((d) => [d.engine, d.driver, d.env_keys])).toEqual([
      ['postgres', 'pg', ['DATABASE_URL']],
      ['redis', 'bull', ['REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_PORT']],
    ]);
  });

  it.each(['tiered', 'ast'] as const)("the setting compared to an engine's name chooses it (jellyseerr's DB_TYPE === 'postgres' over its SQLite default; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['typeorm', 'pg', 'sqlite3']),
      'server/datasource.ts': [
        "import { DataSource } from 'typeorm';",
        "const prodConfig = { type: 'sqlite', database: 'config/db/db.sqlite3' };",
        "const postgresProdConfig = { type: 'postgres', host: process.env.DB_HOST, username: process.env.DB_USER, password: process.env.DB_PASS, database: process.env.DB_NAME ?? 'jellyseerr' };",
        "export const isPgsql = process.env.DB_TYPE === 'postgres';",
        'function getDataSource() {',
        "  if (process.env.NODE_ENV === 'production') return isPgsql ? postgresProdConfig : prodConfig;",
        '  return prodConfig;',
        '}',
        'export default new DataSource(getDataSource());',
        '',
      ].join('\n'),
    }, mode);
    expect(r.databases.find((d) => d.engine === 'postgres')).toMatchObject({ selector: { env_name: 'DB_TYPE', value: 'postgres' } });
  });

  it("reads a bare DATABASE as the connection string (spacebar's url: process.env.DATABASE), after a URL beside it", () => {
    const bare = analyze({ 'package.json': pkgJson(['typeorm', 'pg']), 'src/db.ts': "import { DataSource } from 'typeorm';\nexport const ds = new DataSource(getOptions());\nexport const url = process.env.DATABASE;\n" });
    expect(bare.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE' });
    const both = analyze({ 'package.json': pkgJson(['pg']), 'src/db.js': "export const url = process.env.DATABASE_URL;\nexport const name = process.env.DATABASE;\n" });
    expect(both.database.env_key).toBe('DATABASE_URL');
  });

  it('keeps postgres primary when redis and mongodb are also used', () => {
    const r = analyze({
      'package.json': pkgJson(['ioredis', 'mongoose', 'pg']),
      'src/cache.js': `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL);\n`,
      'src/mongo.js': `import mongoose from 'mongoose';\nawait mongoose.connect(process.env.MONGODB_URI);\n`,
      'src/pg.js': `import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n`,
    });
    expect(r.databases.map((d) => [d.engine, d.env_key])).toEqual([
      ['postgres', 'DATABASE_URL'],
      ['mongodb', 'MONGODB_URI'],
      ['redis', 'REDIS_URL'],
    ]);
    expect(r.databases[1]?.orm).toBe('mongoose');
    for (const d of r.databases) expect(d.evidence.map((e) => e.rule)).toContain('db-connection');
    expect(r.database.engine).toBe('postgres');
  });

  it('reads Sequelize and Knex connection options', () => {
    const s = analyze({ 'package.json': pkgJson(['sequelize', 'mysql2']), 'db.js': `const { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(process.env.MYSQL_URL, { dialect: 'mysql' });\n` });
    expect(s.database).toMatchObject({ engine: 'mysql', orm: 'sequelize', env_key: 'MYSQL_URL' });
    expect(s.database.evidence.map((e) => e.rule)).toContain('db-connection');
    const k = analyze({ 'package.json': pkgJson(['knex', 'pg']), 'db.js': `const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });\nmodule.exports = knex;\n` });
    expect(k.database).toMatchObject({ engine: 'postgres', orm: 'knex', env_key: 'DATABASE_URL' });
    expect(k.database.evidence.map((e) => e.rule)).toContain('db-connection');
  });

  it('fails a database URL with a browser-public prefix', () => {
    const r = analyze({ 'package.json': pkgJson(['next', '@neondatabase/serverless']), 'lib/db.ts': `import { neon } from '@neondatabase/serverless';\nexport const sql = neon(process.env.NEXT_PUBLIC_DATABASE_URL!);\n` }, { framework: 'nextjs' });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'NEXT_PUBLIC_DATABASE_URL' });
    const f = findingOf(r, 'database-server-side');
    expect(f?.status).toBe('fail');
    expect(f?.fix).toContain('DATABASE_URL');
  });

  it('warns when a driver is used but its key cannot be found, and emits nothing without a database', () => {
    const r = analyze({ 'package.json': pkgJson(['mysql2']), 'db.js': `const mysql = require('mysql2');\nmodule.exports = mysql.createPool(loadSettings());\n` });
    expect(r.database.engine).toBe('mysql');
    expect(status(r, 'database-env-key')).toBe('warn');
    const none = analyze({ 'package.json': pkgJson(['express']), 'a.js': `require('express')().listen(3000);\n` });
    expect(none.database).toEqual({ engine: null, driver: null, orm: null, env_key: null, env_keys: [], evidence: [] });
    expect(findingOf(none, 'database-env-key')).toBeUndefined();
  });

  it('maps names to engines', () => {
    expect(engineFromName('postgresql')).toBe('postgres');
    expect(engineFromName('mysql')).toBe('mysql');
    expect(engineFromName('turso')).toBe('sqlite');
    expect(engineFromName('mongodb+srv')).toBe('mongodb');
    expect(engineFromName('oracle')).toBeNull();
  });
});

describe('a Prisma schema with a datasource commented out', () => {
  // anything-llm: a commented PostgreSQL block above the SQLite one it uses.
  it('reads the one in force', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client', 'pg'], { devDependencies: { prisma: '^5' } }),
      'prisma/schema.prisma': '// datasource db {\n//   provider = "postgresql"\n//   url      = env("DATABASE_URL")\n// }\ndatasource db {\n  provider = "sqlite"\n  url      = "file:../storage/app.db"\n}\n',
    });
    expect(r.database).toMatchObject({ engine: 'sqlite', orm: 'prisma', env_key: null });
    expect(r.database.evidence).toContainEqual(expect.objectContaining({ file: 'prisma/schema.prisma', line: 7 }));
    // A file, not a server: the finding is about the disk the pod does not keep.
    expect(findingOf(r, 'database-env-key')).toMatchObject({ status: 'warn', message: expect.stringContaining('SQLite database is a file in the container (prisma/schema.prisma:7)') });
  });
});

describe('Prisma 7: the datasource URL in prisma.config.ts', () => {
  it('names the env key when the schema has no url, and the schema path it points at', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { devDependencies: { prisma: '^7' } }),
      'prisma.config.ts': "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({\n  schema: 'db/schema.prisma',\n  datasource: {\n    url: env('PG_URL'),\n  },\n});\n",
      'db/schema.prisma': 'generator client {\n  provider = "prisma-client"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n',
      'db/migrations/1_init/migration.sql': 'CREATE TABLE x (id int);',
    });
    expect(r.database).toMatchObject({ engine: 'postgres', orm: 'prisma', env_key: 'PG_URL' });
    expect(r.database.evidence).toContainEqual(expect.objectContaining({ file: 'prisma.config.ts', line: 6, rule: 'prisma-datasource' }));
    expect(r.migrations).toMatchObject({ tool: 'prisma', directory: 'db/migrations' });
  });
});

describe('which database is the service’s own', () => {
  it('the engine it connects to from a variable comes before a driver it only uses for other people’s databases', () => {
    const r = analyze({
      'package.json': pkgJson(['mongoose', 'pg']),
      'src/mongo.ts': "import mongoose from 'mongoose';\nexport const connect = () => mongoose.connect(process.env.MONGODB_URI!);\n",
      // A warehouse connector: the connection settings come from the user's data source, not the environment.
      'src/warehouse.ts': "import { Client } from 'pg';\nexport function query(conn: any) { return new Client({ ...conn }).connect(); }\n",
    });
    expect(r.database).toMatchObject({ engine: 'mongodb', env_key: 'MONGODB_URI' });
    expect(r.databases.map((d) => d.engine)).toEqual(['mongodb', 'postgres']);
  });
});

describe('prisma.config.ts with a fallback chain', () => {
  it('the last variable of `url: A || B` is the one always read', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client'], { devDependencies: { prisma: '^7' } }),
      'prisma.config.ts': "import { defineConfig } from 'prisma/config';\nexport default defineConfig({\n  datasource: {\n    url: process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL,\n  },\n});\n",
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
    });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URL' });
  });
});

describe('a database a setting chooses', () => {
  // Flowise: SQLite unless DATABASE_TYPE says otherwise; the session store switches on the same setting through a constant.
  const files = {
    'package.json': pkgJson(['typeorm', 'pg', 'mysql2', 'sqlite3']),
    'src/DataSource.ts': [
      "import { DataSource } from 'typeorm';",
      'export let ds: DataSource;',
      'export function init() {',
      '  switch (process.env.DATABASE_TYPE) {',
      "    case 'mysql':",
      "      ds = new DataSource({ type: 'mysql', host: process.env.DATABASE_HOST, password: process.env.DATABASE_PASSWORD });",
      '      break;',
      "    case 'postgres':",
      "      ds = new DataSource({ type: 'postgres', host: process.env.DATABASE_HOST, port: parseInt(process.env.DATABASE_PORT || '5432'), username: process.env.DATABASE_USER, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME });",
      '      break;',
      '    default:',
      "      ds = new DataSource({ type: 'sqlite', database: (process.env.DATABASE_PATH ?? '/root/.app') + '/database.sqlite' });",
      '      break;',
      '  }',
      '}',
      '',
    ].join('\n'),
    'src/session.ts': [
      "import { Pool } from 'pg';",
      "const databaseType = process.env.DATABASE_TYPE || 'sqlite';",
      "export const pool = databaseType === 'postgres' ? null : null;",
      'export function store() {',
      '  switch (databaseType) {',
      "    case 'postgres':",
      '      return new Pool({ host: process.env.DATABASE_HOST, user: process.env.DATABASE_USER, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME });',
      '    default:',
      '      return null;',
      '  }',
      '}',
      '',
    ].join('\n'),
  };

  it('names the setting and its value beside the engine, so the deployment that wires PostgreSQL chooses it', () => {
    const r = analyze(files);
    expect(r.database).toMatchObject({ engine: 'postgres', selector: { env_name: 'DATABASE_TYPE', value: 'postgres' } });
    expect(r.databases.find((d) => d.engine === 'mysql')?.selector).toEqual({ env_name: 'DATABASE_TYPE', value: 'mysql' });
    // SQLite opens in the default branch: no setting chooses it.
    expect(r.databases.find((d) => d.engine === 'sqlite')?.selector).toBeUndefined();
  });

  it("a setting a switch picks the engine by (ohmyform's DATABASE_DRIVER, sqlite unset) is the selector, under the engine's own name", () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/typeorm', 'typeorm', 'pg', 'sqlite3']),
      'src/app.imports.ts': [
        "import { TypeOrmModule } from '@nestjs/typeorm';",
        'export const db = TypeOrmModule.forRootAsync({',
        '  useFactory: (configService) => {',
        "    const type = configService.get('DATABASE_DRIVER', 'sqlite');",
        '    let folder;',
        '    switch (type) {',
        "      case 'cockroachdb':",
        "      case 'postgres':",
        "        folder = 'postgres';",
        '        break;',
        "      case 'sqlite':",
        "        folder = 'sqlite';",
        '        break;',
        '    }',
        "    return { type, url: configService.get('DATABASE_URL'), migrations: [folder] };",
        '  },',
        '});',
        '',
      ].join('\n'),
    });
    expect(r.databases.find((d) => d.engine === 'postgres')?.selector).toEqual({ env_name: 'DATABASE_DRIVER', value: 'postgres' });
  });

  it("Payload's database adapters are the service's database, with the key their options read (payload-3.0-demo)", () => {
    const mongo = analyze({ 'package.json': pkgJson(['payload', '@payloadcms/db-mongodb']), 'payload.config.ts': "import { buildConfig } from 'payload';\nimport { mongooseAdapter } from '@payloadcms/db-mongodb';\nexport default buildConfig({\n  secret: process.env.PAYLOAD_SECRET || '',\n  db: mongooseAdapter({ url: process.env.MONGODB_URI || '' }),\n});\n" });
    expect(mongo.database).toMatchObject({ engine: 'mongodb', driver: '@payloadcms/db-mongodb', env_key: 'MONGODB_URI' });
    const pg = analyze({ 'package.json': pkgJson(['payload', '@payloadcms/db-postgres']), 'payload.config.ts': "import { buildConfig } from 'payload';\nimport { postgresAdapter } from '@payloadcms/db-postgres';\nexport default buildConfig({\n  db: postgresAdapter({ pool: { connectionString: process.env.DATABASE_URI } }),\n});\n" });
    expect(pg.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URI' });
  });

  it('a driver only package.json names, that nothing imports, opens or names, is no database (nextjs-starter-medusa\'s pg)', () => {
    expect(analyze({ 'package.json': pkgJson(['next', 'pg']), 'src/lib/config.ts': "export const sdk = { baseUrl: process.env.MEDUSA_BACKEND_URL };\n" }).database.engine).toBeNull();
    // Named as text (Lucid's `client: 'pg'`) or imported anywhere, it stays.
    expect(analyze({ 'package.json': pkgJson(['@adonisjs/lucid', 'pg']), 'config/database.ts': "export default { connection: 'pg', connections: { pg: { client: 'pg' } } };\n" }).database.engine).toBe('postgres');
    expect(analyze({ 'package.json': pkgJson(['express', 'pg']), 'src/db.ts': "import pg from 'pg';\nexport const pool = new pg.Pool();\n" }).database.engine).toBe('postgres');
    // Beside an ORM the code imports, which opens the driver from a URL (codimd's Sequelize on CMD_DB_URL), it stays.
    expect(analyze({ 'package.json': pkgJson(['express', 'sequelize', 'pg']), 'lib/models.js': "const Sequelize = require('sequelize');\nmodule.exports = new Sequelize(config.dbURL);\n" }).database.engine).toBe('postgres');
  });

  it('a connection opened whatever the settings say has no selector', () => {
    const r = analyze({ 'package.json': pkgJson(['pg']), 'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n" });
    expect(r.database.selector).toBeUndefined();
  });
});

describe('a connection whose settings hide behind a config service', () => {
  it('is still the primary database when the code reads the conventional key, ahead of a followed Redis cache', () => {
    // docmost: Kysely over postgres.js, the URL from an injected EnvironmentService; Redis from REDIS_URL directly.
    const r = analyze({
      'package.json': pkgJson(['kysely', 'kysely-postgres-js', 'postgres', 'ioredis']),
      'src/env.service.ts': "export class EnvironmentService {\n  constructor(private config: any) {}\n  getDatabaseURL(): string {\n    return this.config.get('DATABASE_URL') ?? process.env.DATABASE_URL;\n  }\n}\n",
      'src/database.ts': [
        "import * as postgres from 'postgres';",
        "import { PostgresJSDialect } from 'kysely-postgres-js';",
        'export const dialect = (env: { getDatabaseURL(): string }) => new PostgresJSDialect({ postgres: postgres(normalize(env.getDatabaseURL())) });',
        'function normalize(url: string) { return url.replace(/^postgresql:/, "postgres:"); }',
        '',
      ].join('\n'),
      'src/redis.ts': "import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL);\n",
    });
    expect(r.database).toMatchObject({ engine: 'postgres', driver: 'postgres', env_key: 'DATABASE_URL' });
    expect(r.database.evidence.map((e) => e.rule)).toContain('db-connection-unfollowed');
    expect(r.databases.map((d) => d.engine)).toEqual(['postgres', 'redis']);
  });

  it('a slonik pool is a PostgreSQL connection (logto: the URL from a values class)', () => {
    const r = analyze({
      'package.json': pkgJson(['@silverhand/slonik', 'redis']),
      'src/values.ts': "export class Values {\n  databaseUrl = process.env.DB_URL;\n}\n",
      'src/pool.ts': "import { createPool } from '@silverhand/slonik';\nexport const pool = (values: { databaseUrl: string }) => createPool(values.databaseUrl);\n",
      'src/cache.ts': "import { createClient } from 'redis';\nexport const cache = createClient({ url: process.env.REDIS_URL });\n",
    });
    expect(r.database).toMatchObject({ engine: 'postgres', driver: '@silverhand/slonik', env_key: 'DB_URL' });
    expect(r.databases.map((d) => d.engine)).toEqual(['postgres', 'redis']);
  });

  it("a Mongo URL under the service's own prefix is the key, a conventional name first", () => {
    // mongo-express: the client gets config.mongodb.connectionString, read as ME_CONFIG_MONGODB_URL by a helper.
    const files = {
      'package.json': pkgJson(['mongodb']),
      'config.js': "module.exports = { mongodb: { connectionString: process.env.ME_CONFIG_MONGODB_URL } };\n",
      'db.js': "const { MongoClient } = require('mongodb');\nmodule.exports = (config) => MongoClient.connect(config.mongodb.connectionString);\n",
    };
    expect(analyze(files).database).toMatchObject({ engine: 'mongodb', env_key: 'ME_CONFIG_MONGODB_URL' });
    const both = analyze({ ...files, 'legacy.js': 'module.exports = process.env.MONGO_URL;\n' });
    expect(both.database.env_key).toBe('MONGO_URL');
  });
});

describe('TypeORM options from a class', () => {
  it('TypeOrmModule.forRootAsync({ useClass }) reads what createTypeOrmOptions() returns, in its own module', () => {
    // laudspeaker: the options factory class lives in src/shared/typeorm.
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', '@nestjs/typeorm', 'typeorm', 'pg']),
      'src/app.module.ts': "import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\nimport { TypeOrmConfigService } from './shared/typeorm.service';\n@Module({ imports: [TypeOrmModule.forRootAsync({ useClass: TypeOrmConfigService })] })\nexport class AppModule {}\n",
      'src/shared/typeorm.service.ts': [
        "import { TypeOrmOptionsFactory } from '@nestjs/typeorm';",
        'export class TypeOrmConfigService implements TypeOrmOptionsFactory {',
        '  public createTypeOrmOptions() {',
        "    return { type: 'postgres', host: process.env.DATABASE_HOST || 'localhost', port: +(process.env.DATABASE_PORT ?? 5432), username: process.env.DATABASE_USER, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME };",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(r.database).toMatchObject({ engine: 'postgres', orm: 'typeorm', env_keys: ['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_USER', 'DATABASE_PASSWORD', 'DATABASE_NAME'] });
  });
});

describe('a database picked from a map by a setting', () => {
  // Every Strapi project: SQLite unless DATABASE_CLIENT names another entry.
  const strapi = (deps: string[]) => ({
    'package.json': pkgJson(['@strapi/strapi', ...deps]),
    'config/database.js': [
      'module.exports = ({ env }) => {',
      "  const client = env('DATABASE_CLIENT', 'sqlite');",
      '  const connections = {',
      "    postgres: { connection: { connectionString: env('DATABASE_URL'), host: env('DATABASE_HOST', 'localhost'), password: env('DATABASE_PASSWORD', 'strapi') } },",
      "    sqlite: { connection: { filename: env('DATABASE_FILENAME', '.tmp/data.db') }, useNullAsDefault: true },",
      '  };',
      '  return { connection: { client, ...connections[client] } };',
      '};',
      '',
    ].join('\n'),
  });

  it('names the setting that picks PostgreSQL, so the deployment that wires it picks it', () => {
    const r = analyze(strapi(['pg', 'better-sqlite3']));
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URL', selector: { env_name: 'DATABASE_CLIENT', value: 'postgres' } });
  });

  it('the entry picked when unset needs no choosing', () => {
    const r = analyze(strapi(['better-sqlite3']));
    expect(r.database.engine).toBe('sqlite');
    expect(r.database.selector).toBeUndefined();
  });
});

describe('an SQLite file setting', () => {
  it("is the key of an SQLite database the code also reads a server URL for (Strapi's DATABASE_FILENAME, not DATABASE_URL)", () => {
    const r = analyze({
      'package.json': pkgJson(['better-sqlite3']),
      'src/config.js': "module.exports = { url: process.env.DATABASE_URL, file: process.env.DATABASE_FILENAME || '.tmp/data.db' };\n",
    });
    expect(r.database).toMatchObject({ engine: 'sqlite', env_key: 'DATABASE_FILENAME' });
  });

  it.each(['SQLITE_FILE_PATH', 'DB_STORAGE', 'SQLITE_DB'])('%s names the file (Gladys: sequelize storage from SQLITE_FILE_PATH)', (key) => {
    const r = analyze({
      'package.json': pkgJson(['sqlite3', 'sequelize']),
      'config/config.js': `module.exports = { production: { dialect: 'sqlite', storage: process.env.${key} || './production.db' } };\n`,
    });
    expect(r.database).toMatchObject({ engine: 'sqlite', env_key: key });
  });
});

describe('a database opened by a Fastify plugin', () => {
  it('takes the engine from the plugin and the env key from its options (@fastify/postgres, fastify-mongodb)', () => {
    const pg = analyze(
      { 'package.json': pkgJson(['fastify', '@fastify/postgres']), 'app.js': "const fastify = require('fastify')();\nfastify.register(require('@fastify/postgres'), { connectionString: process.env.POSTGRES_URL });\nfastify.listen({ port: Number(process.env.PORT) || 3000, host: '0.0.0.0' });\n" },
      { framework: 'fastify' },
    );
    expect(pg.database).toMatchObject({ engine: 'postgres', env_key: 'POSTGRES_URL', driver: '@fastify/postgres' });
    expect(pg.database.evidence[0]).toMatchObject({ file: 'app.js', line: 2, rule: 'db-connection' });
    const mongo = analyze(
      { 'package.json': pkgJson(['fastify', 'fastify-mongodb']), 'app.mjs': "import Fastify from 'fastify';\nimport mongo from 'fastify-mongodb';\nconst app = Fastify();\napp.register(mongo, { url: process.env.MONGO_URL });\napp.listen({ port: 3000, host: '0.0.0.0' });\n" },
      { framework: 'fastify' },
    );
    expect(mongo.database).toMatchObject({ engine: 'mongodb', env_key: 'MONGO_URL', driver: 'fastify-mongodb' });
    // fastify-env's validated environment on fastify.config, in a register chain: the evidence is the plugin's line.
    const config = analyze(
      {
        'package.json': pkgJson(['fastify', 'fastify-env', 'fastify-mongodb']),
        'index.js': "module.exports = async function (fastify, opts) {\n  fastify\n    .register(require('fastify-mongodb'), { url: fastify.config.MONGODB_URL })\n    .register(require('fastify-env'), { schema: { type: 'object', required: ['MONGODB_URL'], properties: { MONGODB_URL: { type: 'string' } } } });\n};\n",
      },
      { framework: 'fastify' },
    );
    expect(config.database).toMatchObject({ engine: 'mongodb', env_key: 'MONGODB_URL', evidence: [expect.objectContaining({ file: 'index.js', line: 3, rule: 'db-connection' })] });
    // Another plugin's options are no connection.
    const other = analyze({ 'package.json': pkgJson(['fastify', '@fastify/cors']), 'app.js': "const fastify = require('fastify')();\nfastify.register(require('@fastify/cors'), { origin: process.env.ORIGIN_URL });\n" }, { framework: 'fastify' });
    expect(other.database.engine).toBeNull();
  });
});
