import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { buildImage } from '../../core/image/build.js';
import { readGitFacts } from '../../core/image/git-facts.js';
import { parseImageRef } from '../../core/image/image-ref.js';
import { registryFromRemote } from '../../core/image/tag.js';
import { GENERATED_MARKER, planImage, type ImagePlan } from '../../core/image/plan.js';
import { DeployError, isDeployError } from '../../core/errors.js';
import { systemClock } from '../../core/ports.js';
import { AnalysisSchema, type Analysis } from '../../core/state/analysis-schema.js';
import { BUILD_RESULT_PATH } from '../../core/state/build-result-schema.js';
import { createDocker, fsImageWorkTree } from '../../system/docker.js';
import { createRegistryClient } from '../../system/registry-client.js';
import { openRepoView } from '../../system/repo-view.js';
import { execaRunner } from '../../system/runner.js';
import { EXIT, type CliIo, type Command } from '../command.js';
import { printJson } from '../output.js';

const ANALYSIS = '.sealos/analysis.json';

/** Finds the analysis and the repository root it was made from (a unit's analysis lives in the unit). */
async function loadAnalysis(dir: string, unitPath: string | undefined): Promise<{ root: string; analysis: Analysis }> {
  const base = resolve(dir);
  const where = join(base, unitPath ?? '', ANALYSIS);
  let text: string;
  try {
    text = await readFile(where, 'utf8');
  } catch {
    throw new DeployError('ARTIFACT_MISSING', `${where} does not exist.`, `Run sealos-deploy analyze ${dir}${unitPath ? ` --path ${unitPath}` : ''} first.`);
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
    if (!root.endsWith(suffix)) throw new DeployError('ARTIFACT_STALE', `${where} describes unit ${unit}, not this directory.`, `Re-run sealos-deploy analyze${unitPath ? ` --path ${unitPath}` : ''}.`);
    root = root.slice(0, -suffix.length) || sep;
  }
  return { root, analysis };
}

