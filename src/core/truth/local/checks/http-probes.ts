import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { LOOPBACK, type LocalRehearsalData } from '../context.js';

/** Kubernetes probes default to a 1 s timeout: slower answers are a warning for the template's probe settings. */
export const SLOW_ANSWER_MS = 1000;
export const PROBE_TIMEOUT_MS = 5000;

async function probe(data: LocalRehearsalData, path: string, signal: AbortSignal, ok: (status: number) => boolean, what: string): Promise<CheckOutcome> {
  const url = `http://${LOOPBACK}:${data.port}${path}`;
  const request = { method: 'GET', url, timeout_ms: PROBE_TIMEOUT_MS };
  try {
    const res = await data.http.request(url, { timeoutMs: PROBE_TIMEOUT_MS, signal });
    const evidence = {
      request,
      status: res.status,
      duration_ms: res.durationMs,
      content_type: res.headers['content-type'] ?? null,
      body_excerpt: res.body.slice(0, 200),
    };
    if (!ok(res.status)) return { status: 'fail', summary: `GET ${path} answered ${res.status} (${what})`, evidence };
    if (res.durationMs > SLOW_ANSWER_MS)
      return { status: 'warn', summary: `GET ${path} answered ${res.status} but took ${res.durationMs} ms (over ${SLOW_ANSWER_MS} ms: probes with the default 1 s timeout would fail)`, evidence };
    return { status: 'pass', summary: `GET ${path} answered ${res.status} in ${res.durationMs} ms`, evidence };
  } catch (err) {
    if (signal.aborted) throw err;
    const e = err as { code?: string; message?: string; details?: unknown };
    return { status: 'fail', summary: `GET ${path} got no answer: ${e.message ?? String(err)}`, evidence: { request, error: { code: e.code ?? null, message: e.message ?? String(err) } } };
  }
}

/** The health path from the analysis answers 2xx/3xx (what a Kubernetes HTTP probe accepts). */
/** Required only when the analysis found a health path; without one the check is skipped with the reason. */
export function healthCheck(required: boolean): TruthCheck<LocalRehearsalData> {
  return {
    id: 'health',
    required,
    dependsOn: ['start'],
    async run({ data, signal }) {
      const path = data.analysis.health.paths[0];
      if (!path) return { status: 'skip', summary: 'no health path found', skipReason: 'the analysis found no health route (e.g. /healthz)' };
      return probe(data, path, signal, (s) => s >= 200 && s < 400, 'a health probe needs 2xx or 3xx');
    },
  };
}

/** The root path answers without a server error. */
export function rootCheck(): TruthCheck<LocalRehearsalData> {
  return {
    id: 'root',
    required: true,
    dependsOn: ['start'],
    run: ({ data, signal }) => probe(data, '/', signal, (s) => s > 0 && s < 500, 'a server error'),
  };
}
