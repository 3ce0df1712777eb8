import { describe, expect, it } from 'vitest';
import type { Http } from '../../../src/core/ports.js';
import { systemClock } from '../../../src/core/ports.js';
import { createRedactor } from '../../../src/core/redact.js';
import type { CheckContext } from '../../../src/core/truth/runner.js';
import type { LocalRehearsalData } from '../../../src/core/truth/local/context.js';
import type { ExitInfo, Sockets, SupervisedProcess } from '../../../src/core/truth/local/ports.js';
import { gracefulShutdownCheck } from '../../../src/core/truth/local/checks/graceful-shutdown.js';
import { listensAllInterfacesCheck } from '../../../src/core/truth/local/checks/listens.js';
import { describeExit, startCheck } from '../../../src/core/truth/local/checks/start.js';
import { analysisFrom } from '../../integration/rehearse/support.js';

function sockets(listeners: string[] | null, external: string[], reachable: boolean): Sockets {
  return { freePort: async () => 1, canConnect: async (host) => (host === '127.0.0.1' ? true : reachable), listeners: async () => listeners, listeningPorts: async () => null, externalAddresses: () => external };
}

/** A process that exits the way the test says when it gets SIGTERM. */
function fakeProc(onTerm: ExitInfo | null): SupervisedProcess & { signals: string[] } {
  let exit: ExitInfo | null = null;
  let resolve: (e: ExitInfo) => void = () => {};
  const exited = new Promise<ExitInfo>((r) => (resolve = r));
  const signals: string[] = [];
  return {
    pid: 4242,
    signals,
    lines: () => [],
    exited,
    exitInfo: () => exit,
    signalGroup(sig) {
      signals.push(sig);
      if (sig === 'SIGTERM' && onTerm) setTimeout(() => resolve((exit = onTerm)), 20);
      return true;
    },
    groupMembers: async () => (exit ? [] : [4242]),
    killGroup: async () => {},
  };
}

function ctx(data: Partial<LocalRehearsalData>): CheckContext<LocalRehearsalData> {
  const http: Http = { request: async (url) => ({ url, status: 200, headers: {}, body: 'ok', durationMs: 5 }) };
  return {
    signal: new AbortController().signal,
    clock: systemClock,
    redactor: createRedactor(),
    result: () => undefined,
    progress: () => {},
    data: { analysis: analysisFrom({}), port: 41000, http, shutdownGraceMs: 400, inFlightPath: '/healthz', ...data } as LocalRehearsalData,
  };
}

describe('listens-all-interfaces', () => {
  const run = (s: Sockets) => listensAllInterfacesCheck().run(ctx({ system: { sockets: s } as LocalRehearsalData['system'] }));
  it('passes on a wildcard listener (IPv4 or IPv6)', async () => {
    expect((await run(sockets(['0.0.0.0'], [], false))).status).toBe('pass');
    expect((await run(sockets(['::'], ['192.0.2.2'], true))).status).toBe('pass');
  });
  it('does not blame the bind address of a process that already exited (the crash is stays-up’s)', async () => {
    const dead = fakeProc(null);
    dead.exitInfo = () => ({ code: 1, signal: null, at_ms: 600 });
    const r = await listensAllInterfacesCheck().run(ctx({ proc: dead, system: { sockets: sockets(null, ['192.0.2.2'], false) } as LocalRehearsalData['system'] }));
    expect(r).toMatchObject({ status: 'skip', summary: expect.stringMatching(/already exited/) });
  });
  it('fails on loopback or specific addresses only', async () => {
    const r = await run(sockets(['127.0.0.1', '::1'], ['192.0.2.2'], false));
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/loopback only/) });
    expect((await run(sockets(['192.0.2.2'], ['192.0.2.2'], true))).status).toBe('fail');
  });
  it('without /proc, decides by connecting through a non-loopback address, and warns when it cannot', async () => {
    expect((await run(sockets(null, ['192.0.2.2'], true))).status).toBe('pass');
    expect((await run(sockets(null, ['192.0.2.2'], false))).status).toBe('fail');
    expect((await run(sockets(null, [], false))).status).toBe('warn');
  });
});

