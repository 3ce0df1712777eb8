import { stringify } from 'yaml';

/** A kubeconfig shaped like the ones Sealos issues (cluster `sealos`, context `<user>@sealos`, token auth). */
export function sealosKubeconfig(opts: { server: string; namespace: string; token: string; user?: string; caData?: string }): string {
  // client-node refuses http:// servers unless skipTLSVerify is set; a plain-http loopback test server has no TLS to verify.
  const plainHttp = opts.server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {};
  const user = opts.user ?? opts.namespace.replace(/^ns-/, '');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sealos', cluster: { server: opts.server, ...plainHttp, ...(opts.caData ? { 'certificate-authority-data': opts.caData } : {}) } }],
    contexts: [{ name: `${user}@sealos`, context: { cluster: 'sealos', user, namespace: opts.namespace } }],
    'current-context': `${user}@sealos`,
    users: [{ name: user, user: { token: opts.token } }],
  });
}
