import { describe, expect, it } from 'vitest';
import { isHealthPath } from '../../../src/core/analysis/source/health.js';
import { fileRoutePath } from '../../../src/core/analysis/source/routes.js';
import { analyze, analyzeIn, findingOf, pkgJson, status } from './memory-repo.js';

describe('health routes', () => {
  it('finds an Express /healthz route and passes when the handler is cheap', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'app.js': `const app = require('express')();\napp.get('/healthz', (req, res) => res.json({ status: 'ok' }));\napp.get('/users', (req, res) => res.json([]));\n` });
    expect(r.health.paths).toEqual(['/healthz']);
    expect(r.health.routes[0]).toMatchObject({ path: '/healthz', method: 'GET', slow: false, reveals: [] });
    expect(r.health.routes[0]?.evidence[0]).toMatchObject({ file: 'app.js', line: 2 });
    expect(status(r, 'health-endpoint')).toBe('pass');
    expect(status(r, 'health-fast')).toBe('pass');
  });

  it.each(['tiered', 'ast'] as const)('applies the prefixes of a router another file exports by name and mounts on a mounted router (kutt /api/health, %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'server/routes/health.routes.js': `const { Router } = require('express');\nconst router = Router();\nrouter.get('/', (req, res) => res.send('OK'));\nmodule.exports = router;\n`,
      'server/routes/routes.js': `const { Router } = require('express');\nconst health = require('./health.routes');\nconst apiRouter = Router();\napiRouter.use('/health', health);\nmodule.exports = { api: apiRouter };\n`,
      'server/routes/index.js': `module.exports = require('./routes');\n`,
      'server/server.js': `const express = require('express');\nconst routes = require('./routes');\nconst app = express();\napp.use('/api', routes.api);\napp.get('/:id', (req, res) => res.redirect('/'));\napp.listen(process.env.PORT || 3000);\n`,
    }, mode);
    expect(r.health.paths).toEqual(['/api/health']);
  });

  it.each(['tiered', 'ast'] as const)('reads a path joined to a base path setting the deployment leaves unset (kener `base + "/healthcheck"`, %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'main.js': `const express = require('express');\nconst base = process.env.KENER_BASE_PATH || '';\nconst root = process.env.ROOT;\nconst app = express();\napp.get(base + '/healthcheck', (req, res) => res.json({ ok: true }));\napp.get(\`\${base}/livez\`, (req, res) => res.send('ok'));\napp.get(root + '/readyz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n`,
    }, mode);
    // ROOT has no fallback: `undefined/readyz` is no path the deployment serves.
    expect(r.health.paths).toEqual(['/healthcheck', '/livez']);
  });

  it.each(['tiered', 'ast'] as const)("applies koa-mount's prefix to what an imported function builds, and to the routes it hands its routers to (logto /api/status, %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['koa', 'koa-mount', 'koa-router']),
      'src/routes/status.js': "export default function statusRoutes(router) {\n  router.get('/status', async (ctx) => { ctx.status = 204; });\n}\n",
      'src/routes/well-known.js': "export default function wellKnownRoutes(router) {\n  router.get('/openid-configuration', async (ctx) => { ctx.body = {}; });\n}\n",
      'src/routes/init.js': "import Koa from 'koa';\nimport Router from 'koa-router';\nimport statusRoutes from './status.js';\nimport wellKnownRoutes from './well-known.js';\nconst createRouters = () => {\n  const anonymous = new Router();\n  statusRoutes(anonymous);\n  return [anonymous];\n};\nexport default function initApis() {\n  const app = new Koa();\n  for (const r of createRouters()) app.use(r.routes());\n  return app;\n}\nexport function initWellKnown() {\n  const app = new Koa();\n  const router = new Router();\n  wellKnownRoutes(router);\n  app.use(router.routes());\n  return app;\n}\n",
      'src/main.js': "import Koa from 'koa';\nimport mount from 'koa-mount';\nimport initApis, { initWellKnown } from './routes/init.js';\nconst app = new Koa();\napp.use(mount('/.well-known', initWellKnown()));\napp.use(mount('/api', initApis()));\napp.listen(process.env.PORT || 3001);\n",
    }, mode);
    expect(r.health.paths).toEqual(['/api/status']);
  });

  it.each(['tiered', 'ast'] as const)("finds routes on the instance of a plugin registered inline, with its prefix (openpanel's instance.get('/healthcheck'); %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['fastify']),
      'app.js': "const Fastify = require('fastify');\nconst fastify = Fastify({ logger: true });\nfastify.register(async (instance) => {\n  instance.get('/healthcheck', async () => ({ ok: true }));\n});\nfastify.register(async (api) => {\n  api.get('/health', async () => 'ok');\n}, { prefix: '/v1' });\nfastify.listen({ port: Number(process.env.PORT) || 3000, host: '0.0.0.0' });\n",
    }, mode);
    expect([...r.health.paths].sort()).toEqual(['/healthcheck', '/v1/health']);
  });

  it('applies the mount prefix of a router defined in another file', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'src/routes/health.js': `import { Router } from 'express';\nconst router = Router();\nrouter.get('/health', (_req, res) => res.send('ok'));\nexport default router;\n`,
      'src/app.js': `import express from 'express';\nimport health from './routes/health.js';\nconst app = express();\napp.use('/api', health);\n`,
    });
    expect(r.health.paths).toEqual(['/api/health']);
  });

  it.each(['tiered', 'ast'] as const)('applies the prefix of a mounted router handed to a registration function (anything-llm /api/ping, %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'endpoints/system.js': `function systemEndpoints(app) {\n  if (!app) return;\n  app.get('/ping', (_, response) => {\n    response.status(200).json({ online: true });\n  });\n}\nmodule.exports = { systemEndpoints };\n`,
      'endpoints/probe.js': `function probeEndpoints(app) {\n  app.get('/healthz', (_req, res) => res.sendStatus(200));\n}\nmodule.exports = { probeEndpoints };\n`,
      'index.js': `const express = require('express');\nconst { systemEndpoints } = require('./endpoints/system');\nconst { probeEndpoints } = require('./endpoints/probe');\nconst app = express();\nconst apiRouter = express.Router();\napp.use('/api', apiRouter);\nsystemEndpoints(apiRouter);\nprobeEndpoints(app);\napp.listen(process.env.PORT || 3001);\n`,
    }, mode);
    expect([...r.health.paths].sort()).toEqual(['/api/ping', '/healthz']);
  });

  it("takes the health route a platform's server registers itself (Strapi's /_health, Medusa's /health)", () => {
    const strapi = analyze({ 'package.json': pkgJson(['@strapi/strapi']), 'config/server.js': "module.exports = ({ env }) => ({ host: env('HOST', '0.0.0.0'), port: env.int('PORT', 1337) });\n" }, { framework: 'strapi' });
    expect(strapi.health.paths).toEqual(['/_health']);
    expect(strapi.health.routes[0]?.evidence[0]).toMatchObject({ rule: 'strapi-health-route' });
    expect(analyze({ 'package.json': pkgJson(['@medusajs/medusa']), 'medusa-config.ts': 'export default {};\n' }, { framework: 'medusa' }).health.paths).toEqual(['/health']);
  });

  it('reads fastify.route({ url }) and hapi server.route({ path })', () => {
    const f = analyze({ 'package.json': pkgJson(['fastify']), 's.js': `const app = require('fastify')();\napp.route({ method: 'GET', url: '/readyz', handler: async () => ({ ok: true }) });\n` }, { framework: 'fastify' });
    expect(f.health.paths).toEqual(['/readyz']);
    const h = analyze({ 'package.json': pkgJson(['@hapi/hapi']), 's.js': `const Hapi = require('@hapi/hapi');\nconst server = Hapi.server({ port: 3000 });\nserver.route([{ method: 'GET', path: '/ping', handler: () => 'pong' }]);\n` }, { framework: 'hapi' });
    expect(h.health.paths).toEqual(['/ping']);
  });

  it('takes a path-scoped use() whose function has no next for a route (parse-server /health), not a middleware', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'app.js': "const express = require('express');\nconst api = express();\napi.use('/health', function (req, res) {\n  res.json({ status: 'ok' });\n});\napi.use('/ready', (req, res, next) => next());\n",
    });
    expect(r.health.paths).toEqual(['/health']);
    expect(r.health.routes[0]).toMatchObject({ method: 'GET', evidence: [expect.objectContaining({ file: 'app.js', line: 3 })] });
  });

  it.each(['tiered', 'ast'] as const)('reads inversify-express-utils and routing-controllers controllers (%s)', (mode) => {
    const files = {
      'package.json': pkgJson(['express', 'inversify-express-utils', 'routing-controllers']),
      'src/HealthCheckController.ts': "import { controller, httpGet } from 'inversify-express-utils'\n@controller('/healthcheck')\nexport class HealthCheckController {\n  @httpGet('/')\n  public async get(): Promise<string> {\n    return 'OK'\n  }\n}\n",
      'src/StatusController.ts': "import { JsonController, Get } from 'routing-controllers'\n@JsonController('/status')\nexport class StatusController {\n  @Get('/')\n  status() { return { ok: true } }\n}\n",
    };
    const r = analyzeIn(files, mode);
    expect([...r.health.paths].sort()).toEqual(['/healthcheck', '/status']);
    expect(r.health.routes.find((x) => x.path === '/healthcheck')).toMatchObject({ method: 'GET', slow: false, evidence: [expect.objectContaining({ file: 'src/HealthCheckController.ts', line: 4 })] });
  });

  it.each(['tiered', 'ast'] as const)('takes a Nest global prefix from a constant and URI versioning (ghostfolio /api/v1/health, Reactive-Resume /api/health; %s)', (mode) => {
    const controller = (extra = '') => `import { Controller, Get, Version, VERSION_NEUTRAL } from '@nestjs/common';\n@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return { ok: true }; }\n${extra}}\n`;
    const resume = analyzeIn({
      'package.json': pkgJson(['@nestjs/core']),
      'src/health.controller.ts': controller(),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  const globalPrefix = "api";\n  app.setGlobalPrefix(globalPrefix);\n  await app.listen(3000);\n}\nbootstrap();\n`,
    }, mode, { framework: 'nestjs' });
    expect(resume.health.paths).toEqual(['/api/health']);
    const ghostfolio = analyzeIn({
      'package.json': pkgJson(['@nestjs/core']),
      'src/health.controller.ts': controller(`  @Get('live')\n  @Version(VERSION_NEUTRAL)\n  live() { return 'ok'; }\n  @Get('ready')\n  @Version('2')\n  two() { return 'ok'; }\n`),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { VersioningType } from '@nestjs/common';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.enableVersioning({ defaultVersion: '1', type: VersioningType.URI });\n  app.setGlobalPrefix('api');\n  await app.listen(3333);\n}\nbootstrap();\n`,
    }, mode, { framework: 'nestjs' });
    expect([...ghostfolio.health.paths].sort()).toEqual(['/api/health/live', '/api/v1/health', '/api/v2/health/ready']);
  });

  it('reads Nest @Controller("health") + @Get() with the global prefix and its exclusions', () => {
    const files = {
      'package.json': pkgJson(['@nestjs/core', '@nestjs/terminus']),
      'src/health/health.controller.ts': `import { Controller, Get } from '@nestjs/common';\n@Controller('health')\nexport class HealthController {\n  constructor(private health: HealthCheckService, private db: TypeOrmHealthIndicator) {}\n  @Get()\n  check() { return this.health.check([() => this.db.pingCheck('database')]); }\n  @Get('live')\n  live() { return { ok: true }; }\n}\n`,
      'src/main.ts': `const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api', { exclude: ['health/live'] });\nawait app.listen(3000);\n`,
    };
    const r = analyze(files, { framework: 'nestjs' });
    expect(r.health.paths).toEqual(['/health/live', '/api/health']);
    expect(r.health.module).toBe('@nestjs/terminus');
    expect(r.health.routes.find((x) => x.path === '/api/health')?.slow).toBe(true);
    expect(r.health.routes.find((x) => x.path === '/health/live')?.slow).toBe(false);
    expect(status(r, 'health-fast')).toBe('warn');
  });

  it('reads Next app-router and pages API route files', () => {
    const app = analyze({ 'package.json': pkgJson(['next']), 'src/app/api/health/route.ts': `export async function GET() { return Response.json({ ok: true }); }\n` }, { framework: 'nextjs' });
    expect(app.health.paths).toEqual(['/api/health']);
    expect(app.health.routes[0]?.evidence[0]).toMatchObject({ file: 'src/app/api/health/route.ts', rule: 'health-route-file' });
    const pages = analyze({ 'package.json': pkgJson(['next']), 'pages/api/healthz.js': `export default function handler(req, res) { res.status(200).json({ ok: true }); }\n` }, { framework: 'nextjs' });
    expect(pages.health.paths).toEqual(['/api/healthz']);
  });

  it.each(['tiered', 'ast'] as const)("applies a chain's basePath to what it mounts (karakeep's new Hono().basePath('/api').use(auth).route('/', allApp); %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['hono', 'next']),
      'app/api/[[...route]]/route.ts': `import { Hono } from 'hono';\nimport { handle } from 'hono/vercel';\nimport allApp from '../../../api/index';\nconst app = new Hono().basePath('/api').use(auth).route('/', allApp);\nexport const GET = handle(app);\n`,
      'api/index.ts': `import { Hono } from 'hono';\nimport health from './health';\nconst app = new Hono().route('/health', health).route('/version', version);\nexport default app;\n`,
      'api/health.ts': `import { Hono } from 'hono';\nconst app = new Hono().get('/', (c) => c.json({ status: 'ok' }));\nexport default app;\n`,
      'api/chained.ts': `import { Hono } from 'hono';\nexport const direct = new Hono().basePath('/v2').get('/healthz', (c) => c.text('ok'));\n`,
    }, mode, { framework: 'nextjs' });
    expect([...r.health.paths].sort()).toEqual(['/api/health', '/v2/healthz']);
  });

  it('reads plain node:http URL comparisons and Hono / Koa-router prefixes', () => {
    const plain = analyze({ 'package.json': pkgJson([]), 'server.js': `require('http').createServer((req, res) => {\n  const url = new URL(req.url, 'http://x');\n  if (url.pathname === '/healthz' && req.method === 'GET') return res.end('ok');\n  res.end();\n}).listen(3000);\n` }, { framework: 'node-http' });
    expect(plain.health.paths).toEqual(['/healthz']);
    const hono = analyze({ 'package.json': pkgJson(['hono']), 'src/app.ts': `import { Hono } from 'hono';\nconst app = new Hono().basePath('/api');\napp.get('/livez', (c) => c.text('ok'));\nexport default app;\n` }, { framework: 'hono' });
    expect(hono.health.paths).toEqual(['/api/livez']);
    const koa = analyze({ 'package.json': pkgJson(['koa', '@koa/router']), 'src/r.js': `import Router from '@koa/router';\nconst router = new Router({ prefix: '/sys' });\nrouter.get('/status', (ctx) => { ctx.body = 'ok'; });\n` }, { framework: 'koa' });
    expect(koa.health.paths).toEqual(['/sys/status']);
  });

  it("leaves out a mock or maintenance server's health route under scripts/ (chat-ui's mock MCP server): probes would 404", () => {
    const files = {
      'package.json': pkgJson(['express']),
      'scripts/mock-server.mjs': `import http from 'node:http';\nhttp.createServer((req, res) => {\n  const url = new URL(req.url, 'http://x');\n  if (url.pathname === '/health') return res.end('ok');\n  res.end();\n}).listen(9999);\n`,
      'src/server.js': `const app = require('express')();\napp.get('/healthcheck', (req, res) => res.send('ok'));\napp.listen(3000);\n`,
    };
    expect(analyze(files, { framework: 'express', entrypoint: 'src/server.js' }).health.paths).toEqual(['/healthcheck']);
    // Started from scripts/, that server is the service.
    expect(analyze(files, { framework: 'node-http', entrypoint: 'scripts/mock-server.mjs' }).health.paths).toContain('/health');
    // So is one whose listener is there, bundled into what starts (kener: esbuild builds scripts/main.ts into build/main.js).
    const kener = { 'package.json': pkgJson(['express']), 'scripts/main.ts': "import express from 'express';\nconst app = express();\napp.get('/healthcheck', (req, res) => res.send('ok'));\napp.listen(Number(process.env.PORT) || 3000);\n", 'src/lib/util.ts': 'export const x = 1;\n' };
    expect(analyze(kener, { framework: 'express', entrypoint: 'build/main.js' }).health.paths).toEqual(['/healthcheck']);
  });

  it('takes /healthy (undb)', () => {
    expect(analyze({ 'package.json': pkgJson(['express']), 'src/app.js': "const app = require('express')();\napp.get('/healthy', (req, res) => res.json({ status: 'ok' }));\napp.listen(3000);\n" }, { framework: 'express' }).health.paths).toEqual(['/healthy']);
  });

  it('marks slow handlers: a pool.query in a helper the handler awaits, and fetch', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'pg']),
      'src/db.js': `import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n`,
      'src/app.js': `import express from 'express';\nimport { pool } from './db.js';\nconst app = express();\nasync function dbUp() { await pool.query('select 1'); return true; }\napp.get('/health', async (req, res) => { await dbUp(); res.send('ok'); });\napp.get('/ready', async (req, res) => { const r = await fetch('https://api.example.com'); res.sendStatus(r.ok ? 200 : 503); });\n`,
    });
    expect(r.health.routes.map((x) => [x.path, x.slow])).toEqual([
      ['/health', true],
      ['/ready', true],
    ]);
    const f = findingOf(r, 'health-fast');
    expect(f?.status).toBe('warn');
    expect(f?.evidence.map((e) => e.line)).toContain(4);
  });

  it('marks prisma.$queryRaw tagged templates as slow', () => {
    const r = analyze({ 'package.json': pkgJson(['fastify', '@prisma/client']), 'src/app.ts': `import Fastify from 'fastify';\nimport { prisma } from './db';\nconst app = Fastify();\napp.get('/healthz', async () => { await prisma.$queryRaw\`SELECT 1\`; return { ok: true }; });\n` }, { framework: 'fastify' });
    expect(r.health.routes[0]).toMatchObject({ path: '/healthz', slow: true });
  });

  it('flags handlers that reveal env, versions, dependencies or stacks', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'app.js': `const pkg = require('./package.json');\nconst app = require('express')();\napp.get('/status', (req, res) => res.json({ env: process.env, node: process.versions, deps: pkg.dependencies }));\napp.get('/health', (req, res) => { try { res.send('ok'); } catch (err) { res.status(500).send(err.stack); } });\n`,
    });
    expect(r.health.routes.find((x) => x.path === '/status')?.reveals).toEqual(['dependencies', 'env', 'versions']);
    expect(r.health.routes.find((x) => x.path === '/health')?.reveals).toEqual(['stack']);
    const logged = analyze({ 'package.json': pkgJson(['express']), 'app.js': `const app = require('express')();\napp.get('/healthz', (req, res) => { try { res.send('ok'); } catch (err) { console.error(err.stack); res.sendStatus(500); } });\n` });
    expect(logged.health.routes[0]?.reveals).toEqual([]);
    expect(findingOf(r, 'health-reveals')).toMatchObject({ status: 'warn', section: 'security' });
  });

  it('reads createTerminus healthChecks keys', () => {
    const r = analyze({ 'package.json': pkgJson(['@godaddy/terminus']), 'server.js': `const { createTerminus } = require('@godaddy/terminus');\nconst server = require('http').createServer(app);\ncreateTerminus(server, { healthChecks: { '/healthcheck': async () => {} }, signal: 'SIGTERM' });\nserver.listen(3000);\n` });
    expect(r.health.paths).toEqual(['/healthcheck']);
    expect(r.health.module).toBe('@godaddy/terminus');
  });

  it('reads @fastify/under-pressure exposeStatusRoute, and warns when the module exposes nothing', () => {
    const exposed = analyze({ 'package.json': pkgJson(['fastify', '@fastify/under-pressure']), 'app.js': `import underPressure from '@fastify/under-pressure';\nexport default async function app(fastify) {\n  await fastify.register(underPressure, { maxEventLoopDelay: 1000, exposeStatusRoute: true });\n}\n` }, { framework: 'fastify' });
    expect(exposed.health).toMatchObject({ paths: ['/status'], module: '@fastify/under-pressure' });
    const hidden = analyze({ 'package.json': pkgJson(['fastify', '@fastify/under-pressure']), 'app.js': `import underPressure from '@fastify/under-pressure';\nexport default async function app(fastify) {\n  await fastify.register(underPressure, { maxEventLoopDelay: 1000 });\n}\n` }, { framework: 'fastify' });
    expect(hidden.health.paths).toEqual([]);
    expect(findingOf(hidden, 'health-endpoint')).toMatchObject({ status: 'warn', fix: expect.stringContaining('exposeStatusRoute') });
  });

  it('warns when there is no health route, and skips the fast/reveals findings', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'app.js': `const app = require('express')();\napp.get('/users/:id/status', (q, s) => s.send('x'));\nconst axios = require('axios');\naxios.get('/health', { timeout: 1 });\n` });
    expect(r.health.paths).toEqual([]);
    expect(status(r, 'health-endpoint')).toBe('warn');
    expect(findingOf(r, 'health-fast')).toBeUndefined();
  });
});

