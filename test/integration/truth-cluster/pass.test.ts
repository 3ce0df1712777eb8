import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeTruthReportSchema, verifyDigest } from '../../../src/core/state/runtime-truth-schema.js';
import { analysisFor, defaultBehaviour, deployApp, html, json, pass, startWorld, statusOf, type World } from './support.js';

let w: World;

/** A progress listener that runs `fn` once, shortly after the pass has read its baseline. */
function afterBaseline(fn: () => unknown) {
  let done = false;
  return (message: string) => {
    if (done || !/^rollout: watching/.test(message)) return;
    done = true;
    setTimeout(fn, 100);
  };
}
beforeAll(async () => {
  w = await startWorld();
}, 30_000);
afterAll(async () => {
  await w?.close();
});

describe.concurrent('cluster Runtime Truth Pass against kube-sim and a real HTTPS ingress', { timeout: 30_000 }, () => {
  it('accepts a healthy app with every check passing and a sealed report', async () => {
    await deployApp(w, { name: 'healthy', replicas: 2 });
    const report = await pass(w, 'healthy');
    RuntimeTruthReportSchema.parse(report);
    expect(verifyDigest(report)).toBe(true);
    expect({ verdict: report.verdict, checks: statusOf(report) }, JSON.stringify(report.checks, null, 1)).toEqual({
      verdict: 'accepted',
      checks: {
        identity: 'pass',
        rollout: 'pass',
        'public-url': 'pass',
        health: 'pass',
        tls: 'pass',
        'startup-logs': 'pass',
        'request-logs': 'pass',
        'error-logs': 'pass',
        database: 'skip',
        footprint: 'pass',
        events: 'pass',
        launchpad: 'skip',
        secrets: 'pass',
      },
    });
    expect(report).toMatchObject({ target: 'cluster', identity: { app_name: 'healthy', namespace: 'ns-test', image: 'ghcr.io/acme/healthy:1.0.0', url: 'https://healthy.sim.test', host: 'healthy.sim.test' } });
    expect(report.checks.find((c) => c.id === 'launchpad')?.skip_reason).toMatch(/no Sealos region/);
    expect(report.checks.find((c) => c.id === 'tls')?.evidence).toMatchObject({ days_left: expect.any(Number) });
    expect(report.checks.find((c) => c.id === 'public-url')?.evidence).toMatchObject({ negative_probe: { status: 404 } });
  });

  it('rejects a root that answers 5xx (public-url)', async () => {
    const b = defaultBehaviour();
    b.routes['/'] = html(502, '<html>Bad Gateway</html>');
    await deployApp(w, { name: 'root5xx' }, b);
    const report = await pass(w, 'root5xx');
    expect(report.verdict).toBe('rejected');
    expect(statusOf(report)['public-url']).toBe('fail');
    expect(report.blocking).toEqual(['public-url']);
    expect(report.checks.find((c) => c.id === 'public-url')?.summary).toMatch(/GET \/ answered 502/);
  });

  it('rejects SSR failure text under a 200 (public-url)', async () => {
    const b = defaultBehaviour();
    b.routes['/'] = html(200, '<html><body><h2>Application error: a server-side exception has occurred (see the server logs for more information).</h2></body></html>');
    await deployApp(w, { name: 'ssrfail' }, b);
    const report = await pass(w, 'ssrfail');
    expect(report.blocking).toEqual(['public-url']);
    expect(report.checks.find((c) => c.id === 'public-url')?.summary).toMatch(/failure page \("Application error", "server-side exception"\)/);
  });

  it('rejects an SPA catch-all that answers a missing API path with 200 HTML (public-url)', async () => {
    const b = defaultBehaviour();
    const shell = html(200, '<!doctype html><html><div id="root"></div></html>');
    b.routes = new Proxy(b.routes, { get: (t, k: string) => t[k] ?? shell });
    await deployApp(w, { name: 'spa' }, b);
    const report = await pass(w, 'spa');
    expect(report.blocking).toEqual(['public-url']);
    const check = report.checks.find((c) => c.id === 'public-url');
    expect(check?.summary).toMatch(/GET \/api\/sealos-deploy-probe-[0-9a-f]+ answered 200 with an HTML page/);
    expect(check?.evidence).toMatchObject({ negative_probe: { status: 200, content_type: 'text/html; charset=utf-8' } });
  });

  it('warns on a slow health answer and records the latency (health)', async () => {
    const b = defaultBehaviour();
    b.routes['/healthz'] = json(200, { status: 'ok' }, 1100);
    await deployApp(w, { name: 'slowhealth' }, b);
    const report = await pass(w, 'slowhealth');
    expect(report.verdict).toBe('accepted');
    const health = report.checks.find((c) => c.id === 'health');
    expect(health?.status).toBe('warn');
    expect(health?.evidence.latency_ms).toBeGreaterThan(1000);
    expect((health?.evidence.latencies_ms as number[]).length).toBe(2);
  });

  it('rejects a health endpoint that leaks the environment and a stack trace (health)', async () => {
    const b = defaultBehaviour();
    b.routes['/healthz'] = json(200, { status: 'ok', env: { PATH: '/usr/local/bin', HOME: '/root', NODE_ENV: 'production' }, lastError: 'Error: db\n    at connect (/app/src/db.js:12:9)' });
    await deployApp(w, { name: 'leakyhealth' }, b);
    const report = await pass(w, 'leakyhealth');
    expect(report.blocking).toEqual(['health']);
    expect(report.checks.find((c) => c.id === 'health')?.summary).toMatch(/reveals stack-trace, environment/);
  });

  it('warns when no startup log names the port (startup-logs), still accepted', async () => {
    await deployApp(w, { name: 'quietstart', startupLogs: ['> quietstart@1.0.0 start', 'booting'] });
    const report = await pass(w, 'quietstart');
    expect(report.verdict).toBe('accepted');
    expect(statusOf(report)['startup-logs']).toBe('warn');
    expect(report.checks.find((c) => c.id === 'startup-logs')?.summary).toMatch(/never log port 3000/);
  });

  it('rejects restarts during the stability window (rollout, events)', async () => {
    await deployApp(w, { name: 'crashy' });
    w.sim.faults.setLogs('crashy', ['server listening on port 3000', 'TypeError: Cannot read properties of undefined', 'Node.js v22.11.0'], { previous: true });
    // The crash starts once the baseline is read (the rollout check says so), inside the window.
    const report = await pass(w, 'crashy', { stabilityWindowMs: 1500, progress: afterBaseline(() => w.sim.faults.podBehaviour('ghcr.io/acme/crashy:1.0.0', { kind: 'crashloop' })) });
    expect(report.verdict).toBe('rejected');
    const s = statusOf(report);
    expect([s.rollout, s.events, s['error-logs']]).toEqual(['fail', 'fail', 'fail']);
    expect(report.checks.find((c) => c.id === 'rollout')?.summary).toMatch(/restarted 1 time\(s\).*CrashLoopBackOff/);
    expect(report.checks.find((c) => c.id === 'error-logs')?.summary).toMatch(/crash/);
  });

  it('rejects an unhandled rejection logged after the smoke traffic (error-logs)', async () => {
    const b = defaultBehaviour();
    b.logsOn = { '/': ['Unhandled Rejection at: Promise { <rejected> Error: cache miss } reason: Error: cache miss'] };
    await deployApp(w, { name: 'rejecty' }, b);
    const report = await pass(w, 'rejecty');
    expect(report.blocking).toEqual(['error-logs']);
    // One per request to /: a check that retries under load (a slow machine) makes it two.
    const signals = (report.checks.find((c) => c.id === 'error-logs')?.evidence as { signals?: Record<string, number> } | undefined)?.signals;
    expect(signals?.['unhandled-rejection']).toBeGreaterThanOrEqual(1);
  });

  it('does not hold errors printed before the baseline against the release (error-logs)', async () => {
    await deployApp(w, { name: 'oldnoise', startupLogs: ['server listening on port 3000', 'Error: connect ECONNREFUSED 10.0.0.9:5432', 'Error: connect ECONNREFUSED 10.0.0.9:5432', 'Error: connect ECONNREFUSED 10.0.0.9:5432'] });
    const report = await pass(w, 'oldnoise');
    expect(statusOf(report)['error-logs']).toBe('pass');
    expect(report.checks.find((c) => c.id === 'error-logs')?.evidence).toMatchObject({ before_baseline: { 'connection-error': 3 } });
  });

  it('rejects a secret value printed in the logs, and the report never contains it (secrets)', async () => {
    const apiKey = 'sk_live_51Habc9XyZ0123456789';
    const input = 'input-token-7f3a9c2e11';
    const b = defaultBehaviour();
    b.logsOn = { '/healthz': [`calling payments with key ${apiKey}`, `auth header Bearer ${input}`] };
    await deployApp(w, { name: 'leaky', secretEnv: { STRIPE_API_KEY: apiKey } }, b);
    const report = await pass(w, 'leaky', { secrets: [input] });
    expect(report.blocking).toEqual(['secrets']);
    const check = report.checks.find((c) => c.id === 'secrets');
    expect(check?.summary).toMatch(/Secret leaky-env key STRIPE_API_KEY/);
    expect(check?.summary).toMatch(/input value #1/);
    const text = JSON.stringify(report);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(input);
    expect(text).not.toContain(Buffer.from(apiKey).toString('base64'));
    expect(text).toContain('[REDACTED]');
  });

  it('accepts a Running database with a read/write path, and reads its password as a secret (database)', async () => {
    await deployApp(w, { name: 'withdb', database: true });
    const report = await pass(w, 'withdb', { analysis: analysisFor({ database: { engine: 'postgres', driver: 'pg', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'] } }), readWritePath: '/api/items' });
    expect(statusOf(report).database, JSON.stringify(report.checks.find((c) => c.id === 'database'))).toBe('pass');
    expect(report.checks.find((c) => c.id === 'secrets')?.evidence.secret_sources).toContain('Secret withdb-pg-conn-credential key password');
    expect(report.verdict).toBe('accepted');
  });

  it('rejects a database cluster that is not Running (database)', async () => {
    await deployApp(w, { name: 'dbstuck', database: true, dbStuck: true });
    const report = await pass(w, 'dbstuck', { analysis: analysisFor({ database: { engine: 'postgres', driver: 'pg', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'] } }), readWritePath: '/api/items' });
    expect(report.blocking).toEqual(['database']);
    expect(report.checks.find((c) => c.id === 'database')?.summary).toMatch(/dbstuck-pg is Creating, not Running/);
  });

  it('warns when memory use is near the limit (footprint)', async () => {
    await deployApp(w, { name: 'hungry' });
    const pods = await w.res.list('v1', 'Pod', { labelSelector: 'app=hungry' });
    for (const p of pods) w.sim.metrics.setUsage(p.metadata.name, { cpu: '20m', memory: '250Mi' });
    const report = await pass(w, 'hungry');
    expect(report.verdict).toBe('accepted');
    expect(statusOf(report).footprint).toBe('warn');
    expect(report.checks.find((c) => c.id === 'footprint')?.summary).toMatch(/uses 250Mi memory, 98% of its 256Mi limit/);
  });

  it('rejects a new Warning event during the window (events)', async () => {
    await deployApp(w, { name: 'warned' });
    const [pod] = await w.res.list('v1', 'Pod', { labelSelector: 'app=warned' });
    const report = await pass(w, 'warned', {
      stabilityWindowMs: 1500,
      progress: afterBaseline(() =>
        w.sim.store.put({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod!.metadata.name}.probe1`, namespace: 'ns-test' },
        involvedObject: { kind: 'Pod', name: pod!.metadata.name, uid: pod!.metadata.uid, namespace: 'ns-test' },
        type: 'Warning',
        reason: 'Unhealthy',
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          count: 1,
        }),
      ),
    });
    expect(report.blocking).toEqual(['events']);
    expect(report.checks.find((c) => c.id === 'events')?.summary).toMatch(/Unhealthy Readiness probe failed/);
  });

  it('never hangs: a budget shorter than the window fails the waiting checks as timed out', async () => {
    await deployApp(w, { name: 'budget' });
    const report = await pass(w, 'budget', { budgetMs: 3000, stabilityWindowMs: 60_000 });
    expect(report.verdict).toBe('rejected');
    // The window waits are cut by the budget: timed out while running or, when a slow probe on a loaded
    // machine held them back until the budget was gone, never started.
    const byBudget = report.checks.filter((c) => /timed out: still running when the 3000 ms budget ran out|the time budget ran out before it could run/.test(c.summary)).map((c) => c.id);
    expect(byBudget).toEqual(expect.arrayContaining(['rollout', 'error-logs', 'events']));
    expect(report.checks.find((c) => c.id === 'rollout')?.summary).toMatch(/timed out: still running when the 3000 ms budget ran out/);
    expect(report.blocking).toEqual(expect.arrayContaining(['rollout', 'error-logs', 'events', 'secrets']));
    expect(report.duration_ms).toBeLessThan(60_000);
    expect(report.checks.find((c) => c.id === 'secrets')?.status).toBe('skip');
  });

  it('fails identity when another image runs than the release expects', async () => {
    await deployApp(w, { name: 'wrongimage' });
    const report = await pass(w, 'wrongimage', { expectedImage: 'ghcr.io/acme/wrongimage:2.0.0' });
    expect(report.blocking).toContain('identity');
    expect(report.checks.find((c) => c.id === 'identity')?.summary).toMatch(/runs ghcr.io\/acme\/wrongimage:1.0.0, expected ghcr.io\/acme\/wrongimage:2.0.0/);
  });
});