async function readStdin(io: CliIo): Promise<string> {
  const injected = (io as CliIo & { stdin?: () => Promise<string> }).stdin;
  if (injected) return injected();
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(plan: ImagePlan): string {
  const lines = [`image    ${plan.image}`, `action   ${plan.action}${plan.reuse ? ` (${plan.reuse.platforms.join(', ')}; digest ${plan.reuse.digest})` : ''}`];
  if (plan.build) {
    lines.push(`dockerfile ${plan.build.dockerfile.path}${plan.build.dockerfile.generated ? ' (generated)' : ''}`);
    lines.push(`context  ${plan.build.context || '.'}   platform ${plan.build.platform}   ${plan.build.push ? 'push' : 'no push (--load)'}`);
  }
  for (const w of plan.warnings) lines.push(`warn     ${w}`);
  for (const a of plan.alternatives) lines.push(`found    ${a.image} (${a.file}:${a.line}) ${a.usable ? 'usable' : 'not usable'}: ${a.reason}`);
  return lines.join('\n') + '\n';
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Reuse a published linux/amd64 image or build and push one with a unique tag',
  usage: [
    'Usage: sealos-deploy build [dir] [--path <unit>] [--image <ref>] [--registry <host/namespace>]',
    '                           [--registry-user <u> --registry-password-stdin] [--no-push] [--confirm] [--json]',
    '',
    '  dir                       the checkout analyzed by sealos-deploy analyze (default: current directory)',
    '  --path <unit>             the workspace unit analyzed (monorepos)',
    '  --image <ref>             reuse this image instead of building (checked: exists, linux/amd64, built from HEAD)',
    '  --registry <ns>           where to push, e.g. ghcr.io/acme (default: ghcr.io/<GitHub owner of origin>)',
    '  --registry-user <u>       registry login user; the password/token is read from stdin',
    '  --registry-password-stdin read the registry password or token from stdin (never pass it as an argument)',
    '  --no-push                 build into the local image store only',
    '  --confirm                 accept the plan\'s warnings (reusing an image not built from this checkout)',
    '',
    `Writes a Dockerfile and .dockerignore only when missing, and ${BUILD_RESULT_PATH} (success or failed).`,
  ].join('\n'),
  options: {
    path: { type: 'string' },
    image: { type: 'string' },
    registry: { type: 'string' },
    'registry-user': { type: 'string' },
    'registry-password-stdin': { type: 'boolean' },
    'no-push': { type: 'boolean' },
    confirm: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const user = values['registry-user'] as string | undefined;
    if (values['registry-password-stdin'] && !user) throw new DeployError('USAGE', '--registry-password-stdin needs --registry-user.', 'Pass --registry-user <name> too.');
    if (user && !values['registry-password-stdin']) throw new DeployError('USAGE', '--registry-user needs the password on stdin.', 'Pipe the token: echo "$TOKEN" | sealos-deploy build --registry-user <u> --registry-password-stdin');
    const password = values['registry-password-stdin'] ? (await readStdin(io)).replace(/\r?\n$/, '') : undefined;
    if (values['registry-password-stdin'] && !password) throw new DeployError('USAGE', 'No password arrived on stdin.', 'Pipe the token into the command.');
    const credentials = user && password ? { username: user, password } : undefined;

    const { root, analysis } = await loadAnalysis(positionals[0] ?? io.cwd, values.path as string | undefined);
    const repo = await openRepoView(root, execaRunner);
    const generated = (p: string) => /(^|\/)(Dockerfile|\.dockerignore|Dockerfile\.dockerignore)$/.test(p) && (repo.read(p) ?? '').includes(GENERATED_MARKER);
    const git = await readGitFacts(execaRunner, root, generated);
    const namespace = values.registry as string | undefined;
    const targetRegistry = (() => {
      try {
        const target = (values.image as string | undefined) ?? `${namespace ?? registryFromRemote(git?.remote ?? null) ?? 'localhost'}/x:t`;
        return parseImageRef(target).registry;
      } catch {
        return null;
      }
    })();
    const registry = createRegistryClient({ credentials: (host) => (credentials && host === targetRegistry ? credentials : undefined) });

    const plan = await planImage({
      analysis,
      repo,
      registry,
      now: systemClock.now(),
      git,
      ...(values.image ? { image: values.image as string } : {}),
      ...(namespace ? { registryNamespace: namespace } : {}),
      push: !values['no-push'],
    });
    if (plan.requires_acceptance && !values.confirm) {
      if (values.json) printJson(io, { plan, result: null, next: 'Re-run with --confirm to accept the warnings.' });
      else io.stdout(describe(plan) + 'Nothing written: re-run with --confirm to accept the warnings, or omit --image to build from your checkout.\n');
      return EXIT.planOnly;
    }
    if (!values.json) io.stderr(describe(plan));
    const docker = createDocker(execaRunner, { env: io.env });
    try {
      const result = await buildImage(plan, { docker, tree: fsImageWorkTree(root), registry, clock: systemClock, progress: (m) => !values.json && io.stderr(`… ${m}\n`) }, {
        ...(credentials ? { credentials } : {}),
        accept: Boolean(values.confirm),
      });
      if (values.json) printJson(io, { plan, result });
      else {
        io.stdout(`${result.source === 'reused' ? 'reusing' : 'built'} ${result.image}${result.digest ? `@${result.digest}` : ''}\n`);
        if (result.requires_image_pull_secret) io.stdout('the image is private: the deployment needs an image pull Secret\n');
        io.stdout(`wrote ${join(plan.unit, BUILD_RESULT_PATH)}\n`);
      }
      return EXIT.ok;
    } catch (err) {
      if (!values.json && isDeployError(err) && Array.isArray(err.details?.log_tail)) {
        io.stderr((err.details.log_tail as string[]).map((l) => `  | ${l}`).join('\n') + '\n');
      }
      throw err;
    }
  },
};
