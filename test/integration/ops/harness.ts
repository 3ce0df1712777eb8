import { afterAll, afterEach, beforeAll } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplate } from '../../../src/core/template/render.js';
import type { RenderInputs } from '../../../src/core/template/types.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { sealReport, RUNTIME_TRUTH_SCHEMA_VERSION, type RuntimeTruthReport } from '../../../src/core/state/runtime-truth-schema.js';
import type { ClusterOptions } from '../../../src/ops/cluster-context.js';
import { deploy, type DeployOutcome } from '../../../src/ops/deploy.js';
import { recordState } from '../../../src/ops/record.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

export const IMAGE = 'ghcr.io/acme/demo-api:1.0.0-abc1234';
export const IMAGE2 = 'ghcr.io/acme/demo-api:1.1.0-def5678';
export const DOMAIN = 'test.sealos.app';

/** A Sealos-like workspace: kube-sim over real HTTP, a fast controller. */
export async function startSim(): Promise<KubeSim> {
  return startKubeSim({ controller: { intervalMs: 5 } });
}

export interface TestApp {
  dir: string;
  kubeconfig: string;
  /** Options every op call needs: this kubeconfig, an isolated HOME, no ambient env. */
  opts: ClusterOptions & { home: string; env: NodeJS.ProcessEnv; domain: string; pollMs: number };
  analysis: Analysis;
  render(image: string, inputs?: Partial<RenderInputs>): Promise<void>;
  cleanup(): Promise<void>;
}

/** A unit dir with analysis.json and a rendered template, plus a kubeconfig for `sim`. */
export async function makeApp(sim: KubeSim, overrides: DeepPartial<Analysis> = {}, image = IMAGE, renderExtra: Partial<RenderInputs> = {}): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'ops-app-'));
  const home = join(dir, 'home');
  await mkdir(join(dir, '.sealos', 'template'), { recursive: true });
  await mkdir(home, { recursive: true });
  const analysis = buildAnalysis(overrides);
  await writeFile(join(dir, '.sealos', 'analysis.json'), JSON.stringify(analysis, null, 2));
  const kubeconfig = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig);
  const app: TestApp = {
    dir,
    kubeconfig,
    analysis,
    opts: { kubeconfig, home, env: { HOME: home }, domain: DOMAIN, pollMs: 10 },
    async render(img, extra = {}) {
      const r = renderTemplate(analysis, { appName: 'demo-api', image: img, ...renderExtra, ...extra });
      await writeFile(join(dir, '.sealos', 'template', 'index.yaml'), r.yaml);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await app.render(image);
  return app;
}

/** An accepted cluster Truth report for exactly this identity, sealed like the Truth Pass seals it. */
export function acceptedTruth(identity: { app_name: string; namespace: string; image: string; url: string | null }, at = new Date(Date.now() + 1000)): RuntimeTruthReport {
  const started = at.toISOString();
  const finished = new Date(at.getTime() + 61_000).toISOString();
  return sealReport({
    schema_version: RUNTIME_TRUTH_SCHEMA_VERSION,
    tool: { name: 'sealos-deploy', version: '0.1.0' },
    target: 'cluster',
    verdict: 'accepted',
    verdict_reason: 'every required check passed',
    blocking: [],
    identity: { app_name: identity.app_name, namespace: identity.namespace, image: identity.image, ...(identity.url ? { url: identity.url } : {}) },
    started_at: started,
    finished_at: finished,
    duration_ms: 61_000,
    budget_ms: 120_000,
    stability_window_seconds: 60,
    checks: [{ id: 'url-reachable', status: 'pass', required: true, summary: 'ok', evidence: {}, duration_ms: 5, skip_reason: null }],
  });
}

export async function writeTruth(dir: string, report: unknown): Promise<void> {
  await writeFile(join(dir, '.sealos', 'runtime-truth.json'), JSON.stringify(report, null, 2));
}

export function applied(out: DeployOutcome) {
  if (out.outcome !== 'applied') throw new Error(`expected applied, got ${out.outcome}`);
  return out;
}

/** Deploy (plan, then confirm with the plan id), a sealed accepted Truth report, record: one recorded release. */
export async function deployAndRecord(app: TestApp, extra: Parameters<typeof deploy>[1] = {}) {
  const plan = await deploy(app.dir, { ...app.opts, ...extra });
  if (plan.outcome !== 'planned') throw new Error(`expected planned, got ${plan.outcome}`);
  const out = applied(await deploy(app.dir, { ...app.opts, ...extra, confirm: true, planId: plan.plan.plan_id }));
  await writeTruth(app.dir, acceptedTruth({ app_name: out.app_name, namespace: out.namespace, image: out.image, url: out.url }));
  await recordState(app.dir, {});
  return out;
}

const WIPE: Array<[string, string]> = [
  ['app.sealos.io/v1', 'Instance'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['app.sealos.io/v1', 'App'],
  ['v1', 'Secret'],
  ['v1', 'ResourceQuota'],
  ['apps.kubeblocks.io/v1alpha1', 'Cluster'],
  ['dataprotection.kubeblocks.io/v1alpha1', 'Backup'],
  ['v1', 'Event'],
];

/** Empty the test namespace between tests, so each test sees only its own app (and the sim stays fast). */
export function wipe(sim: KubeSim, namespace = 'ns-test'): void {
  sim.faults.clear();
  for (const [v, k] of WIPE) for (const o of sim.store.list(v, k, namespace)) sim.store.delete(v, k, namespace, o.metadata.name);
}

export interface SimSuite {
  /** The file's simulator (started before the first test). */
  readonly sim: KubeSim;
  /** A temp project rendered for the simulator; removed after the test. */
  newApp(overrides?: DeepPartial<Analysis>, image?: string, renderExtra?: Partial<RenderInputs>): Promise<TestApp>;
}

/** One simulator per test file, wiped between tests, with the apps each test made cleaned up. */
export function useSimSuite(): SimSuite {
  let started: KubeSim | undefined;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    started = await startSim();
  });
  afterAll(async () => {
    await started?.close();
  });
  afterEach(async () => {
    if (started) wipe(started);
    for (const a of apps.splice(0)) await a.cleanup();
  });
  const suite: SimSuite = {
    get sim() {
      if (!started) throw new Error('the simulator starts in beforeAll');
      return started;
    },
    async newApp(...args) {
      const a = await makeApp(suite.sim, ...args);
      apps.push(a);
      return a;
    },
  };
  return suite;
}
