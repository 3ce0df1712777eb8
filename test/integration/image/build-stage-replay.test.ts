import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { parseDockerfile } from '../../../src/core/image/dockerfile-parse.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';

/**
 * No Docker engine here, so the generated install and build stages are replayed with the real npm on a copy of the
 * repository: /app is the copy, WORKDIR moves the working directory, ENV sets the environment. What the text tests
 * cannot see (where a command runs) fails here as it would in `docker build`.
 */
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function tmpRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sd-replay-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** Runs the RUN steps of the stages before the runtime one, in order, from the WORKDIR each names. */
async function replayBuild(dockerfile: string, app: string): Promise<void> {
  const env: Record<string, string> = { npm_config_cache: join(app, '.npm-cache'), npm_config_audit: 'false', npm_config_fund: 'false' };
  for (const stage of parseDockerfile(dockerfile).stages) {
    if (stage.name === 'runtime') break;
    for (const i of stage.instructions) {
      if (i.keyword === 'WORKDIR') continue;
      if (i.keyword === 'ENV') for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) env[m[1]!] = m[2]!;
      if (i.keyword !== 'RUN' || /corepack|apt-get/.test(i.args)) continue;
      const workdir = stage.instructions.filter((x) => x.keyword === 'WORKDIR' && x.line < i.line).at(-1)?.args ?? '/app';
      // A Dockerfile RUN is a shell command by definition: it runs as docker would run it.
      await execa('sh', ['-c', i.args], { cwd: join(app, workdir.replace(/^\/app\/?/, '')), env: { ...process.env, ...env } });
    }
  }
}

describe('the generated build stage, replayed with real npm', () => {
  it('builds an npm workspace unit and the workspace package it runs (the build runs from the root, where npm finds the workspace)', { timeout: 60_000 }, async () => {
    const dir = tmpRepo({
      'package.json': JSON.stringify({ name: 'acme', private: true, workspaces: ['apps/*', 'packages/*'] }),
      'apps/api/package.json': JSON.stringify({ name: '@acme/api', version: '1.0.0', scripts: { build: 'node build.mjs', start: 'node dist/server.js' }, dependencies: { '@acme/lib': '*' } }),
      'apps/api/build.mjs': "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist', { recursive: true });\nwriteFileSync('dist/server.js', \"require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\\n\");\n",
      'packages/lib/package.json': JSON.stringify({ name: '@acme/lib', version: '1.0.0', main: 'dist/index.js', scripts: { build: 'node build.mjs' } }),
      'packages/lib/build.mjs': "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist', { recursive: true });\nwriteFileSync('dist/index.js', 'module.exports = 1;\\n');\n",
      'packages/lib/src/index.js': 'module.exports = 1;\n',
    });
    await execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env: { npm_config_cache: join(dir, '.npm-cache') } });
    rmSync(join(dir, '.npm-cache'), { recursive: true, force: true });
    const view = await openRepoView(dir, execaRunner, { scanCache: false });
    const analysis = analyzeRepo(view, { path: 'apps/api' });
    const { text } = generateDockerfile(analysis, view.files);
    expect(text).toContain('RUN npm run build --workspace=apps/api');
    await replayBuild(text, dir);
    expect(existsSync(join(dir, 'packages/lib/dist/index.js'))).toBe(true);
    expect(readFileSync(join(dir, 'apps/api/dist/server.js'), 'utf8')).toContain('createServer');
  });
});
