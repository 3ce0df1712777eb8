import { DeployError } from '../errors.js';
import type { Analysis } from '../state/analysis-schema.js';
import { assertDeployableRef, parseImageRef } from './image-ref.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `yyyymmddHHMMss` in UTC. */
export function utcStamp(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/**
 * A unique, never-`latest` tag: `<git-sha7>-<UTC yyyymmddHHMMss>`, `-dirty` when the work tree has
 * uncommitted changes (the image then is not reproducible from the commit), `nogit-` outside git.
 */
export function imageTag(git: { commit: string | null; dirty: boolean } | null, now: Date): string {
  const sha = git?.commit && /^[0-9a-f]{7,}$/i.test(git.commit) ? git.commit.slice(0, 7).toLowerCase() : 'nogit';
  return `${sha}-${utcStamp(now)}${git?.dirty ? '-dirty' : ''}`;
}

/** A repository path component from an app or package name: `@acme/Web API` → `web-api`. */
export function imageName(name: string): string {
  const n = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .replace(/[._-]{2,}/g, '-');
  return n || 'app';
}

/** The app's image name: the unit's package name (as the app is named), else its directory, else the repo name. */
export function appImageName(analysis: Analysis): string {
  const unit = analysis.project.path;
  const named = analysis.project.package_name ?? analysis.units.find((u) => u.path === unit)?.name;
  return imageName(named ?? (unit ? (unit.split('/').pop() ?? unit) : analysis.project.name));
}

/** `ghcr.io/<owner>` for a GitHub remote (https or ssh form); null otherwise. */
export function registryFromRemote(remote: string | null): string | null {
  if (!remote) return null;
  const m = /github\.com[:/]([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/[^/]+?(?:\.git)?\/?$/.exec(remote.trim());
  return m ? `ghcr.io/${(m[1] ?? '').toLowerCase()}` : null;
}

/** `<registry>/<app>:<tag>` validated as a deployable reference. `registry` is a host plus namespace, e.g. ghcr.io/acme. */
export function imageRefFor(registry: string, app: string, tag: string): string {
  const base = registry.replace(/\/+$/, '').toLowerCase();
  if (!base || /\s/.test(base) || base.startsWith('-')) {
    throw new DeployError('IMAGE_REF_INVALID', `"${registry}" is not a registry namespace.`, 'Pass --registry as host/namespace, e.g. ghcr.io/your-github-user.');
  }
  const ref = `${base}/${imageName(app)}:${tag}`;
  // A bare "owner" would silently mean Docker Hub; make it explicit in the reference.
  const parsed = parseImageRef(ref);
  assertDeployableRef(ref);
  return `${parsed.registry}/${parsed.repository}:${tag}`;
}
