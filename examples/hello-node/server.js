'use strict';
// A small production-ready HTTP service with no dependencies:
// reads PORT, listens on all interfaces, answers /healthz, logs JSON, shuts down gracefully.
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const port = Number.parseInt(process.env.PORT ?? '3000', 10);
const startedAt = Date.now();
let shuttingDown = false;

function log(level, msg, fields = {}) {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function route(req, res, url) {
  switch (url.pathname) {
    // Cheap on purpose: no database, no outbound calls. Reports 503 while draining so traffic moves away.
    case '/healthz':
      return send(res, shuttingDown ? 503 : 200, { status: shuttingDown ? 'draining' : 'ok' });
    case '/':
      return send(res, 200, { service: 'hello-node', message: 'Hello from Sealos', uptime_s: Math.round((Date.now() - startedAt) / 1000) });
    default:
      return send(res, 404, { error: 'not found' });
  }
}

const server = http.createServer((req, res) => {
  const id = req.headers['x-request-id'] ?? randomUUID();
  const t0 = process.hrtime.bigint();
  res.setHeader('x-request-id', id);
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    log('info', 'request', { id, method: req.method, path: req.url, status: res.statusCode, duration_ms: Math.round(ms * 10) / 10 });
  });
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  try {
    route(req, res, new URL(req.url ?? '/', 'http://localhost'));
  } catch (err) {
    log('error', 'handler failed', { id, error: err instanceof Error ? err.message : String(err) });
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  }
});

// Kubernetes sends SIGTERM, waits the grace period, then SIGKILL: finish in-flight requests and exit.
function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('info', 'shutting down', { signal });
  server.close((err) => {
    if (err) log('error', 'close failed', { error: err.message });
    process.exit(err ? 1 : 0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log('error', 'forced exit: connections still open after 8 s');
    process.exit(1);
  }, 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
// 0.0.0.0: reachable from outside the container, not only from loopback.
server.listen(port, '0.0.0.0', () => log('info', `listening on port ${port}`, { port, node: process.version }));
