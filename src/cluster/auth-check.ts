import { DeployError, isDeployError } from '../core/errors.js';
import { KubeApi } from './api.js';
import { resolveKubeconfig, type ResolvedKubeconfig } from './kubeconfig.js';

export interface AuthCheckResult {
  /** The identity the API server sees (e.g. system:serviceaccount:user-system:abcd1234); null if the server does not say. */
  user: string | null;
  namespace: string;
  server: string;
  context: string;
  /** Which review proved the token: SelfSubjectReview (k8s ≥1.28) or SelfSubjectAccessReview. */
  via: 'SelfSubjectReview' | 'SelfSubjectAccessReview';
  /** From the access review: may this identity list pods in the namespace? */
  can_list_pods?: boolean;
}

export type AuthCheckInput = string | ResolvedKubeconfig | { path?: string; env?: NodeJS.ProcessEnv; home?: string; namespace?: string };

const RELOGIN = 'Run `sealos-deploy login` to sign in again (Sealos tokens rotate), or download a fresh kubeconfig from the console.';

function resolve(input: AuthCheckInput): ResolvedKubeconfig {
  if (typeof input === 'string') return resolveKubeconfig({ path: input });
  if ('kc' in input) return input;
  return resolveKubeconfig(input);
}

/** The `sub` claim of a service-account JWT, for display only (the server already accepted the token). */
function tokenSubject(cfg: ResolvedKubeconfig): string | null {
  const token = cfg.kc.getCurrentUser()?.token;
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

function expired(cfg: ResolvedKubeconfig, why: string): DeployError {
  return new DeployError('AUTH_EXPIRED', `The API server ${cfg.server} did not accept the credentials of context "${cfg.context}" (${cfg.path}): ${why}.`, RELOGIN, { server: cfg.server, context: cfg.context });
}

/**
 * An auth check that means something: the API server itself must accept the kubeconfig's credentials
 * (a kubeconfig that merely contains `server:` and `token:` proves nothing). SelfSubjectReview first;
 * a cluster without it (404) or that forbids it (403) gets a SelfSubjectAccessReview instead.
 */
export async function checkAuth(input: AuthCheckInput, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<AuthCheckResult> {
  const cfg = resolve(input);
  const api = new KubeApi(cfg, { timeoutMs: opts.timeoutMs ?? 15_000 });
  const base = { namespace: cfg.namespace, server: api.server, context: cfg.context };
  const signal = opts.signal ? { signal: opts.signal } : {};
  const call = async <T>(path: string, body: unknown, what: string, allow403: boolean): Promise<T | null> => {
    try {
      return await api.request<T>('POST', path, { body, what, allowNotFound: true, ...signal });
    } catch (err) {
      if (isDeployError(err) && err.code === 'AUTH_EXPIRED') throw expired(cfg, 'HTTP 401 Unauthorized');
      if (allow403 && isDeployError(err) && err.code === 'NAMESPACE_FORBIDDEN') return null;
      throw err;
    }
  };

  const review = await call<{ status?: { userInfo?: { username?: string } } }>(
    '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    'review the current identity (SelfSubjectReview)',
    true,
  );
  const username = review?.status?.userInfo?.username ?? null;
  if (username === 'system:anonymous') throw expired(cfg, 'the server treats the request as anonymous');
  if (review && username) return { user: username, ...base, via: 'SelfSubjectReview' };

  const access = await call<{ status?: { allowed?: boolean } }>(
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: cfg.namespace, verb: 'list', resource: 'pods' } } },
    'review access (SelfSubjectAccessReview)',
    false,
  );
  if (!access) {
    throw new DeployError('CLUSTER_ERROR', `${api.server} offers neither SelfSubjectReview nor SelfSubjectAccessReview.`, 'Check that the kubeconfig points at a Kubernetes API server (Sealos: https://<region>:6443).');
  }
  return { user: tokenSubject(cfg), ...base, via: 'SelfSubjectAccessReview', can_list_pods: access.status?.allowed === true };
}
