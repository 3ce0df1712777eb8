import { describe, expect, it } from 'vitest';
import { analyze, findingOf, memoryRepo, pkgJson } from './memory-repo.js';

const pkg = pkgJson(['express']);

describe('env files', () => {
  it('finds the example file, and .env ignored by .gitignore passes', () => {
    const r = analyze({ 'package.json': pkg, '.gitignore': 'node_modules/\n.env\n', '.env.sample': 'PORT=3000\n' }, {}, { tracked: true });
    expect(r.env_files).toEqual({ example: '.env.sample', env_ignored: true, committed_env_files: [] });
    expect(findingOf(r, 'env-ignored')?.status).toBe('pass');
  });

  it.each([
    ['.example.env', '.example.env'],
    ['.env-min.example', '.env-min.example'],
    ['env-example-relational', 'env-example-relational'],
    ['.env-example', '.env-example'],
    // A test suite's is no example of the service's settings (automatisch's .env-example.test).
    ['.env-example.test', null],
    ['config/.env.example', null],
  ])("finds an example file named %s (kutt's .example.env, kener's .env-min.example)", (name, found) => {
    const r = analyze({ 'package.json': pkg, '.gitignore': '.env\n', [name]: 'JWT_SECRET=\n' }, {}, { tracked: true });
    expect(r.env_files.example).toBe(found);
  });

  it('fails a tracked .env with real values and never copies the value', () => {
    const r = analyze({ 'package.json': pkg, '.env': 'DATABASE_URL=postgres://app:hunter2@db:5432/app\nSTRIPE_SECRET_KEY=sk_live_abc\n' }, {}, { tracked: true });
    expect(r.env_files).toMatchObject({ env_ignored: false, committed_env_files: ['.env'] });
    const f = findingOf(r, 'env-ignored');
    expect(f?.status).toBe('fail');
    expect(f?.fix).toContain('git rm --cached .env');
    expect(JSON.stringify(f)).not.toContain('hunter2');
    expect(JSON.stringify(f)).not.toContain('sk_live');
  });

  it('does not count committed env files holding only public or empty values', () => {
    const r = analyze({ 'package.json': pkg, '.gitignore': '.env\n', '.env.production': 'NEXT_PUBLIC_SITE=https://x.io\nSECRET=\n' }, {}, { tracked: true });
    expect(r.env_files.committed_env_files).toEqual([]);
  });

  it('warns about an untracked .env that git does not ignore', () => {
    const r = analyze({ 'package.json': pkg, '.env': 'A=1\n' }, {}, { tracked: ['package.json'] });
    expect(r.env_files).toMatchObject({ env_ignored: false, committed_env_files: [] });
    expect(findingOf(r, 'env-ignored')?.status).toBe('warn');
  });

  it('is null outside git and judges .gitignore instead; looks for the example in the unit then the root', () => {
    const r = analyze({ 'package.json': pkg, 'apps/api/package.json': pkg, 'apps/api/.gitignore': '.env*\n', '.env.example': 'X=\n' }, {}, { unit: 'apps/api' });
    expect(r.env_files).toEqual({ example: '.env.example', env_ignored: null, committed_env_files: [] });
    expect(findingOf(r, 'env-ignored')?.status).toBe('pass');
  });
});

