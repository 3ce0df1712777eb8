import { join } from 'node:path';
import type { CheckOutcome, TruthCheck } from '../../runner.js';
import type { LocalRehearsalData } from '../context.js';
import { splitOutput, tail } from '../context.js';
import { parseCommandLine } from '../command-line.js';
import { isDeployError } from '../../../errors.js';
import { withCorepack } from '../corepack.js';

/** Runs one setup step (install, build, migrate) in `cwd`, with the setup environment unless `baseEnv` says otherwise. */
export async function runStep(data: LocalRehearsalData, step: string, command: string, cwd: string, signal: AbortSignal, baseEnv: Record<string, string> = data.setupEnv, timeoutMs?: number): Promise<CheckOutcome> {
  let parsed;
  try {
    parsed = parseCommandLine(command, { ...baseEnv });
  } catch (err) {
    if (isDeployError(err)) return { status: 'fail', summary: err.message, evidence: { command, next: err.next } };
    throw err;
  }
  const [program, ...args] = parsed.argv as [string, ...string[]];
  const env = { ...baseEnv, ...parsed.env };
  const where = cwd === data.rootDir ? '.' : cwd.slice(data.rootDir.length + 1);
  // yarn or pnpm missing from PATH: through corepack, which Node ships (the generated image prepares them so too).
  const line = await withCorepack(data.runner, program, args, { cwd, env });
  if (!line.argv) return { status: 'fail', summary: line.why, evidence: { command, cwd: where } };
  const [runProgram, ...runArgs] = line.argv as [string, ...string[]];
  const r = await data.runner.run(runProgram, runArgs, { cwd, env: line.env, signal, ...(timeoutMs ? { timeoutMs } : {}) });
  data.setupOutput.push(...splitOutput(step, r.stdout, r.stderr));
  const evidence = {
    command,
    cwd: where,
    ...(line.viaCorepack ? { via: `corepack ${program} (${program} is not on PATH)` } : {}),
    exit_code: r.exitCode,
    duration_ms: r.durationMs,
    output_tail: tail(splitOutput(step, r.stdout, r.stderr)),
  };
  if (r.notFound) return { status: 'fail', summary: `${runProgram} is not installed (not found on PATH)`, evidence };
  if (r.timedOut) return { status: 'fail', summary: `${command} timed out`, evidence };
  if (r.exitCode !== 0) {
    const last = causeLine(evidence.output_tail);
    const notFound = r.exitCode === 127 ? ': a command the script runs is not installed (add it to the dependencies and the lockfile)' : '';
    return { status: 'fail', summary: `${command} exited with code ${r.exitCode ?? 'none (killed)'}${notFound}${last ? `; last output: ${last.slice(0, 200)}` : ''}`, evidence };
  }
  const blocked = blockedInstallScripts(r.stdout + '\n' + r.stderr);
  if (blocked.length) {
    const policy = program === 'pnpm' ? 'pnpm onlyBuiltDependencies; run `pnpm approve-builds`' : 'package.json allowScripts';
    return { status: 'warn', summary: `${command} succeeded, but the install scripts of ${blocked.slice(0, 5).join(', ')}${blocked.length > 5 ? ` and ${blocked.length - 5} more` : ''} were skipped (not in ${policy}): a native module or binary they fetch may be missing`, evidence: { ...evidence, blocked_install_scripts: blocked } };
  }
  return { status: 'pass', summary: `${command} succeeded`, evidence };
}

/** Lines that close a failure's output without saying what failed: npm's log pointer, a crashed CLI's Node version. */
const BOILERPLATE = /A complete log of this run can be found|For a full report see|^npm (error|ERR!)\s*$|^(npm error )?\[FAILED\]\s*$|^Node\.js v\d|^at\s|^}$/;

/**
 * The line that names why a step failed: the last `Error: …` (a postinstall that could not download its binary, a
 * crashed CLI), else the last line that is not boilerplate ("sh: 1: tsc: not found").
 */
