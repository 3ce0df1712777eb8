import { VERSION } from '../../version.js';
import type { Redactor } from '../redact.js';
import { RUNTIME_TRUTH_SCHEMA_VERSION, sealReport, type RuntimeTruthReport, type TruthIdentity, type TruthTarget } from '../state/runtime-truth-schema.js';
import type { RunChecksResult } from './runner.js';

export interface ReportInput {
  target: TruthTarget;
  identity: TruthIdentity;
  /** When the whole pass began (setup included), if earlier than the first check. */
  startedAt?: Date;
  budgetMs: number;
  stabilityWindowSeconds: number;
  redactor: Redactor;
}

/** The sealed report (digest included) for a finished run: the shape of runtime-truth.json and rehearsal.json. */
export function buildTruthReport(outcome: RunChecksResult, input: ReportInput): RuntimeTruthReport {
  const started = input.startedAt ?? new Date(outcome.started_at);
  const finished = new Date(outcome.finished_at);
  return sealReport(
    input.redactor.redactDeep({
      schema_version: RUNTIME_TRUTH_SCHEMA_VERSION,
      tool: { name: 'sealos-deploy' as const, version: VERSION },
      target: input.target,
      verdict: outcome.verdict,
      verdict_reason: outcome.verdict_reason,
      blocking: outcome.blocking,
      identity: input.identity,
      started_at: started.toISOString(),
      finished_at: finished.toISOString(),
      duration_ms: Math.max(0, finished.getTime() - started.getTime()),
      budget_ms: input.budgetMs,
      stability_window_seconds: input.stabilityWindowSeconds,
      checks: outcome.checks,
    }),
  );
}
