import { DeployError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-types.js';
import type { KubeApi } from './api.js';

// The object shapes live in the core (the Truth Pass and mode decision read them too).
export type { KubeMeta, KubeObject } from '../core/kube-types.js';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** apiVersion → base path: core v1 lives under /api/v1, everything else under /apis/<group>/<version>. */
export function apiBase(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export const FIELD_MANAGER = 'sealos-deploy';

/** Generic resource access by apiVersion + kind, with discovery cached per group/version. */
export class Resources {
  private readonly discovered = new Map<string, Promise<ApiResource[] | null>>();

  constructor(readonly api: KubeApi) {}

  get namespace(): string {
    return this.api.namespace;
  }

  /** Resources served for an apiVersion, or null when the cluster does not serve it (e.g. no metrics API). */
  async served(apiVersion: string): Promise<ApiResource[] | null> {
    let p = this.discovered.get(apiVersion);
    if (!p) {
      p = this.api
        .request<{ resources?: ApiResource[] }>('GET', apiBase(apiVersion), { allowNotFound: true, what: `discover ${apiVersion}` })
        .then((r) => (r ? (r.resources ?? []).filter((x) => !x.name.includes('/')) : null));
      // A failed discovery must not be cached forever: drop it so the next call retries.
      p.catch(() => this.discovered.delete(apiVersion));
      this.discovered.set(apiVersion, p);
    }
    return p;
  }

  async resolve(apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean }> {
    const list = await this.served(apiVersion);
    const r = list?.find((x) => x.kind === kind);
    if (!r) {
      throw new DeployError('CLUSTER_ERROR', `The cluster does not serve ${kind} (${apiVersion}).`, kind === 'Cluster' ? 'KubeBlocks is not installed on this cluster: use a Sealos cluster, or drop the database from the template.' : `Install the API that provides ${kind}, or check the kubeconfig points at a Sealos cluster.`);
    }
    return { plural: r.name, namespaced: r.namespaced };
  }

  async path(apiVersion: string, kind: string, name?: string, namespace = this.namespace): Promise<string> {
    const { plural, namespaced } = await this.resolve(apiVersion, kind);
    const ns = namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${apiBase(apiVersion)}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  async get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string): Promise<T | null> {
    return this.api.request<T | null>('GET', await this.path(apiVersion, kind, name), { allowNotFound: true, what: `read ${kind} ${name}` });
  }

  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: { labelSelector?: string; fieldSelector?: string; limit?: number } = {}): Promise<T[]> {
    const r = await this.api.request<{ items?: T[] }>('GET', await this.path(apiVersion, kind), {
      query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit },
      what: `list ${kind}${opts.labelSelector ? ` (${opts.labelSelector})` : ''}`,
    });
    // List items omit apiVersion/kind: put them back so callers can treat items as objects.
    return (r.items ?? []).map((i) => ({ ...i, apiVersion, kind }));
  }

  /** Server-side apply: create-or-update owned by our field manager. `dryRun` persists nothing. */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { dryRun?: boolean; force?: boolean } = {}): Promise<T> {
    return this.api.request<T>('PATCH', await this.path(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace ?? this.namespace), {
      query: { fieldManager: FIELD_MANAGER, force: opts.force ?? true, dryRun: opts.dryRun ? 'All' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
      what: `${opts.dryRun ? 'dry-run apply' : 'apply'} ${obj.kind} ${obj.metadata.name}`,
    });
  }

  async delete(apiVersion: string, kind: string, name: string, opts: { dryRun?: boolean } = {}): Promise<boolean> {
    const r = await this.api.request('DELETE', await this.path(apiVersion, kind, name), {
      query: { dryRun: opts.dryRun ? 'All' : undefined, propagationPolicy: 'Background' },
      allowNotFound: true,
      what: `delete ${kind} ${name}`,
    });
    return r !== null;
  }

  async podLogs(pod: string, opts: { container?: string; tailLines?: number; previous?: boolean; sinceSeconds?: number; limitBytes?: number } = {}): Promise<string> {
    const text = await this.api.request<string | null>('GET', `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(pod)}/log`, {
      query: { container: opts.container, tailLines: opts.tailLines, previous: opts.previous, sinceSeconds: opts.sinceSeconds, limitBytes: opts.limitBytes ?? 256 * 1024 },
      text: true,
      allowNotFound: true,
      what: `read logs of pod ${pod}`,
    }).catch((err: unknown) => {
      // No previous container / container not started yet: an empty log, not a failure.
      if (err instanceof DeployError && err.code === 'CLUSTER_ERROR' && /previous terminated container|waiting to start|ContainerCreating/i.test(err.message)) return '';
      throw err;
    });
    return text ?? '';
  }

  /** Whether the credentials may perform `verb` on a resource in the namespace (SelfSubjectAccessReview). */
  async can(verb: string, resource: string, group = ''): Promise<{ allowed: boolean; reason: string | null }> {
    const r = await this.api.request<{ status?: { allowed?: boolean; reason?: string } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: this.namespace, verb, resource, group } } },
      what: `check permission to ${verb} ${resource}`,
    });
    return { allowed: Boolean(r.status?.allowed), reason: r.status?.reason ?? null };
  }
}