describe('requests the service makes', () => {
  it.each(['tiered', 'ast'] as const)("through a client held under a longer name are no routes of its own (checkmate's this.axiosInstance.get('/health'); %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'axios']),
      'app.js': "const app = require('express')();\napp.get('/users', (q, s) => s.send('x'));\napp.listen(3000);\n",
      'upstream.js': "const axios = require('axios');\nclass Upstream {\n  constructor() {\n    this.axiosInstance = axios.create();\n  }\n  ping() {\n    return this.axiosInstance.get(`/health`);\n  }\n  login(form) {\n    return this.axiosInstance.post(`/auth/login`, form);\n  }\n  signup(form) {\n    return this.httpClient.post('/auth/register', form);\n  }\n}\nmodule.exports = Upstream;\n",
    }, mode);
    expect(r.health.paths).toEqual([]);
    expect(findingOf(r, 'rate-limit')?.message ?? '').not.toMatch(/auth/);
  });
});

describe('a health path behind authentication', () => {
  it.each(['tiered', 'ast'] as const)('is no probe path: a probe has no credentials (%s)', (mode) => {
    const files = {
      'package.json': pkgJson(['express']),
      'app.js': [
        "const app = require('express')();",
        "const { requireAuth } = require('./auth');",
        "const { csrfProtection } = require('./csrf');",
        "app.get('/api/status', requireAuth, (req, res) => res.json({ cpu: process.cpuUsage() }));",
        "app.get('/healthz', csrfProtection, (req, res) => res.send('ok'));",
        '',
      ].join('\n'),
      'auth.js': 'exports.requireAuth = (req, res, next) => (req.user ? next() : res.sendStatus(401));\n',
      'csrf.js': 'exports.csrfProtection = (req, res, next) => next();\n',
    };
    expect(analyzeIn(files, mode).health.paths).toEqual(['/healthz']);
  });

  it('nor is a guarded Nest controller’s', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', '@nestjs/common', '@nestjs/passport']),
      'src/status.controller.ts': [
        "import { Controller, Get, UseGuards } from '@nestjs/common';",
        "import { AuthGuard } from '@nestjs/passport';",
        "@Controller('status')",
        '@UseGuards(AuthGuard())',
        'export class StatusController {',
        "  @Get('/')",
        '  status() { return { ok: true }; }',
        '}',
        '',
      ].join('\n'),
    }, { framework: 'nestjs' });
    expect(r.health.paths).toEqual([]);
  });
});

