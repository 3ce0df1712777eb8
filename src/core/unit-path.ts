import { DeployError } from './errors.js';

/**
 * A workspace unit (`--path`, the MCP `path` argument) as a repo-relative directory:
 * `./packages/api/` and `packages\api` become `packages/api`. One that leaves the repository
 * (`../x`, `/etc`) is refused as given, before anything is read outside it.
 */
export function unitRelPath(path: string | undefined): string {
  const raw = (path ?? '').replace(/\\/g, '/');
  const segs = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || segs.includes('..'))
    throw new DeployError('UNIT_NOT_FOUND', `--path "${path}" is not a directory inside the repository.`, 'Pass --path relative to the repository root, e.g. --path packages/api.');
  return segs.join('/');
}
