import { DeployError } from '../errors.js';
import type { Clock } from '../ports.js';
import { corruptStateRepairOptions } from '../mode/repair-options.js';
import { verifyDigest, type RuntimeTruthReport } from './runtime-truth-schema.js';
import { boundHistory, releasesOf, sameUrl, semanticProblems } from './history.js';
import {
  DeployStateSchema,
  STATE_VERSION,
  formatIssues,
  type DeployState,
  type HistoryEntry,
  type LastDeploy,
  type ReleaseBackup,
} from './state-schema.js';

/** Filesystem access the store needs; `nodeStateIo()` in src/system/atomic-file.ts is the real one. */
export interface StateIo {
  readText(path: string): Promise<string | null>;
  /** Old or new complete content, never a mix (temp + fsync + rename + fsync dir). */
  writeAtomic(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Exclusive section across processes; throws STATE_LOCKED when another live writer holds it. */
  withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * What recording needs from a Runtime Truth report: `RuntimeTruthReport` (runtime-truth-schema.ts)
 * satisfies it. Identity keys are optional there because a local rehearsal fills other keys.
 */
export interface AcceptedTruth {
  /** `cluster` for the Truth Pass; a `local` rehearsal never allows recording. */
  target?: string;
  verdict: 'accepted' | 'rejected';
  identity: { app_name?: string; namespace?: string; image?: string; url?: string | null; host?: string | null };
  digest: string;
  started_at?: string;
  finished_at: string;
  checks?: ReadonlyArray<{ id?: string; name?: string }>;
  stability_window_seconds?: number;
}

export interface StoreDeps<T extends AcceptedTruth = AcceptedTruth> {
  io: StateIo;
  clock: Clock;
  /** Recomputes the report digest; default `verifyDigest` from runtime-truth-schema.ts. */
  verifyTruth?: (report: T) => boolean;
  /** Repo-relative path of the report, recorded as evidence. */
  truthPath?: string;
}

/** The Truth Pass's own digest check (sha256 over canonical JSON without `digest`). */
export const defaultVerifyTruth = (report: AcceptedTruth): boolean => verifyDigest(report as unknown as RuntimeTruthReport);

export const STATE_FILE = 'state.json';

export function statePaths(sealosDir: string) {
  const join = (name: string) => `${sealosDir.replace(/\/+$/, '')}/${name}`;
  return { state: join(STATE_FILE), backup: join(`${STATE_FILE}.bak`), lock: join(`${STATE_FILE}.lock`), dir: sealosDir };
}

export type LoadedState =
  | { status: 'missing'; path: string }
  | { status: 'ok'; path: string; state: DeployState; text: string }
  | { status: 'corrupt'; path: string; problems: string[] };

/** Parse and validate state text: JSON, schema, then semantics. Never throws. */
export function parseStateText(text: string): { ok: true; state: DeployState } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = DeployStateSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error) };
  const problems = semanticProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, state: parsed.data };
}

export async function loadState(sealosDir: string, io: StateIo): Promise<LoadedState> {
  const path = statePaths(sealosDir).state;
  const text = await io.readText(path);
  if (text === null) return { status: 'missing', path };
  const r = parseStateText(text);
  return r.ok ? { status: 'ok', path, state: r.state, text } : { status: 'corrupt', path, problems: r.problems };
}

export async function corruptStateError(sealosDir: string, io: StateIo, problems: string[]): Promise<DeployError> {
  const paths = statePaths(sealosDir);
  const bak = await io.readText(paths.backup);
  const bakValid = bak !== null && parseStateText(bak).ok;
  return new DeployError(
    'STATE_CORRUPT',
    `${paths.state} is not a valid deploy state: ${problems.join('; ')}`,
    bakValid
      ? `Nothing was overwritten. Fix the problem by hand, or restore ${paths.backup} (previous good version), or run a repair option.`
      : 'Nothing was overwritten. Fix the problem by hand, or run a repair option.',
    { path: paths.state, problems, backup_valid: bakValid, repair_options: corruptStateRepairOptions(bakValid) },
  );
}

/** The state, null when there is none; STATE_CORRUPT (with the exact problems) when it is invalid. */
export async function readState(sealosDir: string, io: StateIo): Promise<DeployState | null> {
  const loaded = await loadState(sealosDir, io);
  if (loaded.status === 'corrupt') throw await corruptStateError(sealosDir, io, loaded.problems);
  return loaded.status === 'ok' ? loaded.state : null;
}

// ---------------------------------------------------------------------------------------------
// Releases

