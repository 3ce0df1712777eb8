import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v);
const analyze = (files: Record<string, string>, path?: string) => analyzeRepo(memoryRepo(files, { tracked: true }), { ...(path ? { path } : {}), now: () => new Date(0) });

// audiobookshelf: the server serves client/dist, which client/ (its own lockfile, no workspace) builds with `generate`.
const audiobookshelf = {
  'package.json': json({ name: 'audiobookshelf', main: 'index.js', scripts: { client: 'cd client && npm ci && npm run generate', start: 'node index.js' }, dependencies: { express: '^4' } }),
  'package-lock.json': '{}',
  'index.js': "global.appRoot = __dirname;\nconst Server = require('./server/Server');\nnew Server().start();\n",
  'server/Server.js': [
    "const express = require('express');",
    "const Path = require('path');",
    'class Server {',
    '  start() {',
    '    const app = express();',
    "    const distPath = Path.join(global.appRoot, '/client/dist');",
    '    app.use(express.static(distPath));',
    "    app.get('/healthcheck', (req, res) => res.sendStatus(200));",
    "    app.get('*', (req, res) => res.sendFile(Path.join(distPath, 'index.html')));",
    '    app.listen(process.env.PORT || 3333);',
    '  }',
    '}',
    'module.exports = Server;',
    '',
  ].join('\n'),
  'client/package.json': json({ name: 'client', scripts: { dev: 'nuxt', build: 'nuxt build', generate: 'nuxt generate' }, devDependencies: { nuxt: '^2' } }),
  'client/package-lock.json': '{}',
  'client/pages/index.vue': '<template><div /></template>\n',
};

describe("another package's build the server serves", () => {
  it("is built in the image: a package with its own lockfile installs and runs the script the project uses (audiobookshelf's client)", () => {
    const a = analyze(audiobookshelf);
    expect(a.served_builds).toEqual([
      expect.objectContaining({ path: 'client', script: 'generate', output: 'client/dist', workspace: false, install: 'npm ci', run: 'npm run', evidence: [expect.objectContaining({ file: 'server/Server.js', line: 6, rule: 'served-path' }), expect.anything()] }),
    ]);
    expect(a.findings.find((f) => f.id === 'served-build')).toMatchObject({ status: 'pass' });
    const text = generateDockerfile(a, Object.keys(audiobookshelf)).text;
    expect(text).toContain('COPY . .\n# client/dist is served by the server and built here.\nWORKDIR /app/client\nRUN npm ci && npm run generate && rm -rf node_modules\nWORKDIR /app\nRUN npm prune --omit=dev\n');
  });

  it("is nothing more to build when the unit's own build runs it (Unleash: pnpm --dir ./frontend run build)", () => {
    const files = { ...audiobookshelf, 'package.json': audiobookshelf['package.json'].replace('"client":', '"build":"npm run clean && npm run build:client","clean":"rm -rf dist","build:client":"npm --prefix client run generate","client":') };
    const a = analyze(files);
    expect(a.commands.build).toBe('npm run build');
    expect(a.served_builds).toBeUndefined();
  });

  it('is nothing to build when the output is committed, or no package builds it', () => {
    expect(analyze({ ...audiobookshelf, 'client/dist/index.html': '<html></html>\n' }).served_builds).toBeUndefined();
    const { 'client/package.json': _pkg, ...noClient } = audiobookshelf;
    expect(analyze(noClient).served_builds).toBeUndefined();
  });

  it('a workspace member (docmost\'s apps/client) installs with the unit and builds before it', () => {
    const files = {
      'package.json': json({ name: 'docmost', private: true, packageManager: 'pnpm@9.12.0' }),
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'apps/server/package.json': json({ name: 'server', scripts: { build: 'tsc', start: 'node dist/main.js' }, dependencies: { express: '^4' } }),
      'apps/server/src/integrations/static.ts': "import express from 'express';\nimport { join } from 'path';\nexport function serveClient(app) {\n  const clientDistPath = join(__dirname, '..', '..', '..', 'client/dist');\n  app.use(express.static(clientDistPath));\n}\n",
      'apps/server/src/main.ts': "import express from 'express';\nimport { serveClient } from './integrations/static';\nconst app = express();\nserveClient(app);\napp.listen(process.env.PORT || 3000);\n",
      'apps/client/package.json': json({ name: 'client', scripts: { build: 'vite build' }, devDependencies: { vite: '^5' } }),
      'apps/client/src/main.tsx': 'export {};\n',
    };
    const a = analyze(files, 'apps/server');
    expect(a.served_builds).toEqual([expect.objectContaining({ path: 'apps/client', script: 'build', output: 'apps/client/dist', workspace: true, install: null, run: null })]);
    const text = generateDockerfile(a, Object.keys(files)).text;
    expect(text).toContain('--filter "{apps/server}..." --filter "{apps/client}..."');
    // The filtered build of the unit runs from the workspace root, where pnpm reads the {apps/server} selector.
    expect(text).toContain('WORKDIR /app/apps/client\nRUN pnpm run build\nWORKDIR /app\nRUN pnpm --filter "{apps/server}..." run build\n');
  });

  it('outside the build context of a unit no workspace holds, it is a warning, not a step (automatisch)', () => {
    const files = {
      'packages/backend/package.json': json({ name: 'backend', scripts: { start: 'node src/server.js' }, dependencies: { express: '^4' } }),
      'packages/backend/yarn.lock': '',
      'packages/backend/src/server.js': "import express from 'express';\nimport path, { join } from 'path';\nimport { fileURLToPath } from 'url';\nconst __dirname = path.dirname(fileURLToPath(import.meta.url));\nconst app = express();\napp.use(express.static(join(__dirname, '../../web/', 'build')));\napp.listen(process.env.PORT || 3000);\n",
      'packages/web/package.json': json({ name: 'web', scripts: { build: 'vite build' } }),
      'packages/web/yarn.lock': '',
    };
    const a = analyze(files, 'packages/backend');
    expect(a.served_builds).toBeUndefined();
    expect(a.findings.find((f) => f.id === 'served-build')).toMatchObject({ status: 'warn', message: expect.stringContaining('packages/web/build') });
  });
});
