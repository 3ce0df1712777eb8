/**
 * Bearer tokens → users with a namespace scope, like a Sealos user ServiceAccount bound to the
 * `owner` Role in its own namespace: full access there, nothing at the cluster scope or elsewhere.
 * Also answers SelfSubjectAccessReview / SelfSubjectRulesReview / SelfSubjectReview.
 */
import { createHash } from 'node:crypto';
import type { Json } from './store.js';
import { unauthorized } from './status-errors.js';

export interface TokenGrant {
  /** the namespace the token may use, or '*' for cluster-admin */
  namespace?: string;
  /** allowed verbs (default: all) */
  verbs?: string[];
  /** username to report; default system:serviceaccount:user-system:<namespace without ns->` */
  user?: string;
}

export interface Subject {
  token: string;
  user: string;
  namespace: string;
  verbs?: string[];
  groups: string[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Reviews any authenticated user may create (system:basic-user). */
const PUBLIC_CREATES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export class Auth {
  private readonly tokens = new Map<string, Subject>();

  add(token: string, grant: TokenGrant, defaultNamespace: string): Subject {
    const namespace = grant.namespace ?? defaultNamespace;
    const user = grant.user ?? (namespace === '*' ? 'kubernetes-admin' : `system:serviceaccount:user-system:${namespace.replace(/^ns-/, '')}`);
    const groups =
      namespace === '*'
        ? ['system:masters', 'system:authenticated']
        : ['system:serviceaccounts', 'system:serviceaccounts:user-system', 'system:authenticated'];
    const subject: Subject = { token, user, namespace, groups };
    if (grant.verbs) subject.verbs = grant.verbs;
    this.tokens.set(token, subject);
    return subject;
  }

  authenticate(header: string | undefined): Subject {
    const m = header?.match(/^Bearer\s+(.+)$/i);
    const subject = m ? this.tokens.get(m[1]!.trim()) : undefined;
    if (!subject) throw unauthorized();
    return subject;
  }

  allowed(subject: Subject, a: Attributes): { allowed: boolean; reason?: string } {
    if (a.verb === 'create' && PUBLIC_CREATES.has(a.resource)) return { allowed: true };
    if (subject.verbs && !subject.verbs.includes(a.verb) && !subject.verbs.includes('*')) return { allowed: false };
    if (subject.namespace === '*') return { allowed: true, reason: 'cluster-admin' };
    if (!a.namespace || a.namespace !== subject.namespace) return { allowed: false };
    return { allowed: true, reason: `RBAC: allowed by RoleBinding "owner" of Role "owner" to ServiceAccount in namespace "${subject.namespace}"` };
  }

  accessReview(subject: Subject, body: Json): Json {
    const ra = body?.spec?.resourceAttributes;
    const nra = body?.spec?.nonResourceAttributes;
    let status: Json;
    if (nra) {
      const publicPaths = ['/version', '/healthz', '/livez', '/readyz', '/api', '/apis', '/openapi'];
      const ok = subject.namespace === '*' || publicPaths.some((p) => String(nra.path ?? '').startsWith(p));
      status = ok ? { allowed: true } : { allowed: false };
    } else {
      const attrs: Attributes = {
        verb: ra?.verb ?? '',
        group: ra?.group ?? '',
        resource: ra?.resource ?? '',
        subresource: ra?.subresource,
        namespace: ra?.namespace || undefined,
        name: ra?.name,
      };
      const d = this.allowed(subject, attrs);
      status = d.allowed ? { allowed: true, reason: d.reason } : { allowed: false };
    }
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: body?.spec ?? {},
      status,
    };
  }

  rulesReview(subject: Subject, body: Json): Json {
    const ns = body?.spec?.namespace;
    const own = subject.namespace === '*' || ns === subject.namespace;
    const verbs = subject.verbs ?? ['*'];
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: body?.spec ?? {},
      status: {
        resourceRules: [
          { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
          { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
          ...(own ? [{ verbs, apiGroups: ['*'], resources: ['*'] }] : []),
        ],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
        incomplete: false,
      },
    };
  }

  selfReview(subject: Subject): Json {
    return {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: subject.user, uid: createHash('sha256').update(subject.user).digest('hex').slice(0, 32), groups: subject.groups } },
    };
  }
}
