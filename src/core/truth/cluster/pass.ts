import { randomBytes } from 'node:crypto';
import { noProgress, systemClock, type Clock, type Http, type ProgressFn } from '../../ports.js';
import { createRedactor, type Redactor } from '../../redact.js';
import type { Analysis } from '../../state/analysis-schema.js';
import type { RuntimeTruthReport } from '../../state/runtime-truth-schema.js';
import { buildTruthReport } from '../report.js';
import { runChecks, type TruthCheck } from '../runner.js';
import { databaseCheck } from './checks/database.js';
import { errorLogsCheck } from './checks/error-logs.js';
import { eventsCheck } from './checks/events.js';
import { footprintCheck } from './checks/footprint.js';
import { healthCheck } from './checks/health.js';
import { identityCheck } from './checks/identity.js';
import { launchpadCheck } from './checks/launchpad.js';
import { publicUrlCheck } from './checks/public-url.js';
import { requestLogsCheck } from './checks/request-logs.js';
import { rolloutCheck } from './checks/rollout.js';
import { secretsCheck } from './checks/secrets.js';
import { startupLogsCheck } from './checks/startup-logs.js';
import { tlsCheck } from './checks/tls.js';
import { once, takeSnapshot, type ClusterTruthData, type LiveFacts } from './context.js';
import type { ClusterReader, LaunchpadProbe } from './ports.js';
import { CLUSTER_TRUTH_DEFAULTS } from './pass-defaults.js';

export { CLUSTER_TRUTH_DEFAULTS };

export interface ClusterTruthOptions {
  res: ClusterReader;
  http: Http;
  /** `.sealos/analysis.json`; null when there is none (health path and database then come from options). */
  analysis: Analysis | null;
  appName: string;
  namespace: string;
  /** The image the release meant to run; null accepts whatever runs (reported). */
  expectedImage: string | null;
  /** Secret input values (env values, tokens): registered with the redactor and searched for in logs. */
  secrets?: string[];
  budgetMs?: number;
  stabilityWindowMs?: number;
  /** Send requests for the app host to this address (tests, private clusters); Host and SNI stay the app's. */
  routeTo?: { host: string; port: number };
  /** Extra CA for the app's certificate (a private or test CA). */
  caFile?: string;
  /** Pages that must render (default: the root). */
  smokePaths?: string[];
  /** Health path; default: the first the analysis found. */
  healthPath?: string;
  /** A documented path that reads the database (proves DB-backed readiness). */
  readWritePath?: string;
  /** A path that must not exist (default: a random /api/… path). */
  negativePath?: string;
  launchpad?: LaunchpadProbe;
  progress?: ProgressFn;
  signal?: AbortSignal;
  clock?: Clock;
  redactor?: Redactor;
}

/** Apps that serve HTTP: their public URL, health and certificate are required. */
function servesHttp(analysis: Analysis | null): boolean {
  return analysis === null || analysis.kind === 'server' || analysis.kind === 'ssr' || analysis.kind === 'static';
}

/** Checks in report order, wired for concurrency: identity first, smoke before the log checks, the window inside them. */
export function clusterChecks(analysis: Analysis | null, healthKnown: boolean): TruthCheck<ClusterTruthData>[] {
  const web = servesHttp(analysis);
  const db = !!analysis?.database.engine && analysis.database.engine !== 'sqlite';
  return [
    identityCheck(),
    rolloutCheck(),
    publicUrlCheck(web),
    healthCheck(web && healthKnown),
    tlsCheck(web),
    startupLogsCheck(),
    requestLogsCheck(),
    errorLogsCheck(),
    databaseCheck(db),
    footprintCheck(),
    eventsCheck(),
    launchpadCheck(),
    secretsCheck(['public-url', 'health', 'tls', 'startup-logs', 'request-logs', 'error-logs', 'database', 'events']),
  ];
}

/**
 * The cluster Runtime Truth Pass, the launch gate: every check against the live app under one time
 * budget, never hanging. Returns the sealed report (`target: "cluster"`); the caller writes it to
 * `.sealos/runtime-truth.json`. Secret values (inputs and the app's Secret data) are registered with
 * the redactor and never appear in the report.
 */
export async function runClusterTruthPass(opts: ClusterTruthOptions): Promise<RuntimeTruthReport> {
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const redactor = opts.redactor ?? createRedactor();
  const budgetMs = opts.budgetMs ?? CLUSTER_TRUTH_DEFAULTS.budgetMs;
  const stabilityWindowMs = Math.max(0, opts.stabilityWindowMs ?? CLUSTER_TRUTH_DEFAULTS.stabilityWindowMs);
  const secrets = (opts.secrets ?? []).filter((s) => typeof s === 'string' && s.length > 0);
  for (const s of secrets) redactor.add(s);
  const healthPath = opts.healthPath ?? opts.analysis?.health.paths[0] ?? null;

  const data: ClusterTruthData = {
    res: opts.res,
    http: opts.http,
    clock,
    analysis: opts.analysis,
    appName: opts.appName,
    namespace: opts.namespace,
    expectedImage: opts.expectedImage,
    inputSecrets: secrets,
    routeTo: opts.routeTo ?? null,
    caFile: opts.caFile ?? null,
    smokePaths: opts.smokePaths?.length ? opts.smokePaths : ['/'],
    negativePath: opts.negativePath ?? `/api/sealos-deploy-probe-${randomBytes(6).toString('hex')}`,
    healthPath,
    readWritePath: opts.readWritePath ?? null,
    stabilityWindowMs,
    launchpad: opts.launchpad ?? null,
    live: null,
    secretValues: [],
    secretsUnreadable: [],
    smoke: [],
    baseline: once(() => {
      const live = data.live as LiveFacts;
      progress('reading the baseline: pods, logs, events');
      return takeSnapshot(opts.res, clock, live.selector, { previous: false, init: false });
    }),
    afterWindow: (signal) => final(signal),
  };
  let finalSnap: ReturnType<typeof data.baseline> | null = null;
  const final = async (signal: AbortSignal) => {
    const base = await data.baseline();
    const left = base.at.getTime() + stabilityWindowMs - clock.now().getTime();
    if (left > 0) await clock.sleep(left, signal);
    // The first check to get here reads; the others share its snapshot.
    finalSnap ??= takeSnapshot(opts.res, clock, (data.live as LiveFacts).selector, { previous: true, init: true });
    return finalSnap;
  };

  const started = clock.now();
  const outcome = await runChecks(clusterChecks(opts.analysis, healthPath !== null), {
    budgetMs,
    data,
    progress,
    clock,
    redactor,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const live = data.live as LiveFacts | null;
  return buildTruthReport(outcome, {
    target: 'cluster',
    identity: {
      app_name: opts.appName,
      namespace: opts.namespace,
      ...(live?.image || opts.expectedImage ? { image: live?.image || (opts.expectedImage as string) } : {}),
      ...(live?.url ? { url: live.url } : {}),
      ...(live?.host ? { host: live.host } : {}),
    },
    startedAt: started,
    budgetMs,
    stabilityWindowSeconds: stabilityWindowMs / 1000,
    redactor,
  });
}
