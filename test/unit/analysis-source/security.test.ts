import { describe, expect, it } from 'vitest';
import { analyze, analyzeIn, findingOf, pkgJson, status } from './memory-repo.js';

const express = pkgJson(['express']);

describe('admin routes', () => {
  it('warns about /admin routes with no auth middleware', () => {
    const r = analyze({ 'package.json': express, 'app.js': `const app = require('express')();\napp.get('/admin/users', (req, res) => res.json([]));\napp.post('/admin/users/:id/ban', (req, res) => res.sendStatus(204));\n` });
    const f = findingOf(r, 'admin-auth');
    expect(f?.status).toBe('warn');
    expect(f?.message).toContain('POST /admin/users/:id/ban');
    expect(f?.evidence.map((e) => e.line)).toEqual([2, 3]);
  });

  it('passes with middleware in the chain, a guard mounted on /admin, or Nest guards', () => {
    const inline = analyze({ 'package.json': express, 'app.js': `const app = require('express')();\napp.get('/admin/stats', requireAdmin, (req, res) => res.json({}));\n` });
    expect(status(inline, 'admin-auth')).toBe('pass');
    const mounted = analyze({
      'package.json': express,
      'src/admin.js': `import { Router } from 'express';\nconst r = Router();\nr.delete('/posts/:id', (req, res) => res.end());\nexport default r;\n`,
      'src/app.js': `import express from 'express';\nimport admin from './admin.js';\nconst app = express();\napp.use('/admin', ensureAuthenticated);\napp.use('/admin', admin);\n`,
    });
    expect(status(mounted, 'admin-auth')).toBe('pass');
    const inHandler = analyze({ 'package.json': express, 'app.js': `const app = require('express')();\napp.delete('/admin/cache', (req, res) => {\n  if (!req.user?.isAdmin) return res.sendStatus(403);\n  res.end();\n});\n` });
    expect(status(inHandler, 'admin-auth')).toBe('pass');
    const remix = analyze({ 'package.json': pkgJson(['react-router']), 'app/routes/admin+/cache.tsx': `export async function loader({ request }) {\n  await requireUserWithRole(request, 'admin');\n  return null;\n}\n` }, { framework: 'react-router' });
    expect(status(remix, 'admin-auth')).toBe('pass');
    const nest = analyze({ 'package.json': pkgJson(['@nestjs/core']), 'src/admin.controller.ts': `@Controller('admin')\n@UseGuards(JwtAuthGuard)\nexport class AdminController {\n  @Get('users') list() { return []; }\n}\n` }, { framework: 'nestjs' });
    expect(status(nest, 'admin-auth')).toBe('pass');
    const nestOpen = analyze({ 'package.json': pkgJson(['@nestjs/core']), 'src/admin.controller.ts': `@Controller('admin')\nexport class AdminController {\n  @Delete('cache') clear() {}\n}\n` }, { framework: 'nestjs' });
    expect(status(nestOpen, 'admin-auth')).toBe('warn');
  });

  it("passes a handler that checks a credential header itself (epic-stack's bearer token, psitransfer's x-passwd)", () => {
    const bearer = analyze({ 'package.json': pkgJson(['react-router']), 'app/routes/admin+/cache_.sqlite.tsx': "export async function action({ request }) {\n  const token = process.env.INTERNAL_COMMAND_TOKEN;\n  const isAuthorized = request.headers.get('Authorization') === `Bearer ${token}`;\n  if (!isAuthorized) return redirect('/');\n  return null;\n}\n" }, { framework: 'react-router' });
    expect(status(bearer, 'admin-auth')).toBe('pass');
    const passwd = analyze({ 'package.json': express, 'app.js': "const app = require('express')();\napp.get('/admin/data', (req, res) => {\n  if (req.get('x-passwd') !== config.adminPass) return res.end();\n  res.json(db);\n});\n" });
    expect(status(passwd, 'admin-auth')).toBe('pass');
  });
});

