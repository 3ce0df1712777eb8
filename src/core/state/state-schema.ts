import { z } from 'zod';

/**
 * `.sealos/state.json`: what is deployed, and every release that got it there.
 *
 * Shape-compatible with the Sealos plugin (labring/sealos-skills `state.schema.json`, `version: "1.0"`):
 * the same `last_deploy`, `history`, `runtime_truth` and `provenance` keys with the same meaning, so
 * Canvas and existing users keep working. Also reads the plugin's v2.0.0 variant (`last_deploy.url`
 * optional, `last_deploy.services`). Our additions are optional keys (per-release `migrations_digest`,
 * `git_commit`, `template_digest`, `backup`) and two history actions the plugin lacks: `update`
 * (full template re-apply) and `rollback`.
 * Objects are loose: keys written by a newer plugin survive our rewrite instead of being dropped.
 */
export const STATE_VERSION = '1.0';

const isoTime = z.iso.datetime({ offset: true });
const nonEmpty = z.string().min(1);
const httpsUrl = z.string().regex(/^https:\/\//, 'must start with https://');
/** Repo-relative, no absolute paths, no `..` segments (same rule as the plugin). */
const repoPath = z.string().regex(/^(?!\/)(?![A-Za-z]:)(?!.*(?:^|\/)\.\.(?:\/|$)).+$/, 'must be a repo-relative path');
const status = z.enum(['success', 'failed']);
const redaction = z.enum(['complete', 'not_applicable']);

/** A KubeBlocks Backup taken before a schema-changing release. */
export const ReleaseBackupSchema = z.looseObject({
  name: nonEmpty,
  created_at: isoTime,
  /** KubeBlocks `status.phase`: Completed, Running, Failed, Deleting (or New before the controller acts). */
  phase: nonEmpty,
});
export type ReleaseBackup = z.infer<typeof ReleaseBackupSchema>;

/** Keys every history entry may carry; ours are optional so plugin entries parse unchanged. */
const entryBase = {
  at: isoTime,
  status,
  note: nonEmpty.optional(),
  /** sha256 over the migration files (paths + contents) of the release; lets rollback see schema changes. */
  migrations_digest: nonEmpty.optional(),
  git_commit: nonEmpty.optional(),
  /** sha256 of `.sealos/template/index.yaml` as applied. */
  template_digest: nonEmpty.optional(),
  backup: ReleaseBackupSchema.optional(),
  /** Digest of the accepted Runtime Truth report that allowed this entry. */
  truth_digest: nonEmpty.optional(),
};

export const DeployEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('deploy'),
  image: nonEmpty,
  /** `adopted`: recorded from the live cluster by discovery or state repair, not deployed by us. */
  method: z.enum(['template-api', 'kubectl-apply', 'server-side-apply', 'adopted']),
});
export const SetImageEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('set-image'),
  previous_image: nonEmpty,
  image: nonEmpty,
  method: z.literal('kubectl-set-image'),
});
export const SetEnvEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('set-env'),
  changes: z.array(nonEmpty).min(1),
  method: z.literal('kubectl-set-env'),
});
export const PatchEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('patch'),
  changes: z.array(nonEmpty).min(1),
  method: z.literal('kubectl-patch'),
});
export const RestartEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('restart'),
  method: z.literal('kubectl-rollout-restart'),
});
/** Ours: the whole template re-applied (env, ports, resources and image). */
export const UpdateEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('update'),
  previous_image: nonEmpty,
  image: nonEmpty,
  template_digest: nonEmpty,
  method: z.enum(['server-side-apply', 'template-api']),
});
/** Ours: back to an image from history. */
export const RollbackEntrySchema = z.looseObject({
  ...entryBase,
  action: z.literal('rollback'),
  from_image: nonEmpty,
  to_image: nonEmpty,
  reason: nonEmpty,
  /** Name of the KubeBlocks Backup the user restored or relied on, when the rollback crossed migrations. */
  backup_ref: nonEmpty.optional(),
  method: z.enum(['server-side-apply', 'template-api']).optional(),
});

export const HistoryEntrySchema = z.discriminatedUnion('action', [
  DeployEntrySchema,
  SetImageEntrySchema,
  SetEnvEntrySchema,
  PatchEntrySchema,
  RestartEntrySchema,
  UpdateEntrySchema,
  RollbackEntrySchema,
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type HistoryAction = HistoryEntry['action'];

/** v2.0.0 plugin: one record per service for multi-service UPDATE. */
export const ServiceRecordSchema = z.looseObject({
  workload: nonEmpty,
  container: nonEmpty.optional(),
  image: nonEmpty,
});

export const LastDeploySchema = z.looseObject({
  app_name: nonEmpty,
  app_host: nonEmpty,
  namespace: nonEmpty,
  /** Control-plane host such as `usw-1.sealos.io` (not the app domain). */
  region: z.string().regex(/^[a-z0-9.-]+$/, 'must be a region host like usw-1.sealos.io'),
  image: nonEmpty,
  docker_hub_user: nonEmpty.nullable(),
  repo_name: nonEmpty,
  /** The verified live URL; optional in the v2.0.0 variant and for private apps. */
  url: httpsUrl.optional(),
  deployed_at: isoTime,
  last_updated_at: isoTime,
  services: z.record(z.string(), ServiceRecordSchema).optional(),
  /** Ours: Deployment or StatefulSet, so UPDATE and rollback address the right workload. */
  workload_kind: z.enum(['Deployment', 'StatefulSet']).optional(),
});
export type LastDeploy = z.infer<typeof LastDeploySchema>;

export const RuntimeTruthSummarySchema = z.looseObject({
  status: z.enum(['verified', 'pending', 'failed']),
  captured_at: isoTime,
  identity: z.looseObject({
    app_name: nonEmpty,
    namespace: nonEmpty,
    image: nonEmpty,
    url: httpsUrl.optional(),
  }),
  evidence_paths: z.array(repoPath).min(1),
  redaction_status: redaction,
  stability_window_seconds: z.number().int().min(0),
  checks: z.array(nonEmpty).optional(),
  /** Ours: digest of the report, so the summary can be tied to `.sealos/runtime-truth.json`. */
  digest: nonEmpty.optional(),
});
export type RuntimeTruthSummary = z.infer<typeof RuntimeTruthSummarySchema>;

export const ProvenanceSchema = z.looseObject({
  source: nonEmpty,
  owner: nonEmpty,
  artifact_paths: z.array(repoPath).min(1),
  redaction_status: redaction,
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const DeployStateSchema = z.looseObject({
  /** "1.0" (plugin main and us) or "2.x" (plugin v2.0.0 branch); a newer major is refused. */
  version: z.string().regex(/^[12]\.\d+$/, 'unsupported state version (expected "1.0" or "2.x")'),
  last_deploy: LastDeploySchema,
  history: z.array(HistoryEntrySchema).min(1),
  runtime_truth: RuntimeTruthSummarySchema.optional(),
  provenance: ProvenanceSchema.optional(),
});
export type DeployState = z.infer<typeof DeployStateSchema>;

/** Entry kinds that change the running image, and the image they leave running. */
export function imageSetBy(entry: HistoryEntry): string | null {
  switch (entry.action) {
    case 'deploy':
    case 'set-image':
    case 'update':
      return entry.image;
    case 'rollback':
      return entry.to_image;
    default:
      return null;
  }
}

/** Zod issues as one line each: `history[3].image: Too small…`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${i.message}`;
  });
}
