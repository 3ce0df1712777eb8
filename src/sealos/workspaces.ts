import { DeployError } from '../core/errors.js';
import { callRegion, isObject, readJsonRes, type CallOptions } from './api-call.js';
import { endpointsFor, sealosContext, type SealosOptions } from './context.js';
import { requireAuthFile, writeAuthFile, writePrivateFile, type WorkspaceRef } from './home-files.js';
import { kubeconfigFacts } from './kubeconfig-facts.js';
import { parseRegion } from './region.js';

export interface Workspace {
  uid: string;
  /** The Kubernetes namespace, `ns-…`: the deploy target. */
  id: string;
  teamName: string;
  /** 0 owner, 1 manager, 2 developer (Sealos UserRole). */
  role: number | null;
  /** `private` for the personal workspace, `team` for shared ones. */
  nstype: string | null;
}

const RELOGIN = 'Run `sealos-deploy login` to sign in again (regional tokens expire).';

function authError(code: number, what: string): DeployError | null {
  if (code === 401) return new DeployError('AUTH_EXPIRED', `The region rejected the saved login while trying to ${what}.`, RELOGIN);
  return null;
}

function toWorkspace(raw: unknown): Workspace | null {
  if (!isObject(raw) || typeof raw.uid !== 'string' || typeof raw.id !== 'string') return null;
  return {
    uid: raw.uid,
    id: raw.id,
    teamName: typeof raw.teamName === 'string' ? raw.teamName : raw.id,
    role: typeof raw.role === 'number' ? raw.role : null,
    nstype: typeof raw.nstype === 'string' ? raw.nstype : null,
  };
}

/** GET /api/auth/namespace/list with the regional token; `data.namespaces` (or a bare array, as older regions answer). */
export async function fetchWorkspaces(desktop: string, regionalToken: string, call: CallOptions): Promise<Workspace[]> {
  const what = 'list workspaces';
  const res = await callRegion(`${desktop}/api/auth/namespace/list`, { headers: { authorization: regionalToken }, what }, call);
  const out = readJsonRes(res);
  const auth = authError(out.code, what);
  if (auth) throw auth;
  if (out.code !== 200) throw new DeployError('REGION_API_ERROR', `Listing workspaces failed (code ${out.code}${out.message ? `: ${out.message}` : ''}).`, 'Retry in a minute; if it persists, sign in again with `sealos-deploy login`.', { code: out.code });
  const list = Array.isArray(out.data) ? out.data : isObject(out.data) && Array.isArray(out.data.namespaces) ? out.data.namespaces : null;
  if (!list) throw new DeployError('REGION_API_ERROR', 'The workspace list answer has no namespaces.', 'Retry; if it persists, sign in again with `sealos-deploy login`.');
  return list.map(toWorkspace).filter((w): w is Workspace => w !== null);
}

async function postSwitch(desktop: string, regionalToken: string, nsUid: string, call: CallOptions): Promise<string> {
  const what = 'switch workspace';
  const res = await callRegion(
    `${desktop}/api/auth/namespace/switch`,
    { method: 'POST', headers: { authorization: regionalToken, 'content-type': 'application/json' }, body: JSON.stringify({ ns_uid: nsUid }), what },
    call,
  );
  const out = readJsonRes(res);
  const auth = authError(out.code, what);
  if (auth) throw auth;
  if (out.code === 403) throw new DeployError('WORKSPACE_NOT_FOUND', 'The region says you are not a member of that workspace.', 'Run `sealos-deploy workspace list` and pick one of the listed workspaces; accept pending team invitations in the console first.');
  if (out.code !== 200) throw new DeployError('REGION_API_ERROR', `Switching workspace failed (code ${out.code}${out.message ? `: ${out.message}` : ''}).`, 'Retry in a minute.', { code: out.code });
  const token = isObject(out.data) && typeof out.data.token === 'string' ? out.data.token : '';
  if (!token) throw new DeployError('REGION_API_ERROR', 'The switch answer lacks data.token.', 'Retry; if it persists, sign in again with `sealos-deploy login`.');
  return token;
}

/** GET /api/auth/getKubeconfig: the kubeconfig of the workspace the token is bound to. */
export async function fetchKubeconfig(desktop: string, regionalToken: string, call: CallOptions): Promise<string> {
  const what = 'download the workspace kubeconfig';
  const res = await callRegion(`${desktop}/api/auth/getKubeconfig`, { headers: { authorization: regionalToken }, what }, call);
  const out = readJsonRes(res);
  const auth = authError(out.code, what);
  if (auth) throw auth;
  const kc = isObject(out.data) && typeof out.data.kubeconfig === 'string' ? out.data.kubeconfig : '';
  if (out.code !== 200 || !kc) throw new DeployError('REGION_API_ERROR', `Downloading the kubeconfig failed (code ${out.code}${out.message ? `: ${out.message}` : ''}).`, 'Retry in a minute; if it persists, sign in again with `sealos-deploy login`.', { code: out.code });
  return kc;
}

