import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeployError } from '../core/errors.js';
import { AnalysisSchema, type Analysis } from '../core/state/analysis-schema.js';
import { BUILD_RESULT_PATH, BuildResultSchema } from '../core/state/build-result-schema.js';
import { instantiate } from '../core/template/instantiate.js';
import type { RenderInputs } from '../core/template/types.js';
import { validateResources } from '../core/template/validate.js';
import { renderTemplateFile } from '../core/template/write.js';
import { writeFileAtomic } from '../system/atomic-file.js';
import { ARTIFACTS } from './paths.js';
import { shellWord } from '../core/shell-word.js';

async function readJson(path: string): Promise<{ found: false } | { found: true; value: unknown; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { found: false };
    throw err;
  }
  try {
    return { found: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { found: true, value: undefined, error: (err as Error).message };
  }
}

/** The unit's analysis, validated: render never trusts an artifact blindly. */
export async function loadAnalysis(dir: string): Promise<Analysis> {
  const r = await readJson(join(dir, ARTIFACTS.analysis));
  if (!r.found) {
    throw new DeployError('ARTIFACT_MISSING', `${ARTIFACTS.analysis} does not exist in ${dir}.`, `Run "sealos-deploy analyze ${shellWord(dir)}" first, then render again.`);
  }
  const parsed = r.error === undefined ? AnalysisSchema.safeParse(r.value) : null;
  if (!parsed?.success) {
    const why = r.error ?? parsed?.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DeployError('ARTIFACT_INVALID', `${ARTIFACTS.analysis} is not a valid analysis (${why}).`, `Run "sealos-deploy analyze ${shellWord(dir)}" again to regenerate it.`);
  }
  return parsed.data;
}

async function imageFromBuild(dir: string): Promise<{ image: string; pullSecret: boolean }> {
  const r = await readJson(join(dir, BUILD_RESULT_PATH));
  if (!r.found) {
    throw new DeployError('INPUT_MISSING', `No image to deploy: ${BUILD_RESULT_PATH} does not exist.`, 'Pass --image <registry>/<name>:<unique-tag>, or build the image first (sealos-deploy build).');
  }
  const parsed = r.error === undefined ? BuildResultSchema.safeParse(r.value) : null;
  if (!parsed?.success) {
    throw new DeployError('ARTIFACT_INVALID', `${BUILD_RESULT_PATH} is not a valid build result.`, 'Build again (sealos-deploy build) or pass --image <registry>/<name>:<unique-tag>.');
  }
  if (parsed.data.outcome !== 'success') {
    throw new DeployError('INPUT_MISSING', `No image to deploy: the last build failed.`, 'Fix the build and run sealos-deploy build again, or pass --image <registry>/<name>:<unique-tag>.');
  }
  return { image: parsed.data.image, pullSecret: parsed.data.requires_image_pull_secret };
}

export interface RenderProjectOptions extends Omit<RenderInputs, 'image'> {
  /** Exact image ref; default: the image of a successful build-result. */
  image?: string;
  /** Input names the caller will supply at deploy time (values never reach the template). */
  givenInputs?: string[];
}

export interface RenderProjectResult {
  path: string;
  image: string;
  kinds: string[];
  /** Names of the template's inputs. */
  inputs: string[];
  /** Inputs the template needs that the caller did not name. */
  missing: string[];
  warnings: string[];
}

/** Render `.sealos/template/index.yaml` from the analysis; every resource is validated before the file is written. */
export async function renderProject(dir: string, opts: RenderProjectOptions = {}): Promise<RenderProjectResult> {
  const root = resolve(dir);
  const analysis = await loadAnalysis(root);
  const { image: explicit, givenInputs = [], ...rest } = opts;
  const built = explicit ? { image: explicit, pullSecret: false } : await imageFromBuild(root);
  const inputs: RenderInputs = { ...rest, image: built.image };
  if (built.pullSecret) inputs.imagePullSecret = true;

  const file = renderTemplateFile(analysis, inputs);
  const { result } = file;
  // Instantiate with stand-in values so every resource is checked before the file is written.
  const trial = instantiate(result.yaml, {
    namespace: 'ns-render00',
    cloudDomain: 'render-check.sealos.app',
    certSecretName: 'wildcard-cert',
    inputs: Object.fromEntries(result.inputs.map((n) => [n, 'placeholder'])),
    random: (n) => 'a'.repeat(n),
  });
  await validateResources(trial.objects);

  const path = join(root, file.path);
  await writeFileAtomic(path, file.text);
  const warnings = [...result.warnings];
  const unknown = givenInputs.filter((n) => !result.inputs.includes(n));
  if (unknown.length) warnings.push(`--input ${unknown.join(', ')}: the template has no such input.`);
  return { path, image: built.image, kinds: result.documents.map((d) => String(d.kind)), inputs: result.inputs, missing: result.inputs.filter((n) => !givenInputs.includes(n)), warnings };
}
