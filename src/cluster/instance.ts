import { DEPLOY_ON_SEALOS_LABEL } from '../core/template/labels.js';
import type { KubeObject, Resources } from './resources.js';

/** Label the Template provider puts on an Instance created by the owner-reference flow. */
export const OWNER_REFERENCES_LABEL = 'cloud.sealos.io/owner-references';

/**
 * The Instance CR the Template provider creates for a deployed template (reference §3): named after
 * app_name, spec = the Template spec with the resolved defaults and input *descriptions* only. Input
 * values never go into it: the Instance is readable by anyone with view access to the namespace.
 */
export function instanceObject(templateSpec: Record<string, unknown>, identity: { appName: string; appHost: string; namespace: string }): KubeObject {
  const spec: Record<string, unknown> = {};
  for (const key of ['title', 'url', 'gitRepo', 'author', 'description', 'readme', 'icon', 'templateType', 'locale', 'categories']) {
    if (templateSpec[key] !== undefined) spec[key] = structuredClone(templateSpec[key]);
  }
  spec.defaults = {
    app_name: { type: 'string', value: identity.appName },
    app_host: { type: 'string', value: identity.appHost },
  };
  const inputs: Record<string, unknown> = {};
  const raw = (templateSpec.inputs ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [name, def] of Object.entries(raw)) {
    inputs[name] = { description: String(def?.description ?? ''), type: String(def?.type ?? 'string'), default: '', required: def?.required === true };
  }
  spec.inputs = inputs;
  return {
    apiVersion: 'app.sealos.io/v1',
    kind: 'Instance',
    metadata: {
      name: identity.appName,
      namespace: identity.namespace,
      labels: { [DEPLOY_ON_SEALOS_LABEL]: identity.appName, [OWNER_REFERENCES_LABEL]: 'ready' },
    },
    spec,
  };
}

/** A copy of `obj` owned by the Instance (not a controller, no blocking deletion), as the provider does. */
export function ownedBy(obj: KubeObject, instance: { name: string; uid: string }): KubeObject {
  const copy = structuredClone(obj);
  const others = (copy.metadata.ownerReferences ?? []).filter((r) => !(r.kind === 'Instance' && r.apiVersion === 'app.sealos.io/v1'));
  copy.metadata.ownerReferences = [...others, { apiVersion: 'app.sealos.io/v1', kind: 'Instance', name: instance.name, uid: instance.uid, controller: false, blockOwnerDeletion: false }];
  return copy;
}

export interface AppliedObject {
  kind: string;
  name: string;
  resourceVersion: string | null;
}

/**
 * Create/refresh the Instance first, read its uid, then server-side apply every other object in
 * order with the Instance as owner. On a failure the error carries what was already applied, so the
 * caller can say exactly what changed (objects are not deleted: the previous release's objects were
 * updated in place, and deleting them would take the running app down).
 */
export async function applyWithInstance(
  res: Resources,
  instance: KubeObject,
  objects: KubeObject[],
  onApplied: (o: AppliedObject) => void = () => {},
): Promise<{ instance_uid: string; applied: AppliedObject[] }> {
  const applied: AppliedObject[] = [];
  const note = (o: KubeObject) => {
    const a = { kind: o.kind, name: o.metadata.name, resourceVersion: o.metadata.resourceVersion ?? null };
    applied.push(a);
    onApplied(a);
  };
  try {
    const live = await res.apply(instance);
    note(live);
    const uid = live.metadata.uid;
    if (!uid) throw new Error(`the cluster returned Instance ${instance.metadata.name} without a uid`);
    for (const obj of objects) note(await res.apply(ownedBy(obj, { name: instance.metadata.name, uid })));
    return { instance_uid: uid, applied };
  } catch (err) {
    (err as { applied?: AppliedObject[] }).applied = applied;
    throw err;
  }
}
