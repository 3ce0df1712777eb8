import { shellWord } from '../shell-word.js';
import { nestEntry } from './nest-output.js';
import { posix } from 'node:path';
import { evidence, lineMatching, type Evidence } from '../evidence.js';
import type { FrameworkName, Kind, PackageManagerName } from '../state/analysis-schema.js';
import type { AnalysisContext } from './context.js';
import { firstExisting } from './framework.js';
import { PM_COMMANDS } from './package-manager.js';
import { nxServedProject } from './nx.js';
import { entrySource, tsOutDirs } from './build-output.js';

export interface CommandFacts {
  install: string;
  build: string | null;
  start: string | null;
  start_source: 'config' | 'script' | 'framework' | 'main' | 'file' | 'static' | 'nx' | null;
  start_issues: string[];
  /** Files the start command loads with Node's `--env-file`, relative to the unit. */
  env_files: string[];
  evidence: Evidence[];
  /** Unit-relative runtime file the start command finally runs. */
  entrypoint: string | null;
  entrypoint_evidence: Evidence[];
  /** The command that actually runs in the end, after following package scripts. */
  resolved_start: string | null;
  /** Repo-relative source file behind the entrypoint when the build names it (an Nx project's `main`). */
  source_main?: string | null;
  /** File preparation the start script runs before the server (startPreparation). */
  prepare?: string;
  /** devDependencies the start command runs TypeScript through (devRunners). */
  runtime_dev?: string[];
}

/** Split a shell-ish command into segments on && || ; | and lone &, then each into words (quotes respected). */
export function splitCommand(cmd: string): Array<{ words: string[]; background: boolean; piped?: boolean }> {
  const segments: Array<{ words: string[]; background: boolean; piped?: boolean }> = [];
  let words: string[] = [];
  let word = '';
  let quote: string | null = null;
  const flushWord = () => {
    if (word) words.push(word);
    word = '';
  };
  const flushSeg = (background: boolean, piped = false) => {
    flushWord();
    if (words.length) segments.push(piped ? { words, background, piped } : { words, background });
    words = [];
  };
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i] ?? '';
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ' ' || c === '\t' || c === '\n') flushWord();
    // `2>&1`, `>&2`, `&>log`: redirections, not a background job.
    else if (c === '&' && (cmd[i - 1] === '>' || cmd[i - 1] === '<' || cmd[i + 1] === '>')) word += c;
    else if ((c === '&' || c === '|') && cmd[i + 1] === c) {
      flushSeg(false);
      i++;
    } else if (c === '|') flushSeg(false, true);
    else if (c === ';') flushSeg(false);
    else if (c === '&') flushSeg(true);
    else word += c;
  }
  flushSeg(false);
  return segments;
}

/**
 * Where a segment sends the server's output other than the container log: `> app.log`, `>> x`,
 * `2>err.log`, `&>all.log`. `2>&1` (stderr into stdout) and /dev/stdout or /dev/stderr keep it there.
 */
function redirectedToFile(words: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    const m = /^(\d?|&)>>?(.*)$/.exec(words[i]!);
    if (!m) continue;
    const target = m[2] || words[i + 1] || '';
    if (!target || target.startsWith('&') || /^\/dev\/(stdout|stderr|fd\/[12])$/.test(target)) continue;
    return target;
  }
  return null;
}

const ENV_ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;
// Node's flags that take a value, and babel-node's (`--extensions ".ts"`), so the value is not taken for the script.
const NODE_FLAGS_WITH_ARG = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--title', '-e', '--eval', '-x', '--extensions', '--config-file', '--presets', '--plugins']);

/**
 * `env-cmd [-f file] [--silent] [--] node server.js` (words from `env-cmd` on): its own options, which end at `--` or
 * the first other word, and the command it runs.
 */
