import { DeployError } from '../core/errors.js';
import { DEPLOY_ON_SEALOS_LABEL } from '../core/template/labels.js';
import type { KubeObject } from './resources.js';

export interface RegistryCredential {
  registry: string;
  username: string;
  password: string;
}

/** Registry host of an image reference the way the container runtime resolves it. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first;
  return 'docker.io';
}

/** Docker Hub credentials live under this key in a dockerconfigjson. */
function configKey(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/**
 * The app's image pull Secret (`kubernetes.io/dockerconfigjson`, named after the app as the rendered
 * template's `imagePullSecrets` expects). The password comes from stdin or a file, never argv.
 */
export function pullSecretObject(appName: string, namespace: string, cred: RegistryCredential): KubeObject {
  if (!cred.username || !cred.password) {
    throw new DeployError('USAGE', 'A registry credential needs a user and a password/token.', 'Pass --registry-user <name> and pipe the token with --registry-password-stdin.');
  }
  const auth = Buffer.from(`${cred.username}:${cred.password}`, 'utf8').toString('base64');
  const config = { auths: { [configKey(cred.registry)]: { username: cred.username, password: cred.password, auth } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: appName, namespace, labels: { 'cloud.sealos.io/app-deploy-manager': appName, [DEPLOY_ON_SEALOS_LABEL]: appName } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config), 'utf8').toString('base64') },
  };
}

/** Names of the pull Secrets a workload's pod template references. */
export function referencedPullSecrets(objects: KubeObject[]): string[] {
  const names = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') continue;
    const list = (o.spec as { template?: { spec?: { imagePullSecrets?: Array<{ name?: string }> } } } | undefined)?.template?.spec?.imagePullSecrets ?? [];
    for (const s of list) if (s.name) names.add(s.name);
  }
  return [...names];
}
