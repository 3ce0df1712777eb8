import { posix } from 'node:path';
import { evidence, lineOf, type Evidence } from '../../evidence.js';
import type { DatabaseEngine, DatabaseFacts, EnvVar, Finding } from '../../state/analysis-schema.js';
import { args, calleeRoot, child, children, memberPath, memberProp, objectProp, propName, stringEquality, stringValue, unwrap, type Node } from './ast.js';
import { walk } from '../parse.js';
import { constInit, fnReturn, joinPath, literalOf, type Val } from './modules.js';
import { isPackageDir } from '../context.js';
import { envReadName, moduleOf, requiredModule, type FileScan } from './scan.js';
import { selectorAt } from './default-branch.js';
import { escapeRegExp } from '../../escape-regexp.js';
import { settingMaps } from './setting-maps.js';
import type { PrismaSchemaFacts } from '../../prisma-schema-flag.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

const ENGINE_ORDER: DatabaseEngine[] = ['postgres', 'mysql', 'mongodb', 'sqlite', 'redis'];
/** How code names each engine as text: a client option, an ORM's type, a setting's value. */
const ENGINE_WORDS: Record<DatabaseEngine, string[]> = { postgres: ['pg', 'postgres', 'postgresql'], mysql: ['mysql', 'mysql2', 'mariadb'], mongodb: ['mongodb', 'mongo'], sqlite: ['sqlite', 'sqlite3', 'better-sqlite3', 'libsql'], redis: ['redis', 'ioredis'] };

