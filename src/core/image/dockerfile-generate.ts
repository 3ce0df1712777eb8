import { DeployError } from '../errors.js';
import { packageBuilds } from '../analysis/local-packages.js';
import { PM_COMMANDS } from '../analysis/package-manager.js';
import type { Analysis } from '../state/analysis-schema.js';
import { generateDockerignore } from './dockerignore.js';
import { nginxConf, STATIC_PORT } from './nginx-conf.js';
import { packageManagerSteps } from './package-manager-steps.js';
import { isNextStandalone, resolveRuntimeCommand, slimStandalone, standaloneServer, type RuntimeCommand } from './runtime-command.js';
import { deployPort } from '../deploy-port.js';
import { bindEnv } from '../bind-env.js';
import { prismaSchemaFlag } from '../prisma-schema-flag.js';
import { shellWord } from '../shell-word.js';
import { copyCommand } from '../analysis/source/config-templates.js';
import { workspaceGlob } from '../workspace-glob.js';

export const STATIC_RUNTIME_IMAGE = 'nginxinc/nginx-unprivileged:1.27-alpine';
/** uid of the `node` user in node images and of `bun` in oven/bun images; numeric so runAsNonRoot can verify it. */
const APP_UID = '1000';

export interface GeneratedDockerfile {
  text: string;
  /** Repo-relative path the Dockerfile belongs at. */
  path: string;
  /** Repo-relative ignore file next to it: `.dockerignore` at the context root, or `<Dockerfile>.dockerignore` for a unit. */
  dockerignorePath: string;
  /** Build context, repo-relative ("" = the repo root). */
  context: string;
  /** The ignore file's text, with paths relative to the context. */
  dockerignore: string;
  port: number;
  baseImage: string;
  runtime: RuntimeCommand | null;
}

function join(unit: string, rel: string): string {
  return unit ? `${unit}/${rel}` : rel;
}

function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

function isUnder(file: string, dirOrFile: string): boolean {
  return file === dirOrFile || file.startsWith(dirOrFile + '/');
}


/** package.json files of every workspace package, so the install layer is cached on manifests alone. */
function workspaceManifests(analysis: Analysis, files: readonly string[]): string[] {
  const dirs = new Set(analysis.units.map((u) => u.path).filter(Boolean));
  dirs.add(analysis.project.path);
  const patterns = (analysis.workspace?.patterns ?? []).filter((p) => !p.startsWith('!')).map(workspaceGlob);
  return files
    .filter((f) => f.endsWith('/package.json'))
    .filter((f) => {
      const dir = f.slice(0, -'/package.json'.length);
      return dirs.has(dir) || patterns.some((re) => re.test(dir));
    })
    .sort();
}

function installFilesPresent(candidates: string[], files: readonly string[]): string[] {
  return candidates.filter((c) => files.some((f) => isUnder(f, c)));
}

/** COPY of one file or directory to the same path under /app. */
function copyLine(path: string, files: readonly string[]): string {
  if (files.some((f) => f.startsWith(path + '/'))) return `COPY ${path} ./${path}/`;
  return `COPY ${path} ${path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : './'}`;
}

/** The workspace package holding the Prisma schema the unit uses, when it is not the unit's own. */
function prismaSchemaPackage(analysis: Analysis): string | null {
  const schema = [analysis.database, ...analysis.databases].flatMap((d) => d.evidence).find((e) => e.rule === 'prisma-datasource')?.file;
  if (!schema) return null;
  // An Nx project's schema at the workspace root is generated there ("" = /app).
  if (analysis.nx_project && !schema.startsWith(analysis.project.path + '/')) return '';
  return (analysis.local_packages ?? []).find((p) => schema.startsWith(p.path + '/'))?.path ?? null;
}

function usesPrisma(analysis: Analysis): boolean {
  return analysis.migrations.tool === 'prisma' || analysis.database.orm === 'prisma' || analysis.databases.some((d) => d.orm === 'prisma');
}

/** Where Medusa 2's build writes the server it runs (`.medusa/server`), repo-relative; null for other apps. */
function medusaBuildDir(analysis: Analysis): string | null {
  if (analysis.framework.name !== 'medusa' || !/^\D*2\./.test(analysis.framework.version ?? '') || !analysis.commands.build) return null;
  return join(analysis.project.path, '.medusa/server');
}

