/**
 * Log classifiers for the error-log check: what a crash, an unhandled rejection, an uncaught exception
 * or a connection error looks like in a Node service's output, and which lines are new since a baseline.
 */

export type LogSignal = 'crash' | 'unhandled-rejection' | 'uncaught-exception' | 'connection-error';

const PATTERNS: Array<[LogSignal, RegExp]> = [
  ['unhandled-rejection', /unhandled ?(promise ?)?rejection|ERR_UNHANDLED_REJECTION/i],
  ['uncaught-exception', /uncaught ?exception|Unhandled 'error' event/i],
  [
    'crash',
    // V8 out of memory, the "Node.js vX.Y.Z" trailer node prints after a fatal error, npm lifecycle failures,
    // a port already taken, a missing module, a segfault, or the app saying it is exiting on an error.
    /FATAL ERROR:|JavaScript heap out of memory|^\s*Node\.js v\d+\.\d+\.\d+\s*$|npm (ERR!|error) (code|command failed|Lifecycle)|\bELIFECYCLE\b|\bEADDRINUSE\b|Error: Cannot find module|Segmentation fault|core dumped|\b(process|app|application|server) (crashed|exited with code [1-9])/i,
  ],
  [
    'connection-error',
    /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)\b|Connection terminated unexpectedly|connection (refused|reset|timed out)|socket hang up|too many clients already|password authentication failed|getaddrinfo/i,
  ],
];

/** Every signal a log line carries (usually none, sometimes two: "Unhandled rejection: connect ECONNREFUSED"). */
export function classifyLine(line: string): LogSignal[] {
  return PATTERNS.filter(([, re]) => re.test(line)).map(([s]) => s);
}

/** How many repeats of connection errors make them "repeated": one blip during a deploy is normal. */
export const REPEATED_CONNECTION_ERRORS = 3;
/** Lines of overlap needed to trust where new output starts. */
const ANCHOR_LINES = 5;

/**
 * Lines printed after `before` was read. Logs only grow (or their tail window moves on), so `after`
 * is a suffix of `before` followed by new lines: find the longest such overlap (at least a few lines,
 * so one repeated line cannot fake it). When there is none (rotation, restart), fall back to a
 * multiset difference so lines already seen are not counted twice.
 */
export function newLinesSince(before: string[], after: string[]): string[] {
  if (before.length === 0) return [...after];
  const minOverlap = Math.min(ANCHOR_LINES, before.length);
  for (let overlap = Math.min(before.length, after.length); overlap >= minOverlap; overlap--) {
    const offset = before.length - overlap;
    let ok = true;
    for (let i = 0; i < overlap && ok; i++) ok = after[i] === before[offset + i];
    if (ok) return after.slice(overlap);
  }
  const seen = new Map<string, number>();
  for (const l of before) seen.set(l, (seen.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of after) {
    const n = seen.get(l) ?? 0;
    if (n > 0) seen.set(l, n - 1);
    else out.push(l);
  }
  return out;
}

export interface SourcedLine {
  /** pod/container, with "(previous)" for a restarted container's last run. */
  source: string;
  text: string;
}

export interface SignalSummary {
  counts: Record<LogSignal, number>;
  /** First lines per signal (capped), for evidence. */
  examples: Array<{ signal: LogSignal; source: string; line: string }>;
}

export function summarizeSignals(lines: SourcedLine[], maxExamples = 3): SignalSummary {
  const counts: Record<LogSignal, number> = { crash: 0, 'unhandled-rejection': 0, 'uncaught-exception': 0, 'connection-error': 0 };
  const examples: SignalSummary['examples'] = [];
  for (const l of lines) {
    for (const s of classifyLine(l.text)) {
      counts[s]++;
      if (counts[s] <= maxExamples) examples.push({ signal: s, source: l.source, line: l.text.length > 300 ? l.text.slice(0, 300) + '…' : l.text });
    }
  }
  return { counts, examples };
}

/** Failing signals among new lines: any crash, rejection or uncaught exception; connection errors only when repeated. */
export function failingSignals(s: SignalSummary): LogSignal[] {
  const out: LogSignal[] = [];
  for (const sig of ['crash', 'unhandled-rejection', 'uncaught-exception'] as const) if (s.counts[sig] > 0) out.push(sig);
  if (s.counts['connection-error'] >= REPEATED_CONNECTION_ERRORS) out.push('connection-error');
  return out;
}

/** Splits pod log text into lines, without the trailing empty one. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l, i, all) => l.length > 0 || i < all.length - 1).filter((l) => l.trim().length > 0);
}

/** A line that names the port as a number on its own ("listening on :3000", "port 3000"). */
export function portLine(lines: string[], port: number): number {
  const re = new RegExp(`(^|[^0-9])${port}([^0-9]|$)`);
  return lines.findIndex((l) => re.test(l));
}

/** A line that says the service is up. */
export function readinessLine(lines: string[]): number {
  return lines.findIndex((l) => /\b(listening|listens|started|ready|running|server (is )?up|serving|accepting connections)\b/i.test(l));
}