const DRIVER_DEPS: Array<[string, DatabaseEngine]> = [
  ['pg', 'postgres'],
  ['postgres', 'postgres'],
  ['@neondatabase/serverless', 'postgres'],
  ['@vercel/postgres', 'postgres'],
  ['pg-promise', 'postgres'],
  ['slonik', 'postgres'],
  ['@silverhand/slonik', 'postgres'],
  ['mysql2', 'mysql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['@planetscale/database', 'mysql'],
  ['mongodb', 'mongodb'],
  ['mongoose', 'mongodb'],
  ['better-sqlite3', 'sqlite'],
  ['sqlite3', 'sqlite'],
  ['@libsql/client', 'sqlite'],
  // MikroORM's drivers (mikro-orm's realworld app: `import { MikroORM } from '@mikro-orm/mysql'`).
  ['@mikro-orm/postgresql', 'postgres'],
  ['@mikro-orm/mysql', 'mysql'],
  ['@mikro-orm/mariadb', 'mysql'],
  ['@mikro-orm/mongodb', 'mongodb'],
  ['@mikro-orm/sqlite', 'sqlite'],
  ['@mikro-orm/better-sqlite', 'sqlite'],
  ['@mikro-orm/libsql', 'sqlite'],
  // Payload's database adapters (payload-3.0-demo: `mongooseAdapter({ url: process.env.MONGODB_URI })`).
  ['@payloadcms/db-mongodb', 'mongodb'],
  ['@payloadcms/db-postgres', 'postgres'],
  ['@payloadcms/db-vercel-postgres', 'postgres'],
  ['@payloadcms/db-sqlite', 'sqlite'],
  ['redis', 'redis'],
  ['ioredis', 'redis'],
  ['@upstash/redis', 'redis'],
  // Queues and stores that only run on a Redis server (ghostfolio's bull queues and @keyv/redis cache).
  ['bull', 'redis'],
  ['bullmq', 'redis'],
  ['bee-queue', 'redis'],
  ['@keyv/redis', 'redis'],
  ['connect-redis', 'redis'],
  ['rate-limit-redis', 'redis'],
];
const ORM_DEPS: Array<[string, string]> = [
  ['@prisma/client', 'prisma'],
  ['prisma', 'prisma'],
  ['drizzle-orm', 'drizzle'],
  ['typeorm', 'typeorm'],
  ['sequelize', 'sequelize'],
  ['knex', 'knex'],
  ['mongoose', 'mongoose'],
  ['@mikro-orm/core', 'mikro-orm'],
  ['kysely', 'kysely'],
  ['objection', 'objection'],
];

/** What a name means when imported from a module: the engine it connects to. */
export const CONNECTORS: Record<string, { names: RegExp; engine: DatabaseEngine | 'by-options' }> = {
  pg: { names: /^(Pool|Client|default|pg)$/, engine: 'postgres' },
  postgres: { names: /^default$/, engine: 'postgres' },
  '@neondatabase/serverless': { names: /^(neon|Pool|Client)$/, engine: 'postgres' },
  '@vercel/postgres': { names: /^(createPool|createClient|sql|db)$/, engine: 'postgres' },
  'pg-promise': { names: /^default$/, engine: 'postgres' },
  slonik: { names: /^createPool$/, engine: 'postgres' },
  // logto's fork of slonik.
  '@silverhand/slonik': { names: /^createPool$/, engine: 'postgres' },
  '@prisma/adapter-pg': { names: /^PrismaPg$/, engine: 'postgres' },
  '@prisma/adapter-neon': { names: /^PrismaNeon$/, engine: 'postgres' },
  mysql2: { names: /^(createPool|createConnection|createPoolCluster|default)$/, engine: 'mysql' },
  'mysql2/promise': { names: /^(createPool|createConnection|createPoolCluster|default)$/, engine: 'mysql' },
  mysql: { names: /^(createPool|createConnection|default)$/, engine: 'mysql' },
  mariadb: { names: /^(createPool|createConnection|default)$/, engine: 'mysql' },
  mongodb: { names: /^MongoClient$/, engine: 'mongodb' },
  mongoose: { names: /^(connect|createConnection|default)$/, engine: 'mongodb' },
  redis: { names: /^createClient$/, engine: 'redis' },
  ioredis: { names: /^(default|Redis|Cluster)$/, engine: 'redis' },
  'better-sqlite3': { names: /^default$/, engine: 'sqlite' },
  sqlite3: { names: /^(default|Database)$/, engine: 'sqlite' },
  '@libsql/client': { names: /^createClient$/, engine: 'sqlite' },
  sequelize: { names: /^Sequelize$/, engine: 'by-options' },
  knex: { names: /^(default|knex|Knex)$/, engine: 'by-options' },
  typeorm: { names: /^(DataSource|createConnection)$/, engine: 'by-options' },
  '@nestjs/typeorm': { names: /^TypeOrmModule$/, engine: 'by-options' },
  '@prisma/client': { names: /^PrismaClient$/, engine: 'by-options' },
  '@payloadcms/db-mongodb': { names: /^mongooseAdapter$/, engine: 'mongodb' },
  '@payloadcms/db-postgres': { names: /^postgresAdapter$/, engine: 'postgres' },
  '@payloadcms/db-vercel-postgres': { names: /^vercelPostgresAdapter$/, engine: 'postgres' },
  '@payloadcms/db-sqlite': { names: /^sqliteAdapter$/, engine: 'sqlite' },
};
/** Fastify plugins that open a database connection from their options (`url`, `connectionString`, `host`…). */
const FASTIFY_DB_PLUGINS: Record<string, DatabaseEngine> = {
  '@fastify/postgres': 'postgres',
  'fastify-postgres': 'postgres',
  '@fastify/mysql': 'mysql',
  'fastify-mysql': 'mysql',
  '@fastify/mongodb': 'mongodb',
  'fastify-mongodb': 'mongodb',
  '@fastify/redis': 'redis',
  'fastify-redis': 'redis',
};

/** The database plugin a `register()` argument is: a name imported from one, or `require('@fastify/mongodb')` in place. */
function fastifyDbPlugin(s: FileScan, n: Node | null): string | null {
  const src = moduleOf(s, n);
  return src && Object.hasOwn(FASTIFY_DB_PLUGINS, src) ? src : null;
}

const CONN_PROPS = ['url', 'uri', 'connectionString', 'connection', 'host', 'user', 'username', 'password', 'database', 'port', 'dbCredentials', 'datasourceUrl', 'datasources', 'db'];
const URL_SCHEME = /^(postgres(?:ql)?|mysql2?|mariadb|mongodb(?:\+srv)?|rediss?):\/\//i;

export function engineFromName(s: string | null | undefined): DatabaseEngine | null {
  if (!s) return null;
  const v = s.toLowerCase();
  if (/postgres|^pg$|pglite|neon|cockroach|supabase/.test(v)) return 'postgres';
  if (/mysql|maria|planetscale|singlestore|tidb/.test(v)) return 'mysql';
  if (/mongo/.test(v)) return 'mongodb';
  if (/sqlite|libsql|turso|better-sqlite|d1/.test(v)) return 'sqlite';
  if (/redis/.test(v)) return 'redis';
  return null;
}

/** The variable a value reads, with its fallback or through a constant of this file (`const type = process.env.DB_TYPE || 'sqlite'`). */
function settingName(s: FileScan, n: Node | null): string | null {
  const direct = (x: Node | null): string | null => {
    const v = unwrap(x);
    if (v?.type === 'LogicalExpression' && (v.operator === '||' || v.operator === '??')) return envReadName(child(v, 'left'));
    return envReadName(v);
  };
  return direct(constInit(s, n));
}

// Settings that choose a database engine by name.
const ENGINE_SETTING = /(^|_)(DB|DATABASE|TYPEORM|SQL)_?(TYPE|DRIVER|CLIENT|DIALECT|ENGINE|VENDOR|CONNECTION|KIND)$/;

/**
 * Engines a setting is compared to by name (jellyseerr's `isPgsql = process.env.DB_TYPE === 'postgres'`, which picks its
 * PostgreSQL options over SQLite's): wiring that engine, the deployment sets the setting to that name too, or the
 * service runs on its default and loses its data with the pod.
 */
function engineComparisons(run: SourceRun): Map<DatabaseEngine, { env_name: string; value: string }> {
  const out = new Map<DatabaseEngine, { env_name: string; value: string }>();
  for (const s of run.astScans) {
    if (!s.envReads.some((r) => ENGINE_SETTING.test(r.name))) continue;
    walk(s.parsed.program, (n) => {
      // `switch (type) { case 'postgres': … }` (ohmyform's TypeORM options) compares as `type === 'postgres'` does.
      const compared = n.type === 'SwitchStatement' ? children(n, 'cases').map((c) => ({ operand: child(n, 'discriminant'), value: stringValue(child(c, 'test')) })) : [stringEquality(n)];
      for (const eq of compared) {
        if (!eq?.operand || eq.value === null) continue;
        const name = settingName(s, eq.operand);
        const engine = name && ENGINE_SETTING.test(name) ? engineFromName(eq.value) : null;
        // The engine's own name over another that speaks its protocol (`case 'cockroachdb': case 'postgres':`).
        if (name && engine && (!out.has(engine) || (eq.value === engine && out.get(engine)!.value !== engine))) out.set(engine, { env_name: name, value: eq.value });
      }
    });
  }
  return out;
}

/** `TypeOrmModule.forRootAsync({ useClass: TypeOrmConfigService })`: what the class's `createTypeOrmOptions()` returns. */
function typeOrmOptionsClass(run: SourceRun, s: FileScan, ref: Node | null): { node: Node; mod: FileScan } | null {
  const v = ref ? run.ev.eval(ref, s) : null;
  if (v?.k !== 'obj' || (v.node.type !== 'ClassDeclaration' && v.node.type !== 'ClassExpression')) return null;
  const method = children(child(v.node, 'body') ?? v.node, 'body').find((m) => m.type === 'MethodDefinition' && propName(child(m, 'key')) === 'createTypeOrmOptions');
  const fn = method ? child(method, 'value') : null;
  const ret = fn ? fnReturn(fn) : null;
  return ret ? { node: ret, mod: v.mod } : null;
}

interface EngineAcc {
  engine: DatabaseEngine;
  driver: string | null;
  orm: string | null;
  urlKeys: string[];
  partKeys: string[];
  hardcoded: Evidence[];
  evidence: Evidence[];
  /** The driver falls back to libpq PG* variables (pg with no connection options). */
  implicitPg: boolean;
  /** Connection calls found in code, whether or not their settings could be followed. */
  sites: number;
  /** The choosing setting of each connection site that reads its settings (null: opened whatever they say). */
  selectors: Array<{ env_name: string; value: string } | null>;
  prisma?: PrismaSchemaFacts;
}

export interface DatabaseResult {
  database: DatabaseFacts;
  databases: DatabaseFacts[];
  findings: Finding[];
  /** Prisma schema facts for migrations. */
  prismaSchema: (PrismaSchemaFacts & { file: string }) | null;
  drizzle: { config: string; out: string | null } | null;
  /** Stand-ins the image build needs (see prismaConfigEnv): a local address of the schema's engine, which opens nothing. */
  buildEnv: Record<string, string>;
}

const STAND_IN: Record<string, string> = {
  mysql: 'mysql://build:build@localhost:3306/build',
  sqlite: 'file:./build.db',
  sqlserver: 'sqlserver://localhost:1433;database=build;user=build;password=build',
  mongodb: 'mongodb://localhost:27017/build',
};
const POSTGRES_STAND_IN = 'postgresql://build:build@localhost:5432/build';

const PART_SUFFIX = /^(HOST|HOSTNAME|PORT|USER|USERNAME|PASSWORD|PASS|NAME|DATABASE|DB)$/;
const EMPTY: DatabaseFacts = { engine: null, driver: null, orm: null, env_key: null, env_keys: [], evidence: [] };

/** Env keys and hard-coded URLs feeding a connection expression. */
function connectionKeys(run: SourceRun, scan: FileScan, n: Node | null, out: { url: string[]; parts: string[]; hard: Node[]; engineHint: string | null }, depth = 0): void {
  if (!n || depth > 4) return;
  const u = unwrap(n);
  if (!u) return;
  if (u.type === 'ObjectExpression') {
    for (const p of children(u, 'properties')) {
      if (p.type !== 'Property') continue;
      const k = propName(child(p, 'key'));
      if (!k) continue;
      if (k === 'type' || k === 'dialect' || k === 'client' || k === 'provider') out.engineHint ??= stringValue(child(p, 'value'));
      if (!CONN_PROPS.includes(k)) continue;
      const isUrl = /^(url|uri|connectionString|connection|datasourceUrl)$/.test(k);
      collect(run, scan, child(p, 'value'), out, isUrl, depth + 1);
    }
    return;
  }
  collect(run, scan, u, out, true, depth + 1);
}

function collect(run: SourceRun, scan: FileScan, n: Node | null, out: { url: string[]; parts: string[]; hard: Node[]; engineHint: string | null }, isUrl: boolean, depth: number): void {
  if (!n) return;
  const v: Val = run.ev.eval(n, scan);
  // fastify-env puts the validated environment on `fastify.config`: `fastify.config.MONGODB_URL` is that variable.
  const path = v.k === 'unknown' ? memberPath(n) : null;
  const configKey = path && path.length >= 3 && path.at(-2) === 'config' && /^[A-Z][A-Z0-9_]*$/.test(path.at(-1)!) && (run.ctx.hasDep('@fastify/env') || run.ctx.hasDep('fastify-env')) ? path.at(-1)! : null;
  const name = v.k === 'env' ? v.name : configKey;
  if (name) {
    (isUrl && !/^PG[A-Z]+$/.test(name) && !/_(HOST|USER|PASSWORD|PORT|NAME|DATABASE|DB)$/.test(name) ? out.url : out.parts).push(name);
  } else if (v.k === 'str' && URL_SCHEME.test(v.v)) out.hard.push(n);
  else if (v.k === 'obj' && v.node.type === 'ObjectExpression') connectionKeys(run, v.mod, v.node, out, depth + 1);
  else if (unwrap(n)?.type === 'ObjectExpression') connectionKeys(run, scan, n, out, depth + 1);
}

/**
 * Prisma's own config file (`prisma.config.ts`, Prisma 6.5+; where the datasource URL lives from Prisma 7):
 * `schema: 'prisma/schema.prisma'` and `datasource: { url: env('DATABASE_URL') }`.
 */
export const PRISMA_CONFIG_FILES = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((e) => `prisma.config.${e}`);

/** The schema path prisma.config names (`schema: 'prisma/schema.prisma'`), relative to the config; null when none. */
export function prismaConfigSchema(text: string): string | null {
  return /\bschema\s*:\s*['"`]([^'"`]+)['"`]/.exec(text)?.[1] ?? null;
}

/**
 * Variables prisma.config reads with Prisma's own `env()` (`import { defineConfig, env } from 'prisma/config'`): it
 * throws when one is unset, in every prisma command, `prisma generate` included, so an image build needs a stand-in.
 */
function prismaConfigEnv(text: string): string[] {
  const imported = /import\s*\{[^}]*\benv\b[^}]*\}\s*from\s*['"]prisma\/config['"]/.test(text);
  return imported ? [...new Set([...text.matchAll(/(?<![\w$.])env\s*(?:<[^>]*>)?\(\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]/g)].map((m) => m[1]!))] : [];
}

function prismaConfig(run: SourceRun, dir: string): { file: string; schema: string | null; url: string | null; urlLine: number; required: string[] } | null {
  for (const name of PRISMA_CONFIG_FILES) {
    const file = joinPath(dir, name);
    if (!run.index.has(file)) continue;
    const text = run.ctx.repo.read(file) ?? '';
    const schema = prismaConfigSchema(text);
    const url = /\bdatasource\s*:\s*\{[^}]*?\burl\s*:\s*([^,}\n]+)/.exec(text);
    // `url: process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL`: the last of a fallback chain is the one
    // that is always read (rallly); `env('DATABASE_URL')` and `process.env['X']` as well.
    const names = url ? [...url[1]!.matchAll(/(?:env\(\s*['"`]|process\.env\.|process\.env\[\s*['"`])([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!) : [];
    return { file, schema: schema ? joinPath(dir, schema) : null, url: names.at(-1) ?? null, urlLine: url ? lineOf(text, url.index + url[0].search(/\burl\s*:/)) : 1, required: prismaConfigEnv(text) };
  }
  return null;
}

/**
 * A Prisma schema without its commented-out lines (anything-llm: `//   url = env("DATABASE_URL")` above the SQLite file
 * url it uses), blanked rather than removed so offsets and line numbers stay.
 */
export function prismaSchemaText(raw: string): string {
  return raw.replace(/^[ \t]*\/\/.*$/gm, (l) => ' '.repeat(l.length));
}

interface PrismaFacts {
  file: string;
  provider: string | null;
  url: string | null;
  directUrl: string | null;
  urlFile: string;
  urlLine: number;
  literalUrl: boolean;
  /** What prisma.config requires through `env()`, with the line that reads each (see prismaConfigEnv). */
  configEnv: Array<{ name: string; file: string }>;
  schema: PrismaSchemaFacts;
}

/** The file imports PrismaClient (a client it makes), not only the model types. */
function importsPrismaClient(scan: FileScan): boolean {
  return [...scan.imports.values()].some((b) => b.imported === 'PrismaClient');
}

function readPrisma(run: SourceRun): PrismaFacts | null {
  const { ctx } = run;
  // The unit's own schema first, then those of the workspace packages it runs (`packages/db/prisma`).
  // An Nx project's schema sits at the workspace root, where its root package.json says (`"prisma": {"schema": …}`).
  // Last, a workspace unit's root, when the unit's code opens a client (plunk: packages/api makes a PrismaClient of the
  // root's prisma/schema.prisma; its dashboard only imports the model types).
  const opensClient = () => run.scans.some((x) => x.file.startsWith(ctx.unit + '/') && importsPrismaClient(x));
  const root = ctx.unit && !ctx.nxRoot && ctx.rootPkg && ctx.hasDep('@prisma/client') && opensClient() ? [{ dir: '', pkg: ctx.rootPkg }] : [];
  const places = [{ dir: ctx.unit, pkg: ctx.pkg }, ...(ctx.nxRoot ? [ctx.nxRoot] : []), ...(run.hints.localPackages ?? []), ...root];
  const candidates: string[] = [];
  const configured: string[] = [];
  const configs = new Map<string, NonNullable<ReturnType<typeof prismaConfig>>>();
  // Where the CLI looks from each place: the configured schema, else its default files and folder.
  const looks: Array<{ dir: string; at: string[] }> = [];
  for (const { dir, pkg } of places) {
    const pc = prismaConfig(run, dir);
    if (pc) configs.set(dir, pc);
    const cfg = pc?.schema ?? ((pkg?.prisma as { schema?: string } | undefined)?.schema ? joinPath(dir, (pkg!.prisma as { schema: string }).schema) : null);
    if (cfg) configured.push(cfg);
    candidates.push(...(cfg ? [cfg] : []), joinPath(dir, 'prisma/schema.prisma'), joinPath(dir, 'schema.prisma'));
    looks.push({ dir, at: cfg ? [cfg] : [joinPath(dir, 'prisma/schema.prisma'), joinPath(dir, 'schema.prisma'), joinPath(dir, 'prisma/schema')] });
  }
  const schemaFacts = (file: string): PrismaSchemaFacts => {
    // A multi-file schema is its folder (`prisma/schema/*.prisma`, or the folder prisma.config names).
    const path = configured.find((c) => file.startsWith(c + '/')) ?? (/(^|\/)prisma\/schema\/[^/]+\.prisma$/.test(file) ? posix.dirname(file) : file);
    return { path, found_from: [...new Set(looks.filter((l) => l.at.includes(path)).map((l) => l.dir))] };
  };
  const inDir = ctx.unitFiles.filter((f) => /(^|\/)prisma\/schema\/[^/]+\.prisma$/.test(f) || (configured.some((c) => f.startsWith(c + '/')) && f.endsWith('.prisma')));
  // A shared library the unit imports through an alias (`libraries/nestjs-libraries/src/database/prisma/schema.prisma`).
  const unitPrefix = ctx.unit ? ctx.unit + '/' : '';
  // Only when the code the unit runs there opens a Prisma client (a DTO importing a Prisma enum for validation opens nothing).
  const prismaUsed = run.scans.some((x) => !x.file.startsWith(unitPrefix) && importsPrismaClient(x));
  const libraries = prismaUsed ? new Set(run.index.files.filter((f) => !f.startsWith(unitPrefix)).map((f) => f.split('/').slice(0, 2).join('/') + '/')) : new Set<string>();
  const shared = libraries.size ? ctx.repo.files.filter((f) => f.endsWith('.prisma') && [...libraries].some((l) => f.startsWith(l)) && isPackageDir(f.slice(0, f.lastIndexOf('/')))) : [];
  const read = (file: string): PrismaFacts | null => {
    if (!run.index.has(file)) return null;
    const raw = ctx.repo.read(file);
    if (!raw) return null;
    const text = prismaSchemaText(raw);
    const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text);
    if (!block) return null;
    const body = block[1] ?? '';
    const provider = /provider\s*=\s*"([^"]+)"/.exec(body)?.[1] ?? null;
    const urlM = /\burl\s*=\s*(?:env\(\s*"([^"]+)"\s*\)|"([^"]*)")/.exec(body);
    const direct = /directUrl\s*=\s*env\(\s*"([^"]+)"\s*\)/.exec(body)?.[1] ?? null;
    const offset = block.index + (urlM ? block[0].indexOf(urlM[0]) : 0);
    // No url in the schema: prisma.config beside it names it (the nearest package that holds the schema).
    const pc = urlM ? null : ([...configs].filter(([dir]) => !dir || file.startsWith(dir + '/')).sort((a, b) => b[0].length - a[0].length)[0]?.[1] ?? null);
    const configEnv = [...configs.values()].flatMap((c) => c.required.map((name) => ({ name, file: c.file })));
    const schema = schemaFacts(file);
    if (pc?.url) return { file, provider, url: pc.url, directUrl: direct, urlFile: pc.file, urlLine: pc.urlLine, literalUrl: false, configEnv, schema };
    return { file, provider, url: urlM?.[1] ?? null, directUrl: direct, urlFile: file, urlLine: lineOf(text, offset), literalUrl: !!urlM?.[2] && URL_SCHEME.test(urlM[2]), configEnv, schema };
  };
  let first: PrismaFacts | null = null;
  const parent = (f: string) => posix.dirname(posix.dirname(f));
  for (const file of [...candidates, ...inDir, ...shared]) {
    const found = read(file);
    if (!found) continue;
    // Where Prisma looks by itself (or is told to) is the schema.
    if (candidates.includes(file)) return found;
    // One schema per engine side by side (typebot's mysql/ and postgresql/, teable's postgres/ and sqlite/), chosen by a
    // script at build time: PostgreSQL, what the project defaults to and the platform provisions.
    if (!first) first = found;
    if (found.provider === 'postgresql' && parent(found.file) === parent(first.file)) return found;
  }
  return first;
}