describe('route path helpers', () => {
  it('recognises conventional health paths only', () => {
    expect(['/healthz', '/api/health', '/api/v1/health', '/health/live', '/livez', '/ping', '/_health'].every(isHealthPath)).toBe(true);
    expect(['/users/status', '/health/:id', '/', '/api/orders'].some(isHealthPath)).toBe(false);
    // After the health word only the kind of probe: homebridge's /api/status/cpu reports the CPU.
    expect(['/health/check', '/status/live', '/health/readiness'].every(isHealthPath)).toBe(true);
    expect(['/api/status/cpu', '/api/health/ai', '/status/server-information'].some(isHealthPath)).toBe(false);
    // langfuse's /api/public/health, Spring-style /actuator/health.
    expect(['/api/public/health', '/api/v1/public/health', '/actuator/health', '/management/health', '/.well-known/apollo/server-health'].every(isHealthPath)).toBe(true);
    expect(['/api/v2/users/status', '/a/b/c/health'].some(isHealthPath)).toBe(false);
    // Mozilla Dockerflow's (timvisee/send): the load balancer's cheap one and the one that checks what it depends on.
    expect(['/__lbheartbeat__', '/__heartbeat__'].every(isHealthPath)).toBe(true);
  });

  it("prefers Dockerflow's cheap __lbheartbeat__ to __heartbeat__, which checks storage", () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'app.js': "const app = require('express')();\napp.get('/__heartbeat__', async (q, s) => { await storage.ping(); s.sendStatus(200); });\napp.get('/__lbheartbeat__', (q, s) => s.sendStatus(200));\napp.listen(3000);\n" });
    expect(r.health.paths[0]).toBe('/__lbheartbeat__');
  });

  it('maps framework route files to URL paths', () => {
    expect(fileRoutePath('app/(site)/api/health/route.ts')?.path).toBe('/api/health');
    expect(fileRoutePath('server/api/health.get.ts')).toMatchObject({ path: '/api/health', method: 'GET' });
    expect(fileRoutePath('server/routes/healthz.ts')?.path).toBe('/healthz');
    // A Remix module for the server only is no route (epic-stack's admin+/cache_.sqlite.server.ts).
    expect(fileRoutePath('app/routes/admin+/cache_.sqlite.server.ts')).toBeNull();
    expect(fileRoutePath('app/routes/admin+/cache_.sqlite.tsx')?.path).toBe('/admin/cache/sqlite');
    expect(fileRoutePath('src/routes/healthz/+server.ts')?.path).toBe('/healthz');
    expect(fileRoutePath('app/routes/api.health.ts')?.path).toBe('/api/health');
    expect(fileRoutePath('app/routes/resources+/healthcheck.tsx')?.path).toBe('/resources/healthcheck');
    expect(fileRoutePath('app/routes/_auth+/login.tsx')?.path).toBe('/login');
    expect(fileRoutePath('app/routes/users.$id_.edit.tsx')?.path).toBe('/users/:id/edit');
    expect(fileRoutePath('src/pages/api/health.ts')?.path).toBe('/api/health');
  });
});

