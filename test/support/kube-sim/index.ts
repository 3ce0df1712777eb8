/**
 * A Kubernetes API simulator that real clients (@kubernetes/client-node, kubectl) talk to
 * unchanged through a kubeconfig. See README-style notes in each module; start here.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify as toYaml } from 'yaml';
import type { TokenGrant } from './auth.js';
import { Auth } from './auth.js';
import { Ctx } from './context.js';
import { Controller } from './controller.js';
import { Catalogue, groupVersion } from './discovery.js';
import { Events } from './events.js';
import type { ClusterBehaviour, FaultRule, PodBehaviour } from './faults.js';
import { Faults } from './faults.js';
import { Logs } from './logs.js';
import type { Usage } from './metrics.js';
import { Metrics } from './metrics.js';
import { Operations } from './operations.js';
import type { RequestRecord } from './server.js';
import { createHandler } from './server.js';
import type { KObject } from './store.js';
import { SimClock, Store } from './store.js';
import { SIM_CA_CERT, SIM_SERVER_CERT, SIM_SERVER_KEY } from './tls-fixture.js';

export type { ClusterBehaviour, FaultRule, PodBehaviour, RequestRecord, KObject, TokenGrant, Usage };

export interface KubeSimOptions {
  port?: number;
  /** the kubeconfig context namespace and the default token's scope (default ns-test) */
  namespace?: string;
  /** the default token (default: a random one) */
  token?: string;
  /** extra namespaces that exist from the start (default ['default', 'kube-system', 'other']) */
  namespaces?: string[];
  controller?: { intervalMs?: number };
  /**
   * Serve https with the fixed test CA (kubeconfig carries certificate-authority-data).
   * Needed for kubectl with token auth: kubectl never sends a bearer token over plain http.
   */
  tls?: boolean;
}

export interface KubeSim {
  url: string;
  namespace: string;
  token: string;
  kubeconfigYaml: string;
  writeKubeconfig(path: string): void;
  store: {
    get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KObject | undefined;
    list(apiVersion: string, kind: string, namespace?: string): KObject[];
    /** create or replace, bypassing admission and validation (status included) */
    put(obj: KObject): KObject;
    delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
  };
  faults: {
    inject(rule: FaultRule): () => void;
    clear(): void;
    podBehaviour(image: string, behaviour: PodBehaviour | null): void;
    clusterBehaviour(name: string, behaviour: ClusterBehaviour | null): void;
    /** log lines of a pod, or of every pod labelled app=<target> */
    setLogs(podNameOrAppLabel: string, lines: string[], opts?: { previous?: boolean; container?: string; append?: boolean }): void;
  };
  controller: {
    settle(): Promise<void>;
    tick(): boolean;
    pause(): void;
    resume(): void;
    /** move simulated time forward (progress deadlines, crash back-off, log ages) */
    advance(ms: number): void;
  };
  metrics: { setUsage(podOrPodContainer: string, usage: Usage): void; disable(): void; enable(): void };
  addToken(token: string, grant?: TokenGrant): void;
  requests: RequestRecord[];
  close(): Promise<void>;
}

export function kubeconfigFor(url: string, namespace: string, token: string): string {
  // client-node refuses http:// servers unless skipTLSVerify is set; https gets the test CA.
  const cluster = url.startsWith('https:')
    ? { server: url, 'certificate-authority-data': Buffer.from(SIM_CA_CERT).toString('base64') }
    : { server: url, 'insecure-skip-tls-verify': true };
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-sim', cluster }],
    users: [{ name: 'kube-sim-user', user: { token } }],
    contexts: [{ name: 'kube-sim', context: { cluster: 'kube-sim', user: 'kube-sim-user', namespace } }],
    'current-context': 'kube-sim',
    preferences: {},
  });
}

export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const namespace = opts.namespace ?? 'ns-test';
  const token = opts.token ?? `sim-${crypto.randomUUID()}`;
  const clock = new SimClock();
  const catalogue = new Catalogue();
  const store = new Store(clock);
  const ops = new Operations(store, catalogue, clock);
  const events = new Events(store, catalogue, clock);
  const faults = new Faults();
  const logs = new Logs(clock);
  const metrics = new Metrics(clock);
  const auth = new Auth();
  auth.add(token, { namespace }, namespace);
  const ctx = new Ctx(store, catalogue, clock, events, faults, ops, logs);
  const controller = new Controller(ctx, opts.controller?.intervalMs ?? 50);
  const requests: RequestRecord[] = [];
  const closers = new Set<() => void>();

  const nsInfo = catalogue.byKind('v1', 'Namespace')!;
  for (const ns of new Set([namespace, ...(opts.namespaces ?? ['default', 'kube-system', 'other'])])) {
    store.create(nsInfo, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  let address = '127.0.0.1:0';
  const handler = createHandler({
    store,
    catalogue,
    clock,
    ops,
    auth,
    faults,
    logs,
    metrics,
    kubelet: controller.kubelet,
    requests,
    address: () => address,
    track: (close) => {
      closers.add(close);
      return () => closers.delete(close);
    },
  });
  const server = opts.tls ? createTlsServer({ cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const kubeconfigYaml = kubeconfigFor(url, namespace, token);
  controller.start();

  const infoOf = (apiVersion: string, kind: string) => {
    const info = catalogue.byKind(apiVersion, kind);
    if (!info) throw new Error(`kube-sim: unknown kind ${apiVersion}/${kind}`);
    return info;
  };

  return {
    url,
    namespace,
    token,
    kubeconfigYaml,
    writeKubeconfig(path: string) {
      writeFileSync(path, kubeconfigYaml, { mode: 0o600 });
    },
    store: {
      get: (apiVersion, kind, ns, name) => store.get(infoOf(apiVersion, kind), ns, name),
      list: (apiVersion, kind, ns) => store.list(infoOf(apiVersion, kind), ns),
      put(obj) {
        const info = infoOf(obj.apiVersion, obj.kind);
        const o = structuredClone(obj);
        if (info.namespaced) o.metadata.namespace ??= namespace;
        o.apiVersion = groupVersion(info);
        return store.get(info, o.metadata.namespace, o.metadata.name) ? store.update(info, o) : store.create(info, o);
      },
      delete(apiVersion, kind, ns, name) {
        const gone = store.remove(infoOf(apiVersion, kind), ns, name);
        if (gone) ops.cascade(gone, 'Background');
        return !!gone;
      },
    },
    faults: {
      inject: (rule) => faults.inject(rule),
      clear: () => faults.clear(),
      podBehaviour: (image, b) => faults.podBehaviour(image, b),
      clusterBehaviour: (name, b) => faults.clusterBehaviour(name, b),
      setLogs: (target, lines, o) => logs.set(target, lines, o),
    },
    controller: {
      settle: () => controller.settle(),
      tick: () => controller.tick(),
      pause: () => controller.pause(),
      resume: () => controller.resume(),
      advance: (ms) => clock.advance(ms),
    },
    metrics: {
      setUsage: (target, usage) => metrics.setUsage(target, usage),
      disable() {
        metrics.enabled = false;
        catalogue.disableGroup('metrics.k8s.io');
      },
      enable() {
        metrics.enabled = true;
        catalogue.enableGroup('metrics.k8s.io');
      },
    },
    addToken: (t, grant = {}) => {
      auth.add(t, grant, namespace);
    },
    requests,
    async close() {
      controller.stop();
      for (const c of closers) c();
      closers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
