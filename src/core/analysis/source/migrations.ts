import { filesUnder as filesIn } from '../build-context.js';
import { posix } from 'node:path';
import { evidence, type Evidence } from '../../evidence.js';
import type { DatabaseFacts, Finding, MigrationFacts } from '../../state/analysis-schema.js';
import { args, child, objectProp, stringValue, unwrap } from './ast.js';
import { joinPath } from './modules.js';
import { escapeRegExp } from '../../escape-regexp.js';
import { newsNamed } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';
import { drizzleMigrateCalls, startupMigration } from './startup-migrations.js';
import { prismaSchemaFlag, type PrismaSchemaFacts } from '../../prisma-schema-flag.js';

type Tool = NonNullable<MigrationFacts['tool']>;

/** The canonical migrate command of each tool, how to spot it in a package script, and the package of its binary. */
const TOOLS: Array<{ tool: Tool; dep: string[]; script: RegExp; canonical: string; cli: string }> = [
  { tool: 'prisma', dep: ['prisma', '@prisma/client'], script: /\bprisma\s+migrate\s+deploy\b/, canonical: 'prisma migrate deploy', cli: 'prisma' },
  { tool: 'drizzle', dep: ['drizzle-kit', 'drizzle-orm'], script: /\bdrizzle-kit\s+migrate\b/, canonical: 'drizzle-kit migrate', cli: 'drizzle-kit' },
  { tool: 'typeorm', dep: ['typeorm'], script: /\btypeorm(?:-ts-node-(?:commonjs|esm))?\s+migration:run\b/, canonical: 'typeorm migration:run', cli: 'typeorm' },
  { tool: 'node-pg-migrate', dep: ['node-pg-migrate'], script: /\bnode-pg-migrate\b(?!\s+(create|down|redo))/, canonical: 'node-pg-migrate up', cli: 'node-pg-migrate' },
  { tool: 'knex', dep: ['knex'], script: /\bknex\s+migrate:latest\b/, canonical: 'knex migrate:latest', cli: 'knex' },
  { tool: 'sequelize', dep: ['sequelize-cli', 'sequelize'], script: /\bsequelize(?:-cli)?\s+db:migrate\b(?!:undo)/, canonical: 'sequelize-cli db:migrate', cli: 'sequelize-cli' },
  { tool: 'db-migrate', dep: ['db-migrate'], script: /\bdb-migrate\s+up\b/, canonical: 'db-migrate up', cli: 'db-migrate' },
];
const MIGRATE_SCRIPT = /^(db:)?migrat(e|ion|ions)(:(deploy|prod|production|up|run|latest|db|database))?$|^db:(deploy|up)$/;
/**
 * A tool's commands that apply no migration, whatever the script is called: Dokploy's `"migration:up": "drizzle-kit up"`
 * upgrades drizzle-kit's snapshot files (the database never got its tables); generate, studio, status and the rest
 * neither.
 */
const NOT_MIGRATING = /\bdrizzle-kit\s+(up|generate|studio|check|drop|introspect|pull)\b|\bprisma\s+(generate|studio|format|validate|migrate\s+(dev|reset|diff|status|resolve))\b|\btypeorm\S*\s+migration:(generate|create|revert|show)\b|\bknex\s+migrate:(make|rollback|down|status)\b/;
/**
 * A script that migrates the project's own way: named like a migration, applying one, and not the tool's own migrate
 * command over migrations nobody committed (rybbit's `drizzle-kit migrate` with no ./drizzle applies nothing).
 */
function migratesOwnWay(name: string, cmd: string, nothingCommitted: boolean): boolean {
  return MIGRATE_SCRIPT.test(name) && !NOT_MIGRATING.test(cmd) && !(nothingCommitted && TOOLS.some((t) => t.script.test(cmd)));
}

const EMPTY: MigrationFacts = { tool: null, command: null, directory: null, files: [], evidence: [] };