describe('cors', () => {
  it('warns about cors() with no options, origin "*", and a literal Allow-Origin * header', () => {
    const bare = analyze({ 'package.json': pkgJson(['express', 'cors']), 'a.js': `const cors = require('cors');\nconst app = require('express')();\napp.use(cors());\n` });
    expect(findingOf(bare, 'cors-wildcard')?.evidence[0]).toMatchObject({ line: 3, rule: 'cors-default-any-origin' });
    const star = analyze({ 'package.json': pkgJson(['hono']), 'a.ts': `import { cors } from 'hono/cors';\napp.use('/api/*', cors({ origin: '*' }));\n` });
    expect(status(star, 'cors-wildcard')).toBe('warn');
    const header = analyze({ 'package.json': express, 'a.js': `app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', '*'); next(); });\n` });
    expect(status(header, 'cors-wildcard')).toBe('warn');
  });

  it('passes explicit origins and emits nothing when CORS is not configured', () => {
    const r = analyze({ 'package.json': pkgJson(['express', 'cors']), 'a.js': `const cors = require('cors');\napp.use(cors({ origin: process.env.ALLOWED_ORIGINS.split(','), credentials: true }));\n` });
    expect(status(r, 'cors-wildcard')).toBe('pass');
    const none = analyze({ 'package.json': express, 'a.js': `require('express')().listen(3000);\n` });
    expect(findingOf(none, 'cors-wildcard')).toBeUndefined();
  });

  it.each(['tiered', 'ast'] as const)("a rate limiter applied only when a setting is set does not run as deployed (web-check's API_ENABLE_RATE_LIMIT; %s)", (mode) => {
    const server = (apply: string) => `import express from 'express';\nimport rateLimit from 'express-rate-limit';\nconst app = express();\nconst limiters = [60, 3600].map((s) => rateLimit({ windowMs: s * 1000, limit: 100 }));\n${apply}\napp.post('/api/login', (req, res) => res.json({}));\napp.listen(3000);\n`;
    const gated = analyzeIn({ 'package.json': pkgJson(['express', 'express-rate-limit']), 'server.js': server("if (process.env.API_ENABLE_RATE_LIMIT === 'true') {\n  app.use('/api', limiters);\n}") }, mode);
    expect(findingOf(gated, 'rate-limit')).toMatchObject({ status: 'warn', message: expect.stringContaining('only when API_ENABLE_RATE_LIMIT is set'), evidence: [expect.objectContaining({ line: 6, rule: 'rate-limit-switched' })] });
    const always = analyzeIn({ 'package.json': pkgJson(['express', 'express-rate-limit']), 'server.js': server("app.use('/api', limiters);") }, mode);
    expect(status(always, 'rate-limit')).toBe('pass');
  });

  it.each(['tiered', 'ast'] as const)("knows connect's limiter (haste-server's connect-ratelimit; %s)", (mode) => {
    const r = analyzeIn({ 'package.json': pkgJson(['connect', 'connect-ratelimit']), 'server.js': "const connect = require('connect');\nconst limit = require('connect-ratelimit');\nconst app = connect();\napp.use(limit({ categories: { normal: { totalRequests: 500, every: 60000 } } }));\napp.use('/login', (req, res) => res.end());\nrequire('http').createServer(app).listen(7777);\n" }, mode);
    expect(status(r, 'rate-limit')).toBe('pass');
  });

  it.each(['tiered', 'ast'] as const)("a limiter factory that hands out a pass-through unless a setting is on does not run as deployed (kutt's ENABLE_RATE_LIMIT; %s)", (mode) => {
    const helpers = (guard: string) => `const expressRateLimit = require('express-rate-limit');\nconst env = require('./env');\nfunction rateLimit(params) {\n${guard}  return expressRateLimit({ windowMs: params.window * 1000, limit: params.limit });\n}\nmodule.exports = { rateLimit };\n`;
    const files = (guard: string) => ({
      'package.json': pkgJson(['express', 'express-rate-limit', 'envalid']),
      'env.js': "const { cleanEnv, bool } = require('envalid');\nmodule.exports = cleanEnv(process.env, { ENABLE_RATE_LIMIT: bool({ default: false }) });\n",
      'helpers.js': helpers(guard),
      'server.js': "const app = require('express')();\nconst helpers = require('./helpers');\napp.post('/api/auth/login', helpers.rateLimit({ window: 60, limit: 5 }), (req, res) => res.json({}));\napp.listen(3000);\n",
    });
    const gated = analyzeIn(files('  if (!env.ENABLE_RATE_LIMIT) {\n    return function (req, res, next) { return next(); };\n  }\n'), mode);
    expect(findingOf(gated, 'rate-limit')).toMatchObject({ status: 'warn', message: expect.stringContaining('only when ENABLE_RATE_LIMIT is set'), evidence: [expect.objectContaining({ file: 'helpers.js', rule: 'rate-limit-switched' })] });
    expect(status(analyzeIn(files(''), mode), 'rate-limit')).toBe('pass');
  });

  it.each(['tiered', 'ast'] as const)("warns of an origin that is any origin unless the operator sets one (web-check: API_CORS_ORIGIN || '*'; %s)", (mode) => {
    const r = analyzeIn({ 'package.json': pkgJson(['express', 'cors']), 'server.js': `const cors = require('cors');\napp.use(cors({ origin: process.env.API_CORS_ORIGIN || '*', methods: ['GET'] }));\n` }, mode);
    expect(findingOf(r, 'cors-wildcard')).toMatchObject({ status: 'warn', evidence: [expect.objectContaining({ rule: 'cors-origin-star-by-default' })] });
  });
});

describe('rate limiting', () => {
  it('warns about login routes without a limiter and passes with express-rate-limit', () => {
    const routes = `const app = require('express')();\napp.post('/auth/login', (req, res) => res.json({}));\n`;
    const open = analyze({ 'package.json': express, 'a.js': routes });
    expect(findingOf(open, 'rate-limit')).toMatchObject({ status: 'warn', message: expect.stringContaining('POST /auth/login') });
    const limited = analyze({ 'package.json': pkgJson(['express', 'express-rate-limit']), 'a.js': `const rateLimit = require('express-rate-limit');\n${routes}app.use(rateLimit({ windowMs: 60000, limit: 100 }));\n` });
    expect(status(limited, 'rate-limit')).toBe('pass');
  });
});

