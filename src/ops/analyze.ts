import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeRepo } from '../core/analysis/index.js';
import { DeployError } from '../core/errors.js';
import { AnalysisSchema, type Analysis } from '../core/state/analysis-schema.js';
import { ensureSealosGitignore } from '../core/state/store.js';
import { nodeStateIo, writeFileAtomic } from '../system/atomic-file.js';
import { openRepoView } from '../system/repo-view.js';
import { execaRunner } from '../system/runner.js';
import { artifactPath } from './paths.js';

export interface AnalyzeProjectOptions {
  /** Workspace unit, relative to dir. */
  path?: string;
  /** Write `.sealos/analysis.json` into the unit directory (default true). */
  write?: boolean;
}

/** Analyze the project at `dir` (a unit with `path`) and record `.sealos/analysis.json` in the unit's directory. */
export async function analyzeProject(dir: string, opts: AnalyzeProjectOptions = {}): Promise<{ analysis: Analysis; artifact: string | null }> {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new DeployError('PROJECT_NOT_FOUND', `${root} is not a directory.`, 'Pass the path of the service checkout, e.g. `sealos-deploy analyze ./my-service`.');
  const view = await openRepoView(root, execaRunner);
  const analysis = AnalysisSchema.parse(analyzeRepo(view, { path: opts.path }));
  // What this analysis learned about unchanged files spares the next one reading them.
  view.scanCache?.save();
  if (opts.write === false) return { analysis, artifact: null };
  const unitDir = join(root, analysis.project.path);
  const file = artifactPath(unitDir, 'analysis');
  await writeFileAtomic(file, JSON.stringify(analysis, null, 2) + '\n');
  // The first artifact creates .sealos/: make sure local evidence written later is never committed.
  await ensureSealosGitignore(artifactPath(unitDir, 'dir'), nodeStateIo());
  return { analysis, artifact: file };
}
