import { join, resolve } from 'node:path';
import { discoverAppDomain } from '../cluster/app-domain.js';
import type { AppliedObject } from '../cluster/instance.js';
import type { PlannedChange } from '../cluster/plan.js';
import type { RolloutResult } from '../cluster/rollout.js';
import { DeployError, isDeployError } from '../core/errors.js';
import type { ModeDecision } from '../core/mode/decide.js';
import { decideMode } from './deploy-mode.js';
import { noProgress, systemClock, type Clock, type ProgressFn } from '../core/ports.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { planRollback, type RollbackPlan } from '../core/rollback/plan.js';
import { releasesOf } from '../core/state/history.js';
import { readState } from '../core/state/store.js';
import { nodeStateIo } from '../system/atomic-file.js';
import { openCluster, regionHost, type ClusterOptions } from './cluster-context.js';
import { applyPrepared, liveUrl, waitReleaseRollout } from './deploy-apply.js';
import { dockerHubUser, loadAnalysisIfPresent, loadTemplate, repoName, templateDigest } from './deploy-artifacts.js';
import { planRelease, prepareRelease, reuseLiveInputs } from './deploy-prepare.js';
import { recordFailedAttempt, writeDeployResult } from './deploy.js';

export interface RollbackOpts extends ClusterOptions {
  /** An image from history; default: the previous successful image. */
  to?: string;
  acknowledgeForwardRepair?: boolean;
  confirm?: boolean;
  planId?: string;
  reason?: string;
  /** Template inputs (secrets), the same ones the release was deployed with. */
  inputs?: Record<string, string>;
  domain?: string;
  timeoutMs?: number;
  pollMs?: number;
  clock?: Clock;
  progress?: ProgressFn;
  redactor?: Redactor;
  signal?: AbortSignal;
}

export interface RollbackPlanView extends RollbackPlan {
  app_name: string;
  namespace: string;
  changes: PlannedChange[];
  summary: string;
  plan_id: string;
}

export type RollbackOutcome =
  | { outcome: 'stopped'; mode: 'STOP'; decision: ModeDecision; next: string }
  | { outcome: 'planned'; plan: RollbackPlanView; next: string }
  | { outcome: 'applied'; app_name: string; namespace: string; from: string; to: string; url: string | null; plan_id: string; applied: AppliedObject[]; rollout: RolloutResult; next: string };

export const ROLLBACK_NEXT = 'run sealos-deploy verify, then sealos-deploy record (it writes the rollback to history)';

/**
 * Roll back to an image from history: plan first (with the database guard of `planRollback`), then,
 * with confirm, re-apply the current template with the target image under the running identity,
 * and wait. The rollback is recorded only after the Truth Pass accepts it (`record`).
 */
