/**
 * Errors are values with a stable code, a human message and a next step.
 * Tools return them as `isError` results; the CLI prints them and exits non-zero.
 * Codes are part of the public contract: add new ones freely, never rename.
 */
export type ErrorCode =
  // analysis
  | 'PROJECT_NOT_FOUND'
  | 'PACKAGE_JSON_MISSING'
  | 'PACKAGE_JSON_INVALID'
  | 'UNIT_REQUIRED'
  | 'UNIT_NOT_FOUND'
  | 'CONFIG_INVALID'
  // artifacts and state
  | 'ARTIFACT_MISSING'
  | 'ARTIFACT_INVALID'
  | 'ARTIFACT_STALE'
  | 'STATE_CORRUPT'
  | 'STATE_LOCKED'
  | 'STATE_LIVE_MISMATCH'
  | 'TRUTH_NOT_ACCEPTED'
  | 'TRUTH_IDENTITY_MISMATCH'
  // template and image
  | 'TEMPLATE_INVALID'
  | 'TEMPLATE_EXPRESSION'
  | 'INPUT_MISSING'
  | 'IMAGE_TAG_LATEST'
  | 'IMAGE_REF_INVALID'
  | 'IMAGE_NOT_FOUND'
  | 'IMAGE_PLATFORM_MISSING'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_AUTH'
  | 'DOCKER_UNAVAILABLE'
  | 'BUILD_FAILED'
  | 'NOT_DEPLOYABLE'
  // cluster
  | 'KUBECONFIG_MISSING'
  | 'KUBECONFIG_INVALID'
  | 'CLUSTER_UNREACHABLE'
  | 'CLUSTER_TLS'
  | 'AUTH_EXPIRED'
  | 'NAMESPACE_FORBIDDEN'
  | 'CLUSTER_CONFLICT'
  | 'CLUSTER_ERROR'
  | 'QUOTA_EXCEEDED'
  | 'ROLLOUT_TIMEOUT'
  | 'ROLLOUT_CRASHLOOP'
  | 'ROLLOUT_IMAGE_PULL'
  | 'ROLLOUT_OOM'
  | 'ROLLOUT_UNSCHEDULABLE'
  | 'ROLLOUT_PROBE_FAILED'
  | 'ROLLOUT_DB_NOT_READY'
  | 'ROLLBACK_NO_TARGET'
  | 'ROLLBACK_NEEDS_DB_ACK'
  | 'CONFIRMATION_REQUIRED'
  | 'PLAN_MISMATCH'
  | 'BACKUP_FAILED'
  // local rehearsal / runtime
  | 'REHEARSAL_SETUP_FAILED'
  | 'GIT_UNAVAILABLE'
  | 'TIMEOUT'
  | 'CANCELLED'
  // HTTP probes (src/system/http.ts)
  | 'CONNECTION_FAILED'
  | 'TLS_INVALID'
  // sealos region
  | 'REGION_UNREACHABLE'
  | 'LOGIN_DENIED'
  | 'LOGIN_EXPIRED'
  | 'LOGIN_TIMEOUT'
  | 'TEMPLATE_API_ERROR'
  | 'WORKSPACE_NOT_FOUND'
  | 'LOGIN_REQUIRED'
  | 'REGION_API_ERROR'
  // generic
  | 'USAGE'
  | 'INTERNAL';

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  next: string;
  details?: Record<string, unknown>;
}

export class DeployError extends Error {
  readonly code: ErrorCode;
  readonly next: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, next: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DeployError';
    this.code = code;
    this.next = next;
    this.details = details;
  }

  toJSON(): ErrorPayload {
    return { code: this.code, message: this.message, next: this.next, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isDeployError(err: unknown): err is DeployError {
  return err instanceof DeployError;
}

/** Any thrown value as a payload; unknown errors become INTERNAL with the message kept (no stack). */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (isDeployError(err)) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'INTERNAL',
    message: `Unexpected failure: ${message}`,
    next: 'Re-run with --json and report the message; nothing was changed by the failed step.',
  };
}
