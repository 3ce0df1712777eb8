/**
 * The write path of the API server, independent of HTTP: create, update, patch (JSON, merge,
 * strategic, apply), delete with preconditions/finalizers/propagation, the status and scale
 * subresources, dryRun, defaulting, validation, admission, generation, resourceVersion
 * preconditions and managedFields.
 */
import { parse as parseYaml } from 'yaml';
import { recordUpdate, serverSideApply } from './apply.js';
import type { Catalogue, ResourceInfo } from './discovery.js';
import { groupVersion, RESOURCES } from './discovery.js';
import { applyDefaults, validate } from './defaults.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, deepEqual, isPlainObject } from './patch.js';
import { applyLimitRanges, qosClass, quotaViolation } from './quota.js';
import { selectorToString } from './selectors.js';
import type { Json, KObject, SimClock, Store } from './store.js';
import { alreadyExists, badRequest, conflict, KubeError, notFound, unsupportedMediaType } from './status-errors.js';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  force?: boolean;
  userAgent?: string;
}

const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Ingress', 'HorizontalPodAutoscaler', 'NetworkPolicy']);

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

function hasGeneration(info: ResourceInfo): boolean {
  return GENERATION_KINDS.has(info.kind) || info.crd === true;
}

/** Everything but metadata and status: what bumps metadata.generation when it changes. */
function specOf(o: KObject | undefined): Json {
  if (!o) return undefined;
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  void _m, void _s, void _a, void _k;
  return rest;
}

function defaultManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0]?.trim();
  return prefix ? prefix.slice(0, 128) : 'unknown';
}

export class Operations {
  private ipSeq = 10;

  constructor(
    private readonly store: Store,
    private readonly catalogue: Catalogue,
    private readonly clock: SimClock,
  ) {}

  private info(apiVersion: string, kind: string): ResourceInfo {
    return this.catalogue.byKind(apiVersion, kind)!;
  }

  get(info: ResourceInfo, ns: string | undefined, name: string): KObject {
    const o = this.store.get(info, ns, name);
    if (!o) throw notFound(info, name);
    return o;
  }

