import { DeployError, isDeployError } from '../errors.js';
import { noProgress, type Clock, type ProgressFn } from '../ports.js';
import { BUILD_RESULT_PATH, BUILD_RESULT_SCHEMA_VERSION, BuildResultSchema, type BuildResult } from '../state/build-result-schema.js';
import type { Docker } from './docker-port.js';
import { parseImageRef, registryKind } from './image-ref.js';
import { logTail, redactSecrets } from './log-tail.js';
import type { ImagePlan } from './plan.js';
import type { RegistryClient } from './registry-port.js';

/** Lines of build output kept in build-result.json and in BUILD_FAILED errors. */
export const LOG_TAIL_LINES = 40;

/** Where the build step reads and writes in the user's repository. */
export interface ImageWorkTree {
  /** Absolute path of the repository root. */
  root: string;
  exists(rel: string): boolean;
  /** Creates a file that must not exist yet; returns false (and writes nothing) when it does. */
  createNew(rel: string, text: string): Promise<boolean>;
  /** Atomic write of an artifact (temp file + rename). */
  writeArtifact(rel: string, text: string): Promise<void>;
}

export interface BuildImagePorts {
  docker: Docker;
  tree: ImageWorkTree;
  registry: RegistryClient;
  clock: Clock;
  progress?: ProgressFn;
}