export interface ReleaseMeta {
  migrations_digest?: string;
  git_commit?: string;
  template_digest?: string;
  backup?: ReleaseBackup;
  note?: string;
}

export interface DeployTarget {
  app_name: string;
  app_host: string;
  namespace: string;
  region: string;
  repo_name: string;
  docker_hub_user: string | null;
  /** The live URL the Truth Pass verified; null for an app without a public URL. */
  url: string | null;
  workload_kind?: 'Deployment' | 'StatefulSet';
}

type ApplyMethod = 'server-side-apply' | 'template-api';

export type ReleaseInput =
  | ({ action: 'deploy'; target: DeployTarget; image: string; method?: ApplyMethod | 'kubectl-apply' } & ReleaseMeta)
  | ({ action: 'update'; image: string; template_digest: string; url?: string | null; method?: ApplyMethod } & ReleaseMeta)
  | ({ action: 'rollback'; to_image: string; reason: string; backup_ref?: string; method?: ApplyMethod; from_image?: string } & ReleaseMeta)
  | ({ action: 'restart' } & ReleaseMeta);

export type FailureInput =
  | ({ action: 'update'; image: string; template_digest: string; reason: string; method?: ApplyMethod } & ReleaseMeta)
  | ({ action: 'rollback'; to_image: string; reason: string; method?: ApplyMethod; from_image?: string } & ReleaseMeta)
  | ({ action: 'restart'; reason: string } & ReleaseMeta);

export interface RecordResult {
  state: DeployState;
  path: string;
  /** Where the previous good version was kept, if there was one. */
  backup_path: string | null;
}

/** Entry time: never earlier than the last entry, so a skewed clock cannot break chronological order. */
function entryTime(now: Date, history: readonly HistoryEntry[]): string {
  const last = history[history.length - 1];
  if (last && Date.parse(last.at) > now.getTime()) return last.at;
  return now.toISOString();
}

function meta(m: ReleaseMeta): Partial<HistoryEntry> {
  const out: Record<string, unknown> = {};
  for (const k of ['migrations_digest', 'git_commit', 'template_digest', 'backup', 'note'] as const) if (m[k] !== undefined) out[k] = m[k];
  return out as Partial<HistoryEntry>;
}

/** The identity a release leaves live: what the Truth report must have verified. */
export function releaseIdentity(prev: DeployState | null, input: ReleaseInput): { app_name: string; namespace: string; image: string; url: string | null } {
  if (input.action === 'deploy') {
    return { app_name: input.target.app_name, namespace: input.target.namespace, image: input.image, url: input.target.url };
  }
  if (!prev) {
    throw new DeployError('ARTIFACT_MISSING', `Cannot record "${input.action}": .sealos/state.json has no deployment yet.`, 'Deploy first; update, rollback and restart record onto an existing state.');
  }
  const ld = prev.last_deploy;
  const image = input.action === 'update' ? input.image : input.action === 'rollback' ? input.to_image : ld.image;
  const url = input.action === 'update' && input.url !== undefined ? input.url : (ld.url ?? null);
  return { app_name: ld.app_name, namespace: ld.namespace, image, url };
}

/** Refuse anything but an accepted, digest-verified report about exactly this release. */
export function assertTruthAllowsRecord<T extends AcceptedTruth>(
  truth: T | null | undefined,
  expected: { app_name: string; namespace: string; image: string; url: string | null },
  verify: (report: T) => boolean,
): void {
  if (!truth) {
    throw new DeployError('TRUTH_NOT_ACCEPTED', 'No Runtime Truth report: state is recorded only after the Truth Pass accepts the live app.', 'Run the Truth Pass (sealos-deploy verify) and record again.');
  }
  if (truth.target !== undefined && truth.target !== 'cluster') {
    throw new DeployError('TRUTH_NOT_ACCEPTED', `The report is from a ${truth.target} rehearsal, not the cluster Truth Pass; a rehearsal never proves the live app.`, 'Run the Truth Pass against the deployed app (sealos-deploy verify), then record.', { target: truth.target });
  }
  if (truth.verdict !== 'accepted') {
    throw new DeployError('TRUTH_NOT_ACCEPTED', `The Runtime Truth report verdict is "${truth.verdict}", not "accepted".`, 'Fix the failing checks listed in .sealos/runtime-truth.json, re-run the Truth Pass, then record.', { verdict: truth.verdict });
  }
  if (!verify(truth)) {
    throw new DeployError('TRUTH_NOT_ACCEPTED', 'The Runtime Truth report digest does not match its content (edited or truncated after the Truth Pass).', 'Re-run the Truth Pass to produce a fresh report; never edit runtime-truth.json by hand.', { digest: truth.digest });
  }
  const id = truth.identity;
  const mismatches: Array<{ field: string; expected: string | null; report: string | null }> = [];
  for (const key of ['app_name', 'namespace', 'image'] as const) {
    if (id[key] !== expected[key]) mismatches.push({ field: key, expected: expected[key], report: id[key] ?? null });
  }
  if (!sameUrl(id.url ?? undefined, expected.url ?? undefined)) mismatches.push({ field: 'url', expected: expected.url, report: id.url ?? null });
  if (mismatches.length) {
    throw new DeployError(
      'TRUTH_IDENTITY_MISMATCH',
      `The Runtime Truth report verified a different app than the one being recorded: ${mismatches.map((m) => `${m.field} ${m.report ?? '(none)'} ≠ ${m.expected ?? '(none)'}`).join(', ')}.`,
      'Run the Truth Pass against this release (same app, namespace, image and URL), then record.',
      { mismatches },
    );
  }
}

