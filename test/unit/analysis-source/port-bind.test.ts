import { describe, expect, it } from 'vitest';
import { startFlags } from '../../../src/core/analysis/source/port-bind.js';
import { analyzeSource } from '../../../src/core/analysis/source/index.js';
import { analyze, analyzeIn, findingOf, hints, memoryContext, pkgJson, status } from './memory-repo.js';

const express = pkgJson(['express']);

describe('port from code', () => {
  it.each(['tiered', 'ast'] as const)("takes no port from listen(host) alone, a socket branch beside listen(port, host) (trilium's TRILIUM_HOST became its port: the image set it to 8080; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': express,
      'services/host.js': "const config = require('./config');\nmodule.exports = process.env.APP_HOST || config.host || '0.0.0.0';\n",
      'services/port.js': "const config = require('./config');\nmodule.exports = config.readPort();\n",
      'services/config.js': "module.exports = { host: null, readPort: () => 8080 };\n",
      'www.js': "const http = require('http');\nconst app = require('express')();\nconst port = require('./services/port');\nconst host = require('./services/host');\nconst server = http.createServer(app);\nif (port !== 0) {\n  server.listen(port, host);\n} else {\n  server.listen(host);\n}\n",
    }, mode);
    expect(r.port.env_name).not.toBe('APP_HOST');
    expect(r.port.evidence[0]).toMatchObject({ file: 'www.js', line: 7 });
  });

  it('follows process.env.PORT || 3000 in an Express app', () => {
    const r = analyze({
      'package.json': express,
      'index.js': `const express = require('express');\nconst app = express();\nconst PORT = process.env.PORT || 3000;\napp.listen(PORT, () => console.log('up'));\n`,
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', default: 3000, source: 'code' });
    expect(r.port.evidence[0]).toMatchObject({ file: 'index.js', line: 4 });
    expect(status(r, 'reads-port')).toBe('pass');
  });

  it('follows a constant imported from another module (ESM, .js specifier to .ts source)', () => {
    const r = analyze({
      'package.json': express,
      'src/config.ts': `export const PORT = Number(process.env.PORT ?? 8080);\n`,
      'src/server.ts': `import express from 'express';\nimport { PORT } from './config.js';\nconst app = express();\napp.listen(PORT);\n`,
    });
    expect(r.port).toMatchObject({ value: 8080, reads_env: true, env_name: 'PORT', default: 8080 });
  });

  it.each(['tiered', 'ast'] as const)("takes the port of the defaults file a settings object loads at run time (thelounge's defaults/config.js; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'defaults/config.js': '"use strict";\nmodule.exports = {\n  // The port to listen on.\n  port: 9000,\n  host: undefined,\n};\n',
      'server/config.js': "const path = require('path');\nclass Config {\n  values = require(path.join(__dirname, '..', 'defaults', 'config.js'));\n  merge(user) { this.values = { ...this.values, ...user }; }\n}\nmodule.exports = new Config();\n",
      'server/server.js': "const express = require('express');\nconst Config = require('./config');\nconst app = express();\nconst server = require('http').createServer(app);\nserver.listen({ port: Config.values.port, host: Config.values.host }, () => console.log('listening'));\n",
    }, mode);
    expect(r.port).toMatchObject({ value: 9000, source: 'code' });
    expect(r.port.evidence).toContainEqual(expect.objectContaining({ file: 'defaults/config.js', line: 4, rule: 'config-default-port' }));
  });

  it("takes the port of the defaults file's HTTP section, never a client's (zone-mta: dbs.redis.port 6379, api.port 12080)", () => {
    const config = "module.exports = {\n  dbs: {\n    mongo: 'mongodb://127.0.0.1:27017/zone-mta',\n    redis: {\n      host: '127.0.0.1',\n      port: 6379,\n    },\n  },\n  plugins: {\n    'core/clamav': {\n      port: 3310,\n    },\n  },\n  api: {\n    host: '0.0.0.0',\n    port: 12080,\n  },\n};\n";
    const r = analyze({
      'package.json': pkgJson(['restify']),
      'config/default.js': config,
      'lib/server.js': "const config = require('wild-config');\nclass Server { listen(...args) { this.server.listen(...arguments); } }\nnew Server().listen(config.api.port);\n",
    });
    expect(r.port).toMatchObject({ value: 12080 });
    expect(r.port.evidence).toContainEqual(expect.objectContaining({ file: 'config/default.js', line: 16, rule: 'config-default-port' }));
  });

  it('follows a CommonJS config object (config.port)', () => {
    const r = analyze({
      'package.json': express,
      'config/index.js': `module.exports = {\n  port: process.env.PORT || 4000,\n  db: { url: process.env.DATABASE_URL },\n};\n`,
      'app.js': `const config = require('./config');\nconst app = require('express')();\napp.listen(config.port, () => {});\n`,
    });
    expect(r.port).toMatchObject({ value: 4000, reads_env: true, env_name: 'PORT' });
  });

  it('follows destructured config and a parseInt(process.env.PORT ?? "3000", 10) fallback', () => {
    const r = analyze({
      'package.json': express,
      'src/env.ts': `export const settings = { http: { port: parseInt(process.env.PORT ?? '3000', 10) } };\n`,
      'src/main.ts': `import { settings } from './env';\nimport express from 'express';\nconst { port } = settings.http;\nexpress().listen(port);\n`,
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', default: 3000 });
  });

  it("follows express-generator's normalizePort and app.set('port')", () => {
    const r = analyze({
      'package.json': express,
      'bin/www.js': `var app = require('../app');\nvar http = require('http');\nvar port = normalizePort(process.env.PORT || '3000');\napp.set('port', port);\nvar server = http.createServer(app);\nserver.listen(app.get('port'));\nfunction normalizePort(val) { var port = parseInt(val, 10); if (isNaN(port)) return val; if (port >= 0) return port; return false; }\n`,
      'app.js': `var express = require('express');\nmodule.exports = express();\n`,
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT' });
  });

  it('reads a default from an envalid schema', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'envalid']),
      'src/env.ts': `import { cleanEnv, port, str } from 'envalid';\nexport const env = cleanEnv(process.env, { PORT: port({ default: 5050 }), NODE_ENV: str() });\n`,
      'src/index.ts': `import express from 'express';\nimport { env } from './env';\nexpress().listen(env.PORT);\n`,
    });
    expect(r.port).toMatchObject({ value: 5050, reads_env: true, env_name: 'PORT', default: 5050 });
  });

  it('reads Joi-validated env (validate(process.env) → { value }) with its .default()', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'joi']),
      'src/config/config.js': `const Joi = require('joi');\nconst envVarsSchema = Joi.object()\n  .keys({ NODE_ENV: Joi.string().required(), PORT: Joi.number().default(3000), MONGODB_URL: Joi.string().required() })\n  .unknown();\nconst { value: envVars, error } = envVarsSchema.prefs({ errors: { label: 'key' } }).validate(process.env);\nmodule.exports = { env: envVars.NODE_ENV, port: envVars.PORT, mongoose: { url: envVars.MONGODB_URL } };\n`,
      'src/index.js': `const app = require('./app');\nconst config = require('./config/config');\nconst server = app.listen(config.port, () => {});\n`,
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', default: 3000 });
  });

  it('reads zod-parsed env from another module with its .default()', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'zod']),
      'src/env.ts': `import { z } from 'zod';\nconst schema = z.object({ PORT: z.coerce.number().default(7070), DATABASE_URL: z.string().url() });\nexport const env = schema.parse(process.env);\n`,
      'src/index.ts': `import express from 'express';\nimport { env } from './env';\nexpress().listen(env.PORT);\n`,
    });
    expect(r.port).toMatchObject({ value: 7070, reads_env: true, env_name: 'PORT', default: 7070 });
  });

  it('reads fields of an env class instance (export default new Environment()) and ignores history.listen(cb)', () => {
    const r = analyze({
      'package.json': pkgJson(['koa']),
      'server/env.ts': `const environment = process.env;\nexport class Environment {\n  public PORT = this.toOptionalNumber(environment.PORT) ?? 3000;\n  private toOptionalNumber(v?: string) { return v ? parseInt(v, 10) : undefined; }\n}\nexport default new Environment();\n`,
      'server/main.ts': `import http from 'node:http';\nimport env from './env';\nconst normalizedPort = getArg('port', 'p') || env.PORT;\nconst server = http.createServer(app.callback());\nserver.listen(normalizedPort);\n`,
      'app/history.ts': `import { createMemoryHistory } from 'history';\nconst h = createMemoryHistory();\nh.listen((loc) => console.log(loc));\n`,
    }, { framework: 'koa' });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', default: 3000 });
    expect(r.port.evidence[0]?.file).toBe('server/main.ts');
  });

  it('follows configuration a class keeps on the instance (`this.config.port = …` set before listen)', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'backend/server.ts': [
        "import express from 'express';",
        "import http from 'node:http';",
        'export class DockgeServer {',
        '  config = {} as { port?: number; hostname?: string };',
        '  httpServer = http.createServer(express());',
        '  constructor(args: { port?: number; hostname?: string }) {',
        '    this.config.port = args.port || Number(process.env.DOCKGE_PORT) || 5001;',
        '    this.config.hostname = args.hostname || process.env.DOCKGE_HOSTNAME || undefined;',
        '  }',
        '  serve() {',
        '    this.httpServer.listen(this.config.port, this.config.hostname, () => console.log(`Listening on ${this.config.port}`));',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(r.port).toMatchObject({ value: 5001, reads_env: true, env_name: 'DOCKGE_PORT', default: 5001 });
  });

  it('fails a hard-coded port', () => {
    const r = analyze({ 'package.json': express, 'server.js': `const app = require('express')();\napp.listen(8080);\n` });
    expect(r.port).toMatchObject({ value: 8080, reads_env: false, source: 'code' });
    expect(findingOf(r, 'reads-port')).toMatchObject({ status: 'fail' });
    expect(findingOf(r, 'reads-port')?.fix).toContain('process.env.PORT');
  });

  it('prefers the entrypoint listener over a metrics server in another file', () => {
    const r = analyze(
      {
        'package.json': express,
        'src/metrics.js': `const http = require('http');\nhttp.createServer(() => {}).listen(9464);\n`,
        'src/server.js': `const app = require('express')();\napp.listen(process.env.PORT || 3000);\n`,
      },
      { entrypoint: 'dist/server.js' },
    );
    expect(r.port.value).toBe(3000);
    expect(r.port.evidence[0]?.file).toBe('src/server.js');
  });

  it('reads Nest app.listen(process.env.PORT ?? 3000) with no host', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['@nestjs/core']),
        'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n`,
      },
      { framework: 'nestjs' },
    );
    expect(r.port).toMatchObject({ value: 3000, reads_env: true });
    expect(r.bind).toMatchObject({ host: null, all_interfaces: true });
  });

  it('reads Hono serve({ fetch, port, hostname })', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['hono', '@hono/node-server']),
        'src/index.ts': `import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nconst app = new Hono();\nconst port = Number(process.env.PORT) || 8787;\nserve({ fetch: app.fetch, port, hostname: '0.0.0.0' });\n`,
      },
      { framework: 'hono' },
    );
    expect(r.port).toMatchObject({ value: 8787, reads_env: true, env_name: 'PORT' });
    expect(r.bind).toMatchObject({ host: '0.0.0.0', all_interfaces: true });
  });

  it('reads a Bun default export { fetch } as a server on PORT (default 3000)', () => {
    const r = analyze({ 'package.json': pkgJson(['hono']), 'src/index.ts': `import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/healthz', (c) => c.text('ok'));\nexport default { fetch: app.fetch };\n` }, { framework: 'hono', startCommand: 'bun run src/index.ts', entrypoint: 'src/index.ts' });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', source: 'code' });
  });

  it('reads a Hono app exported as the default (openstatus screenshot-service), or a named { port, fetch }, under Bun', () => {
    const hono = analyze({ 'package.json': pkgJson(['hono']), 'src/index.ts': `import { Hono } from 'hono';
const app = new Hono();
app.get('/ping', (c) => c.text('pong'));
export default app;
` }, { framework: 'hono', startCommand: 'NODE_ENV=production bun run src/index.ts', entrypoint: 'src/index.ts' });
    expect(hono.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', source: 'code', evidence: [{ file: 'src/index.ts', line: 2 }] });
    const named = analyze({ 'package.json': pkgJson(['hono']), 'src/index.ts': `import { Hono } from 'hono';
const app = new Hono();
const server = { port: 8080, fetch: app.fetch };
export default server;
` }, { framework: 'hono', startCommand: 'bun src/index.ts', entrypoint: 'src/index.ts' });
    expect(named.port).toMatchObject({ value: 8080, reads_env: false });
    // Under Node, a default export serves nothing.
    const node = analyze({ 'package.json': pkgJson(['hono']), 'src/index.ts': `import { Hono } from 'hono';
export default new Hono();
` }, { framework: 'hono', startCommand: 'node dist/index.js', entrypoint: 'src/index.ts' });
    expect(node.port.source).not.toBe('code');
  });

  it('reads hapi Hapi.server({ port, host }) built in another file', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['@hapi/hapi']),
        'lib/server.js': `const Hapi = require('@hapi/hapi');\nexports.init = async () => {\n  const server = Hapi.server({ port: process.env.PORT || 3000, host: 'localhost' });\n  return server;\n};\n`,
        'lib/start.js': `const { init } = require('./server');\ninit().then((s) => s.start());\n`,
      },
      { framework: 'hapi' },
    );
    expect(r.port).toMatchObject({ value: 3000, reads_env: true });
    expect(r.bind).toMatchObject({ host: 'localhost', all_interfaces: false });
    expect(status(r, 'bind-all-interfaces')).toBe('fail');
  });
});