export async function rollback(dirArg: string, opts: RollbackOpts = {}): Promise<RollbackOutcome> {
  const dir = resolve(dirArg);
  const sealosDir = join(dir, '.sealos');
  const redactor = opts.redactor ?? createRedactor();
  const inputs = opts.inputs ?? {};
  for (const v of Object.values(inputs)) redactor.add(v);
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const state = await readState(sealosDir, nodeStateIo());
  if (!state) throw new DeployError('ROLLBACK_NO_TARGET', 'There is no .sealos/state.json, so there is no recorded release to roll back to.', 'Deploy and record a release first; rollback needs a history of accepted releases.');
  const cluster = openCluster(opts);
  const decision = await decideMode({ state, live: cluster.live, namespace: cluster.namespace });
  if (decision.mode === 'STOP') return { outcome: 'stopped', mode: 'STOP', decision, next: 'The live app does not match state.json; pick a repair option before rolling back. Nothing was changed.' };

  // UPDATE here may mean a failed update left its image running (we never roll back on our own).
  const running = decision.identity?.image;
  const rp = planRollback(state, { ...(opts.to ? { to: opts.to } : {}), ...(running ? { running } : {}), acknowledgeForwardRepair: opts.acknowledgeForwardRepair === true });
  const ld = state.last_deploy;
  const template = await loadTemplate(dir);
  const rendered = template.images[0]!;
  const domain = await discoverAppDomain(cluster.res, { ...(opts.domain ? { override: opts.domain } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}) });
  const reuse = await reuseLiveInputs(cluster.res, template, { ...(ld.workload_kind ? { kind: ld.workload_kind } : {}), name: ld.app_name }, inputs, redactor);
  const prepared = await prepareRelease({ template, namespace: cluster.namespace, domain, inputs: reuse.inputs, identity: { app_name: ld.app_name, app_host: ld.app_host }, image: { from: rendered, to: rp.to } });
  const planned = await planRelease(cluster.res, prepared, [], redactor);
  const target = releasesOf(state.history, rp.to)[0]?.entry;
  const warnings = [...rp.warnings];
  if (reuse.reused.length) warnings.push(`Inputs not given again keep the values the running release uses: ${reuse.reused.join(', ')}.`);
  // The same template but for the image (every release renders its own image) is no change worth a warning.
  const was = target?.template_digest;
  if (was && was !== template.digest && was !== templateDigest(template.text.split(rendered).join(rp.to))) {
    warnings.push(`The template changed since ${rp.to} was released: the rollback runs the old image with the current template (env, ports, resources, probes).`);
  }
  const view: RollbackPlanView = { ...rp, warnings, app_name: ld.app_name, namespace: cluster.namespace, changes: planned.plan.changes, summary: planned.plan.summary, plan_id: planned.plan_id };
  if (!opts.confirm) return { outcome: 'planned', plan: redactor.redactDeep(view), next: `Review the plan, then re-run with --confirm --plan-id ${planned.plan_id}.` };
  if (opts.planId !== undefined && opts.planId !== planned.plan_id) {
    throw new DeployError('PLAN_MISMATCH', `The rollback plan changed since you reviewed it (reviewed ${opts.planId}, now ${planned.plan_id}).`, 'Re-run without --confirm to see the current plan, then confirm its plan id.');
  }
  const reason = opts.reason ?? `rollback from ${rp.from} to ${rp.to} requested by the user`;
  const fail = async (err: unknown, stage: string): Promise<never> => {
    const note = await recordFailedAttempt(sealosDir, { action: 'rollback', to_image: rp.to, from_image: rp.from, reason: `${reason} (${stage} failed: ${isDeployError(err) ? err.code : 'INTERNAL'})` }, clock);
    const e = isDeployError(err) ? err : new DeployError('INTERNAL', `Unexpected failure: ${(err as Error).message}`, 'Re-run with --json and report the message.');
    throw new DeployError(e.code, redactor.redact(e.message), `${e.next} The rollback did not complete; run \`sealos-deploy status\` and decide whether to retry or deploy a fix.`, redactor.redactDeep({ ...(e.details ?? {}), stage, recorded_failure: !note, ...(note ? { state_note: note } : {}) }));
  };
  let applied: AppliedObject[];
  try {
    applied = (await applyPrepared(cluster.res, prepared, [], progress)).applied;
  } catch (err) {
    return fail(err, 'apply');
  }
  let rollout: RolloutResult;
  try {
    rollout = await waitReleaseRollout(cluster.res, prepared, { timeoutMs: opts.timeoutMs ?? 300_000, pollMs: opts.pollMs ?? 1000, clock, progress: (m, p, t) => progress(redactor.redact(m), p, t), ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    return fail(err, 'rollout');
  }
  const url = await liveUrl(cluster.res, ld.app_name);
  const analysis = await loadAnalysisIfPresent(dir);
  await writeDeployResult(dir, {
    action: 'rollback',
    method: 'server-side-apply',
    app_name: ld.app_name,
    app_host: ld.app_host,
    namespace: cluster.namespace,
    region: ld.region || regionHost(cluster.config.server),
    repo_name: ld.repo_name || repoName(dir, analysis),
    docker_hub_user: dockerHubUser(rp.to),
    workload_kind: prepared.workload.kind,
    image: rp.to,
    previous_image: rp.from,
    url,
    template_digest: template.digest,
    migrations_digest: target?.migrations_digest ?? null,
    git_commit: target?.git_commit ?? null,
    backup: null,
    rollback_reason: reason,
    backup_ref: rp.backup?.name ?? null,
    plan_id: planned.plan_id,
    finished_at: clock.now().toISOString(),
  });
  return { outcome: 'applied', app_name: ld.app_name, namespace: cluster.namespace, from: rp.from, to: rp.to, url, plan_id: planned.plan_id, applied, rollout, next: ROLLBACK_NEXT };
}