/** Production dependencies installed in .medusa/server, from the package.json and lockfile the build copies there. */
const MEDUSA_INSTALL: Record<Analysis['package_manager']['name'], string> = {
  npm: 'npm install --omit=dev',
  pnpm: 'CI=true pnpm install --prod --no-frozen-lockfile',
  'yarn-classic': 'yarn install --production',
  // Without a lockfile of its own yarn 2+ would take the directory for part of the project above it.
  'yarn-berry': 'touch -a yarn.lock && yarn workspaces focus --all --production',
  bun: 'bun install --production',
};

/** A package in a subdirectory that is no workspace member builds on its own: its directory is the context. */
function standaloneSubdirectory(analysis: Analysis, files: readonly string[]): GeneratedDockerfile {
  const unit = analysis.project.path;
  const prefix = unit + '/';
  const lockfile = analysis.package_manager.lockfile;
  const rebased: Analysis = {
    ...analysis,
    project: { ...analysis.project, path: '' },
    package_manager: { ...analysis.package_manager, lockfile: lockfile?.startsWith(prefix) ? lockfile.slice(prefix.length) : null },
    commands: { ...analysis.commands, install_needs: (analysis.commands.install_needs ?? []).filter((p) => p === '.' || p.startsWith(prefix)).map((p) => (p === '.' ? p : p.slice(prefix.length))) },
    units: analysis.units.map((u) => (u.path === unit ? { ...u, path: '' } : u)),
    // The Prisma schema where the build context has it (pingvin-share's backend: `--schema backend/prisma/…` found nothing).
    database: rebaseSchema(analysis.database, unit),
    databases: analysis.databases.map((d) => rebaseSchema(d, unit)),
    // Only what sits in the unit's directory is in its build context (the analysis says so of the rest).
    served_builds: (analysis.served_builds ?? []).filter((b) => b.path.startsWith(prefix)).map((b) => ({ ...b, path: b.path.slice(prefix.length), output: b.output.slice(prefix.length) })),
  };
  const inner = generateDockerfile(rebased, files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)));
  return { ...inner, path: `${unit}/Dockerfile`, dockerignorePath: `${unit}/.dockerignore`, context: unit };
}

/** A database's Prisma schema facts relative to the unit's directory instead of the repository root. */
function rebaseSchema<T extends Analysis['database']>(d: T, unit: string): T {
  const schema = d.prisma_schema;
  if (!schema) return d;
  const rel = (p: string) => (p === unit ? '' : p.startsWith(unit + '/') ? p.slice(unit.length + 1) : p);
  return { ...d, prisma_schema: { path: rel(schema.path), found_from: schema.found_from.map(rel) } };
}

/** A site with nothing to build: one nginx stage serving the files as they are. */
function staticOnly(analysis: Analysis, L: string[]): GeneratedDockerfile {
  const unit = analysis.project.path;
  const src = join(unit, (analysis.static_site?.output_dir ?? '.').replace(/^\.\/?/, '').replace(/\/+$/, '')).replace(/\/$/, '') || '.';
  const spa = analysis.static_site?.spa ?? false;
  L.push(`# Static site with no build step: served as-is by unprivileged nginx on ${STATIC_PORT}.`);
  L.push(`FROM ${STATIC_RUNTIME_IMAGE}`);
  L.push(`COPY <<'EOF' /etc/nginx/conf.d/default.conf`, ...nginxConf(spa).replace(/\n$/, '').split('\n'), 'EOF');
  L.push(`COPY ${src === '.' ? '.' : `${src}/`} /usr/share/nginx/html/`, 'USER 101', `EXPOSE ${STATIC_PORT}`, 'CMD ["nginx", "-g", "daemon off;"]', '');
  const path = join(unit, 'Dockerfile');
  return { text: L.join('\n'), path, dockerignorePath: unit ? `${path}.dockerignore` : '.dockerignore', context: '', dockerignore: generateDockerignore(analysis), port: STATIC_PORT, baseImage: STATIC_RUNTIME_IMAGE, runtime: null };
}

/**
 * A build config that reads NODE_ENV (smee.io's webpack.config.js adds the gzip assets the server reads at start only
 * when it is production) builds for production only when told: the runtime is NODE_ENV=production, so is its build.
 * Only the build's RUN: with NODE_ENV=production the install would leave out the devDependencies the build needs.
 */
function buildsForProduction(analysis: Analysis): boolean {
  return analysis.env_vars.some((v) => v.name === 'NODE_ENV' && v.read_by_build);
}

