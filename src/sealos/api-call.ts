import { DeployError, isDeployError } from '../core/errors.js';
import type { Http, HttpResponse } from '../core/ports.js';

export interface CallOptions {
  http: Http;
  /** PEM bundle for a region with a private CA. TLS verification is never turned off. */
  caFile?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RegionCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Human words for messages: "list workspaces". */
  what: string;
}

export interface RegionResponse {
  status: number;
  /** Parsed JSON body, or null when the body is empty or not JSON. */
  json: unknown;
  text: string;
  headers: Record<string, string>;
}

/**
 * One request to a region host. Network and TLS failures become coded errors that name the host and
 * the next step; HTTP statuses are returned for the caller to interpret. Request headers (which carry
 * tokens or a kubeconfig) never appear in an error.
 */
export async function callRegion(url: string, call: RegionCall, opts: CallOptions): Promise<RegionResponse> {
  let res: HttpResponse;
  try {
    res = await opts.http.request(url, {
      method: call.method ?? 'GET',
      headers: { accept: 'application/json', ...call.headers },
      ...(call.body !== undefined ? { body: call.body } : {}),
      ...(opts.caFile ? { caFile: opts.caFile } : {}),
      timeoutMs: opts.timeoutMs ?? 20_000,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    const host = safeHost(url);
    if (isDeployError(err) && err.code === 'TLS_INVALID') {
      throw new DeployError('TLS_INVALID', `TLS verification of ${host} failed while trying to ${call.what}: ${err.message}`, 'If the region uses a private CA, pass its PEM file with --ca-file <path>; verification stays on.', {
        host,
        ...(err.details ?? {}),
      });
    }
    if (isDeployError(err) && (err.code === 'CANCELLED' || err.code === 'USAGE')) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new DeployError('REGION_UNREACHABLE', `Cannot reach ${host} to ${call.what}: ${message}`, 'Check the region address and your network connection, then retry.', { host });
  }
  let json: unknown = null;
  if (res.body) {
    try {
      json = JSON.parse(res.body);
    } catch {
      json = null;
    }
  }
  return { status: res.status, json, text: res.body, headers: res.headers };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface JsonResOutcome {
  /** Sealos `jsonRes` answers HTTP 200 with the real status in `code`; newer providers also set the HTTP status. */
  code: number;
  message: string;
  data: unknown;
}

/** Reads a `{code, message, data}` (jsonRes) body; the effective code is the body's code when present. */
export function readJsonRes(res: RegionResponse): JsonResOutcome {
  const body = isObject(res.json) ? res.json : {};
  const bodyCode = typeof body.code === 'number' ? body.code : null;
  const code = res.status >= 200 && res.status < 300 ? (bodyCode ?? res.status) : res.status;
  const message = typeof body.message === 'string' ? body.message.slice(0, 300) : '';
  return { code, message, data: body.data };
}
