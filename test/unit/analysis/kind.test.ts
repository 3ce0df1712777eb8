import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const pkg = (p: Record<string, unknown>) => JSON.stringify({ name: 'x', version: '1.0.0', ...p });

describe('a package that depends on a server framework', () => {
  // Flowise's components: nodes that build express routers for the server package to mount.
  const handlers = "const express = require('express');\nmodule.exports.router = () => express.Router().get('/x', (q, s) => s.end());\n";

  it('with no start script and nothing in its code that listens is a library', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ main: 'src/index.js', dependencies: { express: '^4.21.0' } }), 'src/index.js': handlers }), {});
    expect(a).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('nothing in its code listens') });
  });

  it('with a production start script under another name ("prod") is the service it starts', () => {
    const files = { 'package.json': pkg({ scripts: { prod: 'node src/index.js' }, dependencies: { express: '^4.21.0' } }), 'src/index.js': handlers };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'server', commands: { start: 'npm run prod' } });
  });

  it('with a listen call in its main file is a server without a start script', () => {
    const files = { 'package.json': pkg({ main: 'server.js', dependencies: { express: '^4.21.0' } }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'server', commands: { start: 'node server.js' } });
  });
});

describe('a Cloudflare Worker', () => {
  // Hono's examples: `export default app`, served by Cloudflare's runtime through `wrangler deploy`.
  const worker = { 'src/index.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.text('hi'));\nexport default app;\n" };

  it('is not deployable as a Node.js server, and says why and what to add, by its wrangler config or its scripts', () => {
    const byConfig = analyzeRepo(memoryRepo({ ...worker, 'package.json': pkg({ dependencies: { hono: '^4' } }), 'wrangler.toml': 'name = "basic"\nmain = "src/index.ts"\n' }), {});
    expect(byConfig).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringMatching(/^a Cloudflare Workers app \(wrangler\.toml\).*@hono\/node-server/) });
    const byScript = analyzeRepo(memoryRepo({ ...worker, 'package.json': pkg({ scripts: { deploy: 'wrangler deploy --minify src/index.ts' }, dependencies: { hono: '^4' } }) }), {});
    expect(byScript.kind_reason).toMatch(/^a Cloudflare Workers app \("deploy": wrangler deploy --minify src\/index\.ts\)/);
  });

  it('with a Node server of its own to start is that server', () => {
    const files = {
      'package.json': pkg({ scripts: { start: 'node dist/server.js', deploy: 'wrangler deploy' }, dependencies: { hono: '^4', '@hono/node-server': '^1' } }),
      'src/server.ts': "import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nserve({ fetch: new Hono().fetch, port: Number(process.env.PORT ?? 3000) });\n",
    };
    expect(analyzeRepo(memoryRepo(files), {}).kind).toBe('server');
  });
});

describe('a workspace root', () => {
  const files = {
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'packaging/*'] }),
    // A shared library first in name order, a compiled express library, a desktop shell, then the app.
    'packages/configs/package.json': pkg({ name: 'configs', devDependencies: { vite: '8.2.0' } }),
    'packages/components/package.json': pkg({ name: 'components', main: 'dist/src/index', dependencies: { express: '^4.21.0' } }),
    'packaging/tauri/package.json': pkg({ name: 'tauri', private: true, scripts: { start: 'tauri dev', build: 'tauri build' }, devDependencies: { '@tauri-apps/cli': '2.11.4' } }),
    // jellyfin-vue's frontend runs `vite build` with the Vite its sibling declares: its config file and script say Vite.
    'packages/frontend/package.json': pkg({ name: 'frontend', scripts: { build: 'vite build --configLoader runner', start: 'vite --configLoader runner' }, dependencies: { vue: '3.5.0' } }),
    'packages/frontend/vite.config.ts': "import { defineConfig } from 'vite';\nexport default defineConfig({});\n",
    'packages/frontend/index.html': '<!doctype html><div id="app"></div>\n',
  };

  it('lists a desktop shell and compiled libraries as deploying nothing, and suggests the app first', () => {
    const a = analyzeRepo(memoryRepo(files), {});
    const kinds = Object.fromEntries((a.units ?? []).map((u) => [u.path, [u.kind, u.framework]]));
    expect(kinds).toEqual({
      'packages/components': ['not-deployable', 'express'],
      'packages/configs': ['not-deployable', 'vite'],
      'packages/frontend': ['static', 'vite'],
      'packaging/tauri': ['not-deployable', 'none'],
    });
    expect(a.findings.find((f) => f.id === 'workspace-unit')?.fix).toBe('Analyze one unit: sealos-deploy analyze . --path packages/frontend');
  });

  it('analyzes the frontend as a Vite single-page app, with its config file and script as evidence', () => {
    const a = analyzeRepo(memoryRepo(files), { path: 'packages/frontend' });
    expect(a).toMatchObject({ kind: 'static', framework: { name: 'vite', version: null } });
    expect(a.framework.evidence.map((e) => e.rule)).toEqual(['config-file-vite', 'script-runs-framework-cli']);
  });
});

