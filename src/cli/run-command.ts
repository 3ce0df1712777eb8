import { parseArgs } from 'node:util';
import { toErrorPayload } from '../core/errors.js';
import { COMMON_OPTIONS, EXIT, type CliIo, type Command } from './command.js';
import { printError } from './output.js';

/** Parse one command's arguments and run it; coded failures become an error line and exit 2. */
export async function runCommand(command: Command, args: string[], io: CliIo): Promise<number> {
  const name = command.name;
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true }));
  } catch (err) {
    io.stderr(`error USAGE: ${(err as Error).message}\n  next: run "sealos-deploy ${name} --help".\n`);
    return EXIT.error;
  }
  if (values.help) {
    io.stdout(`${command.summary}\n\n${command.usage}\n`);
    return EXIT.ok;
  }
  const max = command.positionals === 'own' ? Infinity : command.positionals === 'none' ? 0 : 1;
  if (positionals.length > max) {
    const got = positionals.map((p) => JSON.stringify(p)).join(' ');
    const what = max === 0 ? `${name} takes no positional arguments (got ${got}).` : `${name} takes one directory, got ${positionals.length}: ${got}.`;
    printError(io, { code: 'USAGE', message: what, next: max === 0 ? `Run "sealos-deploy ${name} --help".` : `Quote a path with spaces: sealos-deploy ${name} "my service".` }, Boolean(values.json));
    return EXIT.error;
  }
  try {
    return await command.run(values, positionals, io);
  } catch (err) {
    printError(io, toErrorPayload(err), Boolean(values.json));
    return EXIT.error;
  }
}
