import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { workspaceGlob } from '../../../src/core/workspace-glob.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

describe('workspace patterns', () => {
  it('take ** for any number of directories, none included, and * for one', () => {
    const m = (p: string, d: string) => workspaceGlob(p).test(d);
    expect([m('packages/**/*', 'packages/db'), m('packages/**/*', 'packages/notifications/slack'), m('packages/**', 'packages/a/b'), m('./apps/*/', 'apps/web')]).toEqual([true, true, true, true]);
    expect([m('packages/**/*', 'packages'), m('packages/*', 'packages/a/b'), m('apps/*', 'apps')]).toEqual([false, false, false]);
  });

  it("list every package under `packages/**/*` and copy its manifest before the install (openstatus's packages/db)", () => {
    const files = {
      'package.json': JSON.stringify({ name: 'root', private: true }),
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/**/*\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'apps/server/package.json': JSON.stringify({ name: 'server', scripts: { start: 'node index.js' }, dependencies: { '@acme/db': 'workspace:*', express: '4' } }),
      'apps/server/index.js': "require('@acme/db');\nrequire('express')().listen(process.env.PORT || 3000);\n",
      'packages/db/package.json': JSON.stringify({ name: '@acme/db', main: 'index.js' }),
      'packages/db/index.js': 'module.exports = {};\n',
      'packages/notifications/slack/package.json': JSON.stringify({ name: '@acme/slack', main: 'index.js' }),
      'packages/notifications/slack/index.js': 'module.exports = {};\n',
    };
    const a = analyzeRepo(memoryRepo(files), { path: 'apps/server' });
    expect(a.units.map((u) => u.path)).toEqual(expect.arrayContaining(['packages/db', 'packages/notifications/slack']));
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('COPY packages/db/package.json packages/db/');
  });

  it("install a package no pattern takes on its own, from the registry (socket.io's examples/chat beside packages/*)", () => {
    const files = {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'], devDependencies: { express: '4' } }),
      'package-lock.json': JSON.stringify({ name: 'root', lockfileVersion: 3, packages: { '': { name: 'root' } } }),
      'packages/socket.io/package.json': JSON.stringify({ name: 'socket.io', main: 'dist/index.js' }),
      'packages/socket.io/lib/index.ts': 'export class Server {}\n',
      'examples/chat/package.json': JSON.stringify({ name: 'chat', scripts: { start: 'node index.js' }, dependencies: { express: '~4.17.1', 'socket.io': '^4.0.0' } }),
      'examples/chat/index.js': "const app = require('express')();\nconst server = require('http').createServer(app);\nrequire('socket.io')(server);\nserver.listen(process.env.PORT || 3000);\n",
    };
    const a = analyzeRepo(memoryRepo(files), { path: 'examples/chat' });
    expect(a.workspace).toBeNull();
    expect(a.package_manager.lockfile).toBeNull();
    expect(a.commands.install).toBe('npm install');
    const gen = generateDockerfile(a, Object.keys(files));
    expect(gen.context).toBe('examples/chat');
    expect(gen.text).not.toContain('--workspace');
    // A member still installs with the workspace.
    expect(analyzeRepo(memoryRepo({ ...files, 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'examples/*'] }) }), { path: 'examples/chat' }).workspace).not.toBeNull();
  });
});
