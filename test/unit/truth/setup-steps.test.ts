import { describe, expect, it } from 'vitest';
import type { Runner, RunResult } from '../../../src/core/ports.js';
import { systemClock } from '../../../src/core/ports.js';
import { createRedactor } from '../../../src/core/redact.js';
import type { LocalRehearsalData } from '../../../src/core/truth/local/context.js';
import { causeLine, installCheck } from '../../../src/core/truth/local/checks/setup.js';
import { analysisFrom } from '../../integration/rehearse/support.js';

/** A machine with Node (and corepack) on PATH, whose other programs are the test's to say. */
function machine(onPath: string[], corepackWorks = true): Runner & { calls: string[][] } {
  const calls: string[][] = [];
  const result = (over: Partial<RunResult>): RunResult => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, notFound: false, ...over }) as RunResult;
  return {
    calls,
    async run(program, args) {
      calls.push([program, ...args]);
      if (program === 'corepack')
        return result(
          corepackWorks
            ? { stdout: '1.22.22\n' }
            : { exitCode: 1, stderr: '/usr/lib/node_modules/corepack/dist/lib/corepack.cjs:22036\n      throw new Error(`Corepack cannot…`)\n\nError: Corepack cannot download the latest stable version of yarn; you can disable signature verification\n    at fetchLatestStableVersion (/usr/lib/node_modules/corepack/dist/lib/corepack.cjs:22036:13)\n' },
        );
      return onPath.includes(program) ? result({}) : result({ exitCode: null, notFound: true });
    },
  } as Runner & { calls: string[][] };
}

async function install(runner: Runner) {
  const data = { analysis: analysisFrom({ package_manager: { name: 'yarn-classic' }, commands: { install: 'yarn install --frozen-lockfile' } }), runner, rootDir: '/r', unitDir: '/r', setupEnv: { PATH: '/usr/bin' }, setupOutput: [] } as unknown as LocalRehearsalData;
  return installCheck().run({ signal: new AbortController().signal, clock: systemClock, redactor: createRedactor(), result: () => undefined, progress: () => {}, data });
}

describe('yarn or pnpm missing from PATH', () => {
  it('runs through corepack, which Node ships, and says so', async () => {
    const runner = machine([]);
    const r = await install(runner);
    expect(r.status).toBe('pass');
    expect(runner.calls.at(-1)).toEqual(['corepack', 'yarn', 'install', '--frozen-lockfile']);
    expect(r.evidence).toMatchObject({ via: expect.stringContaining('corepack yarn') });
  });

  it('runs the program itself when it is on PATH', async () => {
    const runner = machine(['yarn']);
    expect((await install(runner)).status).toBe('pass');
    expect(runner.calls.at(-1)).toEqual(['yarn', 'install', '--frozen-lockfile']);
  });

  it('names the error line of a crashed install, not the Node version printed after its stack trace', async () => {
    const runner = machine(['yarn']);
    const crashing: Runner = {
      async run(program, args) {
        if (args[0] === '--version') return runner.run(program, args);
        return { exitCode: 1, stdout: '', stderr: 'Error: No compatible signature found in package metadata\n    at verifySignature (corepack.cjs:1:1)\n}\n\nNode.js v20.20.2\n', durationMs: 1, timedOut: false, notFound: false } as RunResult;
      },
    };
    expect((await install(crashing)).summary).toMatch(/last output: Error: No compatible signature found/);
  });

  it('fails with the way out when corepack cannot provide it either', async () => {
    const r = await install(machine([], false));
    // Corepack's own reason (here an old corepack whose registry keys were rotated) and the way out.
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/not installed .*Corepack cannot download the latest stable version of yarn.*corepack@latest/) });
  });
});

describe('the cause of a failed step', () => {
  it('is the last Error line, else the last line that is not boilerplate', () => {
    const cypress = ['npm error [FAILED] URL: https://download.cypress.io/desktop/13.17.0', 'npm error [FAILED] Error: getaddrinfo ENOTFOUND download.cypress.io', 'npm error [FAILED] ', 'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log'];
    expect(causeLine(cypress)).toBe('npm error [FAILED] Error: getaddrinfo ENOTFOUND download.cypress.io');
    expect(causeLine(['> tsc', 'sh: 1: tsc: not found'])).toBe('sh: 1: tsc: not found');
    expect(causeLine(['Error: boom', '    at x (y.js:1:1)', '}', '', 'Node.js v20.20.2'])).toBe('Error: boom');
    expect(causeLine([])).toBeUndefined();
  });
});
