import { describe, expect, it } from 'vitest';
import { analyze, analyzeIn, findingOf, pkgJson, status } from './memory-repo.js';

describe('process model', () => {
  it('passes a SIGTERM handler that closes the server', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'server.js': `const app = require('express')();\nconst server = app.listen(process.env.PORT || 3000, () => console.log('listening on ' + server.address().port));\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n});\n`,
    });
    expect(r.process).toMatchObject({ graceful_shutdown: true, signals: ['SIGTERM'], logs_port_on_start: true });
    expect(findingOf(r, 'graceful-shutdown')?.evidence[0]).toMatchObject({ file: 'server.js', line: 3, rule: 'signal-closes-server' });
  });

  it('warns for a handler that swallows SIGTERM, and with no handler at all', () => {
    const swallowed = analyze({ 'package.json': pkgJson([]), 's.js': `require('http').createServer().listen(3000);\nprocess.on('SIGTERM', () => {});\n` });
    expect(swallowed.process).toMatchObject({ graceful_shutdown: false, signals: ['SIGTERM'] });
    expect(findingOf(swallowed, 'graceful-shutdown')?.message).toContain('neither closes');
    const none = analyze({ 'package.json': pkgJson([]), 's.js': `require('http').createServer().listen(3000);\n` });
    expect(status(none, 'graceful-shutdown')).toBe('warn');
  });

  it.each(['tiered', 'ast'] as const)('a handler for SIGINT alone is no shutdown Kubernetes triggers (audiobookshelf; %s)', (mode) => {
    const r = analyzeIn({ 'package.json': pkgJson(['express']), 'server.js': `const server = require('express')().listen(3333);\nprocess.on('SIGINT', async () => {\n  await server.close();\n  process.exit(0);\n});\n` }, mode);
    expect(r.process).toMatchObject({ graceful_shutdown: false, signals: ['SIGINT'] });
    expect(findingOf(r, 'graceful-shutdown')).toMatchObject({ status: 'warn', message: expect.stringContaining('on SIGINT only'), fix: expect.stringContaining("process.on('SIGTERM', shutdown)"), evidence: [expect.objectContaining({ line: 2, rule: 'signal-handler-not-sigterm' })] });
    const both = analyzeIn({ 'package.json': pkgJson(['express']), 'server.js': `const server = require('express')().listen(3333);\nconst stop = () => server.close(() => process.exit(0));\nprocess.on('SIGINT', stop);\nprocess.on('SIGTERM', stop);\n` }, mode);
    expect(both.process.graceful_shutdown).toBe(true);
  });

  it("a request logger used only in development logs nothing as deployed (proshop_mern's morgan behind NODE_ENV === 'development')", () => {
    const dev = analyze({ 'package.json': pkgJson(['express', 'morgan']), 'server.js': "const express = require('express');\nconst morgan = require('morgan');\nconst app = express();\nif (process.env.NODE_ENV === 'development') {\n  app.use(morgan('dev'));\n}\napp.listen(5000);\n" });
    expect(status(dev, 'request-logs')).toBe('warn');
    const always = analyze({ 'package.json': pkgJson(['express', 'morgan']), 'server.js': "const express = require('express');\nconst morgan = require('morgan');\nconst app = express();\napp.use(morgan(process.env.NODE_ENV === 'production' ? 'combined' : 'dev'));\napp.listen(5000);\n" });
    expect(status(always, 'request-logs')).toBe('pass');
  });

  it("remix-serve logs requests and closes on SIGTERM itself (indie-stack)", () => {
    const r = analyze({ 'package.json': pkgJson(['@remix-run/serve', '@remix-run/node']), 'app/root.tsx': 'export default function App() { return null; }\n' }, { framework: 'remix', startCommand: 'remix-serve ./build/index.js' });
    expect(r.process).toMatchObject({ graceful_shutdown: true });
    expect(status(r, 'graceful-shutdown')).toBe('pass');
    expect(status(r, 'request-logs')).toBe('pass');
  });

  it("reads neither a build tool's signal handler nor another signal's as the service's SIGTERM handling (saltcorn)", () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      's.js': "const server = require('express')().listen(3000);\nprocess.on('SIGHUP', () => reloadPlugins());\n",
      'rollup.config.js': "process.on('SIGTERM', () => watcher.close());\nexport default {};\n",
    });
    expect(r.process).toMatchObject({ graceful_shutdown: false, signals: ['SIGHUP'] });
    expect(findingOf(r, 'graceful-shutdown')?.message).toMatch(/^No SIGTERM handler/);
  });

  it("reads a SIGTERM handler registered down a chain on process (browserless's process.on(…).once('SIGTERM', …))", () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 's.js': "const server = require('express')().listen(3000);\nprocess\n  .on('unhandledRejection', (e) => console.error(e))\n  .once('SIGTERM', () => server.close(() => process.exit(0)));\n" });
    expect(r.process).toMatchObject({ graceful_shutdown: true, signals: ['SIGTERM'] });
  });

  it('warns for a handler that exits at once: the requests in flight are cut off', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 's.js': `const server = require('express')().listen(3000);\nprocess.on('SIGTERM', () => process.exit(0));\n` });
    expect(r.process).toMatchObject({ graceful_shutdown: false, signals: ['SIGTERM'] });
    expect(findingOf(r, 'graceful-shutdown')).toMatchObject({ status: 'warn', message: expect.stringContaining('exits at once'), fix: expect.stringContaining('server.close(() => process.exit(0))') });
    expect(findingOf(r, 'graceful-shutdown')?.evidence[0]).toMatchObject({ file: 's.js', line: 2, rule: 'signal-exits-at-once' });
  });

  it('follows a handler exported with exports.x (Etherpad), and takes one it cannot follow at its word, saying so', () => {
    const cjs = analyze({
      'package.json': pkgJson(['express']),
      's.js': `const server = require('express')().listen(3000);\nfor (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, exports.exit);\nexports.exit = async () => {\n  await new Promise((r) => server.close(r));\n  process.exit(0);\n};\n`,
    });
    expect(cjs.process).toMatchObject({ graceful_shutdown: true, signals: ['SIGINT', 'SIGTERM'] });
    expect(findingOf(cjs, 'graceful-shutdown')).toMatchObject({ status: 'pass', message: 'Shutdown is handled (SIGINT, SIGTERM).' });
    const elsewhere = analyze({
      'package.json': pkgJson(['express', '@acme/lifecycle']),
      's.js': `const { onShutdown } = require('@acme/lifecycle');\nconst server = require('express')().listen(3000);\nprocess.on('SIGTERM', onShutdown(server));\n`,
    });
    expect(findingOf(elsewhere, 'graceful-shutdown')).toMatchObject({ status: 'pass', message: expect.stringContaining('could not follow') });
  });

  it("reads signals from ['SIGINT','SIGTERM'].forEach(sig => process.on(sig, shutdown)) with a named handler", () => {
    const r = analyze({
      'package.json': pkgJson(['fastify']),
      'src/index.ts': `import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nasync function shutdown() { await app.close(); process.exit(0); }\nfor (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, shutdown);\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n`,
    }, { framework: 'fastify' });
    expect(r.process).toMatchObject({ graceful_shutdown: true, signals: ['SIGINT', 'SIGTERM'], logger: 'pino (fastify logger)', logs_port_on_start: true });
    expect(status(r, 'request-logs')).toBe('pass');
  });

  it('counts Nest enableShutdownHooks and graceful libraries', () => {
    const nest = analyze({ 'package.json': pkgJson(['@nestjs/core']), 'src/main.ts': `const app = await NestFactory.create(AppModule);\napp.enableShutdownHooks();\nawait app.listen(3000);\n` }, { framework: 'nestjs' });
    expect(nest.process.graceful_shutdown).toBe(true);
    expect(nest.process.logger).toBe('nestjs');
    const grace = analyze({ 'package.json': pkgJson(['close-with-grace']), 'a.js': `const closeWithGrace = require('close-with-grace');\ncloseWithGrace({ delay: 500 }, async () => { await app.close(); });\n` });
    expect(grace.process.graceful_shutdown).toBe(true);
  });

  it("counts Nest's default startup log, unless the app turns the logger off", () => {
    const main = (opts: string) => `const app = await NestFactory.create(AppModule${opts});\nawait app.listen(process.env.PORT ?? 3000);\n`;
    const on = analyze({ 'package.json': pkgJson(['@nestjs/core']), 'src/main.ts': main('') }, { framework: 'nestjs' });
    expect(findingOf(on, 'startup-log')).toMatchObject({ status: 'pass', evidence: [{ file: 'src/main.ts', line: 1, rule: 'nest-default-logger' }] });
    const off = analyze({ 'package.json': pkgJson(['@nestjs/core']), 'src/main.ts': main(', { logger: false }') }, { framework: 'nestjs' });
    expect(status(off, 'startup-log')).toBe('warn');
  });

  it('credits hand-rolled logging: a writing listen callback, and res.on("finish") through a local helper', () => {
    const r = analyze({
      'package.json': pkgJson([]),
      'server.js': `const http = require('http');\nconst { access } = require('./log');\nconst port = Number(process.env.PORT ?? 8080);\nconst server = http.createServer((req, res) => { access(req, res); res.end('ok'); });\nserver.listen(port, '0.0.0.0', () => announce({ port }));\nfunction announce(f) { process.stdout.write(JSON.stringify(f) + '\\n'); }\n`,
      'log.js': `function line(f) { process.stdout.write(JSON.stringify(f) + '\\n'); }\nexports.access = (req, res) => res.on('finish', () => line({ path: req.url, status: res.statusCode }));\n`,
    });
    expect(findingOf(r, 'startup-log')).toMatchObject({ status: 'pass', evidence: [{ file: 'server.js', line: 5, rule: 'listen-callback-log' }] });
    expect(findingOf(r, 'request-logs')).toMatchObject({ status: 'pass', evidence: [{ file: 'log.js', line: 2, rule: 'request-log-on-finish' }] });
    // A finish listener that only records metrics is not a request log.
    const metrics = analyze({
      'package.json': pkgJson([]),
      's.js': `require('http').createServer((req, res) => { res.on('finish', () => histogram.observe(1)); res.end(); }).listen(process.env.PORT);\n`,
    });
    expect(status(metrics, 'request-logs')).toBe('warn');
    // A file stream that finishes is no response (umami's scripts/build-geo.js).
    const stream = analyze({
      'package.json': pkgJson([]),
      's.js': `const fs = require('fs');\nconst out = fs.createWriteStream('geo.mmdb');\nout.on('finish', () => console.log('downloaded'));\nrequire('http').createServer((req, res) => res.end()).listen(process.env.PORT);\n`,
    });
    expect(status(stream, 'request-logs')).toBe('warn');
  });

  it('finds loggers, request logging middleware and a startup log', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'morgan', 'winston']),
      'src/log.js': `import winston from 'winston';\nexport const logger = winston.createLogger({ level: process.env.LOG_LEVEL || 'info' });\n`,
      'src/app.js': `import express from 'express';\nimport morgan from 'morgan';\nimport { logger } from './log.js';\nconst app = express();\napp.use(morgan('combined'));\nconst port = process.env.PORT || 3000;\napp.listen(port, () => logger.info(\`Server started on port \${port}\`));\n`,
    });
    expect(r.process).toMatchObject({ logger: 'winston', logs_port_on_start: true });
    expect(findingOf(r, 'request-logs')).toMatchObject({ status: 'pass', message: expect.stringContaining('morgan') });
    expect(status(r, 'startup-log')).toBe('pass');
  });

  it('warns when nothing logs requests or startup', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'a.js': `require('express')().listen(3000);\n` });
    expect(status(r, 'request-logs')).toBe('warn');
    expect(status(r, 'startup-log')).toBe('warn');
    expect(r.process.logger).toBeNull();
  });

  it('warns about in-process cron, bullmq workers and module-level setInterval; a queue producer alone is fine', () => {
    const r = analyze({
      'package.json': pkgJson(['node-cron', 'bullmq']),
      'src/jobs.js': `import cron from 'node-cron';\ncron.schedule('0 * * * *', () => cleanup());\n`,
      'src/worker.js': `import { Worker } from 'bullmq';\nnew Worker('emails', async (job) => send(job.data), { connection });\n`,
      'src/poll.js': `setInterval(() => refresh(), 60_000);\n`,
    });
    expect(r.process.background_work).toEqual(['bullmq worker', 'node-cron', 'setInterval']);
    expect(status(r, 'background-work')).toBe('warn');
    const producer = analyze({ 'package.json': pkgJson(['bullmq']), 'src/q.js': `import { Queue } from 'bullmq';\nexport const q = new Queue('emails');\nfunction later() { setInterval(() => {}, 1000); }\n` });
    expect(producer.process.background_work).toEqual([]);
    expect(status(producer, 'background-work')).toBe('pass');
  });

  it('ignores timers in browser modules (React hooks)', () => {
    const r = analyze({ 'package.json': pkgJson(['react', 'express']), 'app/hooks/useClock.ts': `import { useState } from 'react';\nsetInterval(() => tick(), 1000);\nexport const useClock = () => useState(0);\n` });
    expect(r.process.background_work).toEqual([]);
  });

  it('treats Next.js `next start` as handling SIGTERM and logging its URL', () => {
    const r = analyze({ 'package.json': pkgJson(['next']) }, { framework: 'nextjs', startCommand: 'next start' });
    expect(r.process).toMatchObject({ graceful_shutdown: true, logs_port_on_start: true });
  });
});

