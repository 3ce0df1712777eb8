import { systemClock, type Http, type HttpResponse } from '../../../src/core/ports.js';
import { createRedactor } from '../../../src/core/redact.js';
import type { CheckContext, TruthCheck } from '../../../src/core/truth/runner.js';
import type { ClusterTruthData, LiveFacts, Snapshot } from '../../../src/core/truth/cluster/context.js';
import type { ClusterReader, LiveObject } from '../../../src/core/truth/cluster/ports.js';
import { buildAnalysis } from '../../support/analysis-builder.js';

/** An in-memory ClusterReader over a list of objects. */
export function fakeReader(objects: LiveObject[], served: Record<string, string[]> = {}): ClusterReader {
  return {
    namespace: 'ns-test',
    get: async (apiVersion, kind, name) => objects.find((o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata.name === name) ?? null,
    list: async (apiVersion, kind, opts = {}) =>
      objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind && (opts.labelSelector ?? '').split(',').filter(Boolean).every((sel) => {
        const [k, v] = sel.split('=');
        return o.metadata.labels?.[k as string] === v;
      })),
    podLogs: async () => '',
    served: async (apiVersion) => (served[apiVersion] ?? []).map((kind) => ({ name: kind.toLowerCase() + 's', kind, namespaced: true })),
  };
}

export function fakeHttp(answer: (url: string) => Partial<HttpResponse> | Error): Http & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async request(url) {
      urls.push(url);
      const a = answer(url);
      if (a instanceof Error) throw a;
      return { url, status: 200, headers: {}, body: '', durationMs: 5, ...a };
    },
  };
}

const emptySnapshot = (): Snapshot => ({ at: new Date(), pods: [], logs: new Map(), previous: new Map(), init: new Map(), events: [], logErrors: [] });

export function fakeLive(over: Partial<LiveFacts> = {}): LiveFacts {
  return {
    kind: 'Deployment',
    workload: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1 } },
    selector: 'app=web',
    container: 'web',
    port: 3000,
    image: 'ghcr.io/acme/web:1',
    pods: [],
    url: 'https://web.example.com',
    host: 'web.example.com',
    servicePort: 3000,
    dbClusters: [],
    ...over,
  };
}

export function fakeData(over: Partial<ClusterTruthData> = {}): ClusterTruthData {
  return {
    res: fakeReader([]),
    http: fakeHttp(() => ({})),
    clock: systemClock,
    analysis: buildAnalysis(),
    appName: 'web',
    namespace: 'ns-test',
    expectedImage: null,
    inputSecrets: [],
    routeTo: null,
    caFile: null,
    smokePaths: ['/'],
    negativePath: '/api/missing',
    healthPath: '/healthz',
    readWritePath: null,
    stabilityWindowMs: 0,
    launchpad: null,
    live: fakeLive(),
    secretValues: [],
    secretsUnreadable: [],
    smoke: [],
    baseline: async () => emptySnapshot(),
    afterWindow: async () => emptySnapshot(),
    ...over,
  };
}

/** Runs one check's `run` directly with a context over `data`. */
export function runOne(check: TruthCheck<ClusterTruthData>, data: ClusterTruthData, results: Record<string, { status: 'pass' | 'fail' | 'warn' | 'skip' }> = {}) {
  const ctx: CheckContext<ClusterTruthData> = {
    signal: new AbortController().signal,
    data,
    clock: data.clock,
    redactor: createRedactor(),
    result: (id) => (results[id] ? { id, status: results[id]!.status, required: true, summary: '', evidence: {}, duration_ms: 0, skip_reason: null } : undefined),
    progress: () => {},
  };
  return check.run(ctx);
}
