import { resolve } from 'node:path';
import { DeployError } from '../../core/errors.js';
import { looksSecretName } from '../../core/redact.js';
import type { RenderInputs } from '../../core/template/types.js';
import type { RenderProjectOptions } from '../../ops/render.js';
import { EXIT, type Command } from '../command.js';
import { printJson } from '../output.js';

/** `--input NAME` (a value is optional and unused: render only checks the names). Secrets never go on argv. */
function inputNames(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as string[]) : [];
  return list.map((kv) => {
    const eq = kv.indexOf('=');
    const name = eq < 0 ? kv : kv.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new DeployError('USAGE', `--input takes an input name, and "${name.slice(0, 40)}" is not one.`, 'Pass --input NAME (values are given at deploy time, in --inputs-file).');
    }
    if (eq >= 0 && looksSecretName(name)) {
      throw new DeployError('USAGE', `--input ${name}=… puts a secret on the command line; render needs only the name.`, `Pass --input ${name}, and give the value at deploy time in a 0600 --inputs-file.`);
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

export const renderCommand: Command = {
  name: 'render',
  summary: 'Render .sealos/template/index.yaml (Sealos Template + resources) from the analysis and an image',
  usage: [
    'Usage: sealos-deploy render [dir] [--image ref] [--input NAME ...] [--app-name name] [--json]',
    '',
    '  --image ref            exact image to deploy (default: the image of .sealos/build/build-result.json); never "latest"',
    '  --input NAME           a deploy-time input the caller will supply (name only; values go to deploy --inputs-file)',
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
    const given = inputNames(values.input);
    const opts: RenderProjectOptions = { givenInputs: given };
    if (typeof values.image === 'string') opts.image = values.image;
    if (typeof values['app-name'] === 'string') opts.appName = values['app-name'];
    const replicas = parseReplicas(values.replicas);
    if (replicas !== undefined) opts.replicas = replicas;
    if (typeof values.cpu === 'string') opts.cpu = values.cpu;
    if (typeof values.memory === 'string') opts.memory = values.memory;
    if (typeof values.domain === 'string') opts.customDomain = values.domain;
    if (values['private-image'] === true) opts.imagePullSecret = true;
    if (typeof values['health-path'] === 'string') opts.healthPath = values['health-path'];
    const storage = parseVolume(values.volume);
    if (storage) opts.storage = storage;
    const { renderProject } = await import('../../ops/render.js');
    const { path, image, kinds, inputs, missing, warnings } = await renderProject(dir, opts);

    if (values.json) {
      printJson(io, { path, inputs, warnings });
      return EXIT.ok;
    }
    const lines = [
      `Wrote ${path}`,
      `  image:     ${image}`,
      `  resources: ${kinds.join(', ')}`,
      `  inputs:    ${inputs.length ? inputs.join(', ') : 'none'}`,
    ];
    if (missing.length) lines.push(`  give at deploy time: ${missing.join(', ')}`);
    for (const w of warnings) lines.push(`  warning: ${w}`);
    io.stdout(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};
