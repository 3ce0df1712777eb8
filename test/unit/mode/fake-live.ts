import type { LiveReader, LiveWorkload } from '../../../src/core/mode/live.js';

export function workload(name: string, over: Partial<LiveWorkload> = {}): LiveWorkload {
  return {
    kind: 'Deployment',
    name,
    namespace: 'ns-abc12345',
    labels: { app: name, 'cloud.sealos.io/app-deploy-manager': name },
    image: 'ghcr.io/acme/web:v1',
    containerName: name,
    readyReplicas: 1,
    replicas: 1,
    host: `${name}-host.usw-1.sealos.app`,
    ...over,
  };
}

/**
 * An in-memory cluster keyed by namespace/name, exact like the API server. `sloppyPrefix` makes
 * getWorkload behave like the plugin's `grep "^name"` so tests can prove the core does not trust it.
 */
export function fakeLive(workloads: LiveWorkload[], appUrls: Record<string, string> = {}, opts: { sloppyPrefix?: boolean } = {}): LiveReader & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getWorkload(ns, name) {
      calls.push(`getWorkload ${ns}/${name}`);
      const exact = workloads.find((w) => w.namespace === ns && w.name === name);
      if (exact || !opts.sloppyPrefix) return exact ?? null;
      return workloads.find((w) => w.namespace === ns && w.name.startsWith(name)) ?? null;
    },
    async listAppsByLabel(ns) {
      calls.push(`listAppsByLabel ${ns}`);
      return workloads.filter((w) => w.namespace === ns && 'cloud.sealos.io/app-deploy-manager' in w.labels);
    },
    async getAppUrl(ns, name) {
      calls.push(`getAppUrl ${ns}/${name}`);
      return appUrls[`${ns}/${name}`] ?? null;
    },
  };
}
