import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const server = {
  'server/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } }),
  'server/index.js': "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 5000);\n",
};
const client = {
  'client/package.json': JSON.stringify({ name: 'web', scripts: { build: 'vite build' }, devDependencies: { vite: '^5' } }),
  'client/index.html': '<html></html>',
  'client/src/main.js': 'console.log(import.meta.env.VITE_API_URL);\n',
};

describe('packages no workspace declares', () => {
  it('a root without package.json over server/ and client/ lists both and picks neither, suggesting the server', () => {
    const a = analyzeRepo(memoryRepo({ ...server, ...client, 'README.md': '# app' }));
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toMatch(/choose one of the packages below it with --path \(client, server\)/);
    expect(a.units).toEqual([expect.objectContaining({ path: 'client', kind: 'static', framework: 'vite' }), expect.objectContaining({ path: 'server', kind: 'server', framework: 'express' })]);
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.fix).toBe('Analyze one unit: sealos-deploy analyze . --path server');
    // Nothing to start, lock or pin at a root that is no package: only the choice is reported.
    expect(a.findings.map((f) => f.id)).not.toContain('start-script');
    expect(a.port.value).toBeNull();
    const unit = analyzeRepo(memoryRepo({ ...server, ...client }), { path: 'server' });
    expect(unit).toMatchObject({ kind: 'server', port: { value: 5000, env_name: 'PORT' }, health: { paths: ['/health'] } });
  });

  it("a root package keeps a nested package's code out of its own, but not a bare module-type marker", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4' } }),
        'src/index.js': "import './esm/config.js';\nrequire('express')().listen(process.env.PORT || 3000);\n",
        'src/esm/package.json': JSON.stringify({ type: 'module' }),
        'src/esm/config.js': 'export const secret = process.env.SESSION_SECRET;\n',
        ...client,
      }),
    );
    expect(a.kind).toBe('server');
    expect(a.env_vars.map((v) => v.name)).toEqual(['PORT', 'SESSION_SECRET']);
    expect(a.units).toEqual([]);
  });

  it('a root package that is no service (tooling only) over server/ and client/ lists them; a library with examples stays a library', () => {
    const tooling = JSON.stringify({ name: 'repo', private: true, devDependencies: { husky: '9', prettier: '3' } });
    const a = analyzeRepo(memoryRepo({ 'package.json': tooling, ...server, ...client }));
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toMatch(/^monorepo root: the root package is not a service .*choose one of the packages below it with --path \(client, server\)/);
    expect(a.units.map((u) => u.path)).toEqual(['client', 'server']);
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.fix).toBe('Analyze one unit: sealos-deploy analyze . --path server');
    const lib = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'my-lib', main: 'index.js' }),
        'index.js': 'module.exports = (a, b) => a + b;\n',
        'examples/basic/package.json': JSON.stringify({ name: 'example', dependencies: { 'my-lib': '*' } }),
        'examples/basic/index.js': "console.log(require('my-lib')(1, 2));\n",
      }),
    );
    expect(lib.kind_reason).toMatch(/^a library/);
    expect(lib.units).toEqual([]);
  });
});

describe('lerna without package-manager workspaces', () => {
  const pkgs = {
    'package.json': JSON.stringify({ name: 'padloc', scripts: { start: "npm run pwa:build && lerna run --scope '@padloc/{server,pwa}' --parallel start", 'pwa:build': 'lerna run build --scope @padloc/pwa' }, devDependencies: { lerna: '^6' } }),
    'lerna.json': JSON.stringify({ packages: ['packages/*'], version: '4.3.0' }),
    'packages/server/package.json': JSON.stringify({ name: '@padloc/server', scripts: { start: 'ts-node src/init.ts' }, dependencies: { 'ts-node': '10', typescript: '5' } }),
    'packages/server/package-lock.json': '{}',
    'packages/server/src/init.ts': "import { createServer } from 'http';\ncreateServer().listen(3000);\n",
    'packages/core/package.json': JSON.stringify({ name: '@padloc/core', main: 'src/index.ts' }),
    'packages/core/src/index.ts': 'export const x = 1;\n',
  };

  it("a root whose start is `lerna run start` is no service: its packages are the units (padloc's root was a worker)", () => {
    const a = analyzeRepo(memoryRepo(pkgs), {});
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toContain('only runs packages below it: packages/server');
    expect(a.units).toEqual([expect.objectContaining({ path: 'packages/server', kind: 'server' })]);
  });

  it('a package lerna links is built on its own, from its directory: npm knows no workspace to install it by', () => {
    const a = analyzeRepo(memoryRepo(pkgs), { path: 'packages/server' });
    const gen = generateDockerfile(a, Object.keys(pkgs));
    expect(gen.context).toBe('packages/server');
    expect(gen.text).toContain('RUN npm ci\n');
    expect(gen.text).not.toContain('--workspace');
  });
});

