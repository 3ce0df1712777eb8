import { readFile, stat } from 'node:fs/promises';
import { DeployError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';
import { pathIn } from './cluster-args.js';

/**
 * A secret the user keeps in a private file (mode 0600). Tool arguments end up in host transcripts and
 * logs, so secret values never travel as arguments; group/other-readable files are refused.
 */
export async function readPrivateFile(projectDir: string, path: string, what: string): Promise<string> {
  const full = pathIn(projectDir, path);
  const st = await stat(full).catch(() => null);
  if (!st?.isFile()) throw new DeployError('USAGE', `The ${what} file ${full} does not exist.`, `Write the ${what} alone into a file with mode 0600 and pass its path.`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new DeployError('USAGE', `The ${what} file ${full} is readable by other users (mode ${(st.mode & 0o777).toString(8)}).`, `Run \`chmod 600 ${full}\` and call again.`);
  }
  const value = (await readFile(full, 'utf8')).replace(/\r?\n$/, '');
  if (!value) throw new DeployError('USAGE', `The ${what} file ${full} is empty.`, `Write the ${what} into the file and call again.`);
  return value;
}

/** Registry login for a private image: the user name as an argument, the password/token from a 0600 file. */
export async function registryCredential(projectDir: string, user: string | undefined, passwordFile: string | undefined, redactor?: Redactor): Promise<{ username: string; password: string } | undefined> {
  if (!user && !passwordFile) return undefined;
  if (!user || !passwordFile) {
    throw new DeployError('USAGE', 'A registry login needs both registry_user and registry_password_file.', 'Pass registry_user and the path of a 0600 file holding only the token (never the token itself).');
  }
  const password = await readPrivateFile(projectDir, passwordFile, 'registry password');
  redactor?.add(password);
  return { username: user, password };
}

/** Template input values from a private JSON file (mode 0600), registered with the redactor before anything can print them. */
export async function inputsFrom(projectDir: string, file: string | undefined, redactor: Redactor): Promise<Record<string, string>> {
  if (!file) return {};
  const { collectInputs } = await import('../../ops/inputs.js');
  return collectInputs({ file: pathIn(projectDir, file), redactor });
}

export const inputsFileDescription =
  'Path of a JSON object of template input values (secrets included), mode 0600; relative paths resolve against project_dir. Values never go in tool arguments.';