export function causeLine(tailLines: readonly string[]): string | undefined {
  const lines = tailLines.map((l) => l.trim()).filter((l) => l && !BOILERPLATE.test(l));
  return lines.findLast((l) => /\bError:\s/.test(l)) ?? lines.at(-1);
}

/**
 * Packages whose install scripts the package manager skipped. npm 12: "N package(s) had install scripts
 * blocked because they are not covered by allowScripts:" then one `name@version (script: …)` line each;
 * npm 11's advisory form ("not yet covered") ran them, so it is not a block. pnpm 10: see below.
 */
export function blockedInstallScripts(output: string): string[] {
  const lines = output.split('\n');
  const head = lines.findIndex((l) => /install scripts blocked/.test(l));
  if (head !== -1) {
    const out: string[] = [];
    for (const l of lines.slice(head + 1)) {
      const m = /^npm warn install-scripts\s+(\S+@\S+)\s+\(/.exec(l);
      if (!m) break;
      out.push(m[1]!);
    }
    return out;
  }
  // pnpm 10 ignores dependency build scripts not in onlyBuiltDependencies, in a boxed warning:
  // "│   Ignored build scripts: esbuild@0.24.0, sharp@0.33.5.   │" (long lists wrap inside the box).
  const pnpm = lines.findIndex((l) => /Ignored build scripts:/.test(l));
  if (pnpm === -1) return [];
  let text = '';
  for (const l of lines.slice(pnpm)) {
    if (/approve-builds/.test(l)) break;
    text += ' ' + l.replace(/[│╭╮╰╯─]/g, ' ');
  }
  return text
    .replace(/^.*Ignored build scripts:/, '')
    .split(',')
    .map((p) => p.trim().replace(/\.$/, ''))
    .filter((p) => /^\S+@\S+$/.test(p));
}

/** Uncommitted work is not rehearsed: say so, so a pass is not mistaken for a pass of the working tree. */
export function workingTreeCheck(uncommitted: string[], commit: string): TruthCheck<LocalRehearsalData> {
  return {
    id: 'committed-tree',
    required: false,
    async run() {
      const evidence = { commit, uncommitted: uncommitted.slice(0, 20), uncommitted_count: uncommitted.length };
      if (uncommitted.length === 0) return { status: 'pass', summary: `rehearsing commit ${commit.slice(0, 12)}; the working tree is clean`, evidence };
      return {
        status: 'warn',
        summary: `rehearsing commit ${commit.slice(0, 12)}; ${uncommitted.length} uncommitted change(s) are not part of it: commit them to rehearse them`,
        evidence,
      };
    },
  };
}

export function installCheck(): TruthCheck<LocalRehearsalData> {
  return {
    id: 'install',
    required: true,
    run: ({ data, signal }) => runStep(data, 'install', data.analysis.commands.install, data.rootDir, signal),
  };
}

/**
 * The unit's build, after the builds of the workspace packages it runs (dependencies first): a service
 * importing `@acme/db` needs that package's `dist/` as much as its own.
 */
export function buildCheck(build: string | null, packages: ReadonlyArray<{ path: string; command: string }> = []): TruthCheck<LocalRehearsalData> {
  return {
    id: 'build',
    required: build !== null || packages.length > 0,
    dependsOn: ['install'],
    async run({ data, signal }) {
      if (build === null && packages.length === 0) return { status: 'skip', summary: 'no build step: the service runs its sources directly', skipReason: 'the analysis found no build command' };
      for (const p of packages) {
        const outcome = await runStep(data, `build ${p.path}`, p.command, join(data.rootDir, p.path), signal);
        if (outcome.status !== 'pass') return { ...outcome, summary: `workspace package ${p.path}: ${outcome.summary}` };
      }
      if (build === null) return { status: 'pass', summary: `built ${packages.map((p) => p.path).join(', ')}`, evidence: { packages: packages.map((p) => p.path) } };
      return runStep(data, 'build', build, data.unitDir, signal);
    },
  };
}
