import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/command.js';
import { createLoginCommand } from '../../../src/cli/commands/login.js';
import { createWorkspaceCommand, workspaceCommand } from '../../../src/cli/commands/workspace.js';
import { printError } from '../../../src/cli/output.js';
import { toErrorPayload } from '../../../src/core/errors.js';
import { FakeClock } from '../../support/fake-region/clock.js';
import { captureIo, fakeEnv, leakedSecrets, tmpHome, type CapturedIo } from '../../support/fake-region/harness.js';
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

/** Runs a command the way main() does: coded errors are printed, exit 2. */
async function run(cmd: { run: (v: Record<string, unknown>, p: string[], io: CapturedIo) => Promise<number> }, values: Record<string, unknown>, positionals: string[], io: CapturedIo): Promise<number> {
  try {
    return await cmd.run(values, positionals, io);
  } catch (err) {
    printError(io, toErrorPayload(err), Boolean(values.json));
    return EXIT.error;
  }
}

async function signIn(extraEnv: Record<string, string> = {}): Promise<CapturedIo> {
  const io = captureIo(fakeEnv(region, home, extraEnv));
  const code = await run(createLoginCommand({ clock: new FakeClock() }), { region: region.url }, [], io);
  expect(code).toBe(EXIT.ok);
  return io;
}

const readAuth = async () => JSON.parse(await readFile(join(home, '.sealos', 'auth.json'), 'utf8')) as Record<string, any>;

describe('sealos-deploy login (in-process)', () => {
  it('shows the verification URL and code on stderr, the target on stdout, and never a token', async () => {
    region.state.tokenScript = ['authorization_pending'];
    const io = await signIn();
    expect(io.err()).toMatch(/open this URL/);
    expect(io.err()).toContain(`${region.url}/oauth2/device?user_code=`);
    expect(io.err()).toMatch(/code [A-Z]{4}-[A-Z]{4}/);
    expect(io.out()).toContain('Workspace: ns-abcd1234 (private team)');
    expect(leakedSecrets(region, io.out() + io.err())).toEqual([]);
  });

  it('--json prints a parseable result without tokens', async () => {
    const io = captureIo(fakeEnv(region, home));
    expect(await run(createLoginCommand({ clock: new FakeClock() }), { region: region.url, json: true }, [], io)).toBe(EXIT.ok);
    const out = JSON.parse(io.out()) as Record<string, unknown>;
    expect(out).toMatchObject({ region: region.url, namespace: 'ns-abcd1234', kubeconfig_path: join(home, '.sealos', 'kubeconfig') });
    expect(leakedSecrets(region, io.out() + io.err())).toEqual([]);
  });

  it('shows the user code to type when the region gives no complete URL', async () => {
    region.state.device = { interval: 5, expires_in: 600, omitComplete: true };
    const io = await signIn();
    expect(io.err()).toMatch(/enter the code [A-Z]{4}-[A-Z]{4}/);
  });

  it('--workspace switches right after signing in', async () => {
    const io = captureIo(fakeEnv(region, home));
    expect(await run(createLoginCommand({ clock: new FakeClock() }), { region: region.url, workspace: 'ns-team0001' }, [], io)).toBe(EXIT.ok);
    expect(io.out()).toContain('Workspace: ns-team0001 (Acme)');
    expect((await readAuth()).current_workspace.id).toBe('ns-team0001');
  });

  it('says when KUBECONFIG will shadow the login', async () => {
    const io = await signIn({ KUBECONFIG: '/elsewhere/config' });
    expect(io.err()).toMatch(/KUBECONFIG is set/);
  });

  it('a denied login prints LOGIN_DENIED with a next step and exits 2', async () => {
    region.state.tokenScript = ['access_denied'];
    const io = captureIo(fakeEnv(region, home));
    expect(await run(createLoginCommand({ clock: new FakeClock() }), { region: region.url }, [], io)).toBe(EXIT.error);
    expect(io.err()).toMatch(/error LOGIN_DENIED: .*\n {2}next: Run `sealos-deploy login` again/);
  });
});

