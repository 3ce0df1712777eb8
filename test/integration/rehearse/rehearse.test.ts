import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rehearse, type RehearseOptions } from '../../../src/core/truth/local/rehearse.js';
import type { SupervisedProcess } from '../../../src/core/truth/local/ports.js';
import { nodeHttp } from '../../../src/system/http.js';
import { processGroupMembers, processSupervisor } from '../../../src/system/process-supervisor.js';
import { execaRunner } from '../../../src/system/runner.js';
import { systemSockets } from '../../../src/system/sockets.js';
import { gitWorktree } from '../../../src/system/worktree.js';
import { analysisForFixture, analysisFrom, FIXTURES, fixedAnalyzer, makeRepo, readExpected } from './support.js';

/** Real adapters, with every started process recorded so the test can prove nothing is left running. */
function options(analysisOf: string, started: SupervisedProcess[], seen: string[] = []): RehearseOptions {
  return {
    analyze: fixedAnalyzer(analysisForFixture(analysisOf), seen),
    runner: execaRunner,
    http: nodeHttp,
    system: {
      worktree: gitWorktree(execaRunner),
      sockets: systemSockets,
      supervisor: {
        async start(c, a, o) {
          const p = await processSupervisor.start(c, a, o);
          started.push(p);
          return p;
        },
      },
    },
    hostEnv: process.env,
    budgetMs: 30_000,
    stabilityMs: 2000,
    shutdownGraceMs: 3000,
  };
}

async function noneLeft(started: SupervisedProcess[]) {
  for (const p of started) expect(await processGroupMembers(p.pid)).toEqual([]);
}

