import type { Finding } from '../../state/analysis-schema.js';
import { unitSourceFiles, type AnalysisContext } from '../context.js';
import { detectDatabase } from './database.js';
import { detectEnvFiles } from './env-files.js';
import { detectEnvVars, envVarFindings } from './env-vars.js';
import { detectHealth } from './health.js';
import { detectMigrations } from './migrations.js';
import { Evaluator, SourceIndex } from './modules.js';
import { detectPortBind } from './port-bind.js';
import { detectProcess } from './process-signals.js';
import { collectRoutes, fileRoutePath } from './routes.js';
import type { FileScan } from './scan.js';
import { securityFindings } from './security.js';
import type { SourceFacts, SourceHints, SourceRun } from './types.js';

export type { SourceFacts, SourceHints } from './types.js';

/**
 * Cheap text test deciding whether a file can matter to any concern; files that fail it are never parsed.
 * It only gates parsing: every fact still comes from the AST.
 */
const RELEVANT =
  /listen|process\.(env|on)|import\.meta\.env|Bun\.env|health|ready|livez|ping|status|SIG(TERM|INT)|ShutdownHooks|[Cc]ron|setInterval|Worker|bull|agenda|pg-boss|cors|Access-Control|session|admin|[Tt]hrottl|[Rr]ate[-_]?[Ll]imit|['"](pg|postgres|mysql2?|mariadb|mongodb|mongoose|redis|ioredis|better-sqlite3|sqlite3|knex|sequelize|typeorm|drizzle-orm[^'"]*|@prisma\/client|@neondatabase\/serverless|@vercel\/postgres|@libsql\/client)['"]|DataSource|TypeOrmModule|defineConfig|createEnv|cleanEnv|[gG]etEnv|requireEnv|[Cc]onfigService|Env\.get|terminus|pino|winston|morgan|bunyan|consola|log4js|Controller|serve\(|Hapi|createServer|\.(post|put|patch|delete|use|route|register|start)\(|(SECRET|TOKEN|PASSWORD|API_KEY)|[Gg]race|[Tt]erminat|stoppable|lightship|[Ss]hutdown/;
/** A log call whose arguments mention something secret-like (`logger.info(stripeKey)`): worth parsing for secret-logging. */
const SECRET_LOG = /\.(log|info|debug|warn|error|trace)\([^)\n]*(secret|token|passw|key|credential|private|dsn)/i;

/** Maps a build output (`dist/server.js`) back to its source (`src/server.ts`) when the output is not committed. */
export function entrySource(index: SourceIndex, entry: string | null, unit: string): string | null {
  if (!entry) return null;
  if (index.has(entry)) return entry;
  const prefix = unit ? unit + '/' : '';
  const rel = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
  const stem = rel.replace(/\.[cm]?jsx?$/, '');
  const bases = [stem, stem.replace(/^(dist|build|out|lib|\.output)\//, 'src/'), stem.replace(/^(dist|build|out|lib)\//, ''), stem.replace(/^(dist|build|out|lib)\/src\//, 'src/')];
  for (const b of bases)
    for (const ext of ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'])
      if (index.has(prefix + b + ext)) return prefix + b + ext;
  return null;
}

/** Reads the unit's code with a parser and reports port, bind, env, health, database, migrations, process and security facts. */
export function analyzeSource(ctx: AnalysisContext, hints: SourceHints): SourceFacts {
  const files = unitSourceFiles(ctx, hints.nestedUnits);
  const index = new SourceIndex(ctx, files);
  const ev = new Evaluator(index);
  const entry = entrySource(index, hints.entrypoint, ctx.unit);
  const unitPrefix = ctx.unit ? ctx.unit + '/' : '';

  const scans: FileScan[] = [];
  for (const f of files) {
    const text = index.text(f);
    if (text === null) continue;
    if (f !== entry && !RELEVANT.test(text) && !SECRET_LOG.test(text) && !fileRoutePath(f.slice(unitPrefix.length))) continue;
    const s = index.scan(f);
    if (s) scans.push(s);
  }
  const routes = collectRoutes(scans, index, ev, ctx.unit);
  const run: SourceRun = { ctx, hints, index, ev, scans, routes, entry };

  const portBind = detectPortBind(run);
  const health = detectHealth(run);
  const envFiles = detectEnvFiles(ctx);
  const prismaConfigVars: Array<{ name: string; file: string; line: number }> = [];
  for (const f of ctx.unitFiles) {
    if (!f.endsWith('.prisma')) continue;
    const text = ctx.repo.read(f);
    if (!text) continue;
    const re = /env\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) prismaConfigVars.push({ name: m[1]!, file: f, line: text.slice(0, m.index).split('\n').length });
  }
  const envVars = detectEnvVars(run, envFiles.example, prismaConfigVars);
  const db = detectDatabase(run, envVars);
  const migrations = detectMigrations(run, db.databases, db.prismaSchema, db.drizzle);
  const proc = detectProcess(run, portBind.listeners);

  const findings: Finding[] = [
    ...portBind.findings,
    ...health.findings,
    ...envVarFindings(envVars, envFiles.example),
    ...envFiles.findings,
    ...db.findings,
    ...migrations.findings,
    ...proc.findings,
    ...securityFindings(run),
  ];
  return {
    port: portBind.port,
    bind: portBind.bind,
    env_vars: envVars,
    env_files: envFiles.facts,
    health: health.health,
    database: db.database,
    databases: db.databases,
    migrations: migrations.migrations,
    process: proc.process,
    findings,
    parsed_files: index.parsedCount,
    skipped: index.skipped,
  };
}