function filesUnder(run: SourceRun, dir: string, pattern: RegExp): string[] {
  const prefix = dir + '/';
  // Outside the unit only where its tooling lives (callers name those directories): an Nx project's migrations at the
  // workspace root, a workspace package's, the root schema's a unit opens the client of (plunk).
  const files = run.ctx.unit && !prefix.startsWith(run.ctx.unit + '/') ? filesIn(run.ctx.repo.files, prefix) : run.ctx.unitFiles;
  return files.filter((f) => f.startsWith(prefix) && pattern.test(f)).sort();
}

/**
 * The first of these unit-relative directories holding matching files; an Nx project also looks at the workspace root,
 * where its database tooling lives with the root's package.json (makefilm's database/src/migrations).
 */
function firstDirWithFiles(run: SourceRun, rels: readonly string[], pattern: RegExp): string | null {
  const bases = run.ctx.nxRoot ? [run.ctx.unit, ''] : [run.ctx.unit];
  for (const base of bases)
    for (const rel of rels) {
      const dir = joinPath(base, rel);
      if (filesUnder(run, dir, pattern).length > 0) return dir;
    }
  return null;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

/** `migrations: { directory: './db/migrations' }` in knexfile / `'migrations-path'` in .sequelizerc. */
function configuredDir(run: SourceRun, fileRe: RegExp, prop: (obj: ReturnType<typeof objectProp>) => string | null): string | null {
  for (const f of run.ctx.unitFiles) {
    if (!fileRe.test(f)) continue;
    const scan = run.index.scan(f);
    if (!scan) continue;
    const def = scan.exports.get('default');
    const v = def?.node ? run.ev.eval(def.node, scan) : def?.local ? run.ev.evalIdent(scan, def.local, Number.MAX_SAFE_INTEGER, 0) : null;
    if (v?.k !== 'obj') continue;
    const direct = prop(v.node);
    if (direct) return joinPath(dirname(f), direct);
    for (const env of ['production', 'development']) {
      const sub = prop(objectProp(v.node, env));
      if (sub) return joinPath(dirname(f), sub);
    }
  }
  return null;
}

/** `new DataSource(...)` file and its `migrations` glob directory (TypeORM). */
function typeormSource(run: SourceRun): { file: string; dir: string | null; ev: Evidence } | null {
  // The CLI's data source lives in a file of its own (`src/database/data-source.ts`); a module may build another in a factory.
  const named = (f: string) => (/(^|\/)(data-?source|ormconfig|typeorm\.config)[^/]*$/i.test(f) ? 0 : 1);
  for (const s of [...run.astScans].sort((a, b) => named(a.file) - named(b.file)))
    for (const n of newsNamed(s, 'DataSource')) {
      const imp = s.imports.get((unwrap(child(n, 'callee'))?.name as string) ?? '');
      if (imp?.source !== 'typeorm' || imp.imported !== 'DataSource') continue;
      const m = unwrap(objectProp(args(n)[0] ?? null, 'migrations'));
      const first = m?.type === 'ArrayExpression' ? stringValue((m.elements as Array<Parameters<typeof stringValue>[0]>)[0] ?? null) : stringValue(m);
      // TypeORM globs are relative to the working directory (the unit); built paths map back to src/.
      const raw = first ? first.replace(/^\.\//, '').split(/[*{]/)[0]!.replace(/\/$/, '') : null;
      const candidates = raw ? [raw, raw.replace(/^(dist|build|out)\//, 'src/'), raw.replace(/^(dist|build|out)\//, '')] : [];
      const dir = firstDirWithFiles(run, candidates, /\.[cm]?[jt]s$/);
      return { file: s.file, dir, ev: nodeEvidence(s, n.start, 'typeorm-datasource') };
    }
  return null;
}

/** Drizzle runtime migrator: `migrate(db, { migrationsFolder })` from drizzle-orm/<driver>/migrator. */
function drizzleRuntime(run: SourceRun): { file: string; dir: string | null; ev: Evidence } | null {
  for (const s of run.astScans)
    for (const c of drizzleMigrateCalls(s)) {
      const folder = stringValue(objectProp(args(c)[1] ?? null, 'migrationsFolder'));
      return { file: s.file, dir: folder ? joinPath(run.ctx.unit, folder.replace(/^\.\//, '')) : null, ev: nodeEvidence(s, c.start, 'drizzle-runtime-migrate') };
    }
  return null;
}

export function detectMigrations(run: SourceRun, databases: DatabaseFacts[], prisma: (PrismaSchemaFacts & { file: string }) | null, drizzle: { config: string; out: string | null } | null): { migrations: MigrationFacts; findings: Finding[] } {
  const { ctx, hints } = run;
  const exec = hints.execPrefix ?? 'npx';
  const runPrefix = hints.runPrefix ?? 'npm run';
  const pkgFile = ctx.pkgFile ?? ctx.unitPath('package.json');
  // An Nx project has no scripts of its own: the workspace root's are the ones that migrate it.
  const scripts = Object.entries(ctx.nxRoot?.pkg.scripts ?? hints.scripts);
  const scriptFor = (re: RegExp) => scripts.find(([, cmd]) => re.test(cmd));
  const usesOrm = (o: string) => databases.some((d) => d.orm === o);

  let m: MigrationFacts = EMPTY;
  let schemaOnly: string | null = null;
  let pickedScript = false;
  const pick = (tool: Tool, dir: string | null, files: string[], ev: Evidence[], needsScriptFlags: boolean) => {
    const t = TOOLS.find((x) => x.tool === tool)!;
    // Migrations kept in a workspace package (`packages/db/prisma`) run there, with that package's script and config.
    // An Nx project's migrations at the workspace root run there, with the root's scripts.
    const owner = dir ? ((hints.localPackages ?? []).find((p) => dir.startsWith(p.dir + '/')) ?? (ctx.nxRoot && !dir.startsWith(ctx.unit + '/') ? ctx.nxRoot : undefined)) : undefined;
    const own$ = owner ? Object.entries(owner.pkg.scripts ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string') : scripts;
    // The tool's migrate command in a script, else a migrate script by name that runs the tool some other way
    // (`"migration:run": "npm run typeorm -- --dataSource=src/database/data-source.ts migration:run"`).
    const byName = own$.find(([name, cmd]) => MIGRATE_SCRIPT.test(name) && new RegExp(`\\b${t.tool}\\b`).test(cmd) && !NOT_MIGRATING.test(cmd));
    const direct0 = own$.find(([, cmd]) => t.script.test(cmd));
    // A migrate script that runs that one and more (openpanel: "migrate:deploy": "pnpm migrate:deploy:db && pnpm
    // migrate:deploy:code", the second making the ClickHouse tables): the project's whole step.
    const parentOf = (sub: [string, string] | undefined) =>
      sub ? own$.find(([name, cmd]) => name !== sub[0] && MIGRATE_SCRIPT.test(name) && new RegExp(`(?:^|&&|;)\\s*(?:pnpm|npm run|yarn|bun run)\\s+(?:run\\s+)?${escapeRegExp(sub[0])}(?:\\s|$)`).test(cmd) && /&&|;/.test(cmd)) : undefined;
    const parent = parentOf(direct0);
    const direct = parent ? undefined : direct0;
    const sc = parent ?? direct ?? byName;
    // A script that adds flags (--schema, -d datasource, --knexfile) carries config the bare command lacks.
    const flagged = sc && (!direct || new RegExp(`${t.script.source}\\s+--?\\w`).test(sc[1]));
    pickedScript = !!sc && !!(flagged || needsScriptFlags || owner);
    // Run anywhere the Prisma CLI does not find the schema by itself, the bare command names it.
    const own = sc && pickedScript ? `${runPrefix} ${sc[0]}` : `${exec} ${t.canonical}${tool === 'prisma' ? prismaSchemaFlag(prisma, owner?.dir ?? ctx.unit) : ''}`;
    const command = owner ? `cd ${posix.relative(ctx.unit, owner.dir)} && ${own}` : own;
    const scriptEv = sc ? [evidence(owner ? joinPath(owner.dir, 'package.json') : pkgFile, 1, 'migrate-script', `"${sc[0]}": "${sc[1]}"`)] : [];
    m = { tool, command, directory: dir, files, evidence: [...ev, ...scriptEv] };
  };

  const prismaSchema = prisma?.path ?? null;
  if (prismaSchema) {
    // A schema split over a folder (`prisma/schema/*.prisma`) keeps its migrations in it or beside it (papermark).
    const dirs = prismaSchema.endsWith('.prisma') ? [joinPath(dirname(prismaSchema), 'migrations')] : [joinPath(prismaSchema, 'migrations'), joinPath(dirname(prismaSchema), 'migrations')];
    const listed = dirs.map((d) => ({ dir: d, files: filesUnder(run, d, /\/migration\.sql$/) }));
    const { dir, files } = listed.find((l) => l.files.length > 0) ?? listed[0]!;
    if (files.length) pick('prisma', dir, files, [evidence(files[0]!, 1, 'prisma-migrations')], false);
    else schemaOnly = `Prisma schema ${prisma!.file} has no committed migrations (prisma db push does not version the schema).`;
  }
  if (!m.tool && (drizzle || usesOrm('drizzle') || ctx.hasDep('drizzle-kit'))) {
    const rt = drizzleRuntime(run);
    const dir = rt?.dir ?? joinPath(ctx.unit, (drizzle?.out ?? 'drizzle').replace(/^\.\//, ''));
    const files = filesUnder(run, dir, /\.sql$/);
    if (files.length) {
      pick('drizzle', dir, files, [evidence(files[0]!, 1, 'drizzle-migrations'), ...(rt ? [rt.ev] : [])], false);
    } else schemaOnly ??= `Drizzle is configured${drizzle ? ` (${drizzle.config})` : ''} but no SQL migrations are committed${drizzle?.out ? ` in ${drizzle.out}` : ''} (drizzle-kit push does not version the schema).`;
  }
  if (!m.tool && (usesOrm('typeorm') || ctx.hasDep('typeorm'))) {
    const ds = typeormSource(run);
    const dir = ds?.dir ?? firstDirWithFiles(run, ['src/migrations', 'src/database/migrations', 'src/db/migrations', 'migrations', 'database/src/migrations'], /\.[jt]s$/);
    const files = dir ? filesUnder(run, dir, /\.[cm]?[jt]s$/) : [];
    if (files.length) {
      pick('typeorm', dir, files, ds ? [ds.ev] : [], false);
      if (!pickedScript && ds) {
        const rel = ds.file.slice(ctx.unit ? ctx.unit.length + 1 : 0);
        const built = /dist\//.test(hints.startCommand ?? '') && /\.ts$/.test(rel) ? rel.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js') : rel;
        m = { ...m, command: /\.ts$/.test(built) ? `${exec} typeorm-ts-node-commonjs migration:run -d ${built}` : `${exec} typeorm migration:run -d ${built}` };
      }
    }
  }
  if (!m.tool && ctx.hasDep('knex')) {
    const dir = configuredDir(run, /(^|\/)knexfile\.[cm]?[jt]s$/, (o) => stringValue(objectProp(objectProp(o, 'migrations'), 'directory'))) ?? joinPath(ctx.unit, 'migrations');
    const files = filesUnder(run, dir, /\.[cm]?[jt]s$/);
    if (files.length) pick('knex', dir, files, [evidence(files[0]!, 1, 'knex-migrations')], false);
  }
  if (!m.tool && (ctx.hasDep('sequelize-cli') || ctx.hasDep('sequelize'))) {
    const rc = ctx.unitPath('.sequelizerc');
    const rcText = run.index.has(rc) ? ctx.repo.read(rc) : null;
    const rcDir = rcText ? /['"]migrations-path['"]\s*:\s*path\.resolve\(\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?/.exec(rcText) : null;
    const dir = rcDir ? joinPath(ctx.unit, joinPath(rcDir[1]!, rcDir[2] ?? '')) : joinPath(ctx.unit, 'migrations');
    const files = filesUnder(run, dir, /\.[cm]?[jt]s$/);
    if (files.length) pick('sequelize', dir, files, [evidence(files[0]!, 1, 'sequelize-migrations')], false);
  }
  if (!m.tool && ctx.hasDep('node-pg-migrate')) {
    const sc = scriptFor(TOOLS[3]!.script);
    const flagDir = sc ? /(?:-m|--migrations-dir)[ =](\S+)/.exec(sc[1])?.[1] : undefined;
    const dir = joinPath(ctx.unit, flagDir ?? 'migrations');
    const files = filesUnder(run, dir, /\.(sql|[cm]?[jt]s)$/);
    if (files.length) pick('node-pg-migrate', dir, files, [evidence(files[0]!, 1, 'node-pg-migrate-migrations')], false);
  }
  if (!m.tool && ctx.hasDep('db-migrate')) {
    // db-migrate reads DATABASE_URL itself; a script may name the directory (`db-migrate --migrations-dir ./src/migrations`).
    const any = scriptFor(/\bdb-migrate\b/);
    const flagDir = any ? /(?:-m|--migrations-dir)[ =](\S+)/.exec(any[1])?.[1]?.replace(/^\.\//, '') : undefined;
    const dir = joinPath(ctx.unit, flagDir ?? 'migrations');
    const files = filesUnder(run, dir, /\.(sql|[cm]?[jt]s)$/);
    if (files.length) {
      pick('db-migrate', dir, files, [evidence(files[0]!, 1, 'db-migrate-migrations')], false);
      // A script that is only the tool with its directory (`"db-migrate": "db-migrate --migrations-dir x"`) needs `up` added.
      if (!scriptFor(TOOLS[6]!.script) && flagDir) m = { ...m, command: `${exec} db-migrate up --migrations-dir ${flagDir}` };
    }
  }
  if (!m.tool && ctx.hasDep('@adonisjs/lucid')) {
    // AdonisJS Lucid: `node ace migration:run` from the source; in the image only the built ace.js can run it
    // (`--force` is required in production).
    const dir = joinPath(ctx.unit, 'database/migrations');
    const files = filesUnder(run, dir, /\.[cm]?[jt]s$/);
    // AdonisJS 5's `ace` has no extension and is copied to build/ace as it is (ferdium-server); 6 compiles ace.js.
    const ace = ctx.repo.files.includes(ctx.unitPath('ace')) && !ctx.repo.files.includes(ctx.unitPath('ace.js')) ? 'build/ace' : 'build/ace.js';
    if (files.length) m = { tool: 'lucid', command: `node ${ace} migration:run --force`, directory: dir, files, evidence: [evidence(files[0]!, 1, 'lucid-migrations')] };
  }
  if (!m.tool && run.hints.framework === 'medusa') {
    // Medusa's own migrations (its modules' and the project's src/migrations) run with its CLI.
    const dir = joinPath(ctx.unit, 'src/migrations');
    m = { tool: 'medusa', command: `${exec} medusa db:migrate`, directory: filesUnder(run, dir, /./).length ? dir : null, files: filesUnder(run, dir, /\.[cm]?[jt]s$/), evidence: [evidence(pkgFile, 1, 'medusa-db-migrate', 'medusa db:migrate')] };
  }
  if (!m.tool) {
    // With no migrations committed the schema is pushed instead (below).
    const sc = scripts.find(([name, cmd]) => migratesOwnWay(name, cmd, !!schemaOnly));
    if (sc) {
      const dir = firstDirWithFiles(run, ['migrations', 'db/migrations', 'src/migrations', 'src/db/migrations', 'database/migrations'], /./);
      // An Nx project's migrate script is the workspace root's, run there.
      m = { tool: 'script', command: `${ctx.nxRoot ? `cd ${posix.relative(ctx.unit, ctx.nxRoot.dir)} && ` : ''}${runPrefix} ${sc[0]}`, directory: dir, files: dir ? filesUnder(run, dir, /\.(sql|[cm]?[jt]s)$/) : [], evidence: [evidence(pkgFile, 1, 'migrate-script', `"${sc[0]}": "${sc[1]}"`)] };
      // The project migrates its own way beside an ORM schema with no migrations of the tool's: that is its step.
      schemaOnly = null;
    }
  }

  // A schema the project pushes instead of migrating (`"prisma:push": "prisma db push --schema=./prisma/schema"`, dub,
  // postiz, big-AGI): without that step a fresh database has no tables, so the deployment runs it, as the project does.
  const pushTool = prismaSchema ? 'prisma' : drizzle || usesOrm('drizzle') ? 'drizzle' : null;
  const push = !m.tool && schemaOnly && pushTool ? pushScript(ctx.nxRoot ? Object.entries(ctx.nxRoot.pkg.scripts ?? {}) : scripts, pushTool, ctx.unit, [...(hints.localPackages ?? []), ...(ctx.rootPkg ? [{ dir: '', pkg: ctx.rootPkg }] : [])]) : null;
  if (push) {
    const command = `${push.dir !== null ? `cd ${posix.relative(ctx.unit, push.dir) || '.'} && ` : ''}${runPrefix} ${push.name}`;
    if (MIGRATE_SCRIPT.test(push.name)) {
      // The project migrates its own way (formbricks' apply-migrations.js over its migration/ folder): that is the step.
      m = { tool: 'script', command, directory: null, files: [], evidence: [evidence(push.file, 1, 'migrate-script', `"${push.name}": "${push.body}"`)] };
      schemaOnly = null;
    } else {
      m = { tool: pushTool!, command, directory: null, files: [], evidence: [evidence(push.file, 1, 'push-script', `"${push.name}": "${push.body}"`)] };
      schemaOnly += ` The deployment runs "${push.name}" (${push.body}) before each version: it changes the schema in place${/accept-data-loss|--force/.test(push.body) ? ' and may drop data (it accepts data loss)' : ''}.`;
    }
  }
  // The production start seeds after migrating (pingvin-share's `prisma migrate deploy && prisma db seed && node …`):
  // the service has rows it cannot run without (its Config table), and the project re-seeds on every start, so the
  // migrate step seeds too; the image's start runs only the server.
  const startText = run.hints.startCommand ?? '';
  if (m.tool === 'prisma' && m.command && /\bprisma\s+migrate\s+deploy\b[^;|]*&&\s*(?:npx\s+)?prisma\s+db\s+seed\b/.test(startText)) {
    m = { ...m, command: `${m.command} && ${run.hints.execPrefix} prisma db seed${prismaSchemaFlag(prisma, ctx.unit)}`, evidence: [...m.evidence, evidence(pkgFile, 1, 'start-seed', startText.slice(0, 160))] };
  }
  // An ORM schema without migrations still names the tool, with nothing to run.
  if (!m.tool && schemaOnly) m = { tool: prismaSchema ? 'prisma' : 'drizzle', command: null, directory: null, files: [], evidence: prisma ? [evidence(prisma.file, 1, 'prisma-schema-no-migrations')] : drizzle ? [evidence(drizzle.config, 1, 'drizzle-config-no-migrations')] : [] };
  const sqlDb = databases.some((d) => d.engine === 'postgres' || d.engine === 'mysql' || d.engine === 'sqlite');
  // The service applies them itself when it starts: no separate step (which would run them a second time, or run a
  // development command: hedgedoc's script migrates its development SQLite file).
  const atStart = m.tool || sqlDb ? startupMigration(run) : null;
  if (atStart) m = { ...(m.tool ? m : { ...m, tool: 'script' as const }), command: null, evidence: [...m.evidence, atStart], at_start: atStart };
  const findings: Finding[] = [];
  const cli = migrationCli(run, m);
  if (cli) {
    m = { ...m, cli };
    findings.push(cliFinding(cli, m.command!, pkgFile));
  }
  if (sqlDb || m.tool || schemaOnly) {
    if (m.at_start) {
      findings.push(finding('migrations', 'database', 'pass', `The service applies its migrations itself when it starts (${m.at_start.file}:${m.at_start.line})${m.files.length ? `: ${m.files.length} committed file(s) in ${m.directory}` : ''}; no separate migrate step runs. Back up the database before an update that migrates.`, null, m.evidence));
    } else if (m.tool && m.command && (m.files.length > 0 || m.tool === 'script' || m.tool === 'medusa') && !schemaOnly) {
      findings.push(finding('migrations', 'database', 'pass', `Migrations: ${m.tool}${m.files.length ? `, ${m.files.length} committed file(s) in ${m.directory}` : ''}; run \`${m.command}\` before the new version takes traffic.`, null, m.evidence));
    } else if (!m.tool && run.hints.framework === 'strapi') {
      // Strapi creates and alters its tables from the content-type schemas when it starts.
      findings.push(finding('migrations', 'database', 'pass', 'Strapi syncs the database schema with its content types at start: no migrate step; back up the database before an update that changes content types.', null, databases[0]?.evidence.slice(0, 1) ?? []));
    } else if (schemaOnly) {
      findings.push(finding('migrations', 'database', 'warn', schemaOnly, usesOrm('drizzle') && !prismaSchema ? 'Run `npx drizzle-kit generate` and commit the migrations folder; deploy with `npx drizzle-kit migrate`.' : 'Run `npx prisma migrate dev --name init` locally and commit prisma/migrations; deploy with `npx prisma migrate deploy`.', []));
    } else if (sqlDb) {
      findings.push(finding('migrations', 'database', 'warn', 'A SQL database is used but no migration tool, committed migrations or migrate script was found: the schema is not reproducible.', 'Adopt a migration tool (prisma migrate, drizzle-kit, node-pg-migrate...), commit the migrations and add a "migrate" script.', databases[0]?.evidence.slice(0, 2) ?? []));
    }
  }
  return { migrations: m, findings };
}

/**
 * The script that pushes the schema to the database with the tool: the unit's, else one of `others` (the workspace
 * packages it runs, then the workspace root: postiz's "prisma-db-push").
 */
function pushScript(scripts: Array<[string, unknown]>, tool: 'prisma' | 'drizzle', unit: string, others: ReadonlyArray<{ dir: string; pkg: { scripts?: Record<string, unknown> } }>): { name: string; body: string; dir: string | null; file: string } | null {
  // `pnpm dlx prisma@6.5.0 db push` names a version too.
  const re = tool === 'prisma' ? /\bprisma(@[\w.-]+)?\s+db\s+push\b/ : /\bdrizzle-kit(@[\w.-]+)?\s+push\b/;
  // A migrate script of the project's own comes first (formbricks' `"db:migrate:deploy": "node ./dist/scripts/apply-migrations.js"`
  // over its `db:push --accept-data-loss`).
  // Asked only where no migrations are committed.
  const find = (list: Array<[string, unknown]>) =>
    list.find((e): e is [string, string] => typeof e[1] === 'string' && migratesOwnWay(e[0], e[1], true)) ??
    list.find((e): e is [string, string] => typeof e[1] === 'string' && re.test(e[1]) && !/watch|dev/i.test(e[0]));
  const own = find(scripts);
  // `dir` null: the unit's own script, run where the unit is.
  if (own) return { name: own[0], body: own[1], dir: null, file: unit ? `${unit}/package.json` : 'package.json' };
  for (const p of others) {
    const found = find(Object.entries(p.pkg.scripts ?? {}));
    if (found) return { name: found[0], body: found[1], dir: p.dir, file: p.dir ? `${p.dir}/package.json` : 'package.json' };
  }
  return null;
}

/** The package whose binary the migrate command runs (a tool's own, or the one a migrate script calls). */
function migrationCli(run: SourceRun, m: MigrationFacts): NonNullable<MigrationFacts['cli']> | null {
  if (!m.command) return null;
  const { ctx } = run;
  // An Nx project's migrate script is the workspace root's (detectMigrations).
  const scripts = [run.hints.scripts, ...[ctx.nxRoot, ...(run.hints.localPackages ?? [])].map((p) => p?.pkg.scripts ?? {})];
  // A script (`npm run migration:run`) runs what its body runs, through `npm run x` a few levels down.
  const name = /\s(?:run\s+)?(\S+)$/.exec(m.command)?.[1];
  const table = name ? scripts.find((s) => typeof s[name] === 'string') : undefined;
  const words = table && name ? scriptWords(table[name]!, table, 0) : [];
  const t = m.tool === 'script' ? TOOLS.find((x) => words.some((w) => w === x.cli || w === x.tool)) : TOOLS.find((x) => x.tool === m.tool);
  // Every package binary the command runs must be in the image: the first that is only a devDependency breaks it.
  const dev = words.find((w) => ctx.hasDep(w) && !ctx.isProdDep(w));
  if (dev) return { package: dev, installed: 'dev' };
  if (!t) return null;
  return { package: t.cli, installed: ctx.isProdDep(t.cli) ? 'prod' : ctx.hasDep(t.cli) ? 'dev' : 'absent' };
}

/** The words of a script, with `npm run x` / `pnpm x` / `yarn x` replaced by script x's words (cycles and depth bounded). */
function scriptWords(body: string, scripts: Record<string, string>, depth: number): string[] {
  const out: string[] = [];
  for (const seg of body.split(/&&|\|\||;|\|/)) {
    const w = seg.trim().split(/\s+/).filter(Boolean);
    const run = w[0] === 'npm' || w[0] === 'pnpm' || w[0] === 'yarn' || w[0] === 'bun' ? (w[1] === 'run' ? w[2] : w[1]) : undefined;
    if (run && typeof scripts[run] === 'string' && depth < 4) out.push(...scriptWords(scripts[run]!, scripts, depth + 1), ...w.slice(w[1] === 'run' ? 3 : 2));
    else out.push(...w);
  }
  return out;
}

function cliFinding(cli: NonNullable<MigrationFacts['cli']>, command: string, pkgFile: string): Finding {
  const ev = [evidence(pkgFile, 1, 'migration-cli', cli.package)];
  if (cli.installed === 'prod') return finding('migration-cli', 'database', 'pass', `The migrate command's ${cli.package} is a production dependency: it is in the image.`, null, ev);
  if (cli.installed === 'dev')
    return finding(
      'migration-cli',
      'database',
      'warn',
      `\`${command}\` runs ${cli.package}, which is only a devDependency: an image pruned of devDependencies cannot run it, and the migrate step fails before the app starts. The generated Dockerfile keeps devDependencies for it (a larger image); a Dockerfile of your own must too.`,
      `Move ${cli.package} to "dependencies" (e.g. \`npm install --save ${cli.package}\`) so the image can drop devDependencies.`,
      ev,
    );
  return finding(
    'migration-cli',
    'database',
    'warn',
    `\`${command}\` runs ${cli.package}, which is not a dependency: npx would download whatever version is newest when the pod starts (a network fetch on every start, and a CLI that may not match the client library).`,
    `Add ${cli.package} to "dependencies" at the version the service was developed with.`,
    ev,
  );
}
