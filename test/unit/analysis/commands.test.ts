import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { buildWithoutMigrating, envFileArgs, runsFrameworkServer, splitCommand, startIssues, startPreparation, startScriptName } from '../../../src/core/analysis/commands.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';
import { resolveNodeMajor } from '../../../src/core/analysis/node-version.js';

describe('splitCommand', () => {
  it('splits on && ; | and a lone &, keeping quoted words whole', () => {
    expect(splitCommand(`npm run migrate && NODE_ENV=production node "dist/my server.js" & tail -f x | grep y`)).toEqual([
      { words: ['npm', 'run', 'migrate'], background: false },
      { words: ['NODE_ENV=production', 'node', 'dist/my server.js'], background: true },
      { words: ['tail', '-f', 'x'], background: false, piped: true },
      { words: ['grep', 'y'], background: false },
    ]);
  });
});

describe('start commands that hide the server from the platform', () => {
  it('does not take a redirection for a background job', () => {
    expect(splitCommand('node server.js 2>&1')).toEqual([{ words: ['node', 'server.js', '2>&1'], background: false }]);
    expect(startIssues('node server.js 2>&1', {})).toEqual([]);
    expect(startIssues('node server.js > /dev/stdout 2>/dev/stderr', {})).toEqual([]);
  });

  it('flags output written to a file, a pipeline and a daemonising runner', () => {
    expect(startIssues('node server.js > app.log 2>&1', {})).toEqual([expect.stringContaining('writes its output to app.log inside the container')]);
    expect(startIssues('node server.js &>>logs/all.log', {})).toEqual([expect.stringContaining('writes its output to logs/all.log')]);
    expect(startIssues('npm run serve', { serve: 'node dist/main.js | pino-pretty' })).toEqual([expect.stringContaining('is piped into another process')]);
    // firecrawl's `tsc-watch --onSuccess "node dist/src/index.js"`: a watcher, and a start:production beside it wins.
    expect(startIssues('npm start', { start: 'tsc-watch --onSuccess "node dist/src/index.js"' })).toEqual([expect.stringContaining('tsc-watch recompiles')]);
    expect(startScriptName({ start: 'tsc-watch --onSuccess "node dist/src/index.js"', 'start:production': 'node dist/src/index.js' })).toBe('start:production');
    expect(startIssues('forever start server.js', {})).toEqual([expect.stringContaining('`forever start` daemonises')]);
  });

  it('still finds the entrypoint at the head of a pipeline', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 's', scripts: { start: 'node src/server.js | pino-pretty' }, dependencies: { express: '*' } }), 'src/server.js': "require('express')().listen(3000);\n" }));
    expect(a.entrypoint).toBe('src/server.js');
    expect(a.findings.find((f) => f.id === 'start-foreground')).toMatchObject({ status: 'fail', message: expect.stringContaining('piped into another process') });
  });
});

describe('startIssues', () => {
  it('accepts one foreground node process, with env prefixes and flags', () => {
    expect(startIssues('cross-env NODE_ENV=production node --enable-source-maps dist/server.js', {})).toEqual([]);
    expect(startIssues('npm run migrate && node dist/server.js', { migrate: 'prisma migrate deploy' })).toEqual([]);
    // Flags that merely look alike are not the debugger.
    expect(startIssues('node --inspect-publish-uid=http dist/server.js', {})).toEqual([]);
  });

  it.each([
    ['nodemon src/index.js', /nodemon/],
    ['node worker.js & node server.js', /background/],
    ['concurrently "node a.js" "node b.js"', /concurrently/],
    ['ts-node src/index.ts', /ts-node/],
    ['node -r ts-node/register src/index.ts', /ts-node/],
    ['tsx watch src/index.ts', /watch mode/],
    ['next dev', /development server/],
    ['nx serve', /Nx serve target/],
    ['webpack serve --config webpack.dev.js', /webpack development server/],
    ['webpack-dev-server --mode development', /webpack development server/],
    ['nx run api:serve:production', /Nx serve target/],
    ['pm2 start server.js', /pm2/],
    ['yarn babel-node --extensions ".ts" src/lib/cli', /babel-node/],
    ['node -r @babel/register src/index.js', /babel-node/],
    ['node --inspect dist/server.js', /debugger/],
    ['node --inspect=0.0.0.0:9229 dist/server.js', /debugger/],
  ])('flags %s', (cmd, why) => {
    expect(startIssues(cmd, {}).join('\n')).toMatch(why);
  });

  it('follows `npm run <script>` into the script it names', () => {
    expect(startIssues('npm run dev', { dev: 'nodemon server.js' }).join('\n')).toMatch(/nodemon/);
  });
});

describe("Node's own script runner", () => {
  it('follows `node --run <script>` to the script, as npm run does (MagicMirror)', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'mm', scripts: { start: 'node --run server', server: 'node ./serveronly --port ${PORT:-8080}' }, dependencies: { express: '4' } }),
        'serveronly/index.js': "require('express')().listen(Number(process.env.PORT) || 8080);\n",
      }),
    );
    expect(a.entrypoint).toBe('serveronly/index.js');
    expect(a.commands.start_script).toBe('node ./serveronly --port ${PORT:-8080}');
    expect(a.findings.find((f) => f.id === 'build-output')?.status).toBe('pass');
    expect(a.port).toMatchObject({ value: 8080, reads_env: true, env_name: 'PORT' });
  });
});

describe('the Node version Volta pins', () => {
  it("takes package.json's volta.node before the Dockerfile and engines (domain-driven-hexagon's 20.1.0), a unit's before its root's", () => {
    const pkg = (o: object) => JSON.stringify({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '4' }, ...o }, null, 2);
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ engines: { node: '>=18' }, volta: { node: '20.1.0' } }), 'server.js': "require('express')().listen(3000);\n" }));
    expect(a.node).toMatchObject({ version: '20', source: 'volta', requested: '20.1.0' });
    expect(a.node.evidence[0]).toMatchObject({ file: 'package.json', line: 12, rule: 'node-version-volta' });
    expect(a.findings.find((f) => f.id === 'node-version')?.status).toBe('pass');
    // .nvmrc still wins: it is what the developers' shells switch to.
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg({ volta: { node: '20.1.0' } }), '.nvmrc': '22\n', 'server.js': '' })).node.version).toBe('22');
    const ws = memoryRepo({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'], volta: { node: '18.20.0' } }),
      'apps/api/package.json': pkg({}),
      'apps/api/server.js': "require('express')().listen(3000);\n",
    });
    expect(analyzeRepo(ws, { path: 'apps/api' }).node).toMatchObject({ version: '18', source: 'volta' });
    // A pin engines rules out is one nobody updated (postiz: volta 20.17.0, engines >=22.12.0 <23): engines stands.
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg({ engines: { node: '>=22.12.0 <23.0.0' }, volta: { node: '20.17.0' } }), 'server.js': '' })).node).toMatchObject({ version: '22', source: 'engines' });
  });
});

describe('resolveNodeMajor', () => {
  it.each([
    ['>=18', '24'],
    ['^20.11', '20'],
    ['20.x', '20'],
    ['18 || 20', '20'],
    ['>=20 <23', '22'],
    ['v20.11.0', '20'],
    ['lts/iron', '20'],
    ['lts/jod', '22'],
    ['lts/*', '24'],
    ['21.x', '21'],
  ])('%s → %s', (req, major) => expect(resolveNodeMajor(req)).toBe(major));

  it('returns null for what is not a version', () => {
    expect(resolveNodeMajor('banana')).toBeNull();
    expect(resolveNodeMajor('lts/unknowncodename')).toBeNull();
  });
});

