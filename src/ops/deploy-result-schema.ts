import { z } from 'zod';
import { ReleaseBackupSchema } from '../core/state/state-schema.js';

/**
 * `.sealos/deploy-result.json`: what the last successful apply left running, so `record` (after the
 * Truth Pass accepts it) knows the action, the previous image and the release's digests. No secrets.
 */
export const DEPLOY_RESULT_PATH = '.sealos/deploy-result.json';
export const DEPLOY_RESULT_SCHEMA_VERSION = 1;

export const DeployResultSchema = z.object({
  schema_version: z.literal(DEPLOY_RESULT_SCHEMA_VERSION),
  action: z.enum(['deploy', 'update', 'rollback']),
  method: z.enum(['server-side-apply', 'template-api']),
  app_name: z.string().min(1),
  app_host: z.string().min(1),
  namespace: z.string().min(1),
  /** Control-plane host of the kubeconfig server. */
  region: z.string().min(1),
  repo_name: z.string().min(1),
  docker_hub_user: z.string().nullable(),
  workload_kind: z.enum(['Deployment', 'StatefulSet']),
  image: z.string().min(1),
  previous_image: z.string().nullable(),
  url: z.string().nullable(),
  template_digest: z.string().min(1),
  migrations_digest: z.string().nullable(),
  git_commit: z.string().nullable(),
  backup: ReleaseBackupSchema.nullable(),
  /** Rollback only: why, and the backup the user restored or relied on. */
  rollback_reason: z.string().nullable(),
  backup_ref: z.string().nullable(),
  plan_id: z.string(),
  finished_at: z.string(),
  /** Set by `record` once the release is in state.json, so it is never recorded twice. */
  recorded_at: z.string().nullable(),
});
export type DeployResult = z.infer<typeof DeployResultSchema>;
