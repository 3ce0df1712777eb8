import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { buildImage } from '../core/image/build.js';
import { readGitFacts } from '../core/image/git-facts.js';
import { parseImageRef } from '../core/image/image-ref.js';
import { GENERATED_MARKER, planImage, type ImagePlan } from '../core/image/plan.js';
import { registryFromRemote } from '../core/image/tag.js';
import { DeployError } from '../core/errors.js';
import { systemClock, type ProgressFn } from '../core/ports.js';
import { AnalysisSchema, type Analysis } from '../core/state/analysis-schema.js';
import type { BuildResult } from '../core/state/build-result-schema.js';
import { createDocker, fsImageWorkTree } from '../system/docker.js';
import { createRegistryClient } from '../system/registry-client.js';
import { openRepoView } from '../system/repo-view.js';
import { execaRunner } from '../system/runner.js';
import { ARTIFACTS } from './paths.js';
import { shellWord } from '../core/shell-word.js';
import { unitRelPath } from '../core/unit-path.js';

/** Finds the analysis and the repository root it was made from (a unit's analysis lives in the unit). */
async function loadUnitAnalysis(dir: string, unitPath: string | undefined): Promise<{ root: string; analysis: Analysis }> {
  const base = resolve(dir);
  const where = join(base, unitRelPath(unitPath), ARTIFACTS.analysis);
  let text: string;
  try {
    text = await readFile(where, 'utf8');
  } catch {
    throw new DeployError('ARTIFACT_MISSING', `${where} does not exist.`, `Run sealos-deploy analyze ${shellWord(dir)}${unitPath ? ` --path ${shellWord(unitPath)}` : ''} first.`);
  }
  let analysis: Analysis;
  try {
    analysis = AnalysisSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new DeployError('ARTIFACT_INVALID', `${where} is not a valid analysis: ${(err as Error).message.slice(0, 300)}`, 'Re-run sealos-deploy analyze to regenerate it.');
  }
  const unit = analysis.project.path;
  // `build apps/web` (the unit's own directory) works as well as `build . --path apps/web`.
  let root = join(base, unitPath ?? '');
  if (unit) {
    const suffix = sep + unit.split('/').join(sep);
    if (!root.endsWith(suffix)) throw new DeployError('ARTIFACT_STALE', `${where} describes unit ${unit}, not this directory.`, `Re-run sealos-deploy analyze${unitPath ? ` --path ${shellWord(unitPath)}` : ''}.`);
    root = root.slice(0, -suffix.length) || sep;
  }
  return { root, analysis };
}

export interface BuildProjectOptions {
  path?: string;
  /** Reuse this image instead of building (checked: exists, linux/amd64, built from HEAD). */
  image?: string;
  /** Where to push, e.g. ghcr.io/acme (default: ghcr.io/<GitHub owner of origin>). */
  registryNamespace?: string;
  /** Registry login; the password travels to docker on stdin only. */
  credentials?: { username: string; password: string };
  push?: boolean;
  /** Accept the plan's warnings (reusing an image not built from this checkout). */
  confirm?: boolean;
  env?: NodeJS.ProcessEnv;
  progress?: ProgressFn;
  signal?: AbortSignal;
}

export type BuildProjectResult = { status: 'plan-only'; plan: ImagePlan } | { status: 'done'; plan: ImagePlan; result: BuildResult };

/** Plan the image (reuse or build) and, unless the plan needs acceptance, build and record build-result.json. */
export async function buildProject(dir: string, opts: BuildProjectOptions = {}): Promise<BuildProjectResult> {
  const { root, analysis } = await loadUnitAnalysis(dir, opts.path);
  const repo = await openRepoView(root, execaRunner);
  const generated = (p: string) => /(^|\/)(Dockerfile|\.dockerignore|Dockerfile\.dockerignore)$/.test(p) && (repo.read(p) ?? '').includes(GENERATED_MARKER);
  const git = await readGitFacts(execaRunner, root, generated);
  const targetRegistry = (() => {
    try {
      return parseImageRef(opts.image ?? `${opts.registryNamespace ?? registryFromRemote(git?.remote ?? null) ?? 'localhost'}/x:t`).registry;
    } catch {
      return null;
    }
  })();
  const credentials = opts.credentials;
  const registry = createRegistryClient({ credentials: (host) => (credentials && host === targetRegistry ? credentials : undefined) });
  const plan = await planImage({
    analysis,
    repo,
    registry,
    now: systemClock.now(),
    git,
    ...(opts.image ? { image: opts.image } : {}),
    ...(opts.registryNamespace ? { registryNamespace: opts.registryNamespace } : {}),
    push: opts.push ?? true,
  });
  if (plan.requires_acceptance && !opts.confirm) return { status: 'plan-only', plan };
  const docker = createDocker(execaRunner, { env: opts.env ?? process.env });
  const result = await buildImage(
    plan,
    { docker, tree: fsImageWorkTree(root), registry, clock: systemClock, ...(opts.progress ? { progress: opts.progress } : {}) },
    { ...(credentials ? { credentials } : {}), accept: Boolean(opts.confirm), ...(opts.signal ? { signal: opts.signal } : {}) },
  );
  return { status: 'done', plan, result };
}
