import { LABEL_DEPLOY_MANAGER } from '../core/mode/live.js';
import type { Redactor } from '../core/redact.js';
import { DEPLOY_ON_SEALOS_LABEL } from '../core/template/labels.js';
import type { EventView, PodView } from './diagnose.js';
import type { KubeObject, Resources } from './resources.js';

export const MAX_EVENTS = 10;
export const MAX_LOG_LINES = 30;

export interface PodStatusView {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** `running`, `waiting: CrashLoopBackOff`, `terminated: Error`… */
  state: string;
  last_termination_reason: string | null;
  image: string | null;
}

export interface AppStatusView {
  app_name: string;
  namespace: string;
  workload: { kind: 'Deployment' | 'StatefulSet'; name: string; image: string | null; replicas: number; ready: number; available: number; updated: number; status: 'running' | 'creating' | 'waiting' | 'error' | 'pause'; condition: string | null } | null;
  pods: PodStatusView[];
  restarts: number;
  services: Array<{ name: string; ports: string[] }>;
  ingress_hosts: string[];
  /** The live App CR URL, else https://<first Ingress host>; never rebuilt from names. */
  url: string | null;
  database: { name: string; phase: string | null } | null;
  backups: Array<{ name: string; phase: string | null; created_at: string | null }>;
  warning_events: string[];
  log_tail: { pod: string; lines: string[] } | null;
}