describe('cluster workers', () => {
  it('warns when the worker count follows the CPUs the machine reports, passes a fixed count', () => {
    const perCpu = analyze({
      'package.json': pkgJson(['express']),
      'src/server.js': [
        "const cluster = require('node:cluster');",
        "const os = require('os');",
        'if (cluster.isPrimary) {',
        '  for (let i = 0; i < os.cpus().length; i++) cluster.fork();',
        '} else {',
        "  require('express')().listen(process.env.PORT || 3000);",
        '}',
        '',
      ].join('\n'),
    });
    expect(findingOf(perCpu, 'cluster-workers')).toMatchObject({ section: 'scaling', status: 'warn', evidence: [expect.objectContaining({ line: 4, rule: 'cluster-per-cpu' }), expect.objectContaining({ line: 4, rule: 'cluster-fork' })] });
    const fixed = analyze({
      'package.json': pkgJson(['express']),
      'src/server.mjs': "import cluster from 'cluster';\nconst n = Number(process.env.WEB_CONCURRENCY ?? 1);\nif (cluster.isPrimary) for (let i = 0; i < n; i++) cluster.fork();\nelse (await import('express')).default().listen(process.env.PORT || 3000);\n",
    });
    expect(status(fixed, 'cluster-workers')).toBe('pass');
    // A primary of its own that reads no variable is still read.
    const primary = analyze({
      'package.json': pkgJson(['express']),
      'src/primary.js': "const cluster = require('cluster');\nconst { availableParallelism } = require('os');\nfor (let i = 0; i < availableParallelism(); i++) cluster.fork();\n",
      'src/server.js': "require('express')().listen(process.env.PORT || 3000);\n",
    });
    expect(status(primary, 'cluster-workers')).toBe('warn');
    expect(findingOf(analyze({ 'package.json': pkgJson(['express']), 'src/server.js': "require('express')().listen(3000);\n" }), 'cluster-workers')).toBeUndefined();
  });
});