describe('bind address', () => {
  it("fails fastify.listen({ port }) without host: Fastify binds localhost by default", () => {
    const r = analyze(
      {
        'package.json': pkgJson(['fastify']),
        'src/server.js': `import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nawait app.listen({ port: Number(process.env.PORT) || 3000 });\n`,
      },
      { framework: 'fastify' },
    );
    expect(r.bind).toMatchObject({ host: 'localhost', all_interfaces: false });
    const f = findingOf(r, 'bind-all-interfaces');
    expect(f?.status).toBe('fail');
    expect(f?.fix).toContain("host: '0.0.0.0'");
    expect(f?.evidence[0]?.rule).toBe('fastify-default-host');
  });

  it('fails a Nest app on the FastifyAdapter that gives no host, and passes one that does', () => {
    const main = (listen: string, adapter = 'new FastifyAdapter({ logger: true })') => ({
      'package.json': pkgJson(['@nestjs/core', '@nestjs/platform-fastify']),
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        `  const adapter = ${adapter};`,
        '  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter);',
        `  await app.listen(${listen});`,
        '}',
        'bootstrap();',
        '',
      ].join('\n'),
    });
    const r = analyze(main('process.env.PORT ?? 3000'), { framework: 'nestjs' });
    expect(r.bind).toMatchObject({ host: 'localhost', all_interfaces: false });
    expect(findingOf(r, 'bind-all-interfaces')).toMatchObject({ status: 'fail', fix: expect.stringContaining("app.listen(port, '0.0.0.0')") });
    expect(analyze(main("process.env.PORT ?? 3000, '0.0.0.0'"), { framework: 'nestjs' }).bind.all_interfaces).toBe(true);
    // On Express (Nest's default adapter) no host means every interface.
    expect(analyze(main('3000', "new (require('@nestjs/platform-express').ExpressAdapter)()"), { framework: 'nestjs' }).bind.all_interfaces).toBe(true);
  });

  it("passes fastify.listen({ port, host: '0.0.0.0' }) on an instance from require('fastify')()", () => {
    const r = analyze(
      {
        'package.json': pkgJson(['fastify']),
        'index.js': `const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: process.env.PORT || 3000, host: '0.0.0.0' });\n`,
      },
      { framework: 'fastify' },
    );
    expect(r.bind).toMatchObject({ host: '0.0.0.0', all_interfaces: true });
    expect(status(r, 'bind-all-interfaces')).toBe('pass');
  });

  it('takes the HOST env default: process.env.HOST || "127.0.0.1" binds loopback', () => {
    const r = analyze({
      'package.json': express,
      'server.js': `const http = require('node:http');\nconst host = process.env.HOST || '127.0.0.1';\nhttp.createServer((q, s) => s.end()).listen(process.env.PORT || 3000, host);\n`,
    });
    expect(r.bind).toMatchObject({ host: '127.0.0.1', all_interfaces: false, env_name: 'HOST' });
    // The deployment sets HOST=0.0.0.0 (bind-env.ts): a warning, not a launch blocker.
    expect(findingOf(r, 'bind-all-interfaces')).toMatchObject({ status: 'warn', message: expect.stringContaining('HOST=0.0.0.0') });
  });

  it('a host handed over by a config service, beside a bind-address variable that defaults to loopback, binds that variable', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', 'zod']),
      'src/app.config.ts': [
        "import z from 'zod';",
        "const schema = z.object({ backendPort: z.number().default(3000), backendBindIp: z.string().ip().default('127.0.0.1') });",
        'export default () => schema.parse({ backendPort: Number(process.env.HD_BACKEND_PORT), backendBindIp: process.env.HD_BACKEND_BIND_IP });',
        '',
      ].join('\n'),
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        "  const appConfig = app.get(ConfigService).get('appConfig');",
        '  await app.listen(appConfig.backendPort, appConfig.backendBindIp);',
        '}',
        'bootstrap();',
        '',
      ].join('\n'),
    }, { framework: 'nestjs', entrypoint: 'src/main.ts' });
    expect(r.bind).toMatchObject({ host: '127.0.0.1', all_interfaces: false, env_name: 'HD_BACKEND_BIND_IP' });
    expect(findingOf(r, 'bind-all-interfaces')?.status).toBe('warn');
    // Cloud Foundry's bind variable, read by a config object the listener gets as a parameter (mongo-express).
    const cf = analyze({
      'package.json': express,
      'config.default.js': "module.exports = { site: { host: process.env.VCAP_APP_HOST || 'localhost', port: process.env.PORT || 8081 } };\n",
      'app.js': "const app = require('express')();\nasync function bootstrap(config) {\n  app.listen(config.site.port, config.site.host);\n}\nbootstrap(require('./config.default'));\n",
    });
    expect(cf.bind).toMatchObject({ host: 'localhost', all_interfaces: false, env_name: 'VCAP_APP_HOST' });
    // A listener with no host at all listens everywhere, whatever variables exist.
    const open = analyze({ 'package.json': express, 'server.js': "const HOST = process.env.HOST || 'localhost';\nrequire('express')().listen(3000);\nconsole.log(HOST);\n" });
    expect(open.bind).toMatchObject({ all_interfaces: true });
  });

  it('treats :: and 0.0.0.0 as all interfaces and a numeric second argument as backlog', () => {
    const a = analyze({ 'package.json': express, 's.js': `require('express')().listen(3000, '::');\n` });
    expect(a.bind).toMatchObject({ host: '::', all_interfaces: true });
    const b = analyze({ 'package.json': express, 's.js': `require('http').createServer().listen(process.env.PORT, 511);\n` });
    expect(b.bind).toMatchObject({ host: null, all_interfaces: true });
  });
});

