import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import type { CacheEnv } from '../../../src/system/private-cache.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { openScanCache } from '../../../src/system/scan-cache.js';

const APPS = join(import.meta.dirname, '../../fixtures/apps');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix = 'scan-cache-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function git(cwd: string, ...args: string[]): Promise<void> {
  const r = await execaRunner.run('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

const cenvAt = (dir: string, env: Record<string, string> = {}): CacheEnv => ({ env: { SEALOS_DEPLOY_CACHE_DIR: dir, ...env }, platform: 'linux', home: '/nonexistent', uid: process.getuid?.() });

/** One analysis as `sealos-deploy analyze` runs it: open, analyze, keep what was learned. */
async function analyze(root: string, cacheDir: string, opts: { path?: string } = {}, fingerprint = 'test'): Promise<Analysis> {
  const view = await openRepoView(root, execaRunner, { scanCache: { fingerprint, cenv: cenvAt(cacheDir) } });
  const a = analyzeRepo(view, { ...opts, now: () => new Date(0) });
  view.scanCache?.save();
  return a;
}

/** The document without what differs between runs by design (how much was read, how long it took). */
const facts = (a: Analysis) => ({ ...a, stats: null });

async function committedCopy(src: string): Promise<string> {
  const root = join(tmp('scan-cache-app-'), 'app');
  cpSync(src, root, { recursive: true, verbatimSymlinks: true });
  await git(root, 'init', '-q', '-b', 'main');
  await git(root, 'add', '-A');
  await git(root, 'commit', '-qm', 'init', '--no-verify');
  return root;
}

describe('scan cache: a repeated analysis gives the same document without reading unchanged files', () => {
  const fixtures = readdirSync(APPS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(APPS, d.name, 'expected.json')))
    .map((d) => d.name)
    .sort();

  it.each(fixtures)('%s', async (name) => {
    const root = await committedCopy(join(APPS, name));
    const options = (JSON.parse(readFileSync(join(APPS, name, 'expected.json'), 'utf8')) as { options?: { path?: string } }).options ?? {};
    const cache = tmp();
    const first = await analyze(root, cache, options);
    const again = await analyze(root, cache, options);
    expect(first.stats.files_cached).toBe(0);
    expect(facts(again)).toEqual(facts(first));
    // Nothing is read twice that the cache answers for.
    expect(again.stats.files_read).toBeLessThanOrEqual(first.stats.files_read);
  });
});

