import type { ImageRef } from './image-ref.js';

/** A manifest or index as the registry served it. */
export interface RegistryManifest {
  /** Content digest (Docker-Content-Digest, or the sha256 of the bytes). */
  digest: string;
  mediaType: string;
  json: Record<string, unknown>;
  /** Whether credentials were needed to read it (anonymous access was refused). */
  authenticated: boolean;
}

/**
 * Read access to an OCI distribution registry. Implementations handle the bearer-token flow and
 * throw DeployError: IMAGE_NOT_FOUND (404, unknown manifest or name), REGISTRY_AUTH (access denied),
 * REGISTRY_UNREACHABLE (network errors, timeouts, 5xx).
 */
export interface RegistryClient {
  /** `reference` is a tag or a digest. */
  getManifest(ref: ImageRef, reference: string): Promise<RegistryManifest>;
  /** A blob's bytes as text (image configs are JSON), verified against its digest. */
  getBlob(ref: ImageRef, digest: string): Promise<string>;
  listTags(ref: ImageRef): Promise<string[]>;
}

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Accept header for manifest requests: indexes first so multi-platform images are seen as such. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');
