import { DeployError } from '../core/errors.js';

interface Status {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; causes?: Array<{ field?: string; message?: string }> };
}

function parseStatus(body: string): Status {
  try {
    const v = JSON.parse(body) as Status;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** A Kubernetes API error response in plain words, with the stable code and the next step. */
export function kubeHttpError(status: number, body: string, what: string, namespace: string): DeployError {
  const s = parseStatus(body);
  const detail = s.message ?? (body.trim().slice(0, 300) || `HTTP ${status}`);
  const details = { status, reason: s.reason ?? null, ...(s.details?.causes ? { causes: s.details.causes } : {}) };
  if (status === 401) {
    return new DeployError('AUTH_EXPIRED', `The cluster rejected the credentials while trying to ${what}: ${detail}`, 'Sealos tokens rotate: run `sealos-deploy login` again or download a fresh kubeconfig.', details);
  }
  if (status === 403) {
    const quota = /exceeded quota|forbidden: exceeded/i.test(detail);
    const debt = /balance|debt|arrears/i.test(detail);
    if (quota) return new DeployError('QUOTA_EXCEEDED', `Quota exceeded in ${namespace} while trying to ${what}: ${detail}`, 'Lower replicas/CPU/memory in the template, delete unused apps, or raise the workspace quota.', details);
    return new DeployError(
      'NAMESPACE_FORBIDDEN',
      `Not allowed to ${what} in namespace ${namespace}: ${detail}`,
      debt ? 'The Sealos account balance is below zero: top up, then retry.' : `Use a kubeconfig whose account owns ${namespace} (Sealos grants full access only inside your own workspace).`,
      details,
    );
  }
  if (status === 409) {
    return new DeployError('CLUSTER_CONFLICT', `Conflict while trying to ${what}: ${detail}`, 'Another writer changed the object; re-run to compute a fresh plan (server-side apply conflicts name the other field manager).', details);
  }
  if (status === 422 || status === 400) {
    const causes = s.details?.causes?.map((c) => `${c.field ?? '?'}: ${c.message ?? ''}`).join('; ');
    return new DeployError('CLUSTER_ERROR', `The cluster refused to ${what}: ${causes || detail}`, 'Fix the resource in .sealos/template/index.yaml (re-render) and retry.', details);
  }
  if (status === 404) {
    return new DeployError('CLUSTER_ERROR', `Not found while trying to ${what}: ${detail}`, 'The API or object does not exist on this cluster; check the kubeconfig points at a Sealos cluster.', details);
  }
  return new DeployError('CLUSTER_ERROR', `The cluster answered HTTP ${status} while trying to ${what}: ${detail}`, status >= 500 ? 'The API server had a transient failure: retry in a minute; nothing was changed by the failed call.' : 'Check the request and retry.', details);
}

/** Network-level failures (no HTTP response) in plain words. */
export function kubeNetworkError(err: NodeJS.ErrnoException, server: string, what: string): DeployError {
  const code = err.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO/.test(code) || /certificate/i.test(err.message)) {
    return new DeployError('CLUSTER_TLS', `TLS verification of ${server} failed (${code || err.message}) while trying to ${what}.`, 'Use the kubeconfig from the Sealos console (it carries the cluster CA); TLS verification stays on.', { code });
  }
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT' || /timed out/i.test(err.message)) {
    return new DeployError('CLUSTER_UNREACHABLE', `${server} did not answer in time while trying to ${what}.`, 'Check the network and the server address in the kubeconfig; retry.', { code });
  }
  return new DeployError('CLUSTER_UNREACHABLE', `Cannot reach ${server} (${code || err.message}) while trying to ${what}.`, 'Check the server address in the kubeconfig and your network connection; retry.', { code });
}