describe('a committed .env.test', () => {
  it('holds stand-ins by design: only a credential by its shape is a leak there; a committed .env is one whatever it holds', async () => {
    const { analyzeRepo } = await import('../../../src/core/analysis/index.js');
    const base = { 'package.json': JSON.stringify({ name: 'a', scripts: { start: 'node s.js' }, dependencies: { express: '^4' } }), 's.js': "require('express')().listen(process.env.PORT || 3000);\n", '.gitignore': '.env\n' };
    const dummy = analyzeRepo(memoryRepo({ ...base, '.env.test': 'CRON_SECRET=1234567890abcdef1234567890abcdef\nDATABASE_URL=postgres://postgres:postgres@localhost:5450/app\nRATE_LIMIT_ENABLED=false\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(dummy.findings.find((f) => f.id === 'env-ignored')?.status).toBe('pass');
    const real = analyzeRepo(memoryRepo({ ...base, '.env.test': 'STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnopqrstuv\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(real.findings.find((f) => f.id === 'env-ignored')).toMatchObject({ status: 'fail', message: expect.stringContaining('.env.test') });
    // Docker compose defaults (Etherpad's .env.default, .env.dev.default) are stand-ins too.
    const defaults = analyzeRepo(memoryRepo({ ...base, '.env.default': 'DOCKER_COMPOSE_APP_PORT_PUBLISHED=9001\nADMIN_PASSWORD=admin\n', '.env.dev.default': 'DOCKER_COMPOSE_APP_DEV_PORT_TARGET=9001\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(defaults.findings.find((f) => f.id === 'env-ignored')?.status).toBe('pass');
    // A development environment's file: localhost stand-ins (outline), placeholders composed into a URL (ghostfolio).
    const dev = analyzeRepo(memoryRepo({ ...base, '.env.development': 'DATABASE_URL=postgres://user:pass@127.0.0.1:5432/outline\nSECRET_KEY=F0E5AD933D7F6FD8F4DBB3E038C501C052DC0593C686D21ACB30AE205D2F634B\n', '.env.dev': 'POSTGRES_PASSWORD=<INSERT_POSTGRES_PASSWORD>\nDATABASE_URL=postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@localhost:5432/${POSTGRES_DB}\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(dev.findings.find((f) => f.id === 'env-ignored')?.status).toBe('pass');
    const dotenv = analyzeRepo(memoryRepo({ ...base, '.env': 'RATE_LIMIT_ENABLED=false\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(dotenv.findings.find((f) => f.id === 'env-ignored')?.status).toBe('fail');
  });

  it("a test suite's env files (test.env, under test/ or e2e/) hold stand-ins too; the storage emulator's public key is none (payload)", async () => {
    const { analyzeRepo } = await import('../../../src/core/analysis/index.js');
    const base = { 'package.json': JSON.stringify({ name: 'a', scripts: { start: 'node s.js' }, dependencies: { express: '^4' } }), 's.js': "require('express')().listen(process.env.PORT || 3000);\n", '.gitignore': '.env\n' };
    const envIgnored = (files: Record<string, string>) => analyzeRepo(memoryRepo({ ...base, ...files }, { tracked: true }), { now: () => new Date(0) }).findings.find((f) => f.id === 'env-ignored');
    expect(
      envIgnored({
        'test/test.env': 'NODE_OPTIONS="--no-deprecation"\n',
        'test/plugin-cloud-storage/.env.emulated': 'PAYLOAD_SECRET=45ligj345ligj4wl5igj4lw5ijgl\nAZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\nS3_SECRET_ACCESS_KEY=alwaysfoo\n',
      })?.status,
    ).toBe('pass');
    expect(envIgnored({ 'e2e/.env': 'STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnopqrstuv\n' })).toMatchObject({ status: 'fail', message: expect.stringContaining('e2e/.env') });
  });

  it('other env files with settings and no secret warn (novu: src/.env.production with NODE_ENV, PORT); one secret fails', async () => {
    const { analyzeRepo } = await import('../../../src/core/analysis/index.js');
    const base = { 'package.json': JSON.stringify({ name: 'a', scripts: { start: 'node s.js' }, dependencies: { express: '^4' } }), 's.js': "require('express')().listen(process.env.PORT || 3000);\n", '.gitignore': '.env\n' };
    const settings = analyzeRepo(memoryRepo({ ...base, 'src/.env.production': 'NODE_ENV=production\nPORT=3004\nFLEET_NAME="default"\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(settings.findings.find((f) => f.id === 'env-ignored')).toMatchObject({ status: 'warn', message: expect.stringContaining('none of them a secret'), evidence: expect.arrayContaining([expect.objectContaining({ file: 'src/.env.production', line: 2, snippet: 'PORT=***' })]) });
    const withSecret = analyzeRepo(memoryRepo({ ...base, 'src/.env.production': 'NODE_ENV=production\nJWT_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(withSecret.findings.find((f) => f.id === 'env-ignored')?.status).toBe('fail');
  });
});
