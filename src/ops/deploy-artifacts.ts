import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import YAML from 'yaml';
import { DeployError } from '../core/errors.js';
import { migrationsDigest, type MigrationFile } from '../core/rollback/migrations-digest.js';
import { AnalysisSchema, type Analysis } from '../core/state/analysis-schema.js';
import { BuildResultSchema, type BuildResult } from '../core/state/build-result-schema.js';
import { readTextIfExists } from '../system/atomic-file.js';
import { ARTIFACTS, artifactPath } from './paths.js';
import { shellWord } from '../core/shell-word.js';

export interface TemplateArtifact {
  text: string;
  /** `sha256:<hex>` of the file as applied. */
  digest: string;
  /** The Template document's spec (first document). */
  templateSpec: Record<string, unknown>;
  /** Images of the workload containers as rendered. */
  images: string[];
}

function parseJson(text: string, what: string, next: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DeployError('ARTIFACT_INVALID', `${what} is not valid JSON.`, next);
  }
}

/** The digest recorded for a release's template (`template_digest`). */
export function templateDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export async function loadTemplate(dir: string): Promise<TemplateArtifact> {
  const text = await readTextIfExists(artifactPath(dir, 'template'));
  if (text === null) {
    throw new DeployError('ARTIFACT_MISSING', `${ARTIFACTS.template} does not exist in ${dir}.`, `Run "sealos-deploy render ${shellWord(dir)}" first.`);
  }
  let docs: unknown[];
  try {
    docs = YAML.parseAllDocuments(text).map((d) => d.toJS() as unknown);
  } catch (err) {
    throw new DeployError('TEMPLATE_INVALID', `${ARTIFACTS.template} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, 'Re-run sealos-deploy render.');
  }
  const head = docs[0] as { kind?: string; spec?: Record<string, unknown> } | null;
  if (!head || head.kind !== 'Template') throw new DeployError('TEMPLATE_INVALID', `The first document of ${ARTIFACTS.template} is not a Template.`, 'Re-run sealos-deploy render.');
  const images: string[] = [];
  for (const d of docs.slice(1) as Array<{ kind?: string; spec?: { template?: { spec?: { containers?: Array<{ image?: unknown }> } } } } | null>) {
    if (d?.kind !== 'Deployment' && d?.kind !== 'StatefulSet') continue;
    for (const c of d.spec?.template?.spec?.containers ?? []) if (typeof c.image === 'string') images.push(c.image);
  }
  return { text, digest: templateDigest(text), templateSpec: head.spec ?? {}, images };
}

export async function loadBuildResult(dir: string): Promise<BuildResult | null> {
  const text = await readTextIfExists(artifactPath(dir, 'buildResult'));
  if (text === null) return null;
  const parsed = BuildResultSchema.safeParse(parseJson(text, ARTIFACTS.buildResult, 'Build again (sealos-deploy build).'));
  if (!parsed.success) throw new DeployError('ARTIFACT_INVALID', `${ARTIFACTS.buildResult} is not a valid build result.`, 'Build again (sealos-deploy build) or pass --image.');
  return parsed.data;
}

export async function loadAnalysisIfPresent(dir: string): Promise<Analysis | null> {
  const text = await readTextIfExists(artifactPath(dir, 'analysis'));
  if (text === null) return null;
  const parsed = AnalysisSchema.safeParse(parseJson(text, ARTIFACTS.analysis, 'Re-run sealos-deploy analyze.'));
  if (!parsed.success) throw new DeployError('ARTIFACT_INVALID', `${ARTIFACTS.analysis} is not a valid analysis.`, 'Re-run sealos-deploy analyze.');
  return parsed.data;
}

/**
 * The image this release deploys, re-validated against the rendered template: `--image` wins, then a
 * successful build-result; without either the template's own image is used. A template rendered for
 * another image is stale (ARTIFACT_STALE), never silently patched.
 */
export function resolveImage(template: TemplateArtifact, build: BuildResult | null, explicit: string | undefined): { image: string; source: 'argument' | 'build-result' | 'template'; pull_secret_expected: boolean } {
  const rendered = template.images[0];
  if (!rendered) throw new DeployError('TEMPLATE_INVALID', `${ARTIFACTS.template} has no Deployment or StatefulSet container image.`, 'Re-run sealos-deploy render.');
  const pull = build?.outcome === 'success' ? build.requires_image_pull_secret : false;
  const want = explicit ?? (build?.outcome === 'success' ? build.image : undefined);
  if (want === undefined) return { image: rendered, source: 'template', pull_secret_expected: pull };
  if (!template.images.includes(want)) {
    throw new DeployError(
      'ARTIFACT_STALE',
      `${ARTIFACTS.template} was rendered for ${rendered}, but this release deploys ${want} (from ${explicit ? '--image' : ARTIFACTS.buildResult}).`,
      `Re-run render so the template matches the image: sealos-deploy render --image ${want}`,
      { template_image: rendered, image: want },
    );
  }
  return { image: want, source: explicit ? 'argument' : 'build-result', pull_secret_expected: pull };
}

/** Digest of the analysed migration files (read now, so an edited migration changes the digest). */
export async function releaseMigrationsDigest(dir: string, analysis: Analysis | null): Promise<string | null> {
  const files = analysis?.migrations.files ?? [];
  // No migration files: "none" is known when a tool manages none yet, or when the app has no database at
  // all (nothing to migrate, and a rollback need not ask). A database with no tool stays unknown.
  if (!analysis || files.length === 0) return analysis && (analysis.migrations.tool || !analysis.database.engine) ? migrationsDigest([]) : null;
  // Paths are repo-relative; the unit dir is `<root>/<project.path>`.
  const unit = analysis.project.path.replace(/\/+$/, '');
  const root = unit && dir.endsWith(sep + unit.split('/').join(sep)) ? dir.slice(0, dir.length - unit.length - 1) : dir;
  const out: MigrationFile[] = [];
  for (const f of files) {
    const content = (await readFile(join(root, f)).catch(() => null)) ?? (await readFile(join(dir, f)).catch(() => null));
    if (content) out.push({ path: f, content });
  }
  return migrationsDigest(out);
}

/** The repository name recorded in state (`repo_name`). */
export function repoName(dir: string, analysis: Analysis | null): string {
  return analysis?.project.name || basename(dir) || 'app';
}

/** Docker Hub user of an image (`docker.io/<user>/…` or `<user>/…`), else null. */
export function dockerHubUser(image: string): string | null {
  const parts = image.split('/');
  if (parts.length === 2 && !/[.:]/.test(parts[0]!) && parts[0] !== 'localhost') return parts[0]!;
  if (parts.length === 3 && (parts[0] === 'docker.io' || parts[0] === 'index.docker.io')) return parts[1]!;
  return null;
}
