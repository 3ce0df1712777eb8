import { DeployError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/ports.js';
import { callRegion, isObject, readJsonRes } from './api-call.js';
import { endpointsFor, sealosContext, type SealosOptions } from './context.js';
import { pollForAccessToken, requestDeviceAuthorization, SEALOS_CLIENT_ID, type VerificationPrompt } from './device-grant.js';
import { AUTH_METHOD_DEVICE_GRANT, readAuthFile, writeAuthFile, writePrivateFile, type WorkspaceRef } from './home-files.js';
import { kubeconfigFacts } from './kubeconfig-facts.js';
import { DEFAULT_REGION, parseRegion } from './region.js';
import { fetchWorkspaces, type Workspace } from './workspaces.js';

export interface LoginOptions extends SealosOptions {
  /** Region console URL or host; default: SEALOS_REGION, then the region of the last login, then usw-1. */
  region?: string;
  /** Injectable so tests never wait real seconds between polls. */
  clock?: Clock;
  clientId?: string;
  /** Overall deadline for approval (default 10 min). */
  deadlineMs?: number;
  /**
   * Called once with the verification URL and user code before polling starts. The CLI prints them;
   * an MCP tool returns them as text and, when the client supports it, opens a URL elicitation.
   */
  onVerification?: (prompt: VerificationPrompt) => void | Promise<void>;
}

export interface LoginResult {
  region: string;
  kubeconfig_path: string;
  auth_path: string;
  /** The workspace the new kubeconfig targets (null when the region did not list workspaces). */
  workspace: WorkspaceRef | null;
  namespace: string;
  server: string;
  authenticated_at: string;
}

async function exchangeRegionToken(desktop: string, accessToken: string, ctx: ReturnType<typeof sealosContext>): Promise<{ token: string; kubeconfig: string }> {
  const what = 'exchange the login for a regional token';
  const res = await callRegion(`${desktop}/api/auth/regionToken`, { method: 'POST', headers: { authorization: accessToken, 'content-type': 'application/json' }, what }, ctx.call);
  const out = readJsonRes(res);
  if (out.code === 409) {
    throw new DeployError('REGION_API_ERROR', 'Your account has no workspace in this region yet.', 'Open the region console in a browser once (it creates your workspace), then run `sealos-deploy login` again.');
  }
  if (out.code === 401 || out.code === 403) {
    throw new DeployError('LOGIN_DENIED', `The region did not accept the approved login (code ${out.code}).`, 'Run `sealos-deploy login` again; check that the region is the one your account lives in.');
  }
  const data = isObject(out.data) ? out.data : {};
  const token = typeof data.token === 'string' ? data.token : '';
  const kubeconfig = typeof data.kubeconfig === 'string' ? data.kubeconfig : '';
  if (out.code !== 200 || !token || !kubeconfig) {
    throw new DeployError('REGION_API_ERROR', `The regional token exchange failed (code ${out.code}${out.message ? `: ${out.message}` : ''}).`, 'Retry `sealos-deploy login` in a minute.', { code: out.code });
  }
  return { token, kubeconfig };
}

/** The workspace the kubeconfig points at; else the personal one; else the first. */
function currentOf(workspaces: Workspace[], namespace: string): WorkspaceRef | null {
  const w = workspaces.find((x) => x.id === namespace) ?? workspaces.find((x) => x.nstype === 'private') ?? workspaces[0];
  return w ? { uid: w.uid, id: w.id, teamName: w.teamName } : null;
}

export function resolveLoginRegion(opts: Pick<LoginOptions, 'region' | 'env'>, saved: string | undefined): string {
  return opts.region ?? opts.env?.SEALOS_REGION ?? saved ?? DEFAULT_REGION;
}

/**
 * OAuth 2.0 device authorization grant against the region, then the regional token and kubeconfig,
 * written to ~/.sealos/{kubeconfig,auth.json} (0600, atomic) in the sealos-cli layout. The result
 * carries no token.
 */
export async function login(opts: LoginOptions = {}): Promise<LoginResult> {
  const ctx = sealosContext(opts);
  const clock = opts.clock ?? systemClock;
  const saved = await readAuthFile(ctx.paths).catch(() => null);
  const region = parseRegion(resolveLoginRegion({ ...opts, env: ctx.env }, saved?.region));
  const { desktop } = endpointsFor(region, opts, ctx);
  const clientId = opts.clientId ?? SEALOS_CLIENT_ID;

  const device = await requestDeviceAuthorization(desktop, clientId, ctx.call);
  const prompt: VerificationPrompt = {
    verification_uri: device.verification_uri,
    verification_uri_complete: device.verification_uri_complete,
    user_code: device.user_code,
    expires_in_seconds: device.expires_in,
    expires_at: new Date(clock.now().getTime() + device.expires_in * 1000).toISOString(),
  };
  await opts.onVerification?.(prompt);

  const accessToken = await pollForAccessToken({
    desktop,
    clientId,
    device,
    clock,
    call: ctx.call,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  opts.progress?.('Login approved; fetching the regional token and kubeconfig');
  const { token, kubeconfig } = await exchangeRegionToken(desktop, accessToken, ctx);
  const facts = kubeconfigFacts(kubeconfig);

  let workspace: WorkspaceRef | null = null;
  try {
    workspace = currentOf(await fetchWorkspaces(desktop, token, ctx.call), facts.namespace);
  } catch {
    // The login itself succeeded; the workspace name is a convenience (as in the Sealos plugin).
    workspace = null;
  }

  const authenticated_at = clock.now().toISOString();
  await writePrivateFile(ctx.paths, ctx.paths.kubeconfig, kubeconfig);
  await writeAuthFile(ctx.paths, {
    region: region.url,
    access_token: accessToken,
    regional_token: token,
    authenticated_at,
    auth_method: AUTH_METHOD_DEVICE_GRANT,
    ...(workspace ? { current_workspace: workspace } : {}),
  });
  return { region: region.url, kubeconfig_path: ctx.paths.kubeconfig, auth_path: ctx.paths.auth, workspace, namespace: facts.namespace, server: facts.server, authenticated_at };
}