describe('build output with no source in the repository', () => {
  it('reads the output directory of the entrypoint as the source (a published package, a committed dist/)', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['express']),
        'build/app.js': `import express from 'express';\nimport { config } from './src/config.js';\nconst app = express();\napp.get('/health', (_q, s) => s.send('ok'));\napp.listen(config.port);\n`,
        'build/src/config.js': `export const config = { port: Number(process.env.PORT ?? 5006) };\n`,
      },
      { entrypoint: 'build/app.js' },
    );
    expect(r.port).toMatchObject({ value: 5006, reads_env: true, env_name: 'PORT' });
    expect(r.health.paths).toEqual(['/health']);
    expect(r.env_vars.map((e) => e.name)).toContain('PORT');
  });

  it('leaves build output alone when the entrypoint maps back to a source file', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['express']),
        'src/server.ts': `import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 3000));\n`,
        'dist/server.js': `require('express')().listen(process.env.DIST_ONLY_PORT || 4000);\n`,
      },
      { entrypoint: 'dist/server.js' },
    );
    expect(r.port).toMatchObject({ value: 3000, env_name: 'PORT' });
    expect(r.env_vars.map((e) => e.name)).not.toContain('DIST_ONLY_PORT');
  });
});

describe('port from a PORT default when listen() cannot be followed', () => {
  // Node-RED's shape: settings are loaded from a path chosen at runtime, and settings.js asks for PORT.
  const files = {
    'package.json': pkgJson(['express']),
    'red.js': `const http = require('http');\nconst settings = require(process.env.SETTINGS_FILE || './settings');\nconst server = http.createServer(require('express')());\nserver.listen(settings.uiPort, () => console.log('started'));\n`,
    'settings.js': `module.exports = {\n  uiPort: process.env.PORT || 1880,\n};\n`,
  };

  it('takes PORT and its default, with the read as evidence', () => {
    const r = analyze(files, { entrypoint: 'red.js' });
    expect(r.port).toMatchObject({ value: 1880, reads_env: true, env_name: 'PORT', default: 1880, source: 'code' });
    expect(r.port.evidence[0]).toMatchObject({ file: 'settings.js', line: 2, rule: 'port-env-default' });
    expect(status(r, 'reads-port')).toBe('pass');
  });

  it('reads a conditional default too (`process.env.PORT ? process.env.PORT : 5006`, a config schema)', () => {
    const r = analyze({ ...files, 'settings.js': `module.exports = {\n  uiPort: { default: process.env.PORT ? process.env.PORT : 5006, env: 'ACTUAL_PORT' },\n};\n` }, { entrypoint: 'red.js' });
    expect(r.port).toMatchObject({ value: 5006, reads_env: true, env_name: 'PORT', default: 5006 });
    expect(r.env_vars.find((e) => e.name === 'PORT')).toMatchObject({ default: '5006', required: false });
  });

  it('ignores other variables and non-numeric defaults', () => {
    const r = analyze({ ...files, 'settings.js': `module.exports = { uiPort: process.env.UI_PORT || 1880, host: process.env.PORT || 'auto' };\n` }, { entrypoint: 'red.js' });
    expect(r.port.value).toBeNull();
    expect(status(r, 'reads-port')).toBe('warn');
  });
});

