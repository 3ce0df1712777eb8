import { createHash } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { discoverAppDomain, type AppDomain } from '../cluster/app-domain.js';
import type { AppliedObject } from '../cluster/instance.js';
import { pullSecretObject, referencedPullSecrets, registryOf } from '../cluster/pull-secret.js';
import type { KubeObject } from '../cluster/resources.js';
import type { RolloutResult } from '../cluster/rollout.js';
import type { PlannedChange } from '../cluster/plan.js';
import type { QuotaCheck } from '../cluster/quota.js';
import { DeployError, isDeployError } from '../core/errors.js';
import type { ModeDecision } from '../core/mode/decide.js';
import { decideMode } from './deploy-mode.js';
import { noProgress, systemClock, type Clock, type ProgressFn } from '../core/ports.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { planBackupBeforeRelease } from '../core/rollback/backup.js';
import type { DeployState, ReleaseBackup } from '../core/state/state-schema.js';
import { archiveState, corruptStateError, loadState, recordFailure } from '../core/state/store.js';
import { inputsUnsafeForTextSubstitution } from '../core/template/input-safety.js';
import { deliverTemplate, type DeliverTemplateResult } from '../sealos/template-api.js';
import { nodeStateIo, writeFileAtomic } from '../system/atomic-file.js';
import { openCluster, regionHost, type ClusterContext, type ClusterOptions } from './cluster-context.js';
import { applyPrepared, liveUrl, takeBackup, waitReleaseRollout } from './deploy-apply.js';
import { dockerHubUser, loadAnalysisIfPresent, loadBuildResult, loadTemplate, releaseMigrationsDigest, repoName, resolveImage, type TemplateArtifact } from './deploy-artifacts.js';
import { planRelease, prepareRelease, reuseLiveInputs, type PreparedRelease } from './deploy-prepare.js';
import { readPendingPlan, writePendingPlan, PENDING_PLAN_PATH } from './deploy-pending.js';
import { DEPLOY_RESULT_PATH, DEPLOY_RESULT_SCHEMA_VERSION, type DeployResult } from './deploy-result-schema.js';

export interface DeployOptions extends ClusterOptions {
  image?: string;
  /** Template input values (already collected; registered with the redactor here too). */
  inputs?: Record<string, string>;
  confirm?: boolean;
  /** The plan id the user reviewed; a different plan now is PLAN_MISMATCH. */
  planId?: string;
  /** Archive state.json and deploy a fresh instance next to the old one. */
  newInstance?: boolean;
  via?: 'direct' | 'template-api';
  /** Private image: the pull credential (from stdin or a file, never argv). */
  registryCredential?: { username: string; password: string };
  /** App domain when neither the namespace nor the region tells it. */
  domain?: string;
  timeoutMs?: number;
  pollMs?: number;
  backupTimeoutMs?: number;
  skipBackup?: boolean;
  acknowledgeForwardRepair?: boolean;
  progress?: ProgressFn;
  clock?: Clock;
  redactor?: Redactor;
  signal?: AbortSignal;
  /** Injected for tests (fake region); defaults to the real Template API client. */
  deliver?: typeof deliverTemplate;
}

export interface DeployPlanView {
  mode: 'DEPLOY' | 'UPDATE';
  via: 'direct' | 'template-api';
  reasons: string[];
  app_name: string;
  app_host: string;
  namespace: string;
  image: string;
  image_source: 'argument' | 'build-result' | 'template';
  previous_image: string | null;
  /** What the cluster runs now when it differs from previous_image (a failed update's image). */
  running_image: string | null;
  app_domain: { domain: string; cert_secret_name: string; source: string } | null;
  changes: PlannedChange[];
  summary: string;
  quota: QuotaCheck[];
  backup: { required: boolean; reason: string; name: string | null; skipped: boolean };
  pull_secret_status: 'create-or-refresh' | 'exists' | 'missing' | 'not-needed';
  warnings: string[];
  plan_id: string;
}

export type DeployOutcome =
  | { outcome: 'stopped'; mode: 'STOP'; decision: ModeDecision; next: string }
  | { outcome: 'planned'; plan: DeployPlanView; next: string }
  | {
      outcome: 'applied';
      mode: 'DEPLOY' | 'UPDATE';
      via: 'direct' | 'template-api';
      app_name: string;
      namespace: string;
      url: string | null;
      image: string;
      previous_image: string | null;
      plan_id: string;
      applied: AppliedObject[];
      rollout: RolloutResult;
      backup: ReleaseBackup | null;
      archived_state: string | null;
      notes: string[];
      next: string;
    };