/** Pure: the next state after an accepted release. */
export function applyRelease(prev: DeployState | null, input: ReleaseInput, truth: AcceptedTruth, now: Date, truthPath = '.sealos/runtime-truth.json'): DeployState {
  const identity = releaseIdentity(prev, input);
  const history = prev?.history ?? [];
  const at = entryTime(now, history);
  const base = { at, status: 'success' as const, truth_digest: truth.digest, ...meta(input) };
  let entry: HistoryEntry;
  let last: LastDeploy;

  if (input.action === 'deploy') {
    if (prev) {
      throw new DeployError(
        'PLAN_MISMATCH',
        `.sealos/state.json already records app ${prev.last_deploy.app_name} in ${prev.last_deploy.namespace}; recording a new deploy would replace it.`,
        'Record an update instead, or archive the old state first (deploy --new-instance).',
      );
    }
    const t = input.target;
    entry = { ...base, action: 'deploy', image: input.image, method: input.method ?? 'server-side-apply' } as HistoryEntry;
    last = {
      app_name: t.app_name,
      app_host: t.app_host,
      namespace: t.namespace,
      region: t.region,
      image: input.image,
      docker_hub_user: t.docker_hub_user,
      repo_name: t.repo_name,
      ...(t.url !== null ? { url: t.url } : {}),
      deployed_at: at,
      last_updated_at: at,
      ...(t.workload_kind ? { workload_kind: t.workload_kind } : {}),
    };
  } else {
    const p = prev!;
    const ld = p.last_deploy;
    if (input.action === 'update') {
      entry = { ...base, action: 'update', previous_image: ld.image, image: input.image, template_digest: input.template_digest, method: input.method ?? 'server-side-apply' } as HistoryEntry;
    } else if (input.action === 'rollback') {
      const target = releasesOf(history, input.to_image)[0];
      // The rollback release runs the target's code: carry its migrations/commit so a later rollback compares the right things.
      const inherited: ReleaseMeta = target
        ? { migrations_digest: target.entry.migrations_digest, git_commit: target.entry.git_commit, template_digest: target.entry.template_digest }
        : {};
      entry = {
        ...base,
        ...Object.fromEntries(Object.entries(inherited).filter(([k, v]) => v !== undefined && (input as ReleaseMeta)[k as keyof ReleaseMeta] === undefined)),
        action: 'rollback',
        // What ran before: after a failed update that is the attempt's image, not the recorded one.
        from_image: input.from_image ?? ld.image,
        to_image: input.to_image,
        reason: input.reason,
        ...(input.backup_ref ? { backup_ref: input.backup_ref } : {}),
        method: input.method ?? 'server-side-apply',
      } as HistoryEntry;
    } else {
      entry = { ...base, action: 'restart', method: 'kubectl-rollout-restart' } as HistoryEntry;
    }
    const { url: _old, ...rest } = ld;
    last = { ...rest, image: identity.image, ...(identity.url !== null ? { url: identity.url } : {}), last_updated_at: at };
    if (ld.services && input.action !== 'restart') {
      // v2.0.0 multi-service record: the app's own service follows the new image.
      const services = { ...ld.services };
      for (const [k, s] of Object.entries(services)) if (s.image === ld.image) services[k] = { ...s, image: identity.image };
      last.services = services;
    }
  }

  const started = truth.started_at ? Date.parse(truth.started_at) : NaN;
  const seconds = truth.stability_window_seconds ?? (Number.isFinite(started) ? (Date.parse(truth.finished_at) - started) / 1000 : 0);
  // The plugin's schema wants whole seconds.
  const window = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const checks = (truth.checks ?? []).map((c) => c.id ?? c.name).filter((c): c is string => typeof c === 'string' && c.length > 0);
  const next: DeployState = {
    ...(prev ?? {}),
    version: prev?.version ?? STATE_VERSION,
    last_deploy: last,
    history: boundHistory([...history, entry]),
    runtime_truth: {
      status: 'verified',
      captured_at: truth.finished_at,
      identity: { app_name: identity.app_name, namespace: identity.namespace, image: identity.image, ...(identity.url !== null ? { url: identity.url } : {}) },
      evidence_paths: [truthPath],
      redaction_status: 'complete',
      stability_window_seconds: window,
      ...(checks.length ? { checks } : {}),
      digest: truth.digest,
    },
    provenance: {
      source: 'sealos-deploy/runtime-truth',
      owner: 'sealos-deploy',
      artifact_paths: [truthPath, '.sealos/template/index.yaml'],
      redaction_status: 'complete',
    },
  };
  return validated(next);
}

