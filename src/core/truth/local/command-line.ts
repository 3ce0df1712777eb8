import { DeployError } from '../../errors.js';

export interface ParsedCommand {
  argv: string[];
  /** Leading `NAME=value` assignments. */
  env: Record<string, string>;
}

const OPERATORS = /^(&&|\|\||\||;|&|>|>>|<|2>|2>&1|\(|\))$/;

/**
 * Splits a command from the analysis ("npm ci", "node dist/server.js --port $PORT") into an argument
 * array without a shell: quotes and backslashes as sh reads them, `$NAME`/`${NAME}` from `env`.
 * Shell syntax we would need a shell for (pipes, &&, redirects, backgrounding) is refused.
 */
export function parseCommandLine(command: string, env: Record<string, string | undefined> = {}): ParsedCommand {
  const words: Array<{ text: string; quoted: boolean }> = [];
  let cur = '';
  let quoted = false;
  let inWord = false;
  let i = 0;
  const refuse = (what: string) =>
    new DeployError('CONFIG_INVALID', `The command "${command}" uses ${what}, which needs a shell.`, 'Put the command in a package.json script (e.g. "start") and use `npm start`, or set start_command in .sealos/config.json to one program with arguments.');
  const expand = (): string => {
    // at '$'
    const braced = command[i + 1] === '{';
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(command.slice(i + (braced ? 2 : 1)));
    if (!m) {
      if (command[i + 1] === '(') throw refuse('command substitution $(...)');
      i++;
      return '$';
    }
    const name = m[0];
    i += name.length + (braced ? 3 : 1);
    if (braced && command[i - 1] !== '}') throw refuse('a ${...} expansion with operators');
    return env[name] ?? '';
  };
  while (i < command.length) {
    const c = command[i] as string;
    if (/\s/.test(c)) {
      if (inWord) words.push({ text: cur, quoted });
      cur = '';
      quoted = false;
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw refuse('an unterminated quote');
      cur += command.slice(i + 1, end);
      quoted = true;
      i = end + 1;
    } else if (c === '"') {
      quoted = true;
      i++;
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1] as string)) {
          cur += command[i + 1];
          i += 2;
        } else if (command[i] === '$') cur += expand();
        else if (command[i] === '`') throw refuse('command substitution `...`');
        else cur += command[i++];
      }
      if (command[i] !== '"') throw refuse('an unterminated quote');
      i++;
    } else if (c === '\\') {
      cur += command[i + 1] ?? '';
      i += 2;
    } else if (c === '$') {
      cur += expand();
    } else if (c === '`') {
      throw refuse('command substitution `...`');
    } else if ('|&;<>()'.includes(c)) {
      let op = c;
      while (i + op.length < command.length && '|&;<>'.includes(command[i + op.length] as string)) op += command[i + op.length];
      if (OPERATORS.test(op) || /[|&;<>]/.test(op)) throw refuse(`the shell operator "${op}"`);
      cur += op;
      i += op.length;
    } else {
      cur += c;
      i++;
    }
  }
  if (inWord) words.push({ text: cur, quoted });
  const assignments: Record<string, string> = {};
  let k = 0;
  for (; k < words.length; k++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[k]?.text ?? '');
    if (!m) break;
    assignments[m[1] as string] = m[2] as string;
  }
  const argv = words.slice(k).map((w) => w.text);
  if (argv.length === 0) throw new DeployError('CONFIG_INVALID', `The command "${command}" names no program.`, 'Give a program to run, e.g. `node server.js`.');
  return { argv, env: assignments };
}
