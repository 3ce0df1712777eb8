import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLaunchpad, type LaunchpadCheckOptions } from '../../../src/sealos/launchpad.js';
import { createHttp } from '../../../src/system/http.js';
import { leakedSecrets } from '../../support/fake-region/harness.js';
import { startFakeRegion, type FakeRegion } from '../../support/fake-region/server.js';

let region: FakeRegion;

beforeEach(async () => {
  region = await startFakeRegion();
  region.state.launchpad.apps['myapp-abcdefgh'] = {
    networks: [
      { serviceName: 'myapp-abcdefgh', networkName: 'network-1', portName: 'http', port: 3000, protocol: 'TCP', appProtocol: 'HTTP', openPublicDomain: true, publicDomain: 'myapp-xyzxyzxy', customDomain: '', domain: 'usw-1.sealos.app' },
      { serviceName: 'myapp-abcdefgh', networkName: 'network-2', port: 9090, protocol: 'TCP', openPublicDomain: false, publicDomain: '', customDomain: '', domain: '' },
    ],
  };
});
afterEach(async () => {
  await region.close();
});

function opts(extra: Partial<LaunchpadCheckOptions> = {}): LaunchpadCheckOptions {
  return {
    region: 'https://usw-1.sealos.io',
    kubeconfigYaml: region.kubeconfigFor('ns-abcd1234'),
    appName: 'myapp-abcdefgh',
    expectedPort: 3000,
    appUrl: 'https://myapp-xyzxyzxy.usw-1.sealos.app',
    http: createHttp(),
    endpoints: { applaunchpad: region.url },
    ...extra,
  };
}

describe('checkLaunchpad (getAppByAppName)', () => {
  it('passes when a public network on the expected port serves the App URL host', async () => {
    const r = await checkLaunchpad(opts());
    expect(r.status).toBe('pass');
    expect(r.finding_codes).toEqual([]);
    expect(r.summary).toBe('Launchpad shows myapp-abcdefgh public at myapp-xyzxyzxy.usw-1.sealos.app on port 3000.');
    expect(r.evidence).toMatchObject({ http_status: 200, api_code: 200, app_url_host: 'myapp-xyzxyzxy.usw-1.sealos.app' });
    expect(r.evidence.networks[0]!.hosts).toEqual(['myapp-xyzxyzxy.usw-1.sealos.app']);

    const call = region.requests.find((q) => q.path === '/api/getAppByAppName');
    expect(call?.query).toEqual({ appName: 'myapp-abcdefgh' });
    expect(call?.headers.authorization).toBe(encodeURIComponent(region.kubeconfigFor('ns-abcd1234')));
    expect(leakedSecrets(region, JSON.stringify(r))).toEqual([]);
  });

  it('fails with both hosts when the App URL host differs', async () => {
    const r = await checkLaunchpad(opts({ appUrl: 'https://myapp.usw-1.sealos.io' }));
    expect(r.status).toBe('fail');
    expect(r.finding_codes).toEqual(['app_url_host_mismatch']);
    expect(r.summary).toContain('myapp.usw-1.sealos.io');
    expect(r.summary).toContain('myapp-xyzxyzxy.usw-1.sealos.app');
  });

  it('accepts a custom domain as a network host', async () => {
    region.state.launchpad.apps['myapp-abcdefgh']!.networks = [{ port: 3000, openPublicDomain: true, publicDomain: 'myapp-xyzxyzxy', domain: 'usw-1.sealos.app', customDomain: 'shop.example.com' }];
    expect((await checkLaunchpad(opts({ appUrl: 'https://shop.example.com/' }))).status).toBe('pass');
  });

  it('fails with expected_port_missing naming both ports', async () => {
    const r = await checkLaunchpad(opts({ expectedPort: 8080 }));
    expect(r.finding_codes).toEqual(['expected_port_missing']);
    expect(r.summary).toMatch(/expected port 8080; public ports: 3000/);
  });

  it('fails with public_network_missing when no network is public', async () => {
    region.state.launchpad.apps['myapp-abcdefgh']!.networks = [{ port: 3000, openPublicDomain: false }];
    expect((await checkLaunchpad(opts())).finding_codes).toEqual(['public_network_missing']);
  });

  it('an unknown app is launchpad_api_error (jsonRes code 500)', async () => {
    const r = await checkLaunchpad(opts({ appName: 'nope' }));
    expect(r).toMatchObject({ status: 'fail', finding_codes: ['launchpad_api_error'] });
    expect(r.summary).toMatch(/code 500/);
  });

  it('an HTTP error status is launchpad_http_error', async () => {
    region.state.launchpad.forceHttpStatus = 502;
    expect((await checkLaunchpad(opts())).finding_codes).toEqual(['launchpad_http_error']);
  });

  it('an unreachable Launchpad is launchpad_http_error, not a throw', async () => {
    const port = region.port;
    await region.close();
    const r = await checkLaunchpad(opts({ endpoints: { applaunchpad: `http://127.0.0.1:${port}` } }));
    expect(r).toMatchObject({ status: 'fail', finding_codes: ['launchpad_http_error'] });
    region = await startFakeRegion();
  });

  it('skips a private app (no App URL) without calling Launchpad', async () => {
    const r = await checkLaunchpad(opts({ appUrl: null }));
    expect(r.status).toBe('skip');
    expect(region.requests).toHaveLength(0);
  });

  it('derives applaunchpad.<region-host> by default', async () => {
    const r = await checkLaunchpad(opts({ endpoints: {}, http: { request: async (url) => ({ url, status: 200, headers: {}, body: '{"code":200,"data":{"networks":[]}}', durationMs: 1 }) } }));
    expect(r.evidence.request.url).toBe('https://applaunchpad.usw-1.sealos.io/api/getAppByAppName?appName=myapp-abcdefgh');
  });
});
