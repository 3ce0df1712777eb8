import { shellWord } from '../shell-word.js';
import { servedBuildFindings, servedBuilds } from './served-builds.js';
import { resolveStart } from './source/port-bind.js';
import { DeployError } from '../errors.js';
import { evidence, lineMatching, type Evidence } from '../evidence.js';
import { ANALYSIS_SCHEMA_VERSION, type Analysis, type DockerfileFacts, type Finding, type Kind, type Unit } from '../state/analysis-schema.js';
import { VERSION } from '../../version.js';
import { buildContext } from './build-context.js';
import { detectCommands } from './commands.js';
import { isPackageDir, type AnalysisContext, type RepoView } from './context.js';
import { detectDockerfile, dockerNodeFile } from './dockerfile.js';
import { detectFramework } from './framework.js';
import { installScriptFindings } from './install-scripts.js';
import { gitDependencies } from './git-dependencies.js';
import { unitRoles } from './unit-roles.js';
import { turboBuildFirst } from './turbo-tasks.js';
import { installInputs, type InstalledPackage } from './install-lifecycle.js';
import { decideKind } from './kind.js';
import { localPackagesOf } from './local-packages.js';
import { nxProjects, type NxProject } from './nx.js';
import { STATIC_BIND, staticSiteFindings } from './static-site.js';
import { adapterFindings, deployableFinding, dockerfileFindings, frameworkRuntimeFindings, noteFindings, startFindings, startRuntimeFinding } from './manifest-findings.js';
import { detectNodeVersion } from './node-version.js';
import { detectPackageManager, PM_COMMANDS } from './package-manager.js';
import { analyzeSource, type SourceMode } from './source/index.js';
import { packagesStartRuns } from './start-delegation.js';
import { detectWorkspaces, isOrchestratorRoot, undeclaredPackages } from './workspaces.js';
import { unitRelPath } from '../unit-path.js';

export interface AnalyzeOptions {
  /** Workspace unit to analyze, relative to the repo root. */
  path?: string;
  /** Clock for generated_at and duration (tests pin it). */
  now?: () => Date;
  /** How source files are read; 'ast' parses every source file (the reference the fast tiers are tested against). */
  sourceMode?: SourceMode;
}

const SUGGEST_ORDER: readonly Kind[] = ['server', 'ssr', 'static', 'worker', 'not-deployable'];

/**
 * The unit's file the project's Dockerfile runs with node (bluesky's PDS: `CMD ["node", "index.js"]`, no start script),
 * unit-relative and resolved as node resolves it, or null.
 */
function imageUnitFile(ctx: AnalysisContext, dockerfile: DockerfileFacts | null): { file: string; args: string[] } | null {
  const run = dockerNodeFile(dockerfile, (p) => (ctx.repo.files.includes(ctx.unitPath(p)) ? ctx.repo.read(ctx.unitPath(p)) : null));
  // As node resolves its main module: `node ./src/www` runs src/www.js.
  const ext = run === null ? undefined : ['', '.js', '.mjs', '.cjs'].find((e) => ctx.repo.files.includes(ctx.unitPath(run.file + e)));
  return ext === undefined ? null : { file: run!.file + ext, args: run!.args };
}

/** Framework and kind of a workspace unit, from its manifest only (cheap: used to list units). */
function classifyUnit(repo: RepoView, dir: string, rootPkg: Parameters<typeof buildContext>[2]): Unit {
  const ctx = buildContext(repo, dir, rootPkg);
  const framework = detectFramework(ctx);
  const dockerfile = detectDockerfile(ctx);
  const imageRunsFile = imageUnitFile(ctx, dockerfile) !== null;
  const { kind } = decideKind(ctx, {
    framework,
    listener: framework.name === 'node-http' ? true : null,
    // The image that runs this package's own file exposes its port (a Dockerfile of the repository may build another).
    portHint: imageRunsFile && (dockerfile?.expose.length ?? 0) > 0,
    orchestratorRoot: false,
    units: [],
    startRunsPackages: [],
    imageRunsFile,
  });
  return { path: dir, name: typeof ctx.pkg?.name === 'string' ? ctx.pkg.name : null, kind, framework: framework.name };
}

