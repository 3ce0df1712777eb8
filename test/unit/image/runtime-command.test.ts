import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { resolveRuntimeCommand, shellWords } from '../../../src/core/image/runtime-command.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';

const resolve = (o: DeepPartial<Analysis>) => resolveRuntimeCommand(buildAnalysis(o));

describe('resolveRuntimeCommand', () => {
  it("expands a script's `$PORT` at start through `sh -c 'exec …'`: exec form would hand the program the text (ohmyform's `next start -p $PORT`)", async () => {
    expect(resolve({ framework: { name: 'nextjs' }, entrypoint: null, commands: { start: 'yarn start', start_source: 'script', start_script: 'next start -p $PORT' } }).argv).toEqual(['sh', '-c', 'exec node_modules/.bin/next start -p "$PORT"']);
    const r = resolve({ commands: { start: 'npm start', start_source: 'script', start_script: "node server.js --port ${PORT:-3000} --name 'my app'" }, entrypoint: 'server.js' });
    expect(r.argv.slice(0, 2)).toEqual(['sh', '-c']);
    // The shell reads the deployment's value, and node (not the shell) is what runs.
    const dir = mkdtempSync(join(tmpdir(), 'runtime-cmd-'));
    writeFileSync(join(dir, 'server.js'), 'console.log(JSON.stringify(process.argv.slice(2)))');
    const out = await execa(r.argv[0]!, r.argv.slice(1), { cwd: dir, env: { PORT: '4321' } });
    expect(JSON.parse(out.stdout)).toEqual(['--port', '4321', '--name', 'my app']);
    // Without references the command stays in exec form.
    expect(resolve({ commands: { start: 'node server.js --port 8080' } }).argv).toEqual(['node', 'server.js', '--port', '8080']);
  });

  it('keeps a simple node start command, moving env assignments (also via cross-env) into ENV', () => {
    expect(resolve({ commands: { start: 'NODE_ENV=production node --enable-source-maps dist/server.js' } })).toMatchObject({
      argv: ['node', '--enable-source-maps', 'dist/server.js'],
      env: { NODE_ENV: 'production' },
    });
    expect(resolve({ commands: { start: "cross-env TZ='UTC' node server.js" } })).toMatchObject({ argv: ['node', 'server.js'], env: { TZ: 'UTC' } });
    // cross-env-shell too (ferdium-server's `cross-env-shell ENV_PATH=.env node build/server.js`): cross-env is pruned.
    expect(resolve({ commands: { start: 'cross-env-shell ENV_PATH=.env node build/server.js' }, entrypoint: 'build/server.js' })).toMatchObject({ argv: ['node', 'build/server.js'], env: { ENV_PATH: '.env' } });
  });

  it('replaces wrappers, watchers and shell strings with the resolved entrypoint', () => {
    for (const start of ['npm start', 'node --watch src/server.js', 'nodemon src/server.js', 'npm run migrate && node dist/server.js', 'nest start']) {
      expect(resolve({ commands: { start }, entrypoint: 'dist/main.js' }).argv).toEqual(['node', 'dist/main.js']);
    }
  });

  it('reads the script `npm start` runs: its env and node flags reach the image, secrets and --env-file do not', () => {
    const r = resolve({
      commands: { start: 'yarn start', start_source: 'script', start_script: 'TZ=UTC NODE_OPTIONS=--enable-source-maps API_TOKEN=abc123 node --env-file=.env --max-old-space-size=400 ./dist/server.js' },
      entrypoint: 'dist/server.js',
    });
    expect(r).toMatchObject({ argv: ['node', '--max-old-space-size=400', './dist/server.js'], env: { TZ: 'UTC', NODE_OPTIONS: '--enable-source-maps' } });
    expect(Object.keys(r.env)).not.toContain('API_TOKEN');
    // A credential under a plain name reaches here masked by analysis (`LICENSE=***`): never baked either.
    expect(resolve({ commands: { start: 'npm start', start_source: 'script', start_script: 'LICENSE=*** TZ=UTC node server.js' }, entrypoint: 'server.js' }).env).toEqual({ TZ: 'UTC' });
    // A variable's own default (mediasoup-demo's `DEBUG=${DEBUG:='*mediasoup*'}`) is that default in ENV, which the
    // deployment overrides; another expansion has no value at build time (and `:=` stops a Docker build): left out.
    const shell = resolve({ commands: { start: 'npm start', start_source: 'script', start_script: "DEBUG=${DEBUG:='*mediasoup* *WARN*'} LEVEL=${LEVEL:-info} HOME_DIR=$HOME/x node server.js" }, entrypoint: 'server.js' });
    expect(shell.env).toEqual({ DEBUG: '*mediasoup* *WARN*', LEVEL: 'info' });
    const df = generateDockerfile(buildAnalysis({ commands: { start: 'npm start', start_source: 'script', start_script: 'DEBUG=${DEBUG:=app*} node server.js' }, entrypoint: 'server.js' }), ['package.json', 'server.js']).text;
    expect(df).toMatch(/^ENV .*DEBUG="app\*"/m);
    expect(df).not.toContain(':=');
    // A script that is not one node process still falls back to the entrypoint.
    expect(resolve({ commands: { start: 'npm start', start_source: 'script', start_script: 'npm run migrate && node dist/server.js' }, entrypoint: 'dist/server.js' }).argv).toEqual(['node', 'dist/server.js']);
  });

  it("runs `ts-node file.ts` as node with ts-node's register hook, its flags as the hook's environment (padloc, SponsorBlockServer)", () => {
    expect(resolve({ commands: { start: 'npm start', start_source: 'script', start_script: 'ts-node src/init.ts' }, entrypoint: 'src/init.ts' })).toMatchObject({ argv: ['node', '-r', 'ts-node/register', 'src/init.ts'] });
    expect(resolve({ commands: { start: 'npm start', start_source: 'script', start_script: 'ts-node -T -P tsconfig.prod.json --files -r tsconfig-paths/register src/index.ts --port 80' }, entrypoint: 'src/index.ts' })).toMatchObject({
      argv: ['node', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/index.ts', '--port', '80'],
      env: { TS_NODE_PROJECT: 'tsconfig.prod.json', TS_NODE_FILES: 'true' },
    });
    // A flag it does not model: it cannot tell what to run rather than run something else.
    expect(() => resolve({ commands: { start: 'ts-node --swc src/index.ts' }, entrypoint: 'src/index.ts', framework: { name: 'express' } })).toThrow(expect.objectContaining({ code: 'INPUT_MISSING' }));
  });

  it('runs `tsx file.ts` as node with the tsx loader: one process that gets SIGTERM itself', () => {
    expect(resolve({ commands: { start: 'npm start', start_source: 'script', start_script: 'tsx src/index.ts' }, entrypoint: 'src/index.ts' })).toMatchObject({ argv: ['node', '--import', 'tsx', 'src/index.ts'] });
    expect(resolve({ commands: { start: 'NODE_ENV=production tsx --env-file=.env src/main.ts' }, entrypoint: 'src/main.ts' })).toMatchObject({ argv: ['node', '--import', 'tsx', 'src/main.ts'], env: { NODE_ENV: 'production' } });
    // Watch mode is no production process: it is not kept.
    expect(() => resolve({ commands: { start: 'tsx watch src/index.ts' }, entrypoint: 'src/index.ts', framework: { name: 'express' } })).toThrow(expect.objectContaining({ code: 'INPUT_MISSING' }));
  });

  it('never makes the Nx serve target (a development server) the container command', () => {
    expect(() => resolve({ commands: { start: 'npm start', start_script: 'nx serve' }, entrypoint: null, framework: { name: 'express' } })).toThrow(expect.objectContaining({ code: 'INPUT_MISSING' }));
  });

  it('never runs a TypeScript entrypoint with node; falls back to the framework server', () => {
    expect(() => resolve({ commands: { start: 'ts-node-dev --respawn src/index.ts' }, entrypoint: 'src/index.ts', framework: { name: 'express' } })).toThrow(expect.objectContaining({ code: 'INPUT_MISSING' }));
    expect(resolve({ commands: { start: null }, entrypoint: null, framework: { name: 'nuxt' } }).argv).toEqual(['node', '.output/server/index.mjs']);
    expect(resolve({ commands: { start: 'remix-serve ./build/server/index.js' }, entrypoint: null, framework: { name: 'remix' } }).argv).toEqual(['node_modules/.bin/remix-serve', './build/server/index.js']);
  });

  it("runs a framework's server on its build, not the build file with node (indie-stack: remix-serve ./build/index.js)", () => {
    expect(resolve({ framework: { name: 'remix' }, commands: { start: 'npm start', start_source: 'script', start_script: 'remix-serve ./build/index.js' }, entrypoint: 'build/index.js' }).argv).toEqual(['node_modules/.bin/remix-serve', './build/index.js']);
    expect(resolve({ framework: { name: 'react-router' }, commands: { start: 'react-router-serve ./build/server/index.js' }, entrypoint: 'build/server/index.js' }).argv).toEqual(['node_modules/.bin/react-router-serve', './build/server/index.js']);
  });

  it('refuses SvelteKit built for another platform, with the adapter to use (sveltejs/realworld: adapter-vercel)', () => {
    expect(() => resolve({ framework: { name: 'sveltekit', details: { adapter: 'vercel' } }, commands: { start: null }, entrypoint: null })).toThrow(expect.objectContaining({ code: 'INPUT_MISSING', next: expect.stringContaining('@sveltejs/adapter-node') }));
    expect(resolve({ framework: { name: 'sveltekit', details: { adapter: 'node' } }, commands: { start: null }, entrypoint: null }).argv).toEqual(['node', 'build/index.js']);
  });

  it('shellWords splits quoted words and refuses shell syntax', () => {
    expect(shellWords(`node -e "console.log('a b')" x`)).toEqual(['node', '-e', "console.log('a b')", 'x']);
    expect(shellWords('node a.js | tee log')).toBeNull();
    expect(shellWords('node a.js &')).toBeNull();
    expect(shellWords('node $(cat entry)')).toBeNull();
  });
});