describe('uploads', () => {
  it("warns when multer or formidable keeps uploads on the container's disk, not for memory storage", () => {
    const disk = analyze({ 'package.json': pkgJson(['express', 'multer']), 'src/upload.js': "const multer = require('multer');\nconst upload = multer({ dest: 'uploads/' });\nmodule.exports = upload;\n" });
    expect(findingOf(disk, 'local-uploads')).toMatchObject({ section: 'scaling', status: 'warn', message: expect.stringContaining("('uploads/')"), fix: expect.stringContaining('--volume /app/uploads:1Gi') });
    const storage = analyze({ 'package.json': pkgJson(['express', 'multer']), 'src/upload.ts': "import multer from 'multer';\nexport const upload = multer({ storage: multer.diskStorage({ destination: '/data/files' }) });\n" });
    expect(findingOf(storage, 'local-uploads')?.fix).toContain('--volume /data/files:1Gi');
    const form = analyze({ 'package.json': pkgJson(['express', 'formidable']), 'src/f.js': "const formidable = require('formidable');\nmodule.exports = () => formidable({ uploadDir: 'files' });\n" });
    expect(status(form, 'local-uploads')).toBe('warn');
    const memory = analyze({ 'package.json': pkgJson(['express', 'multer']), 'src/upload.js': "const multer = require('multer');\nmodule.exports = multer({ storage: multer.memoryStorage() });\n" });
    expect(findingOf(memory, 'local-uploads')).toBeUndefined();
    // The temp directory only holds a file until the code moves it on (as Ghost does).
    const temp = analyze({ 'package.json': pkgJson(['express', 'multer']), 'src/upload.js': "const multer = require('multer');\nconst os = require('os');\nmodule.exports = [multer({ dest: os.tmpdir() }), multer({ dest: '/tmp/in' })];\n" });
    expect(findingOf(temp, 'local-uploads')).toBeUndefined();
  });
});

