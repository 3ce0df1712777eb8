/**
 * What the cluster Truth Pass needs from Kubernetes: reads only. `src/cluster/resources.ts` `Resources`
 * satisfies this structurally; unit tests pass fakes. The core never imports the cluster adapter.
 */

import type { ClusterReader, ContainerSpecView, ContainerState, ContainerStatusView, EventView, KubeMeta, KubeObject, PodView, WorkloadView } from '../../kube-types.js';

export type { ClusterReader, ContainerSpecView, ContainerState, ContainerStatusView, EventView, PodView, WorkloadView };
/** Historical names in the Truth Pass: the same shapes as the rest of the core. */
export type LiveMeta = KubeMeta;
export type LiveObject = KubeObject;

/** The App Launchpad check (src/sealos/launchpad.ts `checkLaunchpad`), bound to a region and kubeconfig by the caller. */
export interface LaunchpadProbe {
  region: string;
  check(input: { appName: string; appUrl: string | null; expectedPort: number | null }): Promise<{ status: 'pass' | 'fail' | 'skip'; summary: string; evidence: unknown }>;
}