/**
 * Writes a production Dockerfile for the analyzed unit: a base stage with the pinned runtime, a
 * dependency stage cached on manifests, a build stage (build, Prisma client, prune devDependencies)
 * and a slim non-root runtime stage with an exec-form command. Static sites are served by
 * nginx-unprivileged on 8080. `files` is the repo listing (repo-relative) used to copy optional
 * package-manager files that exist.
 */
export function generateDockerfile(analysis: Analysis, files: readonly string[]): GeneratedDockerfile {
  if (analysis.kind === 'not-deployable') {
    throw new DeployError('NOT_DEPLOYABLE', `The analyzed unit is not a deployable service: ${analysis.kind_reason}`, 'Pick a unit that runs a server or builds a static site (sealos-deploy analyze --path <unit>).');
  }
  // The start needs a runtime the generated image does not have (openstatus's `deno run …`): a Node image would start
  // nothing (`node_modules/.bin/deno` is no program any install writes).
  const runtimeMissing = analysis.findings.find((f) => f.id === 'start-runtime' && f.status === 'fail');
  if (runtimeMissing) throw new DeployError('INPUT_MISSING', runtimeMissing.message, runtimeMissing.fix ?? 'Add a Dockerfile whose runtime stage has what the start command runs.');
  const unit = analysis.project.path;
  // No package manager's workspace holds it (none declared; lerna alone, which links packages itself: padloc).
  if (unit && !analysis.nx_project && !analysis.workspace?.patterns.length) return standaloneSubdirectory(analysis, files);
  const pm = analysis.package_manager.name;
  const isStatic = analysis.kind === 'static';
  const workspaceName = analysis.units.find((u) => u.path === unit)?.name ?? null;
  // What the server serves that another package builds (its UI): a workspace member installs with the unit, as a
  // package named explicitly (no dependency of the unit a filter follows); another package installs on its own.
  const served = analysis.served_builds ?? [];
  const servedMembers = served.filter((b) => b.workspace).map((b) => ({ path: b.path, name: b.path, build: false, root_declared: true }));
  const steps = packageManagerSteps(servedMembers.length ? { ...analysis, local_packages: [...(analysis.local_packages ?? []), ...servedMembers] } : analysis, workspaceName);
  const nodeMajor = /^\d+$/.test(analysis.node.version) ? analysis.node.version : (/^(\d+)/.exec(analysis.node.version)?.[1] ?? '22');
  const bunMajor = /^(\d+)/.exec(analysis.package_manager.version ?? '')?.[1] ?? '1';
  const isBun = pm === 'bun';
  const baseImage = isBun ? `oven/bun:${bunMajor}-slim` : `node:${nodeMajor}-bookworm-slim`;
  const port = isStatic ? STATIC_PORT : (deployPort(analysis) ?? 3000);
  const buildScript = analysis.config?.build_command ?? analysis.commands.build;
  const build = steps.build(buildScript);
  const nextStandalone = isNextStandalone(analysis);
  const slim = slimStandalone(analysis);
  const runtime = isStatic ? null : resolveRuntimeCommand(analysis, isBun ? 'bun' : 'node');

  const lockfile = analysis.package_manager.lockfile;
  const manifests = unit ? workspaceManifests(analysis, files) : [];
  const extras = installFilesPresent(steps.installFiles, files);

  const L: string[] = [];
  L.push('# syntax=docker/dockerfile:1');
  L.push(`# Generated by sealos-deploy from .sealos/analysis.json (${pm}${unit ? `, workspace ${unit}` : ''}). It is yours to edit: sealos-deploy never overwrites it.`);
  if (isStatic && !build) return staticOnly(analysis, L);
  if (isBun) {
    L.push(`ARG BUN_VERSION=${bunMajor}`, '', 'FROM oven/bun:${BUN_VERSION}-slim AS base');
  } else {
    L.push(`ARG NODE_VERSION=${nodeMajor}`, '', 'FROM node:${NODE_VERSION}-bookworm-slim AS base');
  }
  L.push('WORKDIR /app');
  const baseEnv = [...steps.env, ...(analysis.framework.name === 'nextjs' ? ['NEXT_TELEMETRY_DISABLED=1'] : [])];
  if (baseEnv.length) L.push(`ENV ${baseEnv.join(' ')}`);
  L.push(...steps.setup);
  // Prisma's engines (the schema engine of `migrate deploy`, the query engine before Prisma 7's client) load libssl,
  // which the slim images lack: Prisma then guesses openssl-1.1 and fails to load them.
  if (usesPrisma(analysis)) L.push('RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*');

  // The project's own install scripts run with the install (`"postinstall": "prisma generate"`): what they read goes in
  // first; scripts that may read anything get the whole source, and the layer is no longer cached on manifests alone.
  const needs = analysis.commands.install_needs ?? [];
  const wholeSource = needs.includes('.');
  L.push('', wholeSource ? "# Dependencies: installed with the source, which the project's own install scripts (package.json) read." : '# Dependencies: cached until a manifest or the lockfile changes.', 'FROM base AS deps');
  // Set in the stages that install and build, never in the runtime image (FROM base): the deployment gives the real values.
  const buildEnv = Object.entries(analysis.commands.build_env ?? {});
  if (buildEnv.length) L.push("# For the build only: stand-ins for variables only the deployment has (prisma.config's env() throws without them), and what makes the project's env validation stand aside.", `ENV ${buildEnv.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
  // Dependencies fetched from git (commands.install_programs): git for the install and the build stages only, and GitHub
  // over HTTPS, since a build has no SSH key (formio's lockfile resolves @formio/* from git+ssh://git@github.com/…).
  if (analysis.commands.install_programs?.includes('git'))
    L.push(
      '# The install fetches dependencies from git repositories: git, and GitHub over HTTPS (a build has no SSH key).',
      'RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/* \\',
      '  && git config --global url."https://github.com/".insteadOf ssh://git@github.com/ \\',
      '  && git config --global --add url."https://github.com/".insteadOf git@github.com:',
    );
  if (wholeSource) L.push('COPY . .');
  else {
    L.push(`COPY ${['package.json', ...(lockfile && !lockfile.includes('/') ? [lockfile] : [])].join(' ')} ./`);
    for (const m of manifests) if (m !== 'package.json') L.push(copyLine(m, files));
    if (lockfile?.includes('/')) L.push(copyLine(lockfile, files));
    // yarn's patches/ may be both an install file and what patch-package reads: copied once.
    for (const p of new Set([...extras, ...needs])) L.push(copyLine(p, files));
  }
  L.push(`RUN ${steps.install}`);

  L.push('', 'FROM deps AS build', 'COPY . .');
  // Nx starts a background daemon for a build unless told not to; a one-off image build has no use for it.
  if (analysis.workspace?.tools.includes('nx')) L.push('ENV NX_DAEMON=false');
  // The Prisma client is generated where its schema lives: a workspace package (`packages/db`) or the unit.
  const schemaPackage = usesPrisma(analysis) ? prismaSchemaPackage(analysis) : null;
  const prismaSchema = [analysis.database, ...analysis.databases].find((d) => d.prisma_schema)?.prisma_schema;
  if (schemaPackage !== null) L.push(`WORKDIR /app${schemaPackage ? `/${schemaPackage}` : ''}`, `RUN ${steps.exec} prisma generate${prismaSchemaFlag(prismaSchema, schemaPackage)}`);
  // Workspace packages the unit runs are built before it, dependencies first (what turbo's `dependsOn: ["^build"]` does);
  // a build command of the user's own (.sealos/config.json) is trusted to do that itself.
  // A package only the root declares (root_declared) is no dependency a filtered build follows: it is built first by name.
  // Only a script run through the workspace filter builds them (a build command written out, such as what is left of a
  // build that also migrated, builds the unit alone).
  const builds = analysis.config?.build_command ? [] : packageBuilds(analysis).filter((p) => !(build && build !== buildScript && steps.buildsDependencies) || p.rootDeclared);
  for (const p of builds) L.push(`WORKDIR /app/${p.path}`, `RUN ${p.command}`);
  for (const b of served) {
    const runScript = `${b.run ?? PM_COMMANDS[pm].run} ${b.script}`;
    // A package outside the workspace leaves no node_modules behind: the runtime copies /app, and needs only the output.
    L.push(`# ${b.output} is served by the server and built here.`, `WORKDIR /app/${b.path}`, `RUN ${b.install ? `${b.install} && ${runScript} && rm -rf node_modules` : runScript}`);
  }
  if (served.length && !unit) L.push('WORKDIR /app');
  if (unit) L.push(`WORKDIR /app/${unit}`);
  // Configs laid out from their committed templates (commands.config_copies), before the build that may compile them.
  const copies = analysis.commands.config_copies ?? [];
  if (copies.length && !isStatic) L.push(`RUN ${copyCommand(copies)}`);
  // What turbo runs before the unit's build (commands.build_first): a filtered `run build` does not.
  if (build && !analysis.config?.build_command) for (const script of analysis.commands.build_first ?? []) L.push(`RUN ${PM_COMMANDS[pm].run} ${script}`);
  if (usesPrisma(analysis) && schemaPackage === null) L.push(`RUN ${steps.exec} prisma generate${prismaSchemaFlag(prismaSchema, unit)}`);
  // A workspace-filtered build (what steps.build makes of a script name) names the unit by its path from the root:
  // from the unit's directory `npm run build --workspace=apps/web` finds no workspace and pnpm's `{apps/web}...`
  // matches nothing (and exits 0, building nothing). A command run as written runs in the unit.
  if (build && unit && build !== buildScript) L.push('WORKDIR /app');
  if (build) L.push(`RUN ${buildsForProduction(analysis) ? 'NODE_ENV=production ' : ''}${build}`);
  // What `npm start` would lay out before the server (a config copied from its template): the image starts the server itself.
  if (analysis.commands.prepare && !isStatic) L.push(...(unit ? [`WORKDIR /app/${unit}`] : []), `RUN ${analysis.commands.prepare}`);
  // The service stops at start without its env file (env_files.required_at_start): an empty one, the deployment sets the values.
  const envFile = analysis.env_files.required_at_start;
  if (envFile && !isStatic) L.push('# The service stops at start without this env file: an empty one (the deployment sets the variables).', ...(unit ? [`WORKDIR /app/${unit}`] : []), `RUN touch ${shellWord(envFile)}`);
  if (unit) L.push('WORKDIR /app');
  // Medusa 2 runs what `medusa build` writes to .medusa/server (compiled config, the admin in public/admin) with its own
  // production dependencies: from the project root it stops, finding no admin build. The runtime ships only that.
  const medusaServer = medusaBuildDir(analysis);
  if (medusaServer) L.push(`WORKDIR /app/${medusaServer}`, `RUN ${MEDUSA_INSTALL[pm]}`, 'WORKDIR /app');
  // The migrate init container runs this image: a migration CLI that is only a devDependency must survive.
  const keepDev = analysis.migrations.cli?.installed === 'dev' && analysis.migrations.command ? analysis.migrations.cli.package : null;
  const runtimeDev = analysis.commands.runtime_dev ?? [];
  if (medusaServer) L.push('# The server ships with the dependencies installed in its build directory.');
  else if (runtimeDev.length) L.push(`# devDependencies kept: the service needs ${runtimeDev.join(', ')} at run time (move ${runtimeDev.length > 1 ? 'them' : 'it'} to dependencies to prune the rest).`);
  else if (keepDev) L.push(`# devDependencies kept: the migrate step runs ${keepDev}, a devDependency (move it to dependencies to prune them).`);
  else if (!isStatic && !slim) L.push(`RUN ${steps.prune}`);
  // The whole app ships (its migrate step needs it): server.js serves the static assets and public/ from beside it.
  if (nextStandalone && !slim) {
    const beside = join(unit, standaloneServer(unit)).replace(/server\.js$/, '');
    L.push(`RUN cp -r ${join(unit, '.next/static')} ${beside}.next/static${files.some((f) => f.startsWith(join(unit, 'public/'))) ? ` && cp -r ${join(unit, 'public')} ${beside}public` : ''}`);
  }

  L.push('');
  if (isStatic) {
    const out = (analysis.static_site?.output_dir ?? 'dist').replace(/^\.\//, '').replace(/\/+$/, '');
    const spa = analysis.static_site?.spa ?? true;
    L.push(`# Static site: served by unprivileged nginx on ${STATIC_PORT}${spa ? ', unknown paths fall back to index.html (SPA routing)' : ''}.`);
    L.push(`FROM ${STATIC_RUNTIME_IMAGE} AS runtime`);
    L.push(`COPY <<'EOF' /etc/nginx/conf.d/default.conf`);
    L.push(...nginxConf(spa).replace(/\n$/, '').split('\n'));
    L.push('EOF');
    L.push(`COPY --from=build /app/${join(unit, out)}/ /usr/share/nginx/html/`);
    L.push('USER 101');
    L.push(`EXPOSE ${STATIC_PORT}`);
    L.push('CMD ["nginx", "-g", "daemon off;"]');
  } else {
    const rt = runtime as RuntimeCommand;
    // npm, yarn and bun hoist workspace dependencies (and their bins) to the repo root.
    let argv = unit && pm !== 'pnpm' ? rt.argv.map((a, i) => (i === 0 && a.startsWith('node_modules/.bin/') ? `/app/${a}` : a)) : rt.argv;
    // On the bun image, bun runs everything: package bins are scripts with a node shebang.
    if (isBun) argv = argv[0] === 'node' ? ['bun', ...argv.slice(1)] : argv[0]?.includes('node_modules/.bin/') ? ['bun', ...argv] : argv;
    L.push('FROM base AS runtime');
    // The variable the server reads its port from, when not PORT (hedgedoc's HD_BACKEND_PORT, the PDS's PDS_PORT).
    const named = analysis.port.reads_env && analysis.port.env_name && analysis.port.env_name !== 'PORT' && /^[A-Z_][A-Z0-9_]*$/.test(analysis.port.env_name) ? { [analysis.port.env_name]: String(port) } : {};
    const env = { NODE_ENV: 'production', ...rt.env, PORT: String(port), ...named, ...bindEnv(analysis) };
    L.push(`ENV ${Object.entries(env).map(([k, v]) => `${k}=${/^[\w./:-]*$/.test(v) ? v : JSON.stringify(v)}`).join(' ')}`);
    // Without its own SIGTERM handler, node as PID 1 ignores SIGTERM; tini forwards it and reaps zombies.
    const needsInit = !analysis.process.graceful_shutdown;
    // The programs the service runs (git, ffmpeg…) from Debian, with tini when it needs an init: one layer.
    const apt = [...(needsInit ? ['tini'] : []), ...new Set((analysis.system_programs ?? []).flatMap((p) => (p.package ? [p.package] : [])))];
    if (apt.length) L.push(`RUN apt-get update && apt-get install -y --no-install-recommends ${apt.join(' ')} && rm -rf /var/lib/apt/lists/*`);
    if (slim) {
      const appDir = unit ? `/app/${unit}` : '/app';
      L.push(`COPY --from=build --chown=${APP_UID}:${APP_UID} ${appDir}/.next/standalone ./`);
      L.push(`COPY --from=build --chown=${APP_UID}:${APP_UID} ${appDir}/.next/static ./${join(unit, '.next/static')}`);
      if (files.some((f) => f.startsWith(join(unit, 'public/')))) L.push(`COPY --from=build --chown=${APP_UID}:${APP_UID} ${appDir}/public ./${join(unit, 'public')}`);
    } else if (medusaServer) {
      L.push(`COPY --from=build --chown=${APP_UID}:${APP_UID} /app/${medusaServer} /app`);
    } else {
      L.push(`COPY --from=build --chown=${APP_UID}:${APP_UID} /app /app`);
    }
    // COPY --chown owns what it copies, not /app itself (made by WORKDIR as root): a service that creates its data
    // directory in its working directory (uptime-kuma's ./data, wiki.js's ./data) would fail with EACCES.
    L.push(`RUN chown ${APP_UID}:${APP_UID} /app`);
    if ((unit || rt.cwd) && !medusaServer) L.push(`WORKDIR /app/${[unit, rt.cwd].filter(Boolean).join('/')}`);
    L.push(`USER ${APP_UID}`);
    L.push(`EXPOSE ${port}`);
    if (needsInit) L.push('ENTRYPOINT ["/usr/bin/tini", "--"]');
    L.push(`CMD ${execForm(argv)}`);
  }
  L.push('');
  const path = join(unit, 'Dockerfile');
  return {
    text: tidyWorkdirs(L).join('\n'),
    path,
    dockerignorePath: unit ? `${path}.dockerignore` : '.dockerignore',
    context: '',
    dockerignore: generateDockerignore(analysis),
    port,
    baseImage: isStatic ? STATIC_RUNTIME_IMAGE : baseImage,
    runtime,
  };
}

/** Drops a WORKDIR another follows at once, or one that names the directory the stage is already in. */
function tidyWorkdirs(lines: string[]): string[] {
  let cur: string | null = null;
  return lines.filter((line, i) => {
    if (line.startsWith('FROM ')) cur = null;
    if (!line.startsWith('WORKDIR ')) return true;
    if (lines[i + 1]?.startsWith('WORKDIR ') || line === cur) return false;
    cur = line;
    return true;
  });
}
