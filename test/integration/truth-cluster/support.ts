import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KubeApi } from '../../../src/cluster/api.js';
import { resolveKubeconfig } from '../../../src/cluster/kubeconfig.js';
import { Resources, type KubeObject } from '../../../src/cluster/resources.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { runClusterTruthPass, type ClusterTruthOptions } from '../../../src/core/truth/cluster/pass.js';
import { nodeHttp } from '../../../src/system/http.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

export const DOMAIN = 'sim.test';
const LABEL = 'cloud.sealos.io/app-deploy-manager';

/** A self-signed certificate for *.sim.test made at test time (EC keys: fast). */
export async function makeCert(dir: string, name: string, days: number): Promise<{ cert: string; key: string; certFile: string }> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', `/CN=*.${DOMAIN}`, '-addext', `subjectAltName=DNS:*.${DOMAIN}`]);
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** How one app answers, by path; anything not listed is a JSON 404. Every request is logged into the app's pod logs. */
export interface AppBehaviour {
  routes: Record<string, Handler>;
  /** Extra log lines the app prints when it serves a path. */
  logsOn?: Record<string, string[]>;
  /** Off: the app does not log requests. */
  requestLog?: boolean;
}

export const json = (status: number, body: unknown, delayMs = 0): Handler => async (_req, res) => {
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
export const html = (status: number, body: string): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
};

export function defaultBehaviour(): AppBehaviour {
  return {
    routes: {
      '/': html(200, '<!doctype html><html><body><h1>Demo</h1></body></html>'),
      '/healthz': json(200, { status: 'ok' }),
      '/api/items': json(200, { items: [] }),
    },
  };
}