describe('a root package whose start only runs the packages below it', () => {
  const front = {
    'front/package.json': JSON.stringify({ name: 'front', scripts: { build: 'vite build', start: 'vite' }, devDependencies: { vite: '^5' } }),
    'front/index.html': '<html></html>',
  };
  const orchestrator = (scripts: Record<string, string>) =>
    analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'home', scripts, devDependencies: { 'npm-run-all': '^4' } }), ...server, ...front }));

  it('is no service: run-p of scripts that cd into server/ and front/ lists both, suggesting the server (Gladys)', () => {
    const a = orchestrator({ start: 'run-p start-server:dev start-front:dev', 'start-server:dev': 'cd server && npm start', 'start-front:dev': 'cd front && npm start' });
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toBe('monorepo root: the root package is not a service (its start script only runs packages below it: front, server); choose one of the packages below it with --path (front, server)');
    expect(a.units.map((u) => `${u.path}:${u.kind}`)).toEqual(['front:static', 'server:server']);
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.fix).toBe('Analyze one unit: sealos-deploy analyze . --path server');
  });

  it('follows concurrently, npm --prefix and yarn --cwd the same way', () => {
    expect(orchestrator({ start: 'concurrently "npm:api" "cd front && npm start"', api: 'npm --prefix server start' }).kind).toBe('not-deployable');
    expect(orchestrator({ start: 'yarn --cwd server start' }).kind_reason).toMatch(/only runs packages below it: server\)/);
  });

  it('is no service at a workspace root either, whatever tools it installs (logto: vite at the root, `cd packages/core && npm start`)', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'root', private: true, scripts: { start: 'cd packages/core && npm start' }, devDependencies: { vite: '^6' } }),
        'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n",
        'packages/core/package.json': JSON.stringify({ name: 'core', scripts: { start: 'node server.js' }, dependencies: { koa: '^2' } }),
        'packages/core/server.js': "const Koa = require('koa');\nnew Koa().listen(process.env.PORT || 3001);\n",
        'packages/ui/package.json': JSON.stringify({ name: 'ui', scripts: { build: 'vite build' }, devDependencies: { vite: '^6' } }),
        'packages/ui/index.html': '<html></html>',
      }),
    );
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toBe('its start script only runs packages below it: packages/core');
    expect(a.units.map((u) => `${u.path}:${u.kind}`)).toEqual(['packages/core:server', 'packages/ui:static']);
  });

  it('stays the service when the start runs anything of its own', () => {
    const own = (start: string) =>
      analyzeRepo(
        memoryRepo({
          'package.json': JSON.stringify({ name: 'app', scripts: { start, api: 'node index.js' }, dependencies: { express: '^4' } }),
          'index.js': "require('express')().listen(process.env.PORT || 4000);\n",
          ...server,
          ...front,
        }),
      );
    expect(own('node index.js').kind).toBe('server');
    expect(own('concurrently "npm:api" "cd front && npm start"').kind).toBe('server');
  });
});

