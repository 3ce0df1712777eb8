import type { Analysis } from '../state/analysis-schema.js';
import type { BuildResult } from '../state/build-result-schema.js';
import type { RuntimeTruthReport } from '../state/runtime-truth-schema.js';
import type { DeployState } from '../state/state-schema.js';
import { STATIC_PORT } from '../template/render.js';
import type { Loaded, ScorecardInputs } from './inputs.js';
import type { TemplateFacts } from './template-facts.js';
import { deployPort } from '../deploy-port.js';

/** A Truth Pass or rehearsal report, and whether it verified the release the other artifacts describe. */
export interface TruthView {
  report: RuntimeTruthReport;
  fresh: boolean;
  /** Why it is not fresh; null when fresh. */
  stale: string | null;
}

export interface ScoreContext {
  inputs: ScorecardInputs;
  a: Analysis;
  template: TemplateFacts | null;
  build: BuildResult | null;
  state: DeployState | null;
  truth: TruthView | null;
  rehearsal: TruthView | null;
  /** The port the service listens on according to the analysis (what the template must expose). */
  expectedPort: number | null;
  hasDatabase: boolean;
  /** The image the current release runs or is about to run. */
  currentImage: string | null;
}

const ok = <T>(l: Loaded<T>): T | null => (l.state === 'ok' ? l.value : null);

export function expectedPort(a: Analysis): number | null {
  if (a.kind === 'worker' || a.kind === 'not-deployable') return null;
  if (a.kind === 'static') return STATIC_PORT;
  return deployPort(a);
}

function truthView(report: RuntimeTruthReport | null, image: string | null): TruthView | null {
  if (!report) return null;
  const verified = report.identity.image;
  if (image && verified && verified !== image) return { report, fresh: false, stale: `it verified ${verified}, not the current release ${image}` };
  return { report, fresh: true, stale: null };
}

function rehearsalView(report: RuntimeTruthReport | null, commit: string | null): TruthView | null {
  if (!report) return null;
  const rehearsed = report.identity.commit;
  if (commit && rehearsed && rehearsed !== commit) return { report, fresh: false, stale: `it rehearsed commit ${rehearsed.slice(0, 12)}, the checkout is at ${commit.slice(0, 12)}` };
  return { report, fresh: true, stale: null };
}

export function scoreContext(inputs: ScorecardInputs): ScoreContext {
  const a = inputs.analysis;
  const template = ok(inputs.template);
  const build = ok(inputs.build);
  const state = ok(inputs.state);
  const currentImage = template?.image ?? (build?.outcome === 'success' ? build.image : null) ?? state?.last_deploy.image ?? null;
  return {
    inputs,
    a,
    template,
    build,
    state,
    truth: truthView(ok(inputs.truth), currentImage),
    rehearsal: rehearsalView(ok(inputs.rehearsal), a.project.git?.commit ?? null),
    expectedPort: expectedPort(a),
    hasDatabase: a.database.engine !== null || a.databases.length > 0,
    currentImage,
  };
}
