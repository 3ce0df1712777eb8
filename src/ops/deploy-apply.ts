import { applyWithInstance, type AppliedObject } from '../cluster/instance.js';
import type { KubeObject, Resources } from '../cluster/resources.js';
import { waitForRollout, type RolloutResult } from '../cluster/rollout.js';
import { DeployError, isDeployError } from '../core/errors.js';
import { noProgress, systemClock, type Clock, type ProgressFn } from '../core/ports.js';
import type { KubeBlocksBackup } from '../core/rollback/backup.js';
import type { ReleaseBackup } from '../core/state/state-schema.js';
import type { PreparedRelease } from './deploy-prepare.js';

export interface WaitOptions {
  timeoutMs?: number;
  pollMs?: number;
  clock?: Clock;
  progress?: ProgressFn;
  signal?: AbortSignal;
}

/**
 * Create the pre-release KubeBlocks Backup and wait for `Completed`. A Failed backup or a timeout
 * stops the release before anything else is applied.
 */
export async function takeBackup(res: Resources, backup: KubeBlocksBackup, opts: WaitOptions = {}): Promise<ReleaseBackup> {
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const started = clock.now().getTime();
  const created = await res.apply(backup as unknown as KubeObject);
  const created_at = created.metadata.creationTimestamp ?? clock.now().toISOString();
  const escape = 'Retry later, check the database in the Sealos console, or skip the backup knowingly with --skip-backup --acknowledge-forward-repair (a later rollback then cannot restore the old schema).';
  for (;;) {
    const b = await res.get<KubeObject & { status?: { phase?: string; failureReason?: string } }>(backup.apiVersion, backup.kind, backup.metadata.name);
    const phase = b?.status?.phase ?? 'New';
    if (phase === 'Completed') return { name: backup.metadata.name, created_at, phase };
    if (phase === 'Failed') {
      throw new DeployError('BACKUP_FAILED', `The database backup ${backup.metadata.name} failed${b?.status?.failureReason ? `: ${b.status.failureReason}` : ''}; the release was not applied.`, escape, { backup: backup.metadata.name, phase });
    }
    const elapsed = clock.now().getTime() - started;
    if (elapsed >= timeoutMs) {
      throw new DeployError('BACKUP_FAILED', `The database backup ${backup.metadata.name} did not complete in ${Math.round(elapsed / 1000)} s (phase ${phase}); the release was not applied.`, escape, { backup: backup.metadata.name, phase });
    }
    progress(`backup ${backup.metadata.name}: ${phase}`, elapsed, timeoutMs);
    await clock.sleep(opts.pollMs ?? 1000, opts.signal).catch(() => undefined);
  }
}

/** Apply (Instance first, then `extra` such as the pull Secret, then the template's objects). */
export async function applyPrepared(res: Resources, prepared: PreparedRelease, extra: KubeObject[], progress: ProgressFn = noProgress): Promise<{ instance_uid: string; applied: AppliedObject[] }> {
  try {
    return await applyWithInstance(res, prepared.instance, [...extra, ...prepared.objects], (a) => progress(`applied ${a.kind} ${a.name}`));
  } catch (err) {
    const applied = (err as { applied?: AppliedObject[] }).applied ?? [];
    const total = 1 + extra.length + prepared.objects.length;
    const base = isDeployError(err) ? err : new DeployError('INTERNAL', `Apply failed: ${(err as Error).message}`, 'Re-run the deploy.');
    const where = applied.length ? `${applied.length} of ${total} objects were applied (${applied.map((a) => `${a.kind} ${a.name}`).join(', ')}) before it stopped` : 'nothing was applied';
    throw new DeployError(base.code, `${base.message} (${where}).`, `${base.next} Re-running the deploy is safe: server-side apply converges the objects already applied.`, { ...(base.details ?? {}), applied });
  }
}

/** Wait for the workload (and its database) to be ready; the error names the cause in plain words. */
export async function waitReleaseRollout(res: Resources, prepared: PreparedRelease, opts: WaitOptions = {}): Promise<RolloutResult> {
  return waitForRollout(res, { kind: prepared.workload.kind, name: prepared.workload.name, database: prepared.database, healthPath: prepared.health_path }, opts);
}

/** The URL the cluster serves the app on: the live App CR `spec.data.url`, else the live Ingress host. */
export async function liveUrl(res: Resources, appName: string): Promise<string | null> {
  if ((await res.served('app.sealos.io/v1'))?.some((r) => r.kind === 'App')) {
    const app = await res.get<KubeObject & { spec?: { data?: { url?: string } } }>('app.sealos.io/v1', 'App', appName);
    if (app?.spec?.data?.url) return app.spec.data.url;
  }
  const ings = await res.list<KubeObject & { spec?: { rules?: Array<{ host?: string }> } }>('networking.k8s.io/v1', 'Ingress', { labelSelector: `cloud.sealos.io/app-deploy-manager=${appName}` });
  const host = ings.flatMap((i) => i.spec?.rules ?? []).find((r) => r.host)?.host;
  return host ? `https://${host}` : null;
}