function readDrizzle(run: SourceRun): { file: string; engine: DatabaseEngine | null; keys: { url: string[]; parts: string[]; hard: Node[] }; out: string | null; scan: FileScan; node: Node } | null {
  for (const f of run.index.files) {
    if (!/(^|\/)drizzle\.config\.[cm]?[jt]s$/.test(f)) continue;
    const scan = run.index.scan(f);
    if (!scan) continue;
    const def = scan.exports.get('default');
    let obj: Node | null = null;
    const node = def?.node ? unwrap(def.node) : null;
    if (node?.type === 'CallExpression') obj = args(node)[0] ?? null;
    else if (node?.type === 'ObjectExpression') obj = node;
    else if (def?.local) {
      const v = run.ev.evalIdent(scan, def.local, Number.MAX_SAFE_INTEGER, 0);
      if (v.k === 'obj') obj = v.node;
    }
    if (!obj) continue;
    const dialect = stringValue(objectProp(obj, 'dialect')) ?? stringValue(objectProp(obj, 'driver'));
    const keys = { url: [] as string[], parts: [] as string[], hard: [] as Node[], engineHint: null as string | null };
    connectionKeys(run, scan, objectProp(obj, 'dbCredentials'), keys);
    return { file: f, engine: engineFromName(dialect), keys, out: stringValue(objectProp(obj, 'out')), scan, node: obj };
  }
  return null;
}

