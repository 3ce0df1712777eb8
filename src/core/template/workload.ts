import type { EnvEntry } from './env.js';
import { APP_DEPLOY_MANAGER, MAX_REPLICAS, MIGRATION_ANNOTATION, MIN_REPLICAS, ORIGIN_IMAGE, type K8sObject } from './labels.js';
import { mountPathVolumeName } from './names.js';
import type { Resources } from './quantities.js';
import { APP } from './types.js';

export interface ProbePlan {
  /** HTTP path for startup/readiness (and liveness unless `livenessTcp`); null = TCP on the port. */
  path: string | null;
  /** The health route waits on the database or the network: restarting the pod would not fix that. */
  livenessTcp: boolean;
  /** Seconds the startup probe allows before the first success. */
  startupBudgetSeconds: number;
}

export interface WorkloadPlan {
  image: string;
  port: number | null;
  replicas: number;
  resources: Resources;
  env: EnvEntry[];
  probes: ProbePlan | null;
  migrationCommand: string | null;
  pullSecret: boolean;
  storage: { mountPath: string; quantity: string; annotation: string } | null;
  /** Init containers that run before the migration (e.g. waiting for the database). */
  waitContainers: Array<Record<string, unknown>>;
}

const PROBE_PERIOD = 5;

function check(port: number, path: string | null): Record<string, unknown> {
  return path === null ? { tcpSocket: { port } } : { httpGet: { path, port } };
}

function probes(port: number, p: ProbePlan): Record<string, unknown> {
  return {
    startupProbe: {
      ...check(port, p.path),
      periodSeconds: PROBE_PERIOD,
      timeoutSeconds: 3,
      failureThreshold: Math.ceil(p.startupBudgetSeconds / PROBE_PERIOD),
    },
    readinessProbe: { ...check(port, p.path), periodSeconds: 10, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 3 },
    livenessProbe: { ...check(port, p.livenessTcp ? null : p.path), periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
  };
}

/** Runs a migration command with exec when it is plain words, else through sh (the command came from package.json). */
export function commandArgs(command: string): string[] {
  return /^[\w@%+=:,./-]+( [\w@%+=:,./-]+)*$/.test(command.trim()) ? command.trim().split(' ') : ['sh', '-c', command];
}

export function workload(plan: WorkloadPlan): K8sObject {
  const statefulSet = plan.storage !== null;
  const annotations: Record<string, string> = {
    [ORIGIN_IMAGE]: plan.image,
    [MIN_REPLICAS]: String(plan.replicas),
    [MAX_REPLICAS]: String(plan.replicas),
  };
  if (plan.storage) annotations['deploy.cloud.sealos.io/resize'] = plan.storage.quantity;
  if (plan.migrationCommand) annotations[MIGRATION_ANNOTATION] = plan.migrationCommand;

  const volumeName = plan.storage ? mountPathVolumeName(plan.storage.mountPath) : null;
  const container: Record<string, unknown> = {
    name: APP,
    image: plan.image,
    imagePullPolicy: 'IfNotPresent',
  };
  if (plan.port !== null) container.ports = [{ name: 'http', containerPort: plan.port, protocol: 'TCP' }];
  if (plan.env.length > 0) container.env = plan.env;
  container.resources = plan.resources;
  if (plan.port !== null && plan.probes) Object.assign(container, probes(plan.port, plan.probes));
  if (plan.storage && volumeName) container.volumeMounts = [{ name: volumeName, mountPath: plan.storage.mountPath }];
  container.securityContext = { allowPrivilegeEscalation: false };

  const podSpec: Record<string, unknown> = { automountServiceAccountToken: false };
  if (plan.pullSecret) podSpec.imagePullSecrets = [{ name: APP }];
  const initContainers: Array<Record<string, unknown>> = [...plan.waitContainers];
  if (plan.migrationCommand) {
    const migrate: Record<string, unknown> = {
      name: 'migrate',
      image: plan.image,
      imagePullPolicy: 'IfNotPresent',
      command: commandArgs(plan.migrationCommand),
    };
    if (plan.env.length > 0) migrate.env = plan.env;
    migrate.resources = plan.resources;
    if (plan.storage && volumeName) migrate.volumeMounts = [{ name: volumeName, mountPath: plan.storage.mountPath }];
    migrate.securityContext = { allowPrivilegeEscalation: false };
    initContainers.push(migrate);
  }
  if (initContainers.length > 0) podSpec.initContainers = initContainers;
  podSpec.containers = [container];

  const spec: Record<string, unknown> = {
    replicas: plan.replicas,
    revisionHistoryLimit: 1,
    selector: { matchLabels: { app: APP } },
  };
  if (statefulSet) {
    spec.serviceName = APP;
    spec.updateStrategy = { type: 'RollingUpdate' };
    spec.minReadySeconds = 10;
  } else {
    spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
  }
  spec.template = { metadata: { labels: { app: APP } }, spec: podSpec };
  if (plan.storage && volumeName) {
    spec.volumeClaimTemplates = [
      {
        metadata: { name: volumeName, annotations: { path: plan.storage.mountPath, value: plan.storage.annotation } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: plan.storage.quantity } } },
      },
    ];
  }
  return {
    apiVersion: 'apps/v1',
    kind: statefulSet ? 'StatefulSet' : 'Deployment',
    metadata: { name: APP, annotations, labels: { [APP_DEPLOY_MANAGER]: APP, app: APP } },
    spec,
  };
}
