import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { excerpt, mainKeys, takeSnapshot, type ClusterTruthData, type LiveFacts } from '../context.js';
import { newLinesSince } from '../log-signals.js';
import { escapeRegExp } from '../../../escape-regexp.js';

const POLL_MS = 500;
/** Log shipping inside the node is near-instant; a few seconds covers buffered loggers. */
const WAIT_MS = 3000;

/** A log line that records one of the smoke requests (by its path; "/" only with a method or quotes next to it). */
export function requestPattern(paths: string[]): RegExp {
  const parts = [...new Set(paths)].map((p) => (p === '/' ? '(GET|HEAD) /(?=[\\s"?]|$)|"/"' : escapeRegExp(p)));
  return new RegExp(parts.join('|'));
}

/** The smoke traffic shows up in the app's logs: requests are logged, so incidents can be traced. */
export function requestLogsCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'request-logs',
    required: false,
    dependsOn: ['identity'],
    after: ['public-url', 'health', 'tls', 'database'],
    async run({ data, signal, clock }): Promise<CheckOutcome> {
      const live = data.live as LiveFacts;
      const paths = [...new Set(data.smoke.filter((s) => s.status !== null).map((s) => s.path))];
      if (paths.length === 0) return { status: 'skip', summary: 'no smoke request got an answer', skipReason: 'no smoke traffic was served (public URL and health did not answer)' };
      const before = await data.baseline();
      const re = requestPattern(paths);
      const started = clock.now().getTime();
      let matches: Array<{ source: string; line: string }> = [];
      let scanned = 0;
      for (;;) {
        const snap = await takeSnapshot(data.res, clock, live.selector, { previous: false, init: false });
        matches = [];
        scanned = 0;
        for (const key of mainKeys(live, snap.pods)) {
          const fresh = newLinesSince(before.logs.get(key) ?? [], snap.logs.get(key) ?? []);
          scanned += fresh.length;
          for (const l of fresh) if (re.test(l)) matches.push({ source: key, line: excerpt(l) });
        }
        if (matches.length > 0 || clock.now().getTime() - started >= WAIT_MS) break;
        await clock.sleep(POLL_MS, signal);
      }
      const evidence = { smoke_paths: paths, new_lines_scanned: scanned, matching_lines: matches.slice(0, 5) };
      if (matches.length) return { status: 'pass', summary: `${matches.length} log line(s) record the smoke requests`, evidence };
      return { status: 'warn', summary: `none of ${scanned} new log line(s) records the smoke requests (${paths.join(', ')}): log each request (method, path, status, duration)`, evidence };
    },
  };
}
