import { DeployError } from '../errors.js';

/**
 * Container image references (the Docker distribution grammar, without normalisation to docker.io),
 * and the deploy policy: a release must name an immutable image, so `latest` and bare names are refused.
 * Self-contained on purpose: the image builder imports it too.
 */
export interface ImageRef {
  /** Registry host (with port) when the reference names one, e.g. `ghcr.io`, `localhost:5000`. */
  registry: string | null;
  /** Repository path without the registry, e.g. `acme/api`. */
  repository: string;
  tag: string | null;
  /** `sha256:<64 hex>` when pinned by digest. */
  digest: string | null;
  /** The reference as given (trimmed). */
  ref: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:localhost|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;

function invalid(ref: string, why: string): DeployError {
  return new DeployError(
    'IMAGE_REF_INVALID',
    `"${ref}" is not a valid image reference: ${why}.`,
    'Pass a reference like ghcr.io/<owner>/<app>:<unique-tag> or <name>@sha256:<digest>.',
  );
}

/** Parses a reference; throws IMAGE_REF_INVALID when it does not follow the grammar. */
export function parseImageRef(input: string): ImageRef {
  const ref = input.trim();
  if (ref === '') throw invalid(input, 'it is empty');
  if (ref.length > 512) throw invalid(ref.slice(0, 40) + '…', 'it is longer than 512 characters');
  if (/\s/.test(ref)) throw invalid(ref, 'it contains whitespace');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw invalid(ref, 'it must not start with a URL scheme');

  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(ref, 'the digest must be sha256:<64 lowercase hex>');
  }

  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(ref, `the tag "${tag}" has characters a tag cannot have`);
  }

  const parts = rest.split('/');
  let registry: string | null = null;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!HOST.test(first)) throw invalid(ref, `the registry "${first}" is not a host name`);
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
    throw invalid(ref, 'the repository must be lowercase letters, digits and separators (. _ -) between slashes');
  }
  const repository = parts.join('/');
  if (repository.length > 255) throw invalid(ref, 'the repository name is longer than 255 characters');
  return { registry, repository, tag, digest, ref };
}

/**
 * Returns the parsed reference when it is safe to deploy: pinned by digest, or a tag that is not `latest`.
 * A floating tag makes rollback and "what is running?" unanswerable, so it is refused.
 */
export function assertDeployableImageRef(input: string): ImageRef {
  const parsed = parseImageRef(input);
  if (parsed.digest) return parsed;
  if (parsed.tag === null || parsed.tag === 'latest') {
    throw new DeployError(
      'IMAGE_TAG_LATEST',
      parsed.tag === null
        ? `Image "${parsed.ref}" has no tag, which means "latest": the running version could change without a deploy.`
        : `Image "${parsed.ref}" uses the floating tag "latest": the running version could change without a deploy.`,
      'Build or push the image with a unique tag (for example the git commit, 20260101-abc1234) or pin it by digest (@sha256:...), then pass that exact reference.',
      { image: parsed.ref },
    );
  }
  return parsed;
}
