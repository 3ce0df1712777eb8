import YAML from 'yaml';
import { isDeployError } from '../errors.js';
import { instantiate } from '../template/instantiate.js';
import { DB_PROVIDER_CR, MAX_REPLICAS, MIGRATION_ANNOTATION, MIN_REPLICAS, ORIGIN_IMAGE, type K8sObject } from '../template/labels.js';
import { findResourceProblems, formatProblem } from '../template/validate.js';
import type { Loaded } from './inputs.js';

/**
 * What the scorecard needs to know about `.sealos/template/index.yaml`. The template is instantiated
 * with stand-in values (like `render` does before writing) so resources are judged as the cluster
 * would see them. Input values are never read into these facts: only names.
 */

export interface Probe {
  type: 'http' | 'tcp' | 'exec';
  path: string | null;
  port: number | string | null;
}

export interface WorkloadFacts {
  kind: string;
  replicas: number | null;
  minReplicas: string | null;
  maxReplicas: string | null;
  image: string | null;
  ports: number[];
  probes: { startup: Probe | null; readiness: Probe | null; liveness: Probe | null };
  /** cpu/memory per requests/limits, null when unset. */
  resources: { requests: { cpu: string | null; memory: string | null }; limits: { cpu: string | null; memory: string | null } };
  envNames: string[];
  /** Literal value of PORT in the main container's env, when set. */
  portEnv: string | null;
  hasEnvFrom: boolean;
  initContainers: Array<{ name: string; command: string | null }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  claimNames: string[];
  imagePullSecrets: number;
  migrationAnnotation: string | null;
}

