/**
 * Server-side apply: field ownership per manager (metadata.managedFields, FieldsV1), conflicts
 * (409 with FieldManagerConflict causes, like structured-merge-diff) unless force, merging of
 * associative lists by key, and removal of fields a manager stopped applying. Non-apply writes
 * record `Update` ownership of the fields they changed.
 */
import type { Json, KObject } from './store.js';
import { deepEqual, isPlainObject, listMergeKey } from './patch.js';
import { KubeError } from './status-errors.js';

type Path = string[];
type FieldSet = Map<string, Path>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Json;
  subresource?: string;
}

const METADATA_MANAGED = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);

/** Every owned leaf path of an object (status and identity fields excluded). */
export function collectFields(obj: Json): FieldSet {
  const set: FieldSet = new Map();
  const add = (p: Path) => set.set(JSON.stringify(p), p);
  const walk = (v: Json, path: Path, field: string): void => {
    if (isPlainObject(v)) {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0) add(path);
      for (const k of keys) walk(v[k], [...path, `f:${k}`], k);
      return;
    }
    if (Array.isArray(v)) {
      const key = listMergeKey(field, v);
      if (key && v.length > 0 && v.every((i) => isPlainObject(i) && i[key] !== undefined)) {
        for (const item of v) {
          const kp = [...path, `k:${JSON.stringify({ [key]: item[key] })}`];
          add([...kp, '.']);
          for (const k of Object.keys(item)) if (item[k] !== undefined) walk(item[k], [...kp, `f:${k}`], k);
        }
        return;
      }
    }
    add(path);
  };
  if (!isPlainObject(obj)) return set;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status' || v === undefined) continue;
    if (k === 'metadata') {
      if (!isPlainObject(v)) continue;
      for (const [mk, mv] of Object.entries(v)) {
        if (METADATA_MANAGED.has(mk) && mv !== undefined) walk(mv, ['f:metadata', `f:${mk}`], mk);
      }
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return set;
}

function findItem(list: Json[], seg: string): number {
  const keyObj = JSON.parse(seg.slice(2)) as Record<string, Json>;
  const [k, val] = Object.entries(keyObj)[0]!;
  return list.findIndex((i) => isPlainObject(i) && deepEqual(i[k], val));
}

const ABSENT = Symbol('absent');

function valueAt(obj: Json, path: Path): Json {
  let cur = obj;
  for (const seg of path) {
    if (seg === '.') return cur === ABSENT ? ABSENT : true;
    if (seg.startsWith('f:')) {
      if (!isPlainObject(cur) || !(seg.slice(2) in cur)) return ABSENT;
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      if (!Array.isArray(cur)) return ABSENT;
      const i = findItem(cur, seg);
      if (i < 0) return ABSENT;
      cur = cur[i];
    }
  }
  return cur;
}

function removeAt(obj: Json, path: Path): void {
  let cur = obj;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1 || (i === path.length - 2 && path[i + 1] === '.');
    if (seg.startsWith('f:')) {
      if (!isPlainObject(cur)) return;
      if (last) {
        delete cur[seg.slice(2)];
        return;
      }
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      if (!Array.isArray(cur)) return;
      const idx = findItem(cur, seg);
      if (idx < 0) return;
      if (last) {
        cur.splice(idx, 1);
        return;
      }
      cur = cur[idx];
    }
  }
}