describe('routes a health middleware serves by itself', () => {
  it.each(['tiered', 'ast'] as const)("express-actuator's app.use(actuator()) serves GET /health, under basePath when given (actual-server) (%s)", (mode) => {
    const app = (setup: string) =>
      analyzeIn({ 'package.json': pkgJson(['express', 'express-actuator']), 'src/app.js': `const express = require('express');\nconst actuator = require('express-actuator');\nconst app = express();\n${setup}\napp.listen(process.env.PORT || 5006);\n` }, mode);
    const plain = app('app.use(actuator()); // Provides /health, /metrics, /info');
    expect(plain.health.paths).toEqual(['/health']);
    expect(plain.health.routes[0]?.evidence[0]).toMatchObject({ file: 'src/app.js', line: 4, rule: 'health-module-route' });
    expect(findingOf(plain, 'health-endpoint')?.status).toBe('pass');
    expect(app("app.use(actuator({ basePath: '/management/' }));").health.paths).toEqual(['/management/health']);
  });
});

describe('which health path the probes use', () => {
  it.each(['tiered', 'ast'] as const)('the surest name first: /api/healthcheck before /api/ping, which may be something else (homepage) (%s)', (mode) => {
    const handler = "export default function handler(req, res) { res.send('up'); }\n";
    const r = analyzeIn({ 'package.json': pkgJson(['next']), 'src/pages/api/ping.js': handler, 'src/pages/api/healthcheck.js': handler, 'src/pages/api/status.js': handler }, mode, { framework: 'nextjs' });
    expect(r.health.paths).toEqual(['/api/healthcheck', '/api/ping', '/api/status']);
  });
});
