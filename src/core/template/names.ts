import { DeployError } from '../errors.js';
import type { Analysis } from '../state/analysis-schema.js';

/** Longest base name: `<base>-<8 random>` plus suffixes such as `-domain` stays within 63. */
export const MAX_BASE_NAME = 40;
/**
 * With PostgreSQL the KubeBlocks Cluster `<base>-<8>-pg` names derived objects such as
 * `<cluster>-postgresql-headless` and pod names that must stay within 63 characters.
 */
export const MAX_BASE_NAME_WITH_DATABASE = 24;

/** Lowercase DNS-1123 label that also starts with a letter (Service names require it). */
export function sanitizeName(raw: string, max = MAX_BASE_NAME): string {
  let s = raw
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s !== '' && !/^[a-z]/.test(s)) s = `app-${s}`;
  return s.slice(0, max).replace(/-+$/g, '');
}

/** The package name of the analyzed unit (workspace listing, then its package.json), else the directory name. */
export function packageName(analysis: Analysis): string {
  const unit = analysis.units.find((u) => u.path === analysis.project.path);
  return unit?.name ?? analysis.project.package_name ?? analysis.project.name;
}

export function baseAppName(analysis: Analysis, requested?: string, max = MAX_BASE_NAME): string {
  const source = requested ?? packageName(analysis);
  const name = sanitizeName(source, max);
  if (name === '') {
    throw new DeployError(
      'USAGE',
      `"${source}" gives no usable app name (lowercase letters, digits and dashes).`,
      'Pass an app name such as --app-name my-api.',
    );
  }
  return name;
}

/** PostgreSQL database name for the app: lowercase letters, digits and underscores. */
export function databaseName(base: string): string {
  return base.replace(/-/g, '_').slice(0, 63);
}

/** App Launchpad's volume name for a mount path: `/`, `.` → `vn-`, `_` → `-`, last 63 characters. */
export function mountPathVolumeName(path: string): string {
  return path.replace(/_/g, '-').replace(/[/.]/g, 'vn-').toLowerCase().slice(-63);
}

/** The https URL of a git remote without credentials, or null when it is not a recognizable host URL. */
export function publicRepoUrl(remote: string | null | undefined): string | null {
  if (!remote) return null;
  const r = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?\/?$/.exec(r);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  try {
    const u = new URL(r);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return null;
    return `https://${u.hostname}${u.pathname.replace(/\.git\/?$/, '').replace(/\/$/, '')}`;
  } catch {
    return null;
  }
}
