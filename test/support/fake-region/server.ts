import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllDocuments } from 'yaml';
import { sealosKubeconfig } from './kubeconfig.js';

/**
 * A fake Sealos region on 127.0.0.1: desktop auth APIs (device grant, regionToken, workspaces), the
 * template provider (Template API, getEnv), and App Launchpad (getAppByAppName, getClientAppConfig),
 * with the documented request and response shapes:
 * - OAuth endpoints answer RFC 8628 JSON (`{error}` with HTTP 400 while pending), as Sealos does;
 * - desktop and provider platform APIs answer `jsonRes` `{code, message, data}` (HTTP 200 by default,
 *   or the code as HTTP status with `jsonResHttpStatus: 'mirror'`);
 * - the Template API answers 200/201 bodies and `{error: {type, code, message, details}}` errors.
 * All hosts are this one server; tests point the template/applaunchpad endpoints at it.
 */

export const FAKE_CLIENT_ID = 'af993c98-d19d-4bdc-b338-79b80dc4f8bf';

export interface FakeWorkspace {
  uid: string;
  id: string;
  teamName: string;
  role: number;
  nstype: 'private' | 'team';
}

export type TokenStep = 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'ok' | 'server_error_500';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeRegionState {
  device: { interval?: number; expires_in: number; omitComplete?: boolean; status?: number };
  /** One step per token poll; after the script runs out, polls succeed. */
  tokenScript: TokenStep[];
  regionToken: 'ok' | 409 | 401;
  jsonResHttpStatus: 'always-200' | 'mirror';
  workspaces: FakeWorkspace[];
  /** Workspace uids the switch endpoint refuses (not a member). */
  switchForbidden: Set<string>;
  /** Regional tokens the server no longer accepts (expired). */
  revokedTokens: Set<string>;
  getEnv: { status: number; domain: string; certSecret: string };
  clientAppConfig: { status: number; domain: string; userDomains: Array<{ name: string; secretName: string }> };
  template: { forceStatus: number | null; errorCode?: string; errorMessage?: string; errorDetails?: string };
  launchpad: { forceHttpStatus: number | null; apps: Record<string, { networks: unknown[] }> };
}

export interface FakeRegion {
  url: string;
  port: number;
  /** Point template and applaunchpad at this server (SEALOS_REGION_ENDPOINTS_JSON value). */
  endpointsJson: string;
  state: FakeRegionState;
  requests: RecordedRequest[];
  /** Every secret the server handed out: tests assert none reaches stdout, stderr or logs. */
  issuedSecrets(): string[];
  accessToken: string;
  /** The kubeconfig the server issues for a workspace id (its token is accepted by the provider APIs). */
  kubeconfigFor(workspaceId: string): string;
  tokenPolls(): number;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString('hex');
const letters = (n: number) =>
  Array.from(randomBytes(n))
    .map((b) => String.fromCharCode(97 + (b % 26)))
    .join('');

export const DEFAULT_WORKSPACES: FakeWorkspace[] = [
  { uid: '11111111-1111-4111-8111-111111111111', id: 'ns-abcd1234', teamName: 'private team', role: 0, nstype: 'private' },
  { uid: '22222222-2222-4222-8222-222222222222', id: 'ns-team0001', teamName: 'Acme', role: 1, nstype: 'team' },
  { uid: '33333333-3333-4333-8333-333333333333', id: 'ns-team0002', teamName: 'Acme Labs', role: 2, nstype: 'team' },
];

export async function startFakeRegion(init: Partial<FakeRegionState> = {}): Promise<FakeRegion> {
  const state: FakeRegionState = {
    device: { interval: 5, expires_in: 1800 },
    tokenScript: [],
    regionToken: 'ok',
    jsonResHttpStatus: 'always-200',
    workspaces: DEFAULT_WORKSPACES.map((w) => ({ ...w })),
    switchForbidden: new Set(),
    revokedTokens: new Set(),
    getEnv: { status: 200, domain: 'usw-1.sealos.app', certSecret: 'wildcard-cert' },
    clientAppConfig: { status: 200, domain: 'usw-1.sealos.io', userDomains: [{ name: 'usw-1.sealos.app', secretName: 'wildcard-cert' }] },
    template: { forceStatus: null },
    launchpad: { forceHttpStatus: null, apps: {} },
    ...init,
  };
  const requests: RecordedRequest[] = [];
  const deviceCode = `dc-${hex(16)}`;
  const userCode = `${letters(4).toUpperCase()}-${letters(4).toUpperCase()}`;
  const accessToken = `sat-${hex(24)}`;
  /** regional token → workspace id it is bound to */
  const regionalTokens = new Map<string, string>();
  /** workspace id → kubeconfig token */
  const kubeTokens = new Map<string, string>();
  let polls = 0;
  let scriptIndex = 0;

  const kubeconfigFor = (wsId: string) => {
    let token = kubeTokens.get(wsId);
    if (!token) {
      token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:user-system:${wsId.replace(/^ns-/, '')}` })).toString('base64url')}.${hex(20)}`;
      kubeTokens.set(wsId, token);
    }
    return sealosKubeconfig({ server: 'https://usw-1.sealos.io:6443', namespace: wsId, token, user: 'abcd1234' });
  };
  const issueRegional = (wsId: string) => {
    const t = `rt-${wsId}-${hex(24)}`;
    regionalTokens.set(t, wsId);
    return t;
  };
  const knownKubeconfigs = () => new Set(state.workspaces.map((w) => kubeconfigFor(w.id)));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const jsonRes = (code: number, data: unknown = null, message = code === 200 ? 'Successfully' : 'error') =>
        json(state.jsonResHttpStatus === 'mirror' ? code : 200, { code, message, data });
      const notFound = () => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>404: This page could not be found.</body></html>');
      };
      const regionalWs = () => {
        const t = req.headers.authorization ?? '';
        return state.revokedTokens.has(t) ? undefined : regionalTokens.get(t);
      };
      const kubeconfigAuth = () => {
        try {
          return knownKubeconfigs().has(decodeURIComponent(req.headers.authorization ?? ''));
        } catch {
          return false;
        }
      };