describe('a webpack single-page app', () => {
  // jellyfin-web: webpack with html-webpack-plugin, `webpack serve` to develop, build:production to ship.
  const files = (deps: Record<string, string>) => ({
    'package.json': pkg({ scripts: { start: 'npm run serve', serve: 'webpack serve --config webpack.dev.js', 'build:production': 'cross-env NODE_ENV="production" webpack --config webpack.prod.js' }, devDependencies: { webpack: '5.109.0', 'html-webpack-plugin': '5.6.0' }, dependencies: deps }),
    'webpack.common.js': "const path = require('path');\nmodule.exports = {\n  entry: './src/index.jsx',\n  output: {\n    path: path.resolve(__dirname, 'web'),\n  },\n};\n",
    'webpack.prod.js': "const { merge } = require('webpack-merge');\nmodule.exports = merge(require('./webpack.common'), { mode: 'production' });\n",
    'src/index.jsx': "import { history } from './router';\nfunction onChange() {}\nhistory.listen(onChange);\n",
    'src/router.js': 'export const history = { listen(cb) { return cb; } };\n',
  });

  it('is a static site built by its production script into webpack\'s output.path, served by nginx', () => {
    const a = analyzeRepo(memoryRepo(files({ react: '18.3.0' })), {});
    expect(a).toMatchObject({ kind: 'static', framework: { name: 'webpack' }, commands: { build: 'npm run build:production', start: null }, static_site: { output_dir: 'web', spa: true }, port: { value: 8080 } });
    expect(a.framework.evidence.find((e) => e.rule === 'webpack-output')).toMatchObject({ file: 'webpack.common.js', line: 5 });
  });

  it('a server that bundles with webpack stays the server', () => {
    const server = { ...files({ express: '^4.21.0' }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" };
    const a = analyzeRepo(memoryRepo({ ...server, 'package.json': server['package.json'].replace('"start":"npm run serve"', '"start":"node server.js"') }), {});
    expect(a).toMatchObject({ kind: 'server', framework: { name: 'express' } });
  });
});

describe('another language’s app with a package.json for its front-end', () => {
  // maybe-finance: a Rails app whose package.json only holds its JavaScript tooling.
  const rails = { 'package.json': JSON.stringify({ name: 'app', private: true, devDependencies: { '@biomejs/biome': '^1' } }), Gemfile: "source 'https://rubygems.org'\ngem 'rails'\n", 'config/application.rb': 'module App; end\n', 'app/javascript/application.js': "import './controllers';\n" };

  it('is not a Node.js service, and says which runtime by which files', () => {
    expect(analyzeRepo(memoryRepo(rails), {})).toMatchObject({ kind: 'not-deployable', kind_reason: 'not a Node.js service: a Ruby on Rails app (Gemfile, config/application.rb) whose package.json holds front-end tooling; sealos-deploy deploys Node.js services' });
    const django = analyzeRepo(memoryRepo({ 'package.json': pkg({ private: true, scripts: { build: 'webpack' } }), 'requirements.txt': 'django\n', 'manage.py': '', 'webpack.config.js': 'module.exports = {};\n' }), {});
    expect(django.kind_reason).toContain('a Django app (requirements.txt, manage.py)');
  });

  it('a Node.js package that starts, listens or publishes code is judged as one, whatever sits beside it', () => {
    // A start script that runs a server, or a library with docs built by mkdocs (requirements.txt).
    const started = analyzeRepo(memoryRepo({ ...rails, 'package.json': pkg({ scripts: { start: 'node server.js' }, dependencies: { express: '4' } }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" }), {});
    expect(started.kind).toBe('server');
    const library = analyzeRepo(memoryRepo({ 'package.json': pkg({ main: 'index.js' }), 'index.js': 'module.exports = 1;\n', 'requirements.txt': 'mkdocs\n' }), {});
    expect(library.kind_reason).toMatch(/^a library/);
  });
});

describe('a Meteor app', () => {
  it('is not deployable as is: meteor build makes the bundle that runs, and the reason says so (wekan)', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': pkg({ private: true, dependencies: { '@babel/runtime': '7', meteor: '0.0.0' } }),
        '.meteor/release': 'METEOR@3.0.4\n',
        'server/main.js': "import { Meteor } from 'meteor/meteor';\nMeteor.startup(() => {});\n",
        'sandstorm/bridge.js': "require('http').createServer().listen(process.env.PORT || 4000, '127.0.0.1');\n",
      }),
      {},
    );
    expect(a).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringMatching(/^a Meteor app \(METEOR@3\.0\.4 in \.meteor\/release\): `meteor build`/) });
  });
});