/** Pure: the next state after a failed attempt; the running identity (last_deploy) is unchanged. */
export function applyFailure(prev: DeployState, input: FailureInput, now: Date): DeployState {
  const ld = prev.last_deploy;
  const at = entryTime(now, prev.history);
  const base = { at, status: 'failed' as const, ...meta(input), note: input.note ?? input.reason };
  let entry: HistoryEntry;
  if (input.action === 'update') {
    entry = { ...base, action: 'update', previous_image: ld.image, image: input.image, template_digest: input.template_digest, method: input.method ?? 'server-side-apply' } as HistoryEntry;
  } else if (input.action === 'rollback') {
    entry = { ...base, action: 'rollback', from_image: input.from_image ?? ld.image, to_image: input.to_image, reason: input.reason, method: input.method ?? 'server-side-apply' } as HistoryEntry;
  } else {
    entry = { ...base, action: 'restart', method: 'kubectl-rollout-restart' } as HistoryEntry;
  }
  return validated({ ...prev, history: boundHistory([...prev.history, entry]) });
}

/** Our own output must pass the same checks we apply to a file we read. */
function validated(state: DeployState): DeployState {
  const parsed = DeployStateSchema.safeParse(state);
  const problems = parsed.success ? semanticProblems(parsed.data) : formatIssues(parsed.error);
  if (!parsed.success || problems.length) {
    throw new DeployError('ARTIFACT_INVALID', `Refusing to write an invalid state: ${problems.join('; ')}`, 'Check the release inputs (image, URL, times); the existing state.json was not changed.', { problems });
  }
  return parsed.data;
}

