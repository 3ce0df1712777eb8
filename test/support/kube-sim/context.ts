/**
 * Shared helpers for the simulated controllers: typed resource lookups, change-only saves,
 * ownership queries, deterministic names and pod creation through admission (LimitRange, quota).
 */
import { createHash } from 'node:crypto';
import type { Catalogue, ResourceInfo } from './discovery.js';
import { applyDefaults } from './defaults.js';
import type { Events } from './events.js';
import type { Faults } from './faults.js';
import type { Logs } from './logs.js';
import type { Operations } from './operations.js';
import { deepEqual } from './patch.js';
import { qosClass } from './quota.js';
import type { Json, KObject, SimClock, Store } from './store.js';

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncode(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i]! % ALPHABET.length];
  return out;
}

export function isControlledBy(o: KObject, owner: KObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r: Json) => r.uid === owner.metadata.uid && r.controller === true);
}

export function ownerRef(owner: KObject): Json {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function condition(obj: KObject, type: string): Json | undefined {
  return (obj.status?.conditions ?? []).find((c: Json) => c.type === type);
}

export function isPodReady(pod: KObject): boolean {
  return condition(pod, 'Ready')?.status === 'True' && !pod.metadata.deletionTimestamp;
}

export function isTerminal(pod: KObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Drop zero counters like the API's `omitempty` int32 status fields. */
export function omitZero(status: Json, keys: string[]): Json {
  for (const k of keys) if (status[k] === 0) delete status[k];
  return status;
}

export class Ctx {
  constructor(
    readonly store: Store,
    readonly catalogue: Catalogue,
    readonly clock: SimClock,
    readonly events: Events,
    readonly faults: Faults,
    readonly ops: Operations,
    readonly logs: Logs,
  ) {}

  info(apiVersion: string, kind: string): ResourceInfo {
    const i = this.catalogue.byKind(apiVersion, kind);
    if (!i) throw new Error(`kube-sim: unknown kind ${apiVersion}/${kind}`);
    return i;
  }

  list(apiVersion: string, kind: string, ns?: string): KObject[] {
    return this.store.list(this.info(apiVersion, kind), ns);
  }

  /** Write only when something changed, so a settled cluster stops bumping resourceVersions. */
  save(before: KObject, after: KObject): KObject {
    if (deepEqual(before, after)) return before;
    return this.store.update(this.info(after.apiVersion, after.kind), after);
  }

  create(obj: KObject): KObject {
    return this.store.create(this.info(obj.apiVersion, obj.kind), obj);
  }

  remove(obj: KObject): void {
    const gone = this.store.remove(this.info(obj.apiVersion, obj.kind), obj.metadata.namespace, obj.metadata.name);
    if (gone) this.ops.cascade(gone, 'Background');
  }

  private readonly created = new Map<string, number>();

  /**
   * The generated-name suffix for an owner's next pod. It only advances once that name is used,
   * so a rejected creation is retried with the same name and the same message (stable events).
   */
  nextSuffix(base: string, length = 5): string {
    return safeEncode(`${base}/${this.created.get(base) ?? 0}`, length);
  }

  usedSuffix(base: string): void {
    this.created.set(base, (this.created.get(base) ?? 0) + 1);
  }

  /**
   * Create a pod from a template through admission. Returns the pod, or the Forbidden message
   * the API server would have given the controller (quota).
   */
  createPod(owner: KObject, template: Json, name: string, extra: { labels?: Record<string, string>; spec?: Json } = {}): { pod?: KObject; forbidden?: string } {
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...(template?.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
        ownerReferences: [ownerRef(owner)],
      },
      spec: { ...structuredClone(template?.spec ?? {}), ...(extra.spec ?? {}) },
    };
    if (template?.metadata?.annotations) pod.metadata.annotations = structuredClone(template.metadata.annotations);
    const info = this.info('v1', 'Pod');
    applyDefaults(info, pod);
    const forbidden = this.ops.admitPod(pod);
    if (forbidden) return { forbidden: `pods "${name}" is forbidden: ${forbidden}` };
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
    return { pod: this.store.create(info, pod) };
  }
}