describe('anything-llm: Bree jobs in process, @ladjs/graceful on SIGTERM', () => {
  it.each(['tiered', 'ast'] as const)('Bree is background work that runs per replica; Graceful closes and exits on SIGTERM (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'bree', '@ladjs/graceful']),
      'index.js': "require('./jobs').boot();\nrequire('express')().listen(process.env.SERVER_PORT || 3001);\n",
      'jobs.js': "const Bree = require('bree');\nconst Graceful = require('@ladjs/graceful');\nexports.boot = () => {\n  const bree = new Bree({ jobs: [{ name: 'cleanup', interval: '1h' }] });\n  new Graceful({ brees: [bree] }).listen();\n  bree.start();\n};\n",
    }, mode, { entrypoint: 'index.js' });
    expect(r.process).toMatchObject({ graceful_shutdown: true, background_work: expect.arrayContaining(['bree']) });
    expect(findingOf(r, 'graceful-shutdown')?.status).toBe('pass');
    expect(findingOf(r, 'background-work')?.status).toBe('warn');
  });
});

describe("a startup line from the debug package", () => {
  it.each(['tiered', 'ast'] as const)('is silent unless DEBUG names it: no startup log (excalidraw-room) (%s)', (mode) => {
    const server = (log: string) => ({
      'package.json': pkgJson(['express', 'debug']),
      'src/index.ts': `import debug from 'debug';\nimport express from 'express';\nimport http from 'http';\nconst serverDebug = debug('server');\nconst port = process.env.PORT || 80;\nconst server = http.createServer(express());\nserver.listen(port, () => {\n  ${log}(\`listening on port: \${port}\`);\n});\n`,
    });
    expect(findingOf(analyzeIn(server('serverDebug'), mode, { entrypoint: 'src/index.ts' }), 'startup-log')?.status).toBe('warn');
    expect(findingOf(analyzeIn(server('console.log'), mode, { entrypoint: 'src/index.ts' }), 'startup-log')?.status).toBe('pass');
  });
});
