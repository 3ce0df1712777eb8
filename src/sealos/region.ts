import { isIP } from 'node:net';
import { DeployError } from '../core/errors.js';

/** The Sealos plugin's and sealos-cli's default region. */
export const DEFAULT_REGION = 'https://usw-1.sealos.io';
/** Hosted regions known to the Sealos plugin (config.json); any other region URL is accepted too. */
export const KNOWN_REGIONS = ['https://usw-1.sealos.io', 'https://gzg.sealos.run', 'https://bja.sealos.run', 'https://hzh.sealos.run'] as const;

/** Env var tests (and unusual installs) use to point provider hosts somewhere else. */
export const ENDPOINTS_ENV = 'SEALOS_REGION_ENDPOINTS_JSON';

export interface Region {
  /** Origin without a trailing slash, as stored in ~/.sealos/auth.json: `https://usw-1.sealos.io`. */
  url: string;
  /** Host (with port when not default): `usw-1.sealos.io`. The control plane, never the app domain. */
  host: string;
}

export interface RegionEndpoints {
  /** Desktop APIs: login, workspaces. */
  desktop: string;
  /** Template provider: Template API, getEnv. */
  template: string;
  /** App Launchpad provider: getAppByAppName, getClientAppConfig. */
  applaunchpad: string;
}

export type EndpointOverrides = Partial<RegionEndpoints>;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Plain http only ever reaches this machine: a token must never cross a network unencrypted. */
export function assertSecureUrl(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new DeployError('USAGE', `${what} ${url.origin} is not https.`, 'Use the https:// address of the Sealos region; plain http is accepted only for 127.0.0.1/localhost test servers.', {
    url: url.origin,
  });
}

/** Accepts `https://usw-1.sealos.io`, `usw-1.sealos.io`, with or without a trailing slash. */
export function parseRegion(input: string): Region {
  const text = input.trim().replace(/\/+$/, '');
  if (!text || /^[a-z][a-z0-9+.-]*:\/*$/i.test(text)) throw new DeployError('USAGE', 'The region is empty.', `Pass --region with a Sealos region, e.g. ${DEFAULT_REGION}.`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new DeployError('USAGE', `"${input}" is not a region address.`, `Pass the region's console address, e.g. ${DEFAULT_REGION}.`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new DeployError('USAGE', `The region "${input}" must be a bare host, without path, query or credentials.`, `Pass only the console address, e.g. ${DEFAULT_REGION}.`);
  }
  assertSecureUrl(url, 'The region');
  return { url: url.origin, host: url.host };
}

function parseOverrides(raw: string | undefined): EndpointOverrides {
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new DeployError('USAGE', `${ENDPOINTS_ENV} is not valid JSON.`, `Set it to an object such as {"template":"https://template.example.com"} or unset it.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new DeployError('USAGE', `${ENDPOINTS_ENV} must be a JSON object.`, 'Use keys desktop, template, applaunchpad with URL values.');
  }
  const out: EndpointOverrides = {};
  for (const key of ['desktop', 'template', 'applaunchpad'] as const) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new DeployError('USAGE', `${ENDPOINTS_ENV}.${key} must be a URL string.`, 'Fix the value or unset the variable.');
    out[key] = v;
  }
  return out;
}

function endpointUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DeployError('USAGE', `The ${what} endpoint "${raw}" is not a URL.`, 'Pass an absolute https:// URL.');
  }
  assertSecureUrl(url, `The ${what} endpoint`);
  return url.origin;
}

/**
 * Provider hosts follow the chart convention `template.<region-host>` and `applaunchpad.<region-host>`.
 * Overrides (options first, then SEALOS_REGION_ENDPOINTS_JSON) replace single hosts and obey the same
 * https-unless-loopback rule.
 */
export function regionEndpoints(region: Region, opts: { overrides?: EndpointOverrides; env?: NodeJS.ProcessEnv } = {}): RegionEndpoints {
  const fromEnv = parseOverrides((opts.env ?? process.env)[ENDPOINTS_ENV]);
  const o = { ...fromEnv, ...opts.overrides };
  return {
    desktop: o.desktop ? endpointUrl(o.desktop, 'desktop') : region.url,
    template: o.template ? endpointUrl(o.template, 'template') : `https://template.${region.host}`,
    applaunchpad: o.applaunchpad ? endpointUrl(o.applaunchpad, 'applaunchpad') : `https://applaunchpad.${region.host}`,
  };
}