describe('the Node version of a project that pins it only in its Dockerfile or its workspace root', () => {
  const server = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n";
  it("takes the project's Dockerfile's last node stage (kutt's FROM node:22-alpine), unless engines rules it out", () => {
    const repo = (engines: string | null) =>
      memoryRepo({
        'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node server.js' }, ...(engines ? { engines: { node: engines } } : {}) }),
        'package-lock.json': '{}',
        'server.js': server,
        Dockerfile: 'ARG NODE=20\nFROM node:18 AS assets\nRUN true\nFROM node:${NODE}-alpine\nCOPY . .\nCMD ["node", "server.js"]\n',
      });
    expect(analyzeRepo(repo(null)).node).toMatchObject({ version: '20', source: 'dockerfile', evidence: [expect.objectContaining({ file: 'Dockerfile', line: 4 })] });
    expect(analyzeRepo(repo('>=18')).node).toMatchObject({ version: '20', source: 'dockerfile' });
    // A Node long out of support in the image (excalidraw-room's node:12) is no pin: there is no bookworm image of it.
    const old = memoryRepo({ 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node server.js' } }), 'package-lock.json': '{}', 'server.js': server, Dockerfile: 'FROM node:12-alpine\nCOPY . .\nCMD ["node", "server.js"]\n' });
    expect(analyzeRepo(old).node).toMatchObject({ version: '22', source: 'default' });
    // An old Dockerfile engines no longer allows: engines wins.
    expect(analyzeRepo(repo('>=22')).node).toMatchObject({ version: '24', source: 'engines' });
  });

  it("gives a workspace unit the root's engines when it declares none (joplin's root >=18)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'], engines: { node: '^20.11' } }),
        'package-lock.json': '{}',
        'packages/server/package.json': JSON.stringify({ name: 'server', scripts: { start: 'node server.js' } }),
        'packages/server/server.js': server,
      }),
      { path: 'packages/server' },
    );
    expect(a.node).toMatchObject({ version: '20', source: 'engines', evidence: [expect.objectContaining({ file: 'package.json' })] });
  });
});

describe('entrypoint through a package runner', () => {
  it.each([
    ['npx tsx src/index.ts', 'src/index.ts'],
    ['yarn babel-node --extensions ".ts,.tsx" src/lib/cli', 'src/lib/cli.ts'],
    ['pnpm exec ts-node src/index.ts', 'src/index.ts'],
    // ts-node's -P takes the tsconfig (cypress-realworld-app), not the script.
    ['ts-node -P tsconfig.tsnode.json --files src/index.ts', 'src/index.ts'],
  ])('%s runs %s', (start, entry) => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'svc', scripts: { start }, dependencies: { express: '^4.21.0' } }),
      'src/index.ts': "import express from 'express';\nexpress().listen(process.env.PORT ?? 3000);\n",
      'src/lib/cli.ts': "import express from 'express';\nexpress().listen(process.env.PORT ?? 3000);\n",
    });
    expect(analyzeRepo(repo, {}).entrypoint).toBe(entry);
  });
});

describe('entrypoint after a change of directory, or per platform', () => {
  const files = (scripts: Record<string, string>) =>
    memoryRepo({
      'package.json': JSON.stringify({ name: 'svc', scripts, dependencies: { express: '^4.21.0' } }),
      'bin/run': "#!/usr/bin/env node\nrequire('../dist/index.js');\n",
      'server/index.js': "require('express')().listen(process.env.PORT || 3000);\n",
    });

  it.each([
    ['cd server && node index.js', 'server/index.js'],
    ['cd bin && ./run start', 'bin/run'],
  ])('%s runs %s', (start, entry) => {
    expect(analyzeRepo(files({ start }), {}).entrypoint).toBe(entry);
  });

  it('a bare `nodemon` runs its config\'s exec, else the package main (bulletproof-nodejs)', () => {
    const repo = (extra: Record<string, string>, pkg: Record<string, unknown> = {}) =>
      memoryRepo({
        'package.json': JSON.stringify({ name: 'svc', main: 'src/main.js', scripts: { start: 'nodemon' }, dependencies: { express: '^4.21.0' }, ...pkg }),
        'src/app.ts': "import express from 'express';\nexpress().listen(process.env.PORT ?? 3000);\n",
        'src/main.js': "require('express')().listen(process.env.PORT || 3000);\n",
        ...extra,
      });
    expect(analyzeRepo(repo({ 'nodemon.json': JSON.stringify({ watch: ['src'], exec: 'ts-node -r tsconfig-paths/register --transpile-only ./src/app.ts' }) }), {}).entrypoint).toBe('src/app.ts');
    expect(analyzeRepo(repo({}, { nodemonConfig: { exec: 'ts-node src/app.ts' } }), {}).entrypoint).toBe('src/app.ts');
    expect(analyzeRepo(repo({}), {}).entrypoint).toBe('src/main.js');
  });

  it("a `main` the build writes from TypeScript is how it starts, and a unit whose dev script restarts it is no library (peppermint's api)", () => {
    const api = {
      'apps/api/package.json': JSON.stringify({ name: 'api', main: 'dist/main.js', scripts: { build: 'tsc', dev: 'ts-node-dev --respawn src/main.ts' }, dependencies: { fastify: '4.26.0' } }),
      'apps/api/tsconfig.json': JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist' } }),
      'apps/api/src/main.ts': "import Fastify from 'fastify';\nconst server = Fastify();\nserver.listen({ port: 5003, host: '0.0.0.0' });\n",
    };
    const repo = memoryRepo({ 'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }), ...api });
    expect(analyzeRepo(repo, {}).units).toContainEqual(expect.objectContaining({ path: 'apps/api', kind: 'server' }));
    expect(analyzeRepo(repo, { path: 'apps/api' })).toMatchObject({ kind: 'server', commands: { start: 'node dist/main.js', start_source: 'main' }, entrypoint: 'dist/main.js' });
    // Without a build nothing writes it: no start command from it.
    const unbuilt = memoryRepo({ 'package.json': JSON.stringify({ name: 'api', main: 'dist/main.js', dependencies: { fastify: '4.26.0' } }), 'src/main.ts': api['apps/api/src/main.ts'] });
    expect(analyzeRepo(unbuilt, {}).commands.start).toBeNull();
  });

  it("keeps the files `npm start` lays out before the server for the build: a prestart hook's, or the script's own leading copies (mirotalk's config.js)", () => {
    const hook = 'test -f app/src/config.js || cp app/src/config.template.js app/src/config.js';
    expect(startPreparation({ prestart: hook, start: 'node app/src/server.js' }, 'start')).toEqual({ script: 'prestart', command: hook });
    expect(startPreparation({ start: 'cp .env.example .env && mkdir -p data && node server.js' }, 'start')).toEqual({ script: 'start', command: 'cp .env.example .env && mkdir -p data' });
    expect(startPreparation({ prestart: hook, start: 'mkdir -p data && node server.js' }, 'start')?.command).toBe(`(${hook}) && mkdir -p data`);
    // Not files only: a clean, a migration, a build, a background job.
    for (const prestart of ['rm -rf dist', 'npm run migrate', 'tsc', 'cp a b & sleep 1']) expect(startPreparation({ prestart, start: 'node dist/index.js' }, 'start')).toBeNull();
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'mirotalk', scripts: { prestart: hook, start: 'node app/src/server.js' }, dependencies: { express: '4.21.0' } }), 'app/src/server.js': "require('express')().listen(process.env.PORT || 3000);\n", 'app/src/config.template.js': 'module.exports = {};\n' }), {});
    expect(a.commands.prepare).toBe(hook);
  });

  it("builds with heroku-postbuild when there is no build script (proshop_mern builds the frontend its server serves)", () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'proshop', scripts: { start: 'node backend/server', 'heroku-postbuild': 'NPM_CONFIG_PRODUCTION=false npm install --prefix frontend && npm run build --prefix frontend' }, dependencies: { express: '4' } }), 'backend/server.js': "require('express')().listen(process.env.PORT || 5000);\n" }), {});
    expect(a.commands.build).toBe('npm run heroku-postbuild');
  });

  it('builds without the commands that migrate a database: an image build has none (inbox-zero, vercel/ai-chatbot)', () => {
    expect(buildWithoutMigrating('prisma migrate deploy && cross-env NODE_OPTIONS=--max_old_space_size=16384 next build && serwist build serwist.config.mjs', 'pnpm exec')).toBe('pnpm exec cross-env NODE_OPTIONS=--max_old_space_size=16384 next build && pnpm exec serwist build serwist.config.mjs');
    expect(buildWithoutMigrating('tsx lib/db/migrate && next build', 'npx')).toBe('npx next build');
    expect(buildWithoutMigrating('npm run db:migrate && NODE_ENV=production vite build', 'npx')).toBe('NODE_ENV=production npx vite build');
    expect(buildWithoutMigrating('drizzle-kit migrate', 'npx')).toBe('');
    // Nothing migrates, or more than a chain of && it does not take apart.
    expect(buildWithoutMigrating('tsc && vite build', 'npx')).toBeNull();
    expect(buildWithoutMigrating('prisma migrate deploy || true; next build', 'npx')).toBeNull();
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'chat', scripts: { build: 'tsx lib/db/migrate && next build', start: 'next start' }, dependencies: { next: '15.0.0', 'drizzle-orm': '0.36.0', postgres: '3' }, devDependencies: { tsx: '4', 'drizzle-kit': '0.28.0' } }), 'app/page.tsx': 'export default function P() { return null; }\n' }), {});
    expect(a.commands.build).toBe('npx next build');
  });

  it("a Nest project with no build script builds with nest build: dist/main.js is what it runs (mikro-orm's realworld app)", () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'rw', scripts: { start: 'nest start' }, dependencies: { '@nestjs/core': '11', '@nestjs/common': '11' }, devDependencies: { '@nestjs/cli': '11' } }), 'nest-cli.json': '{"sourceRoot": "src"}', 'tsconfig.json': '{"compilerOptions": {"outDir": "./dist"}}', 'src/main.ts': "import { NestFactory } from '@nestjs/core';\nNestFactory.create({}).then((app) => app.listen(3000));\n" }), {});
    expect(a.commands.build).toBe('npx nest build');
    expect(a.entrypoint).toBe('dist/main.js');
  });

  it("starts the file that listens when main never loads it (github-readme-stats: main is the library's barrel, express.js listens)", () => {
    const files = {
      'package.json': JSON.stringify({ name: 'stats', type: 'module', main: 'src/index.js', devDependencies: { express: '5' } }),
      'src/index.js': "export * from './cards/index.js';\n",
      'src/cards/index.js': 'export const card = () => 1;\n',
      'express.js': "import express from 'express';\nimport { card } from './src/index.js';\nconst app = express();\napp.get('/api', (q, s) => s.send(String(card())));\napp.listen(process.env.PORT || 9000, '0.0.0.0');\n",
    };
    const a = analyzeRepo(memoryRepo(files), {});
    expect(a).toMatchObject({ kind: 'server', commands: { start: 'node express.js', start_source: 'file', runtime_dev: ['express'] }, entrypoint: 'express.js' });
    // A main that loads the listener stays the start.
    const loads = analyzeRepo(memoryRepo({ ...files, 'src/index.js': "import '../express.js';\n" }), {});
    expect(loads.commands.start).toBe('node src/index.js');
    // So does a main that runs something itself (arena's example: bee.js starts Arena its own way).
    const runs = analyzeRepo(memoryRepo({ ...files, 'src/index.js': "import { card } from './cards/index.js';\nconsole.log(card());\n" }), {});
    expect(runs.commands.start).toBe('node src/index.js');
  });

  it('`run-script-os` runs the Linux variant of the script (Flowise: start:default)', () => {
    const a = analyzeRepo(files({ start: 'run-script-os', 'start:windows': 'cd bin && run start', 'start:default': 'cd bin && ./run start' }), {});
    expect(a.commands).toMatchObject({ start: 'npm start', start_script: 'cd bin && ./run start' });
    expect(a.entrypoint).toBe('bin/run');
  });
});