  private checkIdentity(info: ResourceInfo, ns: string | undefined, body: Json, name?: string): KObject {
    if (!isPlainObject(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const gv = groupVersion(info);
    if (body.kind !== undefined && body.kind !== info.kind) {
      throw badRequest(`the object provided is unrecognized (must be of type ${info.kind}): object *unstructured.Unstructured is not a ${info.kind}`);
    }
    if (body.apiVersion !== undefined && body.apiVersion !== gv) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${gv})`);
    }
    const obj = structuredClone(body) as KObject;
    obj.apiVersion = gv;
    obj.kind = info.kind;
    obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
    if (info.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
    }
    if (name !== undefined) {
      if (obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      obj.metadata.name = name;
    }
    return obj;
  }

  private checkNamespace(info: ResourceInfo, ns: string | undefined): void {
    if (!info.namespaced || !ns) return;
    const nsInfo = this.info('v1', 'Namespace');
    const namespace = this.store.get(nsInfo, undefined, ns);
    if (!namespace) throw notFound(nsInfo, ns);
    if (namespace.metadata.deletionTimestamp) {
      throw new KubeError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  /** Admission for new pods: LimitRange defaults, then ResourceQuota. Returns the quota message on rejection. */
  admitPod(pod: KObject): string | undefined {
    const ns: string = pod.metadata.namespace;
    applyLimitRanges(pod, this.store.list(this.info('v1', 'LimitRange'), ns));
    const quotas = this.store.list(this.info('v1', 'ResourceQuota'), ns);
    if (quotas.length === 0) return undefined;
    return quotaViolation(pod, quotas, this.store.list(this.info('v1', 'Pod'), ns));
  }

  private prepareNew(info: ResourceInfo, obj: KObject): void {
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    // With a status subresource, create ignores the status a client sends (built-ins and CRDs alike).
    if (info.status) delete obj.status;
    if (info.kind === 'Pod') {
      const reason = this.admitPod(obj);
      if (reason) throw new KubeError(403, 'Forbidden', `pods "${obj.metadata.name}" is forbidden: ${reason}`, { name: obj.metadata.name, kind: 'pods' });
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
    }
    if (info.kind === 'Service' && isPlainObject(obj.spec) && obj.spec.type !== 'ExternalName' && obj.spec.clusterIP !== 'None') {
      obj.spec.clusterIP ??= `10.96.${Math.floor(this.ipSeq / 250)}.${(this.ipSeq++ % 250) + 1}`;
      obj.spec.clusterIPs ??= [obj.spec.clusterIP];
    }
    if (info.kind === 'Namespace') obj.status = { phase: 'Active' };
    if (info.kind === 'PersistentVolumeClaim') obj.status = { phase: 'Pending' };
  }

  create(info: ResourceInfo, ns: string | undefined, body: Json, opts: WriteOptions): KObject {
    const obj = this.checkIdentity(info, ns, body);
    this.checkNamespace(info, ns);
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    delete obj.metadata.managedFields;
    delete obj.metadata.creationTimestamp;
    delete obj.metadata.deletionTimestamp;
    this.prepareNew(info, obj);
    if (obj.metadata.name && this.store.get(info, ns, obj.metadata.name)) throw alreadyExists(info, obj.metadata.name);
    if (info.kind === 'Job') this.prepareJob(obj);
    applyDefaults(info, obj);
    validate(info, obj);
    if (hasGeneration(info)) obj.metadata.generation = 1;
    recordUpdate(undefined, obj, opts.fieldManager ?? defaultManager(opts.userAgent), groupVersion(info), this.clock.iso());
    if (opts.dryRun) {
      obj.metadata.uid = crypto.randomUUID();
      obj.metadata.creationTimestamp = this.clock.iso();
      return obj;
    }
    return this.store.create(info, obj);
  }

  /** Job selector and pod labels are generated from the Job's uid, as the Job registry does. */
  private prepareJob(obj: KObject): void {
    obj.metadata.uid = crypto.randomUUID();
    if (obj.spec?.manualSelector) return;
    const labels = {
      'batch.kubernetes.io/controller-uid': obj.metadata.uid,
      'batch.kubernetes.io/job-name': obj.metadata.name,
      'controller-uid': obj.metadata.uid,
      'job-name': obj.metadata.name,
    };
    obj.spec ??= {};
    obj.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': obj.metadata.uid } };
    obj.spec.template ??= {};
    obj.spec.template.metadata ??= {};
    obj.spec.template.metadata.labels = { ...(obj.spec.template.metadata.labels ?? {}), ...labels };
  }

  /** Shared tail of every update: preconditions, subresource rules, defaults, generation, ownership, persistence. */
  private commit(
    info: ResourceInfo,
    live: KObject,
    next: KObject,
    opts: WriteOptions & { subresource?: string; applied?: boolean },
  ): KObject {
    const name: string = live.metadata.name;
    const rv = next.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion) throw conflict(info, name);
    if (opts.subresource === 'status') {
      const status = next.status;
      next = structuredClone(live);
      if (status === undefined) delete next.status;
      else next.status = status;
    } else {
      if (info.status) {
        if (live.status === undefined) delete next.status;
        else next.status = structuredClone(live.status);
      }
      applyDefaults(info, next);
      validate(info, next, live);
    }
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
      if (live.metadata[k] === undefined) delete next.metadata[k];
      else next.metadata[k] = live.metadata[k];
    }
    next.metadata.resourceVersion = live.metadata.resourceVersion;
    if (hasGeneration(info) && !deepEqual(specOf(live), specOf(next))) next.metadata.generation = (live.metadata.generation ?? 0) + 1;
    if (!opts.applied) {
      next.metadata.managedFields = live.metadata.managedFields;
      if (next.metadata.managedFields === undefined) delete next.metadata.managedFields;
      recordUpdate(live, next, opts.fieldManager ?? defaultManager(opts.userAgent), groupVersion(info), this.clock.iso(), opts.subresource);
    }
    const sameIgnoringTimes = (a: KObject, b: KObject) => {
      const strip = (o: KObject) => {
        const c = structuredClone(o);
        for (const e of c.metadata.managedFields ?? []) delete e.time;
        return c;
      };
      return deepEqual(strip(a), strip(b));
    };
    // No-op writes do not bump resourceVersion, like the API server.
    if (sameIgnoringTimes(live, next)) return live;
    if (opts.dryRun) return next;
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.store.remove(info, next.metadata.namespace, name);
      return next;
    }
    return this.store.update(info, next);
  }

  update(info: ResourceInfo, ns: string | undefined, name: string, body: Json, opts: WriteOptions, subresource?: string): KObject {
    const live = this.get(info, ns, name);
    if (subresource === 'scale') return this.writeScale(info, live, body, opts);
    const next = this.checkIdentity(info, ns, body, name);
    return this.commit(info, live, next, { ...opts, ...(subresource ? { subresource } : {}) });
  }

  patch(
    info: ResourceInfo,
    ns: string | undefined,
    name: string,
    raw: string,
    contentType: string,
    opts: WriteOptions,
    subresource?: string,
  ): { object: KObject; created: boolean } {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const accepted = info.crd ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply] : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];
    if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
    if (opts.force !== undefined && type !== PATCH_TYPES.apply) {
      throw new KubeError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ type: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
      });
    }
    if (type === PATCH_TYPES.apply) return this.apply(info, ns, name, raw, opts, subresource);
    let body: Json;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const live = this.get(info, ns, name);
    const current = subresource === 'scale' ? this.scaleOf(live) : live;
    let next: Json;
    if (type === PATCH_TYPES.json) next = applyJsonPatch(current, body);
    else if (type === PATCH_TYPES.merge) next = applyMergePatch(current, body);
    else next = applyStrategicMergePatch(current, body);
    if (subresource === 'scale') return { object: this.writeScale(info, live, next, opts), created: false };
    // A patch may only carry a resourceVersion precondition when it sets one explicitly.
    if (!hasExplicitRv(body, type)) next.metadata.resourceVersion = live.metadata.resourceVersion;
    const obj = this.checkIdentity(info, ns, next, name);
    return { object: this.commit(info, live, obj, { ...opts, ...(subresource ? { subresource } : {}) }), created: false };
  }

  private apply(info: ResourceInfo, ns: string | undefined, name: string, raw: string, opts: WriteOptions, subresource?: string): { object: KObject; created: boolean } {
    if (!opts.fieldManager) {
      throw new KubeError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ type: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    let cfg: Json;
    try {
      cfg = parseYaml(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isPlainObject(cfg) || !cfg.apiVersion || !cfg.kind) {
      throw badRequest(`error decoding patch: Object 'Kind' is missing in '${raw.slice(0, 200)}'`);
    }
    const applied = this.checkIdentity(info, ns, cfg, name);
    const rv = applied.metadata.resourceVersion;
    for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'deletionTimestamp', 'selfLink']) delete applied.metadata[k];
    if (subresource !== 'status') delete applied.status;
    const live = this.store.get(info, ns, name);
    if (!live) {
      if (rv) throw notFound(info, name);
      this.checkNamespace(info, ns);
      const merged = serverSideApply({ live: undefined, applied, manager: opts.fieldManager, force: !!opts.force, apiVersion: groupVersion(info), now: this.clock.iso() });
      const managed = merged.metadata.managedFields;
      this.prepareNew(info, merged);
      if (info.kind === 'Job') this.prepareJob(merged);
      applyDefaults(info, merged);
      validate(info, merged);
      merged.metadata.managedFields = managed;
      if (hasGeneration(info)) merged.metadata.generation = 1;
      if (opts.dryRun) {
        merged.metadata.uid ??= crypto.randomUUID();
        merged.metadata.creationTimestamp = this.clock.iso();
        return { object: merged, created: true };
      }
      return { object: this.store.create(info, merged), created: true };
    }
    if (rv && rv !== live.metadata.resourceVersion) throw conflict(info, name);
    const merged = serverSideApply({ live, applied, manager: opts.fieldManager, force: !!opts.force, apiVersion: groupVersion(info), now: this.clock.iso() });
    merged.metadata.resourceVersion = live.metadata.resourceVersion;
    return { object: this.commit(info, live, merged, { ...opts, applied: true, ...(subresource ? { subresource } : {}) }), created: false };
  }

  scaleOf(obj: KObject): KObject {
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: obj.spec?.replicas ?? 0 },
      status: { replicas: obj.status?.replicas ?? 0, selector: selectorToString(obj.spec?.selector) },
    };
  }

  private writeScale(info: ResourceInfo, live: KObject, scale: Json, opts: WriteOptions): KObject {
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw new KubeError(422, 'Invalid', `Scale.autoscaling "${live.metadata.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`);
    }
    const next = structuredClone(live);
    next.spec.replicas = replicas;
    if (scale?.metadata?.resourceVersion) next.metadata.resourceVersion = scale.metadata.resourceVersion;
    const saved = this.commit(info, live, next, opts);
    return this.scaleOf(saved);
  }