type Workload = KubeObject & {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
  status?: { readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
};

/** Launchpad's `calculateAppStatus` (reference §6.2): first match wins. */
function workloadStatus(w: Workload): NonNullable<AppStatusView['workload']>['status'] {
  if (w.metadata.annotations?.['deploy.cloud.sealos.io/pause']) return 'pause';
  if (w.status?.conditions?.some((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded')) return 'error';
  const desired = w.spec?.replicas ?? 1;
  if (desired === 0) return 'waiting';
  const s = w.status ?? {};
  if ((s.availableReplicas ?? 0) >= desired && (s.readyReplicas ?? 0) >= desired) return 'running';
  if ((s.availableReplicas ?? 0) + (s.readyReplicas ?? 0) + (s.updatedReplicas ?? 0) > 0) return 'creating';
  return 'waiting';
}

function podView(p: PodView): PodStatusView {
  const cs = p.status?.containerStatuses?.[0];
  const st = cs?.state ?? {};
  const state = st.running ? 'running' : st.waiting ? `waiting: ${st.waiting.reason ?? ''}`.trim() : st.terminated ? `terminated: ${st.terminated.reason ?? ''}`.trim() : 'waiting';
  return {
    name: p.metadata.name,
    phase: p.status?.phase ?? 'Unknown',
    ready: (p.status?.containerStatuses ?? []).length > 0 && (p.status?.containerStatuses ?? []).every((c) => c.ready),
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    state: state.replace(/:\s*$/, ''),
    last_termination_reason: cs?.lastState?.terminated?.reason ?? null,
    image: cs?.image ?? p.spec?.containers?.[0]?.image ?? null,
  };
}

/**
 * One app's live footprint, found by exact names and labels only (the workload named `appName`,
 * pods `app=<appName>`, Services/Ingresses/App by `cloud.sealos.io/app-deploy-manager=<appName>`,
 * KubeBlocks Clusters by `cloud.sealos.io/deploy-on-sealos=<appName>`). Log lines pass the redactor.
 */
export async function readAppStatus(res: Resources, appName: string, opts: { redactor?: Redactor; logLines?: number; events?: number } = {}): Promise<AppStatusView> {
  const sel = `${LABEL_DEPLOY_MANAGER}=${appName}`;
  let workload: Workload | null = null;
  let kind: 'Deployment' | 'StatefulSet' = 'Deployment';
  for (const k of ['Deployment', 'StatefulSet'] as const) {
    workload = await res.get<Workload>('apps/v1', k, appName);
    if (workload) {
      kind = k;
      break;
    }
  }
  const [pods, services, ingresses, events] = await Promise.all([
    res.list<PodView>('v1', 'Pod', { labelSelector: `app=${appName}` }),
    res.list<KubeObject & { spec?: { ports?: Array<{ port?: number; targetPort?: unknown; name?: string }> } }>('v1', 'Service', { labelSelector: sel }),
    res.list<KubeObject & { spec?: { rules?: Array<{ host?: string }> } }>('networking.k8s.io/v1', 'Ingress', { labelSelector: sel }),
    res.list<EventView>('v1', 'Event'),
  ]);
  const hosts = [...new Set(ingresses.flatMap((i) => i.spec?.rules ?? []).map((r) => r.host).filter((h): h is string => Boolean(h)))];

  let url: string | null = null;
  if ((await res.served('app.sealos.io/v1'))?.some((r) => r.kind === 'App')) {
    const app = await res.get<KubeObject & { spec?: { data?: { url?: string } } }>('app.sealos.io/v1', 'App', appName);
    url = app?.spec?.data?.url ?? null;
  }
  url ??= hosts[0] ? `https://${hosts[0]}` : null;

  let database: AppStatusView['database'] = null;
  let backups: AppStatusView['backups'] = [];
  const kb = await res.served('apps.kubeblocks.io/v1alpha1');
  if (kb?.some((r) => r.kind === 'Cluster')) {
    const clusters = await res.list<KubeObject & { status?: { phase?: string } }>('apps.kubeblocks.io/v1alpha1', 'Cluster', { labelSelector: `${DEPLOY_ON_SEALOS_LABEL}=${appName}` });
    const c = clusters[0];
    if (c) database = { name: c.metadata.name, phase: c.status?.phase ?? null };
  }
  if ((await res.served('dataprotection.kubeblocks.io/v1alpha1'))?.some((r) => r.kind === 'Backup')) {
    const list = await res.list<KubeObject & { status?: { phase?: string } }>('dataprotection.kubeblocks.io/v1alpha1', 'Backup', { labelSelector: sel });
    backups = list
      .map((b) => ({ name: b.metadata.name, phase: b.status?.phase ?? null, created_at: b.metadata.creationTimestamp ?? null }))
      .sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
  }

  // Exact names only: the workload, its ReplicaSets (they carry the pod label app=<name>), its pods, its database.
  const replicaSets = kind === 'Deployment' && workload ? await res.list('apps/v1', 'ReplicaSet', { labelSelector: `app=${appName}` }) : [];
  const mine = new Set<string>([appName, ...replicaSets.map((r) => r.metadata.name), ...pods.map((p) => p.metadata.name), ...(database ? [database.name] : [])]);
  const isMine = (name: string | undefined) => !!name && mine.has(name);
  const redact = (s: string) => (opts.redactor ? opts.redactor.redact(s) : s);
  const warning_events = events
    .filter((e) => e.type === 'Warning' && isMine(e.involvedObject?.name))
    .sort((a, b) => (a.lastTimestamp ?? a.eventTime ?? '').localeCompare(b.lastTimestamp ?? b.eventTime ?? ''))
    .slice(-(opts.events ?? MAX_EVENTS))
    .map((e) => redact(`${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`));

  const views = pods.map(podView);
  const logPod = views.find((p) => !p.ready) ?? views[0];
  let log_tail: AppStatusView['log_tail'] = null;
  if (logPod) {
    const container = pods.find((p) => p.metadata.name === logPod.name)?.spec?.containers?.find((c) => c.name === appName)?.name;
    const text = await res.podLogs(logPod.name, { ...(container ? { container } : {}), tailLines: opts.logLines ?? MAX_LOG_LINES }).catch(() => '');
    const lines = text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-(opts.logLines ?? MAX_LOG_LINES)).map(redact);
    log_tail = { pod: logPod.name, lines };
  }

  const main = workload?.spec?.template?.spec?.containers?.find((c) => c.name === appName) ?? workload?.spec?.template?.spec?.containers?.[0];
  const cond = workload?.status?.conditions?.find((c) => c.status === 'False' && c.type !== 'Available') ?? null;
  return {
    app_name: appName,
    namespace: res.namespace,
    workload: workload
      ? {
          kind,
          name: workload.metadata.name,
          image: main?.image ?? null,
          replicas: workload.spec?.replicas ?? 1,
          ready: workload.status?.readyReplicas ?? 0,
          available: workload.status?.availableReplicas ?? 0,
          updated: workload.status?.updatedReplicas ?? 0,
          status: workloadStatus(workload),
          condition: cond ? `${cond.type}=False ${cond.reason ?? ''}${cond.message ? `: ${cond.message}` : ''}`.trim() : null,
        }
      : null,
    pods: views,
    restarts: views.reduce((n, p) => n + p.restarts, 0),
    services: services.map((s) => ({ name: s.metadata.name, ports: (s.spec?.ports ?? []).map((p) => `${p.name ?? ''}${p.name ? ' ' : ''}${p.port ?? '?'}→${String(p.targetPort ?? p.port ?? '?')}`) })),
    ingress_hosts: hosts,
    url,
    database,
    backups,
    warning_events,
    log_tail,
  };
}