      switch (`${req.method} ${url.pathname}`) {
        case 'POST /api/auth/oauth2/device': {
          const form = new URLSearchParams(body);
          if (state.device.status) return json(state.device.status, { error: 'server_error' });
          if (form.get('client_id') !== FAKE_CLIENT_ID) return json(400, { error: 'invalid_client', error_description: 'unknown client' });
          const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/device`;
          return json(200, {
            device_code: deviceCode,
            user_code: userCode,
            verification_uri: base,
            ...(state.device.omitComplete ? {} : { verification_uri_complete: `${base}?user_code=${userCode}` }),
            expires_in: state.device.expires_in,
            ...(state.device.interval !== undefined ? { interval: state.device.interval } : {}),
          });
        }
        case 'POST /api/auth/oauth2/token': {
          polls++;
          const form = new URLSearchParams(body);
          if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code' || form.get('device_code') !== deviceCode || form.get('client_id') !== FAKE_CLIENT_ID) {
            return json(400, { error: 'invalid_grant', error_description: 'bad device code' });
          }
          const step = state.tokenScript[scriptIndex++] ?? 'ok';
          if (step === 'ok') return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 });
          if (step === 'server_error_500') return json(500, { error: 'server_error' });
          return json(400, { error: step, error_description: step });
        }
        case 'POST /api/auth/regionToken': {
          if (req.headers.authorization !== accessToken) return jsonRes(401, null, 'token verify error');
          if (state.regionToken !== 'ok') return jsonRes(state.regionToken, null, state.regionToken === 409 ? 'workspace is not inited' : 'unauthorized');
          const priv = state.workspaces.find((w) => w.nstype === 'private') ?? state.workspaces[0]!;
          return jsonRes(200, { token: issueRegional(priv.id), kubeconfig: kubeconfigFor(priv.id), appToken: `app-${hex(8)}` });
        }
        case 'GET /api/auth/namespace/list': {
          if (!regionalWs()) return jsonRes(401, null, 'token verify error');
          return jsonRes(200, { namespaces: state.workspaces.map((w) => ({ ...w, createTime: '2026-01-01T00:00:00Z' })) });
        }
        case 'POST /api/auth/namespace/switch': {
          if (!regionalWs()) return jsonRes(401, null, 'token verify error');
          let nsUid = '';
          try {
            nsUid = (JSON.parse(body) as { ns_uid?: string }).ns_uid ?? '';
          } catch {
            /* invalid body */
          }
          if (!/^[0-9a-f-]{36}$/.test(nsUid)) return jsonRes(400, null, 'ns_uid is invalid');
          const ws = state.workspaces.find((w) => w.uid === nsUid);
          if (!ws || state.switchForbidden.has(nsUid)) return jsonRes(403, null, 'You are not in this workspace');
          return jsonRes(200, { token: issueRegional(ws.id), appToken: `app-${hex(8)}` });
        }
        case 'GET /api/auth/getKubeconfig': {
          const ws = regionalWs();
          if (!ws) return jsonRes(401, null, 'invalid token');
          return jsonRes(200, { kubeconfig: kubeconfigFor(ws) });
        }
        case 'GET /api/platform/getEnv': {
          if (state.getEnv.status === 404) return notFound();
          if (state.getEnv.status !== 200) return jsonRes(state.getEnv.status, null, 'unavailable');
          return jsonRes(200, {
            SEALOS_CLOUD_DOMAIN: state.getEnv.domain,
            SEALOS_CERT_SECRET_NAME: state.getEnv.certSecret,
            TEMPLATE_REPO_URL: 'https://github.com/labring-actions/templates',
            SEALOS_NAMESPACE: '',
            SEALOS_SERVICE_ACCOUNT: '',
          });
        }
        case 'GET /api/platform/getClientAppConfig': {
          if (state.clientAppConfig.status === 404) return notFound();
          if (state.clientAppConfig.status !== 200) return jsonRes(state.clientAppConfig.status, null, 'Server misconfigured');
          return jsonRes(200, { domain: state.clientAppConfig.domain, userDomains: state.clientAppConfig.userDomains, desktopDomain: 'usw-1.sealos.io', apiEnabled: true });
        }
        case 'POST /api/v2alpha/templates/raw':
          return templateRaw();
        case 'GET /api/getAppByAppName': {
          if (state.launchpad.forceHttpStatus) return json(state.launchpad.forceHttpStatus, { code: state.launchpad.forceHttpStatus, message: 'forced' });
          if (!kubeconfigAuth()) return jsonRes(401, null, 'unauthorized');
          const app = state.launchpad.apps[url.searchParams.get('appName') ?? ''];
          if (!app) return jsonRes(500, null, 'deployments.apps not found');
          return jsonRes(200, { appName: url.searchParams.get('appName'), networks: app.networks });
        }
        default:
          return notFound();
      }

      function templateRaw() {
        const err = (status: number, type: string, code: string, message: string, details?: unknown) => json(status, { error: { type, code, message, ...(details !== undefined ? { details } : {}) } });
        const forced = state.template.forceStatus;
        if (forced === 404) return notFound();
        if (forced) {
          const defaults: Record<number, [string, string]> = {
            400: ['validation_error', 'INVALID_VALUE'],
            401: ['authentication_error', 'AUTHENTICATION_REQUIRED'],
            403: ['authorization_error', 'PERMISSION_DENIED'],
            409: ['resource_error', 'ALREADY_EXISTS'],
            422: ['operation_error', 'INVALID_RESOURCE_SPEC'],
            500: ['operation_error', 'KUBERNETES_ERROR'],
            503: ['internal_error', 'SERVICE_UNAVAILABLE'],
          };
          const [type, code] = defaults[forced] ?? ['internal_error', 'INTERNAL_ERROR'];
          return err(forced, type, state.template.errorCode ?? code, state.template.errorMessage ?? `forced ${forced}`, state.template.errorDetails);
        }
        let parsed: { yaml?: unknown; args?: Record<string, string>; dryRun?: boolean };
        try {
          parsed = JSON.parse(body) as typeof parsed;
        } catch {
          return err(400, 'validation_error', 'INVALID_PARAMETER', 'Body must be JSON.');
        }
        if (typeof parsed.yaml !== 'string' || !parsed.yaml.trim()) return err(400, 'validation_error', 'INVALID_PARAMETER', 'Template YAML is required.', [{ field: 'yaml', message: 'Required' }]);
        if (!kubeconfigAuth()) return err(401, 'authentication_error', 'AUTHENTICATION_REQUIRED', 'Invalid or missing kubeconfig.');
        const docs = parseAllDocuments(parsed.yaml).map((d) => d.toJS() as Record<string, any> | null);
        const first = docs[0];
        if (!first || first.kind !== 'Template') return err(400, 'validation_error', 'INVALID_VALUE', 'The first YAML must be a Template.');
        const rawName: unknown = first.spec?.defaults?.app_name?.value;
        if (typeof rawName !== 'string' || !rawName) return err(400, 'validation_error', 'INVALID_VALUE', 'Template must define a non-empty spec.defaults.app_name value.');
        const name = rawName.replace(/\$\{\{\s*random\((\d+)\)\s*\}\}/g, (_m, n: string) => letters(Number(n)));
        const resources = docs.slice(1).filter((d): d is Record<string, any> => !!d && typeof d.kind === 'string').map((d) => ({
          name: String(d.metadata?.name ?? '').replace(/\$\{\{\s*defaults\.app_name\s*\}\}/g, name),
          uid: parsed.dryRun ? '' : randomUUID(),
          resourceType: String(d.kind).toLowerCase(),
          ...(d.kind === 'Deployment' ? { quota: { cpu: 0.2, memory: 0.25, storage: 0, replicas: 1 } } : {}),
        }));
        // The real server echoes the resolved inputs back: clients must never print them.
        const inputs = parsed.args ?? {};
        if (parsed.dryRun) return json(200, { name, resourceType: 'instance', dryRun: true, args: inputs, resources });
        return json(201, { name, uid: randomUUID(), resourceType: 'instance', displayName: '', createdAt: '2026-01-01T00:00:00Z', args: inputs, resources });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    endpointsJson: JSON.stringify({ template: url, applaunchpad: url }),
    state,
    requests,
    accessToken,
    kubeconfigFor,
    issuedSecrets: () => [accessToken, deviceCode, ...regionalTokens.keys(), ...kubeTokens.values()],
    tokenPolls: () => polls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