describe('services that also install as a command', () => {
  it('a "bin" with a start script is a process to run, not a CLI; the extension-less script is the entrypoint', () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'bridge', bin: { bridge: './bin/bridge' }, scripts: { start: 'node bin/bridge' } }),
      'bin/bridge': "#!/usr/bin/env node\nrequire('../lib/main.js');\n",
      'lib/main.js': 'setInterval(() => {}, 1000);\n',
    });
    const a = analyzeRepo(repo, {});
    expect(a).toMatchObject({ kind: 'worker', entrypoint: 'bin/bridge' });
    expect(a.findings.find((f) => f.id === 'build-output')).toMatchObject({ status: 'pass' });
  });

  it("a \"bin\" that parses its arguments is a command even with a start script; a start script that runs the tests is no service (logto's cli, integration-tests)", () => {
    const cli = memoryRepo({
      'package.json': JSON.stringify({ name: '@logto/cli', bin: { logto: 'bin/logto.js' }, main: 'lib/index.js', scripts: { start: 'node .' }, dependencies: { yargs: '17' } }),
      'bin/logto.js': "#!/usr/bin/env node\nimport('../lib/index.js');\n",
      'lib/index.js': "const yargs = require('yargs');\nyargs(process.argv.slice(2)).command('db', 'database', () => {}).parse();\n",
    });
    expect(analyzeRepo(cli, {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('command-line tool') });
    const tests = memoryRepo({ 'package.json': JSON.stringify({ name: 'integration-tests', scripts: { start: 'pnpm test', test: 'jest' }, devDependencies: { jest: '29' } }), 'src/api.test.js': "test('x', () => {});\n" });
    expect(analyzeRepo(tests, {})).toMatchObject({ kind: 'not-deployable', kind_reason: 'a test harness (integration-tests, run by jest): it serves the tests, not users' });
    // Named otherwise, its start script running the tests says it.
    const suite = memoryRepo({ 'package.json': JSON.stringify({ name: 'checks', scripts: { start: 'pnpm test', test: 'jest' }, devDependencies: { jest: '29' } }), 'src/api.test.js': "test('x', () => {});\n" });
    expect(analyzeRepo(suite, {})).toMatchObject({ kind: 'not-deployable', kind_reason: 'a test suite: its start script runs the tests (pnpm test)' });
  });

  it('a "bin" without a start script stays a command-line tool', () => {
    const repo = memoryRepo({ 'package.json': JSON.stringify({ name: 'mk', bin: { mk: './cli.js' } }), 'cli.js': 'console.log(process.argv);\n' });
    expect(analyzeRepo(repo, {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('no start script') });
  });

describe('a PORT read with no listen call', () => {
  // sinonjs/nise: a fake server's default location reads PORT; nothing listens.
  const lib = "function location() {\n  return { hostname: 'localhost', port: process.env.PORT || 80 };\n}\nmodule.exports = { location };\n";

  it('in a library (no start script) is not a server', () => {
    const repo = memoryRepo({ 'package.json': JSON.stringify({ name: 'fake-xhr', main: 'lib/index.js' }), 'lib/index.js': lib });
    expect(analyzeRepo(repo, {})).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('a library') });
  });

  it('beside a start script is a server on that port', () => {
    const repo = memoryRepo({ 'package.json': JSON.stringify({ name: 'svc', scripts: { start: 'node lib/index.js' } }), 'lib/index.js': lib });
    expect(analyzeRepo(repo, {})).toMatchObject({ kind: 'server', port: { value: 80, reads_env: true } });
  });
});
});

describe('a monorepo root', () => {
  it('fails deployable with the way forward: one unit with --path, never the library advice', () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'] }),
      'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }),
      'apps/api/server.js': "require('express')().listen(process.env.PORT || 3000);\n",
    });
    const findings = analyzeRepo(repo, {}).findings;
    expect(findings.find((f) => f.id === 'workspace-unit')).toMatchObject({ status: 'fail', fix: expect.stringContaining('--path apps/api') });
    const deployable = findings.find((f) => f.id === 'deployable');
    expect(deployable).toMatchObject({ status: 'fail', fix: expect.stringContaining('--path apps/api') });
    expect(deployable?.fix).not.toMatch(/libraries and CLIs/);
  });
});


