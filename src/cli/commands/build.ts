import { join } from 'node:path';
import type { ImagePlan } from '../../core/image/plan.js';
import { DeployError, isDeployError } from '../../core/errors.js';
import { BUILD_RESULT_PATH } from '../../core/state/build-result-path.js';
import { EXIT, type CliIo, type Command } from '../command.js';
import { printJson, table } from '../output.js';

async function readStdin(io: CliIo): Promise<string> {
  const injected = (io as CliIo & { stdin?: () => Promise<string> }).stdin;
  if (injected) return injected();
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(plan: ImagePlan): string {
  const rows: string[][] = [['image', plan.image], ['action', `${plan.action}${plan.reuse ? ` (${plan.reuse.platforms.join(', ')}; digest ${plan.reuse.digest})` : ''}`]];
  if (plan.build) {
    rows.push(['dockerfile', `${plan.build.dockerfile.path}${plan.build.dockerfile.generated ? ' (generated)' : ''}`]);
    rows.push(['context', `${plan.build.context || '.'}   platform ${plan.build.platform}   ${plan.build.push ? 'push' : 'no push (--load)'}`]);
  }
  for (const w of plan.warnings) rows.push(['warn', w]);
  for (const a of plan.alternatives) rows.push(['found', `${a.image} (${a.file}:${a.line}) ${a.usable ? 'usable' : 'not usable'}: ${a.reason}`]);
  return table(rows);
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

    const progress = (m: string) => {
      if (!values.json) io.stderr(`… ${m}\n`);
    };
    const { buildProject } = await import('../../ops/build.js');
    let outcome: Awaited<ReturnType<typeof buildProject>>;
    try {
      outcome = await buildProject(positionals[0] ?? io.cwd, {
        ...(typeof values.path === 'string' ? { path: values.path } : {}),
        ...(typeof values.image === 'string' ? { image: values.image } : {}),
        ...(typeof values.registry === 'string' ? { registryNamespace: values.registry } : {}),
        ...(credentials ? { credentials } : {}),
        push: !values['no-push'],
        confirm: Boolean(values.confirm),
        env: io.env,
        progress,
      });
    } catch (err) {
      if (!values.json && isDeployError(err) && Array.isArray(err.details?.log_tail)) {
        io.stderr((err.details.log_tail as string[]).map((l) => `  | ${l}`).join('\n') + '\n');
      }
      throw err;
    }
    const { plan } = outcome;
    if (outcome.status === 'plan-only') {
      if (values.json) printJson(io, { plan, result: null, next: 'Re-run with --confirm to accept the warnings.' });
      else io.stdout(describe(plan) + 'Nothing written: re-run with --confirm to accept the warnings, or omit --image to build from your checkout.\n');
      return EXIT.planOnly;
    }
    const { result } = outcome;
    if (!values.json) io.stderr(describe(plan));
    if (values.json) printJson(io, { plan, result });
    else {
      io.stdout(`${result.source === 'reused' ? 'reusing' : 'built'} ${result.image}${result.digest ? `@${result.digest}` : ''}\n`);
      if (result.requires_image_pull_secret) io.stdout('the image is private: the deployment needs an image pull Secret\n');
      io.stdout(`wrote ${join(plan.unit, BUILD_RESULT_PATH)}\n`);
    }
    return EXIT.ok;
  },
};
