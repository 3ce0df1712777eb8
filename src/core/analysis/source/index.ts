import { servedPaths } from './served-paths.js';
import type { Finding } from '../../state/analysis-schema.js';
import { isPackageDir, isSourceFile, unitSourceFiles, type AnalysisContext } from '../context.js';
import { packageSourceFiles, specifierPackage, withLocalPackages } from '../local-packages.js';
import { detectDatabase, prismaSchemaText } from './database.js';
import { detectEnvFiles } from './env-files.js';
import { buildTimeEnvFindings, localhostDefaultFindings, detectEnvVars, envVarFindings } from './env-vars.js';
import { detectHealth, isHealthPath } from './health.js';
import { applyHelperDefaults } from './helper-defaults.js';
import { clusterWorkerFindings } from './cluster-workers.js';
import { uploadFindings } from './uploads.js';
import { configFileFindings } from './config-files.js';
import { platformCronFindings } from './platform-crons.js';
import { pathAliasFindings } from './path-aliases.js';
import { convictEnvVars } from './convict.js';
import { detectMigrations } from './migrations.js';
import { Evaluator, SourceIndex } from './modules.js';
import { entrySource, tsOutDirs } from '../build-output.js';
import { devImports } from './dev-imports.js';
import { loadedFrom } from './loaded-files.js';
import { systemPrograms } from './system-programs.js';
import { NEXT_CONFIGS, SPA_BUNDLERS, SSR_FRAMEWORKS } from '../framework.js';
import { bindFromEnvVars, detectPortBind, portFromEnvVars } from './port-bind.js';
import { detectProcess } from './process-signals.js';
import { collectRoutes, fileRoutePath } from './routes.js';
import { mayMatter } from './light-scan.js';
import { envValidationFindings, skipValidationEnv } from './skip-validation.js';
import type { FileScan } from './scan.js';
import { child, children, type Node } from './ast.js';
import { dotenvRequired } from './dotenv-required.js';
import { configTemplates } from './config-templates.js';
import { httpDatabaseDriverFindings } from './http-database-drivers.js';
import { buildStandIns } from './build-stand-ins.js';
import { sveltekitStaticEnvFindings } from './sveltekit-env.js';
import { isAdminPath, securityFindings } from './security.js';
import type { ConfigEnvVar, SourceFacts, SourceHints, SourceRun } from './types.js';
import { lineOf } from '../../evidence.js';

export type { SourceFacts, SourceHints } from './types.js';

/** Reads the unit's code with a parser and reports port, bind, env, health, database, migrations, process and security facts. */
/**
 * How source files are read. 'tiered': every file through the token-level tier, and the parser for
 * files it cannot fully read (the entrypoint, file routes, files with calls some concern inspects)
 * plus files the evaluator follows. 'ast': the parser for every file: the reference the tiers are
 * tested against.
 */
export type SourceMode = 'tiered' | 'ast';

/**
 * When the start command runs build output that has no source in the repository (a published package,
 * committed `dist/`), that output is the only code there is: read its directory as the source.
 */
function withBuildOutput(ctx: AnalysisContext, files: string[], inSource: ReadonlySet<string>, entry: string | null): string[] {
  if (!entry || inSource.has(entry)) return files;
  const prefix = ctx.unit ? ctx.unit + '/' : '';
  const top = entry.slice(prefix.length).split('/')[0];
  if (!top || top === entry.slice(prefix.length)) return [...files, entry];
  const root = prefix + top + '/';
  const built = ctx.unitFiles.filter((f) => f.startsWith(root) && !inSource.has(f) && isSourceFile(f.slice(root.length)));
  // The entrypoint itself even without a source extension (`bin/server`, run by `node bin/server`).
  return [...files, ...(built.includes(entry) ? [] : [entry]), ...built];
}

