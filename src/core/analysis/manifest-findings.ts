import { evidence } from '../evidence.js';
import type { DockerfileFacts, Finding, Kind, PackageManagerName, Unit } from '../state/analysis-schema.js';
import type { CommandFacts } from './commands.js';
import type { AnalysisContext } from './context.js';
import { producedByBuild, runsFrameworkServer, servedDirectory, startProgram } from './commands.js';

const pass = (id: string, section: Finding['section'], message: string, ev: Finding['evidence'] = []): Finding => ({ id, section, status: 'pass', message, fix: null, evidence: ev });

/**
 * The runtime the start command needs is the image's: the generated image has Node.js, or Bun when Bun is the
 * package manager. `bun run src/index.ts` under pnpm (openstatus's screenshot-service) or `deno run …` would not
 * start in it; the project's own Dockerfile, which sealos-deploy builds when there is one, must provide it.
 */
export function startRuntimeFinding(cmd: CommandFacts, kind: Kind, pm: PackageManagerName, dockerfile: DockerfileFacts | null): Finding | null {
  if (!cmd.resolved_start || kind === 'static' || kind === 'not-deployable') return null;
  const prog = startProgram(cmd.resolved_start);
  const runtime = prog === 'deno' ? 'Deno' : prog === 'bun' && pm !== 'bun' ? 'Bun' : null;
  if (!runtime) return pass('start-runtime', 'build-and-image', `The start command runs on ${pm === 'bun' ? 'Bun' : 'Node.js'}, which the image has.`, cmd.evidence);
  const image = pm === 'bun' ? 'Bun' : 'Node.js';
  return dockerfile
    ? {
        id: 'start-runtime',
        section: 'build-and-image',
        status: 'warn',
        message: `The start command runs the service with ${runtime} (${cmd.resolved_start}); sealos-deploy builds the image with ${dockerfile.path}, which must provide ${runtime}.`,
        fix: `Keep ${runtime} in ${dockerfile.path}'s runtime stage (its base image or an install step).`,
        evidence: [...cmd.evidence, ...dockerfile.evidence.slice(0, 1)],
      }
    : {
        id: 'start-runtime',
        section: 'build-and-image',
        status: 'fail',
        message: `The start command runs the service with ${runtime} (${cmd.resolved_start}), but the image sealos-deploy generates has ${image} only: the container would not start.`,
        fix:
          runtime === 'Bun'
            ? 'Make Bun the package manager (bun install, a committed bun.lock) so the image is built on Bun, start with node instead, or add a Dockerfile whose runtime stage has Bun.'
            : 'Add a Dockerfile whose runtime stage has Deno (sealos-deploy builds with it), or start the service with node.',
        evidence: cmd.evidence,
      };
}

