/**
 * What the cluster Truth Pass needs from Kubernetes: reads only. `src/cluster/resources.ts` `Resources`
 * satisfies this structurally; unit tests pass fakes. The core never imports the cluster adapter.
 */

export interface LiveMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  creationTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
  [key: string]: unknown;
}

export interface LiveObject {
  apiVersion: string;
  kind: string;
  metadata: LiveMeta;
  [key: string]: unknown;
}

export interface ClusterReader {
  readonly namespace: string;
  get(apiVersion: string, kind: string, name: string): Promise<LiveObject | null>;
  list(apiVersion: string, kind: string, opts?: { labelSelector?: string; fieldSelector?: string; limit?: number }): Promise<LiveObject[]>;
  podLogs(pod: string, opts?: { container?: string; tailLines?: number; previous?: boolean; sinceSeconds?: number; limitBytes?: number }): Promise<string>;
  /** Resources served for an apiVersion, or null when the cluster does not serve it (no metrics API). */
  served(apiVersion: string): Promise<Array<{ name: string; kind: string; namespaced: boolean }> | null>;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string };
}

export interface ContainerStatusView {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  imageID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface ContainerSpecView {
  name: string;
  image?: string;
  ports?: Array<{ containerPort?: number; name?: string }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }>;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface PodView extends LiveObject {
  spec?: { containers?: ContainerSpecView[]; initContainers?: ContainerSpecView[]; nodeName?: string };
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatusView[];
    initContainerStatuses?: ContainerStatusView[];
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export interface WorkloadView extends LiveObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: ContainerSpecView[]; initContainers?: ContainerSpecView[]; imagePullSecrets?: Array<{ name?: string }> } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

export interface EventView extends LiveObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  involvedObject?: { kind?: string; name?: string; uid?: string };
}

/** The App Launchpad check (src/sealos/launchpad.ts `checkLaunchpad`), bound to a region and kubeconfig by the caller. */
export interface LaunchpadProbe {
  region: string;
  check(input: { appName: string; appUrl: string | null; expectedPort: number | null }): Promise<{ status: 'pass' | 'fail' | 'skip'; summary: string; evidence: unknown }>;
}
