import { describe, expect, it } from 'vitest';
import { linesAfterBaseline } from '../../../src/core/truth/cluster/checks/error-logs.js';
import type { Snapshot } from '../../../src/core/truth/cluster/context.js';
import { classifyLine, failingSignals, newLinesSince, portLine, readinessLine, summarizeSignals } from '../../../src/core/truth/cluster/log-signals.js';

describe('classifyLine', () => {
  it.each([
    ['Unhandled Rejection at: Promise {...} reason: Error: boom', ['unhandled-rejection']],
    ['(node:1) UnhandledPromiseRejectionWarning: Error: x', ['unhandled-rejection']],
    ['[UnhandledPromiseRejection: This error originated either by throwing inside of an async function] { code: \'ERR_UNHANDLED_REJECTION\' }', ['unhandled-rejection']],
    ['uncaughtException: TypeError: Cannot read properties of undefined', ['uncaught-exception']],
    ["      throw er; // Unhandled 'error' event", ['uncaught-exception']],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', ['crash']],
    ['Node.js v22.11.0', ['crash']],
    ['npm error command failed', ['crash']],
    ['Error: listen EADDRINUSE: address already in use :::3000', ['crash']],
    ["Error: Cannot find module '/app/dist/server.js'", ['crash']],
    ['Error: connect ECONNREFUSED 10.96.0.12:5432', ['connection-error']],
    ['Connection terminated unexpectedly', ['connection-error']],
    ['error: password authentication failed for user "postgres"', ['connection-error']],
    ['Unhandled rejection: Error: connect ECONNREFUSED 127.0.0.1:6379', ['unhandled-rejection', 'connection-error']],
  ])('%s → %j', (line, signals) => {
    expect(classifyLine(line)).toEqual(signals);
  });

  it.each(['server listening on port 3000', 'GET /healthz 200 2ms', 'installed unhandledRejection logger: no', 'retrying in 2 s', 'Node.js is awesome'])('ignores ordinary line %s', (line) => {
    expect(classifyLine(line).filter((s) => s !== 'unhandled-rejection')).toEqual([]);
  });
});

describe('newLinesSince (baseline diffing)', () => {
  it('returns what was appended after the baseline', () => {
    expect(newLinesSince(['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e'])).toEqual(['d', 'e']);
  });
  it('takes everything when there was no baseline output', () => {
    expect(newLinesSince([], ['x'])).toEqual(['x']);
  });
  it('anchors on the end of the baseline even when lines repeat', () => {
    const before = ['GET / 200', 'GET / 200', 'GET / 200'];
    expect(newLinesSince(before, [...before, 'GET / 200', 'ECONNREFUSED'])).toEqual(['GET / 200', 'ECONNREFUSED']);
  });
  it('works when the tail window moved (older lines dropped)', () => {
    expect(newLinesSince(['1', '2', '3', '4', '5', '6'], ['3', '4', '5', '6', '7'])).toEqual(['7']);
  });
  it('falls back to a multiset difference when the anchor is gone', () => {
    expect(newLinesSince(['boot', 'ready'], ['ready', 'boot', 'crash'])).toEqual(['crash']);
  });
  it('finds nothing new when nothing was printed', () => {
    expect(newLinesSince(['a', 'b'], ['a', 'b'])).toEqual([]);
  });
});

describe('failingSignals', () => {
  const lines = (...t: string[]) => t.map((text) => ({ source: 'p/c', text }));
  it('fails on one unhandled rejection, but only on repeated connection errors', () => {
    expect(failingSignals(summarizeSignals(lines('Unhandled Rejection: x')))).toEqual(['unhandled-rejection']);
    expect(failingSignals(summarizeSignals(lines('connect ECONNREFUSED a', 'connect ECONNREFUSED a')))).toEqual([]);
    expect(failingSignals(summarizeSignals(lines('connect ECONNREFUSED a', 'read ECONNRESET', 'connect ETIMEDOUT b')))).toEqual(['connection-error']);
  });
  it('keeps at most three examples per signal', () => {
    const s = summarizeSignals(lines(...Array.from({ length: 10 }, (_, i) => `ECONNREFUSED ${i}`)));
    expect(s.counts['connection-error']).toBe(10);
    expect(s.examples).toHaveLength(3);
  });
});

describe('linesAfterBaseline', () => {
  const pod = (restartCount: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, status: { containerStatuses: [{ name: 'web', restartCount }] } });
  const snap = (restarts: number, logs: string[], previous?: string[]): Snapshot => ({
    at: new Date(),
    pods: [pod(restarts)],
    logs: new Map([['web-1/web', logs]]),
    previous: new Map(previous ? [['web-1/web', previous]] : []),
    init: new Map(),
    events: [],
    logErrors: [],
  });
  it('counts only appended lines of a container that kept running', () => {
    expect(linesAfterBaseline(snap(0, ['boot', 'Unhandled Rejection: old']), snap(0, ['boot', 'Unhandled Rejection: old', 'GET / 200'])).map((l) => l.text)).toEqual(['GET / 200']);
  });
  it('takes the whole new run and the crashed run of a container that restarted during the window', () => {
    const out = linesAfterBaseline(snap(0, ['boot']), snap(1, ['boot again'], ['boot', 'TypeError: x', 'Node.js v22.1.0']));
    expect(out).toEqual([
      { source: 'web-1/web', text: 'boot again' },
      { source: 'web-1/web (previous)', text: 'TypeError: x' },
      { source: 'web-1/web (previous)', text: 'Node.js v22.1.0' },
    ]);
  });
  it('ignores a previous run that crashed before the baseline', () => {
    expect(linesAfterBaseline(snap(2, ['up'], ['Node.js v22.1.0']), snap(2, ['up'], ['Node.js v22.1.0']))).toEqual([]);
  });
});

describe('startup lines', () => {
  it('finds the port as a whole number and a readiness phrase', () => {
    expect(portLine(['boot', 'listening on http://0.0.0.0:3000'], 3000)).toBe(1);
    expect(portLine(['pid 30001'], 3000)).toBe(-1);
    expect(readinessLine(['boot', 'Server ready'])).toBe(1);
    expect(readinessLine(['boot'])).toBe(-1);
  });
});
