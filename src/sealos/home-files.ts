import { chmod, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DeployError } from '../core/errors.js';
import { readTextIfExists, writeFileAtomic } from '../system/atomic-file.js';
import { makeDirs } from '../system/make-dirs.js';

/**
 * ~/.sealos is shared with sealos-cli and the Sealos plugin: same file names, same auth.json fields,
 * so one login serves all three tools.
 */
export interface SealosPaths {
  dir: string;
  auth: string;
  kubeconfig: string;
  cacheDir: string;
}

export function sealosPaths(home?: string): SealosPaths {
  const dir = join(home ?? homedir(), '.sealos');
  return { dir, auth: join(dir, 'auth.json'), kubeconfig: join(dir, 'kubeconfig'), cacheDir: join(dir, 'cache') };
}

/** The home directory from an injected env (tests, CLI io) or the OS. */
export function homeFrom(env?: NodeJS.ProcessEnv, home?: string): string {
  return home ?? env?.HOME ?? homedir();
}

export const AUTH_METHOD_DEVICE_GRANT = 'oauth2_device_grant';

export const workspaceRefSchema = z.object({ uid: z.string(), id: z.string(), teamName: z.string() });
export type WorkspaceRef = z.infer<typeof workspaceRefSchema>;

/** Unknown fields (another tool's additions) are kept on rewrite. */
export const authFileSchema = z
  .object({
    region: z.string().min(1),
    access_token: z.string().optional(),
    regional_token: z.string().optional(),
    authenticated_at: z.string().optional(),
    auth_method: z.string().optional(),
    current_workspace: workspaceRefSchema.optional(),
  })
  .passthrough();
export type AuthFile = z.infer<typeof authFileSchema>;

/** Create a private directory, tightening one that another tool created group/world-readable. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await makeDirs(dir, 0o700);
  const st = await stat(dir);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/** Atomic (temp + rename) with mode 0600 set when the temp file is created, never chmod afterwards. */
export async function writePrivateFile(paths: SealosPaths, path: string, text: string): Promise<void> {
  await ensurePrivateDir(paths.dir);
  if (path.startsWith(paths.cacheDir)) await ensurePrivateDir(paths.cacheDir);
  await writeFileAtomic(path, text, 0o600);
}

export async function readAuthFile(paths: SealosPaths): Promise<AuthFile | null> {
  const text = await readTextIfExists(paths.auth);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DeployError('LOGIN_REQUIRED', `${paths.auth} is not valid JSON.`, 'Run `sealos-deploy login` to sign in again (it rewrites the file).');
  }
  const parsed = authFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeployError('LOGIN_REQUIRED', `${paths.auth} lacks a region or has fields of the wrong type.`, 'Run `sealos-deploy login` to sign in again (it rewrites the file).');
  }
  return parsed.data;
}

/** The auth file with a regional token, or LOGIN_REQUIRED. */
export async function requireAuthFile(paths: SealosPaths): Promise<AuthFile & { regional_token: string }> {
  const auth = await readAuthFile(paths);
  if (!auth) throw new DeployError('LOGIN_REQUIRED', `Not signed in to Sealos (${paths.auth} does not exist).`, 'Run `sealos-deploy login [--region <url>]`.');
  if (!auth.regional_token) throw new DeployError('LOGIN_REQUIRED', `${paths.auth} has no regional token.`, 'Run `sealos-deploy login` to sign in with the device grant.');
  return auth as AuthFile & { regional_token: string };
}

/** Field order as the Sealos plugin and sealos-cli write it. */
export function serializeAuth(auth: AuthFile): string {
  const { region, access_token, regional_token, authenticated_at, auth_method, current_workspace, ...rest } = auth;
  const ordered: Record<string, unknown> = { region };
  if (access_token !== undefined) ordered.access_token = access_token;
  if (regional_token !== undefined) ordered.regional_token = regional_token;
  if (authenticated_at !== undefined) ordered.authenticated_at = authenticated_at;
  if (auth_method !== undefined) ordered.auth_method = auth_method;
  if (current_workspace !== undefined) ordered.current_workspace = { uid: current_workspace.uid, id: current_workspace.id, teamName: current_workspace.teamName };
  return JSON.stringify({ ...ordered, ...rest }, null, 2) + '\n';
}

export async function writeAuthFile(paths: SealosPaths, auth: AuthFile): Promise<void> {
  await writePrivateFile(paths, paths.auth, serializeAuth(auth));
}
