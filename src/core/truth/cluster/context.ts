import type { Clock, Http, HttpResponse } from '../../ports.js';
import type { Analysis } from '../../state/analysis-schema.js';
import { splitLines } from './log-signals.js';
import type { ClusterReader, EventView, LaunchpadProbe, PodView, WorkloadView } from './ports.js';

/** What the identity check found live; every later check reads it. */
export interface LiveFacts {
  kind: 'Deployment' | 'StatefulSet';
  workload: WorkloadView;
  selector: string;
  /** The app's main container (named like the app, else the first). */
  container: string;
  /** Container port of the main container, when declared. */
  port: number | null;
  image: string;
  pods: PodView[];
  /** Live App URL (App CR `spec.data.url`, else https://<ingress host>); null for a private app. */
  url: string | null;
  host: string | null;
  servicePort: number | null;
  /** KubeBlocks clusters the app reads credentials from (`<cluster>-conn-credential`). */
  dbClusters: string[];
}

/** Pods, logs and events read at one moment: the baseline (before smoke traffic) and after the window. */
export interface Snapshot {
  at: Date;
  pods: PodView[];
  /** `pod/container` → current log lines. */
  logs: Map<string, string[]>;
  /** `pod/container` → log lines of the previous (crashed) run, for restarted containers. */
  previous: Map<string, string[]>;
  /** Init containers' logs (migrations), read for the secret scan. */
  init: Map<string, string[]>;
  events: EventView[];
  /** Log reads that failed (pod/container: reason); never fatal. */
  logErrors: string[];
}

export interface SmokeRecord {
  check: string;
  path: string;
  status: number | null;
  duration_ms: number;
  body: string;
}

export interface ClusterTruthData {
  res: ClusterReader;
  http: Http;
  clock: Clock;
  analysis: Analysis | null;
  appName: string;
  namespace: string;
  expectedImage: string | null;
  /** Values given as inputs (env values, tokens): never printed. */
  inputSecrets: string[];
  routeTo: { host: string; port: number } | null;
  caFile: string | null;
  smokePaths: string[];
  negativePath: string;
  healthPath: string | null;
  readWritePath: string | null;
  stabilityWindowMs: number;
  launchpad: LaunchpadProbe | null;
  /** Filled by the identity check. */
  live: LiveFacts | null;
  /** Secret values in play with where each came from (never the value in evidence). */
  secretValues: Array<{ source: string; value: string }>;
  /** Secrets the credentials could not read: their values are unknown to the leak check. */
  secretsUnreadable: Array<{ secret: string; reason: string }>;
  smoke: SmokeRecord[];
  baseline(): Promise<Snapshot>;
  /** Waits until the stability window, measured from the baseline, is over; then the shared final snapshot. */
  afterWindow(signal: AbortSignal): Promise<Snapshot>;
}

const LOG_TAIL = 2000;

async function readLogs(res: ClusterReader, pod: string, container: string, previous: boolean, errors: string[]): Promise<string[] | null> {
  try {
    return splitLines(await res.podLogs(pod, { container, tailLines: LOG_TAIL, ...(previous ? { previous: true } : {}) }));
  } catch (err) {
    errors.push(`${pod}/${container}${previous ? ' (previous)' : ''}: ${(err as Error).message}`);
    return null;
  }
}

/** Reads pods, every container's logs and the namespace's events in one go. */
export async function takeSnapshot(res: ClusterReader, clock: Clock, selector: string, opts: { previous: boolean; init: boolean }): Promise<Snapshot> {
  const at = clock.now();
  const [pods, events] = await Promise.all([res.list('v1', 'Pod', { labelSelector: selector }) as Promise<PodView[]>, res.list('v1', 'Event') as Promise<EventView[]>]);
  const snap: Snapshot = { at, pods, logs: new Map(), previous: new Map(), init: new Map(), events, logErrors: [] };
  const reads: Array<Promise<void>> = [];
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (!pod.spec?.nodeName) continue;
    for (const c of pod.spec?.containers ?? []) {
      const st = pod.status?.containerStatuses?.find((s) => s.name === c.name);
      reads.push(readLogs(res, name, c.name, false, snap.logErrors).then((l) => void (l && snap.logs.set(`${name}/${c.name}`, l))));
      if (opts.previous && (st?.restartCount ?? 0) > 0) reads.push(readLogs(res, name, c.name, true, snap.logErrors).then((l) => void (l && snap.previous.set(`${name}/${c.name}`, l))));
    }
    if (opts.init)
      for (const c of pod.spec?.initContainers ?? []) {
        const st = pod.status?.initContainerStatuses?.find((s) => s.name === c.name);
        if (st?.state?.terminated || st?.state?.running) reads.push(readLogs(res, name, c.name, false, []).then((l) => void (l && snap.init.set(`${name}/${c.name}`, l))));
      }
  }
  await Promise.all(reads);
  return snap;
}

/** Memoizes an async step: every caller shares one run (and one failure). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= fn());
}

export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeResult {
  res: HttpResponse;
  evidence: Record<string, unknown>;
}

/** GET a path of the live App URL (routed to `routeTo` when set; Host and SNI stay the app's). */
export async function probe(data: ClusterTruthData, check: string, path: string, signal: AbortSignal): Promise<ProbeResult> {
  const base = data.live?.url;
  if (!base) throw new Error('no App URL to probe');
  const url = new URL(path, base).toString();
  const request: Record<string, unknown> = { method: 'GET', url, timeout_ms: PROBE_TIMEOUT_MS };
  if (data.routeTo) request.routed_to = `${data.routeTo.host}:${data.routeTo.port}`;
  const t0 = data.clock.now().getTime();
  try {
    const res = await data.http.request(url, {
      timeoutMs: PROBE_TIMEOUT_MS,
      signal,
      ...(data.routeTo ? { connectTo: data.routeTo } : {}),
      ...(data.caFile ? { caFile: data.caFile } : {}),
    });
    data.smoke.push({ check, path, status: res.status, duration_ms: res.durationMs, body: res.body });
    return {
      res,
      evidence: {
        request,
        status: res.status,
        duration_ms: res.durationMs,
        content_type: res.headers['content-type'] ?? null,
        body_excerpt: res.body.slice(0, 200),
      },
    };
  } catch (err) {
    data.smoke.push({ check, path, status: null, duration_ms: data.clock.now().getTime() - t0, body: '' });
    throw Object.assign(err as Error, { probeRequest: request });
  }
}

/** Evidence for a request that got no answer. */
export function noAnswer(err: unknown): Record<string, unknown> {
  const e = err as { code?: string; message?: string; probeRequest?: unknown; details?: unknown };
  return { request: e.probeRequest ?? null, error: { code: e.code ?? null, message: e.message ?? String(err) } };
}

/** Pods of the workload as `pod/container` keys of the main container. */
export function mainKeys(live: LiveFacts, pods: PodView[]): string[] {
  return pods.map((p) => `${p.metadata.name}/${live.container}`);
}

export function excerpt(line: string, max = 300): string {
  return line.length > max ? line.slice(0, max) + '…' : line;
}
