import { posix } from 'node:path';
import { DeployError } from '../errors.js';
import type { Analysis } from '../state/analysis-schema.js';
import { looksSecretName, MASKED } from '../redact.js';
import { looksSecret } from '../analysis/source/ast.js';
import { dotenvCommandAt } from '../analysis/commands.js';
import { shellWord } from '../shell-word.js';

/**
 * The container's command: one foreground process that receives SIGTERM itself. Package-manager
 * wrappers (`npm start`) and shell strings are resolved to the program they end up running.
 */
export interface RuntimeCommand {
  argv: string[];
  /** Environment assignments found in front of the start command (`NODE_ENV=production node x`). */
  env: Record<string, string>;
  /** Why this command was chosen. */
  reason: string;
  /** The directory it runs from, relative to the unit, when not the unit itself (`cd bin && ./run start`). */
  cwd?: string;
}

const SHELL_OPERATORS = /&&|\|\||[;|&`<>]|\$\(/;
/** Servers a framework ships that take the app's build as an argument: the build is no program of its own. */
const FRAMEWORK_SERVER_BINS = new Set(['remix-serve', 'react-router-serve']);
/** Programs that supervise, watch or spawn the service as a child: never PID 1 in production. */
const NOT_FOR_PRODUCTION = new Set(['nodemon', 'ts-node', 'ts-node-dev', 'tsx', 'concurrently', 'npm-run-all', 'run-p', 'run-s', 'pm2', 'forever', 'nest', 'vite', 'webpack-dev-server', 'npm', 'pnpm', 'yarn', 'npx', 'pnpx', 'bunx', 'nx']);

/** Splits a simple command line into words (single and double quotes); null when it needs a shell. */
export function shellWords(command: string): string[] | null {
  if (SHELL_OPERATORS.test(command.replace(/'[^']*'|"[^"]*"/g, ''))) return null;
  const words: string[] = [];
  let word: string | null = null;
  // A word is a run of bare, 'single-quoted' and "double-quoted" segments: TZ='UTC' is one word.
  for (const m of command.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\s+)|([^\s'"]+)/g)) {
    if (m[3] !== undefined) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + (m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[4] ?? '');
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function splitEnv(words: string[]): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  let i = 0;
  // `dotenv -e .env -- cmd` (dotenv-cli): the env files are not in the image; the deployment sets the variables.
  if (words[0] === 'dotenv' || words[0] === 'dotenvx') i = dotenvCommandAt(words);
  if (words[i] === 'cross-env' || words[i] === 'cross-env-shell' || words[i] === 'env') i++;
  for (; i < words.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(words[i] ?? '');
    if (!m) break;
    env[m[1] ?? ''] = m[2] ?? '';
  }
  return { env, rest: words.slice(i) };
}

/**
 * Assignments fit to bake into the image: never a secret (the deployment's env carries those). Analysis masks a
 * secret written into a script (`FOO=sk_live_…` arrives as `FOO=***`), so a masked value is one too.
 */
function imageEnv(p: { env: Record<string, string>; rest: string[] }): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  for (const [k, raw] of Object.entries(p.env)) {
    const v = shellDefault(k, raw);
    if (v !== null && v !== MASKED && !looksSecretName(k) && !looksSecret(v)) env[k] = v;
  }
  return { env, rest: p.rest };
}

/**
 * The value an assignment gives in an image's ENV. The variable's own default (`DEBUG=${DEBUG:=*mediasoup*}`,
 * mediasoup-demo) is that default: ENV is one the deployment overrides. Any other expansion the shell would make at
 * start has no value when the image is built (and `:=` is no Dockerfile syntax: the build stops): none.
 */
function shellDefault(name: string, value: string): string | null {
  if (!value.includes('$')) return value;
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?[-=]([^${}]*)\}$/.exec(value);
  return m && m[1] === name ? m[2]! : null;
}

/**
 * `--env-file .env` names a file that never reaches the image (.dockerignore keeps .env files out) and Node
 * stops at start without it; the deployment sets the variables instead (analysis reports start-env-file).
 */
function withoutEnvFile(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--env-file' || a === '--env-file-if-exists') i++;
    else if (!a.startsWith('--env-file=') && !a.startsWith('--env-file-if-exists=')) out.push(a);
  }
  return out;
}

function frameworkDefault(analysis: Analysis): { argv: string[]; reason: string } | null {
  const details = analysis.framework.details;
  switch (analysis.framework.name) {
    case 'nextjs':
      return { argv: ['node_modules/.bin/next', 'start'], reason: 'Next.js production server (next start)' };
    case 'nuxt':
    case 'nitro':
      return { argv: ['node', '.output/server/index.mjs'], reason: 'Nuxt/Nitro server output' };
    case 'sveltekit':
      // Another adapter (vercel, netlify, cloudflare, auto) writes no Node server: build/index.js would not exist.
      if (details.adapter && details.adapter !== 'node')
        throw new DeployError('INPUT_MISSING', `SvelteKit with @sveltejs/adapter-${String(details.adapter)} builds no Node.js server for a container (sveltejs/realworld: it writes .vercel/output).`, "Use @sveltejs/adapter-node in svelte.config.js (`import adapter from '@sveltejs/adapter-node'`), then analyze again.", { adapter: details.adapter });
      return { argv: ['node', 'build/index.js'], reason: 'SvelteKit adapter-node output' };
    case 'remix':
      return { argv: ['node_modules/.bin/remix-serve', './build/index.js'], reason: 'Remix app server' };
    case 'react-router':
      return { argv: ['node_modules/.bin/react-router-serve', './build/server/index.js'], reason: 'React Router app server' };
    case 'astro':
      return details.output === 'static' ? null : { argv: ['node', './dist/server/entry.mjs'], reason: 'Astro @astrojs/node standalone server' };
    default:
      return null;
  }
}

/** Next.js with `output: 'standalone'`: the build writes its own server.js with the dependencies it traced. */
export function isNextStandalone(analysis: Pick<Analysis, 'framework'>): boolean {
  return analysis.framework.name === 'nextjs' && analysis.framework.details.output === 'standalone';
}

/**
 * The standalone output alone makes the image: unless the migrate init container runs the image too, which needs
 * the schema, the migrations and their CLI that the output does not trace (umami, rallly: Prisma). Then the image
 * keeps the whole app and runs the standalone server.js where the build wrote it.
 */
export function slimStandalone(analysis: Pick<Analysis, 'framework' | 'migrations'>): boolean {
  return isNextStandalone(analysis) && !analysis.migrations.command;
}

/** Where `next build` writes server.js, from the unit: a workspace app's output keeps its path under the repository root. */
export function standaloneServer(unit: string): string {
  return `.next/standalone/${unit ? unit + '/' : ''}server.js`;
}

/**
 * Resolves what the runtime stage runs, relative to the unit directory:
 * a simple `node …` start command → the entrypoint file → a simple package-bin start command
 * (`next start` → node_modules/.bin/next start) → the framework's production server.
 */
export function resolveRuntimeCommand(analysis: Analysis, runtime: 'node' | 'bun' = 'node'): RuntimeCommand {
  return expandedAtStart(chooseRuntimeCommand(analysis, runtime));
}

/**
 * `ts-node [flags] src/init.ts` as node with ts-node's register hook (padloc and SponsorBlockServer start so): one
 * process that gets SIGTERM itself, the ts-node CLI's flags as the environment its hook reads. Null for flags not
 * modelled (the caller then says it cannot tell what to run).
 */
function tsNodeAsNode(args: string[]): { argv: string[]; env: Record<string, string> } | null {
  const env: Record<string, string> = {};
  const requires: string[] = [];
  let transpileOnly = false;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? args[++i] ?? '';
    if (flag === '-T' || flag === '--transpile-only') transpileOnly = true;
    else if (flag === '-P' || flag === '--project') env.TS_NODE_PROJECT = value();
    else if (flag === '--files') env.TS_NODE_FILES = 'true';
    else if (flag === '-O' || flag === '--compiler-options') env.TS_NODE_COMPILER_OPTIONS = value();
    else if (flag === '-r' || flag === '--require') requires.push('-r', value());
    else return null;
  }
  const script = args[i];
  if (!script) return null;
  return { argv: ['node', '-r', transpileOnly ? 'ts-node/register/transpile-only' : 'ts-node/register', ...requires, ...withoutEnvFile(args.slice(i))], env };
}

const VARIABLE_REF = /\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*(?:[:]?[-=+?][^}]*)?\})/;

/** A word for `sh -c`: references expand at start (inside double quotes), anything else is taken literally. */
function shellQuote(word: string): string {
  if (VARIABLE_REF.test(word)) return `"${word.replace(/["\\`]/g, '\\$&')}"`;
  return shellWord(word);
}