export function startFindings(ctx: AnalysisContext, cmd: CommandFacts, kind: Kind): Finding[] {
  const out: Finding[] = [];
  const pkgEv = ctx.pkgFile ? [evidence(ctx.pkgFile, 1, 'package.json')] : [];
  // A malformed package.json still owes an answer on the start command; real libraries and CLIs do not.
  if (kind === 'static' || (kind === 'not-deployable' && ctx.pkg)) return out;
  // `bun run start` is the start script; `npm run start:prod` is another one standing in for it.
  const prodScript = cmd.start_source === 'script' ? /^\S+ run (\S+)$/.exec(cmd.start ?? '')?.[1] : undefined;
  if (prodScript && prodScript !== 'start') {
    const devStart = ctx.pkg?.scripts?.start;
    out.push({
      id: 'start-script',
      section: 'build-and-image',
      status: 'warn',
      message: devStart
        ? `The "start" script is for development (${devStart}); the "${prodScript}" script starts the server in production: ${cmd.start} (${cmd.resolved_start}).`
        : `No "start" script; the "${prodScript}" script starts the server: ${cmd.start} (${cmd.resolved_start}).`,
      fix: devStart
        ? `Make "start" run the production server ("start": "${cmd.resolved_start}") and move the development command to "dev", so \`npm start\` does what platforms expect.`
        : `Add "start": "${cmd.resolved_start}" to the scripts in package.json so \`npm start\` runs the production server, as platforms expect.`,
      evidence: cmd.evidence,
    });
  } else if (cmd.start_source === 'nx' && ctx.nx) {
    out.push(pass('start-script', 'build-and-image', `Start command: ${cmd.start}, the file \`${cmd.build}\` writes (Nx project ${ctx.nx.name}, ${ctx.nx.file}).`, cmd.evidence));
  } else if (cmd.start_source === 'nx') {
    // The start script runs `nx serve`; the service starts from what the build writes instead (commands.ts).
    const dev = cmd.evidence.find((e) => e.rule === 'scripts.start-development')?.snippet ?? 'nx serve';
    out.push({
      id: 'start-script',
      section: 'build-and-image',
      status: 'warn',
      message: `The "start" script runs \`${dev}\`, Nx's development server that rebuilds on change; the service starts in production with ${cmd.start}, the file \`${cmd.build}\` writes.`,
      fix: `Make "start" run the build output ("start": "${cmd.start}") and keep \`${dev}\` in a "dev" script.`,
      evidence: cmd.evidence,
    });
  } else if (cmd.start_source === 'script' || cmd.start_source === 'config' || (cmd.start_source === 'framework' && ctx.pkg?.scripts?.start)) {
    // A framework whose start script runs in its build output (AdonisJS's build/) is started there.
    out.push(pass('start-script', 'build-and-image', `Start command: ${cmd.start} (${cmd.resolved_start}).`, cmd.evidence));
  } else if (cmd.start) {
    out.push({
      id: 'start-script',
      section: 'build-and-image',
      status: 'warn',
      message: `No "start" script; the start command was inferred from the ${cmd.evidence.some((e) => e.rule === 'dockerfile-node-file') ? "Dockerfile's node command" : cmd.start_source}: ${cmd.start}.`,
      fix: `Add "start": "${cmd.start}" to the scripts in package.json so \`npm start\` works from a clean checkout.`,
      evidence: cmd.evidence.length ? cmd.evidence : pkgEv,
    });
  } else {
    out.push({
      id: 'start-script',
      section: 'build-and-image',
      status: 'fail',
      message: 'No start command: no "start" script, no framework default, no "main" and no server.js/app.js/index.js.',
      fix: 'Add a "start" script that runs the server in the foreground, e.g. "start": "node dist/server.js", or set start_command in .sealos/config.json.',
      evidence: pkgEv,
    });
  }
  if (cmd.resolved_start) {
    out.push(
      cmd.start_issues.length
        ? {
            id: 'start-foreground',
            section: 'build-and-image',
            status: 'fail',
            message: `The start command is not one foreground production process: ${cmd.start_issues.join('; ')}.`,
            fix: 'Make "start" run the built server directly, e.g. "node dist/server.js"; keep watchers and dev servers in a "dev" script.',
            evidence: cmd.evidence,
          }
        : pass('start-foreground', 'build-and-image', `\`${cmd.resolved_start}\` runs one foreground process.`, cmd.evidence),
    );
  }
  // `node --env-file=.env server.js`: Node exits at start when the file is missing, and .env files are
  // never in the image (.dockerignore keeps them out: they hold secrets), nor is a file git does not have.
  const missing = cmd.env_files.filter((f) => /(^|\/)\.env(\.|$)/.test(f) || !ctx.repo.files.includes(ctx.unitPath(f)));
  if (cmd.resolved_start && cmd.env_files.length)
    out.push(
      missing.length
        ? {
            id: 'start-env-file',
            section: 'environment',
            status: 'fail',
            message: `The start command loads ${missing.join(', ')} (Node's --env-file, or env-cmd), and ${missing.length > 1 ? 'they are' : 'it is'} not in the image: run as written, it stops at start (${missing[0]} not found) and the pod crash-loops (the Dockerfile sealos-deploy generates runs node without it; one that runs the script does not).`,
            fix: 'Drop the env file from the production start command and set the variables on the deployment (deploy --input NAME=value, or --inputs-file for secrets); keep it in a "dev" script, or use --env-file-if-exists (Node 22.9+) or env-cmd --silent.',
            evidence: cmd.evidence,
          }
        : pass('start-env-file', 'environment', `The start command loads ${cmd.env_files.join(', ')}; the file is committed and goes into the image.`, cmd.evidence),
    );
  const served = servedDirectory(ctx, cmd.resolved_start);
  if (cmd.start_source === 'nx' && ctx.nx?.output) {
    // Nx writes the build to the workspace's dist/, outside the project's directory: the image holds the workspace.
    out.push(pass('build-output', 'build-and-image', `Entrypoint ${ctx.nx.output} is written by \`${cmd.build}\` (${ctx.nx.file}).`, cmd.entrypoint_evidence));
  } else if (cmd.entrypoint?.startsWith('../')) {
    // `node ../../scripts/run.mjs`: a file of the repository around the package, which its image does not hold.
    out.push({
      id: 'build-output',
      section: 'build-and-image',
      status: 'fail',
      message: `The start command runs ${cmd.entrypoint}, outside this package: an image built from the package does not contain it.`,
      fix: 'Point "start" at a file inside the package (e.g. node dist/server.js), or set start_command in .sealos/config.json.',
      evidence: cmd.evidence,
    });
  } else if (cmd.entrypoint) {
    const path = ctx.unitPath(cmd.entrypoint);
    const exists = ctx.repo.files.includes(path);
    const built = !exists && producedByBuild(ctx, cmd.entrypoint, cmd.build);
    out.push(
      exists || built
        ? pass('build-output', 'build-and-image', exists ? `Entrypoint ${cmd.entrypoint} is in the repository.` : `Entrypoint ${cmd.entrypoint} is produced by \`${cmd.build}\`.`, cmd.entrypoint_evidence)
        : {
            id: 'build-output',
            section: 'build-and-image',
            status: 'warn',
            message: `The start command runs ${cmd.entrypoint}, which is not in the repository${cmd.build ? ` and not obviously produced by \`${cmd.build}\`` : ' and there is no build script'}.`,
            fix: cmd.build ? `Check that \`${cmd.build}\` writes ${cmd.entrypoint} (tsconfig outDir, bundler output).` : `Add a "build" script that emits ${cmd.entrypoint}, or point "start" at an existing file.`,
            evidence: cmd.entrypoint_evidence,
          },
    );
  } else if (served && served !== '.' && !cmd.build && !ctx.unitFiles.some((f) => f.startsWith(ctx.unitPath(served) + '/'))) {
    // hoppscotch's root: `http-server packages/hoppscotch-selfhost-web/dist -p 3000`, and nothing builds that dist.
    out.push({
      id: 'build-output',
      section: 'build-and-image',
      status: 'warn',
      message: `The start command serves ${served} with http-server, which is not in the repository and no build script writes: the image would serve an empty directory (404 on every page).`,
      fix: `Add a "build" script that writes ${served} (the command that builds the site), or deploy the unit that builds it.`,
      evidence: cmd.evidence,
    });
  } else if (cmd.start) {
    // `"start": "next start"`: the framework's server runs the build output; there is no file of ours to find.
    const framework = cmd.start_source === 'framework' || runsFrameworkServer(cmd.resolved_start);
    out.push({
      id: 'build-output',
      section: 'build-and-image',
      status: framework ? 'pass' : 'warn',
      message: framework ? `The framework serves the app (${cmd.resolved_start ?? cmd.start}).` : `Could not resolve which file \`${cmd.resolved_start}\` runs.`,
      fix: framework ? null : 'Make the start script run a file directly (node <file>), or set start_command in .sealos/config.json.',
      evidence: cmd.evidence,
    });
  }
  return out;
}