describe('port read through a validated config', () => {
  const t3 = (def: number) => ({
    'package.json': pkgJson(['express', 'zod', '@t3-oss/env-core']),
    'src/env.ts': `import { createEnv } from '@t3-oss/env-core';\nimport { z } from 'zod';\nexport const env = createEnv({\n  server: { PORT: z.coerce.number().default(${def}), DATABASE_URL: z.string().url() },\n  runtimeEnv: process.env,\n});\n`,
    'src/server.ts': "import express from 'express';\nimport { env } from './env';\nexpress().listen(env.PORT);\n",
  });

  it.each(['tiered', 'ast'] as const)("takes the schema's default, not a guess (%s)", (mode) => {
    const r = analyzeIn(t3(5000), mode);
    expect(r.port).toMatchObject({ value: 5000, reads_env: true, env_name: 'PORT', default: 5000, source: 'code' });
    expect(r.port.evidence.map((e) => e.rule)).toEqual(['listen-port', 'port-env-var-default']);
    expect(findingOf(r, 'reads-port')?.message).toBe('Reads its port from PORT (default 5000).');
    expect(findingOf(r, 'privileged-port')).toBeUndefined();
  });

  it('warns of a privileged default, and leaves a default an example file may have given alone', () => {
    expect(findingOf(analyze(t3(80)), 'privileged-port')?.status).toBe('warn');
    const listed = analyze({ ...t3(5000), '.env.example': 'PORT=5000\nDATABASE_URL=\n' });
    expect(listed.port).toMatchObject({ env_name: 'PORT', default: null });
    // Another read's fallback is no default of the server's (sharetribe: a dev script's `process.env.PORT || 3000`).
    const devScript = analyze({
      'package.json': pkgJson(['express']),
      'server/index.js': "const PORT = parseInt(process.env.PORT, 10);\nrequire('express')().listen(PORT);\n",
      'scripts/start.js': 'const DEFAULT_PORT = parseInt(process.env.PORT, 10) || 4000;\nconsole.log(DEFAULT_PORT);\n',
    });
    expect(devScript.port).toMatchObject({ env_name: 'PORT', default: null });
  });
});