describe('--env-file in the start command', () => {
  it('finds the files handed to Node, through npm run and package runners', () => {
    expect(envFileArgs('node --env-file=.env server.js', {})).toEqual(['.env']);
    expect(envFileArgs('NODE_ENV=production node --env-file ./config/prod.env --enable-source-maps dist/main.js', {})).toEqual(['config/prod.env']);
    expect(envFileArgs('npm run serve', { serve: 'npx tsx --env-file=.env.production src/index.ts' })).toEqual(['.env.production']);
    expect(envFileArgs('node dist/server.js', {})).toEqual([]);
    expect(envFileArgs('dotenv -e .env -- node server.js', {})).toEqual([]);
  });

  const pkg = (start: string) => JSON.stringify({ name: 'svc', version: '1.0.0', scripts: { start }, dependencies: { express: '^4.21.0' } });
  const server = "require('express')().listen(process.env.PORT || 3000, '0.0.0.0');\n";
  const finding = (files: Record<string, string>) => analyzeRepo(memoryRepo(files, { tracked: true })).findings.find((f) => f.id === 'start-env-file');

  it('fails a start command whose env file is not in the image, and passes a committed one', () => {
    // .env files never reach the image (.dockerignore), committed or not: Node stops with "not found".
    expect(finding({ 'package.json': pkg('node --env-file=.env server.js'), 'server.js': server, '.env': 'A=1' })).toMatchObject({ status: 'fail', section: 'environment', message: expect.stringContaining('(.env not found)') });
    expect(finding({ 'package.json': pkg('node --env-file=config/app.env server.js'), 'server.js': server })).toMatchObject({ status: 'fail' });
    expect(finding({ 'package.json': pkg('node --env-file=config/app.env server.js'), 'server.js': server, 'config/app.env': 'LOG_LEVEL=info' })).toMatchObject({ status: 'pass' });
    expect(finding({ 'package.json': pkg('node server.js'), 'server.js': server })).toBeUndefined();
    // env-cmd exits when its file is missing (.env by default), unless --silent.
    expect(finding({ 'package.json': pkg('env-cmd -- node server.js'), 'server.js': server })).toMatchObject({ status: 'fail', message: expect.stringContaining('loads .env') });
    expect(finding({ 'package.json': pkg('env-cmd -f .env.production node server.js'), 'server.js': server })).toMatchObject({ status: 'fail', message: expect.stringContaining('loads .env.production') });
    expect(finding({ 'package.json': pkg('env-cmd --silent -- node server.js'), 'server.js': server })).toBeUndefined();
  });
});

describe('the script the start command runs', () => {
  it('is recorded as start_script, followed through npm run', () => {
    const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'app', scripts, dependencies: { express: '4' } });
    const files = { 'dist/server.js': "require('express')().listen(process.env.PORT || 3000);\n" };
    const direct = analyzeRepo(memoryRepo({ ...files, 'package.json': pkg({ start: 'TZ=UTC node ./dist/server.js' }) }));
    expect(direct.commands).toMatchObject({ start: 'npm start', start_script: 'TZ=UTC node ./dist/server.js' });
    const chained = analyzeRepo(memoryRepo({ ...files, 'package.json': pkg({ start: 'npm run serve', serve: 'NODE_OPTIONS=--enable-source-maps node dist/server.js' }) }));
    expect(chained.commands.start_script).toBe('NODE_OPTIONS=--enable-source-maps node dist/server.js');
    const looped = analyzeRepo(memoryRepo({ ...files, 'package.json': pkg({ start: 'npm run a', a: 'npm run start' }) }));
    expect(looped.commands.start_script).toMatch(/^npm run /);
    const config = analyzeRepo(memoryRepo({ ...files, 'package.json': pkg({ start: 'node dist/server.js' }), '.sealos/config.json': JSON.stringify({ start_command: 'node dist/server.js' }) }));
    expect(config.commands.start_script).toBeNull();
  });
});

describe('stand-in values in a test script', () => {
  it("are masked but no committed secret (openstatus: `RESEND_API_KEY=test-key CRON_SECRET=test-secret deno test`); elsewhere, or real-looking, they are", () => {
    const secretFinding = (scripts: Record<string, string>) =>
      analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node server.js', ...scripts }, dependencies: { express: '4' } }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" })).findings.find((f) => f.id === 'secret-in-scripts');
    expect(secretFinding({ test: 'NODE_ENV=test RESEND_API_KEY=test-key CRON_SECRET=test-secret deno test -A', 'test:e2e': 'JWT_SECRET=dummy playwright test' })).toBeUndefined();
    expect(secretFinding({ seed: 'CRON_SECRET=test-secret node seed.js' })).toMatchObject({ status: 'fail' });
    expect(secretFinding({ test: 'RESEND_API_KEY=re_live_8f7e6d5c4b3a2f1e node --test' })).toMatchObject({ status: 'fail' });
  });
});

describe('a secret written into a command', () => {
  it('is a failing security finding and never reaches the analysis document', () => {
    const key = 'sk_live_51HabcdefghijklmnopqrstuvWXYZ';
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'app', scripts: { start: `STRIPE_SECRET_KEY=${key} node server.js`, seed: 'node seed.js --token=tok_9f8e7d6c5b4a' }, dependencies: { express: '4' } }),
        'server.js': "require('express')().listen(process.env.PORT || 3000);\n",
        '.sealos/config.json': JSON.stringify({ build_command: 'GITHUB_TOKEN=ghp_abcdefghijklmnop1234 npm run build' }),
      }),
    );
    const f = a.findings.filter((x) => x.id === 'secret-in-scripts');
    expect(f.map((x) => [x.section, x.status])).toEqual([
      ['security', 'fail'],
      ['security', 'fail'],
    ]);
    expect(f[0]?.message).toMatch(/"start" \(STRIPE_SECRET_KEY\); "seed" \(--token\)/);
    expect(a.commands.start_script).toBe('STRIPE_SECRET_KEY=*** node server.js');
    const doc = JSON.stringify(a);
    for (const secret of [key, 'tok_9f8e7d6c5b4a', 'ghp_abcdefghijklmnop1234']) expect(doc).not.toContain(secret);
  });
});

describe('a secret in the Dockerfile', () => {
  it('ENV and ARG values with secret names fail, never quoting the value; references and plain settings pass', () => {
    const dockerfile = [
      'FROM node:22 AS build',
      'ARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz123456',
      'ARG GIT_SHA',
      'FROM node:22-slim',
      // A setting about a key, not a key (logto).
      'ARG private_key_rotation_grace_period=0',
      'ENV NODE_ENV=production STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnopqrstuvwxyz',
      'ENV SESSION_SECRET keyboard-cat-value',
      'ENV API_TOKEN=$API_TOKEN',
      'CMD ["node", "server.js", "--password=hunter2"]',
      '',
    ].join('\n');
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
        'server.js': "require('express')().listen(process.env.PORT || 3000);\n",
        Dockerfile: dockerfile,
      }),
    );
    const f = a.findings.find((x) => x.id === 'dockerfile-secret');
    expect(f).toMatchObject({ section: 'security', status: 'fail' });
    expect(f?.message).toContain('ARG NPM_TOKEN, ENV STRIPE_SECRET_KEY, ENV SESSION_SECRET');
    expect(f?.evidence.map((e) => e.line)).toEqual([2, 6, 7]);
    const doc = JSON.stringify(a);
    for (const secret of ['npm_abcdefghijklmnopqrstuvwxyz123456', 'sk_live_51H', 'keyboard-cat-value', 'hunter2']) expect(doc).not.toContain(secret);
  });
});

