import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { regionFacts } from '../../../src/sealos/region-facts.js';
import { FakeClock } from '../../support/fake-region/clock.js';
import { fakeEnv, tmpHome } from '../../support/fake-region/harness.js';
import { startFakeRegion, type FakeRegion } from '../../support/fake-region/server.js';

let region: FakeRegion;
let home: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  region = await startFakeRegion();
  ({ home, cleanup } = await tmpHome());
});
afterEach(async () => {
  await region.close();
  await cleanup();
});

const platformCalls = () => region.requests.filter((r) => r.path.startsWith('/api/platform/')).map((r) => r.path);
const cacheFile = () => join(home, '.sealos', 'cache', `region-127.0.0.1_${region.port}.json`);

describe('regionFacts', () => {
  it('reads the app domain and cert secret from template getEnv and caches them per region (0600)', async () => {
    const clock = new FakeClock();
    const facts = await regionFacts({ region: region.url, env: fakeEnv(region, home), clock });
    expect(facts).toMatchObject({ app_domain: 'usw-1.sealos.app', cert_secret_name: 'wildcard-cert', source: 'template-getEnv', cached: false, region_host: `127.0.0.1:${region.port}` });
    expect(facts.app_domain).not.toBe(facts.region_host);
    expect((await stat(cacheFile())).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(cacheFile(), 'utf8'))).toMatchObject({ schema_version: 1, app_domain: 'usw-1.sealos.app' });

    const again = await regionFacts({ region: region.url, env: fakeEnv(region, home), clock });
    expect(again.cached).toBe(true);
    expect(platformCalls()).toEqual(['/api/platform/getEnv']);
  });

  it('asks again once the TTL has passed, and on refresh', async () => {
    const clock = new FakeClock();
    const env = fakeEnv(region, home);
    await regionFacts({ region: region.url, env, clock, ttlMs: 60_000 });
    clock.advance(30_000);
    expect((await regionFacts({ region: region.url, env, clock, ttlMs: 60_000 })).cached).toBe(true);
    clock.advance(31_000);
    region.state.getEnv.domain = 'apps.example.net';
    const fresh = await regionFacts({ region: region.url, env, clock, ttlMs: 60_000 });
    expect(fresh).toMatchObject({ cached: false, app_domain: 'apps.example.net' });
    region.state.getEnv.domain = 'apps2.example.net';
    expect((await regionFacts({ region: region.url, env, clock, refresh: true })).app_domain).toBe('apps2.example.net');
    expect(platformCalls()).toHaveLength(3);
  });

  it('falls back to applaunchpad getClientAppConfig (first user domain) when getEnv is missing', async () => {
    region.state.getEnv.status = 404;
    region.state.clientAppConfig.userDomains = [{ name: 'sealosbja.site', secretName: 'bja-wildcard' }];
    const facts = await regionFacts({ region: region.url, env: fakeEnv(region, home), clock: new FakeClock() });
    expect(facts).toMatchObject({ app_domain: 'sealosbja.site', cert_secret_name: 'bja-wildcard', source: 'applaunchpad-getClientAppConfig' });
  });

  it('ignores a getEnv answer without a usable domain', async () => {
    region.state.getEnv.domain = 'not a domain';
    const facts = await regionFacts({ region: region.url, env: fakeEnv(region, home), clock: new FakeClock() });
    expect(facts.source).toBe('applaunchpad-getClientAppConfig');
  });

  it('never guesses from the region host: both endpoints failing is REGION_API_ERROR', async () => {
    region.state.getEnv.status = 503;
    region.state.clientAppConfig.status = 500;
    const err = (await regionFacts({ region: region.url, env: fakeEnv(region, home), clock: new FakeClock() }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('REGION_API_ERROR');
    expect(err.message).toMatch(/getEnv answered code 503.*getClientAppConfig answered code 500/);
  });

  it('serves a stale cache entry, marked stale, when the region cannot be asked', async () => {
    const clock = new FakeClock();
    const env = fakeEnv(region, home);
    await regionFacts({ region: region.url, env, clock, ttlMs: 1000 });
    clock.advance(5000);
    region.state.getEnv.status = 503;
    region.state.clientAppConfig.status = 500;
    expect(await regionFacts({ region: region.url, env, clock, ttlMs: 1000 })).toMatchObject({ app_domain: 'usw-1.sealos.app', cached: true, stale: true });
  });

  it('ignores a corrupt cache file', async () => {
    const env = fakeEnv(region, home);
    await regionFacts({ region: region.url, env, clock: new FakeClock() });
    await writeFile(cacheFile(), '{"schema_version":1,"app_domain":');
    expect((await regionFacts({ region: region.url, env, clock: new FakeClock() })).cached).toBe(false);
  });

  it('uses the login region when none is given, and asks for one when not signed in', async () => {
    const err = (await regionFacts({ env: fakeEnv(region, home) }).catch((e: unknown) => e)) as { code: string };
    expect(err.code).toBe('USAGE');
  });
});
