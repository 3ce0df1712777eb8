// `node dist/mcp.js [options]`: the MCP server alone. The full CLI entry loads every command (and
// the analyzer behind some) before it can answer; this one loads only what `mcp` needs, which keeps
// spawn → tools/list short. Same options and exit codes as `sealos-deploy mcp`.
import { runCommand } from '../cli/run-command.js';
import { mcpCommand } from '../cli/commands/mcp.js';

const argv = process.argv.slice(2);
process.exitCode = await runCommand(mcpCommand, argv[0] === 'mcp' ? argv.slice(1) : argv, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
});
