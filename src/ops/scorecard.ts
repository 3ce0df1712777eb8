import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { DeployError } from '../core/errors.js';
import { buildReadiness, readTemplateFacts, type Loaded, type Scorecard, type ScorecardInputs } from '../core/scorecard/index.js';
import { AnalysisSchema } from '../core/state/analysis-schema.js';
import { BuildResultSchema } from '../core/state/build-result-schema.js';
import { semanticProblems } from '../core/state/history.js';
import { RuntimeTruthReportSchema, verifyDigest, type RuntimeTruthReport } from '../core/state/runtime-truth-schema.js';
import { DeployStateSchema, formatIssues, type DeployState } from '../core/state/state-schema.js';
import { readTextIfExists, writeFileAtomic } from '../system/atomic-file.js';
import { artifactPath } from './paths.js';
import { shellWord } from '../core/shell-word.js';
import { unitRelPath } from '../core/unit-path.js';

export interface ReadinessScorecardOptions {
  /** Workspace unit, relative to dir. */
  path?: string;
  /** Write `.sealos/RUNBOOK.md` (default true). */
  writeRunbook?: boolean;
}

export interface ReadinessScorecardResult {
  scorecard: Scorecard;
  /** Absolute path of the RUNBOOK.md written, or null with writeRunbook false. */
  runbook_path: string | null;
}

async function readJson(path: string): Promise<{ found: false } | { found: true; value?: unknown; error?: string }> {
  const text = await readTextIfExists(path);
  if (text === null) return { found: false };
  try {
    return { found: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { found: true, error: `not JSON: ${(err as Error).message}` };
  }
}

/** Reads and validates one JSON artifact; anything wrong with it becomes `invalid` with the reason. */
async function loadJson<T>(path: string, schema: z.ZodType<T>, extra?: (v: T) => string | null): Promise<Loaded<T>> {
  const r = await readJson(path);
  if (!r.found) return { state: 'missing' };
  if (r.error !== undefined) return { state: 'invalid', reason: r.error };
  const parsed = schema.safeParse(r.value);
  if (!parsed.success) return { state: 'invalid', reason: formatIssues(parsed.error).slice(0, 3).join('; ') };
  const problem = extra?.(parsed.data) ?? null;
  return problem ? { state: 'invalid', reason: problem } : { state: 'ok', value: parsed.data };
}

function truthCheck(target: RuntimeTruthReport['target']) {
  return (r: RuntimeTruthReport): string | null => {
    if (r.target !== target) return `target is "${r.target}", expected "${target}"`;
    return verifyDigest(r) ? null : 'its digest does not match its content (edited after the pass wrote it)';
  };
}

function stateCheck(s: DeployState): string | null {
  const problems = semanticProblems(s);
  return problems.length ? problems.slice(0, 2).join('; ') : null;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The checklist's readiness scorecard for the unit at `dir` (+ `path`), from its `.sealos/` artifacts,
 * and `.sealos/RUNBOOK.md` written atomically. Only the analysis is required; every other artifact that
 * is missing or invalid makes its rows unknown instead of failing.
 */
export async function readinessScorecard(dir: string, opts: ReadinessScorecardOptions = {}): Promise<ReadinessScorecardResult> {
  const unit = join(resolve(dir), unitRelPath(opts.path));
  const writeRunbook = opts.writeRunbook !== false;
  const analysis = await loadJson(artifactPath(unit, 'analysis'), AnalysisSchema);
  const analyze = `sealos-deploy analyze ${shellWord(dir)}${opts.path ? ` --path ${shellWord(opts.path)}` : ''}`;
  if (analysis.state === 'missing') throw new DeployError('ARTIFACT_MISSING', `.sealos/analysis.json does not exist in ${unit}.`, `Run "${analyze}" first, then the scorecard again.`);
  if (analysis.state === 'invalid') throw new DeployError('ARTIFACT_INVALID', `.sealos/analysis.json is not a valid analysis (${analysis.reason}).`, `Run "${analyze}" again to regenerate it.`);

  const templateText = await readTextIfExists(artifactPath(unit, 'template'));
  const runbookPath = artifactPath(unit, 'runbook');
  const inputs: ScorecardInputs = {
    analysis: analysis.value,
    template: templateText === null ? { state: 'missing' } : await readTemplateFacts(templateText),
    build: await loadJson(artifactPath(unit, 'buildResult'), BuildResultSchema),
    state: await loadJson(artifactPath(unit, 'state'), DeployStateSchema, stateCheck),
    truth: await loadJson(artifactPath(unit, 'runtimeTruth'), RuntimeTruthReportSchema, truthCheck('cluster')),
    rehearsal: await loadJson(artifactPath(unit, 'rehearsal'), RuntimeTruthReportSchema, truthCheck('local')),
    runbook: writeRunbook ? 'written' : (await exists(runbookPath)) ? 'exists' : 'missing',
  };
  const { scorecard, runbook } = buildReadiness(inputs);
  if (!writeRunbook) return { scorecard, runbook_path: null };
  await writeFileAtomic(runbookPath, runbook);
  return { scorecard, runbook_path: runbookPath };
}