describe('graceful-shutdown', () => {
  const run = (proc: SupervisedProcess) => gracefulShutdownCheck([]).run(ctx({ proc }));
  it('passes on exit 0 or 143 (or death by SIGTERM) with the in-flight request answered', async () => {
    for (const exit of [{ code: 0, signal: null }, { code: 143, signal: null }, { code: null, signal: 'SIGTERM' }]) {
      const proc = fakeProc({ ...exit, at_ms: 0 });
      expect((await run(proc)).status).toBe('pass');
      expect(proc.signals).toEqual(['SIGTERM']);
    }
  });
  it('fails on another exit code', async () => {
    expect(await run(fakeProc({ code: 1, signal: null, at_ms: 0 }))).toMatchObject({ status: 'fail', summary: expect.stringMatching(/expected 0 or 143/) });
  });
  it('fails when the process ignores SIGTERM for the whole grace period', async () => {
    expect(await run(fakeProc(null))).toMatchObject({ status: 'fail', summary: expect.stringMatching(/still running .* after SIGTERM/) });
  });
  it('fails when the in-flight request is dropped, even on a clean exit', async () => {
    const http: Http = { request: () => Promise.reject(Object.assign(new Error('connection reset by the peer'), { code: 'CONNECTION_FAILED' })) };
    const r = await gracefulShutdownCheck([]).run(ctx({ proc: fakeProc({ code: 0, signal: null, at_ms: 0 }), http }));
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringMatching(/dropped the in-flight request to \/healthz/) });
  });
  it('skips when the process is already gone', async () => {
    const proc = fakeProc(null);
    proc.exitInfo = () => ({ code: 1, signal: null, at_ms: 5 });
    expect(await run(proc)).toMatchObject({ status: 'skip' });
  });
});

describe('start', () => {
  it('picks another port when the one it chose was taken meanwhile, and gives the service that one', async () => {
    const taken = new Set([41000]);
    let startedEnv: Record<string, string> = {};
    const proc = fakeProc(null);
    const system = {
      sockets: {
        freePort: async () => 41001,
        // 41000 is someone else's; 41001 answers once the service started.
        canConnect: async (_h: string, port: number) => taken.has(port) || (port === 41001 && Object.keys(startedEnv).length > 0),
        listeners: async () => null,
        listeningPorts: async () => null,
        externalAddresses: () => [],
      },
      supervisor: {
        start: async (_c: string, _a: string[], o: { env: Record<string, string> }) => {
          startedEnv = o.env;
          return proc;
        },
      },
    } as unknown as LocalRehearsalData['system'];
    const analysis = analysisFrom({ port: { value: 3000, reads_env: true, env_name: 'APP_PORT' }, commands: { start: 'node server.js' } });
    const c = ctx({ analysis, system, appEnv: { PORT: '41000', APP_PORT: '41000' }, unitDir: '/tmp', startupTimeoutMs: 2000 });
    const r = await startCheck('node server.js', 'install').run(c);
    expect(r.status).toBe('pass');
    expect(c.data.port).toBe(41001);
    expect(startedEnv).toMatchObject({ PORT: '41001', APP_PORT: '41001' });
    // A port the service insists on is not ours to change.
    const fixed = ctx({ analysis: analysisFrom({ port: { value: 41000, reads_env: false }, commands: { start: 'node server.js' } }), system, appEnv: {}, unitDir: '/tmp' });
    expect(await startCheck('node server.js', 'install').run(fixed)).toMatchObject({ status: 'fail', summary: expect.stringContaining('port 41000 is already in use') });
  });
});

describe('a service that died on its database', () => {
  const dead = (lines: string[]) => {
    const p = fakeProc(null);
    p.exitInfo = () => ({ code: 1, signal: null, at_ms: 600 });
    p.groupMembers = async () => [];
    p.lines = () => lines.map((text) => ({ stream: 'stderr' as const, text, at_ms: 1 }));
    return p;
  };
  const mongo = { engine: 'mongodb', env_key: 'MONGODB_URI' };
  it('says it could not reach its database, and how to give it one', async () => {
    const r = await describeExit(dead(['MongoParseError: Invalid scheme, expected connection string to start with "mongodb://"', '    at new ConnectionString (node_modules/mongodb/lib/x.js:1:1)']), mongo);
    expect(r.summary).toMatch(/exited with code 1 .*could not reach its mongodb database \(MONGODB_URI\): give the rehearsal one with --env-file/);
  });
  it('says nothing of a database for another crash, or for SQLite (a file the service makes itself)', async () => {
    expect((await describeExit(dead(['TypeError: x is not a function']), mongo)).summary).not.toMatch(/database/);
    expect((await describeExit(dead(['SQLITE_ERROR: no such table: users']), { engine: 'sqlite', env_key: null })).summary).not.toMatch(/database/);
  });
});
