import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApi } from '../../../src/cluster/api.js';
import { resolveKubeconfig } from '../../../src/cluster/kubeconfig.js';
import { Resources } from '../../../src/cluster/resources.js';
import type { CliIo } from '../../../src/cli/command.js';
import { verifyCommand } from '../../../src/cli/commands/verify.js';
import { RuntimeTruthReportSchema, verifyDigest } from '../../../src/core/state/runtime-truth-schema.js';
import { DeployResultSchema, type DeployResult } from '../../../src/ops/deploy-result-schema.js';
import { analysisFor, defaultBehaviour, deployApp, Ingress, makeCert, pass, startWorld, statusOf, type World } from './support.js';

/** Faults that change the whole world (a second ingress, no metrics API) and the CLI: one test at a time. */
let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 30_000);
afterAll(async () => {
  await w?.close();
});

function deployResult(app: string, namespace: string): DeployResult {
  return DeployResultSchema.parse({
    schema_version: 1,
    action: 'deploy',
    method: 'server-side-apply',
    app_name: app,
    app_host: app,
    namespace,
    region: 'usw-1.sealos.io',
    repo_name: app,
    docker_hub_user: null,
    workload_kind: 'Deployment',
    image: `ghcr.io/acme/${app}:1.0.0`,
    previous_image: null,
    url: `https://${app}.sim.test`,
    template_digest: 'sha256:' + '0'.repeat(64),
    migrations_digest: null,
    git_commit: null,
    backup: null,
    rollback_reason: null,
    backup_ref: null,
    plan_id: 'p1',
    finished_at: new Date().toISOString(),
    recorded_at: null,
  });
}

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: { HOME: join(w.dir, 'home'), PATH: process.env.PATH } };
  return { io: value, out, err };
}

