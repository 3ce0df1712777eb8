import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp, MAX_BODY_BYTES } from '../../../src/system/http.js';
import { execaRunner } from '../../../src/system/runner.js';

const client = createHttp();
let server: http.Server;
let port = 0;
const seenHosts: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHosts.push(req.headers.host ?? '');
    if (req.url === '/missing') return res.writeHead(404, { 'X-Thing': 'a' }).end('nope');
    if (req.url === '/big') return res.end(Buffer.alloc(2 * MAX_BODY_BYTES, 'x'));
    if (req.url === '/hang') return; // never answers
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      return req.on('end', () => res.end(`got ${body}`));
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('Http adapter (node:http)', () => {
  it('returns non-2xx statuses as results with lower-cased headers', async () => {
    const res = await client.request(`http://127.0.0.1:${port}/missing`);
    expect(res).toMatchObject({ status: 404, body: 'nope' });
    expect(res.headers['x-thing']).toBe('a');
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('sends a body', async () => {
    const res = await client.request(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'héllo' });
    expect(res.body).toBe('got héllo');
  });

  it('connectTo routes to another address and keeps the URL host in the Host header', async () => {
    const res = await client.request('http://my-app.example.test/route', { connectTo: { host: '127.0.0.1', port } });
    expect(res.status).toBe(200);
    expect(seenHosts.at(-1)).toBe('my-app.example.test');
  });

  it('cuts bodies at 1 MiB and says so', async () => {
    const res = await client.request(`http://127.0.0.1:${port}/big`);
    expect(res.body.length).toBe(MAX_BODY_BYTES);
    expect(res.bodyTruncated).toBe(true);
  });

  it('throws TIMEOUT when no answer comes in time', async () => {
    await expect(client.request(`http://127.0.0.1:${port}/hang`, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT', next: expect.any(String) });
  });

  it('throws CANCELLED when the signal fires', async () => {
    const ac = new AbortController();
    const p = client.request(`http://127.0.0.1:${port}/hang`, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('throws CONNECTION_FAILED with the network code when nothing listens', async () => {
    const free = await new Promise<number>((r) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    await expect(client.request(`http://127.0.0.1:${free}/`)).rejects.toMatchObject({ code: 'CONNECTION_FAILED', details: { cause: 'ECONNREFUSED' }, message: expect.stringMatching(/connection refused/) });
  });

  it('refuses a non-http URL', async () => {
    await expect(client.request('ftp://example.test/')).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('Http adapter (https)', () => {
  let dir = '';
  let tls: https.Server;
  let tlsPort = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'http-tls-'));
    const r = await execaRunner.run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=app.example.test', '-addext', 'subjectAltName=DNS:app.example.test,DNS:www.app.example.test'], { cwd: dir });
    if (r.exitCode !== 0) throw new Error(r.stderr);
    tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('secure'));
    await new Promise<void>((res) => tls.listen(0, '127.0.0.1', res));
    tlsPort = (tls.address() as AddressInfo).port;
  });
  afterAll(() => {
    tls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies against the given CA, routes with connectTo and reports certificate facts', async () => {
    const res = await client.request('https://app.example.test/', { connectTo: { host: '127.0.0.1', port: tlsPort }, caFile: join(dir, 'cert.pem') });
    expect(res.body).toBe('secure');
    expect(res.tls).toMatchObject({ authorized: true, subjectAltNames: ['app.example.test', 'www.app.example.test'] });
    expect(Date.parse(res.tls?.validTo ?? '')).toBeGreaterThan(Date.now());
  });

  it('throws TLS_INVALID for an untrusted certificate by default', async () => {
    await expect(client.request('https://app.example.test/', { connectTo: { host: '127.0.0.1', port: tlsPort } })).rejects.toMatchObject({ code: 'TLS_INVALID' });
  });

  it('throws TLS_INVALID when the host name is not in the certificate', async () => {
    await expect(client.request('https://other.example.test/', { connectTo: { host: '127.0.0.1', port: tlsPort }, caFile: join(dir, 'cert.pem') })).rejects.toMatchObject({ code: 'TLS_INVALID' });
  });
});
