import { DeployError, isDeployError } from '../errors.js';
import { CR_SCHEMAS } from './cr-schemas.js';
import { assertDeployableImageRef } from './image-ref.js';
import { loadModel } from './k8s-models.js';
import { APP_DEPLOY_MANAGER, MAX_REPLICAS, MIN_REPLICAS, ORIGIN_IMAGE } from './labels.js';

/**
 * Checks instantiated objects before anything reaches a cluster: built-in kinds against the
 * Kubernetes OpenAPI schemas (kubernetes-models), Sealos/KubeBlocks/cert-manager CRs against strict
 * zod schemas, then the Sealos rules App Launchpad depends on. Messages name fields, never values.
 */

export interface ResourceProblem {
  index: number;
  kind: string;
  name: string;
  /** Dotted field path, e.g. spec.template.spec.containers[0].image. */
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);
const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet']);
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function rec(v: unknown): Obj | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function s(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function ajvPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^[0-9]+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function zodPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

async function schemaProblems(obj: Obj, add: (path: string, message: string) => void): Promise<void> {
  const key = `${s(obj.apiVersion)}/${s(obj.kind)}`;
  const schema = CR_SCHEMAS[key];
  if (schema) {
    const r = schema.safeParse(obj);
    if (!r.success) for (const issue of r.error.issues) add(zodPath(issue.path) || '(document)', issue.message);
    return;
  }
  const model = loadModel(key);
  if (!model) {
    add('apiVersion', `${key} is not a kind this tool can validate or deploy`);
    return;
  }
  const Model = await model;
  try {
    new Model(obj).validate();
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath?: string; message?: string }> }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      for (const e of errors) add(ajvPath(e.instancePath ?? '') || '(document)', e.message ?? 'is invalid');
    } else add('(document)', 'does not match the Kubernetes schema');
  }
}

function stringsWithExpressions(v: unknown, path: string, out: string[]): void {
  if (typeof v === 'string') {
    if (v.includes('${{')) out.push(path);
  } else if (Array.isArray(v)) v.forEach((x, i) => stringsWithExpressions(x, `${path}[${i}]`, out));
  else if (rec(v)) for (const [k, x] of Object.entries(v as Obj)) stringsWithExpressions(x, path ? `${path}.${k}` : k, out);
}

interface Container {
  c: Obj;
  path: string;
}

function podContainers(obj: Obj): { podPath: string; pod: Obj | undefined; list: Container[] } {
  const podPath = obj.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
  const pod = podPath.split('.').reduce<Obj | undefined>((o, k) => rec(o?.[k]), obj);
  const list: Container[] = [];
  for (const field of ['initContainers', 'containers']) {
    arr(pod?.[field]).forEach((c, i) => {
      const r = rec(c);
      if (r) list.push({ c: r, path: `${podPath}.${field}[${i}]` });
    });
  }
  return { podPath, pod, list };
}

