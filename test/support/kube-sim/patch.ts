/**
 * The three non-apply PATCH formats: RFC 6902 JSON patch, RFC 7386 merge patch and
 * Kubernetes strategic merge patch (merge keys, `$patch`, `$retainKeys`, `$setElementOrder`,
 * `$deleteFromPrimitiveList`). kubectl rollout undo sends a JSON patch; rollout restart and
 * client-side apply send strategic merge patches.
 */
import type { Json } from './store.js';
import { badRequest, KubeError } from './status-errors.js';

export function isPlainObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Merge keys of associative lists, by field name (the Kubernetes OpenAPI `x-kubernetes-list-map-keys`
 * for the fields our workloads use). Lists not named here are atomic.
 */
export function listMergeKey(field: string, items: Json[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'volumeClaimTemplates':
      return 'name';
    case 'volumeMounts':
    case 'volumeDevices':
      return 'mountPath';
    case 'ownerReferences':
      return 'uid';
    case 'conditions':
      return 'type';
    case 'hostAliases':
      return 'ip';
    case 'ports': {
      const first = items.find((i) => isPlainObject(i));
      if (first && 'containerPort' in first) return 'containerPort';
      return 'port';
    }
    default:
      return undefined;
  }
}

// JSON patch -----------------------------------------------------------------------------

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, segs: string[], op: string, path: string): Json {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(s)] : isPlainObject(cur) ? cur[s] : undefined;
    if (cur === undefined) throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return cur;
}

export function applyJsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  const get = (path: string): Json => {
    let cur = out;
    for (const s of pointer(path)) {
      cur = Array.isArray(cur) ? cur[s === '-' ? cur.length : Number(s)] : isPlainObject(cur) ? cur[s] : undefined;
      if (cur === undefined) return undefined;
    }
    return cur;
  };
  const remove = (path: string, op: string): Json => {
    const segs = pointer(path);
    const parent = parentOf(out, segs, op, path);
    const last = segs[segs.length - 1]!;
    if (Array.isArray(parent)) {
      const i = Number(last);
      if (!(i >= 0 && i < parent.length)) throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "${path}": missing value`);
      return parent.splice(i, 1)[0];
    }
    if (!isPlainObject(parent) || !(last in parent)) throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "${path}": missing value`);
    const v = parent[last];
    delete parent[last];
    return v;
  };
  const add = (path: string, value: Json, op: string, replace: boolean): void => {
    const segs = pointer(path);
    if (segs.length === 0) {
      out = structuredClone(value);
      return;
    }
    const parent = parentOf(out, segs, op, path);
    const last = segs[segs.length - 1]!;
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (replace) parent[i] = structuredClone(value);
      else parent.splice(i, 0, structuredClone(value));
    } else if (isPlainObject(parent)) {
      if (replace && !(last in parent)) throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${path}: missing value`);
      parent[last] = structuredClone(value);
    } else {
      throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
  };
  for (const o of ops) {
    if (!isPlainObject(o) || typeof o.op !== 'string' || typeof o.path !== 'string') throw badRequest('the server rejected our request due to an error in our request: invalid JSON patch operation');
    switch (o.op) {
      case 'add':
        add(o.path, o.value, 'add', false);
        break;
      case 'replace':
        add(o.path, o.value, 'replace', true);
        break;
      case 'remove':
        remove(o.path, 'remove');
        break;
      case 'move': {
        const v = remove(o.from, 'move');
        add(o.path, v, 'move', false);
        break;
      }
      case 'copy':
        add(o.path, get(o.from), 'copy', false);
        break;
      case 'test':
        if (!deepEqual(get(o.path), o.value)) throw new KubeError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${o.path} failed: test failed`);
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: Unexpected kind: ${o.op}`);
    }
  }
  return out;
}

// Merge patch ----------------------------------------------------------------------------

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

// Strategic merge patch ------------------------------------------------------------------

export function applyStrategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    void _ignored;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Json> = isPlainObject(target) ? structuredClone(target) : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k === '$patch' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = out[f].filter((x: Json) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(out[k], v, k);
      continue;
    }
    const merged = applyStrategicMergePatch(out[k], v, k);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  void field;
  return out;
}

function mergeList(target: Json, patch: Json[], field: string): Json[] {
  const key = listMergeKey(field, patch);
  if (!key || !Array.isArray(target)) {
    return patch.filter((p) => !(isPlainObject(p) && p.$patch === 'delete')).map(stripDirectives);
  }
  const out = structuredClone(target) as Json[];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const idx = out.findIndex((t) => isPlainObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (item.$patch === 'replace') {
      out.splice(0, out.length, ...patch.filter((p) => isPlainObject(p) && p.$patch !== 'replace').map(stripDirectives));
      return out;
    }
    if (idx >= 0) out[idx] = applyStrategicMergePatch(out[idx], item, field);
    else out.push(stripDirectives(item));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}
