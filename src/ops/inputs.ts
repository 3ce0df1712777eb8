import { DeployError } from '../core/errors.js';
import { looksSecretName, type Redactor } from '../core/redact.js';
import { readArgsFile } from '../sealos/template-api.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Template input values from `--input NAME=value` and a private JSON file (`--inputs-file`, mode
 * 0600). Every value is registered with the redactor before anything can print it. Values from
 * `--input` win over the file (the more specific place). A secret-looking input on the command line is
 * refused: argv is visible to every process on the machine and lands in shell history.
 */
export async function collectInputs(args: { pairs?: readonly string[]; file?: string; redactor: Redactor }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (args.file) Object.assign(out, await readArgsFile(args.file));
  for (const kv of args.pairs ?? []) {
    const eq = kv.indexOf('=');
    const name = eq < 0 ? kv : kv.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      throw new DeployError('USAGE', `--input needs NAME=value ("${name.slice(0, 40)}" ${eq < 0 ? 'has no "="' : 'is not an input name'}).`, 'Pass --input NAME=value, or put secrets in a 0600 JSON file given with --inputs-file.');
    }
    if (looksSecretName(name)) {
      throw new DeployError('USAGE', `--input ${name}=… looks like a secret, and secrets never go on the command line.`, `Put it in a JSON file readable only by you (chmod 600) and pass --inputs-file <file>: {"${name}": "…"}.`);
    }
    out[name] = kv.slice(eq + 1);
  }
  for (const v of Object.values(out)) args.redactor.add(v);
  return out;
}
