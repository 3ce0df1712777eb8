import { DeployError } from '../errors.js';
import { assertDeployableRef, formatImageRef, type ImageRef } from './image-ref.js';
import { MEDIA_TYPES, type RegistryClient, type RegistryManifest } from './registry-port.js';

export const TARGET_PLATFORM = { os: 'linux', architecture: 'amd64' } as const;

export interface ReuseCheck {
  /** Normalized reference (registry/repository:tag[@digest]). */
  image: string;
  /** Digest of what the tag points at (an index for multi-platform images). */
  digest: string;
  /** Digest of the linux/amd64 manifest. */
  platform_digest: string;
  /** Every platform the image offers, e.g. ["linux/amd64", "linux/arm64"]. */
  platforms: string[];
  /** `org.opencontainers.image.revision` of the amd64 image, when labelled. */
  revision: string | null;
  created: string | null;
  /** The image was built from the checkout's HEAD commit (by its revision label). */
  built_from_head: boolean;
  /** Reusing it needs the user's explicit acceptance (see warnings). */
  requires_acceptance: boolean;
  warnings: string[];
  /** Anonymous pulls are refused: the cluster needs an image pull Secret. */
  requires_image_pull_secret: boolean;
}

const isIndex = (m: RegistryManifest) =>
  m.mediaType === MEDIA_TYPES.ociIndex || m.mediaType === MEDIA_TYPES.dockerList || Array.isArray(m.json.manifests);

interface IndexEntry {
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

function platformOf(p: IndexEntry['platform']): string {
  return `${p?.os ?? 'unknown'}/${p?.architecture ?? 'unknown'}${p?.variant ? `/${p.variant}` : ''}`;
}

/**
 * Checks that an image exists and runs on linux/amd64, by the OCI distribution API: an index or
 * manifest list must list a linux/amd64 manifest (attestation entries are ignored); a single
 * manifest's config blob must say os linux, architecture amd64. Reads the revision label to tell
 * whether the image was built from `gitCommit`; when it was not, reuse requires acceptance.
 */
export async function checkImageReuse(image: string, registry: RegistryClient, gitCommit: string | null): Promise<ReuseCheck> {
  const ref: ImageRef = assertDeployableRef(image);
  const reference = ref.digest ?? (ref.tag as string);
  const top = await registry.getManifest(ref, reference);
  if (ref.digest && top.digest !== ref.digest) {
    throw new DeployError('IMAGE_NOT_FOUND', `${image}: the registry served ${top.digest}, not the pinned digest.`, 'Check the digest; the registry returned different content.');
  }
  let platformManifest: RegistryManifest;
  let platforms: string[];
  if (isIndex(top)) {
    const entries = ((top.json.manifests as IndexEntry[] | undefined) ?? []).filter(
      (e) => e.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && e.platform?.os !== 'unknown',
    );
    platforms = [...new Set(entries.map((e) => platformOf(e.platform)))];
    const amd64 = entries.find((e) => e.platform?.os === TARGET_PLATFORM.os && e.platform?.architecture === TARGET_PLATFORM.architecture);
    if (!amd64?.digest) {
      throw new DeployError(
        'IMAGE_PLATFORM_MISSING',
        `${image} has no linux/amd64 image (it offers ${platforms.join(', ') || 'no platforms'}); Sealos nodes run linux/amd64.`,
        'Build and push a linux/amd64 image (sealos-deploy build does), or rebuild with docker buildx build --platform linux/amd64,linux/arm64.',
        { platforms },
      );
    }
    platformManifest = await registry.getManifest(ref, amd64.digest);
  } else {
    platformManifest = top;
    platforms = [];
  }
  const configDigest = (platformManifest.json.config as { digest?: string } | undefined)?.digest;
  if (!configDigest) {
    throw new DeployError('IMAGE_NOT_FOUND', `${image}: the manifest has no config blob, so it is not a runnable image.`, 'Point at a container image, not an artifact or a signature.');
  }
  const config = JSON.parse(await registry.getBlob(ref, configDigest)) as {
    os?: string;
    architecture?: string;
    variant?: string;
    created?: string;
    config?: { Labels?: Record<string, string> | null };
  };
  const platform = `${config.os ?? 'unknown'}/${config.architecture ?? 'unknown'}`;
  if (!isIndex(top)) platforms = [platform];
  if (config.os !== TARGET_PLATFORM.os || config.architecture !== TARGET_PLATFORM.architecture) {
    throw new DeployError(
      'IMAGE_PLATFORM_MISSING',
      `${image} is a ${platform} image; Sealos nodes run linux/amd64.`,
      'Build and push a linux/amd64 image (sealos-deploy build does), or rebuild with docker buildx build --platform linux/amd64.',
      { platforms },
    );
  }
  const labels = config.config?.Labels ?? {};
  const revision = labels['org.opencontainers.image.revision'] ?? null;
  const builtFromHead = Boolean(revision && gitCommit && (revision === gitCommit || (revision.length >= 7 && gitCommit.startsWith(revision))));
  const warnings: string[] = [];
  if (!builtFromHead) {
    warnings.push(
      revision
        ? `${formatImageRef(ref)} was built from commit ${revision.slice(0, 12)}, not from this checkout${gitCommit ? ` (${gitCommit.slice(0, 12)})` : ''}: it may run different code than your tree.`
        : `${formatImageRef(ref)} has no org.opencontainers.image.revision label, so nothing shows it was built from this checkout: it may run different code than your tree.`,
    );
  }
  return {
    image: formatImageRef(ref),
    digest: top.digest,
    platform_digest: platformManifest.digest,
    platforms,
    revision,
    created: config.created ?? null,
    built_from_head: builtFromHead,
    requires_acceptance: !builtFromHead,
    warnings,
    requires_image_pull_secret: top.authenticated,
  };
}
