import { posix } from 'node:path';
import { cdFrom, programWords, runTarget, SCRIPT_GROUP_RUNNERS, scriptText, splitCommand, startScriptName } from './commands.js';

/** concurrently's flags that take a value, so the value is not taken for a command. */
const FLAGS_WITH_VALUE = new Set(['-n', '--names', '-c', '--prefix-colors', '-p', '--prefix', '-k', '--kill-others-on-fail', '--max-processes', '--restart-tries', '--timings', '-l', '--print-label', '--success']);

/**
 * The packages below the root that the root's start script runs, when that is all it runs: Gladys's
 * `"start": "run-p start-server:dev start-front:dev"` with `"start-server:dev": "cd server && npm start"` runs
 * `server` and `front`, and the root itself is no service. [] when the start runs anything of the root's own.
 */
export function packagesStartRuns(scripts: Readonly<Record<string, string | undefined>>, packageDirs: readonly string[]): string[] {
  const name = startScriptName(scripts);
  const start = name ? scriptText(scripts, name) : undefined;
  if (!start || !packageDirs.length) return [];
  const found = new Set<string>();
  const packageOf = (dir: string) => packageDirs.find((p) => dir === p || dir.startsWith(p + '/')) ?? null;

  // Whether every long-lived process `cmd` starts (run from the root, or from `cwd` after a `cd`) runs in a package.
  const visit = (cmd: string, cwd: string, depth: number): boolean => {
    if (depth > 6) return false;
    const segments = splitCommand(cmd).filter((s) => !s.background);
    let dir = cwd;
    const runs: Array<{ words: string[]; dir: string }> = [];
    for (const s of segments) {
      const w = programWords(s.words);
      const next = cdFrom(dir, w);
      if (next !== null) dir = next;
      else runs.push({ words: w, dir });
    }
    // Steps before the last one of a chain prepare (a build); the last one is the process.
    const last = runs.at(-1);
    return !!last && runsInPackage(last.words, last.dir, depth);
  };

  const runsInPackage = (w: string[], dir: string, depth: number): boolean => {
    const pkg = packageOf(dir);
    if (pkg) {
      found.add(pkg);
      return true;
    }
    if (dir !== '') return false;
    const [prog = ''] = w;
    // `npm --prefix server start`, `yarn --cwd server start`, `pnpm -C server start`.
    const at = w.findIndex((a) => a === '--prefix' || a === '--cwd' || a === '-C' || a === '--dir');
    if (at > 0 && ['npm', 'yarn', 'pnpm'].includes(prog) && w[at + 1]) {
      const into = packageOf(posix.normalize(w[at + 1]!));
      if (into) found.add(into);
      return into !== null;
    }
    // `lerna run start --scope '@padloc/{server,pwa}'`, `lerna exec`: the script runs in the packages (padloc's root).
    if (prog === 'lerna' && (w[1] === 'run' || w[1] === 'exec')) {
      const scope = w.flatMap((a, i) => (a === '--scope' ? [w[i + 1] ?? ''] : a.startsWith('--scope=') ? [a.slice(8)] : [])).join(' ');
      const named = packageDirs.filter((d) => scope && new RegExp(`[/{,]${d.split('/').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[},]?`).test(scope));
      for (const d of named.length ? named : packageDirs) found.add(d);
      return true;
    }
    const target = runTarget(w);
    if (target) {
      const text = scriptText(scripts, target);
      return text !== undefined && visit(text, '', depth + 1);
    }
    if (SCRIPT_GROUP_RUNNERS.has(prog)) {
      // Every script of a parallel run is a process (`run-p a b`, `npm-run-all --parallel a b`, concurrently).
      const parallel = prog !== 'run-s' && (prog !== 'npm-run-all' || w.includes('-p') || w.includes('--parallel'));
      const args: string[] = [];
      for (let i = 1; i < w.length; i++) {
        if (w[i]!.startsWith('-')) {
          if (FLAGS_WITH_VALUE.has(w[i]!) && prog === 'concurrently') i++;
          continue;
        }
        args.push(w[i]!);
      }
      const commands = args.flatMap((a) => (prog === 'concurrently' ? [concurrentlyCommand(a)] : matchingScripts(scripts, a).map((n) => `npm run ${n}`)));
      // A sequence's last script is the process; every one of a parallel run is.
      const processes = parallel ? commands : commands.slice(-1);
      return processes.length > 0 && processes.every((c) => visit(c, '', depth + 1));
    }
    return false;
  };

  return visit(start, '', 0) ? [...found].sort() : [];
}

/** concurrently's `npm:start-api` (and yarn:, pnpm:, bun:) shorthand for a package script. */
function concurrentlyCommand(arg: string): string {
  const m = /^(npm|yarn|pnpm|bun):(.+)$/.exec(arg);
  return m ? `npm run ${m[2]}` : arg;
}

/** The scripts an npm-run-all pattern names (`start:*`, `build:**`, or one name). */
function matchingScripts(scripts: Readonly<Record<string, string | undefined>>, pattern: string): string[] {
  if (!pattern.includes('*')) return [pattern];
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '.+').replace(/(?<!\.)\*/g, '[^:]+')}$`);
  return Object.keys(scripts).filter((n) => re.test(n));
}
