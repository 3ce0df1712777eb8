import type { z } from 'zod';
import { AnalysisSchema } from './analysis-schema.js';
import { BuildResultSchema } from './build-result-schema.js';
import { RuntimeTruthReportSchema } from './runtime-truth-schema.js';
import { DeployStateSchema } from './state-schema.js';
import { ScorecardSchema } from '../scorecard/schema.js';

/** Every `.sealos/*` artifact with a zod schema; `npm run schemas` writes schemas/<name>.schema.json from these. */
export const ARTIFACT_SCHEMAS: Array<{ name: string; title: string; schema: z.ZodType }> = [
  { name: 'analysis', title: '.sealos/analysis.json', schema: AnalysisSchema },
  { name: 'build-result', title: '.sealos/build/build-result.json', schema: BuildResultSchema },
  { name: 'runtime-truth', title: '.sealos/runtime-truth.json and .sealos/rehearsal.json', schema: RuntimeTruthReportSchema },
  { name: 'state', title: '.sealos/state.json', schema: DeployStateSchema },
  { name: 'scorecard', title: 'readiness_scorecard output', schema: ScorecardSchema },
];
