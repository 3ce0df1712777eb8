import { describe, expect, it } from 'vitest';
import { healthLeaks, ingressNotReady, looksLikeHtml, ssrFailures } from '../../../src/core/truth/cluster/body-signals.js';
import { requestPattern } from '../../../src/core/truth/cluster/checks/request-logs.js';

describe('SSR failure detection', () => {
  it('finds the Next.js failure page', () => {
    const body = '<html><body><h2>Application error: a server-side exception has occurred (see the server logs for more information).</h2><p>Digest: 123</p></body></html>';
    expect(ssrFailures(body).map((f) => f.text)).toEqual(['Application error', 'server-side exception']);
  });
  it.each(['Internal Server Error', '<nextjs-portal>Unhandled Runtime Error</nextjs-portal>'])('finds %s', (body) => {
    expect(ssrFailures(body)).toHaveLength(1);
  });
  it('passes an ordinary page, and does not match lower-case prose', () => {
    expect(ssrFailures('<h1>Welcome</h1><p>if an internal server error happens, retry</p>')).toEqual([]);
  });
});

describe('SPA shell and ingress readiness', () => {
  it('recognises HTML by content type or doctype', () => {
    expect(looksLikeHtml('{}', 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml('  <!DOCTYPE html><html>', undefined)).toBe(true);
    expect(looksLikeHtml('{"error":"not found"}', 'application/json')).toBe(false);
  });
  it('applies App Launchpad\'s not-ready rules', () => {
    expect(ingressNotReady(404, '', '0')).toMatch(/no backend/);
    expect(ingressNotReady(503, 'upstream connect error or disconnect/reset before headers', undefined)).toMatch(/no healthy upstream/);
    expect(ingressNotReady(404, 'Cannot GET /', '12')).toBeNull();
  });
});

describe('health leaks', () => {
  it('passes a status-only answer, including the app\'s own version', () => {
    expect(healthLeaks('{"status":"ok","version":"1.4.2","uptime":12}')).toEqual([]);
  });
  it('finds a stack trace, an env dump and process.versions', () => {
    const body = JSON.stringify({ error: 'Error: x\n    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)', env: { PATH: '/usr/bin', HOSTNAME: 'web-1' }, versions: { node: '22.1.0', v8: '12.4', openssl: '3.0' } });
    expect(healthLeaks(body).map((l) => l.kind)).toEqual(['stack-trace', 'environment', 'dependency-versions']);
  });
  it('finds a dependencies map', () => {
    expect(healthLeaks('{"status":"ok","dependencies":{"express":"4.21.0"}}').map((l) => l.kind)).toEqual(['dependency-versions']);
  });
});

describe('request log pattern', () => {
  it('matches the probe paths, and "/" only as a request line', () => {
    const re = requestPattern(['/', '/healthz', '/api/sealos-deploy-probe-ab12']);
    expect(re.test('GET /healthz 200 1ms')).toBe(true);
    expect(re.test('{"method":"GET","url":"/api/sealos-deploy-probe-ab12","status":404}')).toBe(true);
    expect(re.test('GET / 200 3ms')).toBe(true);
    expect(re.test('{"url":"/"}')).toBe(true);
    expect(re.test('loaded config from /etc/app')).toBe(false);
  });
});
