/**
 * The resource catalogue and the legacy discovery documents built from it
 * (/api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>).
 * Clients resolve kind → resource through these documents, so names, kinds,
 * `namespaced` and verbs must match a real cluster.
 */

export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** status subresource: the main endpoint ignores `status`, `/status` ignores everything else */
  status?: boolean;
  scale?: boolean;
  log?: boolean;
  /** virtual create-only resources such as SelfSubjectAccessReview */
  createOnly?: boolean;
  /** custom resources: strategic merge patch is refused, list items keep apiVersion/kind */
  crd?: boolean;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];

function r(
  group: string,
  version: string,
  resource: string,
  kind: string,
  extra: Partial<ResourceInfo> = {},
): ResourceInfo {
  return {
    group,
    version,
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: CRUD,
    ...extra,
  };
}

export const RESOURCES: ResourceInfo[] = [
  // core
  r('', 'v1', 'pods', 'Pod', { shortNames: ['po'], categories: ['all'], status: true, log: true }),
  r('', 'v1', 'services', 'Service', { shortNames: ['svc'], categories: ['all'], status: true }),
  r('', 'v1', 'endpoints', 'Endpoints', { shortNames: ['ep'] }),
  r('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  r('', 'v1', 'secrets', 'Secret'),
  r('', 'v1', 'events', 'Event', { shortNames: ['ev'] }),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], status: true }),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  r('', 'v1', 'resourcequotas', 'ResourceQuota', { shortNames: ['quota'], status: true }),
  r('', 'v1', 'limitranges', 'LimitRange', { shortNames: ['limits'] }),
  r('', 'v1', 'namespaces', 'Namespace', { shortNames: ['ns'], namespaced: false, status: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  r('', 'v1', 'nodes', 'Node', { shortNames: ['no'], namespaced: false, status: true }),
  // apps
  r('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'], status: true, scale: true }),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', { shortNames: ['rs'], categories: ['all'], status: true, scale: true }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', { shortNames: ['sts'], categories: ['all'], status: true, scale: true }),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'], status: true }),
  r('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  // batch
  r('batch', 'v1', 'jobs', 'Job', { categories: ['all'], status: true }),
  r('batch', 'v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'], status: true }),
  // networking
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', { shortNames: ['ing'], status: true }),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', { shortNames: ['netpol'] }),
  r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  // autoscaling
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'], status: true }),
  // rbac
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', { namespaced: false }),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', { namespaced: false }),
  // authn/authz reviews
  r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', { namespaced: false, verbs: ['create'], createOnly: true }),
  r('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', { namespaced: false, verbs: ['create'], createOnly: true }),
  r('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', { namespaced: false, verbs: ['create'], createOnly: true }),
  // Sealos
  r('app.sealos.io', 'v1', 'apps', 'App', { crd: true }),
  r('app.sealos.io', 'v1', 'instances', 'Instance', { crd: true, status: true }),
  r('app.sealos.io', 'v1', 'templates', 'Template', { crd: true, status: true }),
  // KubeBlocks
  r('apps.kubeblocks.io', 'v1alpha1', 'clusters', 'Cluster', { crd: true, status: true, shortNames: ['cl'], categories: ['kubeblocks', 'all'] }),
  r('dataprotection.kubeblocks.io', 'v1alpha1', 'backups', 'Backup', { crd: true, status: true, categories: ['kubeblocks'] }),
  // cert-manager
  r('cert-manager.io', 'v1', 'issuers', 'Issuer', { crd: true, status: true, categories: ['cert-manager'] }),
  r('cert-manager.io', 'v1', 'certificates', 'Certificate', { crd: true, status: true, shortNames: ['cert', 'certs'], categories: ['cert-manager'] }),
  // metrics-server (aggregated API, read-only)
  r('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', { verbs: READ, singular: '' }),
  r('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', { verbs: READ, singular: '', namespaced: false }),
];

export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export class Catalogue {
  private disabledGroups = new Set<string>();

  disableGroup(group: string): void {
    this.disabledGroups.add(group);
  }

  enableGroup(group: string): void {
    this.disabledGroups.delete(group);
  }

  private enabled(): ResourceInfo[] {
    return RESOURCES.filter((x) => !this.disabledGroups.has(x.group));
  }

  byPath(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.enabled().find((x) => x.group === group && x.version === version && x.resource === resource);
  }

  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return RESOURCES.find((x) => groupVersion(x) === apiVersion && x.kind === kind);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.enabled().some((x) => x.group === group && x.version === version);
  }

  coreVersions(serverAddress: string): object {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  private groupDoc(group: string): object {
    const versions = [...new Set(this.enabled().filter((x) => x.group === group).map((x) => x.version))];
    const entries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
    return { name: group, versions: entries, preferredVersion: entries[0] };
  }

  groupList(): object {
    const groups = [...new Set(this.enabled().map((x) => x.group).filter((g) => g !== ''))];
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => this.groupDoc(g)) };
  }

  group(group: string): object | undefined {
    if (!this.enabled().some((x) => x.group === group)) return undefined;
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.groupDoc(group) };
  }

  resourceList(group: string, version: string): object | undefined {
    const infos = this.enabled().filter((x) => x.group === group && x.version === version);
    if (infos.length === 0) return undefined;
    const resources: object[] = [];
    // Sorted by name like the API server; `deployments` must precede `deployments/status`
    // because clients pick the first entry whose kind matches.
    for (const x of [...infos].sort((a, b) => a.resource.localeCompare(b.resource))) {
      const base = { namespaced: x.namespaced, kind: x.kind };
      resources.push({
        name: x.resource,
        singularName: x.singular,
        ...base,
        verbs: x.verbs,
        ...(x.shortNames ? { shortNames: x.shortNames } : {}),
        ...(x.categories ? { categories: x.categories } : {}),
      });
      if (x.log) resources.push({ name: `${x.resource}/log`, singularName: '', ...base, verbs: ['get'] });
      if (x.scale) {
        resources.push({
          name: `${x.resource}/scale`,
          singularName: '',
          namespaced: x.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        });
      }
      if (x.status) resources.push({ name: `${x.resource}/status`, singularName: '', ...base, verbs: ['get', 'patch', 'update'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
  }
}
