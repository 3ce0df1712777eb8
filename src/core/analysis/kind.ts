import type { FrameworkName, Kind } from '../state/analysis-schema.js';
import type { AnalysisContext } from './context.js';
import { SERVER_FRAMEWORKS, SPA_BUNDLERS } from './framework.js';
import { startScriptName, unitReader } from './commands.js';
import { meteorRelease, otherRuntime } from './other-runtime.js';

const WORKER_LIBS = ['bullmq', 'bull', 'bee-queue', 'amqplib', 'kafkajs', 'agenda', '@temporalio/worker', 'pg-boss', 'graphile-worker'];
/** Frameworks whose app runs only when its own code calls listen (the platforms' CLIs serve without it). */
const LISTENING_FRAMEWORKS: ReadonlySet<FrameworkName> = new Set(['express', 'koa', 'fastify', 'hapi', 'hono', 'nestjs', 'node-http']);
const DESKTOP_OR_MOBILE = ['electron', '@tauri-apps/api', '@tauri-apps/cli', 'react-native', 'expo', '@capacitor/core'];

export interface KindInput {
  framework: { name: FrameworkName; details: Record<string, unknown> };
  /** An HTTP listener was found in the code (listen/serve call); null when the code was not read (a unit's manifest only). */
  listener: boolean | null;
  /** A port is known from a start-script flag, Dockerfile EXPOSE, or a PORT read with no listen call found. */
  portHint: boolean;
  orchestratorRoot: boolean;
  units: string[];
  /** Packages below the root that the root's start script runs, when that is all it runs. */
  startRunsPackages: string[];
  /** The HTTP server the start command runs by name (`json-server db.json`), with no server code of the project's. */
  cliServer?: string | null;
  /** The project's Dockerfile runs a file of this package with node: it is started that way, whatever its scripts say. */
  imageRunsFile?: boolean;
}

