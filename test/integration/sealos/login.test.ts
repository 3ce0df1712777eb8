import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login, type LoginOptions } from '../../../src/sealos/login.js';
import type { VerificationPrompt } from '../../../src/sealos/device-grant.js';
import { FakeClock } from '../../support/fake-region/clock.js';
import { fakeEnv, leakedSecrets, tmpHome } from '../../support/fake-region/harness.js';
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

const mode = async (p: string) => (await stat(p)).mode & 0o777;

function opts(clock: FakeClock, extra: Partial<LoginOptions> = {}): LoginOptions {
  return { region: region.url, env: fakeEnv(region, home), clock, ...extra };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? 'no-code';
  }
  return 'resolved';
}

describe('device-grant login against the fake region', () => {
  it('polls with slow_down backoff, then writes kubeconfig and auth.json (0600, dir 0700) in the sealos-cli layout', async () => {
    region.state.tokenScript = ['authorization_pending', 'slow_down', 'authorization_pending'];
    const clock = new FakeClock();
    const prompts: VerificationPrompt[] = [];
    const result = await login(opts(clock, { onVerification: (p) => void prompts.push(p) }));

    // interval 5 s; slow_down adds 5 s for every later poll.
    expect(clock.sleeps).toEqual([5000, 5000, 10000, 10000]);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]!.verification_uri_complete).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/device\?user_code=/);
    expect(prompts[0]!.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);

    const sealosDir = join(home, '.sealos');
    expect(await mode(sealosDir)).toBe(0o700);
    expect(await mode(join(sealosDir, 'auth.json'))).toBe(0o600);
    expect(await mode(join(sealosDir, 'kubeconfig'))).toBe(0o600);

    const auth = JSON.parse(await readFile(join(sealosDir, 'auth.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(auth)).toEqual(['region', 'access_token', 'regional_token', 'authenticated_at', 'auth_method', 'current_workspace']);
    expect(auth.region).toBe(region.url);
    expect(auth.access_token).toBe(region.accessToken);
    expect(auth.auth_method).toBe('oauth2_device_grant');
    expect(auth.authenticated_at).toBe(clock.now().toISOString());
    expect(auth.current_workspace).toEqual({ uid: '11111111-1111-4111-8111-111111111111', id: 'ns-abcd1234', teamName: 'private team' });
    expect(await readFile(join(sealosDir, 'kubeconfig'), 'utf8')).toBe(region.kubeconfigFor('ns-abcd1234'));

    expect(result).toMatchObject({ region: region.url, namespace: 'ns-abcd1234', server: 'https://usw-1.sealos.io:6443', workspace: { id: 'ns-abcd1234' } });
    expect(leakedSecrets(region, JSON.stringify(result))).toEqual([]);

    // The regional token exchange carries the access token as the raw Authorization header (as Sealos expects).
    const exchange = region.requests.find((r) => r.path === '/api/auth/regionToken');
    expect(exchange?.headers.authorization).toBe(region.accessToken);
    const device = region.requests.find((r) => r.path === '/api/auth/oauth2/device');
    expect(new URLSearchParams(device!.body).get('client_id')).toBe('af993c98-d19d-4bdc-b338-79b80dc4f8bf');
  });

  it('uses 5 s when the device answer has no interval', async () => {
    region.state.device = { expires_in: 600 };
    const clock = new FakeClock();
    await login(opts(clock));
    expect(clock.sleeps).toEqual([5000]);
  });

  it('access_denied ends with LOGIN_DENIED and writes nothing', async () => {
    region.state.tokenScript = ['authorization_pending', 'access_denied'];
    expect(await codeOf(login(opts(new FakeClock())))).toBe('LOGIN_DENIED');
    await expect(stat(join(home, '.sealos', 'auth.json'))).rejects.toThrow();
  });

  it('expired_token ends with LOGIN_EXPIRED', async () => {
    region.state.tokenScript = ['expired_token'];
    expect(await codeOf(login(opts(new FakeClock())))).toBe('LOGIN_EXPIRED');
  });

  it('stops at the 10-minute deadline with LOGIN_TIMEOUT even when the code lives longer', async () => {
    region.state.tokenScript = Array(500).fill('authorization_pending');
    const clock = new FakeClock();
    const start = clock.now().getTime();
    expect(await codeOf(login(opts(clock)))).toBe('LOGIN_TIMEOUT');
    expect(clock.now().getTime() - start).toBeLessThanOrEqual(10 * 60_000);
    expect(region.tokenPolls()).toBe(120);
  });

  it('honours a shorter injected deadline', async () => {
    region.state.tokenScript = Array(50).fill('authorization_pending');
    expect(await codeOf(login(opts(new FakeClock(), { deadlineMs: 30_000 })))).toBe('LOGIN_TIMEOUT');
    expect(region.tokenPolls()).toBe(6);
  });

  it('a code that expires before the deadline ends with LOGIN_EXPIRED', async () => {
    region.state.device = { interval: 5, expires_in: 60 };
    region.state.tokenScript = Array(50).fill('authorization_pending');
    expect(await codeOf(login(opts(new FakeClock())))).toBe('LOGIN_EXPIRED');
    expect(region.tokenPolls()).toBe(12);
  });

  it('rides out one transient 500 from the token endpoint', async () => {
    region.state.tokenScript = ['server_error_500', 'authorization_pending'];
    const result = await login(opts(new FakeClock()));
    expect(result.namespace).toBe('ns-abcd1234');
  });

  it('a region without an initialised workspace (409) gets a coded error with a next step', async () => {
    region.state.regionToken = 409;
    const err = await login(opts(new FakeClock())).catch((e: unknown) => e as { code: string; next: string });
    expect(err).toMatchObject({ code: 'REGION_API_ERROR' });
    expect((err as { next: string }).next).toMatch(/console/);
  });

  it('handles jsonRes answers whose HTTP status mirrors the code', async () => {
    region.state.jsonResHttpStatus = 'mirror';
    const result = await login(opts(new FakeClock()));
    expect(result.workspace?.id).toBe('ns-abcd1234');
  });

  it('replaces group-readable files from another tool with 0600 ones and tightens the directory', async () => {
    const dir = join(home, '.sealos');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'auth.json'), '{"region":"https://old.example.com","extra":"kept?"}', { mode: 0o644 });
    await writeFile(join(dir, 'kubeconfig'), 'old', { mode: 0o644 });
    await login(opts(new FakeClock()));
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'auth.json'))).toBe(0o600);
    expect(await mode(join(dir, 'kubeconfig'))).toBe(0o600);
    // A fresh login replaces the whole file, as sealos-cli does.
    expect(JSON.parse(await readFile(join(dir, 'auth.json'), 'utf8')).region).toBe(region.url);
  });

  it('uses the last login region when none is given', async () => {
    const dir = join(home, '.sealos');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'auth.json'), JSON.stringify({ region: region.url }), { mode: 0o600 });
    const result = await login({ env: fakeEnv(region, home), clock: new FakeClock() });
    expect(result.region).toBe(region.url);
  });

  it('refuses a plain-http region that is not loopback before sending anything', async () => {
    expect(await codeOf(login({ region: 'http://usw-1.sealos.io', env: fakeEnv(region, home), clock: new FakeClock() }))).toBe('USAGE');
    expect(region.requests).toHaveLength(0);
  });
});
