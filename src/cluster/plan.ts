import type { KubeObject, Resources } from './resources.js';

export interface PlannedChange {
  kind: string;
  name: string;
  action: 'create' | 'update' | 'unchanged';
  /** Dotted paths of the fields we set whose live value differs (updates only). */
  changed: string[];
}

export interface ApplyPlan {
  namespace: string;
  changes: PlannedChange[];
  summary: string;
}

/** Leaf paths of the desired object with their values; arrays of named items are keyed by name. */
function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    const named = value.every((v) => v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string');
    value.forEach((v, i) => leaves(v, `${path}[${named ? (v as { name: string }).name : i}]`, out));
    if (!value.length) out.set(path, '[]');
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, JSON.stringify(value));
}

const IGNORED = /^(metadata\.(resourceVersion|uid|generation|creationTimestamp|managedFields|ownerReferences)|status)(\.|\[|$)/;

/** Fields we set whose live value differs. Values are never returned: Secrets and env must not leak into a plan. */
export function changedFields(desired: KubeObject, live: KubeObject): string[] {
  const want = new Map<string, string>();
  const have = new Map<string, string>();
  leaves(desired, '', want);
  leaves(live, '', have);
  const changed: string[] = [];
  for (const [path, v] of want) if (!IGNORED.test(path) && have.get(path) !== v) changed.push(path);
  return changed;
}

/**
 * The plan: each object is server-side dry-run applied (the cluster validates, defaults and checks
 * permissions and quota, persisting nothing), then compared with what is live.
 */
export async function planApply(res: Resources, objects: KubeObject[]): Promise<ApplyPlan> {
  const changes: PlannedChange[] = [];
  for (const obj of objects) {
    const live = await res.get(obj.apiVersion, obj.kind, obj.metadata.name);
    await res.apply(obj, { dryRun: true });
    if (!live) changes.push({ kind: obj.kind, name: obj.metadata.name, action: 'create', changed: [] });
    else {
      const changed = changedFields(obj, live);
      changes.push({ kind: obj.kind, name: obj.metadata.name, action: changed.length ? 'update' : 'unchanged', changed });
    }
  }
  const count = (a: PlannedChange['action']) => changes.filter((c) => c.action === a).length;
  return { namespace: res.namespace, changes, summary: `${count('create')} to create, ${count('update')} to change, ${count('unchanged')} unchanged in ${res.namespace}` };
}
