import { describe, expect, it } from 'vitest';
import { ENDPOINTS_ENV, isLoopbackHost, parseRegion, regionEndpoints } from '../../../src/sealos/region.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'ok';
};

describe('parseRegion', () => {
  it.each([
    ['https://usw-1.sealos.io', 'https://usw-1.sealos.io', 'usw-1.sealos.io'],
    ['usw-1.sealos.io', 'https://usw-1.sealos.io', 'usw-1.sealos.io'],
    ['https://usw-1.sealos.io/', 'https://usw-1.sealos.io', 'usw-1.sealos.io'],
    ['  gzg.sealos.run// ', 'https://gzg.sealos.run', 'gzg.sealos.run'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321', '127.0.0.1:4321'],
    ['http://localhost:8080', 'http://localhost:8080', 'localhost:8080'],
  ])('%s → %s', (input, url, host) => {
    expect(parseRegion(input)).toEqual({ url, host });
  });

  it.each(['http://usw-1.sealos.io', 'http://10.0.0.5', 'ftp://usw-1.sealos.io', 'https://usw-1.sealos.io/desktop', 'https://user:pw@usw-1.sealos.io', '', 'https://'])('rejects %j with USAGE', (input) => {
    expect(codeOf(() => parseRegion(input))).toBe('USAGE');
  });
});

describe('regionEndpoints', () => {
  const region = parseRegion('usw-1.sealos.io');

  it('derives template.<host> and applaunchpad.<host>; the desktop is the region itself', () => {
    expect(regionEndpoints(region, { env: {} })).toEqual({
      desktop: 'https://usw-1.sealos.io',
      template: 'https://template.usw-1.sealos.io',
      applaunchpad: 'https://applaunchpad.usw-1.sealos.io',
    });
  });

  it('takes overrides from the env var, with option overrides winning', () => {
    const env = { [ENDPOINTS_ENV]: JSON.stringify({ template: 'http://127.0.0.1:9000', applaunchpad: 'http://127.0.0.1:9001' }) };
    expect(regionEndpoints(region, { env, overrides: { applaunchpad: 'https://lp.example.com/' } })).toEqual({
      desktop: 'https://usw-1.sealos.io',
      template: 'http://127.0.0.1:9000',
      applaunchpad: 'https://lp.example.com',
    });
  });

  it('never allows plain http to a non-loopback override', () => {
    expect(codeOf(() => regionEndpoints(region, { env: {}, overrides: { template: 'http://template.usw-1.sealos.io' } }))).toBe('USAGE');
    expect(codeOf(() => regionEndpoints(region, { env: { [ENDPOINTS_ENV]: '{"applaunchpad":"http://192.168.1.4"}' } }))).toBe('USAGE');
  });

  it('rejects a malformed override variable with USAGE', () => {
    expect(codeOf(() => regionEndpoints(region, { env: { [ENDPOINTS_ENV]: '{nope' } }))).toBe('USAGE');
    expect(codeOf(() => regionEndpoints(region, { env: { [ENDPOINTS_ENV]: '[1]' } }))).toBe('USAGE');
    expect(codeOf(() => regionEndpoints(region, { env: { [ENDPOINTS_ENV]: '{"template":7}' } }))).toBe('USAGE');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['localhost', true],
    ['api.localhost', true],
    ['127.0.0.1.nip.io', false],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
  ])('%s → %s', (h, v) => expect(isLoopbackHost(h)).toBe(v));
});