export const VERIFY_NEXT = 'run sealos-deploy verify';
export const ROLLBACK_HINT = 'Nothing was rolled back automatically. To return to the previous release run `sealos-deploy rollback --confirm` (it shows its plan first without --confirm).';

interface Context {
  dir: string;
  sealosDir: string;
  cluster: ClusterContext;
  redactor: Redactor;
  clock: Clock;
  progress: ProgressFn;
}

/** The per-release facts `record` needs later, written after a successful rollout. */
export async function writeDeployResult(dir: string, result: Omit<DeployResult, 'schema_version' | 'recorded_at'>): Promise<void> {
  const doc: DeployResult = { schema_version: DEPLOY_RESULT_SCHEMA_VERSION, ...result, recorded_at: null };
  await writeFileAtomic(join(dir, DEPLOY_RESULT_PATH), JSON.stringify(doc, null, 2) + '\n');
}

/** Record a failed update/rollback in history (when there is a state); never hides the original error. */
export async function recordFailedAttempt(sealosDir: string, input: Parameters<typeof recordFailure>[1], clock: Clock): Promise<string | null> {
  try {
    await recordFailure(sealosDir, input, { io: nodeStateIo(), clock });
    return null;
  } catch (err) {
    return `The failed attempt could not be written to state.json history: ${(err as Error).message}`;
  }
}

function withNext(err: unknown, redactor: Redactor, extraNext: string, details: Record<string, unknown> = {}): DeployError {
  const e = isDeployError(err) ? err : new DeployError('INTERNAL', `Unexpected failure: ${(err as Error).message}`, 'Re-run with --json and report the message.');
  return new DeployError(e.code, redactor.redact(e.message), `${e.next} ${extraNext}`.trim(), redactor.redactDeep({ ...(e.details ?? {}), ...details }));
}

/**
 * Deploy or update the app in `dir` (the unit holding `.sealos/`). Without `confirm` it only plans:
 * the server-side dry-run diff, quota, backup need and a plan id; nothing changes. With `confirm`
 * it applies the whole template (Instance first, owner references on the rest), waits for the
 * rollout, and writes `.sealos/deploy-result.json` for `record`. A failed rollout is never rolled
 * back automatically: the error says why, in plain words, and how to roll back.
 */
export async function deploy(dirArg: string, opts: DeployOptions = {}): Promise<DeployOutcome> {
  const dir = resolve(dirArg);
  const redactor = opts.redactor ?? createRedactor();
  const inputs = opts.inputs ?? {};
  for (const v of Object.values(inputs)) redactor.add(v);
  if (opts.registryCredential) redactor.add(opts.registryCredential.password);
  if (opts.skipBackup && !opts.acknowledgeForwardRepair) {
    throw new DeployError('USAGE', '--skip-backup needs --acknowledge-forward-repair.', 'Skipping the pre-release backup means a rollback cannot restore the old schema; say so explicitly with --acknowledge-forward-repair.');
  }
  const cluster = openCluster(opts);
  const ctx: Context = { dir, sealosDir: join(dir, '.sealos'), cluster, redactor, clock: opts.clock ?? systemClock, progress: opts.progress ?? noProgress };
  const io = nodeStateIo();

  const template = await loadTemplate(dir);
  const build = await loadBuildResult(dir);
  const chosen = resolveImage(template, build, opts.image);
  // A corrupt state.json blocks everything except a fresh instance, which moves it aside unread.
  const loaded = await loadState(ctx.sealosDir, io);
  if (loaded.status === 'corrupt' && !opts.newInstance) throw await corruptStateError(ctx.sealosDir, io, loaded.problems);
  const state = loaded.status === 'ok' ? loaded.state : null;
  const hasStateFile = loaded.status !== 'missing';
  const decision = await decideMode({ state: opts.newInstance ? null : state, live: cluster.live, namespace: cluster.namespace });
  if (decision.mode === 'STOP') {
    return { outcome: 'stopped', mode: 'STOP', decision, next: 'Pick one of the repair options; nothing was changed.' };
  }
  const mode = decision.mode;
  const update = mode === 'UPDATE' ? state : null;
  const via = opts.via ?? 'direct';
  if (via === 'template-api') {
    if (mode === 'UPDATE') {
      throw new DeployError('USAGE', 'The Template API creates new instances; it cannot update a running one.', 'Update with direct apply (omit --via template-api), or deploy a second instance with --new-instance --via template-api.');
    }
    return deployViaTemplateApi(ctx, template, chosen, inputs, decision, opts, hasStateFile);
  }
  return deployDirect(ctx, { template, chosen, state: update, hasStateFile, decision, inputs, opts, buildCommit: build?.git_commit ?? null });
}

