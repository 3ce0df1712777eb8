/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which kubectl get
 * asks for: the same columns the API server prints for the kinds deploy flows look at.
 */
import type { KObject } from './store.js';
import type { Json } from './store.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: KObject, now: number) => unknown;
}

export function age(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0, cell: (o, now) => age(o.metadata.creationTimestamp, now) };
const containers = (spec: Json) => (spec?.containers ?? []).map((c: Json) => c.name).join(',');
const images = (spec: Json) => (spec?.containers ?? []).map((c: Json) => c.image).join(',');
const selector = (s: Json) => Object.entries<string>(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

function podStatus(p: KObject): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  for (const cs of p.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'ContainerCreating') return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason) return cs.state.terminated.reason;
  }
  for (const cs of p.status?.containerStatuses ?? []) if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
  return p.status?.phase ?? 'Pending';
}

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    NAME,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0, cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', priority: 0, cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', priority: 0, cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    { name: 'Containers', type: 'string', description: 'Names of each container in the template.', priority: 1, cell: (o) => containers(o.spec?.template?.spec) },
    { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', priority: 1, cell: (o) => images(o.spec?.template?.spec) },
    { name: 'Selector', type: 'string', description: 'Label selector for pods.', priority: 1, cell: (o) => selector(o.spec?.selector) },
  ],
  ReplicaSet: [
    NAME,
    { name: 'Desired', type: 'integer', description: 'Number of desired pods.', priority: 0, cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Number of actual replicas.', priority: 0, cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replica set.', priority: 0, cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
  ],
  StatefulSet: [
    NAME,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0, cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    AGE,
  ],
  Pod: [
    NAME,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', priority: 0, cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: Json) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', priority: 0, cell: podStatus },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted.', priority: 0, cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, c: Json) => n + (c.restartCount ?? 0), 0)) },
    AGE,
    { name: 'IP', type: 'string', description: 'The IP address assigned to the pod.', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', description: 'The node the pod is assigned to.', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  Service: [
    NAME,
    { name: 'Type', type: 'string', description: 'The type of the service.', priority: 0, cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', description: 'The cluster IP.', priority: 0, cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', description: 'External IPs.', priority: 0, cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', description: 'Ports.', priority: 0, cell: (o) => (o.spec?.ports ?? []).map((p: Json) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>' },
    AGE,
  ],
  Job: [
    NAME,
    { name: 'Status', type: 'string', description: 'Status of the job.', priority: 0, cell: (o) => ((o.status?.conditions ?? []).find((c: Json) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))?.type ?? 'Running') },
    { name: 'Completions', type: 'string', description: 'Completions.', priority: 0, cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    AGE,
  ],
  Event: [
    { name: 'Last Seen', type: 'string', description: 'Last seen.', priority: 0, cell: (o, now) => age(o.lastTimestamp, now) },
    { name: 'Type', type: 'string', description: 'Type.', priority: 0, cell: (o) => o.type },
    { name: 'Reason', type: 'string', description: 'Reason.', priority: 0, cell: (o) => o.reason },
    { name: 'Object', type: 'string', description: 'Object.', priority: 0, cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}` },
    { name: 'Message', type: 'string', description: 'Message.', priority: 0, cell: (o) => o.message },
  ],
  Cluster: [
    NAME,
    { name: 'Status', type: 'string', description: 'Cluster Status.', priority: 0, cell: (o) => o.status?.phase ?? '' },
    AGE,
  ],
};

export function toTable(kind: string, items: KObject[], listMeta: Json, includeObject: string | null, now: number): Json {
  const cols = COLUMNS[kind] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: cols.map(({ cell: _c, ...c }) => {
      void _c;
      return { format: '', ...c };
    }),
    rows: items.map((o) => {
      const row: Json = { cells: cols.map((c) => c.cell(o, now)) };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    }),
  };
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}
