import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DeployError } from '../../core/errors.js';

export const kubeconfigArg = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe('Kubeconfig file (relative paths resolve against project_dir). Default: SEALOS_KUBECONFIG, KUBECONFIG, ~/.sealos/kubeconfig, ~/.kube/config.');

export const namespaceArg = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name')
  .max(63)
  .optional()
  .describe("Kubernetes namespace; default: the kubeconfig context's. A server started with --namespace fills this in and refuses others.");

export const domainArg = z
  .string()
  .regex(/^[a-z0-9.-]+$/i, 'a DNS domain')
  .max(253)
  .optional()
  .describe('App domain (e.g. usw-1.sealos.app) when neither the namespace nor the signed-in region tells it.');

/** A path argument: absolute as given, else relative to the project (the server's cwd is not the project everywhere). */
export function pathIn(projectDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

export function kubeconfigOf(projectDir: string, kubeconfig: string | undefined): { kubeconfig?: string } {
  return kubeconfig ? { kubeconfig: pathIn(projectDir, kubeconfig) } : {};
}

/**
 * Tools that change or verify a release act only in the kubeconfig context's namespace (the only one
 * Sealos credentials own). A `namespace` argument (or a pinned server) is therefore a check, not an override.
 */
export async function requireContextNamespace(projectDir: string, kubeconfig: string | undefined, namespace: string | undefined): Promise<void> {
  if (!namespace) return;
  const { resolveKubeconfig } = await import('../../cluster/kubeconfig.js');
  const path = kubeconfigOf(projectDir, kubeconfig).kubeconfig;
  const cfg = resolveKubeconfig(path ? { path } : {});
  if (cfg.namespace !== namespace) {
    throw new DeployError(
      'NAMESPACE_FORBIDDEN',
      `The kubeconfig ${cfg.path} targets namespace ${cfg.namespace}, not ${namespace}; this tool acts only in the kubeconfig's own namespace.`,
      `Pass the kubeconfig of the workspace ${namespace} (kubeconfig argument), or make it the current workspace with workspace_switch.`,
      { kubeconfig_namespace: cfg.namespace, requested: namespace },
    );
  }
}
