import { formatCpu, formatMemory, parseQuantity } from '../core/quantity.js';
import type { KubeObject, Resources } from './resources.js';

interface QuotaObject extends KubeObject {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

interface PodSpecLike {
  containers?: Array<{ resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }>;
  initContainers?: Array<{ resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }>;
}

/** What a set of objects will consume against a ResourceQuota, counting every replica. */
export function plannedUsage(objects: KubeObject[]): Record<string, number> {
  const use: Record<string, number> = { 'limits.cpu': 0, 'limits.memory': 0, 'requests.cpu': 0, 'requests.memory': 0, pods: 0, 'requests.storage': 0 };
  const add = (k: string, v: number | null) => (use[k] = (use[k] ?? 0) + (v ?? 0));
  for (const o of objects) {
    const spec = o.spec as { replicas?: number; template?: { spec?: PodSpecLike }; volumeClaimTemplates?: Array<{ spec?: { resources?: { requests?: { storage?: string } } } }>; componentSpecs?: Array<{ replicas?: number; resources?: { limits?: Record<string, string>; requests?: Record<string, string> }; volumeClaimTemplates?: Array<{ spec?: { resources?: { requests?: { storage?: string } } } }> }> } | undefined;
    if (!spec) continue;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const n = spec.replicas ?? 1;
      use.pods = (use.pods ?? 0) + n;
      for (const c of spec.template?.spec?.containers ?? []) {
        add('limits.cpu', (parseQuantity(c.resources?.limits?.cpu) ?? 0) * n);
        add('limits.memory', (parseQuantity(c.resources?.limits?.memory) ?? 0) * n);
        add('requests.cpu', (parseQuantity(c.resources?.requests?.cpu) ?? 0) * n);
        add('requests.memory', (parseQuantity(c.resources?.requests?.memory) ?? 0) * n);
      }
      for (const v of spec.volumeClaimTemplates ?? []) add('requests.storage', (parseQuantity(v.spec?.resources?.requests?.storage) ?? 0) * n);
    }
    if (o.kind === 'Cluster') {
      for (const c of spec.componentSpecs ?? []) {
        const n = c.replicas ?? 1;
        use.pods = (use.pods ?? 0) + n;
        add('limits.cpu', (parseQuantity(c.resources?.limits?.cpu) ?? 0) * n);
        add('limits.memory', (parseQuantity(c.resources?.limits?.memory) ?? 0) * n);
        for (const v of c.volumeClaimTemplates ?? []) add('requests.storage', (parseQuantity(v.spec?.resources?.requests?.storage) ?? 0) * n);
      }
    }
  }
  return use;
}

export interface QuotaCheck {
  resource: string;
  hard: string;
  used: string;
  planned: string;
  ok: boolean;
}

const fmt = (resource: string, v: number) => (resource.endsWith('cpu') ? formatCpu(v) : resource === 'pods' ? String(v) : formatMemory(v));

/** Headroom of every ResourceQuota in the namespace for the planned objects (minus what they already use when updating). */
export async function checkQuota(res: Resources, objects: KubeObject[], alreadyUsedByApp: Record<string, number> = {}): Promise<QuotaCheck[]> {
  const quotas = await res.list<QuotaObject>('v1', 'ResourceQuota');
  const planned = plannedUsage(objects);
  const out: QuotaCheck[] = [];
  for (const q of quotas) {
    for (const [resource, hardText] of Object.entries(q.status?.hard ?? {})) {
      if (!(resource in planned)) continue;
      const hard = parseQuantity(hardText) ?? Infinity;
      const used = parseQuantity(q.status?.used?.[resource] ?? '0') ?? 0;
      const need = (planned[resource] ?? 0) - (alreadyUsedByApp[resource] ?? 0);
      out.push({ resource, hard: hardText, used: fmt(resource, used), planned: fmt(resource, planned[resource] ?? 0), ok: used + Math.max(need, 0) <= hard });
    }
  }
  return out;
}