/** A real HTTPS server standing in for the cluster ingress: it dispatches on the Host header to each app's behaviour. */
export class Ingress {
  readonly apps = new Map<string, AppBehaviour>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(cert: { cert: string; key: string }, sim: KubeSim): Promise<Ingress> {
    let self: Ingress | null = null;
    const server = createServer({ cert: cert.cert, key: cert.key }, async (req, res) => {
      const host = (req.headers.host ?? '').split(':')[0] ?? '';
      const app = host.replace(`.${DOMAIN}`, '');
      const b = self?.apps.get(app);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const handler = b?.routes[path] ?? json(404, { error: 'not found' });
      const t0 = Date.now();
      await handler(req, res);
      if (b && b.requestLog !== false) sim.faults.setLogs(app, [`${req.method} ${path} ${res.statusCode} ${Date.now() - t0}ms`], { append: true });
      const extra = b?.logsOn?.[path];
      if (extra) sim.faults.setLogs(app, extra, { append: true });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    self = new Ingress(server, (server.address() as AddressInfo).port);
    return self;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

export interface AppSpec {
  name: string;
  image?: string;
  replicas?: number;
  startupLogs?: string[];
  /** A KubeBlocks PostgreSQL cluster `<name>-pg` the app reads its password from. */
  database?: boolean;
  /** The database cluster never leaves Creating. */
  dbStuck?: boolean;
  /** Secret `<name>-env` with these keys, read by the app's env. */
  secretEnv?: Record<string, string>;
  limits?: { cpu: string; memory: string };
}

export const imageOf = (name: string) => `ghcr.io/acme/${name}:1.0.0`;

export function manifests(spec: AppSpec, namespace: string): KubeObject[] {
  const { name } = spec;
  const labels = { [LABEL]: name };
  const env: Array<Record<string, unknown>> = [];
  const objects: KubeObject[] = [];
  if (spec.secretEnv) {
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-env`, namespace, labels }, type: 'Opaque', data: Object.fromEntries(Object.entries(spec.secretEnv).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
    for (const k of Object.keys(spec.secretEnv)) env.push({ name: k, valueFrom: { secretKeyRef: { name: `${name}-env`, key: k } } });
  }
  if (spec.database) {
    env.push({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: `${name}-pg-conn-credential`, key: 'password' } } });
    objects.push({
      apiVersion: 'apps.kubeblocks.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: `${name}-pg`, namespace, labels: { 'app.kubernetes.io/instance': `${name}-pg` } },
      spec: { clusterDefinitionRef: 'postgresql', componentSpecs: [{ name: 'postgresql', componentDefRef: 'postgresql', replicas: 1 }], terminationPolicy: 'Delete' },
    });
  }
  objects.push(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels: { ...labels, app: name } },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name,
                image: spec.image ?? imageOf(name),
                ports: [{ name: 'http', containerPort: 3000 }],
                env,
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: spec.limits ?? { cpu: '500m', memory: '256Mi' } },
              },
            ],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { ...labels, app: name } }, spec: { ports: [{ name: 'http', port: 3000, targetPort: 3000 }], selector: { app: name } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace, labels },
      spec: { rules: [{ host: `${name}.${DOMAIN}`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 3000 } } } }] } }], tls: [{ hosts: [`${name}.${DOMAIN}`], secretName: 'wildcard-cert' }] },
    },
    { apiVersion: 'app.sealos.io/v1', kind: 'App', metadata: { name, namespace, labels }, spec: { name, type: 'link', data: { url: `https://${name}.${DOMAIN}` } } },
  );
  return objects;
}

export interface World {
  sim: KubeSim;
  res: Resources;
  ingress: Ingress;
  dir: string;
  certFile: string;
  kubeconfig: string;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'truth-cluster-'));
  const sim = await startKubeSim();
  const kubeconfig = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig);
  const res = new Resources(new KubeApi(resolveKubeconfig({ path: kubeconfig })));
  const cert = await makeCert(dir, 'good', 90);
  const ingress = await Ingress.start(cert, sim);
  return {
    sim,
    res,
    ingress,
    dir,
    certFile: cert.certFile,
    kubeconfig,
    async close() {
      await ingress.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Applies the app's objects, gives it startup logs and a behaviour, and waits until its pods are ready. */
export async function deployApp(w: World, spec: AppSpec, behaviour: AppBehaviour = defaultBehaviour()): Promise<void> {
  w.sim.faults.setLogs(spec.name, spec.startupLogs ?? [`> ${spec.name}@1.0.0 start`, 'connected to config', 'server listening on port 3000']);
  if (spec.dbStuck) w.sim.faults.clusterBehaviour(`${spec.name}-pg`, { kind: 'stuck' });
  for (const o of manifests(spec, w.sim.namespace)) await w.res.apply(o);
  w.ingress.apps.set(spec.name, behaviour);
  const want = spec.replicas ?? 1;
  for (let i = 0; i < 200; i++) {
    const d = (await w.res.get('apps/v1', 'Deployment', spec.name)) as (KubeObject & { status?: { readyReplicas?: number } }) | null;
    const db = spec.database ? ((await w.res.get('apps.kubeblocks.io/v1alpha1', 'Cluster', `${spec.name}-pg`)) as (KubeObject & { status?: { phase?: string } }) | null) : null;
    if ((d?.status?.readyReplicas ?? 0) >= want && (!spec.database || db?.status?.phase === (spec.dbStuck ? 'Creating' : 'Running'))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${spec.name} did not become ready in the simulator`);
}

export function analysisFor(overrides: Parameters<typeof buildAnalysis>[0] = {}): Analysis {
  return buildAnalysis(overrides);
}

/** Runs the pass against one app of the world, routed to the test ingress. */
export function pass(w: World, name: string, extra: Partial<ClusterTruthOptions> = {}) {
  return runClusterTruthPass({
    res: w.res,
    http: nodeHttp,
    analysis: analysisFor(),
    appName: name,
    namespace: w.sim.namespace,
    expectedImage: imageOf(name),
    budgetMs: 20_000,
    stabilityWindowMs: 1000,
    routeTo: { host: '127.0.0.1', port: w.ingress.port },
    caFile: w.certFile,
    ...extra,
  });
}

export const statusOf = (report: { checks: Array<{ id: string; status: string }> }) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