describe("a bind address a config object hands over", () => {
  it("binds the variable's default through a maybe… helper, and the image sets it (feed-generator's maybeStr(FEEDGEN_LISTENHOST) ?? 'localhost')", () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'src/index.ts': "import { Server } from './server';\nconst maybeStr = (v?: string) => (v === undefined ? undefined : v);\nconst maybeInt = (v?: string) => (v === undefined ? undefined : parseInt(v, 10));\nServer.create({ port: maybeInt(process.env.FEEDGEN_PORT) ?? 3000, listenhost: maybeStr(process.env.FEEDGEN_LISTENHOST) ?? 'localhost' }).start();\n",
      'src/server.ts': "import express from 'express';\nexport class Server {\n  static create(cfg) { return new Server(cfg); }\n  constructor(cfg) { this.cfg = cfg; this.app = express(); }\n  start() { this.app.listen(this.cfg.port, this.cfg.listenhost); }\n}\n",
    }, { framework: 'express', entrypoint: 'src/index.ts' });
    expect(r.bind).toMatchObject({ host: 'localhost', all_interfaces: false, env_name: 'FEEDGEN_LISTENHOST' });
    expect(r.env_vars.find((v) => v.name === 'FEEDGEN_PORT')?.default).toBe('3000');
  });
});

