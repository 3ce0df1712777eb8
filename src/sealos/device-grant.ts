import { DeployError, isDeployError } from '../core/errors.js';
import type { Clock, ProgressFn } from '../core/ports.js';
import { callRegion, isObject, type CallOptions } from './api-call.js';

/** The public OAuth client registered for the Sealos plugin and sealos-cli (their config.json). */
export const SEALOS_CLIENT_ID = 'af993c98-d19d-4bdc-b338-79b80dc4f8bf';
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEFAULT_POLL_INTERVAL_S = 5;
/** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval. */
export const SLOW_DOWN_STEP_MS = 5_000;
/** The overall cap the Sealos plugin uses, whatever the server's expires_in says. */
export const DEFAULT_LOGIN_DEADLINE_MS = 10 * 60_000;
/** Consecutive network/5xx failures tolerated while polling before giving up. */
const MAX_TRANSIENT_FAILURES = 3;

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string | null;
  expires_in: number;
  interval: number;
}

/** What the user needs to approve the login; shown on every host (headless ones included). */
export interface VerificationPrompt {
  verification_uri: string;
  verification_uri_complete: string | null;
  user_code: string;
  expires_in_seconds: number;
  expires_at: string;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function oauthError(json: unknown): string | null {
  if (!isObject(json)) return null;
  return str(json.error) ?? (isObject(json.data) ? str(json.data.error) : null);
}

export async function requestDeviceAuthorization(desktop: string, clientId: string, call: CallOptions): Promise<DeviceAuthorization> {
  const res = await callRegion(
    `${desktop}/api/auth/oauth2/device`,
    { method: 'POST', headers: FORM_HEADERS, body: form({ client_id: clientId, grant_type: DEVICE_GRANT_TYPE }), what: 'start the device login' },
    call,
  );
  const body = isObject(res.json) ? (isObject(res.json.data) && !res.json.device_code ? res.json.data : res.json) : {};
  if (res.status === 404) {
    throw new DeployError('REGION_API_ERROR', `${desktop} has no device-login endpoint (HTTP 404).`, 'Check the region address (the console URL, e.g. https://usw-1.sealos.io); older regions do not support the device grant: download the kubeconfig from the console instead.');
  }
  if (res.status < 200 || res.status >= 300) {
    const err = oauthError(res.json);
    throw new DeployError('REGION_API_ERROR', `The region refused to start the device login (HTTP ${res.status}${err ? `, ${err}` : ''}).`, 'Retry in a minute; if it persists, download the kubeconfig from the Sealos console and pass --kubeconfig.', {
      status: res.status,
      ...(err ? { error: err } : {}),
    });
  }
  const device_code = str(body.device_code);
  const user_code = str(body.user_code);
  const verification_uri = str(body.verification_uri) ?? str(body.verification_uri_complete);
  if (!device_code || !user_code || !verification_uri) {
    throw new DeployError('REGION_API_ERROR', 'The device login answer lacks device_code, user_code or verification_uri.', 'Retry the login; if it persists, download the kubeconfig from the Sealos console.');
  }
  const expires_in = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LOGIN_DEADLINE_MS / 1000;
  const interval = typeof body.interval === 'number' && body.interval > 0 ? body.interval : DEFAULT_POLL_INTERVAL_S;
  return { device_code, user_code, verification_uri, verification_uri_complete: str(body.verification_uri_complete), expires_in, interval };
}

export interface PollOptions {
  desktop: string;
  clientId: string;
  device: DeviceAuthorization;
  clock: Clock;
  call: CallOptions;
  deadlineMs?: number;
  progress?: ProgressFn;
  signal?: AbortSignal;
}

/** Polls the token endpoint until the user approves; returns the access token (never logged). */
export async function pollForAccessToken(opts: PollOptions): Promise<string> {
  const { clock, device } = opts;
  const started = clock.now().getTime();
  const overall = opts.deadlineMs ?? DEFAULT_LOGIN_DEADLINE_MS;
  const codeLifetime = device.expires_in * 1000;
  const deadline = started + Math.min(overall, codeLifetime);
  const expiresFirst = codeLifetime < overall;
  let interval = device.interval * 1000;
  let transient = 0;
  let lastMinute = -1;

  while (clock.now().getTime() + interval <= deadline) {
    await clock.sleep(interval, opts.signal);
    const left = Math.ceil((deadline - clock.now().getTime()) / 60_000);
    if (left !== lastMinute) {
      lastMinute = left;
      opts.progress?.(`Waiting for you to approve the login in the browser (${left} min left)`);
    }
    let res;
    try {
      res = await callRegion(
        `${opts.desktop}/api/auth/oauth2/token`,
        { method: 'POST', headers: FORM_HEADERS, body: form({ client_id: opts.clientId, grant_type: DEVICE_GRANT_TYPE, device_code: device.device_code }), what: 'poll the device login' },
        opts.call,
      );
    } catch (err) {
      if (isDeployError(err) && err.code === 'REGION_UNREACHABLE' && ++transient < MAX_TRANSIENT_FAILURES) continue;
      throw err;
    }
    if (res.status >= 500) {
      if (++transient < MAX_TRANSIENT_FAILURES) continue;
      throw new DeployError('REGION_API_ERROR', `The region's token endpoint kept failing (HTTP ${res.status}).`, 'Retry the login in a few minutes.', { status: res.status });
    }
    transient = 0;
    const body = isObject(res.json) ? res.json : {};
    const token = str(body.access_token) ?? (isObject(body.data) ? str(body.data.access_token) : null);
    const error = oauthError(res.json);
    if (res.status >= 200 && res.status < 300 && token && !error) return token;
    switch (error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        interval += SLOW_DOWN_STEP_MS;
        continue;
      case 'access_denied':
        throw new DeployError('LOGIN_DENIED', 'The login was denied in the browser.', 'Run `sealos-deploy login` again and approve the request (check that the code shown matches).');
      case 'expired_token':
        throw new DeployError('LOGIN_EXPIRED', 'The login code expired before it was approved.', 'Run `sealos-deploy login` again and approve within the time shown.');
      default:
        throw new DeployError('REGION_API_ERROR', `The region's token endpoint answered HTTP ${res.status}${error ? ` (${error})` : ' without an access token'}.`, 'Run `sealos-deploy login` again; if it persists, check the region address.', {
          status: res.status,
          ...(error ? { error } : {}),
        });
    }
  }
  if (expiresFirst) {
    throw new DeployError('LOGIN_EXPIRED', `The login code expired after ${Math.round(codeLifetime / 1000)} s without approval.`, 'Run `sealos-deploy login` again and approve within the time shown.');
  }
  throw new DeployError('LOGIN_TIMEOUT', `Nobody approved the login within ${Math.round(overall / 60_000)} min.`, 'Run `sealos-deploy login` again and open the verification URL it shows.', { deadline_ms: overall });
}

/** The prompt as plain text, the same on every surface (CLI stderr, MCP tool text, progress messages). */
export function verificationText(p: VerificationPrompt): string {
  const minutes = Math.max(1, Math.round(p.expires_in_seconds / 60));
  const how = p.verification_uri_complete ? `and check that it shows the code ${p.user_code}` : `and enter the code ${p.user_code}`;
  return [`To sign in, open this URL in a browser (on any device):`, '', `  ${p.verification_uri_complete ?? p.verification_uri}`, '', how, `The code expires in ${minutes} min.`].join('\n');
}
