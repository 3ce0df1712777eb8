import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { defineTool } from '../define-tool.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { refuseReadOnly } from './read-only-guard.js';

const input = z.object({
  project_dir: projectDirArg,
  image: z.string().min(1).max(512).optional().describe('Exact image ref (unique tag, never latest). Default: the image of .sealos/build/build-result.json.'),
  input_names: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/).max(100)).max(100).default([]).describe('Names (never values) of the inputs you will give at deploy time; the result lists the ones still missing.'),
  app_name: z.string().regex(/^[a-z0-9-]+$/).max(40).optional().describe('Base app name (default: the package name).'),
  replicas: z.number().int().min(1).max(20).optional(),
  cpu: z.string().regex(/^\d+(\.\d+)?m?$/).max(16).optional().describe("CPU limit, e.g. '500m' (requests are 10 %)."),
  memory: z.string().regex(/^\d+(Mi|Gi)$/).max(16).optional().describe("Memory limit, e.g. '512Mi'."),
  domain: z.string().regex(/^[a-z0-9.-]+$/i).max(253).optional().describe("Also serve this custom domain (Let's Encrypt certificate)."),
  private_image: z.boolean().default(false).describe('The image is private: pods use the pull Secret named after the app.'),
  health_path: z.string().regex(/^\//).max(512).optional().describe('Health endpoint for the probes (default: the one analyze_repo found).'),
  volume: z.string().max(600).optional().describe('Persistent volume as <mount-path>:<size>, e.g. /app/data:1Gi (the workload becomes a StatefulSet).'),
});

const output = z.object({
  path: z.string().describe('The template written.'),
  image: z.string(),
  resources: z.array(z.string()).describe('Kinds in apply order.'),
  inputs: z.array(z.string()).describe('Input names the template takes.'),
  missing_inputs: z.array(z.string()).describe('Inputs not named in input_names: give them in the deploy inputs_file.'),
  warnings: z.array(z.string()),
});

function parseVolume(raw: string): { mountPath: string; size: string } {
  const m = /^(\/[^:]*):([0-9]+(?:Mi|Gi|Ti))$/.exec(raw);
  if (!m) throw new DeployError('USAGE', `volume "${raw.slice(0, 80)}" is not <mount-path>:<size>.`, 'Pass e.g. "/app/data:1Gi".');
  return { mountPath: m[1] as string, size: m[2] as string };
}

export const renderTemplateTool = defineTool({
  name: 'render_template',
  title: 'Render the Sealos template',
  description:
    'Render .sealos/template/index.yaml (Sealos Template CR + Deployment/StatefulSet, Service, Ingress, App, database) from .sealos/analysis.json and the image of the last build (or `image`). Every resource is validated before the file is written. Input values are never written: name the ones you will supply in input_names; the result lists the missing ones.',
  input,
  output,
  // Writes only its own derived artifact, the same bytes for the same inputs.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    refuseReadOnly(ctx.readOnly, 'render_template', '.sealos/template/index.yaml');
    const { renderProject } = await import('../../ops/render.js');
    const r = await renderProject(dir, {
      givenInputs: args.input_names,
      ...(args.image ? { image: args.image } : {}),
      ...(args.app_name ? { appName: args.app_name } : {}),
      ...(args.replicas !== undefined ? { replicas: args.replicas } : {}),
      ...(args.cpu ? { cpu: args.cpu } : {}),
      ...(args.memory ? { memory: args.memory } : {}),
      ...(args.domain ? { customDomain: args.domain } : {}),
      ...(args.private_image ? { imagePullSecret: true } : {}),
      ...(args.health_path ? { healthPath: args.health_path } : {}),
      ...(args.volume ? { storage: parseVolume(args.volume) } : {}),
    });
    const summary = [
      `Wrote ${r.path}: ${r.kinds.join(', ')} for ${r.image}.`,
      r.missing.length ? `Inputs to give at deploy time (inputs_file): ${r.missing.join(', ')}.` : `Inputs: ${r.inputs.length ? r.inputs.join(', ') : 'none'}.`,
      ...r.warnings.map((w) => `warning: ${w}`),
    ].join('\n');
    return { summary, structured: { path: r.path, image: r.image, resources: r.kinds, inputs: r.inputs, missing_inputs: r.missing, warnings: r.warnings } };
  },
});