/** `units`: the workspace units, the most likely meant first (services, then the rest). */
export function deployableFinding(ctx: AnalysisContext, kind: Kind, reason: string, unitList: ReadonlyArray<Pick<Unit, 'path' | 'kind'>>): Finding[] {
  const ev = ctx.pkgFile ? [evidence(ctx.pkgFile, 1, 'kind')] : [];
  const out: Finding[] = [];
  const units = unitList.map((u) => u.path);
  const monorepoRoot = units.length > 0 && reason.startsWith('monorepo root');
  if (monorepoRoot) {
    // Libraries the services share are units too, but not what anyone deploys: named apart.
    const deployable = unitList.filter((u) => u.kind !== 'not-deployable').map((u) => u.path);
    const shared = unitList.filter((u) => u.kind === 'not-deployable').map((u) => u.path);
    const list = deployable.length
      ? `${deployable.length} deployable unit${deployable.length === 1 ? '' : 's'}: ${deployable.join(', ')}${shared.length ? ` (and ${shared.length} package${shared.length === 1 ? '' : 's'} that deploy${shared.length === 1 ? 's' : ''} nothing alone: ${shared.join(', ')})` : ''}`
      : `${units.length} packages, none of them a service by its manifest: ${units.join(', ')}`;
    out.push({
      id: 'workspace-unit',
      section: 'build-and-image',
      status: 'fail',
      message: `This is a monorepo root with ${list}. Nothing is picked silently.`,
      // With none a service by its manifest (insomnia: an Electron app, a CLI, libraries), no package is suggested as one.
      fix: deployable.length ? `Analyze one unit: sealos-deploy analyze . --path ${deployable[0]}` : `If one of them is a service, analyze it by path to read its code (sealos-deploy analyze . --path <package>); otherwise this repository has nothing to deploy.`,
      evidence: ev,
    });
  }
  // A root that is a service itself beside deployable units (`"start": "http-server packages/web/dist"` over
  // `packages/backend`): deploying it is a choice, so say which other services there are.
  const others = !monorepoRoot && !ctx.unit && kind !== 'not-deployable' ? unitList.filter((u) => u.kind !== 'not-deployable').map((u) => u.path) : [];
  if (others.length) {
    out.push({
      id: 'workspace-unit',
      section: 'build-and-image',
      status: 'warn',
      message: `The root package is analyzed as the service (${reason}), and the workspace has ${others.length} more deployable unit${others.length === 1 ? '' : 's'}: ${others.join(', ')}.`,
      fix: `If you meant one of them, analyze it: sealos-deploy analyze . --path ${others[0]}`,
      evidence: ev,
    });
  }
  if (kind === 'not-deployable') {
    const service = unitList.find((u) => u.kind !== 'not-deployable')?.path;
    const fix = monorepoRoot && service
      ? `Deploy one workspace unit: analyze it with --path (e.g. --path ${service}), then render and deploy it.`
      : monorepoRoot
        ? 'Deploy a workspace unit that runs an HTTP server or a worker (analyze it with --path to read its code); none is one by its manifest.'
        : 'Deploy a package that runs an HTTP server or a worker; libraries and CLIs are published, not deployed.';
    out.push({ id: 'deployable', section: 'build-and-image', status: 'fail', message: `Not a deployable service: ${reason}.`, fix, evidence: ev });
  } else if (kind === 'worker') {
    out.push({
      id: 'deployable',
      section: 'build-and-image',
      status: 'warn',
      message: `A background worker (${reason}): it gets no Service, Ingress or public URL, and health is judged by the process staying up.`,
      fix: 'If it should serve HTTP, make it listen on process.env.PORT; otherwise confirm it is meant to run as a worker.',
      evidence: ev,
    });
  } else {
    out.push(pass('deployable', 'build-and-image', `Deployable: ${kind} (${reason}).`, ev));
  }
  return out;
}

