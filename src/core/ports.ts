/**
 * Ports: how the core reaches the outside world. The core never imports execa,
 * @kubernetes/client-node, the MCP SDK or the CLI; adapters in src/system, src/cluster
 * and src/sealos implement these, and unit tests pass fakes.
 */

export interface RunOptions {
  cwd?: string;
  /** Extra environment; merged over the parent environment unless `extendEnv` is false. */
  env?: Record<string, string | undefined>;
  extendEnv?: boolean;
  /** Written to the child's stdin (how secrets reach a program: never on argv). */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  command: string;
  args: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** True when the program was not found on PATH (ENOENT). */
  notFound: boolean;
}

/** Runs a program with an argument array. Never a shell string. Never throws for a non-zero exit. */
export interface Runner {
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Connect to this address instead of resolving the URL host (Host header and SNI stay the URL's). */
  connectTo?: { host: string; port: number };
  /** Accept self-signed certificates only when the caller says so; the default verifies TLS. */
  caFile?: string;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  /** Peer certificate facts for https URLs. */
  tls?: { validTo: string; subjectAltNames: string[]; authorized: boolean; authorizationError?: string };
  /** The body was cut at the adapter's cap (1 MiB). */
  bodyTruncated?: boolean;
}

export interface Http {
  request(url: string, req?: HttpRequest): Promise<HttpResponse>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Progress reports from long operations: MCP progress notifications, CLI stderr lines. */
export type ProgressFn = (message: string, progress?: number, total?: number) => void;
export const noProgress: ProgressFn = () => {};