/**
 * A script's `next start -p $PORT` relies on the shell npm runs it with: the image's exec-form CMD passes `$PORT`
 * to the program as text (Next then listens on NaN and exits). Such a command runs through `sh -c 'exec …'`, so the
 * deployment's value is read at start and the program still replaces the shell as PID 1 (SIGTERM reaches it).
 */
function expandedAtStart(cmd: RuntimeCommand): RuntimeCommand {
  if (!cmd.argv.some((a) => VARIABLE_REF.test(a))) return cmd;
  return { ...cmd, argv: ['sh', '-c', `exec ${cmd.argv.map(shellQuote).join(' ')}`] };
}

function chooseRuntimeCommand(analysis: Analysis, runtime: 'node' | 'bun'): RuntimeCommand {
  if (isNextStandalone(analysis)) {
    return { argv: [runtime, slimStandalone(analysis) ? 'server.js' : standaloneServer(analysis.project.path)], env: {}, reason: 'Next.js standalone output (server.js)' };
  }
  // `npm start` runs a script: read the script (`TZ=UTC node dist/server.js`), so its env and flags reach the image.
  const start = analysis.config?.start_command ?? analysis.commands.start_script ?? analysis.commands.start;
  // `cd bin && ./run start` (Flowise): the command runs from that directory; the image's WORKDIR is set to it.
  const cd = start ? /^cd\s+([\w@.-][\w@./-]*)\s*&&\s*(\S.*)$/.exec(start.trim()) : null;
  const dir = cd ? posix.normalize(cd[1]!).replace(/\/$/, '') : '.';
  const inDir = dir === '.' || dir.startsWith('..') ? {} : { cwd: dir };
  const words = start && (!cd || 'cwd' in inDir) ? shellWords(cd ? cd[2]! : start.trim()) : null;
  const parsed = words ? imageEnv(splitEnv(words)) : null;
  const head = parsed?.rest[0];
  const entry = analysis.entrypoint;
  // A script run by its path (`./run start`, `bin/www`), the file the analysis resolved: node runs it, with its arguments.
  if (parsed && head && entry && !/\.[cm]?tsx?$/.test(entry) && /^\.{0,2}\/|^[\w@-]+\//.test(head) && posix.join(dir, head) === entry) {
    // A shell script (grist's `sandbox/run.sh`) runs itself, by its shebang: node would fail on its first line.
    const argv = /\.sh$/.test(head) ? [head, ...parsed.rest.slice(1)] : [runtime, head, ...parsed.rest.slice(1)];
    return { argv, env: parsed.env, reason: `start command "${start}"`, ...inDir };
  }
  if (parsed && head && (head === 'node' || head === 'bun') && parsed.rest.length > 1) {
    let args = withoutEnvFile(parsed.rest.slice(1));
    // `bun run file.ts` runs the file in-process; `bun run start` would spawn a script through a shell.
    if (head === 'bun' && args[0] === 'run') args = /[./]/.test(args[1] ?? '') ? args.slice(1) : [];
    const flagsOnly = args.every((a) => a.startsWith('-'));
    const watches = args.some((a) => a === '--watch' || a.startsWith('--watch-'));
    if (args.length && !flagsOnly && !watches) return { argv: [runtime === 'bun' ? 'bun' : head, ...args], env: parsed.env, reason: `start command "${start}"`, ...inDir };
  }
  // `tsx src/index.ts` as node with tsx's loader: one process that receives SIGTERM itself (the tsx CLI runs a child).
  if (runtime === 'node' && parsed && head === 'tsx' && parsed.rest.length > 1 && parsed.rest[1] !== 'watch' && !parsed.rest.slice(1).every((a) => a.startsWith('-'))) {
    return { argv: ['node', '--import', 'tsx', ...withoutEnvFile(parsed.rest.slice(1))], env: parsed.env, reason: `start command "${start}" with tsx as a loader` };
  }
  // A framework's server run on its build (`remix-serve ./build/index.js`): the file is a module the server imports, which
  // node alone would load and exit from (indie-stack), so the server's bin runs, not the file.
  if (parsed && head && FRAMEWORK_SERVER_BINS.has(head)) return { argv: [`node_modules/.bin/${head}`, ...parsed.rest.slice(1)], env: parsed.env, reason: `start command "${start}": the framework's server` };
  const tsNode = runtime === 'node' && parsed && head === 'ts-node' ? tsNodeAsNode(parsed.rest.slice(1)) : null;
  if (tsNode) return { argv: tsNode.argv, env: { ...parsed!.env, ...tsNode.env }, reason: `start command "${start}" with ts-node's register hook in node` };
  // Node cannot run TypeScript entrypoints in production; Bun can.
  if (entry && (runtime === 'bun' || !/\.[cm]?tsx?$/.test(entry))) {
    return { argv: /\.sh$/.test(entry) ? [entry.includes('/') ? entry : `./${entry}`] : [runtime, entry], env: parsed?.env ?? {}, reason: `resolved entrypoint ${entry}` };
  }
  if (parsed && head && !NOT_FOR_PRODUCTION.has(head) && head !== 'node' && head !== 'bun' && /^[a-z@][\w.-]*$/.test(head)) {
    return { argv: [`node_modules/.bin/${head}`, ...parsed.rest.slice(1)], env: parsed.env, reason: `start command "${start}" run without a package-manager wrapper` };
  }
  const fw = frameworkDefault(analysis);
  if (fw) return { ...fw, env: {} };
  throw new DeployError(
    'INPUT_MISSING',
    `Cannot tell which process the container should run${start ? ` (start command "${start}" is not a single production process)` : ''}.`,
    'Set "start_command" in .sealos/config.json to one foreground command such as "node dist/server.js", or add a "start" script that runs node directly.',
    { start, entrypoint: analysis.entrypoint },
  );
}
