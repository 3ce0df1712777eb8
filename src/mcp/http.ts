import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { DeployError } from '../core/errors.js';
import { PlanStore } from './confirmation.js';
import { allowedHostnames, bearerMatches, checkBind, checkRequestOrigin } from './http-guard.js';
import { createServer, type ServerOptions } from './server.js';

export interface HttpOptions extends ServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Required unless bound to loopback; checked on every request when set. */
  token?: string;
  /** Extra Host names clients use (e.g. a DNS name for the machine). */
  allowedHosts?: string[];
  maxSessions?: number;
  sessionIdleMs?: number;
}

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new DeployError('USAGE', 'Request body over 4 MiB.', 'Send smaller requests.', { status: 413 });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new DeployError('USAGE', 'Request body is not JSON.', 'Send a JSON-RPC message.', { status: 400 });
  }
}

interface Session {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

/**
 * Streamable HTTP on `/mcp`, stateful: each client session gets its own McpServer and transport.
 * Stateful because confirmation by elicitation and progress need the server→client stream of the
 * session that made the call; a stateless server could not route the elicitation answer back.
 * Plans are shared across sessions, so a `plan_id` survives a client reconnect.
 */
export async function serveHttp(options: HttpOptions): Promise<HttpHandle> {
  checkBind(options.host, options.token);
  const allowed = allowedHostnames(options.host, options.allowedHosts);
  const plans = options.plans ?? new PlanStore();
  const sessions = new Map<string, Session>();
  const maxSessions = options.maxSessions ?? 32;
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const s of sessions.values()) if (now - s.lastSeen > idleMs) void s.transport.close();
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (sessions.size >= maxSessions) return refuse(res, 503, `Too many MCP sessions (${maxSessions}); close one and retry.`);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createServer({ ...options, plans }).connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const denied = checkRequestOrigin({ host: req.headers.host, origin: req.headers.origin }, allowed);
    if (denied) return refuse(res, denied.status, denied.reason);
    if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
      return refuse(res, 401, 'Missing or wrong bearer token.', { 'www-authenticate': 'Bearer' });
    }
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return refuse(res, 404, 'Not found: the MCP endpoint is /mcp.');

    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return refuse(res, 404, 'Unknown or expired MCP session; initialize a new one.');
      session.lastSeen = Date.now();
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method === 'POST' && isInitializeRequest(body)) return openSession(req, res, body);
    return refuse(res, 400, 'Bad request: send initialize first, then the Mcp-Session-Id header.');
  }

  const http = createHttpServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      const status = err instanceof DeployError && typeof err.details?.status === 'number' ? err.details.status : 500;
      refuse(res, status, err instanceof Error ? err.message : 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(new DeployError('USAGE', `Cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}.`, 'Pick a free port or another address with --http host:port.')),
    );
    http.listen(options.port, options.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostInUrl}:${port}/mcp`,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
