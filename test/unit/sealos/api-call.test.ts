import { describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import type { Http, HttpRequest } from '../../../src/core/ports.js';
import { callRegion, readJsonRes } from '../../../src/sealos/api-call.js';

const failing = (err: Error): Http => ({ request: async () => Promise.reject(err) });

describe('callRegion', () => {
  it('a TLS failure stays TLS_INVALID and points at --ca-file, never at disabling verification', async () => {
    const err = (await callRegion('https://usw-1.sealos.io/api/x', { what: 'list workspaces' }, { http: failing(new DeployError('TLS_INVALID', 'self-signed certificate', 'x')) }).catch((e: unknown) => e)) as DeployError;
    expect(err.code).toBe('TLS_INVALID');
    expect(err.message).toContain('usw-1.sealos.io');
    expect(err.next).toMatch(/--ca-file/);
    expect(err.next).not.toMatch(/insecure|skip/i);
  });

  it('network failures are REGION_UNREACHABLE naming the host, never the request headers', async () => {
    const err = (await callRegion('https://usw-1.sealos.io/api/x', { what: 'list workspaces', headers: { authorization: 'secret-regional-token' } }, { http: failing(new DeployError('CONNECTION_FAILED', 'connection refused', 'x')) }).catch((e: unknown) => e)) as DeployError;
    expect(err.code).toBe('REGION_UNREACHABLE');
    expect(err.message).toContain('usw-1.sealos.io');
    expect(JSON.stringify(err.toJSON())).not.toContain('secret-regional-token');
  });

  it('passes the CA file through to the Http port', async () => {
    const seen: HttpRequest[] = [];
    const http: Http = { request: async (url, req = {}) => (seen.push(req), { url, status: 200, headers: {}, body: '{"code":200,"data":1}', durationMs: 1 }) };
    await callRegion('https://r.example.com/x', { what: 'x' }, { http, caFile: '/etc/region-ca.pem' });
    expect(seen[0]!.caFile).toBe('/etc/region-ca.pem');
  });
});

describe('readJsonRes', () => {
  const res = (status: number, json: unknown) => ({ status, json, text: JSON.stringify(json), headers: {} });
  it('takes the body code over an HTTP 200 (Sealos jsonRes)', () => {
    expect(readJsonRes(res(200, { code: 401, message: 'token verify error', data: null }))).toEqual({ code: 401, message: 'token verify error', data: null });
  });
  it('keeps an HTTP error status even when the body says 200', () => {
    expect(readJsonRes(res(502, { code: 200 })).code).toBe(502);
  });
  it('uses the HTTP status when the body has no code', () => {
    expect(readJsonRes(res(200, { data: { x: 1 } }))).toEqual({ code: 200, message: '', data: { x: 1 } });
  });
});
