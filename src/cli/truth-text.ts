import type { RuntimeTruthReport } from '../core/state/runtime-truth-schema.js';
import { nextSteps } from '../core/truth/next-steps.js';

/** The verdict line of a Truth report, then what to do about it when there is anything to do. */
export function verdictText(report: RuntimeTruthReport): string {
  const steps = nextSteps(report);
  const next = steps.length ? `\nnext:\n${steps.map((s) => `  - ${s}`).join('\n')}\n` : '';
  return `\nverdict: ${report.verdict.toUpperCase()} (${report.verdict_reason})\n${next}`;
}
