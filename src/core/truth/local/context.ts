import type { Analysis } from '../../state/analysis-schema.js';
import { bindEnv } from '../../bind-env.js';
import type { Clock, Http, Runner } from '../../ports.js';
import type { LocalSystem, SupervisedProcess } from './ports.js';

/** Shared state of one local rehearsal; checks read it and the start check fills `proc`. */
export interface LocalRehearsalData {
  analysis: Analysis;
  /** The exported committed tree: install runs here. */
  rootDir: string;
  /** The analyzed unit inside rootDir: build and start run here. */
  unitDir: string;
  port: number;
  /** Environment of the started service (complete; nothing inherited). */
  appEnv: Record<string, string>;
  /** Environment added to the host environment for install and build. */
  setupEnv: Record<string, string>;
  /** Secret values given to the service (placeholders included), by env name: they must never be printed. */
  secrets: Array<{ name: string; value: string }>;
  /** Required env vars that got a `rehearsal-placeholder-<NAME>` value. */
  placeholders: string[];
  system: LocalSystem;
  runner: Runner;
  http: Http;
  startupTimeoutMs: number;
  stabilityMs: number;
  shutdownGraceMs: number;
  /** Path of the request kept in flight while SIGTERM arrives. */
  inFlightPath: string;
  /** Output of install and build, for the no-secret scan. */
  setupOutput: Array<{ step: string; stream: 'stdout' | 'stderr'; text: string }>;
  proc: SupervisedProcess | null;
  /** Command line actually started, for the report identity. */
  startedCommand: string | null;
}

export const LOOPBACK = '127.0.0.1';

/** Whether the rehearsal picks the service's port (it reads PORT, or nobody knows its port) or the service fixes it. */
export function picksPort(analysis: Analysis): boolean {
  return analysis.port.reads_env || analysis.port.value === null;
}

/** The service's port in its environment: PORT, and the name the code reads when it is another (`APP_PORT`). */
export function setPortEnv(env: Record<string, string>, analysis: Analysis, port: number): void {
  env.PORT = String(port);
  if (analysis.port.env_name) env[analysis.port.env_name] = String(port);
  // As on the platform: the variables that make it listen on every interface.
  Object.assign(env, bindEnv(analysis));
}

/** The last `n` lines of some output, trimmed for evidence. */
export function tail(lines: Array<{ text: string }>, n = 15): string[] {
  return lines.slice(-n).map((l) => (l.text.length > 300 ? l.text.slice(0, 300) + '…' : l.text));
}

export function splitOutput(step: string, stdout: string, stderr: string): LocalRehearsalData['setupOutput'] {
  const lines = (s: string, stream: 'stdout' | 'stderr') =>
    s
      .split(/\r?\n/)
      .filter((t) => t.length > 0)
      .map((text) => ({ step, stream, text }));
  return [...lines(stdout, 'stdout'), ...lines(stderr, 'stderr')];
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * Waits for `p` at most `ms`: `{ value }` when it settled first, null on timeout. Throws when `signal`
 * fires (the budget); never leaves a dangling timer or an unhandled rejection behind.
 */
export async function within<T>(p: Promise<T>, ms: number, clock: Clock, signal: AbortSignal): Promise<{ value: T } | null> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const sleep = clock.sleep(ms, stop.signal).then(() => null);
  sleep.catch(() => {});
  try {
    return await Promise.race([p.then((value) => ({ value })), sleep]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!stop.signal.aborted) stop.abort();
  }
}
