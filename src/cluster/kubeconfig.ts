import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { DeployError } from '../core/errors.js';

export type KubeconfigSource = 'argument' | 'SEALOS_KUBECONFIG' | 'KUBECONFIG' | '~/.sealos/kubeconfig' | '~/.kube/config';

export interface ResolvedKubeconfig {
  kc: KubeConfig;
  source: KubeconfigSource;
  path: string;
  context: string;
  namespace: string;
  server: string;
  /** Whether TLS verification is off for this cluster (always reported; never turned off by us). */
  insecure: boolean;
}

/**
 * Resolve the kubeconfig in a documented order: explicit path, SEALOS_KUBECONFIG, KUBECONFIG (first
 * entry), ~/.sealos/kubeconfig (a Sealos login), ~/.kube/config. The client library's silent fallback
 * to http://localhost:8080 is never used: no file is KUBECONFIG_MISSING.
 */
export function resolveKubeconfig(opts: { path?: string; env?: NodeJS.ProcessEnv; home?: string; namespace?: string } = {}): ResolvedKubeconfig {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const candidates: Array<[KubeconfigSource, string | undefined]> = [
    ['argument', opts.path],
    ['SEALOS_KUBECONFIG', env.SEALOS_KUBECONFIG],
    ['KUBECONFIG', env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':').find(Boolean)],
    ['~/.sealos/kubeconfig', join(home, '.sealos', 'kubeconfig')],
    ['~/.kube/config', join(home, '.kube', 'config')],
  ];
  let chosen: [KubeconfigSource, string] | null = null;
  for (const [source, path] of candidates) {
    if (!path) continue;
    if (existsSync(path)) {
      chosen = [source, path];
      break;
    }
    // An explicitly named file that does not exist is an error, not a reason to fall through.
    if (source === 'argument' || source === 'SEALOS_KUBECONFIG') {
      throw new DeployError('KUBECONFIG_MISSING', `The kubeconfig ${path} (from ${source === 'argument' ? '--kubeconfig' : source}) does not exist.`, 'Check the path, or run `sealos-deploy login` to create ~/.sealos/kubeconfig.');
    }
  }
  if (!chosen) {
    throw new DeployError(
      'KUBECONFIG_MISSING',
      'No kubeconfig found (looked at --kubeconfig, SEALOS_KUBECONFIG, KUBECONFIG, ~/.sealos/kubeconfig, ~/.kube/config).',
      'Run `sealos-deploy login` to sign in to Sealos, or download the kubeconfig from the Sealos console and pass --kubeconfig <file>.',
    );
  }
  const [source, path] = chosen;
  const kc = new KubeConfig();
  try {
    kc.loadFromString(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DeployError('KUBECONFIG_INVALID', `${path} is not a valid kubeconfig: ${(err as Error).message.split('\n')[0]}`, 'Download a fresh kubeconfig from the Sealos console, or run `sealos-deploy login`.', { path, source });
  }
  const context = kc.getCurrentContext();
  const ctxObj = context ? kc.getContextObject(context) : null;
  const cluster = kc.getCurrentCluster();
  if (!ctxObj || !cluster?.server) {
    throw new DeployError('KUBECONFIG_INVALID', `${path} has no usable current-context with a cluster server.`, 'Set current-context in the kubeconfig (kubectl config use-context <name>) or download a fresh one.', { path, source });
  }
  const namespace = opts.namespace ?? ctxObj.namespace ?? '';
  if (!namespace) {
    throw new DeployError('KUBECONFIG_INVALID', `The context "${context}" in ${path} names no namespace.`, 'Sealos kubeconfigs carry the workspace namespace (ns-xxxxxxxx); pass --namespace or download a fresh kubeconfig.', { path, source });
  }
  return { kc, source, path, context, namespace, server: cluster.server, insecure: cluster.skipTLSVerify };
}
