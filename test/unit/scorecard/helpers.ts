import { readTemplateFacts, type Loaded, type ScorecardInputs } from '../../../src/core/scorecard/index.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { BuildResultSchema, type BuildResult } from '../../../src/core/state/build-result-schema.js';
import { sealReport, type CheckStatus, type RuntimeTruthReport, type TruthIdentity } from '../../../src/core/state/runtime-truth-schema.js';
import { DeployStateSchema, type DeployState, type HistoryEntry, type ReleaseBackup } from '../../../src/core/state/state-schema.js';
import { renderTemplate, type RenderInputs } from '../../../src/core/template/index.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';

export const IMAGE = 'ghcr.io/acme/demo-api:20260901-c3';
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export const ok = <T>(value: T): Loaded<T> => ({ state: 'ok', value });
export const missing = { state: 'missing' } as const;

export function buildResult(over: Partial<BuildResult> = {}): BuildResult {
  return BuildResultSchema.parse({
    schema_version: 1,
    outcome: 'success',
    registry: 'ghcr',
    registry_host: 'ghcr.io/acme',
    build: { image_name: 'demo-api', started_at: '2026-09-01T10:00:00Z' },
    push: { remote_image: IMAGE, pushed_at: '2026-09-01T10:03:00Z' },
    finished_at: '2026-09-01T10:03:00Z',
    image: IMAGE,
    digest: `sha256:${'a'.repeat(64)}`,
    platform: 'linux/amd64',
    source: 'built',
    pushed: true,
    git_commit: COMMIT,
    git_dirty: false,
    dockerfile: { path: 'Dockerfile', generated: true },
    context: '.',
    duration_ms: 180000,
    log_tail: [],
    requires_image_pull_secret: false,
    accepted_warnings: [],
    ...over,
  });
}

export type Rel = { image: string; migrations?: string; backup?: ReleaseBackup; status?: 'success' | 'failed'; note?: string };

/** A valid state: the first release is a deploy, the rest updates, one day apart. */
export function stateOf(releases: Rel[], app = 'demo-api-abcdefgh', ns = 'ns-team42'): DeployState {
  const history: HistoryEntry[] = [];
  let running = '';
  releases.forEach((r, i) => {
    const at = new Date(Date.UTC(2026, 8, 1 + i)).toISOString();
    const meta = { ...(r.migrations ? { migrations_digest: r.migrations } : {}), ...(r.backup ? { backup: r.backup } : {}), ...(r.note ? { note: r.note } : {}), git_commit: `c${i}aaaaaaaaaaaa` };
    const status = r.status ?? 'success';
    history.push(
      i === 0
        ? { at, action: 'deploy', image: r.image, method: 'server-side-apply', status, ...meta }
        : { at, action: 'update', previous_image: running, image: r.image, template_digest: `sha256:t${i}`, method: 'server-side-apply', status, ...meta },
    );
    if (status === 'success') running = r.image;
  });
  return DeployStateSchema.parse({
    version: '1.0',
    last_deploy: {
      app_name: app,
      app_host: 'demo-api-hostaaaa',
      namespace: ns,
      region: 'usw-1.sealos.io',
      image: running,
      docker_hub_user: null,
      repo_name: 'demo-api',
      url: 'https://demo-api-hostaaaa.usw-1.sealos.app',
      deployed_at: history[0]!.at,
      last_updated_at: history.at(-1)!.at,
    },
    history,
  });
}

export type Check = { id: string; status?: CheckStatus; required?: boolean; summary?: string };

export function report(target: 'cluster' | 'local', checks: Check[], identity: TruthIdentity = {}, verdict?: 'accepted' | 'rejected'): RuntimeTruthReport {
  const full = checks.map((c) => ({
    id: c.id,
    status: c.status ?? 'pass',
    required: c.required ?? true,
    summary: c.summary ?? `${c.id} ${c.status ?? 'pass'}`,
    evidence: {},
    duration_ms: 5,
    skip_reason: c.status === 'skip' ? 'not applicable' : null,
  }));
  const blocking = full.filter((c) => c.required && (c.status === 'fail' || c.status === 'skip')).map((c) => c.id);
  const v = verdict ?? (blocking.length ? 'rejected' : 'accepted');
  return sealReport({
    schema_version: 1,
    tool: { name: 'sealos-deploy', version: '0.1.0' },
    target,
    verdict: v,
    verdict_reason: v === 'accepted' ? 'every required check passed' : `${blocking.length} required check(s) did not pass`,
    blocking: v === 'accepted' ? [] : blocking,
    identity,
    started_at: '2026-09-05T12:00:00Z',
    finished_at: '2026-09-05T12:02:00Z',
    duration_ms: 120000,
    budget_ms: 300000,
    stability_window_seconds: 60,
    checks: full,
  });
}

/** A cluster Truth Pass that passed every row's live checks for `image`. */
export function acceptedTruth(image = IMAGE, extra: Check[] = []): RuntimeTruthReport {
  return report(
    'cluster',
    [{ id: 'rollout' }, { id: 'health-endpoint' }, { id: 'tls-certificate' }, { id: 'logs-after-smoke' }, { id: 'footprint' }, ...extra],
    { app_name: 'demo-api-abcdefgh', namespace: 'ns-team42', image, url: 'https://demo-api-hostaaaa.usw-1.sealos.app' },
  );
}

export function localRehearsal(checks: Check[] = [{ id: 'install' }, { id: 'start' }, { id: 'stays-up' }, { id: 'health' }, { id: 'startup-log-port' }, { id: 'no-secret-in-logs' }]): RuntimeTruthReport {
  return report('local', checks, { dir: '/src/demo-api', commit: COMMIT, port: 3000, command: 'npm start' });
}

export async function templateOf(analysis: Analysis, inputs: Partial<RenderInputs> = {}): Promise<ScorecardInputs['template']> {
  return readTemplateFacts(renderTemplate(analysis, { image: IMAGE, ...inputs }).yaml);
}

/** Everything present and good for a plain Express API: the scorecard should be launchable. */
export async function fullInputs(over: DeepPartial<Analysis> = {}, render: Partial<RenderInputs> = {}): Promise<ScorecardInputs> {
  const analysis = buildAnalysis(over);
  return {
    analysis,
    template: await templateOf(analysis, render),
    build: ok(buildResult()),
    state: ok(stateOf([{ image: 'ghcr.io/acme/demo-api:20260820-a1' }, { image: IMAGE }])),
    truth: ok(acceptedTruth()),
    rehearsal: ok(localRehearsal()),
    runbook: 'written',
  };
}
