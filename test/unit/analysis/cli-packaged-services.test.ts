import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

// maildev 3: the service is a package's program (packages/cli, `bin: maildev`), running a web UI package (fastify) and
// an SMTP package of the workspace; its main is the programmatic API.
const maildev = () =>
  memoryRepo({
    'package.json': JSON.stringify({ name: 'maildev-monorepo', private: true }),
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    'packages/cli/package.json': JSON.stringify({ name: 'maildev', main: './dist/index.js', bin: { maildev: './dist/bin/maildev.js' }, scripts: { build: 'tsc' }, dependencies: { '@maildev/api': 'workspace:*', '@maildev/smtp': 'workspace:*', commander: '12' } }),
    'packages/cli/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: './src' } }),
    'packages/cli/src/index.ts': "import { startApi } from '@maildev/api';\nimport { startSmtp } from '@maildev/smtp';\nexport * from './types.js';\nexport class MailDev {\n  async listen() {\n    await startSmtp(1025);\n    await startApi(1080);\n  }\n}\n",
    'packages/cli/src/types.ts': 'export interface Options { web: number }\n',
    'packages/cli/src/bin/maildev.ts': "import { MailDev } from '../index.js';\nawait new MailDev().listen();\n",
    'packages/api/package.json': JSON.stringify({ name: '@maildev/api', main: './dist/index.js', scripts: { build: 'tsc' }, dependencies: { fastify: '5' } }),
    'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: './src' } }),
    'packages/api/src/index.ts': "import Fastify from 'fastify';\nexport async function startApi(port: number) {\n  const app = Fastify();\n  app.get('/api/healthz', async () => true);\n  await app.listen({ port, host: '0.0.0.0' });\n}\n",
    'packages/smtp/package.json': JSON.stringify({ name: '@maildev/smtp', main: './dist/index.js', scripts: { build: 'tsc' }, dependencies: { 'smtp-server': '3' } }),
    'packages/smtp/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: './src' } }),
    'packages/smtp/src/server.ts': "import { SMTPServer } from 'smtp-server';\nexport async function startSmtp(port = 1025) {\n  const smtp = new SMTPServer({});\n  smtp.listen(port, '0.0.0.0');\n}\n",
    'packages/smtp/src/index.ts': "export { startSmtp } from './server.js';\n",
  });

describe('a service shipped as a package program', () => {
  it('the root suggests the program that runs the workspace server, not the server library it runs (maildev, saltcorn)', () => {
    const root = analyzeRepo(maildev());
    const kinds = Object.fromEntries(root.units.map((u) => [u.path, u.kind]));
    expect(kinds).toMatchObject({ 'packages/cli': 'server', 'packages/api': 'not-deployable' });
    expect(root.units.find((u) => u.path === 'packages/cli')?.framework).toBe('fastify');
    expect(root.findings.find((f) => f.id === 'workspace-unit')?.fix).toContain('--path packages/cli');
  });

  it("not a tool beside a framework's core that plugins depend on too (vendure's @vendure/cli and @vendure/core)", () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'vendure', private: true, workspaces: ['packages/*'] }),
      'packages/core/package.json': JSON.stringify({ name: '@vendure/core', main: 'dist/index.js', dependencies: { '@nestjs/core': '10', '@nestjs/common': '10' } }),
      'packages/core/src/index.ts': 'export * from "./bootstrap";\n',
      'packages/email-plugin/package.json': JSON.stringify({ name: '@vendure/email-plugin', main: 'dist/index.js', dependencies: { '@vendure/core': '*' } }),
      'packages/cli/package.json': JSON.stringify({ name: '@vendure/cli', bin: { vendure: 'dist/cli.js' }, dependencies: { '@vendure/core': '*', commander: '12' } }),
    });
    expect(Object.fromEntries(analyzeRepo(repo).units.map((u) => [u.path, u.kind]))).toMatchObject({ 'packages/cli': 'not-deployable', 'packages/core': 'not-deployable' });
  });

  it("keeps a server another package depends on when it has a start of its own (etherpad's src: a prod script the root runs)", () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'etherpad', private: true, workspaces: ['src', 'bin'], scripts: { prod: 'npm run prod --workspace=src' } }),
      'src/package.json': JSON.stringify({ name: 'ep_etherpad-lite', scripts: { prod: 'node node/server.js' }, dependencies: { express: '4' } }),
      'src/node/server.js': "require('express')().listen(9001);\n",
      'bin/package.json': JSON.stringify({ name: 'bin', dependencies: { 'ep_etherpad-lite': 'workspace:*' } }),
      'bin/run.js': "require('ep_etherpad-lite');\n",
    });
    expect(Object.fromEntries(analyzeRepo(repo).units.map((u) => [u.path, u.kind]))).toMatchObject({ src: 'server' });
    // Or a Dockerfile of its own (dittofeed's packages/api, which packages/lite bundles too).
    const files = (api: Record<string, string>) => ({
      'package.json': JSON.stringify({ name: 'dittofeed', private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': JSON.stringify({ name: 'api', scripts: { build: 'tsc' }, dependencies: { fastify: '4' } }),
      'packages/api/src/server.ts': "import Fastify from 'fastify';\nFastify().listen({ port: 3001 });\n",
      'packages/lite/package.json': JSON.stringify({ name: 'lite', scripts: { start: 'node dist/index.js' }, dependencies: { api: '*' } }),
      ...api,
    });
    expect(analyzeRepo(memoryRepo(files({}))).units.find((u) => u.path === 'packages/api')?.kind).toBe('not-deployable');
    expect(analyzeRepo(memoryRepo(files({ 'packages/api/Dockerfile': 'FROM node:22\nCMD ["node", "dist/server.js"]\n' }))).units.find((u) => u.path === 'packages/api')?.kind).toBe('server');
  });

  it("starts its bin when main only declares and exports (the process would exit at once), and listens where HTTP is, not on SMTP", () => {
    const a = analyzeRepo(maildev(), { path: 'packages/cli' });
    expect(a.commands).toMatchObject({ start: 'node dist/bin/maildev.js', start_source: 'file' });
    expect(a.entrypoint).toBe('dist/bin/maildev.js');
    expect(a.commands.evidence.find((e) => e.rule === 'package-bin')).toMatchObject({ file: 'packages/cli/package.json' });
    expect(a.port.value).toBe(1080);
  });

  it('keeps main when it runs something itself', () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'svc', main: 'index.js', bin: { svc: 'bin/svc.js' }, dependencies: { express: '4' } }),
      'index.js': "require('express')().listen(process.env.PORT || 3000);\n",
      'bin/svc.js': "#!/usr/bin/env node\nrequire('../index.js');\n",
    });
    expect(analyzeRepo(repo).commands.start).toBe('node index.js');
  });
});
