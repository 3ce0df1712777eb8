import type { Http, ProgressFn } from '../core/ports.js';
import { nodeHttp } from '../system/http.js';
import type { CallOptions } from './api-call.js';
import { homeFrom, sealosPaths, type SealosPaths } from './home-files.js';
import { regionEndpoints, type EndpointOverrides, type Region, type RegionEndpoints } from './region.js';

/** Options every Sealos operation accepts; all injectable so tests use a tmp HOME and a fake region. */
export interface SealosOptions {
  /** Home directory holding .sealos/ (default: env.HOME, then the OS home). */
  home?: string;
  env?: NodeJS.ProcessEnv;
  http?: Http;
  /** PEM file of a private CA for a self-signed region; verification is never switched off. */
  caFile?: string;
  /** Provider host overrides (also read from SEALOS_REGION_ENDPOINTS_JSON). */
  endpoints?: EndpointOverrides;
  timeoutMs?: number;
  signal?: AbortSignal;
  progress?: ProgressFn;
}

export interface SealosContext {
  paths: SealosPaths;
  call: CallOptions;
  env: NodeJS.ProcessEnv;
}

export function sealosContext(opts: SealosOptions): SealosContext {
  const env = opts.env ?? process.env;
  const call: CallOptions = { http: opts.http ?? nodeHttp };
  if (opts.caFile) call.caFile = opts.caFile;
  if (opts.timeoutMs) call.timeoutMs = opts.timeoutMs;
  if (opts.signal) call.signal = opts.signal;
  return { paths: sealosPaths(homeFrom(env, opts.home)), call, env };
}

export function endpointsFor(region: Region, opts: SealosOptions, ctx: SealosContext): RegionEndpoints {
  return regionEndpoints(region, { ...(opts.endpoints ? { overrides: opts.endpoints } : {}), env: ctx.env });
}
