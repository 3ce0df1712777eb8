import { z } from 'zod';
import { BUILD_RESULT_PATH } from './build-result-path.js';

/**
 * `.sealos/build/build-result.json`: the image a release will deploy, written for success and for
 * failure. The first block keeps the Sealos plugin's shape (outcome, registry, build, push,
 * finished_at, error) so its tools can read it; the rest are our fields. Never holds a secret.
 */
export const BUILD_RESULT_SCHEMA_VERSION = 1;
export { BUILD_RESULT_PATH };

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 timestamp');

export const BuildResultSchema = z
  .object({
    schema_version: z.literal(BUILD_RESULT_SCHEMA_VERSION),
    outcome: z.enum(['success', 'failed']),
    /** Plugin vocabulary: ghcr | dockerhub; other registries are `other`. */
    registry: z.enum(['ghcr', 'dockerhub', 'other']),
    /** The registry host and namespace, e.g. ghcr.io/acme. */
    registry_host: z.string(),
    build: z.object({ image_name: z.string().regex(/^[a-z0-9_.-]+$/), started_at: timestamp }),
    push: z.object({ remote_image: z.string(), pushed_at: timestamp.nullable() }),
    finished_at: timestamp,
    /** Why the build failed (failed only), redacted. */
    error: z.string().optional(),
    /** Full image reference with its unique tag (never `latest`). */
    image: z.string(),
    /** Manifest (or index) digest the registry returned; null when not pushed and unknown. */
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/).nullable(),
    platform: z.literal('linux/amd64'),
    source: z.enum(['built', 'reused']),
    pushed: z.boolean(),
    git_commit: z.string().nullable(),
    git_dirty: z.boolean().nullable(),
    /** Null for a reused image. */
    dockerfile: z.object({ path: z.string(), generated: z.boolean() }).nullable(),
    context: z.string().nullable(),
    duration_ms: z.number().int().min(0),
    /** The last lines of the build log, redacted (failed builds; empty on success). */
    log_tail: z.array(z.string()),
    /** The cluster needs a pull Secret: the image is not anonymously pullable (new GHCR packages are private). */
    requires_image_pull_secret: z.boolean(),
    /** Reused images only: the warning the user accepted (e.g. not built from this commit). */
    accepted_warnings: z.array(z.string()),
  })
  .superRefine((r, ctx) => {
    if (Date.parse(r.finished_at) < Date.parse(r.build.started_at)) {
      ctx.addIssue({ code: 'custom', path: ['finished_at'], message: 'finished_at is before build.started_at' });
    }
    if (r.outcome === 'failed' && !r.error) ctx.addIssue({ code: 'custom', path: ['error'], message: 'a failed build records its error' });
    if (r.outcome === 'success' && r.pushed && !r.digest) ctx.addIssue({ code: 'custom', path: ['digest'], message: 'a pushed image records its digest' });
    if (r.registry === 'ghcr' && !r.push.remote_image.startsWith('ghcr.io/')) {
      ctx.addIssue({ code: 'custom', path: ['push', 'remote_image'], message: 'ghcr images start with ghcr.io/' });
    }
    if (/:latest(@|$)/.test(r.image) || !/:[\w][\w.-]*(@|$)|@sha256:/.test(r.image.slice(r.image.lastIndexOf('/')))) {
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'the image needs a unique tag or digest, never latest' });
    }
  });
export type BuildResult = z.infer<typeof BuildResultSchema>;
