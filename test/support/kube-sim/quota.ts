/**
 * Pod admission for a namespace: LimitRange container defaults (Sealos sets 50m/64Mi) and
 * ResourceQuota enforcement with the API server's exact "exceeded quota" wording. Also computes
 * ResourceQuota.status.used for the controller.
 */
import type { Json, KObject } from './store.js';
import { formatQuantity, parseQuantity } from './quantity.js';

const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];

export function applyLimitRanges(pod: KObject, limitRanges: KObject[]): void {
  const containers: Json[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  // API defaulting first: a limit without a request implies request = limit.
  for (const c of containers) {
    for (const [res, q] of Object.entries<Json>(c.resources?.limits ?? {})) {
      c.resources.requests ??= {};
      c.resources.requests[res] ??= q;
    }
  }
  for (const lr of limitRanges) {
    for (const item of lr.spec?.limits ?? []) {
      if (item?.type !== 'Container') continue;
      for (const c of containers) {
        c.resources ??= {};
        for (const [res, q] of Object.entries<Json>(item.default ?? {})) {
          c.resources.limits ??= {};
          c.resources.limits[res] ??= q;
        }
        for (const [res, q] of Object.entries<Json>(item.defaultRequest ?? {})) {
          c.resources.requests ??= {};
          c.resources.requests[res] ??= q;
        }
      }
    }
  }
}

export function podUsage(pod: KObject): Record<string, number> {
  const u: Record<string, number> = { pods: 1 };
  for (const key of COMPUTE) u[key] = 0;
  for (const c of pod.spec?.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const request = parseQuantity(req[r] ?? lim[r]);
      u[`requests.${r}`]! += request;
      u[r]! += request;
      u[`limits.${r}`]! += parseQuantity(lim[r]);
    }
  }
  return u;
}

function counts(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function quotaUsed(quota: KObject, pods: KObject[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const r of Object.keys(quota.spec?.hard ?? {})) used[r] = 0;
  for (const p of pods.filter(counts)) {
    const u = podUsage(p);
    for (const r of Object.keys(used)) used[r]! += u[r] ?? 0;
  }
  return used;
}

export function quotaStatus(quota: KObject, pods: KObject[]): Json {
  const used = quotaUsed(quota, pods);
  return {
    hard: { ...(quota.spec?.hard ?? {}) },
    used: Object.fromEntries(Object.entries(used).map(([r, v]) => [r, formatQuantity(r, v)])),
  };
}

/** The reason a pod is forbidden by quota (`exceeded quota: …` / `failed quota: …`), or undefined. */
export function quotaViolation(pod: KObject, quotas: KObject[], pods: KObject[]): string | undefined {
  const usage = podUsage(pod);
  for (const q of quotas) {
    const hard: Record<string, string> = q.spec?.hard ?? {};
    const missing: string[] = [];
    for (const r of Object.keys(hard).filter((r) => COMPUTE.includes(r) && r.includes('.'))) {
      const [kind, res] = r.split('.') as [string, string];
      const lacking = (pod.spec?.containers ?? [])
        .filter((c: Json) => c.resources?.[kind]?.[res] === undefined && !(kind === 'requests' && c.resources?.limits?.[res] !== undefined))
        .map((c: Json) => c.name);
      if (lacking.length) missing.push(`${r} for: ${lacking.join(',')}`);
    }
    if (missing.length) return `failed quota: ${q.metadata.name}: must specify ${missing.join('; ')}`;
    const used = quotaUsed(q, pods);
    const over = Object.keys(hard).filter((r) => (used[r] ?? 0) + (usage[r] ?? 0) > parseQuantity(hard[r]) + 1e-9);
    if (over.length) {
      const fmt = (vals: Record<string, number | string>) => over.map((r) => `${r}=${typeof vals[r] === 'number' ? formatQuantity(r, vals[r] as number) : vals[r]}`).join(',');
      return `exceeded quota: ${q.metadata.name}, requested: ${fmt(usage)}, used: ${fmt(used)}, limited: ${fmt(hard)}`;
    }
  }
  return undefined;
}

/** Pod QoS class from its containers' requests and limits. */
export function qosClass(pod: KObject): string {
  const cs: Json[] = pod.spec?.containers ?? [];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) =>
    ['cpu', 'memory'].every((r) => c.resources?.limits?.[r] !== undefined && String(c.resources?.requests?.[r] ?? c.resources?.limits?.[r]) === String(c.resources.limits[r])),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