describe('a start command that runs a file outside the package', () => {
  it('fails build-output: the package image does not hold it', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'n8n', scripts: { start: 'node ../../scripts/os-normalize.mjs --dir bin n8n' }, dependencies: { express: '5' } }),
        'bin/n8n': "#!/usr/bin/env node\nrequire('../dist/index');\n",
      }),
    );
    expect(a.findings.find((f) => f.id === 'build-output')).toMatchObject({ status: 'fail', message: expect.stringContaining('runs ../../scripts/os-normalize.mjs, outside this package') });
  });
});

describe('a TypeScript runner the start command needs', () => {
  it('is a start issue when it is only a devDependency (the image prunes it), and fine as a dependency', () => {
    const analyzeWith = (start: string, deps: Record<string, string>, dev: Record<string, string>) =>
      analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'x', type: 'module', scripts: { start }, dependencies: deps, devDependencies: dev }), 'src/index.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT) || 3000);\n" }));
    for (const start of ['tsx src/index.ts', 'node --import tsx src/index.ts']) {
      const dev = analyzeWith(start, { express: '4' }, { tsx: '4' });
      expect(dev.commands.start_issues, start).toEqual([expect.stringContaining('tsx, a devDependency: the image keeps every devDependency so it can start')]);
      expect(dev.findings.find((f) => f.id === 'start-foreground')?.status, start).toBe('fail');
      expect(analyzeWith(start, { express: '4', tsx: '4' }, {}).commands.start_issues, start).toEqual([]);
      expect(dev.commands.runtime_dev, start).toEqual(['tsx']);
    }
    // ts-node compiles with typescript: both are what it needs at run time.
    expect(analyzeWith('ts-node src/index.ts', { express: '4' }, { 'ts-node': '10', typescript: '5' }).commands.runtime_dev).toEqual(['ts-node', 'typescript']);
    expect(analyzeWith('ts-node src/index.ts', { express: '4', 'ts-node': '10', typescript: '5' }, {}).commands.runtime_dev).toBeUndefined();
  });
});

describe('packages the running service imports from devDependencies', () => {
  const hapipal = (extra: Record<string, unknown> = {}) => ({
    'package.json': JSON.stringify({ name: 'boilerplate', main: 'lib/index.js', scripts: { start: 'node server' }, dependencies: { '@hapipal/schmervice': '2' }, devDependencies: { '@hapi/glue': '9', '@hapi/hapi': '21', dotenv: '16', '@hapi/code': '9', jest: '29' }, ...extra }),
    'server/index.js': "'use strict';\nconst Glue = require('@hapi/glue');\nconst Manifest = require('./manifest');\nexports.deployment = async () => Glue.compose(Manifest.get('/'), { relativeTo: __dirname });\nexports.deployment();\n",
    'server/manifest.js': "'use strict';\nconst Dotenv = require('dotenv');\nconst Hapi = require('@hapi/hapi');\nDotenv.config();\nmodule.exports = { get: () => ({ server: { port: process.env.PORT || 3000 } }) };\n",
    'test/index.js': "const Code = require('@hapi/code');\n",
  });

  it('are kept in the image and warned about; a test-only one is not among them (hapipal boilerplate)', () => {
    const a = analyzeRepo(memoryRepo(hapipal()), {});
    expect(a.commands.runtime_dev).toEqual(['@hapi/glue', '@hapi/hapi', 'dotenv']);
    expect(a.findings.find((f) => f.id === 'dev-dependency-imports')).toMatchObject({ status: 'warn', message: expect.stringContaining('@hapi/glue, @hapi/hapi, dotenv'), evidence: expect.arrayContaining([expect.objectContaining({ file: 'server/index.js' }), expect.objectContaining({ file: 'server/manifest.js' })]) });
  });

  it("next start loads next.config as it is: its devDependency imports are kept (chatbot-ui's @next/bundle-analyzer), not with standalone output", () => {
    const files = (output: string) => ({
      'package.json': JSON.stringify({ name: 'chat', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '14.1.0', react: '18' }, devDependencies: { '@next/bundle-analyzer': '14', typescript: '5' } }),
      'next.config.js': `const withBundleAnalyzer = require('@next/bundle-analyzer')({ enabled: process.env.ANALYZE === 'true' });\nmodule.exports = withBundleAnalyzer({${output}});\n`,
      'app/page.tsx': "import type { Metadata } from 'typescript';\nexport default function P() { return null; }\n",
    });
    expect(analyzeRepo(memoryRepo(files('')), {}).commands.runtime_dev).toEqual(['@next/bundle-analyzer']);
    expect(analyzeRepo(memoryRepo(files(" output: 'standalone' ")), {}).commands.runtime_dev).toBeUndefined();
  });

  it("not what a workspace package the unit runs declares for its own code (maildev's packages/smtp and nodemailer, a root devDependency)", () => {
    const smtp = (deps: object) => ({
      'package.json': JSON.stringify({ name: 'root', private: true, devDependencies: { nodemailer: '6', dotenv: '16' } }),
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'packages/cli/package.json': JSON.stringify({ name: 'maildev', type: 'module', main: './dist/index.js', scripts: { build: 'tsc' }, dependencies: { '@maildev/smtp': 'workspace:*' } }),
      'packages/cli/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: './src' } }),
      'packages/cli/src/index.ts': "import 'dotenv/config';\nimport { relay } from '@maildev/smtp';\nimport { createServer } from 'node:http';\ncreateServer(relay).listen(1080);\n",
      'packages/smtp/package.json': JSON.stringify({ name: '@maildev/smtp', type: 'module', main: './dist/index.js', scripts: { build: 'tsc' }, ...deps }),
      'packages/smtp/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: './src' } }),
      'packages/smtp/src/index.ts': "export { relay } from './relay.js';\n",
      // Nothing any other concern looks for: its imports still load.
      'packages/smtp/src/relay.ts': "import nodemailer from 'nodemailer';\nexport const relay = (req: unknown, res: { end(): void }) => nodemailer.createTransport({}).sendMail({}).then(() => res.end());\n",
    });
    // dotenv, which only the root's devDependencies declare: still kept and warned about.
    expect(analyzeRepo(memoryRepo(smtp({ dependencies: { nodemailer: '6' } })), { path: 'packages/cli' }).commands.runtime_dev).toEqual(['dotenv']);
    expect(analyzeRepo(memoryRepo(smtp({})), { path: 'packages/cli' }).commands.runtime_dev).toEqual(['dotenv', 'nodemailer']);
  });

  it('not when a build bundles the code, nor when they are dependencies', () => {
    expect(analyzeRepo(memoryRepo(hapipal({ scripts: { start: 'node dist/server.js', build: 'esbuild server/index.js --bundle --outfile=dist/server.js' } })), {}).commands.runtime_dev).toBeUndefined();
    const prod = hapipal({ dependencies: { '@hapi/glue': '9', '@hapi/hapi': '21', dotenv: '16' }, devDependencies: { jest: '29' } });
    expect(analyzeRepo(memoryRepo(prod), {}).findings.map((f) => f.id)).not.toContain('dev-dependency-imports');
  });
});

