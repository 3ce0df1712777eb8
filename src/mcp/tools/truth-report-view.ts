import { z } from 'zod';
import { CheckStatus, Verdict, type RuntimeTruthReport } from '../../core/state/runtime-truth-schema.js';

/** What rehearse and runtime_truth_pass return of a Truth report (same schema, local or cluster). */
export const truthReportFields = {
  verdict: Verdict,
  verdict_reason: z.string(),
  blocking: z.array(z.string()).describe('Required checks that did not pass.'),
  checks: z.array(z.object({ id: z.string(), status: CheckStatus, required: z.boolean(), summary: z.string(), duration_ms: z.number() })),
  duration_ms: z.number(),
};

export function truthReportView(report: RuntimeTruthReport) {
  return {
    verdict: report.verdict,
    verdict_reason: report.verdict_reason,
    blocking: report.blocking,
    checks: report.checks.map((c) => ({ id: c.id, status: c.status, required: c.required, summary: c.summary, duration_ms: c.duration_ms })),
    duration_ms: report.duration_ms,
  };
}

/** Summary lines for the checks that decide a rejection: failures, and required checks that were skipped. */
export function failingCheckLines(report: RuntimeTruthReport): string[] {
  return report.checks.filter((c) => c.status === 'fail' || (c.required && c.status === 'skip')).map((c) => `${c.status} ${c.id}: ${c.summary}`);
}
