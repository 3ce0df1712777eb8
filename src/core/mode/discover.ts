import { LABEL_APP, LABEL_DEPLOY_MANAGER, type LiveReader, type LiveWorkload } from './live.js';

export interface DiscoveredApp {
  /** The exact value of `cloud.sealos.io/app-deploy-manager`. */
  app_name: string;
  workloads: Array<Pick<LiveWorkload, 'kind' | 'name' | 'image' | 'containerName' | 'readyReplicas' | 'replicas' | 'host'>>;
  /** True when a workload is named exactly like the app and carries both Launchpad labels with that value. */
  launchpad_shaped: boolean;
}

/**
 * Apps in a namespace, grouped by the exact `cloud.sealos.io/app-deploy-manager` value (the selector the
 * Launchpad itself uses). Names are never matched by prefix or substring.
 */
export async function discoverApps(live: LiveReader, namespace: string): Promise<DiscoveredApp[]> {
  const byApp = new Map<string, LiveWorkload[]>();
  for (const w of await live.listAppsByLabel(namespace)) {
    const app = w.labels[LABEL_DEPLOY_MANAGER];
    if (!app || w.namespace !== namespace) continue;
    byApp.set(app, [...(byApp.get(app) ?? []), w]);
  }
  return [...byApp.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([app_name, ws]) => ({
      app_name,
      workloads: ws.map(({ kind, name, image, containerName, readyReplicas, replicas, host }) => ({ kind, name, image, containerName, readyReplicas, replicas, host })),
      launchpad_shaped: ws.some((w) => w.name === app_name && w.labels[LABEL_APP] === app_name),
    }));
}

/** The discovered app with exactly this name, or null. `web` never returns `web2-x`. */
export function findApp(apps: readonly DiscoveredApp[], appName: string): DiscoveredApp | null {
  return apps.find((a) => a.app_name === appName) ?? null;
}