export function analyzeSource(unitCtx: AnalysisContext, hints: SourceHints, mode: SourceMode = 'tiered'): SourceFacts {
  // The unit's workspace packages run in its process: their code, dependencies and schemas are the service's too.
  const locals = hints.localPackages ?? [];
  const ctx = withLocalPackages(unitCtx, locals);
  const sourceFiles = [...unitSourceFiles(unitCtx, hints.nestedUnits), ...locals.flatMap((p) => packageSourceFiles(ctx, p.dir))];
  const inSource = new Set(sourceFiles);
  // The source file behind the entrypoint; else the entrypoint itself when it exists (build output only).
  const entry = entrySource({ has: (p) => inSource.has(p) }, hints.entrypoint, ctx.unit, tsOutDirs(ctx)) ?? (hints.entrypoint && ctx.repo.files.includes(hints.entrypoint) ? hints.entrypoint : null);
  const files = withBuildOutput(ctx, sourceFiles, inSource, entry);
  const index = new SourceIndex(ctx, files, locals);
  // Shared libraries the unit imports through tsconfig aliases (Nx `libs/`, `libraries/`) run in its process too.
  files.push(...index.aliasedFiles(files));
  const ev = new Evaluator(index);
  const unitPrefix = ctx.unit ? ctx.unit + '/' : '';

  let scans: FileScan[] = [];
  for (const f of files) {
    const s = mode === 'ast' || f === entry || (f.startsWith(unitPrefix) && fileRoutePath(f.slice(unitPrefix.length))) ? index.scan(f) : index.tiered(f);
    if (s) scans.push(s);
  }
  let routes = collectRoutes(scans, index, ev, ctx.unit, hints.framework === 'sails');
  // Health and admin routes are judged by their handlers and middleware: parse the files that declare them.
  const promote = new Set(routes.filter((r) => r.scan?.lightRoutes && (isHealthPath(r.path) || isAdminPath(r.path))).map((r) => r.file));
  if (promote.size > 0) {
    scans = scans.map((s) => (promote.has(s.file) ? index.scan(s.file) : s)).filter((s): s is FileScan => s !== null);
    routes = collectRoutes(scans, index, ev, ctx.unit, hints.framework === 'sails');
  }
  // A token-tier scan passed mayMatter to exist; a parsed file (every file in 'ast' mode, the entrypoint) is asked.
  const matterScans = scans.filter((s) => s.lightRoutes !== undefined || mayMatter(s.parsed.text));
  const run: SourceRun = { ctx, hints, index, ev, scans, astScans: scans.filter((s) => !s.lightRoutes), matterScans, routes, entry };
  applyHelperDefaults(run);

  const portFirst = detectPortBind(run);
  const health = detectHealth(run, portFirst.main?.scan.file ?? null);
  const envFiles = detectEnvFiles(ctx);
  const prismaConfigVars: ConfigEnvVar[] = [];
  for (const f of ctx.unitFiles) {
    // The service's own schemas: not a test fixture's, nor a nested package's.
    if (!f.endsWith('.prisma') || !isPackageDir(f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '') || hints.nestedUnits.some((u) => f.startsWith(u + '/'))) continue;
    const raw = ctx.repo.read(f);
    if (!raw) continue;
    const text = prismaSchemaText(raw);
    const re = /env\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) prismaConfigVars.push({ name: m[1]!, file: f, line: lineOf(text, m.index) });
  }
  // node-config maps configuration keys onto environment variables in a file of its own.
  const configVars = [...prismaConfigVars, ...(ev.nodeConfigFacts()?.envVars ?? []), ...convictEnvVars(ev, run.astScans)];
  const envVars = detectEnvVars(run, envFiles.example, configVars, portFirst.port.value);
  const portBind = bindFromEnvVars(portFromEnvVars(portFirst, envVars), envVars, hints.framework);
  const db = detectDatabase(run, envVars);
  const migrations = detectMigrations(run, db.databases, db.prismaSchema, db.drizzle);
  const proc = detectProcess(run, portBind.listeners, portBind.cliServer, portBind.main?.scan.file ?? null);

  // The file that listens when the entrypoint never loads it, for an entrypoint that runs nothing itself (a barrel of
  // re-exports; one that calls something is a program): index.ts then starts that file.
  const entryRunsNothing = entry !== null && (index.scan(entry)?.calls.length ?? 1) === 0;
  const unloadedListener = portBind.main && entry && entryRunsNothing && portBind.main.scan.file !== entry && !loadedFrom(run, entry).has(portBind.main.scan.file) ? portBind.main.scan.file : null;
  // dev-dependency imports, from what runs: only the kinds that run the unit's own code in Node (a static site and a
  // framework server bundle theirs). Next.js bundles the app, but `next start` still loads next.config, whose imports
  // must be installed (chatbot-ui's @next/bundle-analyzer); not with output standalone, whose server.js embeds it.
  const nextConfig = hints.framework === 'nextjs' && hints.nextOutput !== 'standalone' ? (NEXT_CONFIGS.map((f) => ctx.unitPath(f)).find((f) => index.has(f)) ?? null) : null;
  const dev = nextConfig ? devImports(run, nextConfig, { bundled: false }) : hints.framework && !SSR_FRAMEWORKS.has(hints.framework) && !SPA_BUNDLERS.has(hints.framework) ? devImports(run, unloadedListener ?? entry) : { packages: [], findings: [] };
  const programs = systemPrograms(run);
  const dotenvFile = dotenvRequired(run);
  const templates = configTemplates(run);
  const findings: Finding[] = [
    ...portBind.findings,
    ...health.findings,
    ...envVarFindings(envVars, envFiles.example),
    ...localhostDefaultFindings(envVars, portBind.port.value, portBind.bind.env_name ?? null),
    ...buildTimeEnvFindings(run, envVars),
    ...(hints.framework === 'sveltekit' ? sveltekitStaticEnvFindings(run) : []),
    ...envValidationFindings(run, envVars),
    ...envFiles.findings,
    ...db.findings,
    ...httpDatabaseDriverFindings(run, db.databases.some((d) => d.engine === 'postgres')),
    ...migrations.findings,
    ...proc.findings,
    ...clusterWorkerFindings(run),
    ...pathAliasFindings(run),
    ...uploadFindings(run),
    ...configFileFindings(run),
    ...platformCronFindings(run),
    ...securityFindings(run),
    ...dev.findings,
    ...programs.findings,
    ...dotenvFile.findings,
    ...templates.findings,
  ];
  return {
    port: portBind.port,
    bind: portBind.bind,
    env_vars: envVars,
    env_files: dotenvFile.file ? { ...envFiles.facts, required_at_start: dotenvFile.file } : envFiles.facts,
    health: health.health,
    database: db.database,
    databases: db.databases,
    migrations: migrations.migrations,
    process: proc.process,
    listener: portBind.main !== null,
    // The file that listens, when what the start runs never loads it (github-readme-stats: main is a library barrel,
    // express.js listens): what an inferred start should run instead.
    unloaded_listener: unloadedListener,
    config_copies: templates.copies,
    entry_defines_only: entry !== null && definesOnly(index.scan(entry)),
    cli_server: portBind.cliServer,
    findings,
    build_env: { ...buildStandIns(run, envVars), ...db.buildEnv, ...skipValidationEnv(run) },
    dev_imports: dev.packages,
    system_programs: programs.programs,
    imported_packages: [...new Set(scans.flatMap((s) => [...s.importSources].map(specifierPackage).filter((x): x is string => x !== null)))].sort(),
    served_paths: servedPaths(run),
    parsed_files: index.parsedCount,
    skipped: index.skipped,
  };
}