describe('which listener is the service', () => {
  it("a server's own .tsx file listens (lemmy-ui's src/server/index.tsx); a component's does not", () => {
    const r = analyze({ 'package.json': pkgJson(['express', 'inferno']), 'src/server/index.tsx': "import express from 'express';\nconst server = express();\nserver.get('/', (req, res) => res.send(<App />));\nserver.listen(Number(process.env.PORT) || 1234, '0.0.0.0');\n", 'src/shared/socket.tsx': 'export const C = () => { ws.listen(9999); return <div />; };\n' }, { framework: 'express' });
    expect(r.port).toMatchObject({ value: 1234, reads_env: true, env_name: 'PORT', evidence: [expect.objectContaining({ file: 'src/server/index.tsx', rule: 'listen-port' })] });
  });

  it("a listener in a file the entrypoint never loads ranks below one it loads (leon's dead old-server.js)", () => {
    const r = analyze({
      'package.json': pkgJson(['fastify']),
      'src/index.js': "require('./core/http');\n",
      'src/core/http.js': "const fastify = require('fastify')();\nfastify.listen({ port: Number(process.env.LEON_PORT) || 1337, host: '0.0.0.0' });\n",
      'src/core/server.js': "const server = require('fastify')();\nserver.listen(process.env.PORT || 1337, 'localhost');\n",
    }, { framework: 'fastify', entrypoint: 'src/index.js' });
    expect(r.port.evidence[0]).toMatchObject({ file: 'src/core/http.js' });
    expect(r.bind).toMatchObject({ all_interfaces: true });
  });

  it("a queue worker's own listener ranks below the API's (firecrawl's src/services/queue-worker.ts)", () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'src/services/queue-worker.ts': "import express from 'express';\nexpress().listen(Number(process.env.WORKER_PORT || process.env.PORT || 3005), '0.0.0.0');\n",
      'src/services/web.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 3002), process.env.HOST ?? 'localhost');\n",
    }, { framework: 'express' });
    expect(r.port).toMatchObject({ value: 3002, env_name: 'PORT' });
  });

  it("an HTTPS listener on a port of its own ranks below the plain one (Silex's SslPlugin on SILEX_SSL_PORT)", () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'server/plugins/SslPlugin.ts': "import https from 'node:https';\nexport function ssl(app, key, cert) {\n  https.createServer({ key, cert }, app).listen(process.env.SILEX_SSL_PORT || 443);\n}\n",
      'server/web.ts': "import express from 'express';\nconst app = express();\napp.listen(process.env.SILEX_PORT || 6805);\n",
    }, { framework: 'express' });
    expect(r.port).toMatchObject({ value: 6805, env_name: 'SILEX_PORT' });
  });
});

