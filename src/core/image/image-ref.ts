import { assertDeployableImageRef, parseImageRef as parseRef, type ImageRef as TemplateImageRef } from '../template/image-ref.js';

/**
 * An image reference normalised for the registry API: `registry` is always a host ("docker.io" for
 * Docker Hub), `repository` the full path ("library/node" for official Docker Hub images).
 * Grammar and the never-latest policy come from the template's image-ref module, so both agree.
 */
export interface ImageRef {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

function normalise(p: TemplateImageRef): ImageRef {
  let registry = (p.registry ?? 'docker.io').toLowerCase();
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  const repository = registry === 'docker.io' && !p.repository.includes('/') ? `library/${p.repository}` : p.repository;
  return { registry, repository, tag: p.tag, digest: p.digest };
}

/** Parses and normalises a reference; throws IMAGE_REF_INVALID with the reason. */
export function parseImageRef(input: string): ImageRef {
  return normalise(parseRef(input));
}

/** A reference the cluster will pull the same bytes for tomorrow (a unique tag or a digest); IMAGE_TAG_LATEST otherwise. */
export function assertDeployableRef(input: string): ImageRef {
  return normalise(assertDeployableImageRef(input));
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host that serves the registry API for a canonical registry name. */
export function registryApiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Which family a registry belongs to, in the Sealos plugin's build-result vocabulary. */
export function registryKind(registry: string): 'ghcr' | 'dockerhub' | 'other' {
  if (registry === 'ghcr.io') return 'ghcr';
  if (registry === 'docker.io') return 'dockerhub';
  return 'other';
}