export function detectDatabase(run: SourceRun, envVars: EnvVar[]): DatabaseResult {
  const { ctx } = run;
  const acc = new Map<DatabaseEngine, EngineAcc>();
  const get = (e: DatabaseEngine) => {
    let a = acc.get(e);
    if (!a) acc.set(e, (a = { engine: e, driver: null, orm: null, urlKeys: [], partKeys: [], hardcoded: [], evidence: [], implicitPg: false, sites: 0, selectors: [] }));
    return a;
  };
  const pkgFile = ctx.pkgFile ?? ctx.unitPath('package.json');
  for (const [dep, engine] of DRIVER_DEPS) {
    if (!ctx.isProdDep(dep) || (dep === 'mongoose' && ctx.isProdDep('mongodb'))) continue;
    const a = get(engine);
    if (!a.driver) {
      a.driver = dep;
      a.evidence.push(evidence(pkgFile, 1, 'db-driver-dependency', dep));
    }
  }
  // Medusa runs on PostgreSQL whatever the project declares (its driver comes with the framework).
  if (run.hints.framework === 'medusa') get('postgres').evidence.push(evidence(pkgFile, 1, 'medusa-requires-postgres', 'Medusa stores its data in PostgreSQL'));
  const orms = ORM_DEPS.filter(([d]) => ctx.hasDep(d)).map(([, o]) => o);
  const ormList = [...new Set(orms)];

  // Prisma schema: provider + url = env("X").
  const prisma = ormList.includes('prisma') || ctx.unitFiles.some((f) => f.endsWith('.prisma')) ? readPrisma(run) : null;
  if (prisma) {
    const engine = engineFromName(prisma.provider);
    if (engine) {
      const a = get(engine);
      a.orm = 'prisma';
      a.prisma = prisma.schema;
      const ev = evidence(prisma.urlFile, prisma.urlLine, 'prisma-datasource', prisma.url ? `url = env("${prisma.url}")` : `provider = "${prisma.provider}"`);
      a.evidence.push(ev);
      if (prisma.url) a.urlKeys.push(prisma.url);
      if (prisma.directUrl) a.partKeys.push(prisma.directUrl);
      if (prisma.literalUrl) a.hardcoded.push(evidence(prisma.file, prisma.urlLine, 'prisma-literal-url', 'url = "***"'));
    }
  }
  const drizzle = ormList.includes('drizzle') || run.index.files.some((f) => /drizzle\.config/.test(f)) ? readDrizzle(run) : null;
  if (drizzle?.engine) {
    const a = get(drizzle.engine);
    a.orm ??= 'drizzle';
    a.urlKeys.push(...drizzle.keys.url);
    a.partKeys.push(...drizzle.keys.parts);
    a.evidence.push(nodeEvidence(drizzle.scan, drizzle.node.start, 'drizzle-config'));
    for (const h of drizzle.keys.hard) a.hardcoded.push(nodeEvidence(drizzle.scan, h.start, 'drizzle-literal-url', true));
  }

  /** A place the code opens a connection: the engine's facts gain its keys and evidence. */
  const connectionSite = (s: FileScan, call: Node, engine: DatabaseEngine, driver: string | null, orm: string | null, keys: { url: string[]; parts: string[]; hard: Node[] }) => {
    const e = get(engine);
    e.sites++;
    if (driver && !e.driver) e.driver = driver;
    if (orm) e.orm ??= orm;
    e.urlKeys.push(...keys.url);
    e.partKeys.push(...keys.parts);
    for (const h of keys.hard) e.hardcoded.push(nodeEvidence(s, h.start, 'db-literal-url', true));
    if (keys.url.length || keys.parts.length || keys.hard.length) {
      e.evidence.push(nodeEvidence(s, call.start, 'db-connection', true));
      // Only connections the deployment configures (a vector-store node built from a user's own credentials is not one).
      e.selectors.push(selectorAt(s.parsed.program, call.start, (x) => settingName(s, x)));
    } else if (e.sites === 1) e.evidence.push(nodeEvidence(s, call.start, 'db-connection-unfollowed', true));
    return e;
  };

  // Connection sites in code.
  for (const s of run.astScans) {
    // Only files importing a database module can open a connection.
    if (![...s.importSources].some((src) => src in CONNECTORS || src in FASTIFY_DB_PLUGINS || src.startsWith('drizzle-orm/'))) continue;
    for (const call of [...s.calls, ...s.news]) {
      const callee = unwrap(child(call, 'callee'));
      if (!callee) continue;
      // `fastify.register(require('@fastify/postgres'), { connectionString })`: the plugin opens the connection.
      const plugin = memberProp(callee) === 'register' ? fastifyDbPlugin(s, args(call)[0] ?? null) : null;
      if (plugin) {
        const keys = { url: [] as string[], parts: [] as string[], hard: [] as Node[], engineHint: null as string | null };
        connectionKeys(run, s, args(call)[1] ?? null, keys);
        // Evidence at the plugin, not at the start of a `fastify\n.register(…)\n.register(…)` chain.
        connectionSite(s, args(call)[0]!, FASTIFY_DB_PLUGINS[plugin]!, plugin, null, keys);
        continue;
      }
      const root = calleeRoot(call);
      // `require('knex')({...})` calls the module itself.
      const required = requiredModule(callee);
      const imp = required ? { local: '', source: required, imported: 'default' } : root ? s.imports.get(root) : undefined;
      if (!imp) continue;
      const src = imp.source.startsWith('drizzle-orm/') ? 'drizzle' : imp.source;
      let what: string;
      if (required) what = 'default';
      // `import * as postgres from 'postgres'; postgres(url)`: the module itself, called (CommonJS interop).
      else if (callee.type === 'Identifier') what = imp.imported === '*' ? 'default' : imp.imported;
      else if (callee.type === 'MemberExpression') {
        const prop = memberProp(callee) ?? '';
        // `new pg.Pool()`, `mongoose.connect()`, `MongoClient.connect()`, `TypeOrmModule.forRoot()`
        what = imp.imported === 'default' || imp.imported === '*' ? prop : /^(connect|forRoot|forRootAsync|initialize)$/.test(prop) ? imp.imported : '';
      } else continue;
      let engine: DatabaseEngine | null = null;
      let driver: string | null = null;
      if (src === 'drizzle') {
        if (what !== 'drizzle') continue;
        engine = engineFromName(imp.source.slice('drizzle-orm/'.length));
      } else {
        const c = CONNECTORS[src];
        if (!c || !c.names.test(what)) continue;
        driver = c.engine === 'by-options' ? null : src;
        engine = c.engine === 'by-options' ? null : c.engine;
      }
      const a = args(call);
      const keys = { url: [] as string[], parts: [] as string[], hard: [] as Node[], engineHint: null as string | null };
      let opts: Node | null = a[0] ?? null;
      // Where the options are written: a class of options (`useClass`) may live in another module.
      let optsScan = s;
      if (src === '@nestjs/typeorm' && memberProp(callee) === 'forRootAsync') {
        const factory = unwrap(objectProp(opts, 'useFactory'));
        const body = factory ? unwrap(child(factory, 'body')) : null;
        const ret = body && body.type === 'BlockStatement' ? children(body, 'body').find((x) => x.type === 'ReturnStatement') : undefined;
        const viaClass = factory ? null : typeOrmOptionsClass(run, s, objectProp(opts, 'useClass') ?? objectProp(opts, 'useExisting'));
        opts = body?.type === 'ObjectExpression' ? body : ret ? child(ret, 'argument') : (viaClass?.node ?? null);
        if (viaClass) optsScan = viaClass.mod;
      }
      if (src === 'sequelize' && a.length >= 3) {
        // new Sequelize(database, user, password, { host, dialect })
        for (const x of a.slice(0, 3)) collect(run, s, x, keys, false, 0);
        connectionKeys(run, s, a[3] ?? null, keys);
      } else if (src === '@prisma/client') {
        const ds = objectProp(objectProp(opts, 'datasources'), 'db');
        connectionKeys(run, s, ds ?? objectProp(opts, 'datasourceUrl'), keys);
      } else if (src === 'knex' || src === 'sequelize') {
        connectionKeys(run, s, opts, keys);
        if (src === 'sequelize') connectionKeys(run, s, a[1] ?? null, keys);
      } else connectionKeys(run, optsScan, opts, keys);
      if (src === 'drizzle' && !opts) continue;
      engine ??= engineFromName(keys.engineHint);
      if (!engine && src === '@prisma/client') continue;
      if (!engine) {
        const firstUrl = keys.hard.length ? literalOf(run.ev.eval(keys.hard[0]!, s)) : null;
        engine = engineFromName(typeof firstUrl === 'string' ? firstUrl.split(':')[0] : null);
      }
      if (!engine) continue;
      const orm = src === 'sequelize' || src === 'knex' || src === 'typeorm' || src === '@nestjs/typeorm' || src === 'drizzle' || src === 'mongoose' ? (src === '@nestjs/typeorm' ? 'typeorm' : src) : null;
      const e = connectionSite(s, call, engine, driver, orm, keys);
      // node-postgres with no connection string reads PGHOST, PGUSER, ... from the environment.
      if (engine === 'postgres' && (src === 'pg' || (src === 'drizzle' && imp.source.endsWith('node-postgres'))) && keys.url.length === 0 && keys.hard.length === 0) {
        const hasParts = keys.parts.length > 0;
        if (!hasParts) {
          e.implicitPg = true;
          e.evidence.push(nodeEvidence(s, call.start, 'pg-implicit-env'));
        }
      }
      if (src === '@vercel/postgres' && keys.url.length === 0) {
        e.urlKeys.push('POSTGRES_URL');
        e.evidence.push(nodeEvidence(s, call.start, 'vercel-postgres-implicit'));
      }
    }
  }

  // Attach ORMs that name no engine (e.g. typeorm with options elsewhere) to the only SQL engine.
  for (const orm of ormList) {
    if ([...acc.values()].some((a) => a.orm === orm)) continue;
    const sql = [...acc.values()].filter((a) => a.engine !== 'redis' && (orm === 'mongoose' ? a.engine === 'mongodb' : a.engine !== 'mongodb'));
    if (sql.length === 1 && !sql[0]!.orm) sql[0]!.orm = orm;
  }

  const codeVars = new Set(envVars.filter((v) => v.sources.includes('code') || v.sources.includes('config')).map((v) => v.name));
  const maps = settingMaps(run);
  const compared = engineComparisons(run);
  // Asked only of an engine known from package.json alone: the scans are walked then, once.
  let importSpecs: string[] | null = null;
  const imported = (dep: string) => (importSpecs ??= [...new Set(run.scans.flatMap((x) => [...x.importSources]))]).some((spec) => spec === dep || spec.startsWith(dep + '/'));
  // Named in the code as text (Lucid's `client: 'pg'`, TypeORM's `type: 'postgres'`, a setting compared to 'mysql').
  const named = (engine: DatabaseEngine, driver: string) => {
    const words = new RegExp(`['"\`](${[...ENGINE_WORDS[engine], driver].map(escapeRegExp).join('|')})['"\`]`, 'i');
    return run.scans.some((x) => words.test(x.parsed.text));
  };
  const found: Array<{ facts: DatabaseFacts; hard: number; weight: number }> = [];
  for (const engine of ENGINE_ORDER) {
    const a = acc.get(engine);
    if (!a) continue;
    let urlKeys = [...new Set(a.urlKeys)];
    let parts = [...new Set(a.partKeys)];
    const ev = [...a.evidence];
    // How surely the service's own connection uses this engine: a connection site reading a variable, a variable it
    // reads by a conventional name, parts it reads, or only a driver (growthbook's pg client for users' warehouses).
    let weight = urlKeys.length || parts.length ? 3 : 0;
    if (a.implicitPg && urlKeys.length === 0) {
      const read = [...codeVars].filter((v) => /^PG[A-Z]+$/.test(v));
      if (read.length) weight = Math.max(weight, 1);
      parts = [...new Set([...parts, ...(read.length ? read : ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'])])];
    }
    if (urlKeys.length === 0 && parts.length === 0) {
      // No connection site followed: fall back to a conventional key the code reads.
      const pattern: Record<DatabaseEngine, RegExp> = {
        // spacebar's `url: process.env.DATABASE`.
        postgres: /^(DATABASE_URL|DATABASE_URI|DATABASE|POSTGRES_URL|POSTGRES_PRISMA_URL|POSTGRESQL_URL|PG_URL|PG_CONNECTION_STRING|DB_URL)$/,
        mysql: /^(DATABASE_URL|DATABASE_URI|DATABASE|MYSQL_URL|MYSQL_URI|DB_URL)$/,
        mongodb: /^(MONGODB_URI|MONGO_URI|MONGO_URL|MONGODB_URL|DATABASE_URL|DB_URI)$/,
        sqlite: /^(DATABASE_URL|(SQLITE|DB|DATABASE)_(PATH|FILE|FILENAME|FILE_PATH|STORAGE)|SQLITE_(URL|DB|DATABASE)|TURSO_DATABASE_URL|LIBSQL_URL)$/,
        redis: /^(REDIS_URL|REDIS_URI|REDIS_TLS_URL|KV_URL|UPSTASH_REDIS_REST_URL)$/,
      };
      // For SQLite a file setting comes before a URL the same code reads for a database server (Strapi's DATABASE_URL).
      // For a server a URL comes before a bare DATABASE (which may be a database's name beside DATABASE_URL).
      const urlLast = (v: string) => (engine === 'sqlite' ? Number(/URL$/.test(v)) : Number(!/(URL|URI)$/.test(v)));
      let guess = [...codeVars].filter((v) => pattern[engine].test(v)).sort((a, b) => urlLast(a) - urlLast(b) || (a < b ? -1 : a > b ? 1 : 0));
      // Else a Mongo URL under the service's own prefix (mongo-express's ME_CONFIG_MONGODB_URL): no other store is named so.
      if (!guess.length && engine === 'mongodb') guess = [...codeVars].filter((v) => /_(MONGODB_URI|MONGO_URI|MONGO_URL|MONGODB_URL)$/.test(v)).sort();
      if (guess.length) {
        weight = 2;
        urlKeys = guess.slice(0, 1);
        const v = envVars.find((x) => x.name === guess[0]);
        if (v?.evidence[0]) ev.push({ ...v.evidence[0], rule: 'db-env-read' });
      } else if (engine === 'postgres') {
        const pg = [...codeVars].filter((v) => /^PG[A-Z]+$/.test(v));
        if (pg.length) {
          weight = 1;
          parts = pg.sort();
        }
      } else if (engine === 'redis') {
        // Where Redis is, in parts (heyform's and ghostfolio's REDIS_HOST, REDIS_PORT, REDIS_PASSWORD): the template
        // asks where the server is when the host's default is the pod itself.
        const host = [...codeVars].filter((v) => /^REDIS_(HOST|PORT|PASSWORD|USERNAME|DB)$/.test(v)).sort();
        if (host.some((v) => v === 'REDIS_HOST')) parts = host;
      }
    }
    // A driver only package.json names: nothing imports it, opens it or reads a setting of it (nextjs-starter-medusa's
    // pg, elk's @upstash/redis peer): no database of the service's, nothing to provision.
    const driverOnly = ev.every((e) => e.rule === 'db-driver-dependency') && !a.hardcoded.length && !a.orm && !a.sites;
    // Not beside an ORM the code imports, which opens the driver itself from a URL (codimd's Sequelize on CMD_DB_URL).
    if (weight === 0 && urlKeys.length === 0 && parts.length === 0 && driverOnly && a.driver && !imported(a.driver) && !named(engine, a.driver) && !ORM_DEPS.some(([dep]) => imported(dep))) continue;
    // `DATABASE_URL` beside `DATABASE_HOST`, `DATABASE_PASSWORD`...: the same connection in parts, read where no
    // URL is set. They belong to the connection, so the template wires them from the same database.
    if (engine === 'postgres' || engine === 'mysql')
      for (const url of urlKeys) {
        const prefix = /^(.*_)(URL|URI)$/.exec(url)?.[1];
        if (prefix) parts = [...new Set([...parts, ...[...codeVars].filter((v) => v.startsWith(prefix) && PART_SUFFIX.test(v.slice(prefix.length))).sort()])];
      }
    const env_key = urlKeys[0] ?? null;
    if (a.hardcoded.length) weight = Math.max(weight, 2);
    // The engine an ORM's schema declares (anything-llm's Prisma SQLite file) is the service's own more surely than a
    // driver known only from package.json (its pg for users' databases).
    if (a.orm) weight = Math.max(weight, 1.5);
    // Opened only where one setting chooses it (every site in the same branch), or an entry of a map of engines a setting
    // picks from (Strapi's `connections[client]`) that it does not pick unset: the deployment wiring it must choose it too.
    const sel = a.selectors[0];
    const fromMap = maps.find((m) => m.chosen !== undefined && engineFromName(m.chosen) !== engine && m.entries.some((e) => engineFromName(e.key) === engine));
    const mapKey = fromMap?.entries.find((e) => engineFromName(e.key) === engine)?.key;
    const cmp = compared.get(engine);
    const selector = sel && a.selectors.every((x) => x?.env_name === sel.env_name && x.value === sel.value) ? { selector: sel } : fromMap && mapKey ? { selector: { env_name: fromMap.setting, value: mapKey } } : cmp ? { selector: cmp } : {};
    found.push({ facts: { engine, driver: a.driver, orm: a.orm, env_key, env_keys: [...new Set([...urlKeys, ...parts])], ...selector, ...(a.prisma ? { prisma_schema: a.prisma } : {}), evidence: [...ev, ...a.hardcoded].slice(0, 8) }, hard: a.hardcoded.length, weight });
  }
  // The primary is the one the service surely connects to; among equals, postgres first (the order above). Redis is a
  // cache or a queue beside a system of record: a store the code surely uses outranks it (docmost's PostgreSQL, whose
  // URL hides behind a config service, beside a Redis it reads REDIS_URL for).
  const rank = (f: (typeof found)[number]) => (f.facts.engine === 'redis' && found.some((o) => o.facts.engine !== 'redis' && o.weight >= 2) ? Math.min(f.weight, 1.5) : f.weight);
  found.sort((x, y) => rank(y) - rank(x));
  const databases = found.map((f) => f.facts);
  const hardCounts = found.map((f) => f.hard);
  const database = databases[0] ?? EMPTY;

  const findings: Finding[] = [];
  if (databases.length > 0) {
    const primary = databases[0]!;
    const hard = hardCounts[0] ?? 0;
    if (primary.env_key || primary.env_keys.length) {
      const what = primary.env_key ? primary.env_key : `${primary.env_keys.join(', ')} (separate parts)`;
      findings.push(finding('database-env-key', 'database', 'pass', `${primary.engine} connection comes from ${what}.`, null, primary.evidence));
    } else if (hard > 0) {
      findings.push(
        finding(
          'database-env-key',
          'database',
          'fail',
          `The ${primary.engine} connection string is hard-coded in the source.`,
          `Read it from an env var (e.g. process.env.DATABASE_URL) and let Sealos inject the database's connection string.`,
          primary.evidence,
        ),
      );
    } else if (primary.engine === 'sqlite') {
      // A file, not a server: no connection string to read, but a disk the pod does not keep (anything-llm).
      findings.push(
        finding(
          'database-env-key',
          'database',
          'warn',
          `The SQLite database is a file in the container (${primary.evidence[0] ? `${primary.evidence[0].file}:${primary.evidence[0].line}` : primary.driver ?? primary.orm}): it is lost on every restart and each replica has its own.`,
          "Put its directory on a persistent volume (the template's storage) and run one replica, or move to PostgreSQL, which Sealos provisions.",
          primary.evidence,
        ),
      );
    } else {
      findings.push(
        finding(
          'database-env-key',
          'database',
          'warn',
          `A ${primary.engine} driver (${primary.driver ?? primary.orm}) is used but the env key it reads could not be found.`,
          'Read the connection string from process.env.DATABASE_URL where the client is created, or set it explicitly in .sealos/config.json env_overrides.',
          primary.evidence,
        ),
      );
    }
    const leaked = envVars.filter((v) => v.public && v.class === 'database');
    findings.push(
      leaked.length
        ? finding(
            'database-server-side',
            'database',
            'fail',
            `${leaked.map((v) => v.name).join(', ')} ${leaked.length === 1 ? 'uses' : 'use'} a browser-public prefix: the database credentials end up in the client bundle.`,
            `Rename to a server-only name (e.g. ${leaked[0]!.name.replace(/^(NEXT_PUBLIC_|VITE_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_)/, '')}) and query the database only from server code.`,
            leaked.flatMap((v) => v.evidence.slice(0, 2)),
          )
        : finding('database-server-side', 'database', 'pass', 'Database access stays server-side: no connection variable has a public prefix.', null, []),
    );
  }
  const buildEnv = Object.fromEntries((prisma?.configEnv ?? []).map((v) => [v.name, STAND_IN[prisma?.provider ?? ''] ?? POSTGRES_STAND_IN]));
  return { database, databases, findings, prismaSchema: prisma ? { ...prisma.schema, file: prisma.file } : null, drizzle: drizzle ? { config: drizzle.file, out: drizzle.out } : null, buildEnv };
}