export function dockerfileFindings(df: DockerfileFacts | null, port: number | null, readsPort = false): Finding[] {
  if (!df) return [];
  const problems: string[] = [];
  const fixes: string[] = [];
  // A service that reads PORT listens where the image's `ENV PORT=3000` says, whatever its own fallback (ohmyform's 4100).
  const listens = readsPort && df.env_port !== undefined ? df.env_port : port;
  if (listens !== null && df.expose.length && !df.expose.includes(listens)) {
    problems.push(`EXPOSE ${df.expose.join(' ')} but the service listens on ${listens}`);
    fixes.push(`EXPOSE ${listens}`);
  }
  if (!df.user || df.user === 'root' || df.user === '0') {
    problems.push('the runtime stage runs as root');
    fixes.push('add `USER node` (or another unprivileged user) to the final stage');
  }
  // Earlier stage names (FROM build AS x ... FROM x) are not images.
  const floating = df.base_images.filter((b) => b && b !== 'scratch' && !b.startsWith('$') && !b.includes('@') && !df.stage_names.includes(b) && (b.endsWith(':latest') || !/:[^/]+$/.test(b)));
  if (floating.length) {
    problems.push(`unpinned base image ${floating.join(', ')}`);
    fixes.push('pin the base image tag, e.g. node:22-bookworm-slim');
  }
  if (df.copies_missing?.length) {
    problems.push(`it copies ${df.copies_missing.join(', ')}, which git does not have: a clean checkout fails with "not found"`);
    fixes.push(`build ${df.copies_missing.length === 1 ? 'it' : 'them'} in a stage of the Dockerfile and COPY --from that stage`);
  }
  if (df.stages < 2 && df.ships_build_tools !== false) {
    problems.push('single stage: build tools and dev dependencies ship in the runtime image');
    fixes.push('use a build stage and a slim runtime stage');
  }
  return [
    problems.length
      ? { id: 'dockerfile', section: 'build-and-image', status: 'warn', message: `${df.path}: ${problems.join('; ')}.`, fix: fixes.join('; ') + '.', evidence: df.evidence.length ? df.evidence : [evidence(df.path, 1, 'dockerfile')] }
      : pass('dockerfile', 'build-and-image', `${df.path}: ${df.stages < 2 ? 'one stage with no build tools' : 'multi-stage'}, non-root, pinned base, EXPOSE matches.`, [evidence(df.path, 1, 'dockerfile')]),
  ];
}

