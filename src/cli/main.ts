import { EXIT, type CliIo } from './command.js';
import { commands } from './commands/index.js';
import { runCommand } from './run-command.js';
import { VERSION } from '../version.js';

function help(): string {
  const lines = [
    `sealos-deploy ${VERSION}: ship a Node.js service to production on Sealos`,
    '',
    'Usage: sealos-deploy <command> [dir] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    'Every command takes --json for machine-readable output and --help for its options.',
    'Exit codes: 0 ok, 1 rejected (verdict negative), 2 usage or environment error, 3 plan shown (re-run with --confirm).',
  ];
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name ? EXIT.ok : EXIT.error;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(VERSION + '\n');
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`error USAGE: unknown command "${name}"\n  next: run "sealos-deploy --help" for the list of commands.\n`);
    return EXIT.error;
  }
  return runCommand(command, rest, io);
}

// A reader that stops early (`sealos-deploy analyze | head`) closes the pipe: the command runs to its end (a deploy
// must not stop half applied), and what it would still print goes nowhere instead of crashing on EPIPE.
const closed = { stdout: false, stderr: false };
function writer(stream: NodeJS.WriteStream, name: keyof typeof closed): (t: string) => void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed[name] = true;
  });
  return (t) => {
    if (!closed[name]) stream.write(t);
  };
}

const processIo: CliIo = {
  stdout: writer(process.stdout, 'stdout'),
  stderr: writer(process.stderr, 'stderr'),
  cwd: process.cwd(),
  env: process.env,
};

export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo);
}
