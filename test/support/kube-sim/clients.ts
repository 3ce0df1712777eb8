/**
 * Real @kubernetes/client-node clients bound to a simulator through its kubeconfig, plus a helper
 * to read the metav1.Status out of an ApiException (whose body is the raw response text).
 */
import * as k8s from '@kubernetes/client-node';
import type { KubeSim } from './index.js';

export interface SimClients {
  kc: k8s.KubeConfig;
  objects: k8s.KubernetesObjectApi;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  custom: k8s.CustomObjectsApi;
  authz: k8s.AuthorizationV1Api;
}

export function kubeConfigFor(sim: Pick<KubeSim, 'kubeconfigYaml'>, token?: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml);
  if (token) {
    const user = kc.getCurrentUser()!;
    kc.users = kc.users.map((u) => (u.name === user.name ? { ...u, token } : u));
  }
  return kc;
}

export function clientsFor(sim: Pick<KubeSim, 'kubeconfigYaml'>, token?: string): SimClients {
  const kc = kubeConfigFor(sim, token);
  return {
    kc,
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    authz: kc.makeApiClient(k8s.AuthorizationV1Api),
  };
}

export interface StatusLike {
  kind?: string;
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ type?: string; message?: string; field?: string }> };
}

/** A Status document, or `{ message }` for plain-text bodies such as the mux's "404 page not found". */
function parseStatus(text: string): StatusLike {
  try {
    return JSON.parse(text) as StatusLike;
  } catch {
    return { message: text.trim() };
  }
}

/** Await a rejected client call and return the parsed Status body and HTTP code. */
export async function apiError(p: Promise<unknown>): Promise<{ code: number; status: StatusLike }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof k8s.ApiException) {
      const body: unknown = e.body;
      return { code: e.code, status: typeof body === 'string' ? parseStatus(body) : ((body ?? {}) as StatusLike) };
    }
    throw e;
  }
  throw new Error('expected the call to fail with an ApiException');
}