const DECLARATIONS = new Set(['ImportDeclaration', 'ExportAllDeclaration', 'ClassDeclaration', 'FunctionDeclaration', 'TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSEnumDeclaration', 'TSModuleDeclaration', 'TSDeclareFunction', 'EmptyStatement']);

/**
 * Whether a module only declares and exports (maildev's dist/index.js: re-exports and the MailDev class): loading it
 * runs nothing, so a process started on it exits at once. A variable's initializer that calls or constructs runs.
 */
function definesOnly(scan: FileScan | null): boolean {
  if (!scan) return false;
  const body = children(scan.parsed.program, 'body');
  const quiet = (n: Node | null): boolean => {
    if (!n) return true;
    if (DECLARATIONS.has(n.type)) return true;
    if (n.type === 'ExportNamedDeclaration') return quiet(child(n, 'declaration'));
    if (n.type === 'ExportDefaultDeclaration') return ['ClassDeclaration', 'FunctionDeclaration', 'Identifier', 'ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression'].includes(child(n, 'declaration')?.type ?? '');
    if (n.type === 'VariableDeclaration') return children(n, 'declarations').every((d) => ['Literal', 'StringLiteral', 'NumericLiteral', 'ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression', 'Identifier', 'ObjectExpression', 'ArrayExpression', undefined].includes(child(d, 'init')?.type));
    return false;
  };
  return body.length > 0 && body.every(quiet);
}
