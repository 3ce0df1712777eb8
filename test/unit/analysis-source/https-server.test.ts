import { describe, expect, it } from 'vitest';
import { analyze, analyzeIn, findingOf, pkgJson } from './memory-repo.js';

// Sealos's ingress ends TLS and forwards plain HTTP (backend-protocol: HTTP): a server speaking TLS itself fails every request.
const express = pkgJson(['express']);
const plainHttp = (files: Record<string, string>, over = {}) => findingOf(analyze(files, over), 'plain-http');

describe('a server that speaks HTTPS itself', () => {
  it('fails when the listener is an https server, in place or held in a name', () => {
    const inPlace = plainHttp({
      'package.json': express,
      'server.js': "const https = require('https');\nconst fs = require('fs');\nconst app = require('express')();\nhttps.createServer({ key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem') }, app).listen(process.env.PORT || 443);\n",
    });
    expect(inPlace).toMatchObject({ status: 'fail', evidence: [{ file: 'server.js', line: 4, rule: 'tls-server' }] });
    expect(inPlace?.message).toContain('https.createServer at server.js:4');
    expect(inPlace?.fix).toContain('plain HTTP');
    const named = plainHttp({
      'package.json': express,
      'server.ts': "import { createServer } from 'node:https';\nimport express from 'express';\nconst app = express();\nconst server = createServer({ pfx: Buffer.from('') }, app);\nserver.listen(Number(process.env.PORT ?? 8443));\n",
    });
    expect(named?.status).toBe('fail');
    const http2 = plainHttp({ 'package.json': express, 'server.js': "const http2 = require('http2');\nconst server = http2.createSecureServer({}, handler);\nserver.listen(process.env.PORT);\nfunction handler() {}\n" });
    expect(http2).toMatchObject({ status: 'fail', message: expect.stringContaining('http2.createSecureServer') });
  });

  it('warns when a setting switches HTTPS on: the deployment must leave it off (uptime-kuma)', () => {
    const ternary = plainHttp({
      'package.json': express,
      'server.js': "const http = require('http');\nconst https = require('https');\nconst app = require('express')();\nconst server = process.env.SSL_KEY ? https.createServer({ key: process.env.SSL_KEY }, app) : http.createServer(app);\nserver.listen(process.env.PORT || 3001);\n",
    });
    expect(ternary).toMatchObject({ status: 'warn', evidence: [{ file: 'server.js', line: 4 }] });
    expect(ternary?.message).toContain('can serve HTTPS');
    const ifBranch = plainHttp({
      'package.json': express,
      'server.js': "const https = require('https');\nconst app = require('express')();\nif (process.env.TLS_CERT) {\n  https.createServer({ cert: process.env.TLS_CERT }, app).listen(443);\n} else {\n  app.listen(process.env.PORT || 3000);\n}\n",
    });
    expect(ifBranch?.status).toBe('warn');
    // anything-llm: the https server is in a function called only when a setting asks for it.
    const boot = (call: string) =>
      plainHttp({
        'package.json': express,
        'server/utils/boot.js': "const https = require('https');\nfunction bootSSL(app, port = 3001) {\n  const server = https.createServer({ key: process.env.HTTPS_KEY }, app);\n  server.listen(port);\n}\nfunction bootHTTP(app, port = 3001) {\n  app.listen(port);\n}\nmodule.exports = { bootSSL, bootHTTP };\n",
        'server/index.js': `const { bootSSL, bootHTTP } = require('./utils/boot');\nconst app = require('express')();\n${call}\n`,
      });
    expect(boot('if (!!process.env.ENABLE_HTTPS) {\n  bootSSL(app, process.env.SERVER_PORT || 3001);\n} else {\n  bootHTTP(app, process.env.SERVER_PORT || 3001);\n}')?.status).toBe('warn');
    expect(boot('bootSSL(app, process.env.SERVER_PORT || 3001);')?.status).toBe('fail');
  });

  it('reads hapi’s tls option, through the options held in a name and the config its caller passes (hapi university)', () => {
    const files = (tls: string) => ({
      'package.json': pkgJson(['@hapi/hapi'], { scripts: { start: 'node lib/start.js' } }),
      'lib/index.js': `const Hapi = require('@hapi/hapi');\nconst internals = {};\ninternals.init = async function (configs) {\n  const serverOptions = { port: process.env.PORT || configs.server.port${tls} };\n  const server = new Hapi.Server(serverOptions);\n  await server.start();\n  return server;\n};\nexports.init = internals.init;\n`,
      'lib/start.js': "const Server = require('./index');\nconst Configs = { server: { port: 8000, tls: { key: 'k', cert: 'c' } } };\nServer.init(Configs).then((s) => console.log('started at ' + s.info.uri));\n",
    });
    const withTls = analyze(files(', tls: configs.server.tls'), { framework: 'hapi', entrypoint: 'lib/start.js', startCommand: 'node lib/start.js' });
    expect(withTls.port).toMatchObject({ value: 8000, reads_env: true, env_name: 'PORT', default: 8000 });
    expect(findingOf(withTls, 'plain-http')).toMatchObject({ status: 'fail', message: expect.stringContaining("hapi's tls option at lib/index.js:5") });
    const off = analyze(files(', tls: false'), { framework: 'hapi', entrypoint: 'lib/start.js' });
    expect(findingOf(off, 'plain-http')?.status).toBe('pass');
    expect(findingOf(analyze(files(''), { framework: 'hapi' }), 'plain-http')?.status).toBe('pass');
  });

  it("reads Nest's httpsOptions and fastify's https option, and whether they are set in place", () => {
    const nest = (opts: string, pre = '') =>
      plainHttp(
        {
          'package.json': pkgJson(['@nestjs/core', '@nestjs/common']),
          'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n${pre}async function bootstrap() {\n  const app = await NestFactory.create(AppModule, ${opts});\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n`,
        },
        { framework: 'nestjs' },
      );
    expect(nest("{ httpsOptions: { key: 'k', cert: 'c' } }")?.status).toBe('fail');
    expect(nest('{ httpsOptions }', "const httpsOptions = process.env.TLS_KEY ? { key: process.env.TLS_KEY } : undefined;\n")?.status).toBe('warn');
    expect(nest('{ cors: true }')?.status).toBe('pass');
    const fastify = (opts: string) => plainHttp({ 'package.json': pkgJson(['fastify']), 'server.js': `const Fastify = require('fastify');\nconst app = Fastify(${opts});\napp.listen({ port: Number(process.env.PORT) || 3000, host: '0.0.0.0' });\n` }, { framework: 'fastify' });
    expect(fastify("{ https: { key: 'k', cert: 'c' } }")?.status).toBe('fail');
    expect(fastify('{ https: null, logger: true }')?.status).toBe('pass');
  });

  it('passes a plain HTTP server (http2 without TLS is no TLS server) and says nothing where nothing listens', () => {
    expect(plainHttp({ 'package.json': express, 'server.js': "const app = require('express')();\napp.listen(process.env.PORT || 3000);\n" })).toMatchObject({ status: 'pass', message: expect.stringContaining('plain HTTP') });
    expect(plainHttp({ 'package.json': express, 'server.js': "const http2 = require('node:http2');\nhttp2.createServer(() => {}).listen(process.env.PORT);\n" })?.status).toBe('pass');
    expect(plainHttp({ 'package.json': pkgJson(['bullmq']), 'worker.js': "const { Worker } = require('bullmq');\nnew Worker('q', async () => {});\n" })).toBeUndefined();
  });

  it('is found the same way by both tiers', () => {
    const files = {
      'package.json': express,
      'src/server.js': "import express from 'express';\nimport { tlsServer } from './tls.js';\nconst app = express();\napp.listen(process.env.PORT || 3000);\n",
      'src/tls.js': "import https from 'https';\nexport const tlsServer = (app) => https.createServer({}, app);\n",
    };
    const tiered = findingOf(analyzeIn(files, 'tiered'), 'plain-http');
    expect(tiered).toMatchObject({ status: 'warn', evidence: [{ file: 'src/tls.js', line: 2 }] });
    expect(findingOf(analyzeIn(files, 'ast'), 'plain-http')).toEqual(tiered);
  });
});
