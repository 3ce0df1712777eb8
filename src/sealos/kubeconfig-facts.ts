import { parse } from 'yaml';
import { DeployError } from '../core/errors.js';
import { isObject } from './api-call.js';

export interface KubeconfigFacts {
  server: string;
  namespace: string;
  context: string;
}

function named(list: unknown, name: string, field: string): Record<string, unknown> | null {
  if (!Array.isArray(list)) return null;
  const hit = list.find((e) => isObject(e) && e.name === name);
  return isObject(hit) && isObject(hit[field]) ? (hit[field] as Record<string, unknown>) : null;
}

/**
 * Server and namespace of the current context of a kubeconfig text (what the region handed us), so a
 * login or workspace switch can report and verify the deploy target without touching the cluster.
 */
export function kubeconfigFacts(text: string): KubeconfigFacts {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = null;
  }
  if (!isObject(doc)) throw new DeployError('KUBECONFIG_INVALID', 'The region returned a kubeconfig that is not YAML.', 'Retry the login; if it persists, download the kubeconfig from the Sealos console.');
  const context = typeof doc['current-context'] === 'string' ? doc['current-context'] : '';
  const ctx = named(doc.contexts, context, 'context');
  const clusterName = ctx && typeof ctx.cluster === 'string' ? ctx.cluster : '';
  const cluster = named(doc.clusters, clusterName, 'cluster');
  const server = cluster && typeof cluster.server === 'string' ? cluster.server : '';
  const namespace = ctx && typeof ctx.namespace === 'string' ? ctx.namespace : '';
  if (!context || !server) {
    throw new DeployError('KUBECONFIG_INVALID', 'The kubeconfig from the region has no current context with a cluster server.', 'Retry the login; if it persists, download the kubeconfig from the Sealos console.');
  }
  return { server, namespace, context };
}