describe.concurrent('local rehearsal guarantees', { timeout: 60_000 }, () => {
  it('rehearses the committed tree: an uncommitted fix cannot make it pass', async () => {
    const repo = await makeRepo('plain-http-crash');
    const started: SupervisedProcess[] = [];
    const seen: string[] = [];
    try {
      // The fix exists only in the working tree.
      writeFileSync(join(repo.dir, 'server.js'), readFileSync(join(FIXTURES, 'plain-http-good', 'server.js'), 'utf8'));
      const report = await rehearse(repo.dir, options('plain-http-crash', started, seen));
      expect(report.verdict).toBe('rejected');
      expect(report.checks.find((c) => c.id === 'stays-up')?.status).toBe('fail');
      const tree = report.checks.find((c) => c.id === 'committed-tree');
      expect(tree).toMatchObject({ status: 'warn', required: false });
      expect(tree?.evidence.uncommitted).toEqual(['server.js']);
      // The analyzer saw the exported copy, which is gone afterwards.
      expect(seen).toHaveLength(1);
      expect(seen[0]).not.toBe(repo.dir);
      expect(existsSync(seen[0] as string)).toBe(false);
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('a build script whose tool is not installed fails in plain words, with the line that says so', async () => {
    const pkg = JSON.parse(readFileSync(join(FIXTURES, 'plain-http-good', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts.build = 'sealos-deploy-missing-tool --project .';
    const repo = await makeRepo('plain-http-good', { 'package.json': JSON.stringify(pkg, null, 2) });
    const started: SupervisedProcess[] = [];
    try {
      const analysis = analysisForFixture('plain-http-good');
      const report = await rehearse(repo.dir, { ...options('plain-http-good', started), analyze: fixedAnalyzer({ ...analysis, commands: { ...analysis.commands, build: 'npm run build' } }) });
      const build = report.checks.find((c) => c.id === 'build');
      expect(build?.status).toBe('fail');
      expect(build?.summary).toMatch(/^npm run build exited with code 127: a command the script runs is not installed .*; last output: .*sealos-deploy-missing-tool.*not found/);
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('an install that npm finished with blocked install scripts warns and names them; the rehearsal goes on', async () => {
    const fakeInstall = `process.stderr.write(['npm warn install-scripts 1 package had install scripts blocked because they are not covered by allowScripts:', 'npm warn install-scripts   better-sqlite3@11.8.1 (install: prebuild-install)', ''].join('\\n'));\n`;
    const repo = await makeRepo('plain-http-good', { 'fake-install.js': fakeInstall });
    const started: SupervisedProcess[] = [];
    try {
      const analysis = analysisForFixture('plain-http-good');
      const report = await rehearse(repo.dir, { ...options('plain-http-good', started), analyze: fixedAnalyzer({ ...analysis, commands: { ...analysis.commands, install: 'node fake-install.js' } }) });
      const install = report.checks.find((c) => c.id === 'install');
      expect(install).toMatchObject({ status: 'warn', evidence: { blocked_install_scripts: ['better-sqlite3@11.8.1'] } });
      expect(install?.summary).toMatch(/the install scripts of better-sqlite3@11\.8\.1 were skipped \(not in package\.json allowScripts\)/);
      expect(report.verdict).toBe('accepted');
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('ends on the budget: a check still running fails as timed out and the service is killed', async () => {
    const repo = await makeRepo('plain-http-good');
    const started: SupervisedProcess[] = [];
    try {
      const report = await rehearse(repo.dir, { ...options('plain-http-good', started), budgetMs: 12_000, stabilityMs: 60_000 });
      const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
      expect(byId['start']?.status).toBe('pass');
      expect(byId['stays-up']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/timed out/) });
      expect(byId['graceful-shutdown']).toMatchObject({ status: 'skip', skip_reason: 'time budget exhausted' });
      expect(report.verdict).toBe('rejected');
      expect(started).toHaveLength(1);
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('fails a start command that exits while the server it launched keeps running', async () => {
    // launcher.js starts the real server as a child in the same process group, then exits.
    const launcher = `const { spawn } = require('node:child_process');\nspawn(process.execPath, ['server.js'], { stdio: 'inherit' });\nsetTimeout(() => process.exit(0), 1500);\n`;
    const repo = await makeRepo('plain-http-good', { 'launcher.js': launcher });
    const started: SupervisedProcess[] = [];
    try {
      const opts = options('plain-http-good', started);
      const analysis = analysisFrom({ ...readExpected('plain-http-good').expect, commands: { install: 'npm ci', build: null, start: 'node launcher.js' } });
      const report = await rehearse(repo.dir, { ...opts, analyze: fixedAnalyzer(analysis) });
      const staysUp = report.checks.find((c) => c.id === 'stays-up');
      expect(staysUp).toMatchObject({ status: 'fail', summary: expect.stringMatching(/keep running: it backgrounds the server/) });
      expect(staysUp?.evidence.processes_left).toBe(1);
      expect(report.verdict).toBe('rejected');
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('finds and stops a daemon that left the process group (pm2 start): the rehearsal leaves nothing running', async () => {
    // Like pm2: the real server goes into a session of its own (detached), and the start command exits 0.
    const launcher = `const { spawn } = require('node:child_process');\nconst d = spawn(process.execPath, ['server.js'], { detached: true, stdio: 'ignore' });\nrequire('node:fs').writeFileSync('daemon.pid', String(d.pid));\nd.unref();\nsetTimeout(() => process.exit(0), 300);\n`;
    const repo = await makeRepo('plain-http-good', { 'launcher.js': launcher });
    const started: SupervisedProcess[] = [];
    try {
      const analysis = analysisFrom({ ...readExpected('plain-http-good').expect, commands: { install: 'npm ci', build: null, start: 'node launcher.js' } });
      const report = await rehearse(repo.dir, { ...options('plain-http-good', started), analyze: fixedAnalyzer(analysis) });
      const failed = report.checks.find((c) => c.status === 'fail' && (c.id === 'start' || c.id === 'stays-up'));
      expect(failed?.summary).toMatch(/keep running: it backgrounds the server/);
      expect(report.verdict).toBe('rejected');
      for (const p of started) expect(await p.groupMembers()).toEqual([]);
    } finally {
      repo.remove();
    }
  });

  it('names the port a service listens on when it ignores PORT', async () => {
    const fixed = await systemSockets.freePort();
    // The port comes from a file: the service never reads PORT.
    const server = `const port = Number(require('node:fs').readFileSync(__dirname + '/port.txt', 'utf8'));\nrequire('node:http').createServer((q, s) => s.end('ok')).listen(port);\n`;
    const repo = await makeRepo('plain-http-good', { 'fixed.js': server, 'port.txt': String(fixed) });
    const started: SupervisedProcess[] = [];
    try {
      const analysis = analysisFrom({ ...readExpected('plain-http-good').expect, commands: { install: 'npm ci', build: null, start: 'node fixed.js' } });
      const base = options('plain-http-good', started);
      // The fixed port is free until the service binds it, so the kernel may hand the same number to the
      // rehearsal's own pick for PORT (CI saw it): the machine the test describes has them differ.
      const freePort = async (): Promise<number> => {
        for (;;) {
          const port = await systemSockets.freePort();
          if (port !== fixed) return port;
        }
      };
      const system = { ...base.system, sockets: { ...systemSockets, freePort } };
      const report = await rehearse(repo.dir, { ...base, system, analyze: fixedAnalyzer(analysis), startupTimeoutMs: 2500 });
      const start = report.checks.find((c) => c.id === 'start');
      expect(start).toMatchObject({ status: 'fail', evidence: { listening_ports: [fixed] } });
      expect(start?.summary).toContain(`listens on port ${fixed}, not on port ${start?.evidence.port as number} given in PORT`);
      expect(start?.summary).toContain(`"port": ${fixed} in .sealos/config.json`);
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('gives a required URL a URL-shaped placeholder, so a service that validates it at start starts', async () => {
    const validate = "new URL(process.env.API_BASE_URL);\nif (!/@/.test(process.env.SUPPORT_EMAIL)) throw new Error('SUPPORT_EMAIL is not an address');\nrequire('./server.js');\n";
    const repo = await makeRepo('plain-http-good', { 'validate.js': validate });
    const started: SupervisedProcess[] = [];
    try {
      const base = readExpected('plain-http-good').expect;
      const env = (name: string) => ({ name, class: 'other', required: true, default: null, sources: ['code'], public: false, evidence: [] });
      const analysis = analysisFrom({ ...base, commands: { install: 'npm ci', build: null, start: 'node validate.js' }, env_vars: [...((base.env_vars as unknown[] | undefined) ?? []), env('API_BASE_URL'), env('SUPPORT_EMAIL')] });
      const report = await rehearse(repo.dir, { ...options('plain-http-good', started), analyze: fixedAnalyzer(analysis), startupTimeoutMs: 10_000 });
      expect(report.checks.find((c) => c.id === 'start')?.status).toBe('pass');
      expect(JSON.stringify(report)).not.toContain('rehearsal-placeholder-');
      await noneLeft(started);
    } finally {
      repo.remove();
    }
  });

  it('refuses a directory outside git with GIT_UNAVAILABLE and a next step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-nogit-'));
    try {
      await expect(rehearse(dir, options('plain-http-good', []))).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE', next: expect.stringMatching(/git init/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
