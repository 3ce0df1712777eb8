/**
 * kubernetes-models classes by `apiVersion/kind`, loaded lazily: each class carries a compiled JSON
 * schema, so only the kinds a template uses are loaded.
 */

export interface ModelInstance {
  validate(): void;
}
export type ModelClass = new (data: Record<string, unknown>) => ModelInstance;

type Loader = () => Promise<ModelClass>;

const c = (p: Promise<unknown>, name: string): Promise<ModelClass> => p.then((m) => (m as Record<string, ModelClass>)[name] as ModelClass);

export const BUILT_IN_MODELS: Record<string, Loader> = {
  'v1/ServiceAccount': () => c(import('kubernetes-models/v1/ServiceAccount'), 'ServiceAccount'),
  'v1/Service': () => c(import('kubernetes-models/v1/Service'), 'Service'),
  'v1/ConfigMap': () => c(import('kubernetes-models/v1/ConfigMap'), 'ConfigMap'),
  'v1/Secret': () => c(import('kubernetes-models/v1/Secret'), 'Secret'),
  'v1/PersistentVolumeClaim': () => c(import('kubernetes-models/v1/PersistentVolumeClaim'), 'PersistentVolumeClaim'),
  'rbac.authorization.k8s.io/v1/Role': () => c(import('kubernetes-models/rbac.authorization.k8s.io/v1/Role'), 'Role'),
  'rbac.authorization.k8s.io/v1/RoleBinding': () => c(import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'), 'RoleBinding'),
  'apps/v1/Deployment': () => c(import('kubernetes-models/apps/v1/Deployment'), 'Deployment'),
  'apps/v1/StatefulSet': () => c(import('kubernetes-models/apps/v1/StatefulSet'), 'StatefulSet'),
  'batch/v1/Job': () => c(import('kubernetes-models/batch/v1/Job'), 'Job'),
  'batch/v1/CronJob': () => c(import('kubernetes-models/batch/v1/CronJob'), 'CronJob'),
  'networking.k8s.io/v1/Ingress': () => c(import('kubernetes-models/networking.k8s.io/v1/Ingress'), 'Ingress'),
  'autoscaling/v2/HorizontalPodAutoscaler': () => c(import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'), 'HorizontalPodAutoscaler'),
};

const loaded = new Map<string, Promise<ModelClass>>();

export function loadModel(key: string): Promise<ModelClass> | null {
  const loader = BUILT_IN_MODELS[key];
  if (!loader) return null;
  let p = loaded.get(key);
  if (!p) {
    p = loader();
    loaded.set(key, p);
  }
  return p;
}
