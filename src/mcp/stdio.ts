import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer, type ServerOptions } from './server.js';

/**
 * Serves MCP over stdin/stdout until the client closes stdin or the process is told to stop.
 * stdout is the protocol channel: diagnostics go to stderr only.
 */
export async function serveStdio(options: ServerOptions, stderr: (text: string) => void): Promise<void> {
  const server = createServer(options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  transport.onerror = (err) => stderr(`sealos-deploy mcp: ${err.message}\n`);
  await server.connect(transport);
  // The SDK transport does not notice the client going away; stdin ending is that signal.
  const stop = () => void server.close();
  process.stdin.once('end', stop);
  // A client that exits while an answer is being written closes our stdout (EPIPE): that ends the
  // session like stdin ending, not with an unhandled 'error' event and a stack trace on stderr.
  const broken = (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' ? stop() : stderr(`sealos-deploy mcp: ${err.message}\n`));
  process.stdout.on('error', broken);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await closed;
  process.stdin.off('end', stop);
  process.stdout.off('error', broken);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
