import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DeployError } from '../../core/errors.js';
import { AnalysisSchema, type Analysis } from '../../core/state/analysis-schema.js';
import { BUILD_RESULT_PATH, BuildResultSchema } from '../../core/state/build-result-schema.js';
import { instantiate } from '../../core/template/instantiate.js';
import { renderTemplateFile } from '../../core/template/write.js';
import type { RenderInputs } from '../../core/template/types.js';
import { validateResources } from '../../core/template/validate.js';
import { EXIT, type Command } from '../command.js';
import { printJson } from '../output.js';

const ANALYSIS = '.sealos/analysis.json';

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

async function loadAnalysis(dir: string): Promise<Analysis> {
  const r = await readJson(join(dir, ANALYSIS));
  if (!r.found) {
    throw new DeployError('ARTIFACT_MISSING', `${ANALYSIS} does not exist in ${dir}.`, `Run "sealos-deploy analyze ${dir}" first, then render again.`);
  }
  const parsed = r.error === undefined ? AnalysisSchema.safeParse(r.value) : null;
  if (!parsed?.success) {
    const why = r.error ?? parsed?.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DeployError('ARTIFACT_INVALID', `${ANALYSIS} is not a valid analysis (${why}).`, `Run "sealos-deploy analyze ${dir}" again to regenerate it.`);
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

function inputNames(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as string[]) : [];
  return list.map((kv) => {
    const eq = kv.indexOf('=');
    const name = eq < 0 ? kv : kv.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new DeployError('USAGE', `--input needs NAME=value, and "${name.slice(0, 40)}" is not an input name.`, 'Pass --input NAME=value (values are used at deploy time only).');
    }
    return name;
  });
}

function parseVolume(raw: unknown): RenderInputs['storage'] {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\/[^:]*):([0-9]+(?:Mi|Gi|Ti))$/.exec(raw);
  if (!m) throw new DeployError('USAGE', `--volume "${raw}" is not <mount-path>:<size>.`, 'Pass --volume /app/data:1Gi.');
  return { mountPath: m[1] as string, size: m[2] as string };
}

function parseReplicas(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new DeployError('USAGE', `--replicas "${String(raw)}" is not a whole number.`, 'Pass --replicas 1.');
  return n;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export const renderCommand: Command = {
  name: 'render',
  summary: 'Render .sealos/template/index.yaml (Sealos Template + resources) from the analysis and an image',
  usage: [
    'Usage: sealos-deploy render [dir] [--image ref] [--input NAME=value ...] [--app-name name] [--json]',
    '',
    '  --image ref            exact image to deploy (default: the image of .sealos/build/build-result.json); never "latest"',
    '  --input NAME=value     a deploy-time input; only the name is checked here, values are never written',
    '  --app-name name        base app name (default: the package name)',
    '  --replicas n           replicas (default 1)',
    '  --cpu q / --memory q   container limits (default 500m / 512Mi; requests are 10 %)',
    '  --domain host          also serve a custom domain (Let\'s Encrypt certificate)',
    '  --private-image        the image is private: pods use the pull Secret named after the app',
    '  --health-path path     health endpoint for probes (default: the one found by analyze)',
    '  --volume path:size     persistent volume (the workload becomes a StatefulSet), e.g. /app/data:1Gi',
  ].join('\n'),
  options: {
    image: { type: 'string' },
    input: { type: 'string', multiple: true },
    'app-name': { type: 'string' },
    replicas: { type: 'string' },
    cpu: { type: 'string' },
    memory: { type: 'string' },
    domain: { type: 'string' },
    'private-image': { type: 'boolean' },
    'health-path': { type: 'string' },
    volume: { type: 'string' },
  },
  async run(values, positionals, io) {
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const analysis = await loadAnalysis(dir);
    const built = typeof values.image === 'string' ? { image: values.image, pullSecret: false } : await imageFromBuild(dir);
    const image = built.image;
    const given = inputNames(values.input);
    const inputs: RenderInputs = { image };
    if (built.pullSecret) inputs.imagePullSecret = true;
    if (typeof values['app-name'] === 'string') inputs.appName = values['app-name'];
    const replicas = parseReplicas(values.replicas);
    if (replicas !== undefined) inputs.replicas = replicas;
    if (typeof values.cpu === 'string') inputs.cpu = values.cpu;
    if (typeof values.memory === 'string') inputs.memory = values.memory;
    if (typeof values.domain === 'string') inputs.customDomain = values.domain;
    if (values['private-image'] === true) inputs.imagePullSecret = true;
    if (typeof values['health-path'] === 'string') inputs.healthPath = values['health-path'];
    const storage = parseVolume(values.volume);
    if (storage) inputs.storage = storage;

    const file = renderTemplateFile(analysis, inputs);
    const { result } = file;
    // Instantiate with stand-in values so every resource is checked before the file is written.
    const placeholders = Object.fromEntries(result.inputs.map((n) => [n, 'placeholder']));
    const trial = instantiate(result.yaml, {
      namespace: 'ns-render00',
      cloudDomain: 'render-check.sealos.app',
      certSecretName: 'wildcard-cert',
      inputs: placeholders,
      random: (n) => 'a'.repeat(n),
    });
    await validateResources(trial.objects);

    const path = join(dir, file.path);
    await writeAtomic(path, file.text);
    const warnings = [...result.warnings];
    const unknown = given.filter((n) => !result.inputs.includes(n));
    if (unknown.length) warnings.push(`--input ${unknown.join(', ')}: the template has no such input.`);
    const missing = result.inputs.filter((n) => !given.includes(n));

    if (values.json) {
      printJson(io, { path, inputs: result.inputs, warnings });
      return EXIT.ok;
    }
    const kinds = result.documents.map((d) => d.kind).join(', ');
    const lines = [
      `Wrote ${path}`,
      `  image:     ${image}`,
      `  resources: ${kinds}`,
      `  inputs:    ${result.inputs.length ? result.inputs.join(', ') : 'none'}`,
    ];
    if (missing.length) lines.push(`  give at deploy time: ${missing.join(', ')}`);
    for (const w of warnings) lines.push(`  warning: ${w}`);
    io.stdout(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};
