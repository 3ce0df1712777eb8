/**
 * Port: what mode decision, discovery and state repair read from the live cluster.
 * The cluster adapter (src/cluster) implements it; unit tests pass a fake.
 */

export const LABEL_APP = 'app';
export const LABEL_DEPLOY_MANAGER = 'cloud.sealos.io/app-deploy-manager';

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface LiveWorkload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Image of the container named like the app, else of the first container. */
  image: string;
  containerName: string;
  readyReplicas: number;
  replicas: number;
  /** Host of the app's Ingress (labelled `cloud.sealos.io/app-deploy-manager=<name>`), null if none. */
  host: string | null;
}

export interface LiveReader {
  /** The Deployment, else the StatefulSet, with exactly this name; null when neither exists. */
  getWorkload(namespace: string, name: string): Promise<LiveWorkload | null>;
  /** Deployments and StatefulSets that carry the label key `cloud.sealos.io/app-deploy-manager`. */
  listAppsByLabel(namespace: string): Promise<LiveWorkload[]>;
  /** `spec.data.url` of the App CR `apps.app.sealos.io/<name>`, null when there is none. */
  getAppUrl(namespace: string, name: string): Promise<string | null>;
}

/** Host part of a URL, lower-cased; null for anything that is not an absolute URL. */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}