function serialize(state: DeployState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Under the lock: read (refusing corrupt), compute, keep the old good version as .bak, write atomically. */
async function transact(sealosDir: string, io: StateIo, compute: (prev: DeployState | null) => DeployState): Promise<RecordResult> {
  const paths = statePaths(sealosDir);
  return io.withLock(paths.lock, async () => {
    const loaded = await loadState(sealosDir, io);
    if (loaded.status === 'corrupt') throw await corruptStateError(sealosDir, io, loaded.problems);
    const prev = loaded.status === 'ok' ? loaded.state : null;
    const next = compute(prev);
    if (loaded.status === 'ok') await io.writeAtomic(paths.backup, loaded.text);
    await io.writeAtomic(paths.state, serialize(next));
    return { state: next, path: paths.state, backup_path: loaded.status === 'ok' ? paths.backup : null };
  });
}

/** Record a release after the Truth Pass accepted it. Refuses without an accepted, verified, matching report. */
export async function recordRelease<T extends AcceptedTruth>(sealosDir: string, input: ReleaseInput, truth: T | null | undefined, deps: StoreDeps<T>): Promise<RecordResult> {
  return transact(sealosDir, deps.io, (prev) => {
    assertTruthAllowsRecord(truth, releaseIdentity(prev, input), deps.verifyTruth ?? defaultVerifyTruth);
    return applyRelease(prev, input, truth!, deps.clock.now(), deps.truthPath);
  });
}

/** Record a failed attempt (no Truth report exists for it); last_deploy keeps the running identity. */
export async function recordFailure(sealosDir: string, input: FailureInput, deps: { io: StateIo; clock: Clock }): Promise<RecordResult> {
  return transact(sealosDir, deps.io, (prev) => {
    if (!prev) {
      throw new DeployError('ARTIFACT_MISSING', 'Cannot record a failed attempt: .sealos/state.json has no deployment yet.', 'A failed first deploy leaves no state; fix the failure and deploy again.');
    }
    return applyFailure(prev, input, deps.clock.now());
  });
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `state.<label>-<stamp>.json`, with `-2`, `-3`… when that name is taken (rename would overwrite it). */
async function freeArchivePath(io: StateIo, dir: string, label: string, now: Date): Promise<string> {
  const base = `${dir.replace(/\/+$/, '')}/state.${label}-${stamp(now)}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base}.json` : `${base}-${n}.json`;
    if ((await io.readText(candidate)) === null) return candidate;
  }
}

/**
 * Move state.json aside (valid or not) to `state.<label>-<UTC stamp>.json`, e.g. before a fresh deploy
 * as a new instance. Nothing is deleted: the archive still names the old instance for cleanup.
 */
export async function archiveState(sealosDir: string, deps: { io: StateIo; clock: Clock }, label = 'archived'): Promise<string | null> {
  const paths = statePaths(sealosDir);
  return deps.io.withLock(paths.lock, async () => {
    if ((await deps.io.readText(paths.state)) === null) return null;
    const to = await freeArchivePath(deps.io, paths.dir, label, deps.clock.now());
    await deps.io.rename(paths.state, to);
    return to;
  });
}

/**
 * Replace state.json with a repaired document after the user confirmed it. The previous file, valid
 * or corrupt, is archived first, so a repair never destroys what was there.
 */
export async function replaceState(sealosDir: string, next: DeployState, deps: { io: StateIo; clock: Clock; confirm: boolean }): Promise<RecordResult & { archived_path: string | null }> {
  if (!deps.confirm) {
    throw new DeployError('CONFIRMATION_REQUIRED', 'Replacing .sealos/state.json needs your confirmation.', 'Review the repaired state shown, then repeat with --confirm (MCP: confirm: true).');
  }
  const state = validated(next);
  const paths = statePaths(sealosDir);
  return deps.io.withLock(paths.lock, async () => {
    let archived: string | null = null;
    const old = await deps.io.readText(paths.state);
    if (old !== null) {
      // Copy, not rename: state.json must never be briefly absent (a reader would decide DEPLOY).
      archived = await freeArchivePath(deps.io, paths.dir, 'replaced', deps.clock.now());
      await deps.io.writeAtomic(archived, old);
    }
    await deps.io.writeAtomic(paths.state, serialize(state));
    return { state, path: paths.state, backup_path: null, archived_path: archived };
  });
}

// ---------------------------------------------------------------------------------------------
// .sealos/.gitignore

/**
 * Files under `.sealos/` that must not be committed: local evidence (logs, HTTP bodies), build logs,
 * and the store's own lock, backup and temp files. state.json, template/, analysis.json and
 * config.json stay committed: they are the deploy's reviewable record.
 */
export const SEALOS_GITIGNORE_LINES = [
  'runtime-truth.json',
  'rehearsal.json',
  'deploy-result.json',
  'deploy-plan.json',
  'evidence/',
  'logs/',
  'build/*.log',
  'build/logs/',
  'state.json.bak',
  'state.json.lock',
  'state.json.lock.stale.*',
  '*.tmp',
] as const;

const GITIGNORE_HEADER = '# Written by sealos-deploy: local evidence and logs, never committed.';

/** Content for `.sealos/.gitignore`; existing user lines are kept and missing ones appended. */
export function sealosGitignore(existing: string | null = null): string {
  if (existing === null || existing.trim() === '') return `${GITIGNORE_HEADER}\n${SEALOS_GITIGNORE_LINES.join('\n')}\n`;
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = SEALOS_GITIGNORE_LINES.filter((l) => !have.has(l));
  if (!missing.length) return existing;
  return `${existing.replace(/\s*$/, '')}\n${have.has(GITIGNORE_HEADER) ? '' : `${GITIGNORE_HEADER}\n`}${missing.join('\n')}\n`;
}

/** Create or complete `.sealos/.gitignore`; returns true when the file changed. */
export async function ensureSealosGitignore(sealosDir: string, io: StateIo): Promise<boolean> {
  const path = `${sealosDir.replace(/\/+$/, '')}/.gitignore`;
  const existing = await io.readText(path);
  const next = sealosGitignore(existing);
  if (next === existing) return false;
  await io.writeAtomic(path, next);
  return true;
}