export function decideKind(ctx: AnalysisContext, k: KindInput): { kind: Kind; reason: string } {
  const fw = k.framework.name;
  const d = k.framework.details;
  if (!ctx.pkg && !ctx.pkgFile) {
    // A directory chosen with --path is judged by what is below it, not by the repository's other packages.
    const below = ctx.unit ? k.units.filter((d) => d.startsWith(`${ctx.unit}/`)) : k.units;
    const where = ctx.unit ? `${ctx.unit} has no package.json` : 'monorepo root without a package.json';
    if (below.length) return { kind: 'not-deployable', reason: `${where}: choose one of the packages below it with --path (${below.join(', ')})` };
    const other = otherRuntime(ctx);
    return { kind: 'not-deployable', reason: `${ctx.unit ? where : 'no package.json'}: not a Node.js project${other ? ` (a ${other.name} app: ${other.files.join(', ')})` : ''}` };
  }
  if (!ctx.pkg) return { kind: 'not-deployable', reason: `${ctx.pkgFile} could not be read as JSON` };
  // An Nx site (Angular, React, Vite executors): its build writes files into the workspace's dist/ by the executor's
  // own layout (locales, browser/), which the generated image does not know.
  if ((ctx.nx?.kind === 'static' || ctx.nx?.kind === 'ssr') && !k.listener)
    return { kind: 'not-deployable', reason: `an Nx ${ctx.nx.kind === 'static' ? 'single-page app' : 'server-rendered app'} (${ctx.nx.executor ? `${ctx.nx.executor} in ${ctx.nx.file}` : `${ctx.nx.file}, built by the target Nx infers from its config`}): sealos-deploy deploys an Nx workspace's Node.js servers; deploy this site with an image of your own, or serve it from one of the servers` };
  if (k.orchestratorRoot && k.units.length) {
    return { kind: 'not-deployable', reason: `monorepo root: choose one of the workspace units with --path (${k.units.join(', ')})` };
  }
  if (k.startRunsPackages.length)
    return { kind: 'not-deployable', reason: `its start script only runs packages below it: ${k.startRunsPackages.join(', ')}` };
  const meteor = meteorRelease(ctx);
  if (meteor)
    return { kind: 'not-deployable', reason: `a Meteor app (${meteor} in .meteor/release): \`meteor build\` makes the Node.js bundle that runs, and sealos-deploy does not build Meteor apps; deploy an image built from it` };
  // An Electron app whose image runs a server file of its own (trilium's server build) is that server too; so is a web
  // framework's app whose start runs its server and that packages a desktop shell beside it (NextChat: `next start`,
  // Tauri for the desktop build).
  const scripts = ctx.pkg.scripts ?? {};
  const startName = startScriptName(scripts, unitReader(ctx));
  const startText = startName ? String(scripts[startName] ?? '') : '';
  const webStart = fw !== 'none' && fw !== 'node-http' && startText !== '' && !/\b(electron|tauri|expo|react-native|cap)\b/.test(startText);
  // Tauri's JS API alone is a web app that talks to a desktop shell when it runs in one (hoppscotch's selfhost-web): the
  // desktop app is the one with a src-tauri/ project (or the Tauri CLI).
  const tauriShell = ctx.unitFiles.some((f) => /(^|\/)src-tauri\/tauri\.conf\.json5?$/.test(f));
  const desktop = k.imageRunsFile || webStart ? undefined : DESKTOP_OR_MOBILE.find((dep) => ctx.hasOwnDep(dep) && (dep !== '@tauri-apps/api' || tauriShell));
  if (desktop) return { kind: 'not-deployable', reason: `a desktop or mobile app (${desktop}), not a network service` };
  // Next.js serves the routes of app/ or pages/ (or src/…): a package with neither only lends an app its config or code
  // (nodejs.org's platforms/*, imported through `#platform/*`; next-learn's course root). Not one that starts a server of
  // its own, which may render another package's Next app (teable's nestjs-backend: `nest start`).
  const unitPrefix = ctx.unit ? ctx.unit + '/' : '';
  const ownServer = (startText !== '' && !/\bnext\s+start\b/.test(startText)) || ['@nestjs/core', 'express', 'fastify', 'koa', 'hono', '@hapi/hapi'].some((d) => ctx.hasOwnDep(d));
  if (fw === 'nextjs' && !ownServer && !ctx.unitFiles.some((f) => /^(src\/)?(app|pages)\//.test(f.slice(unitPrefix.length))))
    return { kind: 'not-deployable', reason: 'it depends on Next.js but has no app/ or pages/ directory: a package an app imports, not an app' };
  if (fw === 'nextjs') return d.output === 'export' ? { kind: 'static', reason: "Next.js with output: 'export' builds static files" } : { kind: 'ssr', reason: 'Next.js server' };
  if (fw === 'astro') return d.output === 'static' ? { kind: 'static', reason: 'Astro without a server adapter builds static files' } : { kind: 'ssr', reason: `Astro SSR (${String(d.adapter ?? 'server output')})` };
  if (fw === 'sveltekit') return d.adapter === 'static' ? { kind: 'static', reason: 'SvelteKit adapter-static builds static files' } : { kind: 'ssr', reason: `SvelteKit (adapter-${String(d.adapter ?? 'auto')})` };
  if (fw === 'react-router') return d.ssr === false ? { kind: 'static', reason: 'React Router with ssr: false builds a SPA' } : { kind: 'ssr', reason: 'React Router server rendering' };
  if (fw === 'nuxt' || fw === 'remix') return { kind: 'ssr', reason: `${fw} server rendering` };
  if (fw === 'nitro') return { kind: 'server', reason: 'a Nitro server (its build writes .output/server)' };
  // Code that calls listen() itself, with nothing that does and nothing to start it: a package of handlers or
  // plugins others import (Flowise's components declare express).
  const startScript = startName !== null || !!ctx.config?.start_command;
  // An Nx project is started by the file its build writes (nx.ts), not by a script.
  const started = startScript || !!k.imageRunsFile || !!ctx.nx?.output;
  // Listing units from their manifests only (code unread): a package whose main is build output is one to import.
  // Not one whose dev script runs it under a restarting watcher (peppermint's api: `ts-node-dev --respawn src/main.ts`).
  const compiledMain = k.listener === null && typeof ctx.pkg.main === 'string' && /^(\.\/)?(dist|lib|build)\//.test(ctx.pkg.main) && !SERVER_WATCHER.test(scripts.dev ?? '');
  // A Cloudflare Worker (`export default app` run by `wrangler deploy`): Cloudflare's runtime calls its fetch handler, and
  // nothing starts a Node.js server. Hono's examples: "a library" was no help to whoever asked to deploy one.
  // A Rails or Django app whose package.json only builds its assets: nothing of it is a Node.js service.
  // A package that publishes code (main, exports, bin) is a Node.js library whatever else sits beside it (mkdocs' requirements.txt).
  const publishes = ['main', 'module', 'exports', 'bin', 'types'].some((f) => ctx.pkg![f] !== undefined);
  const other = !started && !k.listener && !publishes ? otherRuntime(ctx) : null;
  if (other) return { kind: 'not-deployable', reason: `not a Node.js service: a ${other.name} app (${other.files.join(', ')}) whose package.json holds front-end tooling; sealos-deploy deploys Node.js services` };
  const workers = !started && !k.listener ? workersConfig(ctx, scripts) : null;
  if (workers)
    return { kind: 'not-deployable', reason: `a Cloudflare Workers app (${workers}): Cloudflare's runtime calls its fetch handler and nothing starts a Node.js server; serve it with a Node adapter (@hono/node-server's serve()) and a start script` };
  if (LISTENING_FRAMEWORKS.has(fw) && (k.listener === false || compiledMain) && !started)
    return { kind: 'not-deployable', reason: `a library: ${fw === 'node-http' ? "it uses Node's http module" : `it depends on ${fw}`}, but has no start script and nothing in its code listens` };
  // A test harness: named so, and nothing it needs at run time (insomnia's smoke-test mock server, automatisch's e2e-tests).
  const pkgName = `${typeof ctx.pkg.name === 'string' ? ctx.pkg.name : ''} ${ctx.unit.split('/').pop() ?? ''}`;
  const runner = TEST_RUNNERS.find((d) => ctx.hasOwnDep(d));
  const onlyDev = Object.keys(ctx.pkg.dependencies ?? {}).length === 0 && Object.keys(ctx.pkg.devDependencies ?? {}).length > 0;
  if (TEST_HARNESS.test(pkgName) && (onlyDev || runner))
    return { kind: 'not-deployable', reason: `a test harness (${pkgName.trim().split(' ')[0] || ctx.unit}${runner ? `, run by ${runner}` : ', only devDependencies'}): it serves the tests, not users` };
  // Published to npm (`files`), with nothing to start it: the server its code listens with is started by whoever calls the
  // function it exports (bull-arena's `run(config)`; `node index.js` only defines it and exits).
  if (!started && k.listener && Array.isArray(ctx.pkg.files) && typeof ctx.pkg.main === 'string' && !ctx.pkg.bin)
    return { kind: 'not-deployable', reason: 'a library published to npm ("files" in package.json, no start script): its code listens inside what it exports, for the code that imports it to call' };
  if (SERVER_FRAMEWORKS.has(fw) || k.listener) return { kind: 'server', reason: k.listener ? 'an HTTP listener in the code' : `${fw} HTTP server` };
  // A Vite app has an index.html (at its root, or a configured root a level down); a package Vite only bundles has none.
  if (fw === 'vite' && !hasIndexHtml(ctx)) return { kind: 'not-deployable', reason: 'a library built with Vite (no index.html): published or imported, not served' };
  if (fw === 'angular' && !ctx.repo.files.includes(ctx.unitPath('angular.json'))) return { kind: 'not-deployable', reason: 'an Angular library (no angular.json): published or imported, not served' };
  if (fw === 'gatsby') return { kind: 'static', reason: 'a Gatsby site: `gatsby build` writes its pages to public/, served by nginx' };
  if (fw === 'docusaurus') return { kind: 'static', reason: 'a Docusaurus site: `docusaurus build` writes static pages, served by nginx' };
  if (SPA_BUNDLERS.has(fw)) return { kind: 'static', reason: `${fw === 'cra' ? 'Create React App' : fw === 'vite' ? 'Vite' : fw === 'angular' ? 'Angular CLI' : 'webpack (html-webpack-plugin)'} single-page app: static files served by nginx` };
  // A package that publishes queue code others run (vendure's job-queue-plugin, langfuse's shared package) and starts
  // nothing itself is a library, not a worker.
  const worker = WORKER_LIBS.find((dep) => ctx.hasOwnDep(dep));
  if (worker && (started || !publishes)) return { kind: 'worker', reason: `${worker} consumer with no HTTP listener in the code` };
  // `npm init x` runs create-x: a project generator, whatever its start script runs (create-medusa-app).
  if (ctx.pkg.bin && typeof ctx.pkg.name === 'string' && /^(@[^/]+\/)?create-/.test(ctx.pkg.name))
    return { kind: 'not-deployable', reason: `a project generator (${ctx.pkg.name}, run by npm init): a command-line tool, not a network service` };
  // A "bin" with a start script is a service that also installs as a command (Node-RED, zigbee2mqtt).
  if (ctx.pkg.bin && !started) return { kind: 'not-deployable', reason: 'a command-line tool ("bin" in package.json, no start script) with no HTTP listener' };
  if (!started) {
    return { kind: 'not-deployable', reason: 'a library: no start script, no server framework and no HTTP listener in the code' };
  }
  const how = startScript ? 'a start script' : "the Dockerfile's node command";
  if (k.cliServer) return { kind: 'server', reason: `${how} that runs ${k.cliServer}, an HTTP server` };
  if (k.portHint) return { kind: 'server', reason: `${how}, and a port from a flag, Dockerfile EXPOSE or a PORT read` };
  // Nothing listens and no queue consumes: a start script that runs the tests (logto's integration-tests: `pnpm test`),
  // or a command the package installs (logto's cli and translate: "bin" and `node .`), is no process to keep running.
  if (TEST_RUN.test(startText)) return { kind: 'not-deployable', reason: `a test suite: its start script runs the tests (${startText})` };
  // A "bin" alone may be a long-running bridge started by its script; one that parses its arguments is a command.
  const argParser = ARG_PARSERS.find((dep) => ctx.hasOwnDep(dep));
  if (ctx.pkg.bin && startScript && argParser) return { kind: 'not-deployable', reason: `a command-line tool ("bin" in package.json, arguments parsed by ${argParser}) whose start script runs the command; no HTTP listener in the code` };
  return { kind: 'worker', reason: `${how} but no HTTP listener found in the code` };
}

/** A dev script that keeps a process running and restarts it on changes: what one does with a server. */
const SERVER_WATCHER = /(^|[\s&;|])(nodemon|ts-node-dev|tsnd|tsx\s+watch|node\s+--watch)\b/;

const TEST_RUNNERS = ['@playwright/test', 'playwright', 'cypress', 'jest', 'vitest', 'mocha', 'ava'];
const TEST_HARNESS = /(^|[-_/@. ])(e2e|e2e-tests?|smoke-?tests?|integration-?tests?|tests?|test-utils|fixtures?|mocks?)(\s|$)/i;

const WRANGLER_CONFIGS = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];
const ARG_PARSERS = ['yargs', 'commander', 'cac', 'meow', '@oclif/core', 'clipanion', 'citty', 'sade'];
const TEST_RUN = /^\s*(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test(?::\S*)?\b|(?:npx\s+)?(?:jest|vitest|mocha|ava|playwright\s+test|cypress\s+run)\b)/;

/** What makes the unit a Cloudflare Worker: its wrangler config, or a script that runs `wrangler deploy`/`wrangler dev`. */
function workersConfig(ctx: AnalysisContext, scripts: Readonly<Record<string, string | undefined>>): string | null {
  const file = WRANGLER_CONFIGS.find((f) => ctx.repo.files.includes(ctx.unitPath(f)));
  if (file) return file;
  const script = Object.entries(scripts).find(([, v]) => v !== undefined && /(^|[\s&;|])wrangler\s+(deploy|dev|publish)\b/.test(v));
  return script ? `"${script[0]}": ${script[1]}` : null;
}

function hasIndexHtml(ctx: AnalysisContext): boolean {
  const prefix = ctx.unit ? ctx.unit + '/' : '';
  return ctx.unitFiles.some((f) => {
    const rel = f.slice(prefix.length);
    return /^([^/]+\/)?index\.html$/.test(rel) && !/^(dist|build|node_modules)\//.test(rel);
  });
}