export interface TemplateFacts {
  /** Names of the template's inputs; values are given at deploy time and never read here. */
  inputs: string[];
  /** Input defaults that are not empty: treated as secrets to redact, never shown. */
  inputDefaults: string[];
  /** Image in the workload's `originImageName`, straight from the file. */
  image: string | null;
  workload: WorkloadFacts | null;
  services: Array<{ name: string; ports: Array<{ port: number | null; targetPort: number | string | null }> }>;
  ingresses: Array<{ hosts: string[]; tls: boolean; sslRedirect: boolean }>;
  postgresCluster: boolean;
  pvcs: number;
  certificates: number;
  /** Resource validation problems, formatted (`#i Kind name: path: message`). */
  problems: string[];
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function probe(v: unknown): Probe | null {
  const p = rec(v);
  if (!p) return null;
  const http = rec(p.httpGet);
  if (http) return { type: 'http', path: str(http.path), port: (http.port as number | string | undefined) ?? null };
  const tcp = rec(p.tcpSocket);
  if (tcp) return { type: 'tcp', path: null, port: (tcp.port as number | string | undefined) ?? null };
  return { type: 'exec', path: null, port: null };
}

function commandOf(c: Obj): string | null {
  const parts = [...arr(c.command), ...arr(c.args)].filter((x): x is string => typeof x === 'string');
  return parts.length ? parts.join(' ') : null;
}

function workloadFacts(o: K8sObject): WorkloadFacts {
  const spec = rec(o.spec) ?? {};
  const pod = rec(rec(spec.template)?.spec) ?? {};
  const main = rec(arr(pod.containers)[0]) ?? {};
  const res = rec(main.resources) ?? {};
  const q = (kind: string, r: string) => str(rec(res[kind])?.[r]);
  const env = arr(main.env).map(rec);
  const ann = o.metadata.annotations ?? {};
  return {
    kind: o.kind,
    replicas: typeof spec.replicas === 'number' ? spec.replicas : null,
    minReplicas: ann[MIN_REPLICAS] ?? null,
    maxReplicas: ann[MAX_REPLICAS] ?? null,
    image: str(main.image),
    ports: arr(main.ports).map((p) => rec(p)?.containerPort).filter((p): p is number => typeof p === 'number'),
    probes: { startup: probe(main.startupProbe), readiness: probe(main.readinessProbe), liveness: probe(main.livenessProbe) },
    resources: { requests: { cpu: q('requests', 'cpu'), memory: q('requests', 'memory') }, limits: { cpu: q('limits', 'cpu'), memory: q('limits', 'memory') } },
    envNames: env.map((e) => str(e?.name)).filter((n): n is string => n !== null),
    portEnv: str(env.find((e) => e?.name === 'PORT')?.value),
    hasEnvFrom: arr(main.envFrom).length > 0,
    initContainers: arr(pod.initContainers)
      .map(rec)
      .filter((c): c is Obj => c !== undefined)
      .map((c) => ({ name: str(c.name) ?? '', command: commandOf(c) })),
    volumeMounts: arr(main.volumeMounts)
      .map(rec)
      .map((m) => ({ name: str(m?.name) ?? '', mountPath: str(m?.mountPath) ?? '' })),
    claimNames: arr(spec.volumeClaimTemplates).map((v) => str(rec(rec(v)?.metadata)?.name) ?? ''),
    imagePullSecrets: arr(pod.imagePullSecrets).length,
    migrationAnnotation: ann[MIGRATION_ANNOTATION] ?? null,
  };
}

function templateHead(text: string): { inputs: string[]; defaults: string[] } {
  const first = YAML.parseAllDocuments(text)[0];
  const doc = first && !Array.isArray(first) ? (first.toJS() as unknown) : undefined;
  const inputs = rec(rec(rec(doc)?.spec)?.inputs) ?? {};
  const defaults = Object.values(inputs)
    .map((i) => str(rec(i)?.default))
    .filter((d): d is string => d !== null && d.trim() !== '');
  return { inputs: Object.keys(inputs).sort(), defaults };
}

/** Reads template text into facts; a template that cannot be parsed or instantiated is `invalid`. */
export async function readTemplateFacts(text: string): Promise<Loaded<TemplateFacts>> {
  let head: { inputs: string[]; defaults: string[] };
  let objects: K8sObject[];
  let appName: string;
  try {
    head = templateHead(text);
    const inst = instantiate(text, {
      namespace: 'ns-scorecard',
      cloudDomain: 'scorecard-check.sealos.app',
      certSecretName: 'wildcard-cert',
      inputs: Object.fromEntries(head.inputs.map((n) => [n, 'placeholder'])),
      random: (n) => 'a'.repeat(n),
    });
    objects = inst.objects;
    appName = inst.appName;
  } catch (err) {
    return { state: 'invalid', reason: isDeployError(err) ? err.message : `not a valid template (${(err as Error).message.split('\n')[0]})` };
  }
  const problems = (await findResourceProblems(objects)).map(formatProblem);
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const main = workloads.find((o) => o.metadata.name === appName) ?? workloads[0];
  return {
    state: 'ok',
    value: {
      inputs: head.inputs,
      inputDefaults: head.defaults,
      image: main ? (main.metadata.annotations?.[ORIGIN_IMAGE] ?? null) : null,
      workload: main ? workloadFacts(main) : null,
      services: objects
        .filter((o) => o.kind === 'Service')
        .map((o) => ({
          name: o.metadata.name,
          ports: arr(rec(o.spec)?.ports).map((p) => ({
            port: typeof rec(p)?.port === 'number' ? (rec(p)?.port as number) : null,
            targetPort: (rec(p)?.targetPort as number | string | undefined) ?? null,
          })),
        })),
      ingresses: objects
        .filter((o) => o.kind === 'Ingress')
        .map((o) => ({
          hosts: arr(rec(o.spec)?.rules).map((r) => str(rec(r)?.host) ?? '').filter(Boolean),
          tls: arr(rec(o.spec)?.tls).length > 0,
          sslRedirect: o.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-redirect'] === 'true',
        })),
      postgresCluster: objects.some(
        (o) =>
          o.kind === 'Cluster' &&
          o.apiVersion.startsWith('apps.kubeblocks.io/') &&
          (rec(o.spec)?.clusterDefinitionRef === 'postgresql' || (o.metadata.labels?.[DB_PROVIDER_CR] !== undefined && /^postgresql/.test(o.metadata.labels?.['kb.io/database'] ?? ''))),
      ),
      pvcs: objects.filter((o) => o.kind === 'PersistentVolumeClaim').length,
      certificates: objects.filter((o) => o.kind === 'Certificate').length,
      problems,
    },
  };
}