describe('programs the service runs', () => {
  it("installs those it knows in the image, warns about the rest and about git reading a repository the image lacks", () => {
    const files = (extra: Record<string, string>) => ({
      'package.json': JSON.stringify({ name: 'x', scripts: { start: 'node src/index.js' }, dependencies: { express: '4', 'fluent-ffmpeg': '2' } }),
      'src/index.js': "require('./media');\nrequire('./backup');\nrequire('express')().listen(3000);\n",
      'src/media.js': "const ffmpeg = require('fluent-ffmpeg');\nexports.thumb = (f) => ffmpeg(f).screenshots({ count: 1 });\n",
      'src/backup.js': "import { spawn } from 'node:child_process';\nconst PG_DUMP = 'pg_dump';\nexport const backup = () => spawn(PG_DUMP, ['--no-owner']);\nexport const zip = (f) => spawn('zstd', [f]);\nexport const own = () => spawn(process.execPath, ['worker.js']);\n",
      'scripts/release.js': "require('child_process').execSync('gh release create');\n",
      // Test setup and build configs run no program in the pod (formbricks' docker, NextChat's build-time git).
      'integration/global-setup.js': "require('child_process').execSync('docker exec db psql');\n",
      'app/config/build.js': "require('child_process').execSync('git log -1 --format=%cd');\n",
      ...extra,
    });
    const a = analyzeRepo(memoryRepo(files({})), {});
    expect(a.system_programs?.map((p) => [p.program, p.package])).toEqual([['ffmpeg', 'ffmpeg'], ['pg_dump', 'postgresql-client'], ['zstd', null]]);
    expect(a.findings.find((f) => f.id === 'system-programs')).toMatchObject({ status: 'warn', message: expect.stringContaining('It also runs zstd') });
    const text = generateDockerfile(a, Object.keys(files({}))).text;
    expect(text).toMatch(/apt-get install -y --no-install-recommends tini ffmpeg postgresql-client /);
    const git = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'x', scripts: { start: 'node index.js' }, dependencies: { express: '4' } }), 'index.js': "const { execSync } = require('child_process');\nconst gitCommand = 'git rev-parse HEAD';\nconsole.log(execSync(gitCommand).toString());\nrequire('express')().listen(3000);\n" }), {});
    expect(git.findings.find((f) => f.id === 'system-programs')).toMatchObject({ status: 'warn', message: expect.stringContaining('the image has no .git') });
  });
});

describe('pm2 in a container', () => {
  const files = (start: string, ecosystem: string, name = 'ecosystem.config.json') => ({
    'package.json': JSON.stringify({ name: 'api', scripts: { start }, dependencies: { express: '^4', pm2: '^5' } }),
    [name]: ecosystem,
    'src/index.js': "require('express')().listen(process.env.PORT || 3000);\n",
  });

  it('`--no-daemon` and pm2-runtime stay in the foreground; the one app of an ecosystem file is the entrypoint the image runs with node', () => {
    expect(startIssues('pm2 start ecosystem.config.json --no-daemon', {})).toEqual([]);
    expect(startIssues('pm2-runtime start ecosystem.config.js', {})).toEqual([]);
    const a = analyzeRepo(memoryRepo(files('pm2 start ecosystem.config.json --no-daemon', JSON.stringify({ apps: [{ name: 'app', script: 'src/index.js', instances: 1 }] }))), { now: () => new Date(0) });
    expect(a.entrypoint).toBe('src/index.js');
    expect(a.findings.find((f) => f.id === 'start-foreground')?.status).toBe('pass');
    const js = analyzeRepo(memoryRepo(files('pm2-runtime ecosystem.config.js', "module.exports = { apps: [{ name: 'api', script: './src/index.js' }] };\n", 'ecosystem.config.js')), { now: () => new Date(0) });
    expect(js.entrypoint).toBe('src/index.js');
  });

  it('an instance per CPU is the cluster-workers trap; several apps leave the entrypoint open', () => {
    const perCpu = analyzeRepo(memoryRepo(files('pm2-runtime ecosystem.config.json', JSON.stringify({ apps: [{ script: 'src/index.js', instances: 'max', exec_mode: 'cluster' }] }, null, 2))), { now: () => new Date(0) });
    expect(perCpu.findings.find((f) => f.id === 'cluster-workers')).toMatchObject({ status: 'warn', evidence: [{ file: 'ecosystem.config.json', rule: 'pm2-instances' }] });
    const flag = analyzeRepo(memoryRepo(files('pm2-runtime src/index.js -i max', '{}')), { now: () => new Date(0) });
    expect(flag.findings.find((f) => f.id === 'cluster-workers')?.status).toBe('warn');
    const two = analyzeRepo(memoryRepo(files('pm2-runtime ecosystem.config.json', JSON.stringify({ apps: [{ script: 'src/index.js' }, { script: 'src/worker.js' }] }))), { now: () => new Date(0) });
    expect(two.entrypoint).toBeNull();
  });
});

describe('no "start" script, a production one beside a dev one', () => {
  it('starts with start:prod, warns that "start" is missing, and the image runs its command', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { build: 'tsup', 'start:dev': 'tsx watch src/index.ts', 'start:prod': 'node dist/index.js' }, dependencies: { express: '^4' } }),
        'src/index.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 8080));\n",
      }),
      { now: () => new Date(0) },
    );
    expect(a.commands).toMatchObject({ start: 'npm run start:prod', start_source: 'script', start_script: 'node dist/index.js', start_issues: [] });
    expect(a.entrypoint).toBe('dist/index.js');
    expect(a.findings.find((f) => f.id === 'start-script')).toMatchObject({ status: 'warn', fix: 'Add "start": "node dist/index.js" to the scripts in package.json so `npm start` runs the production server, as platforms expect.' });
  });
});

describe('a "start" that runs the TypeScript source beside a production one that runs the build', () => {
  it("starts with the production one (chatgpt-web's service: esno ./src/index.ts and node ./build/index.mjs)", () => {
    const files = (start: string) => ({
      'package.json': JSON.stringify({ name: 'svc', scripts: { start, prod: 'node ./build/index.mjs', build: 'tsup' }, dependencies: { express: '^4', esno: '^4' } }),
      'tsup.config.ts': "export default { entry: ['src/index.ts'], outDir: 'build', format: ['esm'] };\n",
      'src/index.ts': "import express from 'express';\nexpress().listen(3002);\n",
    });
    expect(analyzeRepo(memoryRepo(files('esno ./src/index.ts'))).commands).toMatchObject({ start: 'npm run prod', start_script: 'node ./build/index.mjs' });
    // A start that runs node itself stays.
    expect(analyzeRepo(memoryRepo(files('node ./build/index.mjs --trace-warnings'))).commands.start).toBe('npm start');
  });
});

describe('a start command that builds first', () => {
  it('is flagged: the build belongs in the image; a migration before the server is not a build', () => {
    expect(startIssues('npm run build && node dist/server.js', { build: 'tsc' })).toEqual([expect.stringContaining('`npm run build` builds the app at every start')]);
    expect(startIssues('tsc -p . && node dist/index.js', {})).toEqual([expect.stringContaining('`tsc -p .` builds the app')]);
    expect(startIssues('npm run serve', { serve: 'next build && next start' })).toEqual([expect.stringContaining('`next build` builds the app')]);
    expect(startIssues('prisma migrate deploy && node server.js', {})).toEqual([]);
    expect(startIssues('npm run build', { build: 'tsc' })).toEqual([]);
  });
});

describe('SvelteKit and Astro adapters', () => {
  const app = (deps: Record<string, string>, files: Record<string, string>) =>
    analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'web', scripts: { build: 'vite build' }, devDependencies: deps }), ...files }), { now: () => new Date(0) });
  it('a Vercel or auto adapter has no Node server to run: a failure that names adapter-node; adapter-node passes', () => {
    const vercel = app({ '@sveltejs/kit': '^2', '@sveltejs/adapter-vercel': '^5' }, { 'svelte.config.js': "import adapter from '@sveltejs/adapter-vercel';\nexport default { kit: { adapter: adapter() } };\n" });
    expect(vercel.findings.find((f) => f.id === 'framework-adapter')).toMatchObject({ status: 'fail', message: expect.stringContaining('adapter-vercel'), fix: expect.stringContaining('@sveltejs/adapter-node') });
    const node = app({ '@sveltejs/kit': '^2', '@sveltejs/adapter-node': '^5' }, { 'svelte.config.js': "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n" });
    expect(node.findings.find((f) => f.id === 'framework-adapter')?.status).toBe('pass');
    expect(node.commands.start).toBe('node build');
    const astro = app({ astro: '^5', '@astrojs/vercel': '^8' }, { 'astro.config.mjs': "import vercel from '@astrojs/vercel';\nexport default { output: 'server', adapter: vercel() };\n" });
    expect(astro.findings.find((f) => f.id === 'framework-adapter')).toMatchObject({ status: 'fail', message: expect.stringContaining('@astrojs/vercel') });
  });
});