describe('sessions', () => {
  it('warns about express-session without a store and passes with one', () => {
    const mem = analyze({ 'package.json': pkgJson(['express-session']), 'a.js': `const session = require('express-session');\napp.use(session({ secret: process.env.SESSION_SECRET, resave: false }));\n` });
    expect(findingOf(mem, 'memory-sessions')).toMatchObject({ status: 'warn', section: 'scaling' });
    const stored = analyze({ 'package.json': pkgJson(['express-session', 'connect-redis']), 'a.js': `import session from 'express-session';\nimport { RedisStore } from 'connect-redis';\napp.use(session({ store: new RedisStore({ client }), secret: process.env.SESSION_SECRET }));\n` });
    expect(status(stored, 'memory-sessions')).toBe('pass');
  });
});

describe('secret logging', () => {
  it('fails logging a secret env var directly, through a constant, or the whole environment', () => {
    const direct = analyze({ 'package.json': express, 'a.js': `console.log('jwt', process.env.JWT_SECRET);\n` });
    expect(findingOf(direct, 'secret-logging')).toMatchObject({ status: 'fail', message: expect.stringContaining('JWT_SECRET') });
    const viaConst = analyze({ 'package.json': express, 'src/config.ts': `export const stripeKey = process.env.STRIPE_SECRET_KEY;\n`, 'src/boot.ts': `import { stripeKey } from './config';\nlogger.info(\`stripe key: \${stripeKey}\`);\n` });
    expect(findingOf(viaConst, 'secret-logging')?.message).toContain('STRIPE_SECRET_KEY');
    const all = analyze({ 'package.json': express, 'a.js': `console.debug('env', JSON.stringify(process.env));\n` });
    expect(findingOf(all, 'secret-logging')?.message).toContain('process.env');
  });

  it('passes logging only whether a secret is set, or non-secret values', () => {
    const r = analyze({ 'package.json': express, 'a.js': `console.log('secret set:', process.env.JWT_SECRET ? 'yes' : 'no');\nconsole.log('has key', !!process.env.API_KEY);\nconsole.log('level', process.env.LOG_LEVEL);\n` });
    expect(status(r, 'secret-logging')).toBe('pass');
    // A provider's identifiers are no secrets (novu logs a HubSpot list id); its token is.
    const ids = analyze({ 'package.json': express, 'a.js': 'console.log(`list ${process.env.HUBSPOT_INVITE_NUDGE_EMAIL_USER_LIST_ID}`, process.env.GOOGLE_CLIENT_ID);\n' });
    expect(status(ids, 'secret-logging')).toBe('pass');
    // A constant that holds the secret's hash (formbricks' hashedLicenseKey) is no secret.
    const hashed = analyze({ 'package.json': express, 'a.js': "const hashedKey = process.env.LICENSE_KEY ? hashString(process.env.LICENSE_KEY) : null;\nconsole.warn({ hashedKey }, 'telemetry failed');\n" });
    expect(status(hashed, 'secret-logging')).toBe('pass');
    const raw = analyze({ 'package.json': express, 'a.js': "const licenseKey = process.env.LICENSE_KEY ?? null;\nconsole.warn({ licenseKey }, 'telemetry failed');\n" });
    expect(status(raw, 'secret-logging')).toBe('fail');
    const token = analyze({ 'package.json': express, 'a.js': 'console.log(process.env.HUBSPOT_PRIVATE_APP_ACCESS_TOKEN);\n' });
    expect(findingOf(token, 'secret-logging')?.message).toContain('HUBSPOT_PRIVATE_APP_ACCESS_TOKEN');
  });
});

describe('secret-logging and values that are hidden or chosen', () => {
  it('`sanitize(process.env[name])` logs neither the environment nor a raw value; `logger.info(process.env)` still fails', () => {
    const ok = analyze({ 'package.json': pkgJson(['express', 'pino']), 'src/proxy.ts': "import { logger } from './log';\nconst names = ['HTTP_PROXY'];\nlogger.info({ proxies: Object.fromEntries(names.map((n) => [n, sanitize(process.env[n] as string)])) }, 'proxy on');\n" });
    expect(findingOf(ok, 'secret-logging')?.status ?? 'pass').toBe('pass');
    const leak = analyze({ 'package.json': pkgJson(['express']), 'src/boot.ts': 'console.log(process.env);\nconsole.log(mask(process.env.STRIPE_SECRET_KEY), process.env.API_SECRET);\n' });
    expect(findingOf(leak, 'secret-logging')).toMatchObject({ status: 'fail', message: expect.stringContaining('process.env (all variables), API_SECRET') });
  });
});