describe('a directory with no package.json', () => {
  it('chosen with --path, is judged by what is below it, not by the repository’s other packages (prisma-examples)', () => {
    const repo = memoryRepo({
      'typescript/rest-express/package.json': pkg({ scripts: { start: 'node index.js' }, dependencies: { express: '4' } }),
      'typescript/rest-express/index.js': "require('express')().listen(process.env.PORT || 3000);\n",
      'typescript/fullstack/backend/package.json': pkg({ scripts: { start: 'node index.js' }, dependencies: { express: '4' } }),
      'typescript/fullstack/backend/index.js': "require('express')().listen(process.env.PORT || 3000);\n",
      'typescript/fullstack/frontend/package.json': pkg({ scripts: { build: 'vite build' }, devDependencies: { vite: '5' } }),
      'typescript/fullstack/frontend/index.html': '<div id="app"></div>\n',
      'typescript/moved/README.md': 'This example moved.\n',
    });
    expect(analyzeRepo(repo, { path: 'typescript/fullstack' }).kind_reason).toBe(
      'typescript/fullstack has no package.json: choose one of the packages below it with --path (typescript/fullstack/backend, typescript/fullstack/frontend)',
    );
    expect(analyzeRepo(repo, { path: 'typescript/moved' })).toMatchObject({ kind: 'not-deployable', kind_reason: 'typescript/moved has no package.json: not a Node.js project' });
    expect(analyzeRepo(repo).kind_reason).toMatch(/^monorepo root without a package\.json: choose one of the packages below it with --path \(typescript\/fullstack\/backend, /);
  });

  it('says which other runtime it is, when one is there', () => {
    expect(analyzeRepo(memoryRepo({ 'go.mod': 'module example.com/api\n', 'main.go': 'package main\n' })).kind_reason).toBe('no package.json: not a Node.js project (a Go app: go.mod)');
  });
});

describe('a project generator', () => {
  it('is a command-line tool even with a start script that runs it (create-medusa-app)', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ name: 'create-medusa-app', bin: 'dist/index.js', scripts: { start: 'node dist/index.js', build: 'tsc' }, dependencies: { pg: '8', commander: '11' } }), 'src/index.ts': "import { Command } from 'commander';\nnew Command().parse();\n" }), {});
    expect(a).toMatchObject({ kind: 'not-deployable', kind_reason: 'a project generator (create-medusa-app, run by npm init): a command-line tool, not a network service' });
    // A service that also installs as a command stays a service.
    const red = analyzeRepo(memoryRepo({ 'package.json': pkg({ name: 'node-red', bin: 'red.js', scripts: { start: 'node red.js' }, dependencies: { express: '4' } }), 'red.js': "require('express')().listen(process.env.PORT || 1880);\n" }), {});
    expect(red.kind).toBe('server');
  });
});