describe('scan cache: what a file holds for the detectors that read it whole', () => {
  it('keeps its marks, so a repeated analysis still finds own env helpers and setting maps (parse-server lost them)', async () => {
    const root = join(tmp('scan-cache-marks-'), 'svc');
    mkdirSync(join(root, 'src'), { recursive: true });
    mkdirSync(join(root, 'config'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'svc', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4.21.0' } }));
    writeFileSync(join(root, 'src/server.js'), "const app = require('express')();\nconst { envOr, needEnv } = require('./env');\napp.listen(process.env.PORT || 3000);\nmodule.exports = { region: envOr('REGION', 'eu-1'), token: needEnv('API_TOKEN') };\n");
    // A helper reading process.env[key]: kept by the token tier, its callers found by the whole-file look.
    writeFileSync(join(root, 'src/env.js'), "function envOr(key, fallback) {\n  return process.env[key] ?? fallback;\n}\nfunction needEnv(key) {\n  if (!process.env[key]) throw new Error(key + ' is not set');\n  return process.env[key];\n}\nmodule.exports = { envOr, needEnv };\n");
    // A map the unset setting picks one entry of: DATABASE_URL is read only when PostgreSQL is chosen.
    writeFileSync(join(root, 'config/database.js'), "const client = process.env.DATABASE_CLIENT || 'sqlite';\nconst connections = { sqlite: { filename: process.env.DATABASE_FILENAME || 'data.db' }, postgres: { connectionString: process.env.DATABASE_URL } };\nmodule.exports = { client, ...connections[client] };\n");
    await git(root, 'init', '-q', '-b', 'main');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'init', '--no-verify');
    const cache = tmp();
    const first = await analyze(root, cache);
    const again = await analyze(root, cache);
    expect(again.stats.files_cached).toBeGreaterThan(0);
    const required = (a: Analysis) => Object.fromEntries(a.env_vars.map((v) => [v.name, v.required]));
    expect(required(first)).toMatchObject({ REGION: false, API_TOKEN: true, DATABASE_URL: false });
    expect(facts(again)).toEqual(facts(first));
  });
});

describe('scan cache: only content git vouches for is answered from the cache', () => {
  const SERVER = "import express from 'express';\nconst app = express();\napp.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(Number(process.env.PORT ?? 8080), '0.0.0.0');\n";
  const route = (name: string, def: string) => `import { Router } from 'express';\nconst r = Router();\nconst LIMIT = process.env.${name} ?? '${def}';\nr.get('/items', (_q, s) => s.json({ LIMIT }));\nexport default r;\n`;

  async function service(): Promise<string> {
    const root = join(tmp('scan-cache-svc-'), 'svc');
    mkdirSync(join(root, 'src/routes'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'svc', type: 'module', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4.21.0' } }));
    writeFileSync(join(root, 'src/server.js'), SERVER);
    for (let i = 0; i < 5; i++) writeFileSync(join(root, `src/routes/r${i}.js`), route(`LIMIT_${i}`, String(i)));
    writeFileSync(join(root, 'src/util.js'), 'export const add = (a, b) => a + b;\n');
    await git(root, 'init', '-q', '-b', 'main');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'init');
    return root;
  }
  const env = (a: Analysis, name: string) => a.env_vars.find((v) => v.name === name);

  it('serves unchanged files from the cache and reads a file changed in the work tree, staged or not', async () => {
    const root = await service();
    const cache = tmp();
    const first = await analyze(root, cache);
    expect(env(first, 'LIMIT_1')?.default).toBe('1');
    const warm = await analyze(root, cache);
    // The entrypoint is parsed every time; route files and the helper come from the cache.
    expect(warm.stats.files_cached).toBeGreaterThanOrEqual(6);
    expect(facts(warm)).toEqual(facts(first));

    writeFileSync(join(root, 'src/routes/r1.js'), route('LIMIT_1', 'changed'));
    const edited = await analyze(root, cache);
    expect(env(edited, 'LIMIT_1')?.default).toBe('changed');
    await git(root, 'add', 'src/routes/r1.js');
    writeFileSync(join(root, 'src/routes/r2.js'), route('RENAMED_2', '2'));
    const staged = await analyze(root, cache);
    expect(env(staged, 'LIMIT_1')?.default).toBe('changed');
    expect(env(staged, 'RENAMED_2')?.default).toBe('2');
    expect(env(staged, 'LIMIT_2')).toBeUndefined();
    // A staged rename edited again in the work tree (status names the source in an entry of its own).
    await git(root, 'mv', 'src/routes/r4.js', 'src/routes/r4b.js');
    writeFileSync(join(root, 'src/routes/r4b.js'), route('LIMIT_4', 'moved'));
    expect(env(await analyze(root, cache), 'LIMIT_4')?.default).toBe('moved');
    // A file marked assume-unchanged: git status hides its edits, so its blob vouches for nothing.
    await git(root, 'update-index', '--assume-unchanged', 'src/routes/r3.js');
    writeFileSync(join(root, 'src/routes/r3.js'), route('LIMIT_3', 'hidden edit'));
    expect(env(await analyze(root, cache), 'LIMIT_3')?.default).toBe('hidden edit');
    // Untracked files have no blob git vouches for: always read.
    writeFileSync(join(root, 'src/routes/new.js'), route('NEW_ONE', 'n'));
    expect(env(await analyze(root, cache), 'NEW_ONE')?.default).toBe('n');
  });

  it('reads no token-level file again: no detector asks a cached file for its text', async () => {
    const root = await service();
    // Files the token tier reads whole (as most of a large service's are), each with a route and a setting they share:
    // evidence is kept for a variable's first five reads, so the other fifteen files have nothing to be read for.
    const tokenFile = (i: number) =>
      `import { Router } from 'express';\nconst router = Router();\nconst LIMIT = Number(process.env.PAGE_LIMIT ?? 50);\nrouter.get('/items-${i}', async (req, res) => {\n  res.json({ limit: LIMIT, items: [] });\n});\nexport default router;\n`;
    for (let i = 0; i < 20; i++) writeFileSync(join(root, `src/routes/t${i}.js`), tokenFile(i));
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'more routes');
    const cache = tmp();
    const first = await analyze(root, cache);
    const warm = await analyze(root, cache);
    expect(facts(warm)).toEqual(facts(first));
    expect(warm.stats.files_read).toBeLessThanOrEqual(first.stats.files_read - 15);
  });

  it('places changed paths right when the analyzed directory is inside a larger repository', async () => {
    const top = tmp('scan-cache-top-');
    const root = join(top, 'services/svc');
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'svc', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4.21.0' } }));
    writeFileSync(join(root, 'src/server.js'), SERVER);
    writeFileSync(join(root, 'src/conf.js'), route('CONF', 'a'));
    await git(top, 'init', '-q', '-b', 'main');
    await git(top, 'add', '-A');
    await git(top, 'commit', '-qm', 'init');
    const cache = tmp();
    expect(env(await analyze(root, cache), 'CONF')?.default).toBe('a');
    writeFileSync(join(root, 'src/conf.js'), route('CONF', 'b'));
    expect(env(await analyze(root, cache), 'CONF')?.default).toBe('b');
  });

  it('ignores entries another analyzer build wrote, and removes them when it writes its own', async () => {
    const root = await service();
    const cache = tmp();
    await analyze(root, cache, {}, 'buildA');
    const other = await analyze(root, cache, {}, 'buildB');
    expect(other.stats.files_cached).toBe(0);
    expect(readdirSync(cache).filter((f) => f.startsWith('scan-'))).toHaveLength(1);
    expect(readdirSync(cache)[0]).toContain('buildB');
  });

  it('drops the files of checkouts not analyzed for 30 days when it writes a new one, and keeps recent ones', async () => {
    const cache = tmp();
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    const old = join(cache, 'scan-test-0123456789abcdef');
    const recent = join(cache, 'scan-test-fedcba9876543210');
    const unrelated = join(cache, 'mcp-server-0123-v20-x64.v8cache');
    for (const f of [old, recent, unrelated]) writeFileSync(f, 'x', { mode: 0o600 });
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(old, longAgo, longAgo);
    utimesSync(unrelated, longAgo, longAgo);
    await analyze(await service(), cache);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it('marks a cache file in use when a repeated analysis has nothing to write', async () => {
    const root = await service();
    const cache = tmp();
    await analyze(root, cache);
    const [name] = readdirSync(cache);
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(join(cache, name!), longAgo, longAgo);
    await analyze(root, cache);
    expect(Date.now() - statSync(join(cache, name!)).mtimeMs).toBeLessThan(60_000);
  });

  it('starts over from a corrupt or tampered cache file, and never trusts a cache others can write', async () => {
    const root = await service();
    const cache = tmp();
    const first = await analyze(root, cache);
    const [file] = readdirSync(cache);
    const path = join(cache, file!);
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, good.length / 2));
    const torn = await analyze(root, cache);
    expect(torn.stats.files_cached).toBe(0);
    expect(facts(torn)).toEqual(facts(first));
    // Well-formed records whose verdicts have the wrong shape: each is no entry, the file is scanned again.
    const fields = good.split('\0');
    for (let i = 3; i < fields.length; i += 3) fields[i] = '[3,"not-an-array",[],[],0,-1]';
    writeFileSync(path, fields.join('\0'));
    const tampered = await analyze(root, cache);
    expect(tampered.stats.files_cached).toBe(0);
    expect(facts(tampered)).toEqual(facts(first));
    // Group-writable: somebody else could plant verdicts. Not read.
    await analyze(root, cache);
    if (process.getuid?.() !== undefined) {
      chmodSync(cache, 0o777);
      const shared = await analyze(root, cache);
      expect(shared.stats.files_cached).toBe(0);
      expect(facts(shared)).toEqual(facts(first));
    }
  });

  it('is off with SEALOS_DEPLOY_SCAN_CACHE=0, and when running from source with no build fingerprint', async () => {
    const root = await service();
    const cache = tmp();
    expect(openScanCache({ root, blobs: new Map([['a.js', 'f'.repeat(40)]]), fingerprint: 'test', cenv: cenvAt(cache, { SEALOS_DEPLOY_SCAN_CACHE: '0' }) })).toBeNull();
    const view = await openRepoView(root, execaRunner);
    expect(view.scanCache).toBeNull();
  });

  it('says what it answered and wrote with SEALOS_DEPLOY_DEBUG=scan-cache, on stderr', async () => {
    const root = await service();
    const cache = tmp();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      for (let i = 0; i < 2; i++) {
        const view = await openRepoView(root, execaRunner, { scanCache: { fingerprint: 'test', cenv: cenvAt(cache, { SEALOS_DEPLOY_DEBUG: 'code-cache,scan-cache' }) } });
        analyzeRepo(view, {});
        view.scanCache?.save();
      }
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([expect.stringMatching(/^scan-cache: .*: 0 answered, \d+ new; wrote \d+ entries\n$/), expect.stringMatching(/^scan-cache: .*: [1-9]\d* answered, 0 new; unchanged\n$/)]);
  });

  it('keeps entries only for paths the checkout still has', async () => {
    const root = await service();
    const cache = tmp();
    await analyze(root, cache);
    // The file is `header NUL (path NUL blob NUL verdict NUL)*`.
    const count = () => readFileSync(join(cache, readdirSync(cache)[0]!), 'utf8').split('\0').filter((_, i) => i % 3 === 1);
    expect(count()).toContain('src/routes/r4.js');
    rmSync(join(root, 'src/routes/r4.js'));
    await git(root, 'commit', '-qam', 'drop r4');
    await analyze(root, cache);
    expect(count()).not.toContain('src/routes/r4.js');
    expect(count()).toContain('src/routes/r3.js');
  });
});