/**
 * Exact matching only: id (`ns-…`), uid, or team name (case-insensitive). The Sealos plugin matched
 * substrings, so "dev" could land in "devops"; an ambiguous name is an error listing the candidates.
 */
export function pickWorkspace(workspaces: Workspace[], target: string): Workspace {
  const t = target.trim();
  const exact = workspaces.filter((w) => w.id === t || w.uid === t);
  const byName = exact.length ? exact : workspaces.filter((w) => w.teamName.toLowerCase() === t.toLowerCase());
  const listing = workspaces.map((w) => `${w.id} (${w.teamName})`).join(', ');
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new DeployError('USAGE', `"${t}" names ${byName.length} workspaces: ${byName.map((w) => w.id).join(', ')}.`, 'Pass the namespace id (ns-…) instead of the team name.', { candidates: byName.map((w) => w.id) });
  }
  throw new DeployError('WORKSPACE_NOT_FOUND', `No workspace "${t}". Available: ${listing || 'none'}.`, 'Run `sealos-deploy workspace list` and pass an id (ns-…), uid or exact team name.', { available: workspaces.map((w) => w.id) });
}

export interface WorkspaceListResult {
  region: string;
  current: WorkspaceRef | null;
  workspaces: Array<Workspace & { current: boolean }>;
}

export async function listWorkspaces(opts: SealosOptions = {}): Promise<WorkspaceListResult> {
  const ctx = sealosContext(opts);
  const auth = await requireAuthFile(ctx.paths);
  const region = parseRegion(auth.region);
  const { desktop } = endpointsFor(region, opts, ctx);
  const workspaces = await fetchWorkspaces(desktop, auth.regional_token, ctx.call);
  const current = auth.current_workspace ?? null;
  return { region: region.url, current, workspaces: workspaces.map((w) => ({ ...w, current: current?.uid === w.uid })) };
}

export interface SwitchWorkspaceResult {
  region: string;
  previous: WorkspaceRef | null;
  workspace: WorkspaceRef;
  /** The namespace the deploy now targets (the new kubeconfig's context namespace). */
  namespace: string;
  kubeconfig_path: string;
}

/** switch → new regional token → getKubeconfig → rewrite ~/.sealos/kubeconfig and auth.json (0600, atomic). */
export async function switchWorkspace(opts: SealosOptions & { target: string }): Promise<SwitchWorkspaceResult> {
  if (!opts.target?.trim()) throw new DeployError('USAGE', 'Which workspace? No target given.', 'Pass a workspace id (ns-…), uid or team name: `sealos-deploy workspace switch <id>`.');
  const ctx = sealosContext(opts);
  const auth = await requireAuthFile(ctx.paths);
  const region = parseRegion(auth.region);
  const { desktop } = endpointsFor(region, opts, ctx);
  const match = pickWorkspace(await fetchWorkspaces(desktop, auth.regional_token, ctx.call), opts.target);
  opts.progress?.(`Switching to workspace ${match.id} (${match.teamName})`);
  const token = await postSwitch(desktop, auth.regional_token, match.uid, ctx.call);
  const kubeconfig = await fetchKubeconfig(desktop, token, ctx.call);
  const facts = kubeconfigFacts(kubeconfig);
  if (facts.namespace !== match.id) {
    throw new DeployError('REGION_API_ERROR', `The region returned a kubeconfig for namespace "${facts.namespace || '(none)'}" instead of ${match.id}; nothing was changed.`, 'Retry the switch; if it persists, download the kubeconfig from the Sealos console.');
  }
  const workspace: WorkspaceRef = { uid: match.uid, id: match.id, teamName: match.teamName };
  // Kubeconfig first: if the auth write fails, the next switch still starts from a valid login.
  await writePrivateFile(ctx.paths, ctx.paths.kubeconfig, kubeconfig);
  await writeAuthFile(ctx.paths, { ...auth, regional_token: token, current_workspace: workspace });
  return { region: region.url, previous: auth.current_workspace ?? null, workspace, namespace: facts.namespace, kubeconfig_path: ctx.paths.kubeconfig };
}
