import { createHash } from 'node:crypto';
import { planApply, type ApplyPlan } from '../cluster/plan.js';
import { checkQuota, plannedUsage, type QuotaCheck } from '../cluster/quota.js';
import { instanceObject } from '../cluster/instance.js';
import type { AppDomain } from '../cluster/app-domain.js';
import type { KubeObject, Resources } from '../cluster/resources.js';
import { DeployError } from '../core/errors.js';
import type { Redactor } from '../core/redact.js';
import { canonicalJson } from '../core/state/runtime-truth-schema.js';
import { instantiate } from '../core/template/instantiate.js';
import { validateResources } from '../core/template/validate.js';
import type { TemplateArtifact } from './deploy-artifacts.js';

export interface PreparedRelease {
  app_name: string;
  app_host: string;
  namespace: string;
  /** The Instance CR, applied first. */
  instance: KubeObject;
  /** Every other object, in template order, namespaced. */
  objects: KubeObject[];
  workload: { kind: 'Deployment' | 'StatefulSet'; name: string };
  /** KubeBlocks Cluster the app waits for, null without a database. */
  database: string | null;
  health_path: string | null;
  /** The URL the template declares (App CR / first Ingress); the live one is read after apply. */
  declared_url: string | null;
}

type PodSpecLike = { containers?: Array<{ name?: string; image?: string; readinessProbe?: { httpGet?: { path?: string } } }>; initContainers?: Array<{ image?: string }> };
const podSpec = (o: KubeObject) => (o.spec as { template?: { spec?: PodSpecLike } } | undefined)?.template?.spec;

/** Swap every container image `from` → `to` (rollback keeps the template, changes only the code). */
function swapImage(objects: KubeObject[], from: string, to: string): void {
  for (const o of objects) {
    const ps = podSpec(o);
    for (const c of [...(ps?.containers ?? []), ...(ps?.initContainers ?? [])]) if (c.image === from) c.image = to;
    const ann = o.metadata.annotations;
    if (ann?.originImageName === from) ann.originImageName = to;
  }
}

/**
 * Instantiate the rendered template for this namespace and identity. On UPDATE and rollback the
 * identity (app_name/app_host) is the running one, so the objects keep their names and URL.
 */
export async function prepareRelease(args: {
  template: TemplateArtifact;
  namespace: string;
  domain: Pick<AppDomain, 'app_domain' | 'cert_secret_name'>;
  inputs: Record<string, string>;
  identity?: { app_name: string; app_host: string } | null;
  image?: { from: string; to: string };
}): Promise<PreparedRelease> {
  const inst = instantiate(args.template.text, {
    namespace: args.namespace,
    cloudDomain: args.domain.app_domain,
    certSecretName: args.domain.cert_secret_name,
    inputs: args.inputs,
    ...(args.identity ? { defaults: { app_name: args.identity.app_name, app_host: args.identity.app_host } } : {}),
  });
  await validateResources(inst.objects);
  const objects = inst.objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: args.namespace } }) as KubeObject);
  if (args.image && args.image.from !== args.image.to) swapImage(objects, args.image.from, args.image.to);
  const work = objects.find((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.name === inst.appName) ?? objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  if (!work) throw new DeployError('TEMPLATE_INVALID', 'The template has no Deployment or StatefulSet.', 'Re-run sealos-deploy render.');
  const db = objects.find((o) => o.kind === 'Cluster' && o.apiVersion.startsWith('apps.kubeblocks.io/'));
  const main = podSpec(work)?.containers?.find((c) => c.name === work.metadata.name) ?? podSpec(work)?.containers?.[0];
  return {
    app_name: inst.appName,
    app_host: inst.appHost,
    namespace: args.namespace,
    instance: instanceObject(args.template.templateSpec, { appName: inst.appName, appHost: inst.appHost, namespace: args.namespace }),
    objects,
    workload: { kind: work.kind as 'Deployment' | 'StatefulSet', name: work.metadata.name },
    database: db?.metadata.name ?? null,
    health_path: main?.readinessProbe?.httpGet?.path ?? null,
    declared_url: inst.url,
  };
}

