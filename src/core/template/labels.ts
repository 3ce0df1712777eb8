/** Label and annotation keys App Launchpad and the Template provider read (reference §4.1). */
export const APP_DEPLOY_MANAGER = 'cloud.sealos.io/app-deploy-manager';
export const APP_DEPLOY_MANAGER_DOMAIN = 'cloud.sealos.io/app-deploy-manager-domain';
export const DEPLOY_ON_SEALOS_LABEL = 'cloud.sealos.io/deploy-on-sealos';
export const MIN_REPLICAS = 'deploy.cloud.sealos.io/minReplicas';
export const MAX_REPLICAS = 'deploy.cloud.sealos.io/maxReplicas';
export const ORIGIN_IMAGE = 'originImageName';
export const DB_PROVIDER_CR = 'sealos-db-provider-cr';
/** Our own annotation: the migration command the init container runs before the app starts. */
export const MIGRATION_ANNOTATION = 'sealos-deploy/migration-command';

/** The shape every manifest shares; the rest is kind-specific. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}
