/**
 * Shapes of the Kubernetes objects the core reads, and the read-only port over a namespace.
 * Loose on purpose (every field optional, extra fields kept): the cluster answers raw JSON, and the
 * core must see every field of custom resources. `src/cluster/resources.ts` implements ClusterReader.
 */

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  creationTimestamp?: string;
  resourceVersion?: string;
  ownerReferences?: Array<{ apiVersion?: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta;
  [key: string]: unknown;
}

export interface ClusterReader {
  readonly namespace: string;
  get(apiVersion: string, kind: string, name: string): Promise<KubeObject | null>;
  list(apiVersion: string, kind: string, opts?: { labelSelector?: string; fieldSelector?: string; limit?: number }): Promise<KubeObject[]>;
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

export interface PodView extends KubeObject {
  spec?: { containers?: ContainerSpecView[]; initContainers?: ContainerSpecView[]; nodeName?: string };
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatusView[];
    initContainerStatuses?: ContainerStatusView[];
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export interface WorkloadView extends KubeObject {
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

export interface EventView extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; uid?: string };
}
