import { join } from 'node:path';
import { z } from 'zod';
import { DeployError } from '../../core/errors.js';
import { BUILD_RESULT_PATH } from '../../core/state/build-result-schema.js';
import { defineTool } from '../define-tool.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';
import { registryCredential } from './secret-files.js';
import { unitRelPath } from '../../core/unit-path.js';

const input = z.object({
  project_dir: projectDirArg,
  path: z.string().max(1024).optional().describe('The workspace unit analyzed (monorepos), relative to project_dir.'),
  image: z.string().min(1).max(512).optional().describe('Reuse this published image instead of building (checked: exists, linux/amd64, built from HEAD).'),
  registry: z.string().min(1).max(256).optional().describe('Where to push, host/namespace, e.g. ghcr.io/acme (default: ghcr.io/<GitHub owner of origin>).'),
  registry_user: z.string().min(1).max(256).optional().describe('Registry login user (with registry_password_file).'),
  registry_password_file: z.string().min(1).max(4096).optional().describe('Path of a mode-0600 file holding only the registry password/token; never pass the token itself.'),
  push: z.boolean().default(true).describe('false: build into the local image store only.'),
});

const output = z.object({
  source: z.enum(['built', 'reused']),
  image: z.string().describe('The image to deploy (unique tag, never latest).'),
  digest: z.string().nullable(),
  pushed: z.boolean(),
  platform: z.string(),
  requires_image_pull_secret: z.boolean().describe('Private image: render with private_image and deploy with a registry login.'),
  dockerfile: z.object({ path: z.string(), generated: z.boolean() }).nullable(),
  git_commit: z.string().nullable(),
  duration_ms: z.number(),
  warnings: z.array(z.string()),
  accepted_warnings: z.array(z.string()),
  artifact: z.string().describe('The build-result.json written.'),
});

export const buildImageTool = defineTool({
  name: 'build_image',
  title: 'Build or reuse the image',
  description:
    "Reuse a published linux/amd64 image built from this commit, or build one with docker buildx and push it with a unique tag (never latest). Writes a Dockerfile/.dockerignore only when missing and .sealos/build/build-result.json. Reusing an image not built from this checkout needs the user's yes (confirmation). Long: reports progress; honours cancellation.",
  input,
  output,
  // Pushes a new, uniquely tagged image (never overwrites one): changes the outside world, destroys nothing.
  // Mutating so a read-only server hides it and the reuse warnings go through confirmation.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  mutating: true,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    const credentials = await registryCredential(dir, args.registry_user, args.registry_password_file);
    const { buildProject } = await import('../../ops/build.js');
    const opts = {
      ...(args.path ? { path: args.path } : {}),
      ...(args.image ? { image: args.image } : {}),
      ...(args.registry ? { registryNamespace: args.registry } : {}),
      ...(credentials ? { credentials } : {}),
      push: args.push,
      progress: ctx.progress,
      signal: ctx.signal,
    };
    let outcome = await buildProject(dir, opts);
    if (outcome.status === 'plan-only') {
      const p = outcome.plan;
      await ctx.confirm({
        summary: `Reuse ${p.image}, which needs your acceptance: ${p.warnings.join(' ')}`,
        changes: [`${p.action} ${p.image}${p.reuse ? ` (digest ${p.reuse.digest}; ${p.reuse.platforms.join(', ')})` : ''}`, ...p.warnings.map((w) => `accept: ${w}`)],
        details: { image: p.image, action: p.action },
      });
      outcome = await buildProject(dir, { ...opts, confirm: true });
    }
    if (outcome.status !== 'done') throw new DeployError('INTERNAL', 'The build plan still needs acceptance after the user confirmed it.', 'Call build_image again.');
    const { plan, result: r } = outcome;
    const artifact = join(dir, unitRelPath(args.path), BUILD_RESULT_PATH);
    const summary = [
      `${r.source === 'reused' ? 'Reusing' : 'Built'} ${r.image}${r.digest ? `@${r.digest}` : ''} (${r.platform}${r.pushed ? ', pushed' : r.source === 'built' ? ', not pushed' : ''}).`,
      r.requires_image_pull_secret ? 'The image is private: render_template with private_image: true and deploy with registry_user + registry_password_file.' : '',
      ...plan.warnings.map((w) => `warning: ${w}`),
      `Wrote ${artifact}. Next: render_template.`,
    ].filter(Boolean).join('\n');
    return {
      summary,
      structured: {
        source: r.source,
        image: r.image,
        digest: r.digest,
        pushed: r.pushed,
        platform: r.platform,
        requires_image_pull_secret: r.requires_image_pull_secret,
        dockerfile: r.dockerfile,
        git_commit: r.git_commit,
        duration_ms: r.duration_ms,
        warnings: plan.warnings,
        accepted_warnings: r.accepted_warnings,
        artifact,
      },
    };
  },
});
