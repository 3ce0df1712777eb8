import { scoreContext, type ScoreContext } from './context.js';
import { ARTIFACT_FILES, type Loaded, type ScorecardInputs } from './inputs.js';
import { backupsRow } from './rows/backups.js';
import { buildRow } from './rows/build.js';
import { databaseRow } from './rows/database.js';
import { domainRow } from './rows/domain.js';
import { environmentRow } from './rows/environment.js';
import { healthRow } from './rows/health.js';
import { monitoringRow } from './rows/monitoring.js';
import { processRow } from './rows/process.js';
import { resourcesRow } from './rows/resources.js';
import { rollbackRow } from './rows/rollback.js';
import { runbookRow } from './rows/runbook.js';
import { scalingRow } from './rows/scaling.js';
import { securityRow } from './rows/security.js';
import { storageRow } from './rows/storage.js';
import { SCORECARD_SCHEMA_VERSION, type ArtifactStatus, type Scorecard, type ScorecardRow } from './schema.js';
import { rowOfCheck } from './truth-map.js';
import { renderRunbook } from './runbook.js';
import { createRedactor } from '../redact.js';

export { ROW_NAMES, ScorecardSchema, SCORECARD_SCHEMA_VERSION, type Scorecard, type ScorecardRow, type RowName, type RowStatus } from './schema.js';
export { readTemplateFacts, type TemplateFacts } from './template-facts.js';
export type { Loaded, ScorecardInputs } from './inputs.js';

const ROWS: Array<(ctx: ScoreContext) => ScorecardRow> = [
  buildRow,
  processRow,
  resourcesRow,
  environmentRow,
  healthRow,
  databaseRow,
  domainRow,
  storageRow,
  scalingRow,
  monitoringRow,
  backupsRow,
  rollbackRow,
  securityRow,
  runbookRow,
];

function artifactStatus(artifact: Exclude<ArtifactStatus['artifact'], 'analysis' | 'runbook'>, loaded: Loaded<unknown>): ArtifactStatus {
  return { artifact, path: ARTIFACT_FILES[artifact], status: loaded.state, detail: loaded.state === 'invalid' ? loaded.reason : null };
}

function overall(ctx: ScoreContext, rows: ScorecardRow[]): Scorecard['overall'] {
  const notReady = rows.filter((r) => r.status === 'not-ready').map((r) => r.row);
  const unknown = rows.filter((r) => r.status === 'unknown').map((r) => r.row);
  const counts = {
    ready: rows.filter((r) => r.status === 'ready').length,
    not_ready: notReady.length,
    not_needed: rows.filter((r) => r.status === 'not-needed').length,
    unknown: unknown.length,
  };
  const report = ctx.truth?.report ?? null;
  const unmapped = (report?.checks ?? []).filter((c) => rowOfCheck(c.id) === null).map((c) => ({ id: c.id, status: c.status, required: c.required }));
  const truth = { verdict: report?.verdict ?? null, finished_at: report?.finished_at ?? null, image: report?.identity.image ?? null, fresh: ctx.truth?.fresh ?? false };

  // The checklist's launch gate: the Truth Pass of this release is accepted and no row is not ready.
  const reasons: string[] = [];
  if (ctx.inputs.truth.state === 'missing') reasons.push('no Runtime Truth Pass yet (deploy, then run `sealos-deploy verify`)');
  else if (ctx.inputs.truth.state === 'invalid') reasons.push(`the Truth Pass report is invalid (${ctx.inputs.truth.reason})`);
  else if (ctx.truth && !ctx.truth.fresh) reasons.push(`the last Truth Pass is stale: ${ctx.truth.stale}`);
  else if (report && report.verdict !== 'accepted') reasons.push(`the last Truth Pass was rejected${report.blocking.length ? ` (${report.blocking.join(', ')})` : ''}`);
  if (notReady.length) reasons.push(`${notReady.length} row(s) not ready: ${notReady.join(', ')}`);
  const launchable = reasons.length === 0;
  const unmappedFailures = unmapped.filter((c) => c.status === 'fail').map((c) => c.id);
  let reason = launchable
    ? `Launchable: the Truth Pass accepted ${truth.image ?? 'this release'} at ${truth.finished_at ?? 'an unknown time'} and no row is not ready.`
    : `Not launchable: ${reasons.join('; ')}.`;
  if (unknown.length) reason += ` Unknown: ${unknown.join(', ')}.`;
  if (unmappedFailures.length) reason += ` Other failed Truth Pass checks: ${unmappedFailures.join(', ')}.`;
  return { launchable, reason, counts, not_ready: notReady, unknown, truth, unmapped_checks: unmapped };
}

/** The checklist scorecard from the artifacts; pure and deterministic. */
export function buildScorecard(inputs: ScorecardInputs): Scorecard {
  const ctx = scoreContext(inputs);
  const rows = ROWS.map((row) => row(ctx));
  return {
    schema_version: SCORECARD_SCHEMA_VERSION,
    project: { name: inputs.analysis.project.name, path: inputs.analysis.project.path },
    artifacts: [
      { artifact: 'analysis', path: ARTIFACT_FILES.analysis, status: 'ok', detail: null },
      artifactStatus('template', inputs.template),
      artifactStatus('build-result', inputs.build),
      artifactStatus('state', inputs.state),
      artifactStatus('runtime-truth', inputs.truth),
      artifactStatus('rehearsal', inputs.rehearsal),
    ],
    rows,
    overall: overall(ctx, rows),
  };
}

/**
 * The scorecard and the RUNBOOK.md text. Both pass through a redactor that knows every non-empty
 * template input default, so a value someone typed into the template never reaches either output.
 */
export function buildReadiness(inputs: ScorecardInputs): { scorecard: Scorecard; runbook: string } {
  const ctx = scoreContext(inputs);
  const scorecard = buildScorecard(inputs);
  const redactor = createRedactor(ctx.template?.inputDefaults ?? []);
  return { scorecard: redactor.redactDeep(scorecard), runbook: redactor.redact(renderRunbook(ctx, scorecard)) };
}