async function deployDirect(
  ctx: Context,
  a: { template: TemplateArtifact; chosen: ReturnType<typeof resolveImage>; state: DeployState | null; hasStateFile: boolean; decision: ModeDecision; inputs: Record<string, string>; opts: DeployOptions; notes?: string[]; buildCommit?: string | null },
): Promise<DeployOutcome> {
  const { cluster, redactor, clock, progress, dir } = ctx;
  const { template, chosen, state, decision, opts } = a;
  const mode = decision.mode as 'DEPLOY' | 'UPDATE';
  const res = cluster.res;
  const domain: AppDomain = await discoverAppDomain(res, { ...(opts.domain ? { override: opts.domain } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}) });

  // DEPLOY: reuse the names a shown plan chose, so confirming applies exactly what was reviewed.
  const found = mode === 'DEPLOY' ? await readPendingPlan(dir, { namespace: cluster.namespace, template_digest: template.digest }, clock.now()) : null;
  // --new-instance asks for new names: a failed earlier first deploy is not retried then.
  const pending = found?.applied_at && opts.newInstance ? null : found;
  const identity = state ? { app_name: state.last_deploy.app_name, app_host: state.last_deploy.app_host } : pending ? { app_name: pending.app_name, app_host: pending.app_host } : null;
  const warnings: string[] = [...(a.notes ?? [])];
  if (pending?.applied_at) {
    warnings.push(`Retrying the first deploy of ${pending.app_name}: it was applied at ${pending.applied_at} and did not roll out, so this updates that app instead of creating a second one.`);
  }
  let inputs = a.inputs;
  if (state) {
    const r = await reuseLiveInputs(res, template, { ...(state.last_deploy.workload_kind ? { kind: state.last_deploy.workload_kind } : {}), name: state.last_deploy.app_name }, inputs, redactor);
    inputs = r.inputs;
    if (r.reused.length) warnings.push(`Inputs not given again keep the values the running release uses: ${r.reused.join(', ')}.`);
  }
  const prepared = await prepareRelease({ template, namespace: cluster.namespace, domain, inputs, identity });

  const extra: KubeObject[] = [];
  const referenced = referencedPullSecrets(prepared.objects);
  let pullSecret: DeployPlanView['pull_secret_status'] = 'not-needed';
  if (opts.registryCredential) {
    extra.push(pullSecretObject(prepared.app_name, cluster.namespace, { registry: registryOf(chosen.image), ...opts.registryCredential }));
    pullSecret = 'create-or-refresh';
    if (!referenced.includes(prepared.app_name)) warnings.push(`A registry credential was given, but the template does not reference the pull Secret ${prepared.app_name}; re-render with --private-image so the pods use it.`);
  } else if (referenced.length || chosen.pull_secret_expected) {
    const exists = await res.get('v1', 'Secret', prepared.app_name);
    pullSecret = exists ? 'exists' : 'missing';
    if (!exists) warnings.push(`The image is private but there is no pull Secret ${prepared.app_name}: the pods will fail with ImagePullBackOff. Pass --registry-user <name> --registry-password-stdin.`);
  }

  const analysis = await loadAnalysisIfPresent(dir);
  const migrations_digest = await releaseMigrationsDigest(dir, analysis);
  const git_commit = analysis?.project.git?.commit ?? a.buildCommit ?? null;
  const backupDecision = planBackupBeforeRelease({ app_name: prepared.app_name, namespace: cluster.namespace, migrations_digest, database_cluster: prepared.database, git_commit }, state, clock.now());
  const skipBackup = backupDecision.required && opts.skipBackup === true;
  if (skipBackup) warnings.push('The pre-release database backup is skipped (--skip-backup --acknowledge-forward-repair): a rollback across this release cannot restore the old schema.');

  progress(`planning ${mode} of ${prepared.app_name} in ${cluster.namespace} (server-side dry run)`);
  const rp = await planRelease(res, prepared, extra, redactor);
  const previous_image = state?.last_deploy.image ?? null;
  const running = decision.identity?.image ?? null;
  const plan: DeployPlanView = {
    mode,
    via: 'direct',
    reasons: decision.reasons,
    app_name: prepared.app_name,
    app_host: prepared.app_host,
    namespace: cluster.namespace,
    image: chosen.image,
    image_source: chosen.source,
    previous_image,
    running_image: running && running !== previous_image ? running : null,
    app_domain: { domain: domain.app_domain, cert_secret_name: domain.cert_secret_name, source: domain.detail },
    changes: rp.plan.changes,
    summary: rp.plan.summary,
    quota: rp.quota,
    backup: { required: backupDecision.required, reason: backupDecision.reason, name: backupDecision.backup?.metadata.name ?? null, skipped: skipBackup },
    pull_secret_status: pullSecret,
    warnings,
    plan_id: rp.plan_id,
  };
  if (!rp.quota_ok) {
    const over = rp.quota.filter((q) => !q.ok).map((q) => `${q.resource}: ${q.used} used + ${q.planned} planned > ${q.hard}`);
    warnings.push(`Quota would be exceeded (${over.join('; ')}).`);
  }

  if (!opts.confirm) {
    if (mode === 'DEPLOY') {
      await writePendingPlan(dir, { plan_id: rp.plan_id, namespace: cluster.namespace, app_name: prepared.app_name, app_host: prepared.app_host, template_digest: template.digest, created_at: clock.now().toISOString() });
    }
    return { outcome: 'planned', plan: redactor.redactDeep(plan), next: `Review the plan, then re-run with --confirm --plan-id ${rp.plan_id}.` };
  }
  if (opts.planId !== undefined && opts.planId !== rp.plan_id) {
    throw new DeployError('PLAN_MISMATCH', `The plan changed since you reviewed it (reviewed ${opts.planId}, now ${rp.plan_id}): the template, inputs or live objects differ.`, 'Re-run without --confirm to see the current plan, then confirm its plan id.', { plan: redactor.redactDeep(plan) });
  }
  if (!rp.quota_ok) {
    const over = rp.quota.filter((q) => !q.ok);
    throw new DeployError('QUOTA_EXCEEDED', `The release does not fit the namespace quota: ${over.map((q) => `${q.resource} needs ${q.planned} with ${q.used} of ${q.hard} used`).join('; ')}. Nothing was applied.`, 'Lower replicas/CPU/memory in the template (re-render), delete unused apps, or raise the workspace quota.', { quota: over });
  }

  let archived: string | null = null;
  if (opts.newInstance && a.hasStateFile) {
    archived = await archiveState(ctx.sealosDir, { io: nodeStateIo(), clock });
    progress(`archived the previous state to ${archived}`);
  }

  // Declared before `failure`: a failed release keeps the backup taken before it, for the rollback that follows.
  // The reason starts with the stage: "rollout: …" marks a release that was applied (see imageLeftRunning).
  let backup: ReleaseBackup | null = null;
  const failure = async (err: unknown, stage: string): Promise<never> => {
    let note: string | null = null;
    if (state) note = await recordFailedAttempt(ctx.sealosDir, { action: 'update', image: chosen.image, template_digest: template.digest, reason: `${stage}: ${redactor.redact(isDeployError(err) ? err.code : 'INTERNAL')}`, ...(migrations_digest ? { migrations_digest } : {}), ...(git_commit ? { git_commit } : {}), ...(backup ? { backup } : {}) }, clock);
    throw withNext(err, redactor, stage === 'rollout' && state ? ROLLBACK_HINT : '', { stage, ...(note ? { state_note: note } : {}), recorded_failure: Boolean(state && !note) });
  };

  if (backupDecision.required && backupDecision.backup && !skipBackup) {
    progress(`taking database backup ${backupDecision.backup.metadata.name} before the schema-changing release`);
    try {
      backup = await takeBackup(res, backupDecision.backup, { timeoutMs: opts.backupTimeoutMs ?? 600_000, pollMs: opts.pollMs ?? 1000, clock, progress, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      return failure(err, 'backup');
    }
  }

  let applied: AppliedObject[] = [];
  try {
    applied = (await applyPrepared(res, prepared, extra, progress)).applied;
  } catch (err) {
    return failure(err, 'apply');
  }
  // Applied: until the rollout succeeds, a retry must land on these names, not on a second app.
  if (mode === 'DEPLOY') await writePendingPlan(dir, { plan_id: rp.plan_id, namespace: cluster.namespace, app_name: prepared.app_name, app_host: prepared.app_host, template_digest: template.digest, created_at: pending?.created_at ?? clock.now().toISOString(), applied_at: clock.now().toISOString() });

  let rollout: RolloutResult;
  try {
    rollout = await waitReleaseRollout(res, prepared, { timeoutMs: opts.timeoutMs ?? 300_000, pollMs: opts.pollMs ?? 1000, clock, progress: (m, p, t) => progress(redactor.redact(m), p, t), ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    return failure(err, 'rollout');
  }
  if (mode === 'DEPLOY') await unlink(join(dir, PENDING_PLAN_PATH)).catch(() => undefined);

  const url = await liveUrl(res, prepared.app_name);
  await writeDeployResult(dir, {
    action: mode === 'DEPLOY' ? 'deploy' : 'update',
    method: 'server-side-apply',
    app_name: prepared.app_name,
    app_host: prepared.app_host,
    namespace: cluster.namespace,
    region: regionHost(cluster.config.server),
    repo_name: repoName(dir, analysis),
    docker_hub_user: dockerHubUser(chosen.image),
    workload_kind: prepared.workload.kind,
    image: chosen.image,
    previous_image,
    url,
    template_digest: template.digest,
    migrations_digest,
    git_commit,
    backup,
    rollback_reason: null,
    backup_ref: null,
    plan_id: rp.plan_id,
    finished_at: clock.now().toISOString(),
  });
  return {
    outcome: 'applied',
    mode,
    via: 'direct',
    app_name: prepared.app_name,
    namespace: cluster.namespace,
    url,
    image: chosen.image,
    previous_image,
    plan_id: rp.plan_id,
    applied,
    rollout,
    backup,
    archived_state: archived,
    notes: warnings,
    next: VERIFY_NEXT,
  };
}

/**
 * Deliver through the region's Template API: its dry run is the plan; with confirm it creates the
 * instance, and the name it reports is authoritative. A region without the API (404/503) falls back to
 * direct apply, and the result says so.
 */
async function deployViaTemplateApi(
  ctx: Context,
  template: TemplateArtifact,
  chosen: ReturnType<typeof resolveImage>,
  inputs: Record<string, string>,
  decision: ModeDecision,
  opts: DeployOptions,
  hasStateFile: boolean,
): Promise<DeployOutcome> {
  const unsafe = inputsUnsafeForTextSubstitution(inputs);
  if (unsafe.length) {
    throw new DeployError('USAGE', `The Template API substitutes inputs as raw text, and ${unsafe.join(', ')} contain quotes, backslashes, line breaks or \${{.`, 'Deploy with direct apply (omit --via template-api), which substitutes values safely.', { inputs: unsafe });
  }
  const deliver = opts.deliver ?? deliverTemplate;
  const kubeconfigYaml = await readFile(ctx.cluster.config.path, 'utf8');
  const base = { yaml: template.text, args: inputs, kubeconfigYaml, ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}), progress: ctx.progress, ...(opts.signal ? { signal: opts.signal } : {}) };
  let archived: string | null = null;
  if (opts.confirm && opts.newInstance && hasStateFile) archived = await archiveState(ctx.sealosDir, { io: nodeStateIo(), clock: ctx.clock });
  let result: DeliverTemplateResult;
  try {
    result = await deliver({ ...base, mode: opts.confirm ? 'apply' : 'plan' });
  } catch (err) {
    throw withNext(err, ctx.redactor, '');
  }
  if (result.outcome === 'fallback') {
    ctx.progress(`${result.reason} Falling back to direct apply.`);
    return deployDirect(ctx, { template, chosen, state: null, hasStateFile: hasStateFile && !archived, decision, inputs, opts: { ...opts, via: 'direct' }, notes: [`Template API unavailable: ${result.reason} Applied directly instead.`] });
  }
  const plan_id = createHash('sha256').update(`${template.digest}\n${ctx.cluster.namespace}\n${Object.keys(inputs).sort().join(',')}\n${chosen.image}`).digest('hex').slice(0, 16);
  if (result.outcome === 'planned') {
    const plan: DeployPlanView = {
      mode: 'DEPLOY',
      via: 'template-api',
      reasons: decision.reasons,
      app_name: result.preview_name,
      app_host: result.preview_name,
      namespace: ctx.cluster.namespace,
      image: chosen.image,
      image_source: chosen.source,
      previous_image: null,
      running_image: null,
      app_domain: null,
      changes: result.resources.map((r) => ({ kind: r.resourceType, name: r.name, action: 'create' as const, changed: [] })),
      summary: `${result.resources.length} to create through the Template API in ${ctx.cluster.namespace} (the server picks the final instance name)`,
      quota: [],
      backup: { required: false, reason: 'First deploy: the database is new, there is no data to protect yet.', name: null, skipped: false },
      pull_secret_status: 'not-needed',
      warnings: [],
      plan_id,
    };
    return { outcome: 'planned', plan, next: `Review the plan, then re-run with --confirm --plan-id ${plan_id}.` };
  }
  if (opts.planId !== undefined && opts.planId !== plan_id) {
    throw new DeployError('PLAN_MISMATCH', `The plan changed since you reviewed it (reviewed ${opts.planId}, now ${plan_id}).`, 'Re-run without --confirm to see the current plan.');
  }
  // The server rendered its own app_name: wait for the workload it created under that name.
  const name = result.instance_name;
  const workloadKind = /\nkind:\s*StatefulSet\b/.test(template.text) ? 'StatefulSet' : 'Deployment';
  const hasDb = /\nkind:\s*Cluster\b/.test(template.text);
  const prepared = { workload: { kind: workloadKind, name }, database: hasDb ? `${name}-pg` : null, health_path: null } as unknown as PreparedRelease;
  let rollout: RolloutResult;
  try {
    rollout = await waitReleaseRollout(ctx.cluster.res, prepared, { timeoutMs: opts.timeoutMs ?? 300_000, pollMs: opts.pollMs ?? 1000, clock: ctx.clock, progress: ctx.progress, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (err) {
    throw withNext(err, ctx.redactor, '', { stage: 'rollout', instance_name: name });
  }
  const url = await liveUrl(ctx.cluster.res, name);
  const instance = await ctx.cluster.res.get('app.sealos.io/v1', 'Instance', name);
  const appHost = ((instance?.spec as { defaults?: { app_host?: { value?: string } } } | undefined)?.defaults?.app_host?.value) ?? (url ? new URL(url).hostname.split('.')[0]! : name);
  const analysis = await loadAnalysisIfPresent(ctx.dir);
  await writeDeployResult(ctx.dir, {
    action: 'deploy',
    method: 'template-api',
    app_name: name,
    app_host: appHost,
    namespace: ctx.cluster.namespace,
    region: regionHost(ctx.cluster.config.server),
    repo_name: repoName(ctx.dir, analysis),
    docker_hub_user: dockerHubUser(chosen.image),
    workload_kind: workloadKind,
    image: chosen.image,
    previous_image: null,
    url,
    template_digest: template.digest,
    migrations_digest: await releaseMigrationsDigest(ctx.dir, analysis),
    git_commit: analysis?.project.git?.commit ?? null,
    backup: null,
    rollback_reason: null,
    backup_ref: null,
    plan_id,
    finished_at: ctx.clock.now().toISOString(),
  });
  return {
    outcome: 'applied',
    mode: 'DEPLOY',
    via: 'template-api',
    app_name: name,
    namespace: ctx.cluster.namespace,
    url,
    image: chosen.image,
    previous_image: null,
    plan_id,
    applied: result.resources.map((r) => ({ kind: r.resourceType, name: r.name, resourceVersion: null })),
    rollout,
    backup: null,
    archived_state: archived,
    notes: result.preview_name && result.preview_name !== name ? [`The Template API named the instance ${name} (the dry run previewed ${result.preview_name}); ${name} is recorded.`] : [],
    next: VERIFY_NEXT,
  };
}
