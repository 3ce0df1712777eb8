import type { Clock, Http } from '../../core/ports.js';

/** What the Sealos account tools take from outside; tests inject a fake region's env and a fake clock. */
export interface SealosToolDeps {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  http?: Http;
}

export const regionArgDescription = 'Region console URL or host, e.g. https://usw-1.sealos.io (default: SEALOS_REGION, then the last login, then usw-1).';
export const caFileDescription = 'CA bundle (PEM) of a region with a private certificate; TLS is always verified.';

/** Deploys read SEALOS_KUBECONFIG/KUBECONFIG before ~/.sealos/kubeconfig: say so, or the login looks ignored. */
export function kubeconfigShadowNote(env: NodeJS.ProcessEnv): string | null {
  const name = env.SEALOS_KUBECONFIG ? 'SEALOS_KUBECONFIG' : env.KUBECONFIG ? 'KUBECONFIG' : null;
  return name ? `${name} is set in the server's environment, so deploys use it instead of ~/.sealos/kubeconfig unless you pass kubeconfig.` : null;
}
