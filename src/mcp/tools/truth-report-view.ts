import { z } from 'zod';
import { CheckStatus, Verdict, type RuntimeTruthReport } from '../../core/state/runtime-truth-schema.js';
import { nextSteps } from '../../core/truth/next-steps.js';

/** What rehearse and runtime_truth_pass return of a Truth report (same schema, local or cluster). */
export const truthReportFields = {
  verdict: Verdict,
  verdict_reason: z.string(),
  blocking: z.array(z.string()).describe('Required checks that did not pass.'),
  checks: z.array(z.object({ id: z.string(), status: CheckStatus, required: z.boolean(), summary: z.string(), duration_ms: z.number() })),
  duration_ms: z.number(),
  next_steps: z.array(z.string()).describe('What to change or run next for the failed checks, causes first; empty when nothing failed.'),
};

export function truthReportView(report: RuntimeTruthReport) {
  return {
    verdict: report.verdict,
    verdict_reason: report.verdict_reason,
    blocking: report.blocking,
    checks: report.checks.map((c) => ({ id: c.id, status: c.status, required: c.required, summary: c.summary, duration_ms: c.duration_ms })),
    duration_ms: report.duration_ms,
    next_steps: nextSteps(report),
  };
}

/** Summary lines for the checks that decide a rejection (failures, required checks skipped), then what to do. */
export function failingCheckLines(report: RuntimeTruthReport): string[] {
  const failing = report.checks.filter((c) => c.status === 'fail' || (c.required && c.status === 'skip')).map((c) => `${c.status} ${c.id}: ${c.summary}`);
  return [...failing, ...nextSteps(report).map((s) => `next: ${s}`)];
}
