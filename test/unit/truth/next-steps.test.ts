import { describe, expect, it } from 'vitest';
import type { RuntimeTruthReport } from '../../../src/core/state/runtime-truth-schema.js';
import { nextSteps } from '../../../src/core/truth/next-steps.js';

type Check = RuntimeTruthReport['checks'][number];
const check = (id: string, status: Check['status'], summary: string, required = true): Check =>
  ({ id, status, required, summary, evidence: {}, duration_ms: 1, skip_reason: status === 'skip' ? summary : null }) as Check;
const report = (target: 'cluster' | 'local', ...checks: Check[]) => ({ target, checks });

const NOT_FOUND = 'https://app.usw-1.sealos.app: host name not found (connecting to app.usw-1.sealos.app:443)';

describe('nextSteps', () => {
  it('says nothing when every check passed or only warned', () => {
    expect(nextSteps(report('cluster', check('rollout', 'pass', '1/1 ready'), check('startup-logs', 'warn', 'never logs the port', false)))).toEqual([]);
  });

  it('gives one step for a host that does not resolve, however many checks it broke', () => {
    const steps = nextSteps(
      report('cluster', check('public-url', 'fail', `GET / got no answer (${NOT_FOUND})`), check('health', 'fail', `GET /healthz got no answer: ${NOT_FOUND}`), check('tls', 'fail', `no TLS connection to app: ${NOT_FOUND}`)),
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatch(/does not resolve.*--domain/);
  });

  it('puts the cause before its symptoms: a crash loop before the 503 it causes', () => {
    const steps = nextSteps(
      report('cluster', check('health', 'fail', 'GET /healthz answered 503, a health endpoint must answer 2xx'), check('rollout', 'fail', 'rollout not complete: pod app-1 in CrashLoopBackOff (3 restarts)')),
    );
    expect(steps[0]).toMatch(/crashes or restarts/);
    expect(steps[1]).toMatch(/502\/503\/504/);
  });

  it('tells image pull, memory and scheduling failures apart', () => {
    expect(nextSteps(report('cluster', check('rollout', 'fail', 'pod app-1 ImagePullBackOff')))[0]).toMatch(/pull the image/);
    expect(nextSteps(report('cluster', check('rollout', 'fail', 'container app OOMKilled')))[0]).toMatch(/--memory/);
    expect(nextSteps(report('cluster', check('rollout', 'fail', 'pods unschedulable: exceeded quota')))[0]).toMatch(/quota/);
  });

  it('covers a required check that was skipped', () => {
    expect(nextSteps(report('cluster', check('health', 'skip', 'no health path known')))[0]).toMatch(/\/healthz/);
    expect(nextSteps(report('cluster', check('footprint', 'skip', 'no metrics', false)))).toEqual([]);
  });

  it('does not blame a check that was skipped because of another failure', () => {
    const steps = nextSteps(report('local', check('stays-up', 'fail', 'the service exited with code 1 after 2.2 s'), check('graceful-shutdown', 'skip', 'the service had already exited (see stays-up)')));
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatch(/exited/);
  });

  it('gives local advice for a local rehearsal, never the ingress', () => {
    const steps = nextSteps(
      report('local', check('health', 'fail', 'GET /healthz got no answer: connection refused'), check('listens-all-interfaces', 'fail', 'listening on 127.0.0.1 only'), check('committed-tree', 'fail', '3 uncommitted files')),
    );
    expect(steps[0]).toMatch(/^Commit/);
    expect(steps.join('\n')).toMatch(/0\.0\.0\.0/);
    expect(steps.join('\n')).not.toMatch(/Ingress|--connect-to/);
  });

  it('names a missing build tool instead of "the build failed"', () => {
    const steps = nextSteps(report('local', check('build', 'fail', 'npm run build exited with code 127: a command the script runs is not installed; last output: sh: 1: tsc: not found')));
    expect(steps).toEqual([expect.stringMatching(/^A tool the script runs is not installed: add it to devDependencies/)]);
  });

  it('points at corepack, not at the dependencies, when the package manager itself is missing', () => {
    const steps = nextSteps(report('local', check('install', 'fail', 'yarn is not installed (not found on PATH) and corepack could not provide it (No compatible signature found in package metadata): run `corepack enable` …')));
    expect(steps).toEqual([expect.stringMatching(/^The package manager is not available here: run `corepack enable`/)]);
    // A `yarn` on PATH that is corepack's own shim fails the same way, inside the install.
    const shim = nextSteps(report('local', check('install', 'fail', 'yarn install --frozen-lockfile exited with code 1; last output: [cause]: Error: No compatible signature found in package metadata')));
    expect(shim).toEqual([expect.stringMatching(/^The package manager is not available here/)]);
  });

  it('says the start command backgrounds the server, not that the service ignores PORT', () => {
    const steps = nextSteps(report('local', check('start', 'fail', 'before listening on port 39491: the start command exited with code 0 after 1.4 s but 2 process(es) it started keep running: it backgrounds the server (&, a daemon, a process manager); start one foreground process')));
    expect(steps).toEqual([expect.stringMatching(/^The start command returns while the server runs on in the background/)]);
  });

  it('names an unreachable download host rather than the lockfile', () => {
    const steps = nextSteps(report('local', check('install', 'fail', 'npm install exited with code 1; last output: npm error [FAILED] Error: getaddrinfo ENOTFOUND download.cypress.io')));
    expect(steps).toEqual([expect.stringMatching(/^The install needs a network host this machine cannot reach/)]);
  });

  it('asks for a local database when the service died without one', () => {
    const steps = nextSteps(report('local', check('stays-up', 'fail', 'the service exited with code 1 after 0.6 s; it could not reach its mongodb database (MONGODB_URI): give the rehearsal one with --env-file, inside the 10 s stability window')));
    expect(steps[0]).toMatch(/^The service needs its database to start/);
  });

  it('puts a leaked secret first', () => {
    const steps = nextSteps(report('cluster', check('error-logs', 'fail', '2 error lines'), check('secrets', 'fail', 'DATABASE_URL value in the logs')));
    expect(steps[0]).toMatch(/rotate/);
  });
});