describe('sealos-deploy workspace list/switch (in-process)', () => {
  it('lists workspaces with team names and marks the current one', async () => {
    await signIn();
    const io = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, {}, ['list'], io)).toBe(EXIT.ok);
    const lines = io.out().split('\n');
    expect(lines.find((l) => l.includes('ns-abcd1234'))).toMatch(/^\*\s+ns-abcd1234\s+private team\s+owner\s+private/);
    expect(lines.find((l) => l.includes('ns-team0001'))).toMatch(/^\s+ns-team0001\s+Acme\s+manager\s+team/);
    expect(lines.find((l) => l.includes('ns-team0002'))).toMatch(/Acme Labs\s+developer/);
    expect(leakedSecrets(region, io.out() + io.err())).toEqual([]);
  });

  it('switch by exact team name rewrites kubeconfig and auth.json (0600) and the namespace becomes the target', async () => {
    await signIn();
    const before = await readAuth();
    const io = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, { json: true }, ['switch', 'acme'], io)).toBe(EXIT.ok);
    const out = JSON.parse(io.out()) as Record<string, any>;
    expect(out.workspace).toEqual({ uid: '22222222-2222-4222-8222-222222222222', id: 'ns-team0001', teamName: 'Acme' });
    expect(out.previous.id).toBe('ns-abcd1234');
    expect(out.namespace).toBe('ns-team0001');

    const auth = await readAuth();
    expect(auth.current_workspace.id).toBe('ns-team0001');
    expect(auth.regional_token).not.toBe(before.regional_token);
    expect(auth.access_token).toBe(before.access_token);
    const kc = await readFile(join(home, '.sealos', 'kubeconfig'), 'utf8');
    expect(kc).toBe(region.kubeconfigFor('ns-team0001'));
    expect((await stat(join(home, '.sealos', 'kubeconfig'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, '.sealos', 'auth.json'))).mode & 0o777).toBe(0o600);

    // The switch used the new token (bound to the chosen workspace) to fetch the kubeconfig.
    const getKc = region.requests.filter((r) => r.path === '/api/auth/getKubeconfig').at(-1);
    expect(getKc?.headers.authorization).toBe(auth.regional_token);
    expect(leakedSecrets(region, io.out() + io.err())).toEqual([]);

    const list = captureIo(fakeEnv(region, home));
    await run(workspaceCommand, {}, ['list'], list);
    expect(list.out()).toMatch(/\*\s+ns-team0001/);
  });

  it('does not match substrings: "Ac" is WORKSPACE_NOT_FOUND and lists what exists', async () => {
    await signIn();
    const io = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, {}, ['switch', 'Ac'], io)).toBe(EXIT.error);
    expect(io.err()).toMatch(/error WORKSPACE_NOT_FOUND: No workspace "Ac"\. Available: ns-abcd1234 \(private team\), ns-team0001 \(Acme\)/);
    expect((await readAuth()).current_workspace.id).toBe('ns-abcd1234');
  });

  it('a workspace the region refuses (403) is WORKSPACE_NOT_FOUND and changes nothing', async () => {
    await signIn();
    region.state.switchForbidden.add('33333333-3333-4333-8333-333333333333');
    const kcBefore = await readFile(join(home, '.sealos', 'kubeconfig'), 'utf8');
    const io = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, { json: true }, ['switch', 'ns-team0002'], io)).toBe(EXIT.error);
    expect(JSON.parse(io.out()).error.code).toBe('WORKSPACE_NOT_FOUND');
    expect(await readFile(join(home, '.sealos', 'kubeconfig'), 'utf8')).toBe(kcBefore);
  });

  it('an expired regional token is AUTH_EXPIRED with the re-login step', async () => {
    await signIn();
    region.state.revokedTokens.add((await readAuth()).regional_token as string);
    const io = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, {}, ['list'], io)).toBe(EXIT.error);
    expect(io.err()).toMatch(/error AUTH_EXPIRED: .*\n {2}next: Run `sealos-deploy login`/);
    expect(leakedSecrets(region, io.out() + io.err())).toEqual([]);
  });

  it('without a login it is LOGIN_REQUIRED', async () => {
    const io = captureIo(fakeEnv(region, home));
    expect(await run(createWorkspaceCommand(), {}, ['list'], io)).toBe(EXIT.error);
    expect(io.err()).toMatch(/error LOGIN_REQUIRED: .*\n {2}next: Run `sealos-deploy login/);
  });

  it('rejects unknown subcommands and a missing switch target with USAGE', async () => {
    await signIn();
    const a = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, {}, ['remove'], a)).toBe(EXIT.error);
    expect(a.err()).toMatch(/error USAGE: Unknown workspace subcommand "remove"/);
    const b = captureIo(fakeEnv(region, home));
    expect(await run(workspaceCommand, {}, ['switch'], b)).toBe(EXIT.error);
    expect(b.err()).toMatch(/error USAGE/);
  });
});