export function noteFindings(ctx: AnalysisContext): Finding[] {
  return ctx.notes.map((n) => ({ id: n.id, section: n.section ?? ('build-and-image' as const), status: 'fail' as const, message: n.message, fix: n.fix, evidence: n.evidence }));
}

/** The adapter that builds a Node server, per framework, and how to switch to it. */
const NODE_ADAPTERS: Record<string, { node: string; built: string; named: (adapter: unknown) => string; fix: string }> = {
  sveltekit: {
    node: 'node',
    built: 'SvelteKit builds a Node server (adapter-node): `node build`.',
    named: (a) => `SvelteKit builds for ${a ? `adapter-${String(a)}` : 'an adapter that could not be read'}`,
    fix: 'Use @sveltejs/adapter-node (`npm i -D @sveltejs/adapter-node`, `import adapter from \'@sveltejs/adapter-node\'` in svelte.config.js) and start with "start": "node build".',
  },
  astro: {
    node: '@astrojs/node',
    built: 'Astro builds a Node server (@astrojs/node): `node ./dist/server/entry.mjs`.',
    named: (a) => `Astro renders on the server with ${a ? String(a) : 'no adapter'}`,
    fix: "Use @astrojs/node in standalone mode (`npx astro add node`, adapter: node({ mode: 'standalone' })) and start with \"start\": \"node ./dist/server/entry.mjs\".",
  },
};

/**
 * SvelteKit and Astro build for the platform their adapter names: with adapter-vercel, -netlify, -cloudflare or
 * -auto there is no Node server in the build output for a container to run.
 */
export function adapterFindings(framework: { name: string; details: Record<string, unknown>; evidence: Finding['evidence'] }, kind: Kind): Finding[] {
  const a = NODE_ADAPTERS[framework.name];
  if (kind !== 'ssr' || !a) return [];
  const adapter = framework.details.adapter;
  if (adapter === a.node) return [pass('framework-adapter', 'build-and-image', a.built, framework.evidence)];
  return [{ id: 'framework-adapter', section: 'build-and-image', status: 'fail', message: `${a.named(adapter)}: the build has no Node server for a container to run.`, fix: a.fix, evidence: framework.evidence }];
}

/**
 * Medusa 2 builds a standalone server into .medusa/server (its own package.json, the compiled config and the admin
 * dashboard): production runs there, not from the project root the generated image starts in.
 */
export function frameworkRuntimeFindings(ctx: AnalysisContext, framework: { name: string; evidence: Finding['evidence'] }): Finding[] {
  if (framework.name !== 'medusa' || !ctx.hasDep('@medusajs/framework')) return [];
  return [
    {
      id: 'framework-runtime',
      section: 'build-and-image',
      status: 'pass',
      message: 'Medusa 2 runs its production build from .medusa/server (written by `medusa build`), with the admin dashboard inside it: the generated image installs production dependencies there and starts `medusa start` from it (from the project root the server finds no admin build). A Dockerfile of your own must do the same.',
      fix: null,
      evidence: framework.evidence,
    },
  ];
}