  delete(
    info: ResourceInfo,
    ns: string | undefined,
    name: string,
    body: Json,
    opts: WriteOptions & { propagationPolicy?: string },
  ): { object: Json; status: number } {
    const live = this.get(info, ns, name);
    const pre = body?.preconditions;
    if (pre?.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) {
      throw new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`, { name, ...(info.group ? { group: info.group } : {}), kind: info.resource });
    }
    if (pre?.uid && pre.uid !== live.metadata.uid) {
      throw new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}`, { name, ...(info.group ? { group: info.group } : {}), kind: info.resource });
    }
    const policy = opts.propagationPolicy ?? body?.propagationPolicy ?? (body?.orphanDependents === true ? 'Orphan' : 'Background');
    if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw new KubeError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(info.group ? { group: info.group } : {}), kind: info.resource, uid: live.metadata.uid } };
    if ((live.metadata.finalizers ?? []).length > 0) {
      if (opts.dryRun || live.metadata.deletionTimestamp) return { object: live, status: 200 };
      live.metadata.deletionTimestamp = this.clock.iso();
      live.metadata.deletionGracePeriodSeconds = 0;
      return { object: this.store.update(info, live), status: 200 };
    }
    if (opts.dryRun) return { object: info.kind === 'Pod' ? live : success, status: 200 };
    const removed = this.store.remove(info, ns, name)!;
    this.cascade(removed, policy);
    if (info.kind !== 'Pod') return { object: success, status: 200 };
    // Pods answer with the object marked for graceful deletion (the simulator removes it at once).
    removed.metadata.deletionTimestamp = this.clock.iso();
    removed.metadata.deletionGracePeriodSeconds = live.spec?.terminationGracePeriodSeconds ?? 30;
    return { object: removed, status: 200 };
  }

  /** Garbage collection of dependents (ownerReferences) right away, or orphaning them. */
  cascade(owner: KObject, policy: string): void {
    const uid = owner.metadata.uid;
    const ns = owner.metadata.namespace;
    for (const info of RESOURCES) {
      if (info.createOnly || info.group === 'metrics.k8s.io') continue;
      for (const o of this.store.list(info, info.namespaced ? ns : undefined)) {
        const refs: Json[] = o.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === uid)) continue;
        if (policy === 'Orphan') {
          o.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
          if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
          this.store.update(info, o);
        } else if ((o.metadata.finalizers ?? []).length > 0) {
          if (!o.metadata.deletionTimestamp) {
            o.metadata.deletionTimestamp = this.clock.iso();
            this.store.update(info, o);
          }
        } else {
          const gone = this.store.remove(info, o.metadata.namespace, o.metadata.name);
          if (gone) this.cascade(gone, policy);
        }
      }
    }
  }
}

function hasExplicitRv(patch: Json, type: string): boolean {
  if (type === PATCH_TYPES.json) return Array.isArray(patch) && patch.some((op: Json) => op?.path === '/metadata/resourceVersion');
  return isPlainObject(patch) && isPlainObject(patch.metadata) && patch.metadata.resourceVersion !== undefined;
}