function envCmd(w: string[]): { options: string[]; rest: string[] } {
  const dd = w.indexOf('--');
  let i = 1;
  if (dd >= 0) i = dd + 1;
  else while (i < w.length && w[i]!.startsWith('-')) i += /^(-f|--file|-e|--environments|-r|--rc-file)$/.test(w[i]!) ? 2 : 1;
  const options = w.slice(1, dd >= 0 ? dd : i);
  // env-cmd before 9 took the file as its first argument: `env-cmd local.env fastify start index.js`.
  if (dd < 0 && options.length === 0 && w.length > i + 1 && /^[\w./-]*\.[\w.-]*$|\//.test(w[i]!) && !/\.[cm]?[jt]s$/.test(w[i]!)) return { options: ['-f', w[i]!], rest: w.slice(i + 1) };
  return { options, rest: w.slice(i) };
}

// dotenv-cli's options that take a value: `dotenv -e ../../.env -v WATCH=1 node dist/index.js` (openpanel).
const DOTENV_VALUE_FLAGS = new Set(['-e', '-v', '-p']);

/** Where the command a `dotenv`/`dotenvx` wrapper runs starts: after `--`, else after its own options. */
export function dotenvCommandAt(words: readonly string[]): number {
  const dd = words.indexOf('--');
  if (dd >= 0) return dd + 1;
  let i = 1;
  if (words[0] === 'dotenvx' && words[1] === 'run') i = 2;
  while (i < words.length && words[i]!.startsWith('-')) i += DOTENV_VALUE_FLAGS.has(words[i]!) || (words[0] === 'dotenvx' && words[i] === '-f') ? 2 : 1;
  return i;
}

/** Strip `FOO=bar`, `cross-env FOO=bar`, `dotenv --`, `env` prefixes: what program runs? */
export function programWords(words: string[]): string[] {
  let w = [...words];
  for (;;) {
    if (w[0] && ENV_ASSIGN.test(w[0])) w = w.slice(1);
    else if (w[0] === 'cross-env' || w[0] === 'cross-env-shell' || w[0] === 'env') w = w.slice(1);
    else if (w[0] === 'dotenv' || w[0] === 'dotenvx') w = w.slice(dotenvCommandAt(w));
    else if (w[0] === 'env-cmd') w = envCmd(w).rest;
    else if (w[0] === 'exec') w = w.slice(1);
    else break;
  }
  return w;
}

// nodemon's own flags that take a value (`nodemon --signal SIGINT index.js`); node's `--watch` takes none.
const NODEMON_FLAGS_WITH_ARG = new Set(['--signal', '-s', '--watch', '-w', '--ext', '-e', '--ignore', '-i', '--delay', '-d', '--exec', '-x', '--config', '--cwd']);

// ts-node's own flags that take a value (`ts-node -P tsconfig.tsnode.json --files backend/app.ts`: cypress-realworld-app).
const TS_NODE_FLAGS_WITH_ARG = new Set([...NODE_FLAGS_WITH_ARG, '-P', '--project', '-O', '--compiler-options', '-C', '--compiler', '-I', '--ignore', '--cwd', '--scope-dir', '--transpiler']);

/** First non-flag argument of a runner like `node`, `tsx`, `ts-node`, `bun`. */
function scriptArg(args: string[], prog = ''): string | null {
  const withArg = prog === 'nodemon' ? NODEMON_FLAGS_WITH_ARG : /^ts-node/.test(prog) ? TS_NODE_FLAGS_WITH_ARG : NODE_FLAGS_WITH_ARG;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (withArg.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}

const DEV_SERVERS: Array<[RegExp, string]> = [
  [/^(next|nuxt|nuxi|astro|remix|react-router|vite)\s+dev\b/, 'runs a development server'],
  [/^vite(\s|$)(?!.*\b(build|preview)\b)/, 'runs the Vite development server'],
  [/^react-scripts\s+start\b/, 'runs the CRA development server'],
  [/^ng\s+serve\b/, 'runs the Angular development server'],
  [/^(webpack\s+(serve|s)\b|webpack-dev-server\b)/, 'runs the webpack development server'],
  [/^nest\s+start\b.*--watch/, 'runs Nest in watch mode'],
  // The serve target of an Nx project builds and reruns the app on change (@nx/js:node): start its build output instead.
  [/^nx\s+(serve\b|run\s+\S+:serve\b)/, 'runs the Nx serve target, a development server that rebuilds on change: start the build output with node (project.json build outputPath, e.g. `node dist/api/main.js`)'],
];

/** Runners of several commands or package scripts in one process tree (`concurrently`, `run-p`, `npm-run-all`, `run-s`). */
export const SCRIPT_GROUP_RUNNERS: ReadonlySet<string> = new Set(['concurrently', 'npm-run-all', 'run-p', 'run-s']);

/** Commands that start a package's binary (`npx tsx …`, `yarn babel-node …`, `pnpm exec ts-node …`). */
const PACKAGE_RUNNERS = ['npx', 'yarn', 'pnpm', 'bunx'];
const PNPM_COMMANDS = new Set(
  'install i add remove rm uninstall un update up upgrade exec dlx create init import link ln unlink list ls outdated why audit prune publish pack rebuild rb store env setup deploy patch patch-commit fetch root bin config licenses server doctor recursive'.split(' '),
);

/** The program words past a package runner (`npx tsx src/index.ts` → `tsx src/index.ts`, `pnpm exec next start`). */
export function pastPackageRunner(w: string[]): string[] {
  return PACKAGE_RUNNERS.includes(w[0] ?? '') ? w.slice(w[1] === 'exec' ? 2 : 1) : w;
}
const SCRIPT_RUNNERS = ['node', 'tsx', 'ts-node', 'bun', 'nodemon', 'ts-node-dev', 'node-dev', 'babel-node'];

/**
 * Files the start command hands to Node's `--env-file` (through `npm run x` too). Node exits at start
 * when such a file is missing: `node: .env: not found`.
 */
export function envFileArgs(cmd: string, scripts: Record<string, string>): string[] {
  const out: string[] = [];
  for (const { seg, w } of startSegments(cmd, scripts)) {
    // `env-cmd -- node server.js` (or `-f .env.production`): env-cmd exits when the file is missing, unless --silent.
    const raw = seg.words.filter((x) => !ENV_ASSIGN.test(x));
    const at = raw[0] === 'env-cmd' ? 0 : PACKAGE_RUNNERS.includes(raw[0] ?? '') && raw[1] === 'env-cmd' ? 1 : -1;
    if (at >= 0) {
      const own = envCmd(raw.slice(at)).options;
      if (!own.includes('--silent')) {
        const i = own.findIndex((a) => a === '-f' || a === '--file');
        out.push(i >= 0 && own[i + 1] ? own[i + 1]! : (own.find((a) => a.startsWith('--file='))?.slice('--file='.length) ?? '.env'));
      }
    }
    if (!(SCRIPT_RUNNERS.includes(w[0] ?? '') || (PACKAGE_RUNNERS.includes(w[0] ?? '') && SCRIPT_RUNNERS.includes(w[1] ?? '')))) continue;
    for (let i = 1; i < w.length; i++) {
      const a = w[i]!;
      if (a.startsWith('--env-file=')) out.push(a.slice('--env-file='.length));
      else if (a === '--env-file' && w[i + 1]) out.push(w[++i]!);
    }
  }
  return [...new Set(out.map((f) => f.replace(/^\.\//, '')))];
}

const BUILD_CLIS = new Set(['next', 'vite', 'nest', 'nuxt', 'nuxi', 'nitro', 'nitropack', 'astro', 'remix', 'react-router', 'svelte-kit']);

/** A step that compiles the app (`npm run build`, `tsc`, `next build`, `tsup`). */
function isBuildStep(w: string[]): boolean {
  const prog = w[0] ?? '';
  return runTarget(w) === 'build' || prog === 'tsc' || prog === 'tsup' || (BUILD_CLIS.has(prog) && w[1] === 'build');
}

/** Each segment a start command runs, with its program words, following `npm run x` / `yarn x` into the script it names. */
function* startSegments(cmd: string, scripts: Record<string, string>, depth = 0): Generator<{ seg: ReturnType<typeof splitCommand>[number]; w: string[] }> {
  for (const seg of splitCommand(cmd)) {
    const w = programWords(seg.words);
    yield { seg, w };
    const target = runTarget(w);
    if (target && target !== 'build' && scripts[target] && depth < 4) yield* startSegments(scriptWithArgs(w, target, scripts), scripts, depth + 1);
  }
}

/** Why a command is not one foreground production process (empty when it is). */
export function startIssues(cmd: string, scripts: Record<string, string>): string[] {
  const issues: string[] = [];
  const segments = [...startSegments(cmd, scripts)];
  // `npm run build && node dist/server.js`: every pod start compiles, with tools a production image prunes.
  const build = segments.findIndex(({ w }) => isBuildStep(w));
  if (build !== -1 && build < segments.length - 1)
    issues.push(`\`${segments[build]!.w.join(' ')}\` builds the app at every start: the build belongs in the image (its tools are devDependencies, pruned from a production image, and a failed build takes the pod down)`);
  for (const { seg, w } of segments) {
    const line = w.join(' ');
    const prog = w[0] ?? '';
    if (seg.background) issues.push(`\`${line}\` is sent to the background with &: the container's main process will not be the server`);
    if (seg.piped) issues.push(`\`${line}\` is piped into another process: the container's main process is the pipeline, SIGTERM reaches the shell rather than the server, and the output is rewritten`);
    const file = redirectedToFile(w);
    if (file) issues.push(`\`${line}\` writes its output to ${file} inside the container: the platform's logs stay empty and the file grows until the pod is replaced`);
    if (prog === 'nodemon') issues.push('nodemon restarts on file changes: a development tool, not a production process manager');
    if (SCRIPT_GROUP_RUNNERS.has(prog))
      issues.push(`${prog} runs several processes in one container: signals and exits are not handled per process`);
    if (prog === 'ts-node' || prog === 'ts-node-dev' || (prog === 'node' && w.some((a) => /ts-node\/(register|esm)/.test(a))))
      issues.push('ts-node compiles TypeScript at startup in production: slow starts and dev dependencies in the image; build to JavaScript instead');
    if ((prog === 'tsx' && w[1] === 'watch') || (prog === 'node' && w.includes('--watch'))) issues.push('watch mode restarts on file changes: not a production process');
    // firecrawl's `tsc-watch --onSuccess "node dist/src/index.js"`: the compiler in watch mode, a devDependency pruned from the image.
    if (prog === 'tsc-watch') issues.push('tsc-watch recompiles and restarts on file changes: a development tool; start the compiled output with node');
    // `pm2 start … --no-daemon` stays in the foreground like pm2-runtime does.
    if (prog === 'pm2' && !w.includes('--no-daemon')) issues.push('pm2 daemonises by default; use `pm2-runtime` (or `--no-daemon`) or run node directly so the container has a foreground process');
    if (prog === 'forever' && w.includes('start')) issues.push('`forever start` daemonises: the command returns and the container stops; run node directly');
    // `yarn babel-node …` / `npx babel-node …`: the package runner is not the program.
    const runs = (name: string) => prog === name || (PACKAGE_RUNNERS.includes(prog) && (w[1] === name || (w[1] === 'exec' && w[2] === name)));
    if (runs('babel-node') || w.some((a) => /^@babel\/register$/.test(a)))
      issues.push('babel-node compiles at startup in production: slow starts and dev dependencies in the image; build to JavaScript instead');
    if (w.some((a) => /^--inspect(-brk|-wait)?(=|$)/.test(a)))
      issues.push('--inspect opens the Node debugger (port 9229): whoever reaches it can run code in the process; remove it from the production start command');
    for (const [re, why] of DEV_SERVERS) if (re.test(line)) issues.push(`\`${line}\` ${why}`);
  }
  return [...new Set(issues)];
}

/** The TypeScript runner a start segment loads: `tsx x.ts`, `ts-node x.ts`, `node --import tsx`, `node -r ts-node/register`. */
function typeScriptRunner(w: readonly string[]): 'tsx' | 'ts-node' | null {
  const prog = w[0] ?? '';
  if (prog === 'tsx' || prog === 'ts-node') return prog;
  if (prog !== 'node') return null;
  const loaded = w.filter((a, i) => i > 0 && ['--import', '--loader', '-r', '--require'].includes(w[i - 1] ?? ''));
  return loaded.some((a) => /^tsx(\/|$)/.test(a)) ? 'tsx' : loaded.some((a) => /^ts-node(\/|$)/.test(a)) ? 'ts-node' : null;
}

/**
 * Runners the start command loads that are devDependencies (tsx, ts-node with the typescript it compiles with): the
 * image keeps devDependencies for them (it would otherwise prune them and fail to start), and analysis says so.
 */
function devRunners(ctx: AnalysisContext, cmd: string, scripts: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const { w } of startSegments(cmd, scripts)) {
    const runner = typeScriptRunner(w);
    if (!runner) continue;
    for (const dep of runner === 'ts-node' ? ['ts-node', 'typescript'] : ['tsx']) if (ctx.hasDep(dep) && !ctx.isProdDep(dep)) out.add(dep);
  }
  return [...out];
}

function prunedRunners(dev: readonly string[]): string[] {
  return dev.length
    ? [`the start command runs TypeScript through ${dev.join(' and ')}, ${dev.length > 1 ? 'devDependencies' : 'a devDependency'}: the image keeps every devDependency so it can start; move ${dev.length > 1 ? 'them' : 'it'} to dependencies or build to JavaScript`]
    : [];
}

/** What `npm run x -- a b` runs: x's script, then what follows `--` (documenso's `npm run with:env -- node …`); pnpm and yarn pass every argument. */
function scriptWithArgs(words: string[], target: string, scripts: Record<string, string>): string {
  const rest = words.slice(words.indexOf(target, 1) + 1);
  const extra = rest[0] === '--' ? rest.slice(1) : words[0] === 'npm' ? [] : rest;
  return [scriptText(scripts, target) ?? '', ...extra].join(' ');
}

/** `npm run dev` → "dev"; `yarn dev` → "dev"; `npm start` → "start"; `node --run dev` → "dev". */
export function runTarget(w: string[]): string | null {
  const [p, a, b] = w;
  if ((p === 'npm' || p === 'pnpm' || p === 'bun') && (a === 'run' || a === 'run-script')) return b ?? null;
  if ((p === 'npm' || p === 'pnpm') && (a === 'start' || a === 'test')) return a;
  // pnpm runs a script by its name alone (`pnpm start:dev`) when the name is none of its own commands.
  if (p === 'pnpm' && a && !a.startsWith('-') && !PNPM_COMMANDS.has(a)) return a;
  if (p === 'yarn' && a && !['install', 'add', 'workspace', 'build'].includes(a)) return a === 'run' ? (b ?? null) : a;
  if (p === 'bun' && a === 'start') return 'start';
  // Node 22's own script runner (MagicMirror's `node --run start:wayland`): a script, not a file.
  if (p === 'node' && a === '--run') return b ?? null;
  return null;
}

/**
 * The segment that runs the long-lived process: the last one (`npm run migrate && node dist/server.js`),
 * or the head of the last pipeline (`node dist/server.js | pino-pretty`).
 */
function serverSegment(cmd: string): { words: string[]; dir: string } | undefined {
  const segs = splitCommand(cmd).filter((s) => !s.background);
  let i = segs.length - 1;
  while (i > 0 && segs[i - 1]!.piped) i--;
  const seg = segs[i];
  if (!seg) return undefined;
  // `cd bin && ./run start`, `cd server && node index.js`: where the segments before it moved to, unit-relative.
  let dir = '';
  for (const s of segs.slice(0, i)) {
    const next = cdFrom(dir, s.words);
    if (next !== null && next !== '/') dir = next;
  }
  return { words: seg.words, dir: dir.startsWith('..') ? '' : dir };
}

/** Where `cd <dir>` moves from `dir` (relative, normalised; '/' for an absolute, home or variable path); null for other words. */
export function cdFrom(dir: string, words: readonly string[]): string | null {
  const [prog, to, ...rest] = words;
  if (prog !== 'cd' || !to || rest.length) return null;
  return /^[/~$]/.test(to) ? '/' : posix.normalize(posix.join(dir, to)).replace(/^\.$/, '');
}

/** A pm2 ecosystem file as a start command names it (`pm2 start ecosystem.config.js`, `pm2.json`). */
export const PM2_ECOSYSTEM = /ecosystem|\.config\.[cm]?js$|\.json$/;

/** Resolve the file a command finally runs, unit-relative; follows package scripts. */
export function resolveEntrypoint(cmd: string, ctx: AnalysisContext, framework: FrameworkName, depth = 0): string | null {
  const scripts = ctx.pkg?.scripts ?? {};
  const last = serverSegment(cmd);
  if (!last) return null;
  const words = programWords(last.words);
  const target = runTarget(words);
  if (target && scripts[target] && depth < 4) return resolveEntrypoint(scriptWithArgs(words, target, scripts), ctx, framework, depth + 1);
  // `npx tsx src/index.ts`, `yarn babel-node src/cli`: the package runner starts a runner of ours.
  const [prog = '', ...args] = pastPackageRunner(words);
  const at = (file: string) => (last.dir ? posix.join(last.dir, file) : file);
  if (SCRIPT_RUNNERS.includes(prog)) {
    const rest = prog === 'bun' && args[0] === 'run' ? args.slice(1) : prog === 'tsx' && args[0] === 'watch' ? args.slice(1) : args;
    const file = scriptArg(rest, prog);
    // A bare `nodemon` runs its config's `exec` (nodemon.json, or "nodemonConfig" in package.json), else "main".
    if (!file && prog === 'nodemon' && depth < 4) {
      const exec = nodemonExec(ctx);
      if (exec) return resolveEntrypoint(exec, ctx, framework, depth + 1);
      return typeof ctx.pkg?.main === 'string' ? normaliseFile(at(ctx.pkg.main), ctx) : null;
    }
    if (!file) return null;
    return normaliseFile(file === '.' ? (ctx.pkg?.main ?? 'index.js') : at(file), ctx);
  }
  // A file run as a program (`./run start`, `bin/www`): its shebang starts Node on it.
  if (/\//.test(prog) && !prog.startsWith('/') && ctx.repo.files.includes(ctx.unitPath(posix.normalize(at(prog))))) return posix.normalize(at(prog));
  if (prog === 'pm2-runtime' || prog === 'pm2') {
    const file = scriptArg(args.filter((a) => a !== 'start'));
    if (!file) return null;
    if (!PM2_ECOSYSTEM.test(file)) return normaliseFile(file, ctx);
    const script = ecosystemScript(ctx, file);
    return script ? normaliseFile(script, ctx) : null;
  }
  if (prog === 'nest' && args[0] === 'start') return nestEntry(ctx).file;
  if (prog === 'fastify' && args[0] === 'start') {
    const file = scriptArg(args.slice(1).filter((a, i, all) => !/^-[lpa]$|^--(log-level|port|address)$/.test(all[i - 1] ?? '')));
    return file ? normaliseFile(file, ctx) : null;
  }
  if (prog === 'remix-serve' || prog === 'react-router-serve') return scriptArg(args) ? normaliseFile(scriptArg(args) ?? '', ctx) : null;
  if (prog === 'next' && args[0] === 'start') return null; // the framework's own server; no user entry file
  return null;
}

/** The command nodemon runs when given no file: `exec` of nodemon.json or of package.json's "nodemonConfig". */
function nodemonExec(ctx: AnalysisContext): string | null {
  const text = ctx.repo.read(ctx.unitPath('nodemon.json'));
  let config: unknown = (ctx.pkg as { nodemonConfig?: unknown } | null)?.nodemonConfig;
  if (text) {
    try {
      config = JSON.parse(text);
    } catch {
      /* unreadable: nodemon would fail too; the finding on the start script stands */
    }
  }
  const exec = config && typeof config === 'object' ? (config as { exec?: unknown }).exec : undefined;
  return typeof exec === 'string' && exec.trim() ? exec : null;
}

/** The script of the one app a pm2 ecosystem file declares (`{ "apps": [{ "script": "src/index.js" }] }`); null for several. */
function ecosystemScript(ctx: AnalysisContext, file: string): string | null {
  const text = ctx.repo.read(ctx.unitPath(file.replace(/^\.\//, '')));
  if (!text) return null;
  if (/\.json$/.test(file)) {
    try {
      const apps = (JSON.parse(text) as { apps?: unknown }).apps;
      const list = Array.isArray(apps) ? apps : apps && typeof apps === 'object' ? [apps] : [];
      const script = list.length === 1 ? (list[0] as { script?: unknown }).script : null;
      return typeof script === 'string' ? script : null;
    } catch {
      return null;
    }
  }
  const scripts = [...text.matchAll(/\bscript\s*:\s*['"`]([^'"`]+)['"`]/g)];
  return scripts.length === 1 ? scripts[0]![1]! : null;
}

function normaliseFile(file: string, ctx: AnalysisContext): string {
  let f = file.replace(/^\.\//, '');
  // `node dist` or `node dist/` runs dist/index.js; `node server` runs server.js when it exists.
  const exists = (p: string) => ctx.repo.files.includes(ctx.unitPath(p));
  if (!/\.[cm]?[jt]sx?$/.test(f)) {
    const base = f.replace(/\/$/, '');
    // Node runs an existing file as it is named (`node bin/server`, a script without an extension).
    if (exists(base)) return base;
    for (const candidate of [`${base}.js`, `${base}/index.js`, `${base}.mjs`, `${base}/index.mjs`, `${base}.ts`, `${base}/index.ts`]) {
      if (exists(candidate)) return candidate;
    }
    // Not built yet: Node tries `<base>.js` before `<base>/index.js`, so only an output directory's own name
    // (`node dist`) means its index; `node dist/apps/api/main` runs main.js (Nx, tsc outDir).
    f = /(^|\/)(dist|build|out|lib|\.output)$/.test(base) ? `${base}/index.js` : `${base}.js`;
  }
  return f;
}

/** Scripts that start the production server, or build for production, when there is no "start" or "build". */
const PROD_START = ['start:prod', 'start:production', 'prod', 'production'];
// Heroku's heroku-postbuild builds what the server serves (proshop_mern: `npm install --prefix frontend && npm run build --prefix frontend`).
const PROD_BUILD = ['build:prod', 'build:production', 'heroku-postbuild'];
/**
 * The project's own build for an image, beside a `build` that needs more than an image build has (umami's `build`
 * checks DATABASE_URL and migrates a live database; `build-docker` only builds). Not one that runs docker itself.
 */
const IMAGE_BUILD = ['build-docker', 'build:docker', 'docker-build'];
const imageBuild = (scripts: Record<string, string>) => IMAGE_BUILD.find((n) => scripts[n] && !/\b(docker|podman|buildah|buildx|nerdctl)\b/.test(scripts[n]!));

/**
 * The command a script runs on Linux. `run-script-os` runs the variant for the platform instead (`start:linux`, then
 * `start:nix`, then `start:default`): Flowise's `"start": "run-script-os"` is `"start:default": "cd bin && ./run start"`.
 */
export function scriptText(scripts: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const own = scripts[name];
  if (!own || !/^run-script-os(\s|$)/.test(own.trim())) return own;
  return scripts[`${name}:linux`] ?? scripts[`${name}:nix`] ?? scripts[`${name}:default`] ?? own;
}

/** Reads a unit-relative file (a shell script a package script runs); null when absent. */
export type UnitReader = (rel: string) => string | null;

/** The unit's files, read by unit-relative path. */
export function unitReader(ctx: AnalysisContext): UnitReader {
  return (rel) => ctx.repo.read(ctx.unitPath(rel));
}

/**
 * The script that starts the service in production: "start", else one named for production (`"prod"`,
 * `"start:prod"`); the production one also when "start" is for development beside it (Gladys: `"start":
 * "cross-env NODE_ENV=development nodemon index.js"`, `"start:prod": "cross-env NODE_ENV=production node index.js"`).
 */
export function startScriptName(scripts: Readonly<Record<string, unknown>>, read?: UnitReader): string | null {
  const prod = PROD_START.find((n) => typeof scripts[n] === 'string' && scripts[n]) ?? null;
  if (typeof scripts.start === 'string' && scripts.start) {
    const all = scripts as Record<string, string>;
    // Also when "start" runs the TypeScript source through a runner and the production one runs what the build wrote
    // (chatgpt-web's service: `"start": "esno ./src/index.ts"`, `"prod": "node ./build/index.mjs"`).
    return prod && (isDevelopmentStart(all, 'start', 0, read) || (runsTypeScriptSource(all.start!) && !runsTypeScriptSource(all[prod]!))) ? prod : 'start';
  }
  return prod;
}

const TS_RUNNERS = new Set(['esno', 'esr', 'tsx', 'ts-node', 'ts-node-esm', 'babel-node']);

/** A command that runs a TypeScript file through a runner (`esno src/index.ts`, `tsx server.ts`). */
function runsTypeScriptSource(cmd: string): boolean {
  return splitCommand(cmd).some(({ words }) => {
    const w = pastPackageRunner(programWords(words));
    return TS_RUNNERS.has(w[0] ?? '') && w.slice(1).some((a) => /\.[cm]?tsx?$/.test(a));
  });
}

// A shell script's file watchers: grist's `"start": "sandbox/watch.sh"` runs `tsc -w`, `webpack --watch` and nodemon.
const SHELL_WATCHERS = /\b(nodemon|ts-node-dev|node-dev|tsc-watch|chokidar)\b|\s--watch\b|\btsx\s+watch\b/;

/** A script that runs a file watcher, a development server or NODE_ENV=development, itself or through the scripts it runs. */
export function isDevelopmentStart(scripts: Readonly<Record<string, string | undefined>>, name: string, depth = 0, read?: UnitReader): boolean {
  const text = scriptText(scripts, name);
  if (!text || depth > 3) return false;
  return splitCommand(text).some(({ words }) => {
    if (words.some((w) => /^NODE_ENV=(development|dev)$/.test(w))) return true;
    const program = programWords(words);
    const w = pastPackageRunner(program);
    const line = w.join(' ');
    if (['nodemon', 'ts-node-dev', 'node-dev', 'tsc-watch'].includes(w[0] ?? '') || w.includes('--watch') || (w[0] === 'tsx' && w[1] === 'watch')) return true;
    if (DEV_SERVERS.some(([re]) => re.test(line))) return true;
    const shell = /\.sh$/.test(w[0] ?? '') ? w[0] : /^(ba|z)?sh$/.test(w[0] ?? '') && /\.sh$/.test(w[1] ?? '') ? w[1] : undefined;
    if (shell && read && SHELL_WATCHERS.test(read(posix.normalize(shell)) ?? '')) return true;
    // `yarn start:dev`, `pnpm start:dev`: the runner's own words name the script.
    const target = runTarget(program) ?? runTarget(w);
    return target !== null && target !== name && isDevelopmentStart(scripts, target, depth + 1, read);
  });
}

/** Framework-provided production start commands, used when there is no start script. */
function frameworkStart(framework: FrameworkName, details: Record<string, unknown>, exec: string): { cmd: string; entry: string | null } | null {
  switch (framework) {
    case 'nextjs':
      return details.output === 'standalone' ? { cmd: 'node .next/standalone/server.js', entry: '.next/standalone/server.js' } : { cmd: `${exec} next start`, entry: null };
    case 'nuxt':
    case 'nitro':
      return { cmd: 'node .output/server/index.mjs', entry: '.output/server/index.mjs' };
    case 'sveltekit':
      return details.adapter === 'node' ? { cmd: 'node build', entry: 'build/index.js' } : null;
    case 'astro':
      return details.output !== 'static' && details.adapter === '@astrojs/node' ? { cmd: 'node ./dist/server/entry.mjs', entry: 'dist/server/entry.mjs' } : null;
    case 'nestjs': {
      const entry = typeof details.entry === 'string' ? details.entry : 'dist/main.js';
      return { cmd: `node ${entry}`, entry };
    }
    case 'remix':
      return { cmd: `${exec} remix-serve ./build/index.js`, entry: 'build/index.js' };
    case 'react-router':
      return { cmd: `${exec} react-router-serve ./build/server/index.js`, entry: 'build/server/index.js' };
    // Platforms whose CLI runs the server from the built project.
    case 'strapi':
    case 'medusa':
    case 'keystone':
      // Each one's CLI is named as the framework is.
      return { cmd: `${exec} ${framework} start`, entry: null };
    case 'adonisjs':
      return { cmd: 'node build/bin/server.js', entry: 'build/bin/server.js' };
    default:
      return null;
  }
}

const FILE_FALLBACKS = ['server.js', 'app.js', 'index.js', 'dist/server.js', 'dist/index.js', 'src/server.js', 'src/index.js', 'server.mjs', 'index.mjs'];

export function detectCommands(
  ctx: AnalysisContext,
  pm: { name: PackageManagerName; lockfile: string | null },
  framework: { name: FrameworkName; details: Record<string, unknown> },
  kind: Kind | 'unknown',
  /** The unit's file the project's image runs with node, when there is no start script (`CMD ["node", "src/www.js"]`). */
  imageFile: { file: string; args: string[]; dockerfile: string } | null = null,
): CommandFacts {
  const c = PM_COMMANDS[pm.name];
  const scripts = ctx.pkg?.scripts ?? {};
  const pkgFile = ctx.pkgFile ?? 'package.json';
  const pkgText = ctx.pkgFile ? ctx.repo.read(ctx.pkgFile) ?? '' : '';
  const ev: Evidence[] = [];
  const install = pm.lockfile ? c.install : c.installNoLock;

  let build: string | null = null;
  const nx = ctx.nx;
  if (ctx.config?.build_command) build = ctx.config.build_command;
  else if (nx) {
    // Nx builds the project from the workspace (it finds nx.json from the project's directory).
    build = `${c.exec} ${nx.buildArgs}`;
    ev.push(evidence(nx.file, nx.buildLine, 'nx-build-target', build));
  } else if (imageBuild(scripts)) {
    const name = imageBuild(scripts)!;
    build = `${c.run} ${name}`;
    ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${name}"\\s*:`)), `scripts.${name}`, scripts[name]!));
  } else if (scripts.build) {
    build = `${c.run} build`;
    ev.push(evidence(pkgFile, lineMatching(pkgText, /"build"\s*:/), 'scripts.build', scripts.build));
  } else {
    // No "build", but a production one (`"build:production": "nx run api:build:production && …"`).
    const name = PROD_BUILD.find((n) => scripts[n]);
    if (name) {
      build = `${c.run} ${name}`;
      ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${name}"\\s*:`)), `scripts.${name}`, scripts[name]!));
    } else if (framework.name === 'nestjs' && (ctx.repo.files.includes(ctx.unitPath('nest-cli.json')) || ctx.hasDep('@nestjs/cli'))) {
      // Nest runs dist/main.js, which only `nest build` writes (mikro-orm's realworld app has no build script, `nest start`).
      build = `${c.exec} nest build`;
      ev.push(evidence(ctx.repo.files.includes(ctx.unitPath('nest-cli.json')) ? ctx.unitPath('nest-cli.json') : pkgFile, 1, 'nest-build', build));
    }
  }
  // `"build": "prisma migrate deploy && next build"` (inbox-zero, vercel/ai-chatbot's `tsx lib/db/migrate && next build`):
  // an image build has no database to migrate; the deployment's migrate step does that. The build runs the rest.
  const buildName = !ctx.config?.build_command && build?.startsWith(`${c.run} `) ? build.slice(c.run.length + 1) : null;
  const rest = buildName && scripts[buildName] ? buildWithoutMigrating(scripts[buildName]!, c.exec) : null;
  if (rest !== null) {
    build = rest || null;
    ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${buildName}"\\s*:`)), 'build-without-migrating', rest || '(nothing left to build)'));
  }

  const prodStart = startScriptName(scripts, unitReader(ctx));
  // A start script that runs `nx serve` (a development server) over a project whose build writes a file: that file
  // starts the service in production, as a start:prod would (gothinkster's realworld API: `"start": "nx serve"`).
  const served = !nx && !ctx.config?.start_command && kind !== 'static' && prodStart ? nxServedProject(ctx.repo, ctx.unit, scriptText(scripts, prodStart)) : null;
  // The Nx project whose build output starts the service: the unit itself, or the one its start script serves.
  const nxProject = nx?.output ? nx : served?.output ? served : null;
  let start: string | null = null;
  let source: CommandFacts['start_source'] = null;
  let entry: string | null = null;
  let entryEv: Evidence[] = [];
  let resolved: string | null = null;

  if (ctx.config?.start_command) {
    start = ctx.config.start_command;
    source = 'config';
    resolved = start;
    ev.push(evidence(ctx.config.path, 1, 'config-start_command', start));
  } else if (kind === 'static') {
    source = 'static';
  } else if (nxProject?.output) {
    // The file the build writes, run from the project's directory like every unit's start command.
    entry = posix.relative(ctx.unit, nxProject.output);
    start = `node ${entry}`;
    source = 'nx';
    resolved = start;
    entryEv = [evidence(nxProject.file, nxProject.buildLine, 'nx-build-output', nxProject.output)];
    if (nxProject === served && prodStart) {
      ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${prodStart}"\\s*:`)), 'scripts.start-development', scripts[prodStart]!));
      build ??= `${c.exec} ${served.buildArgs}`;
    }
    ev.push(entryEv[0]!);
  } else if (prodStart === 'start') {
    start = c.start;
    source = 'script';
    resolved = scriptText(scripts, 'start') ?? scripts.start!;
    ev.push(evidence(pkgFile, lineMatching(pkgText, /"start"\s*:/), 'scripts.start', scripts.start!));
  } else if (prodStart) {
    // A production script beside a dev one (`"start:dev": "tsx watch …"`, `"start:prod": "node dist/index.js"`), or
    // beside a "start" for development.
    const name = prodStart;
    start = `${c.run} ${name}`;
    source = 'script';
    resolved = scriptText(scripts, name)!;
    ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${name}"\\s*:`)), `scripts.${name}`, resolved));
    if (scripts.start) ev.push(evidence(pkgFile, lineMatching(pkgText, /"start"\s*:/), 'scripts.start-development', scripts.start));
  } else {
    const fw = frameworkStart(framework.name, framework.details, c.exec);
    const main = typeof ctx.pkg?.main === 'string' ? ctx.pkg.main : null;
    const fallback = FILE_FALLBACKS.find((f) => ctx.repo.files.includes(ctx.unitPath(f)));
    if (fw) {
      start = fw.cmd;
      source = 'framework';
      entry = fw.entry;
    } else if (imageFile && kind !== 'not-deployable') {
      // The image knows how the service starts: trilium's `main` is electron.js, its image runs `node ./src/www`.
      start = ['node', imageFile.file, ...imageFile.args].map(shellWord).join(' ');
      source = 'file';
      ev.push(evidence(imageFile.dockerfile, 1, 'dockerfile-node-file', start));
    } else if (main && kind !== 'not-deployable' && (ctx.repo.files.includes(ctx.unitPath(main.replace(/^\.\//, ''))) || builtMain(ctx, main, scripts))) {
      start = `node ${main.replace(/^\.\//, '')}`;
      source = 'main';
      ev.push(evidence(pkgFile, lineMatching(pkgText, /"main"\s*:/), 'main', main));
    } else if (fallback && kind !== 'not-deployable') {
      start = `node ${fallback}`;
      source = 'file';
      ev.push(evidence(ctx.unitPath(fallback), 1, 'conventional-entry-file'));
    }
    resolved = start;
  }

  // AdonisJS builds a self-contained app into build/ (`node ace build`), and its start script (`node bin/server.js`)
  // runs in there: from the project root that file does not exist. The production start is the built server.
  if (framework.name === 'adonisjs' && source === 'script' && /^node\s+(\.\/)?bin\/server\.js$/.test(resolved?.trim() ?? '') && /\bace(\.js)?\s+build\b/.test(scripts.build ?? '')) {
    const fw = frameworkStart('adonisjs', framework.details, c.exec)!;
    start = fw.cmd;
    source = 'framework';
    resolved = start;
    entry = fw.entry;
    ev.push(evidence(pkgFile, lineMatching(pkgText, /"build"\s*:/), 'adonisjs-build-dir', `${scripts.build} writes the app to build/, where "${scripts.start}" runs`));
  }
  if (resolved && !entry) entry = resolveEntrypoint(resolved, ctx, framework.name);
  if (!entry && source === 'script' && kind !== 'static') {
    const fw = frameworkStart(framework.name, framework.details, c.exec);
    // `"start": "next start"` or `"start": "nuxt start"`: the framework's own server entry.
    if (fw && runsFrameworkServer(resolved)) entry = fw.entry;
  }
  if (entry && source !== 'nx') {
    const path = ctx.unitPath(entry);
    entryEv = [evidence(ctx.repo.files.includes(path) ? path : pkgFile, ctx.repo.files.includes(path) ? 1 : lineMatching(pkgText, /"start"\s*:/), 'entrypoint', entry)];
  }
  const runtimeDev = resolved ? devRunners(ctx, resolved, scripts) : [];
  const start_issues = resolved ? [...startIssues(resolved, scripts), ...prunedRunners(runtimeDev)] : [];
  const env_files = resolved ? envFileArgs(resolved, scripts) : [];
  const prepare = source === 'script' && prodStart ? startPreparation(scripts, prodStart) : null;
  if (prepare) ev.push(evidence(pkgFile, lineMatching(pkgText, new RegExp(`"${prepare.script}"\\s*:`)), 'start-prepares-files', prepare.command));
  return { install, build, start, start_source: source, start_issues, env_files, evidence: ev, entrypoint: entry, entrypoint_evidence: entryEv, resolved_start: resolved, ...(prepare ? { prepare: prepare.command } : {}), ...(runtimeDev.length ? { runtime_dev: runtimeDev } : {}), ...(source === 'nx' ? { source_main: nxProject?.sourceMain ?? null } : {}) };
}

/**
 * A `main` the build writes (peppermint's api: `"main": "dist/main.js"`, `"build": "tsc"` into outDir dist): the file
 * is not in the repository, its source is, and the image runs it after the build.
 */
function builtMain(ctx: AnalysisContext, main: string, scripts: Record<string, string>): boolean {
  if (!scripts.build || !/\.[cm]?js$/.test(main)) return false;
  const has = new Set(ctx.unitFiles);
  const source = entrySource({ has: (p) => has.has(p) }, ctx.unitPath(posix.normalize(main)), ctx.unit, tsOutDirs(ctx));
  return source !== null && /\.[cm]?tsx?$/.test(source);
}

/** Programs that only lay out files: what a start script may do first that an image can do once, at build time. */
const FILE_OPS = new Set(['test', '[', 'cp', 'mkdir', 'touch', 'ln', 'mv', 'true', 'chmod']);
const onlyFileOps = (cmd: string) => splitCommand(cmd).every(({ words, background }) => !background && FILE_OPS.has(words[0] ?? ''));

/**
 * What `npm start` does before the server that only prepares files: a `prestart` hook (mirotalk's `test -f
 * app/src/config.js || cp app/src/config.template.js app/src/config.js`, the config its server requires) or the
 * start script's own leading commands (`cp .env.example .env && node server.js`). The image runs the server directly,
 * so these would never run: the build runs them. Text as written (`||` kept); rm is not among them (`prestart: rm -rf
 * dist` would delete the build).
 */
export function startPreparation(scripts: Readonly<Record<string, string | undefined>>, name: string): { script: string; command: string } | null {
  const parts: string[] = [];
  const raw = scripts[`pre${name}`]?.trim();
  const hook = raw && onlyFileOps(raw) ? raw : null;
  if (hook) parts.push(hook);
  const lead = /^(.*\S)\s*&&\s*[^&|;]+$/.exec(scripts[name]?.trim() ?? '')?.[1];
  if (lead && onlyFileOps(lead)) parts.push(lead);
  if (!parts.length) return null;
  return { script: hook ? `pre${name}` : name, command: parts.map((p) => (parts.length > 1 && /\|\||;/.test(p) ? `(${p})` : p)).join(' && ') };
}

/** A step that changes a database: a migration tool's apply/push command, a migrate script, a runner of a file named so. */
const MIGRATING = /\bprisma\s+(migrate\s+deploy|db\s+push)\b|\bdrizzle-kit\s+(migrate|push)\b|\btypeorm\S*\s+migration:run\b|\bknex\s+migrate:latest\b|\bsequelize(-cli)?\s+db:migrate\b|\bnode-pg-migrate\s+up\b|\bdb-migrate\s+up\b/;
const RUNS_FILE = new Set(['node', 'tsx', 'ts-node', 'bun', 'babel-node']);
const PM_RUNS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx', 'bunx', 'node', 'sh', 'bash']);

/**
 * A build script's commands without those that migrate a database, each package bin run through the package manager
 * as its script would find it: null when none migrates or the script is more than `a && b && c`; '' when nothing is left.
 */
export function buildWithoutMigrating(script: string, exec: string): string | null {
  const segments = splitCommand(script);
  if (!segments.length || script.split('&&').length !== segments.length || segments.some((x) => x.background || x.piped)) return null;
  const migrates = (words: string[]) => {
    const w = pastPackageRunner(programWords(words));
    if (MIGRATING.test(w.join(' '))) return true;
    const target = runTarget(words);
    if (target) return /migrat|^db:(deploy|push|up)$/.test(target);
    return RUNS_FILE.has(w[0] ?? '') && /migrat/i.test(w.slice(1).find((a) => !a.startsWith('-')) ?? '');
  };
  const kept = segments.filter((x) => !migrates(x.words));
  if (kept.length === segments.length) return null;
  return kept
    .map(({ words }) => {
      const lead = words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w));
      const program = words[lead] ?? '';
      const withExec = lead >= 0 && !PM_RUNS.has(program) && !program.includes('/') ? [...words.slice(0, lead), ...exec.split(' '), ...words.slice(lead)] : words;
      return withExec.map((w) => (/^[A-Za-z_]\w*=/.test(w) ? w.replace(/=(.*)$/, (_, v: string) => `=${shellWord(v)}`) : shellWord(w))).join(' ');
    })
    .join(' && ');
}

// Also servers a package runs by name (json-server, http-server): no file of the project's is the process.
const FRAMEWORK_SERVERS = /^(next|nuxt|nuxi|remix-serve|react-router-serve|astro|strapi|medusa|keystone|sails|json-server|http-server)\b/;

/** The program a start command's server segment runs, past a package runner (`npx json-server db.json` → json-server). */
export function startProgram(resolved: string | null): string | null {
  return resolved ? (pastPackageRunner(programWords(serverSegment(resolved)?.words ?? []))[0] ?? null) : null;
}

// http-server's options that take a value (`-p 3000`, `-a 0.0.0.0`), so the value is not taken for the directory.
const HTTP_SERVER_VALUE_FLAGS = new Set(['-p', '--port', '-a', '--address', '-c', '-e', '--ext', '-P', '--proxy', '-C', '--cert', '-K', '--key', '-t', '--timeout', '-d', '-i', '-s', '-u', '--username', '--password', '--base-dir', '--mimetypes']);

/** The directory `http-server [path]` serves, unit-relative (its default: ./public when there is one, else the unit). */
export function servedDirectory(ctx: AnalysisContext, resolved: string | null): string | null {
  const w = resolved ? pastPackageRunner(programWords(serverSegment(resolved)?.words ?? [])) : [];
  if (w[0] !== 'http-server') return null;
  for (let i = 1; i < w.length; i++) {
    const a = w[i]!;
    if (a.startsWith('-')) {
      if (HTTP_SERVER_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return posix.normalize(a).replace(/^\.\/?/, '').replace(/\/$/, '') || '.';
  }
  return ctx.unitFiles.some((f) => f.startsWith(ctx.unitPath('public/'))) ? 'public' : '.';
}

/** Whether a start command runs a framework's own server (`next start`, `nuxt start`, `remix-serve ...`). */
export function runsFrameworkServer(resolved: string | null): boolean {
  // `npx react-router-serve …`, `pnpm exec next start`: the package runner starts the framework's server.
  return Boolean(resolved && FRAMEWORK_SERVERS.test(pastPackageRunner(programWords(serverSegment(resolved)?.words ?? [])).join(' ')));
}

/** The build output an entrypoint is expected in, when it is not committed source (tsc outDir, dist/, build/). */
export function producedByBuild(ctx: AnalysisContext, entry: string, build: string | null): boolean {
  if (!build) return false;
  if (/^(dist|build|out|lib|\.output|\.next)\//.test(entry)) return true;
  const tsconfig = firstExisting(ctx, ['tsconfig.build.json', 'tsconfig.json']);
  const outDir = tsconfig ? /"outDir"\s*:\s*"\.?\/?([^"]+)"/.exec(ctx.repo.read(tsconfig) ?? '')?.[1] : undefined;
  return Boolean(outDir && entry.startsWith(outDir.replace(/\/$/, '') + '/'));
}
