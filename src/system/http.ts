import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { DeployError } from '../core/errors.js';
import type { Http, HttpRequest, HttpResponse } from '../core/ports.js';
import { VERSION } from '../version.js';

/** Bodies beyond this are cut: probes need a status and an excerpt, not a download. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|EPROTO)/;

function networkError(err: NodeJS.ErrnoException, url: URL, target: string): DeployError {
  const code = err.code ?? 'UNKNOWN';
  if (TLS_CODES.test(code))
    return new DeployError('TLS_INVALID', `TLS verification failed for ${url.host}: ${err.message}`, 'Check the certificate (issuer, expiry, host names) or pass the CA file that signed it.', {
      cause: code,
    });
  const what: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ECONNRESET: 'connection reset by the peer',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'DNS lookup failed temporarily',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed while sending',
  };
  return new DeployError('CONNECTION_FAILED', `${url.protocol}//${url.host}: ${what[code] ?? err.message} (connecting to ${target})`, 'Check that the service runs and the address and port are right, then retry.', {
    cause: code,
  });
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function tlsFacts(socket: TLSSocket): HttpResponse['tls'] {
  const cert = socket.getPeerCertificate?.();
  const sans = (cert?.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''));
  const facts: NonNullable<HttpResponse['tls']> = {
    validTo: cert?.valid_to ? new Date(cert.valid_to).toISOString() : '',
    subjectAltNames: sans,
    authorized: socket.authorized,
  };
  if (socket.authorizationError) facts.authorizationError = String(socket.authorizationError);
  return facts;
}

/** The Http port over node:http/https: one request per connection, never throws on an HTTP status. */
export function createHttp(defaults: { timeoutMs?: number; userAgent?: string } = {}): Http {
  return {
    request(rawUrl: string, req: HttpRequest = {}): Promise<HttpResponse> {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        return Promise.reject(new DeployError('USAGE', `Not a URL: ${rawUrl}`, 'Pass an absolute http:// or https:// URL.'));
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return Promise.reject(new DeployError('USAGE', `Unsupported URL scheme ${url.protocol}`, 'Use an http:// or https:// URL.'));
      const secure = url.protocol === 'https:';
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      const host = req.connectTo?.host ?? hostname;
      const port = req.connectTo?.port ?? (url.port ? Number(url.port) : secure ? 443 : 80);
      const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const timeoutMs = req.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
      const headers: Record<string, string> = { host: url.host, 'user-agent': defaults.userAgent ?? `sealos-deploy/${VERSION}`, ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));

      let ca: Buffer | undefined;
      if (req.caFile) {
        try {
          ca = readFileSync(req.caFile);
        } catch (err) {
          return Promise.reject(new DeployError('USAGE', `Cannot read the CA file ${req.caFile}: ${(err as Error).message}`, 'Pass a readable PEM file.'));
        }
      }

      return new Promise<HttpResponse>((resolve, reject) => {
        const started = Date.now();
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.signal?.removeEventListener('abort', onAbort);
          fn();
        };
        const options: https.RequestOptions = {
          method: req.method ?? 'GET',
          host,
          port,
          path: `${url.pathname}${url.search}`,
          headers,
          agent: false,
        };
        if (secure) {
          options.servername = isIP(hostname) ? '' : hostname;
          options.rejectUnauthorized = true;
          if (ca) options.ca = ca;
          // Verify against the URL's host even when connectTo routes elsewhere.
          options.checkServerIdentity = (_host, cert) => checkServerIdentity(hostname, cert);
        }
        const request = (secure ? https : http).request(options, (res) => {
          const tls = secure ? tlsFacts(res.socket as TLSSocket) : undefined;
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          const done = () =>
            settle(() => {
              const response: HttpResponse = {
                url: url.toString(),
                status: res.statusCode ?? 0,
                headers: flatHeaders(res.headers),
                body: Buffer.concat(chunks).toString('utf8'),
                durationMs: Date.now() - started,
              };
              if (tls) response.tls = tls;
              if (truncated) response.bodyTruncated = true;
              resolve(response);
              if (truncated) request.destroy();
            });
          res.on('data', (chunk: Buffer) => {
            if (truncated) return;
            const room = MAX_BODY_BYTES - size;
            if (chunk.length >= room) {
              chunks.push(chunk.subarray(0, room));
              size = MAX_BODY_BYTES;
              truncated = true;
              done();
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', done);
          res.on('error', (err: NodeJS.ErrnoException) => settle(() => reject(networkError(err, url, target))));
          res.on('aborted', () => settle(() => reject(networkError(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }), url, target))));
        });
        const timer = setTimeout(() => {
          settle(() => reject(new DeployError('TIMEOUT', `${req.method ?? 'GET'} ${url.toString()} got no complete answer within ${timeoutMs} ms`, 'Check that the service answers this path quickly, or raise the timeout.', { timeout_ms: timeoutMs })));
          request.destroy();
        }, timeoutMs);
        const onAbort = () => {
          settle(() => reject(new DeployError('CANCELLED', `${req.method ?? 'GET'} ${url.toString()} was cancelled`, 'Re-run when ready.')));
          request.destroy();
        };
        if (req.signal?.aborted) onAbort();
        else req.signal?.addEventListener('abort', onAbort, { once: true });
        request.on('error', (err: NodeJS.ErrnoException) => settle(() => reject(networkError(err, url, target))));
        if (req.body !== undefined) request.write(req.body);
        request.end();
      });
    },
  };
}

export const nodeHttp: Http = createHttp();