describe('cluster Truth Pass: world-wide faults and the CLI', { timeout: 30_000 }, () => {
  it('rejects a certificate that expires in 3 days (tls)', async () => {
    const cert = await makeCert(w.dir, 'short', 3);
    const shortIngress = await Ingress.start(cert, w.sim);
    try {
      await deployApp(w, { name: 'shortcert' });
      shortIngress.apps.set('shortcert', defaultBehaviour());
      const report = await pass(w, 'shortcert', { routeTo: { host: '127.0.0.1', port: shortIngress.port }, caFile: cert.certFile });
      expect(report.blocking).toEqual(['tls']);
      const tls = report.checks.find((c) => c.id === 'tls');
      expect(tls?.summary).toMatch(/expires in [23] day\(s\)/);
      expect(tls?.evidence).toMatchObject({ host: 'shortcert.sim.test', subject_alt_names: ['*.sim.test'], authorized: true });
    } finally {
      await shortIngress.close();
    }
  });

  it('fails tls when the certificate does not verify (no trusted CA)', async () => {
    await deployApp(w, { name: 'untrusted' });
    const report = await pass(w, 'untrusted', { caFile: undefined });
    expect(statusOf(report).tls).toBe('fail');
    expect(report.checks.find((c) => c.id === 'tls')?.summary).toMatch(/does not verify \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
  });

  it('skips footprint with the reason when the metrics API is absent, still accepted', async () => {
    await deployApp(w, { name: 'nometrics' });
    w.sim.metrics.disable();
    try {
      // A fresh client: discovery is cached per client, like within one real pass.
      const res = new Resources(new KubeApi(resolveKubeconfig({ path: w.kubeconfig })));
      const report = await pass(w, 'nometrics', { res });
      expect(report.verdict).toBe('accepted');
      const fp = report.checks.find((c) => c.id === 'footprint');
      expect(fp).toMatchObject({ status: 'skip', required: false, skip_reason: expect.stringMatching(/metrics\.k8s\.io is not served/) });
    } finally {
      w.sim.metrics.enable();
    }
  });

  it('`verify --json` exits 0, prints the report and writes .sealos/runtime-truth.json', async () => {
    await deployApp(w, { name: 'cliapp' });
    const dir = join(w.dir, 'cliapp');
    mkdirSync(join(dir, '.sealos'), { recursive: true });
    writeFileSync(join(dir, '.sealos', 'analysis.json'), JSON.stringify(analysisFor()));
    writeFileSync(join(dir, '.sealos', 'deploy-result.json'), JSON.stringify(deployResult('cliapp', 'ns-test')));
    const t = io(dir);
    const code = await verifyCommand.run({ json: true, kubeconfig: w.kubeconfig, window: '1', 'connect-to': `127.0.0.1:${w.ingress.port}`, 'ca-file': w.certFile }, [], t.io);
    const report = RuntimeTruthReportSchema.parse(JSON.parse(t.out.join('')));
    expect({ code, verdict: report.verdict }, JSON.stringify(report.checks, null, 1)).toEqual({ code: 0, verdict: 'accepted' });
    expect(report.identity).toMatchObject({ app_name: 'cliapp', image: 'ghcr.io/acme/cliapp:1.0.0' });
    const written = JSON.parse(readFileSync(join(dir, '.sealos', 'runtime-truth.json'), 'utf8'));
    expect(written).toEqual(report);
    expect(verifyDigest(written)).toBe(true);
    expect(t.err.join('')).toMatch(/PASS identity/);
    expect(t.err.join('')).toMatch(/PASS secrets/);
  });

  it('`verify` exits 1 on a rejected pass with one human line per check', async () => {
    await deployApp(w, { name: 'clibad' });
    const dir = join(w.dir, 'clibad');
    const t = io(w.dir);
    const code = await verifyCommand.run({ kubeconfig: w.kubeconfig, app: 'clibad', image: 'ghcr.io/acme/clibad:9.9.9', window: '0', 'connect-to': `127.0.0.1:${w.ingress.port}`, 'ca-file': w.certFile }, [dir], t.io);
    expect(code).toBe(1);
    const text = t.out.join('');
    expect(text).toMatch(/^FAIL {2}identity/m);
    expect(text).toMatch(/verdict: REJECTED \(required checks did not pass: identity/);
    expect(text.trim().split('\n').filter((l) => /^(PASS|FAIL|WARN|SKIP) /.test(l))).toHaveLength(13);
    expect(existsSync(join(dir, '.sealos', 'runtime-truth.json'))).toBe(true);
  });

  it('`verify` errors (exit 2 by the CLI) with a next step when no app is known or the input is bad', async () => {
    const t = io(w.dir);
    await expect(verifyCommand.run({ kubeconfig: w.kubeconfig }, [join(w.dir, 'empty')], t.io)).rejects.toMatchObject({ code: 'USAGE', next: expect.stringMatching(/--app/) });
    await expect(verifyCommand.run({ window: 'soon', app: 'x' }, [w.dir], t.io)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(verifyCommand.run({ window: '120', budget: '60', app: 'x' }, [w.dir], t.io)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/shorter than the time budget/) });
    await expect(verifyCommand.run({ app: 'x', kubeconfig: join(w.dir, 'missing.yaml') }, [w.dir], t.io)).rejects.toMatchObject({ code: 'KUBECONFIG_MISSING' });
    const other = join(w.dir, 'otherns');
    mkdirSync(join(other, '.sealos'), { recursive: true });
    writeFileSync(join(other, '.sealos', 'deploy-result.json'), JSON.stringify(deployResult('otherapp', 'ns-elsewhere')));
    await expect(verifyCommand.run({ kubeconfig: w.kubeconfig }, [other], t.io)).rejects.toMatchObject({ code: 'TRUTH_IDENTITY_MISMATCH', message: expect.stringMatching(/ns-elsewhere.*ns-test/) });
    writeFileSync(join(other, '.sealos', 'deploy-result.json'), '{"app_name":"x"}');
    await expect(verifyCommand.run({ kubeconfig: w.kubeconfig }, [other], t.io)).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
  });
});
