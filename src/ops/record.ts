import { join, resolve } from 'node:path';
import { DeployError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/ports.js';
import { previewStateRepair, type StateRepairPreview } from '../core/mode/repair.js';
import { RuntimeTruthReportSchema, type RuntimeTruthReport } from '../core/state/runtime-truth-schema.js';
import type { DeployState } from '../core/state/state-schema.js';
import { ensureSealosGitignore, recordRelease, replaceState, type ReleaseInput, type ReleaseMeta } from '../core/state/store.js';
import { nodeStateIo, readTextIfExists, writeFileAtomic } from '../system/atomic-file.js';
import { openCluster, regionHost, type ClusterOptions } from './cluster-context.js';
import { loadAnalysisIfPresent, repoName } from './deploy-artifacts.js';
import { readDeployResultIfAny } from './deploy-result-file.js';
import { DEPLOY_RESULT_PATH, type DeployResult } from './deploy-result-schema.js';
import { ARTIFACTS } from './paths.js';

export interface RecordOptions extends ClusterOptions {
  clock?: Clock;
  /** Rebuild last_deploy from the live cluster instead of recording a release. */
  repairFromLive?: boolean;
  /** With repairFromLive: which app (default: the one state.json names). */
  app?: string;
  confirm?: boolean;
}

export type RecordOutcome =
  | { outcome: 'recorded'; action: DeployResult['action']; app_name: string; image: string; url: string | null; path: string; backup_path: string | null; state: DeployState }
  | { outcome: 'repair-planned'; preview: StateRepairPreview; next: string }
  | { outcome: 'repaired'; path: string; archived_path: string | null; state: DeployState };

async function readJson(path: string, label: string, missing: DeployError): Promise<unknown> {
  const text = await readTextIfExists(path);
  if (text === null) throw missing;
  try {
    return JSON.parse(text);
  } catch {
    throw new DeployError('ARTIFACT_INVALID', `${label} is not valid JSON.`, `Re-create it (never edit it by hand).`);
  }
}

async function readTruth(dir: string): Promise<RuntimeTruthReport> {
  const raw = await readJson(
    join(dir, ARTIFACTS.runtimeTruth),
    ARTIFACTS.runtimeTruth,
    new DeployError('TRUTH_NOT_ACCEPTED', `There is no ${ARTIFACTS.runtimeTruth}: state is recorded only after the Truth Pass accepts the live app.`, 'Run sealos-deploy verify, then record.'),
  );
  const parsed = RuntimeTruthReportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeployError('TRUTH_NOT_ACCEPTED', `${ARTIFACTS.runtimeTruth} is not a valid Runtime Truth report (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}).`, 'Re-run sealos-deploy verify; never edit the report by hand.');
  }
  return parsed.data;
}

export async function readDeployResult(dir: string): Promise<DeployResult> {
  const dr = await readDeployResultIfAny(dir);
  if (!dr) throw new DeployError('ARTIFACT_MISSING', `There is no ${DEPLOY_RESULT_PATH}: nothing was deployed from this checkout yet.`, 'Run sealos-deploy deploy --confirm (or rollback --confirm), then verify, then record.');
  return dr;
}

/** The release `record` writes for a deploy result: deploy, update or rollback. */
export function releaseInputFor(dr: DeployResult): ReleaseInput {
  const meta: ReleaseMeta = { template_digest: dr.template_digest };
  if (dr.migrations_digest) meta.migrations_digest = dr.migrations_digest;
  if (dr.git_commit) meta.git_commit = dr.git_commit;
  if (dr.backup) meta.backup = dr.backup;
  if (dr.action === 'deploy') {
    return {
      action: 'deploy',
      target: { app_name: dr.app_name, app_host: dr.app_host, namespace: dr.namespace, region: dr.region, repo_name: dr.repo_name, docker_hub_user: dr.docker_hub_user, url: dr.url, workload_kind: dr.workload_kind },
      image: dr.image,
      method: dr.method,
      ...meta,
    };
  }
  if (dr.action === 'update') return { action: 'update', image: dr.image, template_digest: dr.template_digest, url: dr.url, method: dr.method, ...meta };
  return { action: 'rollback', to_image: dr.image, ...(dr.previous_image ? { from_image: dr.previous_image } : {}), reason: dr.rollback_reason ?? `rollback to ${dr.image}`, ...(dr.backup_ref ? { backup_ref: dr.backup_ref } : {}), method: dr.method, ...meta };
}

/**
 * Record the last deploy/update/rollback in `.sealos/state.json`, only when `.sealos/runtime-truth.json`
 * is a schema-valid, digest-verified, accepted cluster report about exactly that release. Or, with
 * `repairFromLive`, rebuild last_deploy from the live cluster (shown first, written on confirm).
 */
export async function recordState(dirArg: string, opts: RecordOptions = {}): Promise<RecordOutcome> {
  const dir = resolve(dirArg);
  const sealosDir = join(dir, '.sealos');
  const clock = opts.clock ?? systemClock;
  const io = nodeStateIo();
  if (opts.repairFromLive) {
    const cluster = openCluster(opts);
    const analysis = await loadAnalysisIfPresent(dir);
    const preview = await previewStateRepair({
      sealosDir,
      io,
      live: cluster.live,
      namespace: cluster.namespace,
      ...(opts.app ? { appName: opts.app } : {}),
      context: { region: regionHost(cluster.config.server), repo_name: repoName(dir, analysis), now: clock.now() },
    });
    if (!opts.confirm) return { outcome: 'repair-planned', preview, next: `Review the changes, then re-run with --repair-from-live${opts.app ? ` --app ${opts.app}` : ''} --confirm.` };
    const r = await replaceState(sealosDir, preview.next, { io, clock, confirm: true });
    await ensureSealosGitignore(sealosDir, io);
    return { outcome: 'repaired', path: r.path, archived_path: r.archived_path, state: r.state };
  }

  const dr = await readDeployResult(dir);
  if (dr.recorded_at) {
    throw new DeployError('ARTIFACT_STALE', `The ${dr.action} of ${dr.image} was already recorded at ${dr.recorded_at}.`, 'Deploy, update or roll back again before recording; state.json already has this release.');
  }
  const truth = await readTruth(dir);
  const truthStart = Date.parse(truth.started_at);
  if (Number.isFinite(truthStart) && truthStart < Date.parse(dr.finished_at)) {
    throw new DeployError('TRUTH_NOT_ACCEPTED', `${ARTIFACTS.runtimeTruth} was produced (${truth.started_at}) before this ${dr.action} finished (${dr.finished_at}); it describes an earlier release.`, 'Run sealos-deploy verify against the release now live, then record.');
  }
  const r = await recordRelease(sealosDir, releaseInputFor(dr), truth, { io, clock, truthPath: ARTIFACTS.runtimeTruth });
  await ensureSealosGitignore(sealosDir, io);
  await writeFileAtomic(join(dir, DEPLOY_RESULT_PATH), JSON.stringify({ ...dr, recorded_at: clock.now().toISOString() }, null, 2) + '\n');
  return { outcome: 'recorded', action: dr.action, app_name: dr.app_name, image: dr.image, url: dr.url, path: r.path, backup_path: r.backup_path, state: r.state };
}