/** A Secret with its values replaced by their key names (the pull Secret holds a registry token). */
function scrubSecretData(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret') return o;
  const keys = (v: unknown) => Object.fromEntries(Object.keys((v ?? {}) as object).map((k) => [k, '[secret]']));
  return { ...o, ...(o.data ? { data: keys(o.data) } : {}), ...(o.stringData ? { stringData: keys(o.stringData) } : {}) };
}

export interface ReleasePlan {
  plan: ApplyPlan;
  quota: QuotaCheck[];
  quota_ok: boolean;
  /** sha256 over the objects to apply (secret values redacted) and the live spec generations/resourceVersions. */
  plan_id: string;
}

/**
 * The server-side dry-run diff, the quota headroom and a plan id. The id changes when the objects we
 * would apply change or when anything live changed since the plan was shown.
 */
export async function planRelease(res: Resources, prepared: PreparedRelease, extra: KubeObject[], redactor: Redactor): Promise<ReleasePlan> {
  const all = [prepared.instance, ...extra, ...prepared.objects];
  const plan = await planApply(res, all);
  const live = await Promise.all(all.map((o) => res.get(o.apiVersion, o.kind, o.metadata.name)));
  // The spec generation where there is one: status updates (pods becoming ready) must not invalidate a reviewed plan.
  const versions = all.map((o, i) => {
    const l = live[i];
    return `${o.kind}/${o.metadata.name}@${l ? (l.metadata.generation !== undefined ? `g${l.metadata.generation}` : `rv${l.metadata.resourceVersion ?? ''}`) : 'absent'}`;
  });
  const liveUsage = plannedUsage(live.filter((o): o is KubeObject => o !== null && ['Deployment', 'StatefulSet', 'Cluster'].includes(o.kind)));
  const quota = await checkQuota(res, prepared.objects, liveUsage);
  // Secret values never enter the id (it is printed); their names and everything else do.
  const canonical = canonicalJson({ objects: redactor.redactDeep(all.map(scrubSecretData)), live: versions });
  const plan_id = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  return { plan, quota, quota_ok: quota.every((q) => q.ok), plan_id };
}

/**
 * Input values the running release uses, for inputs not given again: every input is rendered as an
 * env var of the same name, so an UPDATE or rollback keeps the secrets it already runs with instead
 * of asking for them again. Values are registered with the redactor; only names are ever reported.
 */
export async function reuseLiveInputs(res: Resources, template: TemplateArtifact, workload: { kind?: 'Deployment' | 'StatefulSet'; name: string }, given: Record<string, string>, redactor: Redactor): Promise<{ inputs: Record<string, string>; reused: string[] }> {
  const names = Object.keys((template.templateSpec.inputs ?? {}) as object).filter((n) => given[n] === undefined || given[n] === '');
  if (!names.length) return { inputs: given, reused: [] };
  let live: KubeObject | null = null;
  for (const kind of workload.kind ? [workload.kind] : (['Deployment', 'StatefulSet'] as const)) {
    live = await res.get('apps/v1', kind, workload.name);
    if (live) break;
  }
  const containers = ((live?.spec as { template?: { spec?: { containers?: Array<{ name?: string; env?: Array<{ name: string; value?: string }> }> } } } | undefined)?.template?.spec?.containers ?? []);
  const main = containers.find((c) => c.name === workload.name) ?? containers[0];
  const inputs = { ...given };
  const reused: string[] = [];
  for (const n of names) {
    const v = main?.env?.find((e) => e.name === n)?.value;
    if (typeof v === 'string' && v !== '') {
      inputs[n] = v;
      redactor.add(v);
      reused.push(n);
    }
  }
  return { inputs, reused };
}