describe('entrypoints not built yet, and a production build script', () => {
  it('`node dist/apps/api/main` runs main.js (Node tries the file first), `node dist` its index; build:production builds', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { 'build:production': 'nx run api:build:production', start: 'node dist/apps/api/main' }, dependencies: { express: '^4' } }),
        'apps/api/src/main.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 3333));\n",
      }),
      { now: () => new Date(0) },
    );
    expect(a.entrypoint).toBe('dist/apps/api/main.js');
    expect(a.commands.build).toBe('npm run build:production');
    const dist = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'api', scripts: { build: 'tsc', start: 'node dist' }, dependencies: { express: '^4' } }), 'src/index.ts': "require('express')().listen(process.env.PORT || 3000);\n" }), { now: () => new Date(0) });
    expect(dist.entrypoint).toBe('dist/index.js');
    expect(dist.port).toMatchObject({ value: 3000, reads_env: true });
  });
});

describe("the project's own build for an image", () => {
  const app = (scripts: Record<string, string>) =>
    analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'web', scripts: { start: 'next start', ...scripts }, dependencies: { next: '^15' } }), 'next.config.js': 'module.exports = {};\n' }), { now: () => new Date(0) });

  it('builds with build-docker where `build` needs a live database (umami: check-env, check-db migrate)', () => {
    const umami = app({ build: 'npm-run-all check-env build-db check-db build-app', 'build-docker': 'npm-run-all build-db build-app', 'build-app': 'next build' });
    expect(umami.commands.build).toBe('npm run build-docker');
    expect(umami.commands.evidence).toContainEqual(expect.objectContaining({ rule: 'scripts.build-docker', snippet: 'npm-run-all build-db build-app' }));
  });

  it('not a script that runs docker itself', () => {
    expect(app({ build: 'next build', 'build:docker': 'docker build -t web .' }).commands.build).toBe('npm run build');
  });
});

describe('a start script that hands its command to another script (documenso: npm run with:env -- node …)', () => {
  const app = (start: string) =>
    analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { build: 'tsc', start, 'with:env': 'dotenv -e ../../.env -e ../../.env.local --' }, dependencies: { express: '^4' }, devDependencies: { 'dotenv-cli': '^8' } }),
        'src/server.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 3000));\n",
      }),
      { now: () => new Date(0) },
    );

  it('runs the script with the arguments after --, and the image runs node without the env-file wrapper', async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const a = app('npm run with:env -- cross-env NODE_ENV=production node dist/server.js');
    expect(a.commands.start_script).toBe('dotenv -e ../../.env -e ../../.env.local -- cross-env NODE_ENV=production node dist/server.js');
    expect(a.entrypoint).toBe('dist/server.js');
    expect(generateDockerfile(a, []).text).toContain('CMD ["node", "dist/server.js"]');
    // pnpm and yarn pass every argument; npm without `--` keeps them for itself.
    expect(app('pnpm with:env node dist/server.js').entrypoint).toBe('dist/server.js');
  });

  it("unwraps dotenv-cli without `--`, past its options (openpanel: dotenv -e ../../.env node dist/index.js; the image ran node_modules/.bin/dotenv, which pnpm had not linked there)", async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const a = app('dotenv -e ../../.env -v WATCH=0 node dist/server.js');
    expect(a.entrypoint).toBe('dist/server.js');
    expect(generateDockerfile(a, []).text).toContain('CMD ["node", "dist/server.js"]');
  });
});

