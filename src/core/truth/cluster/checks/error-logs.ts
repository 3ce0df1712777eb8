import type { CheckOutcome, TruthCheck } from '../../runner.js';
import type { ClusterTruthData, Snapshot } from '../context.js';
import { failingSignals, newLinesSince, REPEATED_CONNECTION_ERRORS, summarizeSignals, type SourcedLine } from '../log-signals.js';

const restartsOf = (snap: Snapshot, pod: string, container: string) =>
  snap.pods.find((p) => p.metadata.name === pod)?.status?.containerStatuses?.find((c) => c.name === container)?.restartCount ?? 0;

/** Lines the app printed after the baseline: new output of running containers and the last run of any container that restarted since. */
export function linesAfterBaseline(before: Snapshot, after: Snapshot): SourcedLine[] {
  const out: SourcedLine[] = [];
  for (const [key, lines] of after.logs) {
    const [pod = '', container = ''] = key.split('/');
    const restarted = restartsOf(after, pod, container) > restartsOf(before, pod, container);
    // After a restart the current log is a new run: all of it is new.
    const fresh = restarted ? lines : newLinesSince(before.logs.get(key) ?? [], lines);
    for (const text of fresh) out.push({ source: key, text });
  }
  for (const [key, lines] of after.previous) {
    const [pod = '', container = ''] = key.split('/');
    if (restartsOf(after, pod, container) <= restartsOf(before, pod, container)) continue;
    const fresh = newLinesSince(before.logs.get(key) ?? [], lines);
    for (const text of fresh) out.push({ source: `${key} (previous)`, text });
  }
  return out;
}

/**
 * After the smoke traffic and the stability window, the app's new log lines show no crash, unhandled
 * rejection, uncaught exception or repeated connection errors. Lines already there at the baseline are
 * history: reported, not held against this release.
 */
export function errorLogsCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'error-logs',
    required: true,
    dependsOn: ['identity'],
    after: ['public-url', 'health', 'tls', 'database'],
    async run({ data, signal }): Promise<CheckOutcome> {
      const before = await data.baseline();
      const after = await data.afterWindow(signal);
      const fresh = linesAfterBaseline(before, after);
      const now = summarizeSignals(fresh);
      const history = summarizeSignals([...before.logs].flatMap(([source, lines]) => lines.map((text) => ({ source, text }))));
      const failing = failingSignals(now);
      const window_seconds = (after.at.getTime() - before.at.getTime()) / 1000;
      const evidence = {
        window_seconds,
        new_lines: fresh.length,
        signals: now.counts,
        lines: now.examples,
        before_baseline: history.counts,
        log_errors: after.logErrors,
      };
      if (failing.length)
        return { status: 'fail', summary: `after the smoke traffic the logs show ${failing.map((s) => `${s} (${now.counts[s]})`).join(', ')}: ${now.examples.find((e) => failing.includes(e.signal))?.line ?? ''}`, evidence };
      if (now.counts['connection-error'] > 0)
        return { status: 'warn', summary: `${now.counts['connection-error']} connection error line(s) after the smoke traffic (fewer than ${REPEATED_CONNECTION_ERRORS}, not yet a pattern)`, evidence };
      return { status: 'pass', summary: `${fresh.length} new log line(s) in ${window_seconds.toFixed(1)} s, no crash, unhandled rejection, uncaught exception or repeated connection errors`, evidence };
    },
  };
}
