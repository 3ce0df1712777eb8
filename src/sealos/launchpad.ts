import { isDeployError } from '../core/errors.js';
import type { Http } from '../core/ports.js';
import { callRegion, isObject } from './api-call.js';
import { regionEndpoints, parseRegion, type EndpointOverrides } from './region.js';

export type LaunchpadFindingCode = 'launchpad_http_error' | 'launchpad_api_error' | 'public_network_missing' | 'expected_port_missing' | 'app_url_host_mismatch';

export interface LaunchpadNetwork {
  serviceName: string;
  networkName: string;
  port: number | null;
  protocol: string;
  openPublicDomain: boolean;
  publicDomain: string;
  customDomain: string;
  domain: string;
  /** Complete public hosts of this network: `<publicDomain>.<domain>` and the custom domain. */
  hosts: string[];
}

export interface LaunchpadFinding {
  code: LaunchpadFindingCode;
  message: string;
}

export interface LaunchpadEvidence {
  request: { url: string; app_name: string };
  http_status: number | null;
  api_code: number | null;
  expected_port: number | null;
  app_url_host: string | null;
  networks: LaunchpadNetwork[];
  findings: LaunchpadFinding[];
  error?: string;
}

export interface LaunchpadCheckResult {
  status: 'pass' | 'fail' | 'skip';
  summary: string;
  evidence: LaunchpadEvidence;
  finding_codes: LaunchpadFindingCode[];
}