export interface BuildImageOptions {
  /** Registry login; the password reaches docker on stdin only. */
  credentials?: { username: string; password: string };
  /** The user accepted the plan's warnings (reusing an image not built from this checkout). */
  accept?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

function abs(root: string, rel: string): string {
  return rel ? `${root.replace(/\/+$/, '')}/${rel}` : root;
}

async function record(tree: ImageWorkTree, unit: string, result: BuildResult): Promise<BuildResult> {
  const checked = BuildResultSchema.parse(result);
  await tree.writeArtifact(unit ? `${unit}/${BUILD_RESULT_PATH}` : BUILD_RESULT_PATH, JSON.stringify(checked, null, 2) + '\n');
  return checked;
}

/** Whether the cluster will need credentials to pull: anonymous reads refused (new GHCR packages are private). */
async function needsPullSecret(registry: RegistryClient, image: string, digest: string | null): Promise<boolean> {
  const ref = parseImageRef(image);
  try {
    return (await registry.getManifest(ref, digest ?? (ref.tag as string))).authenticated;
  } catch (err) {
    if (isDeployError(err) && err.code === 'REGISTRY_AUTH') return true;
    // Unknown: assume private, a pull Secret does no harm to a public image.
    return true;
  }
}

/**
 * Carries out an image plan and records `.sealos/build/build-result.json`. Reuse: needs acceptance
 * when the plan says so, then records the checked image. Build: writes the generated Dockerfile and
 * .dockerignore only where no file exists, checks docker + buildx + daemon (DOCKER_UNAVAILABLE),
 * logs in with the password on stdin, runs `docker buildx build --platform linux/amd64`, and
 * records success (digest from the metadata file) or failure (the last 40 log lines, redacted;
 * then throws BUILD_FAILED).
 */
export async function buildImage(plan: ImagePlan, ports: BuildImagePorts, options: BuildImageOptions = {}): Promise<BuildResult> {
  const progress = ports.progress ?? noProgress;
  const started = ports.clock.now();
  const ref = parseImageRef(plan.image);
  const imageName = ref.repository.split('/').pop() as string;
  const namespace = plan.build?.registry_namespace ?? `${ref.registry}/${ref.repository.split('/').slice(0, -1).join('/')}`.replace(/\/$/, '');
  const common = {
    schema_version: BUILD_RESULT_SCHEMA_VERSION as typeof BUILD_RESULT_SCHEMA_VERSION,
    registry: registryKind(ref.registry),
    registry_host: namespace,
    build: { image_name: imageName, started_at: started.toISOString() },
    image: plan.image,
    platform: 'linux/amd64' as const,
    git_commit: plan.git?.commit ?? null,
    git_dirty: plan.git?.dirty ?? null,
  };

  if (plan.action === 'reuse') {
    if (plan.requires_acceptance && !options.accept) {
      throw new DeployError(
        'CONFIRMATION_REQUIRED',
        `Reusing ${plan.image} needs your confirmation: ${plan.warnings.join(' ')}`,
        'Re-run with --confirm to deploy this image as it is, or build from your checkout (omit --image).',
        { warnings: plan.warnings },
      );
    }
    const finished = ports.clock.now();
    return record(ports.tree, plan.unit, {
      ...common,
      outcome: 'success',
      push: { remote_image: plan.image, pushed_at: null },
      finished_at: finished.toISOString(),
      digest: plan.reuse?.digest ?? null,
      source: 'reused',
      pushed: false,
      dockerfile: null,
      context: null,
      duration_ms: Math.max(0, finished.getTime() - started.getTime()),
      log_tail: [],
      requires_image_pull_secret: plan.reuse?.requires_image_pull_secret ?? false,
      accepted_warnings: plan.requires_acceptance ? plan.warnings : [],
    });
  }

  const build = plan.build;
  if (!build) throw new DeployError('INTERNAL', 'A build plan without build settings.', 'Re-run planImage; this is a bug.');
  let dockerfileGenerated = false;
  for (const file of [build.dockerfile, build.dockerignore]) {
    if (!file.generated || file.text === null) continue;
    // Never overwrite: a file that appeared since planning is the user's.
    const wrote = await ports.tree.createNew(file.path, file.text);
    if (wrote) progress(`wrote ${file.path}`);
    if (file === build.dockerfile) dockerfileGenerated = wrote;
  }

  const status = await ports.docker.status();
  if (!status.ok) {
    const reusable = plan.alternatives.find((a) => a.usable);
    throw new DeployError(
      'DOCKER_UNAVAILABLE',
      `Cannot build the image: ${status.problem}`,
      `Install or start Docker with buildx (docker version and docker buildx version must both work), then re-run.${reusable ? ` Or reuse the published image: --image ${reusable.image}${reusable.requires_acceptance ? ' --confirm' : ''}.` : ''}`,
      { missing: status.missing },
    );
  }

  const secrets = options.credentials ? [options.credentials.password, `${options.credentials.username}:${options.credentials.password}`] : [];
  const fail = async (error: string, log: string, code: 'BUILD_FAILED' | 'REGISTRY_AUTH', next: string): Promise<never> => {
    const finished = ports.clock.now();
    const tail = logTail(log, LOG_TAIL_LINES, secrets);
    const message = redactSecrets(error, secrets);
    await record(ports.tree, plan.unit, {
      ...common,
      outcome: 'failed',
      push: { remote_image: plan.image, pushed_at: null },
      finished_at: finished.toISOString(),
      error: message,
      digest: null,
      source: 'built',
      pushed: false,
      dockerfile: { path: build.dockerfile.path, generated: dockerfileGenerated || (build.dockerfile.authored && !build.dockerfile.generated) },
      context: build.context,
      duration_ms: Math.max(0, finished.getTime() - started.getTime()),
      log_tail: tail,
      requires_image_pull_secret: false,
      accepted_warnings: [],
    });
    throw new DeployError(code, message, next, { log_tail: tail, build_result: BUILD_RESULT_PATH });
  };

  if (options.credentials && build.push) {
    progress(`docker login ${ref.registry}`);
    const login = await ports.docker.login(ref.registry, options.credentials.username, options.credentials.password);
    if (!login.ok) {
      await fail(`docker login ${ref.registry} failed: ${login.message}`, login.message, 'REGISTRY_AUTH', `Check the user and token (GHCR needs a token with write:packages), then re-run.`);
    }
  }

  progress(`building ${plan.image} for ${build.platform}`);
  const outcome = await ports.docker.build({
    context: abs(ports.tree.root, build.context),
    dockerfile: abs(ports.tree.root, build.dockerfile.path),
    tag: plan.image,
    platform: build.platform,
    push: build.push,
    labels: build.labels,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!outcome.ok) {
    const why = outcome.timedOut ? 'the build timed out' : `docker buildx build exited with ${outcome.exitCode}`;
    const lastError = logTail(outcome.log, LOG_TAIL_LINES, secrets).filter((l) => /error|failed/i.test(l)).pop();
    await fail(
      `${why}${lastError ? `: ${lastError.trim().slice(0, 300)}` : ''}`,
      outcome.log,
      'BUILD_FAILED',
      `Read the log tail in ${BUILD_RESULT_PATH}, fix the Dockerfile or the build, and re-run sealos-deploy build.`,
    );
  }

  const finished = ports.clock.now();
  const pullSecret = build.push ? await needsPullSecret(ports.registry, plan.image, outcome.digest) : false;
  return record(ports.tree, plan.unit, {
    ...common,
    outcome: 'success',
    push: { remote_image: plan.image, pushed_at: build.push ? finished.toISOString() : null },
    finished_at: finished.toISOString(),
    digest: outcome.digest,
    source: 'built',
    pushed: build.push,
    dockerfile: { path: build.dockerfile.path, generated: dockerfileGenerated || (build.dockerfile.authored && !build.dockerfile.generated) },
    context: build.context,
    duration_ms: Math.max(0, finished.getTime() - started.getTime()),
    log_tail: [],
    requires_image_pull_secret: pullSecret,
    accepted_warnings: [],
  });
}