describe('a package the Dockerfile runs with node', () => {
  const pds = (cmd: string) => ({
    'Dockerfile': `FROM node:20-alpine AS build\nWORKDIR /app\nCOPY ./service ./\nRUN pnpm install --production --frozen-lockfile\nFROM node:20-alpine\nENTRYPOINT ["dumb-init", "--"]\nWORKDIR /app\nCOPY --from=build /app /app\nEXPOSE 3000\nCMD ${cmd}\n`,
    'service/package.json': JSON.stringify({ name: 'pds', private: true, main: 'index.js', dependencies: { '@atproto/pds': '0.4.219' } }),
    'service/index.js': "const { PDS } = require('@atproto/pds');\nconst main = async () => { const pds = await PDS.create({}); await pds.start(); };\nmain();\n",
  });

  it('is a service started the way the image starts it, with no start script (bluesky PDS)', () => {
    const root = analyzeRepo(memoryRepo(pds('["node", "--enable-source-maps", "index.js"]')));
    expect(root.units).toEqual([expect.objectContaining({ path: 'service', kind: 'server' })]);
    const a = analyzeRepo(memoryRepo(pds('["node", "--enable-source-maps", "index.js"]')), { path: 'service' });
    expect(a).toMatchObject({ kind: 'server', kind_reason: "the Dockerfile's node command, and a port from a flag, Dockerfile EXPOSE or a PORT read", commands: { start: 'node index.js', start_source: 'file' }, port: { value: 3000 } });
    expect(a.commands.evidence).toContainEqual(expect.objectContaining({ file: 'Dockerfile', rule: 'dockerfile-node-file', snippet: 'node index.js' }));
    // The port's evidence is the root Dockerfile's EXPOSE line, not a service/Dockerfile that does not exist.
    expect(a.port.evidence).toContainEqual({ file: 'Dockerfile', line: 9, rule: 'dockerfile-expose', snippet: 'EXPOSE 3000' });
    expect(a.port.evidence.map((e) => e.file)).not.toContain('service/Dockerfile');
  });

  it("is the server its image runs through a start script, Electron or not, started as the image starts it (trilium)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'trilium', main: 'electron.js', scripts: { 'start-server': 'nodemon src/www.js' }, dependencies: { electron: '25', express: '4' } }),
        'electron.js': "const { app } = require('electron');\napp.whenReady().then(() => require('./src/www'));\n",
        'src/www.js': "const app = require('express')();\napp.listen(process.env.TRILIUM_PORT || 8080);\n",
        'Dockerfile': 'FROM node:22-alpine\nWORKDIR /usr/src/app\nCOPY . .\nEXPOSE 8080\nCMD [ "./start-docker.sh" ]\n',
        'start-docker.sh': '#!/bin/sh\n# node runs as the node user\nchown -R node:node /home/node\nexec su-exec node node ./src/www\n',
      }),
    );
    expect(a).toMatchObject({ kind: 'server', commands: { start: 'node src/www.js', start_source: 'file' }, entrypoint: 'src/www.js', port: { value: 8080, env_name: 'TRILIUM_PORT' } });
    expect(a.findings.find((f) => f.id === 'start-script')?.message).toBe('No "start" script; the start command was inferred from the Dockerfile\'s node command: node src/www.js.');
    // Without the image's word, an Electron app is no network service.
    const desktop = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'd', main: 'electron.js', dependencies: { electron: '25', express: '4' } }), 'electron.js': "require('electron');\n", 'src/www.js': "require('express')().listen(8080);\n" }));
    expect(desktop.kind).toBe('not-deployable');
  });

  it("keeps the arguments the image gives the file (soketi's ENTRYPOINT [\"node\", \"/app/bin/server.js\", \"start\"]: its CLI exits without a command)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: '@soketi/soketi', main: 'dist/index.js', bin: { soketi: 'bin/server.js' }, dependencies: { yargs: '17' } }),
        'bin/server.js': "#!/usr/bin/env node\nrequire('../dist/cli/index.js');\n",
        'dist/cli/index.js': "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 6001);\n",
        'Dockerfile': 'FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 6001\nENTRYPOINT ["node", "/app/bin/server.js", "start"]\n',
      }),
    );
    expect(a).toMatchObject({ commands: { start: 'node bin/server.js start', start_source: 'file' }, entrypoint: 'bin/server.js' });
    expect(cmdOf(generateDockerfile(a, ['package.json', 'bin/server.js', 'dist/cli/index.js', 'Dockerfile']).text)).toEqual(['node', 'bin/server.js', 'start']);
  });

  it('stays a library when the image runs something else', () => {
    const a = analyzeRepo(memoryRepo(pds('["nginx", "-g", "daemon off;"]')), { path: 'service' });
    expect(a.kind).toBe('not-deployable');
  });
});

/** The exec-form CMD of a generated Dockerfile. */
function cmdOf(text: string): string[] {
  const line = text.split('\n').filter((l) => l.startsWith('CMD ')).at(-1) ?? '';
  return JSON.parse(line.slice(4)) as string[];
}