describe('a desktop shell beside a web app', () => {
  it('a Next.js app whose start runs its server is that server, whatever desktop build it also has (NextChat: Tauri)', () => {
    const files = (start: string) => ({
      'package.json': pkg({ scripts: { build: 'next build', start, 'app:dev': 'yarn tauri dev' }, dependencies: { next: '14.2.0', react: '18.2.0' }, devDependencies: { '@tauri-apps/api': '^1.6.0', '@tauri-apps/cli': '^1.5.0' } }),
      'app/api/config/route.ts': "export async function GET() { return Response.json({ ok: true }); }\n",
    });
    expect(analyzeRepo(memoryRepo(files('next start')), {})).toMatchObject({ kind: 'ssr' });
    // Its start runs the desktop shell: a desktop app.
    expect(analyzeRepo(memoryRepo(files('tauri dev')), {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('desktop') });
  });

  it("a single-page app's API calls are no routes of its own: no rate-limit or admin warning about them (checkmate's axios.post('/auth/login'))", () => {
    const files = {
      'package.json': pkg({ scripts: { build: 'vite build', dev: 'vite' }, dependencies: { axios: '^1.7.0', react: '^18.3.0' }, devDependencies: { vite: '^5.4.0' } }),
      'index.html': '<div id="root"></div>\n',
      'src/network.js': "import axios from 'axios';\nexport class NetworkService {\n  constructor() {\n    this.axiosInstance = axios.create({ baseURL: import.meta.env.VITE_API_URL });\n  }\n  async loginUser(form) {\n    return this.axiosInstance.post(`/auth/login`, form);\n  }\n  async users() {\n    return this.axiosInstance.get(`/admin/users`);\n  }\n}\n",
    };
    const a = analyzeRepo(memoryRepo(files), {});
    expect(a.kind).toBe('static');
    expect(a.findings.map((f) => f.id)).not.toEqual(expect.arrayContaining(['rate-limit']));
    expect(a.findings.map((f) => f.id)).not.toContain('admin-auth');
    // Nor about a Node.js process: nginx serves the files (CyberChef's build reads git).
    const built = analyzeRepo(memoryRepo({ ...files, 'src/version.js': "import { execSync } from 'child_process';\nexport const v = execSync('git describe').toString();\n", 'src/main.js': "import { v } from './version.js';\nconsole.log(v);\n" }), {});
    expect(built.findings.map((f) => f.id)).not.toContain('system-programs');
  });

  it("a package published to npm with no start script is a library, though the function it exports listens (bull-arena's run())", () => {
    const files = {
      'package.json': pkg({ name: 'bull-arena', main: 'index.js', files: ['index.js', 'src'], dependencies: { express: '^4.21.0' } }),
      'index.js': "const express = require('express');\nfunction run(config, opts = {}) {\n  const app = express();\n  app.listen(opts.port || 4567, () => {});\n  return app;\n}\nmodule.exports = run;\n",
    };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('published to npm') });
    // With a start script it is a service that also publishes.
    expect(analyzeRepo(memoryRepo({ ...files, 'package.json': pkg({ name: 'bull-arena', main: 'index.js', files: ['index.js'], scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }), 'server.js': "require('./index')();\n" }), {}).kind).toBe('server');
  });

  it("SvelteKit's adapter-static writes where its pages option says (mermaid-live-editor: docs/)", () => {
    const files = {
      'package.json': pkg({ scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/kit': '^2.0.0', '@sveltejs/adapter-static': '^3.0.0', vite: '^5.4.0' } }),
      'svelte.config.js': "import adapter from '@sveltejs/adapter-static';\nexport default {\n  kit: {\n    adapter: adapter({\n      pages: 'docs',\n      fallback: '404.html'\n    })\n  }\n};\n",
      'src/routes/+page.svelte': '<h1>hi</h1>\n',
    };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'static', static_site: { output_dir: 'docs' } });
  });

  it('an Angular CLI app is a static site served from where angular.json builds it (angular-realworld: dist/angular-conduit/browser)', () => {
    const angularJson = (builder: string, outputPath: unknown) => JSON.stringify({ projects: { 'angular-conduit': { projectType: 'application', architect: { build: { builder, options: { outputPath, browser: 'src/main.ts' } } } } } });
    const files = (json: string) => ({
      'package.json': pkg({ scripts: { start: 'ng serve', build: 'ng build' }, dependencies: { '@angular/core': '^20.0.0', rxjs: '^7' }, devDependencies: { '@angular/cli': '^20.0.0', '@angular/build': '^20.0.0' } }),
      'angular.json': json,
      'src/main.ts': "import { bootstrapApplication } from '@angular/platform-browser';\nbootstrapApplication(class {});\n",
      'src/index.html': '<app-root></app-root>\n',
    });
    expect(analyzeRepo(memoryRepo(files(angularJson('@angular/build:application', 'dist/angular-conduit'))), {})).toMatchObject({ kind: 'static', framework: { name: 'angular' }, commands: { build: 'npm run build', start: null }, static_site: { output_dir: 'dist/angular-conduit/browser', spa: true } });
    expect(analyzeRepo(memoryRepo(files(angularJson('@angular/build:application', { base: 'dist/app', browser: '' }))), {}).static_site?.output_dir).toBe('dist/app');
    // The older browser builder writes to outputPath itself.
    expect(analyzeRepo(memoryRepo(files(angularJson('@angular-devkit/build-angular:browser', 'dist/app'))), {}).static_site?.output_dir).toBe('dist/app');
    // A package with Angular and no angular.json is a library.
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg({ peerDependencies: { '@angular/core': '^20' }, devDependencies: { '@angular/core': '^20' } }), 'src/index.ts': 'export const x = 1;\n' }), {}).kind).toBe('not-deployable');
  });

  it("a test harness is no service, though it listens (insomnia's smoke-test mock server, automatisch's e2e-tests)", () => {
    const mock = { 'package.json': pkg({ name: 'insomnia-smoke-test', scripts: { serve: 'esr server/index.ts', 'test:dev': 'playwright test' }, devDependencies: { express: '^4', '@playwright/test': '^1.49.0' } }), 'server/index.ts': "import express from 'express';\nexpress().listen(4010);\n" };
    expect(analyzeRepo(memoryRepo(mock), {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('a test harness') });
    const e2e = { 'package.json': pkg({ name: '@acme/e2e-tests', scripts: { 'start-mock': 'node mock.js', test: 'playwright test' }, dependencies: { micro: '^10' }, devDependencies: { '@playwright/test': '1.49.0' } }), 'mock.js': "require('http').createServer().listen(8080);\n" };
    expect(analyzeRepo(memoryRepo(e2e), {}).kind).toBe('not-deployable');
    // A service named like one, with a runner of its own tests beside what it needs to run, stays a service.
    const api = { 'package.json': pkg({ name: 'test-api', scripts: { start: 'node server.js', test: 'jest' }, dependencies: { express: '^4' }, devDependencies: { jest: '^29' } }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" };
    expect(analyzeRepo(memoryRepo(api), {}).kind).toBe('server');
  });

  it('a Gatsby site is static: its pages from public/, not gatsby develop (gatsby-starter-blog)', () => {
    const files = { 'package.json': pkg({ scripts: { build: 'gatsby build', develop: 'gatsby develop', start: 'gatsby develop', serve: 'gatsby serve' }, dependencies: { gatsby: '^5.14.6', react: '^18.2.0' } }), 'gatsby-config.js': 'module.exports = { plugins: [] };\n', 'src/pages/index.js': 'export default function Index() { return null; }\n' };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'static', framework: { name: 'gatsby' }, commands: { build: 'npm run build', start: null }, static_site: { output_dir: 'public', spa: false } });
  });

  it("a workspace of nothing but libraries, apps for a desktop and tests suggests no package as the one to deploy (insomnia)", () => {
    const files = {
      'package.json': pkg({ private: true, workspaces: ['packages/*'] }),
      'packages/insomnia/package.json': pkg({ name: 'insomnia', main: 'src/main.ts', dependencies: { electron: '^30' } }),
      'packages/insomnia/src/main.ts': "import { app } from 'electron';\napp.whenReady();\n",
      'packages/sdk/package.json': pkg({ name: 'insomnia-sdk', main: 'dist/index.js', types: 'dist/index.d.ts' }),
      'packages/sdk/src/index.ts': 'export const x = 1;\n',
    };
    const a = analyzeRepo(memoryRepo(files), {});
    const unit = a.findings.find((f) => f.id === 'workspace-unit');
    expect(unit?.fix).not.toContain('--path packages/insomnia');
    expect(a.findings.find((f) => f.id === 'deployable')?.fix).not.toContain('--path packages/insomnia');
  });

  it("Tauri's JS API alone is a web app that also runs in a shell (hoppscotch's selfhost-web); with a src-tauri project it is the desktop app", () => {
    const files = {
      'package.json': pkg({ scripts: { build: 'vite build', dev: 'vite' }, dependencies: { '@tauri-apps/api': '^2.0.0', vue: '^3.4.0' }, devDependencies: { vite: '^5.4.0' } }),
      'index.html': '<div id="app"></div>\n',
      'src/main.ts': "import { invoke } from '@tauri-apps/api/core';\nexport const x = invoke;\n",
    };
    expect(analyzeRepo(memoryRepo(files), {})).toMatchObject({ kind: 'static' });
    expect(analyzeRepo(memoryRepo({ ...files, 'src-tauri/tauri.conf.json': '{}' }), {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('@tauri-apps/api') });
  });

  it('an Electron app with electron as a devDependency stays a desktop app', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ main: 'main.js', scripts: { start: 'electron .' }, devDependencies: { electron: '^30.0.0' } }), 'main.js': "require('electron').app.whenReady();\n" }), {});
    expect(a).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('electron') });
  });
});