/** An Nx project as a unit: what its executors say it is, else what its manifest (the root's dependencies) says. */
function classifyNxProject(repo: RepoView, p: NxProject, rootPkg: Parameters<typeof buildContext>[2]): Unit {
  // The root's dependencies are every project's: a site's framework is not the server framework they list. Sites are
  // listed as analysis judges them (kind.ts): not deployed by sealos-deploy.
  if (p.kind !== null && p.kind !== 'server') return { path: p.dir, name: p.name, kind: p.kind === 'static' || p.kind === 'ssr' ? 'not-deployable' : p.kind, framework: 'none' };
  const byManifest = classifyUnit(repo, p.dir, rootPkg);
  return { path: p.dir, name: p.name, kind: p.kind ?? byManifest.kind, framework: byManifest.framework };
}

/**
 * Analyze a Node.js service from its source. Every fact carries evidence; every checklist item that
 * source can decide becomes a finding. Never throws for bad repo content (that becomes findings);
 * throws DeployError only for a unit that does not exist.
 */
export function analyzeRepo(repo: RepoView, options: AnalyzeOptions = {}): Analysis {
  const now = options.now ?? (() => new Date());
  const started = now().getTime();
  const rootCtx = buildContext(repo, '', null);
  const workspace = detectWorkspaces(repo, rootCtx.pkg);
  // Packages no workspace declares: units to choose from when the root has no package.json, and never
  // part of the root package's own source when it has one (a `client/` beside the server).
  const undeclared = workspace?.packages.length ? [] : undeclaredPackages(repo, isPackageDir);
  const unitDirs = workspace?.packages.length ? workspace.packages : rootCtx.pkg || rootCtx.pkgFile ? [] : undeclared;
  const unit = unitRelPath(options.path);
  if (unit && !repo.files.includes(`${unit}/package.json`) && !repo.files.some((f) => f.startsWith(unit + '/'))) {
    throw new DeployError(
      'UNIT_NOT_FOUND',
      `No directory "${unit}" with files in this repository.`,
      unitDirs.length ? `Choose one of: ${unitDirs.join(', ')}` : 'Pass --path relative to the repository root, or omit it.',
    );
  }
  // A package below a workspace root that no workspace pattern takes (socket.io's examples/chat, installed with
  // `npm i` in its own directory from the registry): its own project, not the workspace's, which it never links.
  const outsideWorkspace = !!unit && !!workspace?.packages.length && !workspace.packages.includes(unit) && repo.files.includes(`${unit}/package.json`);
  const ctx = unit ? { ...buildContext(repo, unit, outsideWorkspace ? null : rootCtx.pkg), ...(outsideWorkspace ? { standalone: true } : {}) } : rootCtx;
  const unitWorkspace = outsideWorkspace ? null : workspace;
  // An integrated Nx repository's applications (project.json, no package.json): units to choose from, though their
  // code is the root package's own (never nested units cut out of its source).
  const nx = rootCtx.pkg ? nxProjects(repo) : [];
  const nestedUnits = [...new Set([...unitDirs, ...undeclared])].filter((d) => d !== unit && (!unit || d.startsWith(unit + '/')));
  let localPackages = outsideWorkspace ? [] : localPackagesOf(repo, unit, ctx.pkg, unitDirs);

  const pm = detectPackageManager(ctx);
  const node = detectNodeVersion(ctx);
  const framework = detectFramework(ctx, nestedUnits);
  const dockerfile = detectDockerfile(ctx);

  // Commands are computed twice: first to find the entrypoint the source detectors start from,
  // then again once the kind is known (static sites and libraries have no start command).
  const imageFile = imageUnitFile(ctx, dockerfile);
  const imageStart = imageFile && dockerfile ? { ...imageFile, dockerfile: dockerfile.path } : null;
  const provisional = detectCommands(ctx, pm.facts, framework, 'server', imageStart);
  // An Nx project whose build output the root starts (ghostfolio: `node dist/apps/api/main`) is what the root deploys:
  // the root is that service, whatever its build delegates to nx.
  const rootStarts = new Set(nx.filter((p) => !unit && p.output !== null && p.output === provisional.entrypoint).map((p) => p.dir));
  const orchestratorRoot = !unit && (unitDirs.length > 0 || nx.length > 0) && rootStarts.size === 0 && isOrchestratorRoot(ctx, framework.name !== 'none' && framework.name !== 'node-http');
  const sourceHints = {
    framework: framework.name,
    nextOutput: typeof framework.details.output === 'string' ? framework.details.output : null,
    // An Nx project's build output maps to the source its build starts from (project.json's main).
    entrypoint: provisional.start_source === 'nx' ? (provisional.source_main ?? ctx.nx?.output ?? null) : provisional.entrypoint ? ctx.unitPath(provisional.entrypoint) : null,
    startCommand: provisional.resolved_start,
    scripts: ctx.pkg?.scripts ?? {},
    dockerfileExpose: { ports: dockerfile?.expose ?? [], evidence: dockerfile?.evidence ?? [], ...(dockerfile?.port_env ? { env: dockerfile.port_env } : {}) },
    nestedUnits,
    siblingUnits: new Set([...unitDirs, ...undeclared]).size,
    localPackages,
    runPrefix: PM_COMMANDS[pm.facts.name].run,
    execPrefix: PM_COMMANDS[pm.facts.name].exec,
  };
  let source = analyzeSource(ctx, sourceHints, options.sourceMode);
  // Workspace packages the code imports that only the root declares run in the unit's process too: read them as well.
  const withRoot = unit ? localPackagesOf(repo, unit, ctx.pkg, unitDirs, { pkg: rootCtx.pkg, imported: new Set(source.imported_packages) }) : localPackages;
  if (withRoot.length > localPackages.length) {
    localPackages = withRoot;
    source = analyzeSource(ctx, { ...sourceHints, localPackages }, options.sourceMode);
  }
  const decided = decideKind(ctx, {
    framework,
    listener: source.listener,
    // A PORT read with a default but no listen call found (an object handed to an unfollowed server, or a
    // library's fake location) says "server" only beside a start script, like a port flag does.
    portHint: source.port.source === 'script-flag' || source.port.source === 'dockerfile' || source.port.source === 'code',
    cliServer: source.cli_server,
    orchestratorRoot,
    units: [...unitDirs, ...nx.map((p) => p.dir)],
    // Also a workspace root: logto's `cd packages/core && npm start` (it has vite among its tools, no app of its own).
    startRunsPackages: unit ? [] : packagesStartRuns(ctx.pkg?.scripts ?? {}, unitDirs.length ? unitDirs : undeclared),
    // bluesky's PDS: no start script, `main` runs the server, and the Dockerfile's CMD is `node index.js`.
    imageRunsFile: imageFile !== null,
  });
  const { kind } = decided;
  let reason = decided.reason;
  // A root package that is no service (tooling, a library) over packages of its own (`server/`): those are
  // what to deploy, listed and suggested like workspace units.
  const candidates =
    !unit && kind === 'not-deployable' && unitDirs.length === 0 && undeclared.length > 0 ? undeclared.filter((d) => classifyUnit(repo, d, rootCtx.pkg).kind !== 'not-deployable') : [];
  if (candidates.length) reason = `monorepo root: the root package is not a service (${reason}); choose one of the packages below it with --path (${candidates.join(', ')})`;
  let commands = kind === 'server' ? provisional : detectCommands(ctx, pm.facts, framework, kind, imageStart);
  // An inferred start replaced by `node <file>` (unit-relative), with the evidence of that file and of why.
  const runFile = (rel: string, entryEv: Evidence, why: Evidence) => {
    const start = `node ${shellWord(rel)}`;
    commands = { ...commands, start, start_source: 'file', resolved_start: start, entrypoint: rel, entrypoint_evidence: [entryEv], evidence: [...commands.evidence, why] };
  };
  // A start inferred from `main` or a conventional file that never loads the listener (github-readme-stats: main is the
  // library's barrel, express.js listens): node runs the file that listens.
  const listenerFile = source.unloaded_listener;
  if (kind === 'server' && listenerFile && (commands.start_source === 'main' || (commands.start_source === 'file' && !commands.evidence.some((e) => e.rule === 'dockerfile-node-file'))) && /\.[cm]?js$/.test(listenerFile) && listenerFile.startsWith(unit ? unit + '/' : '')) {
    const rel = unit ? listenerFile.slice(unit.length + 1) : listenerFile;
    runFile(rel, evidence(listenerFile, 1, 'entrypoint', rel), evidence(listenerFile, 1, 'listener-file', `${commands.entrypoint ?? 'the inferred start'} never loads the listener in ${rel}`));
  }
  // A start inferred from `main` when main only declares and exports (maildev's packages/cli: dist/index.js is the API,
  // dist/bin/maildev.js the program): node runs the package's one program, its `bin`, as its own Dockerfile does.
  const bin = packageBin(ctx.pkg);
  if ((kind === 'server' || kind === 'worker') && commands.start_source === 'main' && source.entry_defines_only && bin) {
    const pkgFile = ctx.pkgFile ?? ctx.unitPath('package.json');
    const ev = evidence(pkgFile, lineMatching(repo.read(pkgFile) ?? '', /"bin"\s*:/), 'package-bin', bin);
    runFile(bin, ev, ev);
  }
  // The packages whose own install scripts run: the unit's, the workspace root's (it installs from there), and the
  // workspace packages installed with the unit. An Nx project has no scripts of its own.
  const installed: InstalledPackage[] = [
    ...(ctx.pkg && ctx.pkgFile && !ctx.nx ? [{ dir: unit, pkg: ctx.pkg }] : []),
    ...(unit && rootCtx.pkg && (unitWorkspace || ctx.nx) ? [{ dir: '', pkg: rootCtx.pkg }] : []),
    ...localPackages.map((p) => ({ dir: p.dir, pkg: p.pkg })),
  ];
  const install = installInputs(repo, installed);
  // What the image lays out before the server: the start script's own file copies, then configs from their templates.
  // A copy the start script already makes (mirotalk's `test -f app/src/config.js || cp …`) is not made twice.
  const copies = source.config_copies.filter((c) => !commands.prepare?.includes(c.to));
  const gitDeps = gitDependencies(repo, pm.facts, installed);
  const buildFirst = commands.build ? turboBuildFirst(ctx) : { scripts: [], evidence: [] };

  let port = source.port;
  if (ctx.config?.port !== undefined) {
    port = { ...port, value: ctx.config.port, source: 'config', evidence: [evidence(ctx.config.path, 1, 'config-port', `port: ${ctx.config.port}`), ...port.evidence] };
  } else if (kind === 'static') {
    port = { value: 8080, reads_env: false, env_name: null, default: null, source: 'static-server', evidence: [] };
  }
  const health = ctx.config?.health_path && !source.health.paths.includes(ctx.config.health_path)
    ? { ...source.health, paths: [ctx.config.health_path, ...source.health.paths] }
    : source.health;

  // What the image must keep of the devDependencies: the start command's TypeScript runner, what the code imports.
  const runtimeDev = kind === 'static' ? [] : [...new Set([...(commands.runtime_dev ?? []), ...source.dev_imports])];
  const staticDetails = framework.details;
  const static_site =
    kind === 'static'
      ? {
          output_dir:
            typeof staticDetails.output_dir === 'string'
              ? staticDetails.output_dir
              : framework.name === 'nextjs'
                ? 'out'
                : framework.name === 'react-router'
                  ? 'build/client'
                  : framework.name === 'sveltekit'
                    ? 'build'
                    : 'dist',
          // A page per route: astro, Next's export and Docusaurus write each one; a SPA falls back to index.html.
          spa: framework.name !== 'astro' && framework.name !== 'nextjs' && framework.name !== 'docusaurus' && framework.name !== 'gatsby',
        }
      : null;

  // What the server serves that another package builds (a UI): the image builds it too.
  const serving =
    kind === 'server' || kind === 'ssr'
      ? servedBuilds(repo, unit, source.served_paths, unitWorkspace?.packages ?? [], new Set(localPackages.filter((p) => typeof p.pkg.scripts?.build === 'string').map((p) => p.dir)), [ctx.pkg?.scripts ?? {}, ...(unit ? [rootCtx.pkg?.scripts ?? {}] : [])] as Record<string, string>[], ctx.config?.build_command ?? commands.build)
      : [];
  // A unit outside any workspace is built from its own directory: a package beside it is not in that context.
  const served = unit && !unitWorkspace ? serving.filter((b) => b.path.startsWith(unit + '/')) : serving;
  const unbuildable = serving.filter((b) => !served.includes(b));
  const units = unitRoles(repo, [...(candidates.length ? candidates : unitDirs).map((d) => classifyUnit(repo, d, rootCtx.pkg)), ...nx.map((p) => classifyNxProject(repo, p, rootCtx.pkg))]);
  // A root with no package.json over packages of its own has nothing to build, start or lock: only the choice.
  const bareRoot = !ctx.pkg && !ctx.pkgFile && unitDirs.length > 0;
  // The unit most likely meant first in the suggestion: services, then sites, then workers, never a shared library first.
  const suggested = units.filter((u) => !rootStarts.has(u.path)).sort((a, b) => SUGGEST_ORDER.indexOf(a.kind) - SUGGEST_ORDER.indexOf(b.kind));
  const findings: Finding[] = [
    ...noteFindings(ctx),
    ...deployableFinding(ctx, kind, reason, suggested),
    ...(bareRoot
      ? []
      : [
          ...startFindings(ctx, commands, kind),
          ...[startRuntimeFinding(commands, kind, pm.facts.name, dockerfile)].filter((f): f is Finding => f !== null),
          ...adapterFindings(framework, kind),
          ...frameworkRuntimeFindings(ctx, framework),
          ...pm.findings,
          // The lockfile's own package.json holds the policy: the unit's, or the workspace root's.
          ...installScriptFindings(ctx, pm.facts, pm.facts.lockfile?.startsWith(`${unit}/`) ? ctx.pkg : rootCtx.pkg),
          ...node.findings,
        ]),
    ...dockerfileFindings(dockerfile, port.value, port.reads_env && (port.env_name ?? 'PORT') === 'PORT'),
    ...servedBuildFindings(served, unbuildable, unit),
    ...(kind === 'not-deployable' ? [] : kind === 'static' ? staticSiteFindings(source.findings) : source.findings),
  ];

  return {
    schema_version: ANALYSIS_SCHEMA_VERSION,
    generated_at: now().toISOString(),
    tool: { name: 'sealos-deploy', version: VERSION },
    project: { name: repo.root.split(/[\\/]/).filter(Boolean).pop() ?? '', package_name: typeof ctx.pkg?.name === 'string' ? ctx.pkg.name : null, path: unit, git: repo.git },
    package_manager: pm.facts,
    node: node.facts,
    framework: { name: framework.name, version: framework.version, details: framework.details, evidence: framework.evidence },
    kind,
    kind_reason: reason,
    commands: {
      install: commands.install,
      build: commands.build,
      start: commands.start,
      start_source: commands.start_source,
      start_issues: commands.start_issues,
      start_script: commands.start_source === 'script' ? scriptBody(commands.resolved_start, (ctx.pkg?.scripts as Record<string, string> | undefined) ?? {}) : null,
      ...(install.paths.length ? { install_needs: install.paths } : {}),
      ...(gitDeps.length ? { install_programs: ['git'] } : {}),
      ...(buildFirst.scripts.length ? { build_first: buildFirst.scripts } : {}),
      ...(commands.prepare ? { prepare: commands.prepare } : {}),
      ...(copies.length ? { config_copies: copies } : {}),
      ...(runtimeDev.length ? { runtime_dev: runtimeDev } : {}),
      ...(Object.keys(source.build_env).length ? { build_env: source.build_env } : {}),
      evidence: [...commands.evidence, ...install.evidence, ...gitDeps, ...buildFirst.evidence],
    },
    entrypoint: commands.entrypoint,
    entrypoint_evidence: commands.entrypoint_evidence,
    static_site,
    port,
    bind: kind === 'static' ? STATIC_BIND : source.bind,
    env_vars: source.env_vars,
    env_files: source.env_files,
    health,
    database: source.database,
    databases: source.databases,
    migrations: source.migrations,
    process: source.process,
    dockerfile,
    config: ctx.config,
    workspace: unitWorkspace ? { tools: unitWorkspace.tools, patterns: unitWorkspace.patterns, evidence: unitWorkspace.evidence } : null,
    units,
    ...(ctx.nx ? { nx_project: { name: ctx.nx.name, file: ctx.nx.file, output: ctx.nx.output, source_main: ctx.nx.sourceMain } } : {}),
    ...(served.length ? { served_builds: served } : {}),
    ...(kind !== 'static' && source.system_programs.length ? { system_programs: source.system_programs } : {}),
    ...(localPackages.length ? { local_packages: localPackages.map((p) => ({ path: p.dir, name: p.name, build: typeof p.pkg.scripts?.build === 'string', ...(p.rootDeclared ? { root_declared: true } : {}) })) } : {}),
    findings,
    skipped: [...repo.skipped, ...source.skipped],
    stats: { files_listed: repo.files.length, files_read: repo.readCount, files_cached: repo.scanCache?.hits ?? 0, duration_ms: now().getTime() - started },
  };
}

/** The script a start script runs, through `npm run x` / `yarn x` (a few levels; cycles stop). */
function scriptBody(body: string | null, scripts: Record<string, string>): string | null {
  let cur = body;
  for (let i = 0; i < 5 && cur; i++) {
    const next = resolveStart(cur, scripts);
    if (next === null || next === cur) break;
    cur = next;
  }
  return cur;
}

/** The package's one program: `bin` as a path, or its only entry (or the one named as the package), unit-relative. */
function packageBin(pkg: AnalysisContext['pkg']): string | null {
  const bin: unknown = pkg?.bin;
  const name = typeof pkg?.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : null;
  const file = typeof bin === 'string' ? bin : bin && typeof bin === 'object' ? (Object.keys(bin).length === 1 ? Object.values(bin)[0] : name ? (bin as Record<string, unknown>)[name] : null) : null;
  return typeof file === 'string' && file.trim() ? file.trim().replace(/^\.\//, '') : null;
}