describe('port without a listen() call', () => {
  it('uses -p from the start script', () => {
    const r = analyze({ 'package.json': pkgJson(['next']), 'app/page.tsx': `export default function Page() { return null; }\n` }, { framework: 'nextjs', startCommand: 'next start -p 4000' });
    expect(r.port).toMatchObject({ value: 4000, reads_env: false, source: 'script-flag' });
  });

  it('resolves `npm start` to scripts.start and reads --port ${PORT:-3000}', () => {
    const r = analyze({ 'package.json': pkgJson(['next']) }, { framework: 'nextjs', startCommand: 'npm start', scripts: { start: 'next start --port ${PORT:-3001}' } });
    expect(r.port).toMatchObject({ value: 3001, reads_env: true, env_name: 'PORT', default: 3001, source: 'script-flag' });
  });

  it("takes the port a start script hands the program (peerjs-server's `--port ${PORT:=9000}`) over the literal its listen() ends at", () => {
    const files = { 'package.json': pkgJson(['express']), 'src/index.js': `const opts = { port: 9000, ...parse(process.argv) };\nrequire('http').createServer().listen(9000);\n` };
    const r = analyze(files, { framework: 'node-http', entrypoint: 'src/index.js', startCommand: 'npm start', scripts: { start: 'node src/index.js --port ${PORT:=9000}' } });
    expect(r.port).toMatchObject({ value: 9000, reads_env: true, env_name: 'PORT', default: 9000, source: 'script-flag' });
    expect(r.findings.find((f) => f.id === 'reads-port')?.status).toBe('pass');
    // A literal flag changes nothing the code does not already say.
    const lit = analyze(files, { framework: 'node-http', entrypoint: 'src/index.js', startCommand: 'node src/index.js --port 9000' });
    expect(lit.port).toMatchObject({ value: 9000, reads_env: false, source: 'code' });
  });

  it('fails `next start -H localhost`', () => {
    const r = analyze({ 'package.json': pkgJson(['next']) }, { framework: 'nextjs', startCommand: 'next start -H localhost' });
    expect(r.bind).toMatchObject({ host: 'localhost', all_interfaces: false });
  });

  it('uses framework defaults: Next 3000 via PORT, Astro 4321 on localhost', () => {
    const next = analyze({ 'package.json': pkgJson(['next']) }, { framework: 'nextjs', startCommand: 'next start' });
    expect(next.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT', source: 'framework-default' });
    expect(next.bind.all_interfaces).toBe(true);
    const astro = analyze({ 'package.json': pkgJson(['astro', '@astrojs/node']), 'astro.config.mjs': `import { defineConfig } from 'astro/config';\nexport default defineConfig({ output: 'server' });\n` }, { framework: 'astro' });
    expect(astro.port).toMatchObject({ value: 4321, source: 'framework-default' });
    expect(astro.bind).toMatchObject({ host: 'localhost', all_interfaces: false });
    const astroHost = analyze({ 'package.json': pkgJson(['astro']), 'astro.config.mjs': `import { defineConfig } from 'astro/config';\nexport default defineConfig({ server: { host: true } });\n` }, { framework: 'astro' });
    expect(astroHost.bind.all_interfaces).toBe(true);
  });

  it('uses Dockerfile EXPOSE before having nothing, and warns', () => {
    const r = analyze({ 'package.json': express, 'src/index.js': `console.log('no server here');\n` }, { dockerfileExpose: { ports: [7000], evidence: [{ file: 'Dockerfile', line: 4, rule: 'dockerfile-expose', snippet: 'EXPOSE 7000' }] } });
    expect(r.port).toMatchObject({ value: 7000, source: 'dockerfile', evidence: [{ file: 'Dockerfile', line: 4 }] });
    expect(status(r, 'reads-port')).toBe('warn');
  });

  it('reports no port for an Express app without listen(): null with a warning', () => {
    const r = analyze({ 'package.json': express, 'src/app.js': `const express = require('express');\nmodule.exports = express();\n` });
    expect(r.port.value).toBeNull();
    expect(status(r, 'reads-port')).toBe('warn');
  });

  it('serves Vite/CRA static builds on 8080', () => {
    const r = analyze({ 'package.json': pkgJson(['vite']), 'src/main.tsx': `import React from 'react';\n` }, { framework: 'vite' });
    expect(r.port).toMatchObject({ value: 8080, source: 'static-server' });
    expect(status(r, 'reads-port')).toBe('pass');
  });
});

describe('startFlags', () => {
  it('parses PORT=, --port=, -p and --host forms', () => {
    expect(startFlags('PORT=5000 node dist/index.js').port).toEqual({ k: 'num', v: 5000 });
    expect(startFlags('remix-serve build --port=4100').port).toEqual({ k: 'num', v: 4100 });
    expect(startFlags('vite preview --host').host).toEqual({ k: 'str', v: '0.0.0.0' });
    expect(startFlags('next start -p $PORT').port).toEqual({ k: 'env', name: 'PORT', fallback: null });
    expect(startFlags(null).port).toBeNull();
  });
});

describe('a port analysis cannot follow', () => {
  it('names the listen call it found instead of saying there is none', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'src/server.js': "const app = require('express')();\nconst settings = JSON.parse(require('fs').readFileSync('settings.json', 'utf8'));\napp.listen(settings.port);\n" });
    expect(r.port.value).toBeNull();
    const f = findingOf(r, 'reads-port');
    expect(f?.message).toMatch(/^No port found: the server listens at src\/server\.js:3, but its port comes from somewhere analysis cannot follow/);
    expect(f?.fix).toContain('sealos-deploy rehearse');
  });
});

describe('ports below 1024', () => {
  it('read from PORT: a warning, and the deployment runs the service on 8080; hard-coded: a failure', async () => {
    const { deployPort } = await import('../../../src/core/deploy-port.js');
    const env = analyze({ 'package.json': pkgJson(['express']), 'index.js': "require('express')().listen(process.env.PORT || 80);\n" });
    expect(env.port).toMatchObject({ value: 80, reads_env: true });
    expect(findingOf(env, 'privileged-port')).toMatchObject({ status: 'warn', message: expect.stringContaining('sets PORT=8080') });
    expect(deployPort({ config: null, port: env.port, dockerfile: null })).toBe(8080);
    expect(deployPort({ config: { path: '.sealos/config.json', port: 80 }, port: env.port, dockerfile: null })).toBe(80);
    const fixed = analyze({ 'package.json': pkgJson(['express']), 'index.js': "require('express')().listen(80);\n" });
    expect(findingOf(fixed, 'privileged-port')?.status).toBe('fail');
    expect(deployPort({ config: null, port: fixed.port, dockerfile: null })).toBe(80);
    const high = analyze({ 'package.json': pkgJson(['express']), 'index.js': "require('express')().listen(process.env.PORT || 3000);\n" });
    expect(findingOf(high, 'privileged-port')).toBeUndefined();
  });
});