/** `.spec.template.spec.containers[name="web"].image`, the structured-merge-diff path format. */
export function pathString(path: Path): string {
  let s = '';
  for (const seg of path) {
    if (seg === '.') continue;
    if (seg.startsWith('f:')) s += `.${seg.slice(2)}`;
    else if (seg.startsWith('k:')) {
      const keyObj = JSON.parse(seg.slice(2)) as Record<string, Json>;
      s += `[${Object.entries(keyObj).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
  }
  return s;
}

export function toFieldsV1(set: FieldSet): Json {
  const root: Json = {};
  for (const path of set.values()) {
    let node = root;
    for (const seg of path) node = node[seg] ??= {};
  }
  return root;
}

export function fromFieldsV1(fields: Json): FieldSet {
  const set: FieldSet = new Map();
  const walk = (node: Json, path: Path): void => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) set.set(JSON.stringify(path), path);
    for (const k of keys) {
      if (k === '.') set.set(JSON.stringify([...path, '.']), [...path, '.']);
      else walk(node[k], [...path, k]);
    }
  };
  walk(fields, []);
  return set;
}

function entries(obj: KObject | undefined): ManagedFieldsEntry[] {
  const mf = obj?.metadata?.managedFields;
  return Array.isArray(mf) ? structuredClone(mf) : [];
}

function sameEntry(e: ManagedFieldsEntry, manager: string, operation: string, subresource?: string): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');
}

/** Merge an applied configuration over the live object, lists with merge keys item by item. */
function mergeApplied(live: Json, cfg: Json, field: string): Json {
  if (isPlainObject(cfg) && isPlainObject(live)) {
    const out = structuredClone(live);
    for (const [k, v] of Object.entries(cfg)) if (v !== undefined) out[k] = mergeApplied(live[k], v, k);
    return out;
  }
  if (Array.isArray(cfg) && Array.isArray(live)) {
    const key = listMergeKey(field, cfg);
    if (key && cfg.every((i) => isPlainObject(i) && i[key] !== undefined)) {
      const out = cfg.map((item) => {
        const match = live.find((l) => isPlainObject(l) && deepEqual(l[key], item[key]));
        return match ? mergeApplied(match, item, field) : structuredClone(item);
      });
      for (const l of live) if (!cfg.some((i) => isPlainObject(l) && deepEqual(l[key], i[key]))) out.push(structuredClone(l));
      return out;
    }
  }
  return structuredClone(cfg);
}

export interface ApplyInput {
  live: KObject | undefined;
  applied: KObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
}

/**
 * Returns the merged object with updated managedFields, or throws a 409 apply conflict.
 * `applied` must already be stripped of identity/status fields the caller does not merge.
 */
export function serverSideApply(input: ApplyInput): KObject {
  const { live, applied, manager, force, apiVersion, now } = input;
  const cfgFields = collectFields(applied);
  const managed = entries(live);
  const conflicts: Array<{ manager: ManagedFieldsEntry; path: Path }> = [];
  if (live) {
    for (const e of managed) {
      if (e.manager === manager) continue;
      const owned = fromFieldsV1(e.fieldsV1);
      for (const [key, path] of cfgFields) {
        if (owned.has(key) && !deepEqual(valueAt(live, path), valueAt(applied, path))) conflicts.push({ manager: e, path });
      }
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);

  const base: Json = live ? structuredClone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  const merged = mergeApplied(base, applied, '') as KObject;

  const others = managed
    .filter((e) => !sameEntry(e, manager, 'Apply'))
    .map((e) => {
      const set = fromFieldsV1(e.fieldsV1);
      if (force) for (const c of conflicts) if (c.manager === e || sameEntry(c.manager, e.manager, e.operation, e.subresource)) set.delete(JSON.stringify(c.path));
      return { entry: e, set };
    });
  const previous = managed.find((e) => sameEntry(e, manager, 'Apply'));
  if (previous) {
    const before = fromFieldsV1(previous.fieldsV1);
    const dropped = [...before.entries()].filter(([k]) => !cfgFields.has(k));
    const ownedByOthers = (path: Path): boolean => {
      const prefix = JSON.stringify(path[path.length - 1] === '.' ? path.slice(0, -1) : path).slice(0, -1);
      return others.some((o) => [...o.set.keys()].some((k) => k === JSON.stringify(path) || k.startsWith(prefix + ',')));
    };
    // Deepest paths first so emptied list items are removed after their fields.
    dropped.sort((a, b) => b[1].length - a[1].length);
    for (const [, path] of dropped) if (!ownedByOthers(path)) removeAt(merged, path);
  }
  const nextManaged: ManagedFieldsEntry[] = [];
  for (const o of others) {
    if (o.set.size === 0) continue;
    nextManaged.push({ ...o.entry, fieldsV1: toFieldsV1(o.set) });
  }
  const mine: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(cfgFields) };
  const idx = managed.findIndex((e) => sameEntry(e, manager, 'Apply'));
  if (idx >= 0 && idx <= nextManaged.length) nextManaged.splice(idx, 0, mine);
  else nextManaged.push(mine);
  merged.metadata.managedFields = nextManaged;
  return merged;
}

function printManager(e: ManagedFieldsEntry): string {
  return e.operation === 'Update' ? `"${e.manager}" using ${e.apiVersion}` : `"${e.manager}"`;
}

function applyConflict(conflicts: Array<{ manager: ManagedFieldsEntry; path: Path }>): KubeError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    type: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = printManager(c.manager);
      byManager.set(k, [...(byManager.get(k) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const k of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${k}:`);
      for (const p of byManager.get(k)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeError(409, 'Conflict', message, { causes });
}

/** Ownership for create/update/patch: the manager takes the fields it set or changed. */
export function recordUpdate(
  before: KObject | undefined,
  after: KObject,
  manager: string,
  apiVersion: string,
  now: string,
  subresource?: string,
): void {
  const managed = entries(before);
  const oldSet = before ? collectFields(before) : new Map<string, Path>();
  const newSet = collectFields(after);
  const changed: FieldSet = new Map();
  for (const [k, p] of newSet) if (!oldSet.has(k) || !deepEqual(valueAt(before, p), valueAt(after, p))) changed.set(k, p);
  const removed = [...oldSet.keys()].filter((k) => !newSet.has(k));
  if (changed.size === 0 && removed.length === 0) {
    after.metadata.managedFields = managed.length ? managed : undefined;
    if (!after.metadata.managedFields) delete after.metadata.managedFields;
    return;
  }
  const out: ManagedFieldsEntry[] = [];
  let mineFound = false;
  for (const e of managed) {
    const set = fromFieldsV1(e.fieldsV1);
    for (const k of removed) set.delete(k);
    if (sameEntry(e, manager, 'Update', subresource)) {
      mineFound = true;
      for (const [k, p] of changed) set.set(k, p);
      out.push({ ...e, time: now, fieldsV1: toFieldsV1(set) });
      continue;
    }
    for (const k of changed.keys()) set.delete(k);
    if (set.size > 0) out.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  if (!mineFound && changed.size > 0) {
    const e: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(changed) };
    if (subresource) e.subresource = subresource;
    out.push(e);
  }
  after.metadata.managedFields = out;
}
