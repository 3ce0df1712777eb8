import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { healthLeaks } from '../body-signals.js';
import { noAnswer, probe, type ClusterTruthData } from '../context.js';

/** Kubernetes probes time out after 1 s by default: a slower health answer is a warning. */
export const SLOW_HEALTH_MS = 1000;

/**
 * The health path answers 2xx quickly through the public URL, and says only whether the service is
 * healthy: no environment, dependency versions or stack traces (an attacker's reconnaissance).
 */
export function healthCheck(required: boolean): TruthCheck<ClusterTruthData> {
  return {
    id: 'health',
    required,
    dependsOn: ['identity'],
    async run({ data, signal, redactor }): Promise<CheckOutcome> {
      const path = data.healthPath;
      if (!path) return { status: 'skip', summary: 'no health path known', skipReason: 'the analysis found no health route; pass --health-path to check one' };
      if (!data.live?.url) return { status: 'skip', summary: 'the app has no public URL', skipReason: 'no App CR URL and no Ingress host for the app' };
      await data.baseline();
      const tries: Array<Record<string, unknown>> = [];
      let last;
      try {
        last = await probe(data, 'health', path, signal);
        tries.push(last.evidence);
        // The first request after a deploy can be cold; a second one decides whether it is slow.
        if (last.res.status >= 200 && last.res.status < 300 && last.res.durationMs > SLOW_HEALTH_MS) {
          last = await probe(data, 'health', path, signal);
          tries.push(last.evidence);
        }
      } catch (err) {
        if (signal.aborted) throw err;
        return { status: 'fail', summary: `GET ${path} got no answer: ${(err as Error).message}`, evidence: { path, requests: [...tries, noAnswer(err)] } };
      }
      const { res } = last;
      const leaks: Array<{ kind: string; excerpt: string }> = healthLeaks(res.body);
      // The excerpt is redacted by the runner; the kind is what matters.
      if (redactor.redact(res.body) !== res.body) leaks.push({ kind: 'secret-value', excerpt: res.body.slice(0, 200) });
      const latencies = tries.map((t) => t.duration_ms as number);
      const evidence = { path, requests: tries, latency_ms: res.durationMs, latencies_ms: latencies, leaks };
      if (res.status < 200 || res.status >= 300) return { status: 'fail', summary: `GET ${path} answered ${res.status}, a health endpoint must answer 2xx`, evidence };
      if (leaks.length)
        return { status: 'fail', summary: `GET ${path} reveals ${[...new Set(leaks.map((l) => l.kind))].join(', ')}: answer only the status (e.g. {"status":"ok"})`, evidence };
      if (res.durationMs > SLOW_HEALTH_MS)
        return { status: 'warn', summary: `GET ${path} answered ${res.status} but took ${res.durationMs} ms (over ${SLOW_HEALTH_MS} ms: probes with a 1 s timeout would fail)`, evidence };
      return { status: 'pass', summary: `GET ${path} answered ${res.status} in ${res.durationMs} ms, status only`, evidence };
    },
  };
}
