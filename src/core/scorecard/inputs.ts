import type { Analysis } from '../state/analysis-schema.js';
import type { BuildResult } from '../state/build-result-schema.js';
import type { RuntimeTruthReport } from '../state/runtime-truth-schema.js';
import type { DeployState } from '../state/state-schema.js';
import type { TemplateFacts } from './template-facts.js';

/** An optional artifact as read from `.sealos/`: absent, present but unusable (with why), or valid. */
export type Loaded<T> = { state: 'missing' } | { state: 'invalid'; reason: string } | { state: 'ok'; value: T };

export interface ScorecardInputs {
  analysis: Analysis;
  template: Loaded<TemplateFacts>;
  build: Loaded<BuildResult>;
  state: Loaded<DeployState>;
  /** `.sealos/runtime-truth.json` (target cluster). */
  truth: Loaded<RuntimeTruthReport>;
  /** `.sealos/rehearsal.json` (target local). */
  rehearsal: Loaded<RuntimeTruthReport>;
  /** `written`: this run writes RUNBOOK.md; `exists`: kept from an earlier run; `missing`: none. */
  runbook: 'written' | 'exists' | 'missing';
}

export const ARTIFACT_FILES = {
  analysis: '.sealos/analysis.json',
  template: '.sealos/template/index.yaml',
  'build-result': '.sealos/build/build-result.json',
  state: '.sealos/state.json',
  'runtime-truth': '.sealos/runtime-truth.json',
  rehearsal: '.sealos/rehearsal.json',
  runbook: '.sealos/RUNBOOK.md',
} as const;
