/**
 * Real-cluster suite: runs only when SEALOS_E2E_KUBECONFIG points at a Sealos (or any Kubernetes with
 * the app.sealos.io CRDs) kubeconfig. Deploys examples/hello-node with SEALOS_E2E_IMAGE (an image
 * already pushed, e.g. ghcr.io/<you>/hello-node:<tag>), waits for the rollout, reads status, then
 * deletes everything it created by its exact instance label.
 *
 *   SEALOS_E2E_KUBECONFIG=~/.sealos/kubeconfig SEALOS_E2E_IMAGE=ghcr.io/acme/hello-node:1.0.0 \
 *   [SEALOS_E2E_DOMAIN=usw-1.sealos.app] [SEALOS_E2E_REGISTRY_USER=u SEALOS_E2E_REGISTRY_PASSWORD=t] \
 *   npx vitest run test/e2e/real-cluster
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/core/template/render.js';
import { analyzeProject } from '../../../src/ops/analyze.js';
import { openCluster } from '../../../src/ops/cluster-context.js';
import { deploy } from '../../../src/ops/deploy.js';
import { preflight } from '../../../src/ops/preflight.js';
import { status } from '../../../src/ops/status.js';

const KUBECONFIG = process.env.SEALOS_E2E_KUBECONFIG;
const IMAGE = process.env.SEALOS_E2E_IMAGE;
const DOMAIN = process.env.SEALOS_E2E_DOMAIN;
const REGISTRY_USER = process.env.SEALOS_E2E_REGISTRY_USER;
const REGISTRY_PASSWORD = process.env.SEALOS_E2E_REGISTRY_PASSWORD;
const LABEL = 'cloud.sealos.io/deploy-on-sealos';

/** Everything a template instance creates, deleted by the exact instance label (never by name prefix). */
const KINDS: Array<[string, string]> = [
  ['app.sealos.io/v1', 'Instance'],
  ['app.sealos.io/v1', 'App'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolumeClaim'],
];

describe.skipIf(!KUBECONFIG)('real cluster: deploy examples/hello-node', () => {
  let dir = '';
  let appName: string | null = null;

  afterAll(async () => {
    if (appName && KUBECONFIG) {
      const { res } = openCluster({ kubeconfig: resolve(KUBECONFIG) });
      for (const [apiVersion, kind] of KINDS) {
        const served = await res.served(apiVersion).catch(() => null);
        if (!served?.some((r) => r.kind === kind)) continue;
        for (const o of await res.list(apiVersion, kind, { labelSelector: `${LABEL}=${appName}` })) {
          if (o.metadata.labels?.[LABEL] === appName) await res.delete(apiVersion, kind, o.metadata.name);
        }
      }
      // The pull Secret carries the app label too (it is created outside the template).
      const secret = await res.get('v1', 'Secret', appName);
      if (secret?.metadata.labels?.['cloud.sealos.io/app-deploy-manager'] === appName) await res.delete('v1', 'Secret', appName);
      const left = await res.list('apps/v1', 'Deployment', { labelSelector: `${LABEL}=${appName}` });
      expect(left.filter((d) => !d.metadata.deletionTimestamp)).toEqual([]);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('preflight, plan, deploy with confirm, rollout, status', async () => {
    if (!IMAGE) throw new Error('Set SEALOS_E2E_IMAGE to a pushed image of examples/hello-node (unique tag, not latest).');
    dir = await mkdtemp(join(tmpdir(), 'sealos-e2e-'));
    await cp(resolve('examples/hello-node'), dir, { recursive: true });
    const { analysis } = await analyzeProject(dir);
    const privateImage = Boolean(REGISTRY_USER && REGISTRY_PASSWORD);
    const rendered = renderTemplate(analysis, { image: IMAGE, appName: 'e2e-hello', ...(privateImage ? { imagePullSecret: true } : {}) });
    await mkdir(join(dir, '.sealos', 'template'), { recursive: true });
    await writeFile(join(dir, '.sealos', 'template', 'index.yaml'), rendered.yaml);
    const common = { kubeconfig: resolve(KUBECONFIG!), ...(DOMAIN ? { domain: DOMAIN } : {}) };

    const pre = await preflight(dir, { ...common, image: IMAGE });
    expect(pre.blockers).toEqual([]);

    const plan = await deploy(dir, { ...common, image: IMAGE });
    if (plan.outcome !== 'planned') throw new Error(`expected a plan, got ${plan.outcome}`);
    expect(plan.plan.mode).toBe('DEPLOY');
    appName = plan.plan.app_name;

    const out = await deploy(dir, {
      ...common,
      image: IMAGE,
      confirm: true,
      planId: plan.plan.plan_id,
      timeoutMs: 300_000,
      pollMs: 3000,
      ...(privateImage ? { registryCredential: { username: REGISTRY_USER!, password: REGISTRY_PASSWORD! } } : {}),
      progress: (m) => process.stderr.write(`  … ${m}\n`),
    });
    if (out.outcome !== 'applied') throw new Error(`expected applied, got ${out.outcome}`);
    expect(out.app_name).toBe(appName);
    expect(out.rollout.ready).toBeGreaterThanOrEqual(1);
    expect(out.url).toMatch(/^https:\/\//);

    const s = await status(dir, { ...common, app: appName });
    if (s.outcome !== 'app') throw new Error('expected the app');
    expect(s.status.workload?.status).toBe('running');
    expect(s.status.pods.every((p) => p.ready)).toBe(true);
  }, 600_000);
});
