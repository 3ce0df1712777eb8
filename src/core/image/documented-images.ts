import semver from 'semver';
import type { RepoView } from '../analysis/context.js';
import { lineOf } from '../evidence.js';
import { formatImageRef, parseImageRef, type ImageRef } from './image-ref.js';

/** An image the repository says it publishes: a README, a compose file or a CI workflow names it. */
export interface DocumentedImage {
  /** registry/repository, plus the tag when the document gives one. */
  image: string;
  ref: ImageRef;
  file: string;
  line: number;
}

const DOC_FILE = /^(README[^/]*|docs\/[^/]*\.md|(docker-)?compose[^/]*\.ya?ml|\.github\/workflows\/[^/]+\.ya?ml)$/i;
const REGISTRY_MENTION = /\b(ghcr\.io|docker\.io|index\.docker\.io|registry-1\.docker\.io)\/((?:[a-z0-9._-]+|\$\{\{\s*[\w.]+\s*\}\})(?:\/(?:[a-z0-9._-]+|\$\{\{\s*[\w.]+\s*\}\}))*)(?::([\w][\w.-]{0,127}))?/gi;
const COMPOSE_IMAGE = /^\s*image:\s*["']?([a-z0-9][a-z0-9._-]*\/[a-z0-9._/-]+(?::[\w][\w.-]{0,127})?)["']?\s*$/gim;

function githubSlug(remote: string | null): { owner: string; repo: string } | null {
  const m = /github\.com[:/]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(remote ?? '');
  return m ? { owner: (m[1] ?? '').toLowerCase(), repo: (m[2] ?? '').toLowerCase() } : null;
}

/** Replaces the GitHub Actions expressions image names are usually built from; null when one stays unknown. */
function expandWorkflow(path: string, slug: { owner: string; repo: string } | null): string | null {
  const out = path.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, expr: string) => {
    if (!slug) return '\0';
    if (expr === 'github.repository') return `${slug.owner}/${slug.repo}`;
    if (expr === 'github.repository_owner' || expr === 'github.actor') return slug.owner;
    if (expr === 'github.event.repository.name') return slug.repo;
    return '\0';
  });
  return out.includes('\0') ? null : out.toLowerCase();
}

/**
 * Finds images the repository documents as its own: `ghcr.io/…` / `docker.io/…` mentions in
 * README, docs, compose files and CI workflows (with `${{ github.repository }}` resolved from the
 * git remote), and compose `image: owner/name` entries. Only images named like the app or the
 * repository count: a README that mentions postgres is not documenting the app's image.
 */
export function findDocumentedImages(repo: RepoView, names: string[]): DocumentedImage[] {
  const slug = githubSlug(repo.git?.remote ?? null);
  const wanted = new Set([...names, ...(slug ? [slug.repo] : [])].map((n) => n.toLowerCase()));
  const found = new Map<string, DocumentedImage>();
  for (const file of repo.files.filter((f) => DOC_FILE.test(f))) {
    const text = repo.read(file);
    if (!text) continue;
    const mentions: Array<{ raw: string; index: number }> = [];
    for (const m of text.matchAll(REGISTRY_MENTION)) {
      const path = expandWorkflow(m[2] ?? '', slug);
      if (path) mentions.push({ raw: `${(m[1] ?? '').toLowerCase()}/${path}${m[3] ? `:${m[3]}` : ''}`, index: m.index ?? 0 });
    }
    if (/compose/i.test(file)) for (const m of text.matchAll(COMPOSE_IMAGE)) mentions.push({ raw: m[1] ?? '', index: m.index ?? 0 });
    for (const { raw, index } of mentions) {
      let ref: ImageRef;
      try {
        ref = parseImageRef(raw.replace(/[.,;)]+$/, ''));
      } catch {
        continue;
      }
      if (ref.digest) continue;
      const last = ref.repository.split('/').pop() ?? '';
      if (!wanted.has(last)) continue;
      const image = formatImageRef(ref);
      if (!found.has(image)) found.set(image, { image, ref, file, line: lineOf(text, index) });
    }
  }
  // Tagged mentions first: they name something that was actually published.
  return [...found.values()].sort((a, b) => Number(b.ref.tag !== null) - Number(a.ref.tag !== null) || a.image.localeCompare(b.image));
}

/**
 * The tag to check for an image documented without one (or as `latest`): a tag naming the HEAD
 * commit (`sha-<7>`, the 7- or 40-character sha) first, else the highest release version.
 */
export function chooseTag(tags: string[], gitCommit: string | null): string | null {
  if (gitCommit) {
    const sha = gitCommit.toLowerCase();
    const short = sha.slice(0, 7);
    const hit = tags.find((t) => t === `sha-${short}` || t === sha || t === short || t === `sha-${sha}`);
    if (hit) return hit;
  }
  const releases = tags.filter((t) => semver.valid(semver.clean(t) ?? '') && !semver.prerelease(semver.clean(t) ?? ''));
  releases.sort((a, b) => semver.rcompare(semver.clean(a) ?? '0.0.0', semver.clean(b) ?? '0.0.0'));
  return releases[0] ?? null;
}