function containerRules({ c, path }: Container, add: (path: string, message: string) => void): void {
  const image = s(c.image);
  if (!image) add(`${path}.image`, 'is missing');
  else {
    try {
      assertDeployableImageRef(image);
    } catch (err) {
      add(`${path}.image`, isDeployError(err) && err.code === 'IMAGE_TAG_LATEST' ? 'uses "latest" or no tag; pin a unique tag or a digest' : 'is not a valid image reference');
    }
  }
  const res = rec(c.resources);
  for (const kind of ['requests', 'limits'] as const) {
    for (const r of ['cpu', 'memory'] as const) {
      if (rec(res?.[kind])?.[r] === undefined) add(`${path}.resources.${kind}.${r}`, 'must be set (the namespace default is only 50m/64Mi)');
    }
  }
  const declared = new Set<string>();
  arr(c.env).forEach((e, i) => {
    const entry = rec(e);
    const value = s(entry?.value);
    if (value) {
      for (const m of value.matchAll(/(\$+)\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
        if ((m[1] as string).length % 2 === 0) continue; // $$(X) is an escaped literal
        if (!declared.has(m[2] as string)) add(`${path}.env[${i}].value`, `references $(${m[2]}) before it is declared; declare it earlier in env`);
      }
    }
    const name = s(entry?.name);
    if (name) declared.add(name);
  });
}

function portNumber(port: unknown, container: Obj | undefined): number | undefined {
  if (typeof port === 'number') return port;
  const byName = arr(container?.ports).map(rec).find((p) => p?.name === port);
  return typeof byName?.containerPort === 'number' ? byName.containerPort : undefined;
}

export async function findResourceProblems(objects: readonly object[]): Promise<ResourceProblem[]> {
  const problems: ResourceProblem[] = [];
  const all = objects.map((o) => o as Obj);
  const seen = new Map<string, number>();
  const services = all.filter((o) => o.kind === 'Service');
  const workloads = new Map<string, Obj>();
  for (const o of all) if (WORKLOADS.has(s(o.kind) ?? '')) workloads.set(s(rec(o.metadata)?.name) ?? '', o);

  for (const [index, obj] of all.entries()) {
    const kind = s(obj.kind) ?? '(no kind)';
    const meta = rec(obj.metadata);
    const name = s(meta?.name) ?? '(no name)';
    const add = (path: string, message: string) => problems.push({ index, kind, name, path, message });

    await schemaProblems(obj, add);
    const leftover: string[] = [];
    if (kind !== 'Template') stringsWithExpressions(obj, '', leftover);
    for (const p of leftover) add(p, 'still contains a ${{ }} expression; instantiate the template first');

    const key = `${kind}/${name}`;
    if (seen.has(key)) add('metadata.name', `duplicates document #${seen.get(key)}`);
    else seen.set(key, index);
    for (const [k, v] of Object.entries(rec(meta?.labels) ?? {})) {
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) add(`metadata.labels.${k}`, 'is not a valid label value (at most 63 letters, digits, "-", "_" or ".")');
    }
    if (kind === 'Template' || kind === 'Instance') continue;

    const labels = rec(meta?.labels) ?? {};
    const owner = s(labels[APP_DEPLOY_MANAGER]);
    if (['Service', 'Ingress', 'App', 'Issuer', 'Certificate'].includes(kind) || WORKLOADS.has(kind)) {
      if (!owner) add(`metadata.labels.${APP_DEPLOY_MANAGER}`, 'is missing; App Launchpad finds resources by this label');
    }
    if (WORKLOADS.has(kind) || kind === 'Service') {
      if (!DNS_LABEL.test(name) || name.length > 63) add('metadata.name', 'must be a DNS-1035 label (lowercase, starts with a letter, at most 63 characters)');
    }

    if (POD_OWNERS.has(kind) || kind === 'CronJob') {
      const { podPath, pod, list } = podContainers(obj);
      for (const container of list) containerRules(container, add);
      arr(pod?.volumes).forEach((v, i) => {
        if (rec(v)?.emptyDir !== undefined) add(`${podPath}.volumes[${i}].emptyDir`, 'is not supported on Sealos; use a volume claim');
      });
    }

    if (WORKLOADS.has(kind)) {
      const spec = rec(obj.spec);
      const main = rec(arr(rec(rec(spec?.template)?.spec)?.containers)[0]);
      if (labels.app !== name) add('metadata.labels.app', 'must equal metadata.name');
      if (owner !== undefined && owner !== name) add(`metadata.labels.${APP_DEPLOY_MANAGER}`, 'must equal metadata.name');
      if (main && main.name !== name) add('spec.template.spec.containers[0].name', 'must equal metadata.name (App Launchpad edits the container named after the app)');
      if (rec(rec(spec?.selector)?.matchLabels)?.app !== name) add('spec.selector.matchLabels.app', 'must equal metadata.name');
      if (rec(rec(rec(spec?.template)?.metadata)?.labels)?.app !== name) add('spec.template.metadata.labels.app', 'must equal metadata.name');
      const ann = rec(meta?.annotations) ?? {};
      if (main && ann[ORIGIN_IMAGE] !== main.image) add(`metadata.annotations.${ORIGIN_IMAGE}`, 'must equal the main container image');
      for (const a of [MIN_REPLICAS, MAX_REPLICAS]) {
        if (typeof ann[a] !== 'string' || !/^[0-9]+$/.test(ann[a] as string)) add(`metadata.annotations.${a}`, 'must be a whole number as a string');
      }
      if (kind === 'Deployment' && spec?.volumeClaimTemplates !== undefined) add('spec.volumeClaimTemplates', 'is not valid on a Deployment; use a StatefulSet');
      if (main) {
        const ports = arr(main.ports).map((p) => rec(p)?.containerPort).filter((p): p is number => typeof p === 'number');
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const pr = rec(main[probe]);
          const raw = rec(pr?.httpGet)?.port ?? rec(pr?.tcpSocket)?.port;
          if (raw === undefined) continue;
          const n = portNumber(raw, main);
          if (n === undefined || !ports.includes(n)) add(`spec.template.spec.containers[0].${probe}`, 'must probe the container port');
        }
      }
    }

    if (kind === 'Service') {
      const spec = rec(obj.spec);
      const target = s(rec(spec?.selector)?.app);
      const wl = target ? workloads.get(target) : undefined;
      if (!wl) add('spec.selector.app', 'must select a Deployment or StatefulSet of this template');
      const main = rec(arr(rec(rec(rec(wl?.spec)?.template)?.spec)?.containers)[0]);
      const containerPorts = arr(main?.ports).map((p) => rec(p)?.containerPort);
      arr(spec?.ports).forEach((p, i) => {
        const port = rec(p);
        const tp = portNumber(port?.targetPort ?? port?.port, main);
        if (tp !== port?.port) add(`spec.ports[${i}].targetPort`, 'must equal port (the same number end to end)');
        if (wl && !containerPorts.includes(tp)) add(`spec.ports[${i}].targetPort`, 'must be a containerPort of the selected workload');
      });
    }

    if (kind === 'Ingress') {
      const rules = arr(rec(obj.spec)?.rules);
      if (rules.length === 0) add('spec.rules', 'must have a rule with a host');
      rules.forEach((r, ri) => {
        const paths = arr(rec(rec(r)?.http)?.paths);
        const first = rec(paths[0]);
        if (ri === 0 && (first?.path !== '/' || first?.pathType !== 'Prefix')) add(`spec.rules[${ri}].http.paths[0]`, 'must be path "/" with pathType Prefix (App Launchpad shows no address otherwise)');
        paths.forEach((p, pi) => {
          const svc = rec(rec(rec(p)?.backend)?.service);
          const at = `spec.rules[${ri}].http.paths[${pi}].backend.service`;
          const num = rec(svc?.port)?.number;
          if (typeof num !== 'number') {
            add(`${at}.port.number`, 'must be a numeric port');
            return;
          }
          const target = services.find((x) => rec(x.metadata)?.name === svc?.name);
          if (!target) add(`${at}.name`, 'must name a Service of this template');
          else {
            if (!arr(rec(target.spec)?.ports).some((sp) => rec(sp)?.port === num)) add(`${at}.port.number`, 'must match a port of the Service');
            const svcOwner = s(rec(rec(target.metadata)?.labels)?.[APP_DEPLOY_MANAGER]);
            if (owner && svcOwner && owner !== svcOwner) add(`metadata.labels.${APP_DEPLOY_MANAGER}`, 'must equal the backend Service label');
          }
        });
      });
    }
  }
  return problems;
}

export function formatProblem(p: ResourceProblem): string {
  return `#${p.index} ${p.kind} ${p.name}: ${p.path}: ${p.message}`;
}

/** Throws TEMPLATE_INVALID listing every problem; resolves when the objects are fit to apply. */
export async function validateResources(objects: readonly object[]): Promise<void> {
  const problems = await findResourceProblems(objects);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 30).map(formatProblem);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  throw new DeployError(
    'TEMPLATE_INVALID',
    `The template's resources have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${shown.map((l) => `  - ${l}`).join('\n')}`,
    'Re-render with sealos-deploy render, or fix the listed fields in .sealos/template/index.yaml.',
    { problems },
  );
}