export interface LaunchpadCheckOptions {
  region: string;
  /** Sent as encodeURIComponent(kubeconfig) in Authorization; never logged or returned. */
  kubeconfigYaml: string;
  appName: string;
  /** The Service port the public network must use; null skips the port condition. */
  expectedPort: number | null;
  /** The live App URL; null (a private app) skips the whole check. */
  appUrl: string | null;
  http: Http;
  caFile?: string;
  endpoints?: EndpointOverrides;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function host(value: string): string | null {
  if (!value) return null;
  try {
    return new URL(value.includes('://') ? value : `https://${value}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function normalizeNetwork(raw: unknown): LaunchpadNetwork {
  const r = isObject(raw) ? raw : {};
  const publicDomain = s(r.publicDomain);
  const customDomain = s(r.customDomain);
  const domain = s(r.domain);
  const hosts = [publicDomain && domain ? host(`${publicDomain}.${domain}`) : null, host(customDomain)].filter((h): h is string => !!h);
  return {
    serviceName: s(r.serviceName),
    networkName: s(r.networkName),
    port: typeof r.port === 'number' && Number.isInteger(r.port) ? r.port : null,
    protocol: s(r.protocol),
    openPublicDomain: r.openPublicDomain === true,
    publicDomain,
    customDomain,
    domain,
    hosts: [...new Set(hosts)],
  };
}

/** The pass conditions of the Sealos plugin's Launchpad check, as pure logic over one answer. */
export function evaluateLaunchpad(input: { httpStatus: number; body: unknown; expectedPort: number | null; appUrlHost: string }): { apiCode: number | null; networks: LaunchpadNetwork[]; findings: LaunchpadFinding[] } {
  const body = isObject(input.body) ? input.body : {};
  const apiCode = typeof body.code === 'number' ? body.code : null;
  const data = isObject(body.data) ? body.data : {};
  const networks = (Array.isArray(data.networks) ? data.networks : []).map(normalizeNetwork);
  const findings: LaunchpadFinding[] = [];
  if (input.httpStatus < 200 || input.httpStatus >= 300) {
    findings.push({ code: 'launchpad_http_error', message: `Launchpad answered HTTP ${input.httpStatus}.` });
    return { apiCode, networks, findings };
  }
  if (apiCode !== 200) {
    const msg = s(body.message).slice(0, 200);
    findings.push({ code: 'launchpad_api_error', message: `Launchpad answered code ${apiCode ?? 'none'}${msg ? `: ${msg}` : ''}.` });
    return { apiCode, networks, findings };
  }
  const open = networks.filter((n) => n.openPublicDomain && n.hosts.length > 0);
  if (open.length === 0) {
    findings.push({ code: 'public_network_missing', message: `Launchpad shows no network with a public domain (${networks.length} network(s) in total).` });
    return { apiCode, networks, findings };
  }
  const onPort = input.expectedPort === null ? open : open.filter((n) => n.port === input.expectedPort);
  if (onPort.length === 0) {
    findings.push({ code: 'expected_port_missing', message: `No public network on the expected port ${input.expectedPort}; public ports: ${open.map((n) => n.port ?? '?').join(', ')}.` });
    return { apiCode, networks, findings };
  }
  const hosts = [...new Set(onPort.flatMap((n) => n.hosts))];
  if (!hosts.includes(input.appUrlHost)) {
    findings.push({ code: 'app_url_host_mismatch', message: `App URL host ${input.appUrlHost} is not a Launchpad public host${input.expectedPort === null ? '' : ` on port ${input.expectedPort}`}: ${hosts.join(', ')}.` });
  }
  return { apiCode, networks, findings };
}

/**
 * Truth Pass check: App Launchpad's getAppByAppName must show a public network on the expected port
 * whose host matches the App URL. Any mismatch fails with both values in the message.
 */
export async function checkLaunchpad(opts: LaunchpadCheckOptions): Promise<LaunchpadCheckResult> {
  const region = parseRegion(opts.region);
  const base = regionEndpoints(region, { ...(opts.endpoints ? { overrides: opts.endpoints } : {}), ...(opts.env ? { env: opts.env } : {}) }).applaunchpad;
  const url = `${base}/api/getAppByAppName?appName=${encodeURIComponent(opts.appName)}`;
  const evidence: LaunchpadEvidence = { request: { url, app_name: opts.appName }, http_status: null, api_code: null, expected_port: opts.expectedPort, app_url_host: null, networks: [], findings: [] };
  if (!opts.appUrl) {
    return { status: 'skip', summary: `${opts.appName} has no public App URL; the Launchpad public-network check does not apply.`, evidence, finding_codes: [] };
  }
  const appUrlHost = host(opts.appUrl);
  evidence.app_url_host = appUrlHost;
  if (!appUrlHost) {
    evidence.findings.push({ code: 'app_url_host_mismatch', message: `The App URL "${opts.appUrl}" has no host to compare.` });
    return { status: 'fail', summary: `The App URL "${opts.appUrl}" is not a URL.`, evidence, finding_codes: ['app_url_host_mismatch'] };
  }
  try {
    const res = await callRegion(url, { headers: { authorization: encodeURIComponent(opts.kubeconfigYaml) }, what: `read ${opts.appName} from App Launchpad` }, {
      http: opts.http,
      ...(opts.caFile ? { caFile: opts.caFile } : {}),
      timeoutMs: opts.timeoutMs ?? 15_000,
    });
    evidence.http_status = res.status;
    const out = evaluateLaunchpad({ httpStatus: res.status, body: res.json, expectedPort: opts.expectedPort, appUrlHost });
    evidence.api_code = out.apiCode;
    evidence.networks = out.networks;
    evidence.findings = out.findings;
  } catch (err) {
    evidence.error = isDeployError(err) ? `${err.code}: ${err.message}` : String(err);
    evidence.findings.push({ code: 'launchpad_http_error', message: `Launchpad could not be reached: ${evidence.error}` });
  }
  const finding_codes = evidence.findings.map((f) => f.code);
  if (finding_codes.length === 0) {
    const port = opts.expectedPort === null ? '' : ` on port ${opts.expectedPort}`;
    return { status: 'pass', summary: `Launchpad shows ${opts.appName} public at ${appUrlHost}${port}.`, evidence, finding_codes };
  }
  return { status: 'fail', summary: evidence.findings.map((f) => f.message).join(' '), evidence, finding_codes };
}
