/**
 * The object store: one map per resource, a global resourceVersion counter, and a bounded
 * event history so watches can resume from a resourceVersion like on a real API server.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceInfo } from './discovery.js';
import { groupVersion } from './discovery.js';

// JSON objects straight off the wire; shapes are checked where they are used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: Json;
  [key: string]: Json;
}

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchType;
  rv: number;
  resource: string; // group/resource key
  object: KObject;
  previous?: KObject;
}

/** Simulated time: real time plus an offset tests can advance (progress deadlines, back-offs, log ages). */
export class SimClock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  iso(ms = this.now()): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

export function resourceKey(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return `${info.group}/${info.resource}`;
}

const HISTORY_LIMIT = 10_000;

export class Store {
  private rv = 1000;
  private readonly data = new Map<string, Map<string, KObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(readonly clock: SimClock) {}

  currentRv(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch can still resume from. */
  oldestRv(): number {
    return this.history[0] ? this.history[0].rv - 1 : this.rv;
  }

  private bucket(info: Pick<ResourceInfo, 'group' | 'resource'>): Map<string, KObject> {
    const key = resourceKey(info);
    let b = this.data.get(key);
    if (!b) {
      b = new Map();
      this.data.set(key, b);
    }
    return b;
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.bucket(info).get(`${namespace ?? ''}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  list(info: ResourceInfo, namespace?: string): KObject[] {
    const out: KObject[] = [];
    for (const o of this.bucket(info).values()) {
      if (namespace === undefined || o.metadata.namespace === namespace) out.push(structuredClone(o));
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`),
    );
  }

  /** First object matching a predicate, without cloning the whole bucket (hot path for event dedupe). */
  find(info: ResourceInfo, namespace: string | undefined, predicate: (o: KObject) => boolean): KObject | undefined {
    for (const o of this.bucket(info).values()) {
      if ((namespace === undefined || o.metadata.namespace === namespace) && predicate(o)) return structuredClone(o);
    }
    return undefined;
  }

  /** Store a new object: fills uid, creationTimestamp and resourceVersion. */
  create(info: ResourceInfo, obj: KObject): KObject {
    const o = structuredClone(obj);
    o.apiVersion = groupVersion(info);
    o.kind = info.kind;
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= this.clock.iso();
    if (!info.namespaced) delete o.metadata.namespace;
    const key = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (this.bucket(info).has(key)) throw new Error(`kube-sim store: ${resourceKey(info)} ${key} already exists`);
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(info).set(key, o);
    this.emit({ type: 'ADDED', rv: this.rv, resource: resourceKey(info), object: structuredClone(o) });
    return structuredClone(o);
  }

  /** Replace an existing object (no precondition checks; callers do those). */
  update(info: ResourceInfo, obj: KObject): KObject {
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const previous = this.bucket(info).get(key);
    if (!previous) return this.create(info, obj);
    const o = structuredClone(obj);
    o.apiVersion = groupVersion(info);
    o.kind = info.kind;
    o.metadata.uid = previous.metadata.uid;
    o.metadata.creationTimestamp = previous.metadata.creationTimestamp;
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(info).set(key, o);
    this.emit({ type: 'MODIFIED', rv: this.rv, resource: resourceKey(info), object: structuredClone(o), previous });
    return structuredClone(o);
  }

  remove(info: ResourceInfo, namespace: string | undefined, name: string): KObject | undefined {
    const key = `${namespace ?? ''}/${name}`;
    const previous = this.bucket(info).get(key);
    if (!previous) return undefined;
    this.bucket(info).delete(key);
    const o = structuredClone(previous);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', rv: this.rv, resource: resourceKey(info), object: structuredClone(o), previous });
    return o;
  }

  /** Events after `rv` for one resource, or undefined when history no longer reaches back that far. */
  since(rv: number, resource: string): StoreEvent[] | undefined {
    if (rv < this.oldestRv()) return undefined;
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const l of [...this.listeners]) l(e);
  }
}
