import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rehearseCommand } from '../../../src/cli/commands/rehearse.js';
import type { CliIo } from '../../../src/cli/command.js';
import { RuntimeTruthReportSchema, verifyDigest } from '../../../src/core/state/runtime-truth-schema.js';
import { execaRunner } from '../../../src/system/runner.js';

const EXAMPLE = join(import.meta.dirname, '../../../examples/hello-node');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: { ...process.env, GITHUB_TOKEN: 'ghp_notreallyatoken0123456789' } };
  return { io: value, out, err };
}

async function commitCopy(src: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
  temps.push(dir);
  cpSync(src, join(dir, 'hello-node'), { recursive: true });
  const git = (...args: string[]) => execaRunner.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'example');
  return dir;
}

describe('sealos-deploy rehearse (real analyzer, real processes)', { timeout: 60_000 }, () => {
  it('accepts the bundled example and writes .sealos/rehearsal.json', async () => {
    const repo = await commitCopy(EXAMPLE);
    const t = io(repo);
    const code = await rehearseCommand.run({ json: true, stability: '2' }, ['hello-node'], t.io);
    const report = RuntimeTruthReportSchema.parse(JSON.parse(t.out.join('')));
    expect({ code, verdict: report.verdict, blocking: report.blocking }, JSON.stringify(report.checks, null, 1)).toEqual({ code: 0, verdict: 'accepted', blocking: [] });
    expect(report.identity).toMatchObject({ dir: 'hello-node', command: 'npm start' });
    expect(report.checks.find((c) => c.id === 'health')?.status).toBe('pass');
    const file = join(repo, 'hello-node', '.sealos', 'rehearsal.json');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual(report);
    expect(verifyDigest(written)).toBe(true);
    expect(existsSync(join(repo, 'hello-node', '.sealos', 'runtime-truth.json'))).toBe(false);
    // Progress went to stderr, one line per finished check.
    expect(t.err.join('')).toMatch(/PASS graceful-shutdown/);
  });

  it('exits 2 with GIT_UNAVAILABLE outside a git checkout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-nogit-'));
    temps.push(dir);
    cpSync(EXAMPLE, dir, { recursive: true });
    await expect(rehearseCommand.run({}, [dir], io(dir).io)).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE', next: expect.stringMatching(/git init|commit/) });
  });

  it('takes values for the service from --env-file instead of placeholders, and refuses a file it cannot read', async () => {
    const repo = await commitCopy(EXAMPLE);
    // The service refuses to start without the value a local dependency gives it.
    const server = join(repo, 'hello-node', 'server.js');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(server, "if (process.env.UPSTREAM_URL !== 'http://127.0.0.1:9/ok') { console.error('UPSTREAM_URL is not the local one'); process.exit(3); }\n" + readFileSync(server, 'utf8'));
    await execaRunner.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'needs upstream'], { cwd: repo });
    const without = await rehearseCommand.run({ json: true, stability: '1' }, ['hello-node'], io(repo).io);
    expect(without).toBe(1);
    writeFileSync(join(repo, 'local.env'), 'UPSTREAM_URL=http://127.0.0.1:9/ok\n');
    const t = io(repo);
    const code = await rehearseCommand.run({ json: true, stability: '1', 'env-file': 'local.env' }, ['hello-node'], t.io);
    const report = RuntimeTruthReportSchema.parse(JSON.parse(t.out.join('')));
    expect({ code, verdict: report.verdict }, JSON.stringify(report.checks, null, 1)).toEqual({ code: 0, verdict: 'accepted' });
    await expect(rehearseCommand.run({ 'env-file': 'nope.env' }, ['hello-node'], io(repo).io)).rejects.toMatchObject({ code: 'CONFIG_INVALID', next: expect.stringMatching(/dotenv/) });
  });

  it("runs the migrate step before the app starts, as the cluster's init container does", async () => {
    const repo = await commitCopy(EXAMPLE);
    const { writeFileSync } = await import('node:fs');
    const app = join(repo, 'hello-node');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    pkg.scripts = { ...pkg.scripts, migrate: 'node migrate.js' };
    writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    // The "database": a file the migration creates and the app refuses to start without.
    writeFileSync(join(app, 'migrate.js'), "require('node:fs').writeFileSync('schema.applied', 'v1');\n");
    const server = join(app, 'server.js');
    writeFileSync(server, "if (!require('node:fs').existsSync('schema.applied')) { console.error('no schema: run the migrations'); process.exit(4); }\n" + readFileSync(server, 'utf8'));
    await execaRunner.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A'], { cwd: repo });
    await execaRunner.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'migrations'], { cwd: repo });
    const t = io(repo);
    const code = await rehearseCommand.run({ json: true, stability: '1' }, ['hello-node'], t.io);
    const report = RuntimeTruthReportSchema.parse(JSON.parse(t.out.join('')));
    expect({ code, migrate: report.checks.find((c) => c.id === 'migrate')?.status }, JSON.stringify(report.checks, null, 1)).toEqual({ code: 0, migrate: 'pass' });
  });

  it('refuses a budget that is not a positive number', async () => {
    await expect(rehearseCommand.run({ budget: 'soon' }, ['.'], io(tmpdir()).io)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