describe('tsconfig path aliases in a tsc build', () => {
  const files = (scripts: Record<string, string>) => ({
    'package.json': JSON.stringify({ name: 'api', scripts, dependencies: { express: '^4' }, devDependencies: { typescript: '^5' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', baseUrl: '.', paths: { '@/*': ['src/*'] } } }),
    'src/index.ts': "import express from 'express';\nimport { db } from '@/lib/db';\nexpress().listen(Number(process.env.PORT ?? 3000), () => db);\n",
    'src/lib/db.ts': 'export const db = process.env.DATABASE_URL;\n',
  });
  const finding = (scripts: Record<string, string>) => analyzeRepo(memoryRepo(files(scripts)), { now: () => new Date(0) }).findings.find((f) => f.id === 'path-aliases');
  it('plain tsc leaves `@/lib/db` for Node to fail on; tsc-alias, a bundler or tsconfig-paths at run time resolve it', () => {
    expect(finding({ build: 'tsc', start: 'node dist/index.js' })).toMatchObject({ status: 'fail', evidence: [{ file: 'src/index.ts', line: 2, snippet: '@/lib/db' }] });
    expect(finding({ build: 'tsc && tsc-alias', start: 'node dist/index.js' })).toBeUndefined();
    expect(finding({ build: 'tsup src/index.ts', start: 'node dist/index.js' })).toBeUndefined();
    expect(finding({ build: 'tsc', start: 'node -r tsconfig-paths/register dist/index.js' })).toBeUndefined();
  });
});

describe('env-cmd in a start command', () => {
  it('is a prefix: the image runs the program after it', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'ec', scripts: { start: 'env-cmd -f .env.production -- node server.js' }, dependencies: { express: '^4', 'env-cmd': '^10' } }), 'server.js': "require('express')().listen(process.env.PORT || 3000);\n" }), { now: () => new Date(0) });
    expect(a.entrypoint).toBe('server.js');
    expect(a.commands.start_issues).toEqual([]);
  });
});

describe('the root Dockerfile and a workspace unit', () => {
  const repo = (dockerfile: string) =>
    memoryRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      Dockerfile: dockerfile,
      'apps/web/package.json': JSON.stringify({ name: '@m/web', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }),
      'apps/web/server.js': "require('express')().listen(process.env.PORT || 3000);\n",
      'apps/worker/package.json': JSON.stringify({ name: '@m/worker', scripts: { start: 'node index.js' }, dependencies: { bullmq: '^5' } }),
      'apps/worker/index.js': "const { Worker } = require('bullmq');\nnew Worker('q', async () => {});\n",
    });
  it('is the unit’s only when it names it: another app’s EXPOSE is not this unit’s port', () => {
    const web = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci -w apps/web\nEXPOSE 3000\nCMD ["node", "apps/web/server.js"]\n';
    const worker = analyzeRepo(repo(web), { path: 'apps/worker', now: () => new Date(0) });
    expect(worker.dockerfile).toBeNull();
    expect(worker.kind).toBe('worker');
    const named = analyzeRepo(repo(web), { path: 'apps/web', now: () => new Date(0) });
    expect(named.dockerfile?.path).toBe('Dockerfile');
  });
});

describe("a framework's own server", () => {
  it('started through a package runner (npx react-router-serve) is still the framework server; a dev tool listening elsewhere is not the service', () => {
    expect(runsFrameworkServer('npx react-router-serve ./build/server/index.js')).toBe(true);
    expect(runsFrameworkServer('pnpm exec next start')).toBe(true);
    // kentcdodds.com: an MDX dev sidecar on 127.0.0.1:3099, run by the "dev" script only.
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'site', scripts: { build: 'react-router build', dev: 'concurrently "node other/dev-watcher.ts" "react-router dev"' }, dependencies: { '@react-router/node': '^7.0.0', '@react-router/serve': '^7.0.0' }, devDependencies: { '@react-router/dev': '^7.0.0' } }),
      'app/root.tsx': 'export default function App() { return null; }\n',
      'other/dev-watcher.ts': "import http from 'node:http';\nhttp.createServer((q, s) => s.end()).listen(Number(process.env.SIDECAR_PORT ?? 3099), '127.0.0.1');\n",
    });
    const a = analyzeRepo(repo, {});
    expect(a).toMatchObject({ kind: 'ssr', port: { value: 3000, reads_env: true, env_name: 'PORT' }, bind: { all_interfaces: true } });
  });
});

describe('a "start" for development beside a production one', () => {
  it('reads a shell script "start" runs for its watchers, and the image runs the production script by its shebang (grist: sandbox/watch.sh, sandbox/run.sh)', async () => {
    const { resolveRuntimeCommand } = await import('../../../src/core/image/runtime-command.js');
    const files = {
      'package.json': JSON.stringify({ name: 'grist', scripts: { build: 'buildtools/build.sh', start: 'sandbox/watch.sh', 'start:prod': 'sandbox/run.sh' }, dependencies: { express: '^4' } }),
      'sandbox/watch.sh': '#!/usr/bin/env bash\ntsc --build -w &\nwebpack --mode development --watch &\nnodemon -w _build/app/server _build/stubs/app/server/server.js &\nwait\n',
      'sandbox/run.sh': '#!/usr/bin/env bash\nset -e\nexec env NODE_PATH=_build node _build/stubs/app/server/server.js\n',
      'buildtools/build.sh': '#!/usr/bin/env bash\ntsc --build\n',
      'app/server/server.ts': "require('express')().listen(process.env.PORT || 8484);\n",
    };
    const a = analyzeRepo(memoryRepo(files), { now: () => new Date(0) });
    expect(a.commands).toMatchObject({ start: 'npm run start:prod', start_script: 'sandbox/run.sh' });
    expect(resolveRuntimeCommand(a).argv).toEqual(['sandbox/run.sh']);
    // A "start" script whose shell script runs no watcher stays the start.
    const plain = analyzeRepo(memoryRepo({ ...files, 'sandbox/watch.sh': '#!/usr/bin/env bash\nexec node _build/stubs/app/server/server.js\n' }), { now: () => new Date(0) });
    expect(plain.commands.start).toBe('npm start');
  });

  it('starts with the production script and says "start" is for development (Gladys: nodemon --signal SIGINT index.js)', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({
          name: 'api',
          scripts: { start: 'cross-env NODE_ENV=development nodemon --signal SIGINT index.js', 'start:prod': 'cross-env NODE_ENV=production node index.js' },
          dependencies: { express: '^4' },
        }),
        'index.js': "require('express')().listen(process.env.PORT || 1443);\n",
      }),
      { now: () => new Date(0) },
    );
    expect(a.commands).toMatchObject({ start: 'npm run start:prod', start_script: 'cross-env NODE_ENV=production node index.js', start_issues: [] });
    expect(a.entrypoint).toBe('index.js');
    expect(a.findings.find((f) => f.id === 'start-script')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('The "start" script is for development (cross-env NODE_ENV=development nodemon --signal SIGINT index.js)'),
      fix: 'Make "start" run the production server ("start": "cross-env NODE_ENV=production node index.js") and move the development command to "dev", so `npm start` does what platforms expect.',
    });
  });

  it('follows "start" into the script pnpm or yarn runs by its name alone (novu: "start": "pnpm start:dev", nest start --watch)', () => {
    for (const [pm, lock] of [['pnpm', 'pnpm-lock.yaml'], ['yarn', 'yarn.lock']] as const) {
      const a = analyzeRepo(
        memoryRepo({
          'package.json': JSON.stringify({ name: 'api', scripts: { build: 'nest build', start: `${pm} start:dev`, 'start:dev': 'nest start --watch', 'start:prod': 'node dist/main.js' }, dependencies: { '@nestjs/core': '^10' } }),
          [lock]: '',
          'src/main.ts': "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
        }),
        { now: () => new Date(0) },
      );
      expect(a.commands).toMatchObject({ start: `${pm} run start:prod`, start_script: 'node dist/main.js', start_issues: [] });
      expect(a.findings.find((f) => f.id === 'start-script')?.message).toContain(`The "start" script is for development (${pm} start:dev)`);
    }
  });

  it('keeps a production "start" beside start:prod, and reads past nodemon flags that take a value', () => {
    const scripts = (start: string) => ({ start, 'start:prod': 'node dist/index.js' });
    expect(startScriptName(scripts('node index.js'))).toBe('start');
    expect(startScriptName(scripts('npm run dev'))).toBe('start');
    expect(startScriptName({ ...scripts('npm run dev'), dev: 'tsx watch src/index.ts' })).toBe('start:prod');
    expect(startScriptName(scripts('next dev'))).toBe('start:prod');
    expect(startScriptName({ start: 'nodemon index.js' })).toBe('start');
    const a = analyzeRepo(
      memoryRepo({ 'package.json': JSON.stringify({ name: 'api', scripts: { start: 'nodemon --signal SIGINT --watch src index.js' }, dependencies: { express: '^4' } }), 'index.js': "require('express')().listen(3000);\n" }),
    );
    expect(a.entrypoint).toBe('index.js');
  });
});

describe('the runtime the start command needs', () => {
  const server = "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/ping', (c) => c.text('pong'));\nexport default app;\n";
  const run = (start: string, files: Record<string, string> = {}) =>
    analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'svc', scripts: { start }, dependencies: { hono: '^4' } }), 'src/index.ts': server, ...files }), { now: () => new Date(0) });
  const finding = (a: ReturnType<typeof run>) => a.findings.find((f) => f.id === 'start-runtime');

  it('fails Bun under another package manager and Deno, which the generated image does not have (openstatus)', () => {
    const bun = finding(run('NODE_ENV=production bun run src/index.ts', { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }));
    expect(bun).toMatchObject({ status: 'fail', message: expect.stringContaining('with Bun (NODE_ENV=production bun run src/index.ts), but the image sealos-deploy generates has Node.js only') });
    expect(bun?.fix).toContain('Make Bun the package manager');
    expect(finding(run('deno run -A src/index.ts'))).toMatchObject({ status: 'fail', message: expect.stringContaining('with Deno') });
    // The generated image refuses rather than ship a CMD of a program it has not (`node_modules/.bin/deno`).
    expect(() => generateDockerfile(run('deno run -A src/index.ts'), ['package.json', 'src/index.ts'])).toThrow(expect.objectContaining({ code: 'INPUT_MISSING', message: expect.stringContaining('with Deno') }));
  });

  it('passes Bun as the package manager and node; warns that the project’s Dockerfile must provide the runtime', () => {
    expect(finding(run('bun run src/index.ts', { 'bun.lock': '{}\n' }))?.status).toBe('pass');
    expect(finding(run('node dist/index.js'))).toMatchObject({ status: 'pass', message: 'The start command runs on Node.js, which the image has.' });
    const own = finding(run('deno run -A src/index.ts', { Dockerfile: 'FROM denoland/deno:2.1\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nCMD ["deno", "run", "-A", "src/index.ts"]\n' }));
    expect(own).toMatchObject({ status: 'warn', message: expect.stringContaining('builds the image with Dockerfile, which must provide Deno') });
  });
});

describe('a start command that serves a directory with http-server', () => {
  const served = (start: string, files: Record<string, string>, build?: string) =>
    analyzeRepo(
      memoryRepo({ 'package.json': JSON.stringify({ name: 'site', scripts: { start, ...(build ? { build } : {}) }, dependencies: { 'http-server': '^14' } }), ...files }, { tracked: true }),
      { now: () => new Date(0) },
    ).findings.find((f) => f.id === 'build-output');

  it('warns when the directory is neither committed nor built (hoppscotch: `http-server packages/web/dist -p 3000`, no build script)', () => {
    expect(served('http-server packages/web/dist -p 3000', { 'packages/web/src/main.ts': 'x\n' })).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('serves packages/web/dist with http-server, which is not in the repository and no build script writes'),
    });
  });

  it('passes when the directory is committed, a build script may write it, or it is the default', () => {
    expect(served('http-server -p 8080 ./site', { 'site/index.html': '<h1>x</h1>\n' })?.status).toBe('pass');
    expect(served('http-server dist -p 3000', { 'src/main.ts': 'x\n' }, 'vite build')?.status).toBe('pass');
    expect(served('http-server -p 3000', { 'public/index.html': '<h1>x</h1>\n' })?.status).toBe('pass');
  });
});
