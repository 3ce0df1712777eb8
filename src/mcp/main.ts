// The MCP server's entry, bundled alone as dist/mcp-server.cjs and started by dist/mcp.js (the
// code-cache launcher). No top-level await: the bundle is CommonJS so V8 can cache its compiled code.
import { runCommand } from '../cli/run-command.js';
import { mcpCommand } from '../cli/commands/mcp.js';

/** Runs `sealos-deploy mcp` with these arguments (a leading `mcp` is accepted); resolves to the exit code. */
export function main(argv: string[]): Promise<number> {
  return runCommand(mcpCommand, argv[0] === 'mcp' ? argv.slice(1) : argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  });
}