describe('queue code in a package', () => {
  const files = (p: Record<string, unknown>) => ({ 'package.json': pkg({ dependencies: { bullmq: '^5.0.0' }, ...p }), 'src/index.ts': "import { Worker } from 'bullmq';\nexport const start = (q: string) => new Worker(q, async () => {});\n" });
  it('that publishes it and starts nothing is a library (vendure job-queue-plugin, langfuse packages/shared)', () => {
    expect(analyzeRepo(memoryRepo(files({ main: 'dist/index.js' })), {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('library') });
  });
  it('that starts it is a worker', () => {
    expect(analyzeRepo(memoryRepo(files({ main: 'dist/index.js', scripts: { start: 'node dist/index.js' } })), {})).toMatchObject({ kind: 'worker' });
  });
});

describe('a Docusaurus site', () => {
  it("is static pages docusaurus build writes to build/, not a worker running its development server (pingvin-share's docs)", async () => {
    const files = {
      'package.json': pkg({ scripts: { start: 'docusaurus start', build: 'docusaurus build', deploy: 'docusaurus deploy' }, dependencies: { '@docusaurus/core': '3.5.2', react: '18' } }),
      'package-lock.json': '{}',
      'docusaurus.config.js': "module.exports = { title: 'Docs', url: 'https://example.com', baseUrl: '/' };\n",
      'docs/intro.md': '# Intro\n',
    };
    const a = analyzeRepo(memoryRepo(files));
    expect(a).toMatchObject({ framework: { name: 'docusaurus' }, kind: 'static', static_site: { output_dir: 'build', spa: false }, commands: { build: 'npm run build' } });
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('/app/build');
  });
});