describe('a server of the process’s own on an ephemeral port', () => {
  it('`listen(0, "127.0.0.1")` (an internal proxy) is neither the listener nor a localhost bind: the worker stays a worker', async () => {
    const { analyzeRepo } = await import('../../../src/core/analysis/index.js');
    const { memoryRepo } = await import('./memory-repo.js');
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'worker', scripts: { start: 'node index.js' }, dependencies: { bullmq: '^5' } }),
        'index.js': "const http = require('node:http');\nconst { Worker } = require('bullmq');\nnew Worker('q', async () => {});\nhttp.createServer((q, r) => r.end()).listen(0, '127.0.0.1');\n",
      }),
      { now: () => new Date(0) },
    );
    expect(a.kind).toBe('worker');
    expect(a.findings.find((f) => f.id === 'bind-all-interfaces')?.status).not.toBe('fail');
  });
});

describe('a port handed to the function that listens', () => {
  // anything-llm: `bootHTTP(app, process.env.SERVER_PORT || 3001)` calls `function bootHTTP(app, port = 3001) { app.listen(port) }`.
  const boot = [
    "const http = require('http');",
    'function bootHTTP(app, port = 3001) {',
    '  const server = http.createServer(app);',
    "  server.listen(port, () => console.log(`listening on ${port}`));",
    '  return server;',
    '}',
    'module.exports = { bootHTTP };',
    '',
  ].join('\n');

  it.each(['tiered', 'ast'] as const)('is what its callers pass (%s)', (mode) => {
    const files = {
      'package.json': express,
      'index.js': "const express = require('express');\nconst { bootHTTP } = require('./utils/boot');\nconst app = express();\nbootHTTP(app, process.env.SERVER_PORT || 3001);\n",
      'utils/boot/index.js': boot,
    };
    const r = analyzeSource(memoryContext(files), hints({ framework: 'express', entrypoint: 'index.js' }), mode);
    expect(r.port).toMatchObject({ value: 3001, reads_env: true, env_name: 'SERVER_PORT', default: 3001, source: 'code' });
  });

  it("is the parameter's default when no caller passes one", () => {
    const r = analyze({ 'package.json': express, 'index.js': "const { bootHTTP } = require('./boot');\nbootHTTP(require('express')());\n", 'boot.js': boot });
    expect(r.port).toMatchObject({ value: 3001, reads_env: false, source: 'code' });
  });
});

describe('listen calls that are subscriptions', () => {
  it('`history.listen(finishClose)` with a callback by name is not a server (jellyfin-web)', () => {
    const r = analyze({
      'package.json': pkgJson([]),
      'src/dialog.js': "import { history } from './router';\nfunction finishClose() { console.log('closed'); }\nexport const unlisten = history.listen(finishClose);\n",
      'src/router.js': 'export const history = { listen(cb) { return () => cb; } };\n',
    });
    expect(r.port.value).toBeNull();
    expect(r.port.evidence).toEqual([]);
  });
});

describe('JavaScript with Flow annotations', () => {
  it.each(['tiered', 'ast'] as const)('is read as typed code, not dropped as a syntax error (parse-server) (%s)', (mode) => {
    const files = {
      'package.json': express,
      'src/server.js': "// @flow\nimport express from 'express';\nimport type { Options } from './Options';\nfunction start(options: Options): void {\n  const app = express();\n  app.get('/health', (req, res) => res.json({ ok: true }));\n  app.listen(Number(process.env.PORT || 1337), '0.0.0.0');\n}\nstart({});\n",
    };
    const r = analyzeIn(files, mode);
    expect(r.port).toMatchObject({ value: 1337, env_name: 'PORT', evidence: [expect.objectContaining({ file: 'src/server.js', line: 7 })] });
    expect(r.health.paths).toEqual(['/health']);
  });
});

describe('a helper server under scripts/', () => {
  it("ranks below the service's own listener (cypress-realworld-app's scripts/testServer.ts beside backend/app.ts)", () => {
    const r = analyze({
      'package.json': express,
      'scripts/testServer.ts': "import express from 'express';\nconst app = express();\napp.listen(Number(process.env.PORT ?? 3000));\n",
      'backend/app.ts': "import express from 'express';\nimport { getBackendPort } from './port';\nconst app = express();\ngetBackendPort().then((port) => {\n  app.listen(port);\n});\n",
    });
    // Its port comes from a promise the analysis does not follow: unknown, and said so, rather than the helper's.
    expect(r.port.evidence[0]).toMatchObject({ file: 'backend/app.ts', line: 5 });
    expect(r.port.value).not.toBe(3000);
  });
});
