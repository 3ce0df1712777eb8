import { describe, expect, it } from 'vitest';
import { classifyEnv, isPlaceholder, parseEnvFile } from '../../../src/core/analysis/source/env-vars.js';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { analyzeSource } from '../../../src/core/analysis/source/index.js';
import { analyze, analyzeIn, findingOf, hints, memoryContext, memoryRepo, pkgJson, status } from './memory-repo.js';

const pkg = pkgJson(['express']);
const byName = (r: ReturnType<typeof analyze>, n: string) => r.env_vars.find((v) => v.name === n);
/** Each variable's name with whether the deploy must be given it. */
const requiredOf = (r: Pick<ReturnType<typeof analyze>, 'env_vars'>) => Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]));

describe('env var reads', () => {
  it("warns about an address the code falls back to on the developer's machine (pingvin-share's frontend API_URL), not the app's own port", () => {
    const r = analyze({
      'package.json': pkg,
      'server.js': "const express = require('express');\nconst apiUrl = process.env.API_URL || 'http://localhost:8080';\nconst self = process.env.SELF_URL || 'http://localhost:3000';\nconst redis = process.env.REDIS_URL || 'redis://localhost:6379';\nconst app = express();\napp.get('/', async (q, s) => s.json(await (await fetch(apiUrl + '/api/configs')).json()));\napp.listen(3000);\n",
    });
    const f = findingOf(r, 'localhost-default');
    expect(f).toMatchObject({ status: 'warn', section: 'environment', evidence: [expect.objectContaining({ file: 'server.js', line: 2 })] });
    expect(f?.message).toContain('API_URL (http://localhost:8080)');
    // The service itself, and a store the template asks about, are not this finding's.
    expect(f?.message).not.toMatch(/SELF_URL|REDIS_URL/);
  });

  it("sets a variable the Prisma schema reads to the code's own fallback, which the migrate step's CLI never sees (pingvin-share)", () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client', '@nestjs/core']),
      'prisma/schema.prisma': 'datasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n',
      'src/constants.ts': "export const DATABASE_URL = process.env.DATABASE_URL || 'file:../data/app.db?connection_limit=1';\n",
    });
    expect(byName(r, 'DATABASE_URL')).toMatchObject({ required: false, default: 'file:../data/app.db?connection_limit=1', must_set: true });
  });

  it("sets AUTH_TRUST_HOST for Auth.js 5, which behind an ingress trusts no host in production (vercel/ai-chatbot), unless the options say trustHost", () => {
    const app = (opts: string) => analyze({ 'package.json': JSON.stringify({ dependencies: { next: '16.0.0', 'next-auth': '5.0.0-beta.25' } }), 'app/(auth)/auth.ts': `import NextAuth from 'next-auth';\nexport const { handlers, auth, signIn } = NextAuth({ ${opts}providers: [] });\n` });
    expect(byName(app(''), 'AUTH_TRUST_HOST')).toMatchObject({ required: false, default: 'true', must_set: true, evidence: [expect.objectContaining({ file: 'app/(auth)/auth.ts', line: 2, rule: 'auth-library-trust-host' })] });
    expect(byName(app('trustHost: true, '), 'AUTH_TRUST_HOST')).toBeUndefined();
    // The `beta` dist-tag is Auth.js 5 too (next-auth-example): AUTH_SECRET, not NEXTAUTH_SECRET.
    const beta = analyze({ 'package.json': JSON.stringify({ dependencies: { next: 'latest', 'next-auth': 'beta' } }), 'auth.ts': "import NextAuth from 'next-auth';\nexport const { auth } = NextAuth({ providers: [] });\n" });
    expect(byName(beta, 'AUTH_TRUST_HOST')?.default).toBe('true');
    expect(byName(beta, 'AUTH_SECRET')).toMatchObject({ required: true });
    expect(byName(beta, 'NEXTAUTH_SECRET')).toBeUndefined();
    // Through a spread of a config in another file (ai-chatbot's auth.config.ts), with or without it.
    const spread = (config: string) => analyze({ 'package.json': JSON.stringify({ dependencies: { next: '16.0.0', 'next-auth': '5.0.0-beta.25' } }), 'auth.config.ts': `export const authConfig = { ${config}pages: { signIn: '/login' } };\n`, 'auth.ts': "import NextAuth from 'next-auth';\nimport { authConfig } from './auth.config';\nexport const { auth } = NextAuth({ ...authConfig, providers: [] });\n" });
    expect(byName(spread(''), 'AUTH_TRUST_HOST')?.default).toBe('true');
    expect(byName(spread('trustHost: true, '), 'AUTH_TRUST_HOST')).toBeUndefined();
    const v4 = analyze({ 'package.json': JSON.stringify({ dependencies: { next: '14.0.0', 'next-auth': '4.24.0' } }), 'pages/api/auth/[...nextauth].ts': "import NextAuth from 'next-auth';\nexport default NextAuth({ providers: [] });\n" });
    expect(byName(v4, 'AUTH_TRUST_HOST')).toBeUndefined();
  });

  it("keeps process.env.BASE_URL, asked for (hackathon-starter's own address, NextChat's API proxy: never set to the app's URL); import.meta.env.BASE_URL is Vite's", () => {
    const r = analyze({ 'package.json': pkg, 'app.js': "const secure = process.env.BASE_URL.startsWith('https');\nexport const base = import.meta.env.BASE_URL;\n" });
    expect(byName(r, 'BASE_URL')).toMatchObject({ class: 'other', required: true, evidence: [expect.objectContaining({ line: 1 })] });
  });

  it.each(['tiered', 'ast'] as const)('tests both alternatives a name holds when the code tests the name (kener SMTP_PASS || SMTP_PASSWORD; %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkg,
      'src/mail.js': "exports.smtp = () => {\n  const password = process.env.SMTP_PASS || process.env.SMTP_PASSWORD;\n  const from = process.env.SMTP_FROM_EMAIL ?? process.env.SMTP_SENDER;\n  if (!process.env.SMTP_HOST || !from || !password) {\n    return null;\n  }\n  return { host: process.env.SMTP_HOST, from, password };\n};\nexports.token = process.env.API_TOKEN || process.env.LEGACY_TOKEN;\n",
    }, mode);
    expect(requiredOf(r)).toMatchObject({ SMTP_PASS: false, SMTP_PASSWORD: false, SMTP_FROM_EMAIL: false, SMTP_SENDER: false, SMTP_HOST: false });
    // Not tested: the last alternative is what the code runs with.
    expect(byName(r, 'LEGACY_TOKEN')?.required).toBe(true);
  });

  it("takes a host setting whose default is the service itself on localhost for its public address (kutt's DEFAULT_DOMAIN)", () => {
    const r = analyze({
      'package.json': pkg,
      'server.js': "const express = require('express');\nconst app = express();\nconst domain = process.env.DEFAULT_DOMAIN || 'localhost:3000';\nconst api = process.env.API_HOST || 'localhost:4000';\napp.get('/', (q, s) => s.send(domain + api));\napp.listen(3000);\n",
    });
    expect(byName(r, 'DEFAULT_DOMAIN')).toMatchObject({ class: 'public-url', default: 'localhost:3000' });
    // Another port is another service's address.
    expect(byName(r, 'API_HOST')?.class).not.toBe('public-url');
  });

  it.each(['tiered', 'ast'] as const)('asks for a key the code signs with that falls back to source text, and warns (kener KENER_SECRET_KEY || DUMMY_SECRET; %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'jsonwebtoken', 'express-session']),
      'src/auth.js': "const jwt = require('jsonwebtoken');\nconst DUMMY_SECRET = 'DUMMY_SECRET';\nexports.sign = (d) => jwt.sign(d, process.env.APP_SECRET_KEY || DUMMY_SECRET);\nexports.verify = (t) => jwt.verify(t, process.env.APP_SECRET_KEY || DUMMY_SECRET);\nexports.mail = process.env.MAIL_PASSWORD || '';\n// A provider's client handed a stand-in key: the integration is off, nothing signs with it.\nexports.neynar = { apiKey: process.env.NEYNAR_SECRET_KEY || '00000000-000-0000-000-000000000000' };\n",
      'src/app.js': "const session = require('express-session');\nconst app = require('express')();\napp.use(session({ secret: process.env.COOKIE_SECRET || 'keyboard cat' }));\napp.listen(3000);\n",
      'src/setup.js': 'exports.ready = () => process.env.APP_SECRET_KEY !== undefined;\n',
      // realworld: a literal fallback in a module the entry imports, not the entry itself.
      'src/token.js': "import jwt from 'jsonwebtoken';\nexport const generateToken = (id) => jwt.sign({ id }, process.env.JWT_SECRET || 'superSecret', { expiresIn: '60d' });\n",
      // A secret by the classifier's word, not a name the token tier guessed at (HMAC).
      'src/sig.js': "const crypto = require('crypto');\nexports.sig = (b) => crypto.createHmac('sha256', process.env.WEBHOOK_HMAC || 'dev-hmac').update(b).digest('hex');\n",
    }, mode);
    expect(byName(r, 'JWT_SECRET')).toMatchObject({ required: true, known_fallback: true });
    expect(byName(r, 'WEBHOOK_HMAC')).toMatchObject({ required: true, known_fallback: true });
    expect(byName(r, 'NEYNAR_SECRET_KEY')).toMatchObject({ required: false });
    expect(byName(r, 'APP_SECRET_KEY')).toMatchObject({ class: 'server-secret', required: true, default: null, known_fallback: true });
    expect(byName(r, 'COOKIE_SECRET')).toMatchObject({ required: true, known_fallback: true });
    // An empty fallback is no key anyone knows: the feature is off.
    expect(byName(r, 'MAIL_PASSWORD')).toMatchObject({ required: false });
    expect(byName(r, 'MAIL_PASSWORD')?.known_fallback).toBeUndefined();
    const f = findingOf(r, 'secret-fallback');
    expect(f).toMatchObject({ status: 'warn', section: 'security' });
    expect(f?.message).toContain('APP_SECRET_KEY, COOKIE_SECRET');
    // The secret's text never reaches the document.
    expect(JSON.stringify([r.env_vars, r.findings])).not.toContain('keyboard cat');
  });

  it.each(['tiered', 'ast'] as const)('asks for a key something signs with as it is, whatever fallback another read gives it (lunary JWT_SECRET; %s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'jose']),
      'src/auth.ts': "import { SignJWT, jwtVerify } from 'jose';\nexport const sign = (p) => new SignJWT(p).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(process.env.JWT_SECRET));\nexport const verify = (t) => jwtVerify(t, new TextEncoder().encode(process.env.JWT_SECRET));\n",
      'src/playground.ts': "import crypto from 'crypto';\nexport const h = (b) => crypto.createHash('sha256').update(process.env.JWT_SECRET || '').update(b).digest('hex');\n",
      'src/token.js': "const jwt = require('jsonwebtoken');\nexports.sign = (p) => jwt.sign(p, process.env.TOKEN_SECRET);\n",
      'src/hash.js': "exports.h = () => process.env.TOKEN_SECRET || '';\n",
      'src/app.ts': "import express from 'express';\nimport session from 'express-session';\nconst app = express();\napp.use(session({ secret: process.env.SESSION_SECRET }));\nif (process.env.WEBHOOK_SECRET) app.post('/hook', (q, s) => s.send(crypto.createHmac('sha256', process.env.WEBHOOK_SECRET)));\nexport const cfg = { adminToken: process.env.ADMIN_TOKEN || '' };\napp.listen(3000);\n",
    }, mode);
    expect(byName(r, 'JWT_SECRET')).toMatchObject({ class: 'server-secret', required: true, default: null });
    expect(byName(r, 'SESSION_SECRET')).toMatchObject({ required: true });
    expect(byName(r, 'TOKEN_SECRET')).toMatchObject({ required: true });
    // Signed with only where the code has tested it is set: the service runs without it.
    expect(byName(r, 'WEBHOOK_SECRET')).toMatchObject({ required: false });
    expect(byName(r, 'ADMIN_TOKEN')).toMatchObject({ required: false });
  });

  it.each(['tiered', 'ast'] as const)("takes the default a schema parsing the variable gives it: zod's .catch(x), .default(x) (lunary's MAX_REQUESTS_PER_MINUTE; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'zod']),
      'src/limits.ts': "import { z } from 'zod';\nexport const max = z.coerce.number().int().nonnegative().catch(150).parse(process.env.MAX_REQUESTS_PER_MINUTE);\nexport const burst = z.coerce.number().default(10).parse(process.env.BURST);\nexport const region = z.string().optional().parse(process.env.REGION);\nexport const key = z.string().min(1).parse(process.env.API_SIGNING_KEY);\n",
      'src/env.ts': "import { z } from 'zod';\nexport const env = z.object({ WORKERS: z.coerce.number().catch(4) }).parse(process.env);\n",
      // The schema made elsewhere: the file that parses with it imports no validator.
      'src/schemas.ts': "import { z } from 'zod';\nexport const count = z.coerce.number().int();\n",
      'src/pool.ts': "import { count } from './schemas';\nexport const size = count.catch(5).parse(process.env.POOL_SIZE);\n",
      'src/app.ts': "import express from 'express';\nexpress().listen(3000);\n",
    }, mode);
    expect(byName(r, 'MAX_REQUESTS_PER_MINUTE')).toMatchObject({ required: false, default: '150' });
    expect(byName(r, 'BURST')).toMatchObject({ required: false, default: '10' });
    expect(byName(r, 'REGION')).toMatchObject({ required: false });
    expect(byName(r, 'API_SIGNING_KEY')).toMatchObject({ required: true });
    expect(byName(r, 'WORKERS')).toMatchObject({ required: false, default: '4' });
    expect(byName(r, 'POOL_SIZE')).toMatchObject({ required: false, default: '5' });
  });

  it.each(['tiered', 'ast'] as const)("a name holding the variable or nothing, tested before use, makes it optional (blues-stack's PRIMARY_REGION; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'pg']),
      'app/db.server.ts': "export function url(isLocalHost: boolean) {\n  const PRIMARY_REGION = isLocalHost ? null : process.env.PRIMARY_REGION;\n  const isReplica = !PRIMARY_REGION || PRIMARY_REGION === 'ord';\n  return isReplica ? 'a' : 'b';\n}\n",
      'server.ts': "import express from 'express';\nexpress().listen(3000);\n",
    }, mode);
    expect(byName(r, 'PRIMARY_REGION')).toMatchObject({ required: false });
  });

  it.each(['tiered', 'ast'] as const)("entries of a table the code looks up by what a request names are optional (tiledesk's GPT_*_CONTEXT; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'routes/kb.js': "const OVERRIDES = {\n  'gpt-4': process.env.GPT_4_CONTEXT,\n  'gpt-4o': process.env.GPT_4O_CONTEXT,\n  'gpt-5': process.env.GPT_5_CONTEXT,\n};\nexports.context = (modelName) => OVERRIDES[modelName] || 'default';\n",
      'config.js': "const db = {\n  host: process.env.DB_HOST,\n  user: process.env.DB_USER,\n  name: process.env.DB_NAME,\n};\nexports.get = (k) => db[k];\n",
      'app.js': "require('express')().listen(3000);\n",
    }, mode);
    for (const name of ['GPT_4_CONTEXT', 'GPT_4O_CONTEXT', 'GPT_5_CONTEXT']) expect(byName(r, name), name).toMatchObject({ required: false });
    // A config object under plain keys is no table of choices.
    expect(byName(r, 'DB_HOST')).toMatchObject({ required: true });
  });

  it.each(['tiered', 'ast'] as const)("reads a parameter that defaults to process.env like process.env (inbox-zero's worker; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['bullmq']),
      'src/runtime.mjs': "export function createRuntime(env = process.env) {\n  const redisUrl = env.REDIS_URL;\n  const queues = env.WORKER_QUEUES || 'default';\n  if (!redisUrl) throw new Error('REDIS_URL is required');\n  return { redisUrl, queues };\n}\n",
      'src/index.mjs': "import { createRuntime } from './runtime.mjs';\ncreateRuntime();\n",
    }, mode);
    expect(byName(r, 'REDIS_URL')).toMatchObject({ required: true });
    expect(byName(r, 'WORKER_QUEUES')).toMatchObject({ required: false, default: 'default' });
  });

  it.each(['tiered', 'ast'] as const)("reads @fastify/env's schema from the autoConfig @fastify/autoload registers it with (fastify/demo; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['fastify', '@fastify/env', '@fastify/autoload']),
      'src/plugins/external/env.ts': "import env from '@fastify/env';\nconst schema = {\n  type: 'object',\n  required: ['MYSQL_USER', 'COOKIE_SECRET'],\n  properties: {\n    MYSQL_HOST: { type: 'string', default: 'localhost' },\n    MYSQL_USER: { type: 'string' },\n    COOKIE_SECRET: { type: 'string' },\n    RATE_LIMIT_MAX: { type: 'number', default: 100 },\n  },\n};\nexport const autoConfig = { confKey: 'config', schema, dotenv: true };\nexport default env;\n",
      'src/app.ts': "import Fastify from 'fastify';\nFastify().listen({ port: 3000 });\n",
    }, mode);
    expect(byName(r, 'MYSQL_USER')).toMatchObject({ required: true });
    expect(byName(r, 'MYSQL_HOST')).toMatchObject({ required: false, default: 'localhost' });
    expect(byName(r, 'RATE_LIMIT_MAX')).toMatchObject({ required: false, default: '100' });
  });

  it.each(['tiered', 'ast'] as const)("a branch a name bound to a NODE_ENV comparison turns off is not read as deployed (TypeScript-Node-Starter's MONGODB_URI_LOCAL; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'mongoose']),
      'src/secrets.ts': "export const ENVIRONMENT = process.env.NODE_ENV;\nconst prod = ENVIRONMENT === 'production';\nexport const MONGODB_URI = prod ? process.env['MONGODB_URI'] : process.env['MONGODB_URI_LOCAL'];\nif (!MONGODB_URI) process.exit(1);\n",
      'src/server.ts': "import express from 'express';\nimport { MONGODB_URI } from './secrets';\nconsole.log(MONGODB_URI);\nexpress().listen(3000);\n",
    }, mode);
    expect(byName(r, 'MONGODB_URI_LOCAL')).toMatchObject({ required: false });
    expect(byName(r, 'MONGODB_URI')).toMatchObject({ required: true });
  });

  it('requires a variable the code refuses to go on without, whatever a presence test elsewhere says (kener REDIS_URL)', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'ioredis']),
      'src/redis.js': "const IORedis = require('ioredis');\nlet client;\nexports.redis = () => {\n  if (!client) {\n    if (!process.env.REDIS_URL) {\n      throw new Error('REDIS_URL is not defined');\n    }\n    client = new IORedis(process.env.REDIS_URL);\n  }\n  return client;\n};\n",
      'src/setup.js': "exports.hasRequiredEnv = () => process.env.REDIS_URL !== undefined && process.env.SETUP_TOKEN !== undefined;\n",
      // grist: refused only for an option (extra workers), and the client is made elsewhere under a presence test.
      'src/workers.js': "exports.start = (opts) => {\n  if (opts.extraWorkers) {\n    if (!process.env.CACHE_REDIS_URL) {\n      throw new Error('Redis needed to support multiple workers');\n    }\n    spawn(opts.extraWorkers);\n  }\n};\nif (process.env.CACHE_REDIS_URL) connect(process.env.CACHE_REDIS_URL);\n",
    });
    expect(byName(r, 'REDIS_URL')).toMatchObject({ required: true });
    expect(byName(r, 'CACHE_REDIS_URL')).toMatchObject({ required: false });
    // Only tested for presence: the service runs without it.
    expect(byName(r, 'SETUP_TOKEN')).toMatchObject({ required: false });
  });

  it('finds member, bracket, destructured and import.meta.env reads with defaults', () => {
    const r = analyze({
      'package.json': pkg,
      'src/config.ts': [
        `export const logLevel = process.env.LOG_LEVEL || 'info';`,
        `export const stripe = process.env['STRIPE_SECRET_KEY'];`,
        `const { REDIS_URL, CACHE_TTL = '60', SESSION_SECRET = 'keyboard cat' } = process.env;`,
        `export const api = import.meta.env.VITE_API_URL;`,
        `export const mode = import.meta.env.MODE;`,
        `export const n = process.env.npm_package_version;`,
      ].join('\n'),
    });
    expect(r.env_vars.map((v) => v.name)).toEqual(['CACHE_TTL', 'LOG_LEVEL', 'REDIS_URL', 'SESSION_SECRET', 'STRIPE_SECRET_KEY', 'VITE_API_URL']);
    expect(byName(r, 'LOG_LEVEL')).toMatchObject({ class: 'logging', required: false, default: 'info', sources: ['code'] });
    expect(byName(r, 'CACHE_TTL')).toMatchObject({ default: '60', required: false });
    expect(byName(r, 'REDIS_URL')).toMatchObject({ class: 'database', required: true, default: null });
    expect(byName(r, 'VITE_API_URL')).toMatchObject({ public: true });
    expect(byName(r, 'STRIPE_SECRET_KEY')?.evidence[0]).toMatchObject({ file: 'src/config.ts', line: 2, rule: 'process.env' });
  });

  it.each(['tiered', 'ast'] as const)('requires the secret NextAuth reads itself when its options pass none (karakeep, linkwarden; %s)', (mode) => {
    const auth = (opts: string) => `import NextAuth, { type NextAuthOptions } from 'next-auth';\nimport CredentialsProvider from 'next-auth/providers/credentials';\nexport const authOptions: NextAuthOptions = {\n  session: { strategy: 'jwt' },\n${opts}  providers: [CredentialsProvider({ credentials: {}, authorize: async () => null })],\n};\nexport const handler = NextAuth(authOptions);\n`;
    const v4 = analyzeIn({ 'package.json': pkgJson(['next', 'next-auth']), 'server/auth.ts': auth('') }, mode);
    expect(byName(v4, 'NEXTAUTH_SECRET')).toMatchObject({ class: 'server-secret', required: true, evidence: [expect.objectContaining({ file: 'server/auth.ts', line: 7, rule: 'auth-library-secret' })] });
    // The advanced form, NextAuth(req, res, options) (linkwarden), and Auth.js 5's AUTH_SECRET.
    const v5 = analyzeIn({ 'package.json': JSON.stringify({ dependencies: { next: '15.0.0', 'next-auth': '5.0.0-beta.25' } }), 'pages/api/auth/[...nextauth].ts': "import NextAuth from 'next-auth';\nexport default async function auth(req, res) {\n  return await NextAuth(req, res, { providers: [] });\n}\n" }, mode);
    expect(byName(v5, 'AUTH_SECRET')).toMatchObject({ required: true });
    // A pnpm catalog names the version in pnpm-workspace.yaml (homarr).
    const catalog = analyzeIn({ 'pnpm-workspace.yaml': 'catalog:\n  next-auth: 5.0.0-beta.31\n', 'package.json': JSON.stringify({ dependencies: { next: '15.0.0', 'next-auth': 'catalog:' } }), 'auth.ts': "import NextAuth from 'next-auth';\nexport const { handlers } = NextAuth({ providers: [], trustHost: true });\n" }, mode);
    expect(byName(catalog, 'AUTH_SECRET')).toMatchObject({ required: true });
    expect(byName(v5, 'NEXTAUTH_SECRET')).toBeUndefined();
    // Options that pass a secret of their own need nothing more from the library.
    const own = analyzeIn({ 'package.json': pkgJson(['next', 'next-auth']), 'server/auth.ts': auth("  secret: getSecret(),\n") }, mode);
    expect(byName(own, 'NEXTAUTH_SECRET')).toBeUndefined();
  });

  it.each(['tiered', 'ast'] as const)("a predicate on the value reads unset as false (grist's isAffirmative(process.env.X); %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkg,
      'app/gutil.js': "exports.isAffirmative = (v) => ['1', 'on', 'true', 'yes'].includes(String(v).toLowerCase());\n",
      'app/server.js': "const { isAffirmative } = require('./gutil');\nconst trust = isAffirmative(process.env.GRIST_TRUST_PLUGINS);\nif (isAffirmative(process.env.GRIST_ACCOUNT_CLOSE)) console.log('on');\nmodule.exports = { trust, title: shout(process.env.SITE_TITLE) };\n",
    }, mode);
    expect(requiredOf(r)).toMatchObject({ GRIST_TRUST_PLUGINS: false, GRIST_ACCOUNT_CLOSE: false, SITE_TITLE: true });
  });

  it("follows the project's own schema helpers to their default, zod 4's .prefault too (karakeep's stringBool, homarr's createBooleanSchema)", () => {
    const r = analyze({
      'package.json': pkgJson(['zod', '@t3-oss/env-core']),
      'src/config.ts': [
        "import { z } from 'zod';",
        "import { createEnv } from '@t3-oss/env-core';",
        'const stringBool = (defaultValue: string) => z.string().prefault(defaultValue).refine((s) => s === "true" || s === "false").transform((s) => s === "true");',
        'export function createBooleanSchema(defaultValue: boolean) { return z.union([z.boolean(), z.string()]).default(defaultValue); }',
        'export const env = createEnv({',
        '  server: {',
        '    DISABLE_SIGNUPS: stringBool("false"),',
        '    ENABLE_DOCKER: createBooleanSchema(false),',
        '    NEXTAUTH_URL_INTERNAL: z.string().prefault("http://localhost:3000"),',
        '    ENCRYPTION_KEY: z.string(),',
        '  },',
        '  runtimeEnv: process.env,',
        '});',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({ DISABLE_SIGNUPS: false, ENABLE_DOCKER: false, NEXTAUTH_URL_INTERNAL: false, ENCRYPTION_KEY: true });
    expect(byName(r, 'DISABLE_SIGNUPS')?.default).toBe('false');
  });

  it("requires the JWT_SECRET Strapi's users-permissions plugin reads itself, unless config/plugins sets jwtSecret (foodadvisor)", () => {
    const files = { 'package.json': pkgJson(['@strapi/strapi', '@strapi/plugin-users-permissions']), 'config/server.js': "module.exports = ({ env }) => ({ port: env.int('PORT', 1337) });\n" };
    expect(byName(analyze(files, { framework: 'strapi' }), 'JWT_SECRET')).toMatchObject({ class: 'server-secret', required: true, evidence: [expect.objectContaining({ rule: 'auth-library-secret' })] });
    const own = analyze({ ...files, 'config/plugins.js': "module.exports = ({ env }) => ({ 'users-permissions': { config: { jwtSecret: env('UP_JWT_SECRET') } } });\n" }, { framework: 'strapi' });
    expect(byName(own, 'JWT_SECRET')).toBeUndefined();
  });

  it("warns of public variables the build inlines with no value a pod can use (foodadvisor's NEXT_PUBLIC_API_URL || 'http://localhost:1337')", () => {
    const files = {
      'package.json': pkgJson(['next']),
      'utils/index.js': "export const api = process.env.NEXT_PUBLIC_API_URL || 'http://localhost:1337';\nexport const site = process.env.NEXT_PUBLIC_SITE_NAME || 'Food';\nexport const key = process.env.NEXT_PUBLIC_MAPS_KEY;\nexport const ws = process.env.NEXT_PUBLIC_WS_ENDPOINT;\n",
    };
    const r = analyze(files, { framework: 'nextjs' });
    expect(findingOf(r, 'build-time-env')).toMatchObject({ status: 'warn', message: expect.stringContaining('NEXT_PUBLIC_API_URL, NEXT_PUBLIC_WS_ENDPOINT') });
    // A name with a value, and a key without one (it turns a feature off), are not addresses the build misses.
    expect(findingOf(r, 'build-time-env')?.message).not.toMatch(/SITE_NAME|MAPS_KEY/);
    // A committed .env.production the build reads gives them their values.
    expect(findingOf(analyze({ ...files, '.env.production': 'NEXT_PUBLIC_API_URL=https://api.example.org\nNEXT_PUBLIC_WS_ENDPOINT=wss://ws.example.org\n' }, { framework: 'nextjs' }), 'build-time-env')).toBeUndefined();
    // Express reads no build-inlined prefix.
    expect(findingOf(analyze(files), 'build-time-env')).toBeUndefined();
  });

  it.each(['tiered', 'ast'] as const)("an empty fallback the code refuses through its config object is no default (automatisch's ENCRYPTION_KEY; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkg,
      'src/config/app.js': [
        'const appConfig = {',
        "  port: process.env.PORT || '3000',",
        "  encryptionKey: process.env.ENCRYPTION_KEY || '',",
        "  appSecretKey: process.env.APP_SECRET_KEY || '',",
        // Settings left unset beside it do not make the refused key one of them.
        '  drawerLink: process.env.ADDITIONAL_DRAWER_LINK,',
        '};',
        'if (!appConfig.encryptionKey) {',
        "  throw new Error('ENCRYPTION_KEY environment variable needs to be set!');",
        '}',
        'export default appConfig;',
        '',
      ].join('\n'),
    }, mode);
    expect(requiredOf(r)).toMatchObject({ ENCRYPTION_KEY: true, APP_SECRET_KEY: false });
  });

  it('never records a secret default, and masks it in evidence', () => {
    const r = analyze({ 'package.json': pkg, 'src/auth.js': `const secret = process.env.JWT_SECRET || 'sup3r-s3cret-dev-value-123456';\n` });
    const v = byName(r, 'JWT_SECRET');
    expect(v).toMatchObject({ class: 'server-secret', default: null });
    expect(v?.evidence[0]?.snippet).not.toContain('sup3r');
  });

  it('reads helper and framework config getters: env(), ConfigService.get(), t3 createEnv keys', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/config', '@t3-oss/env-nextjs']),
      'src/app.service.ts': `export class S { constructor(private config: ConfigService) {}\n  url() { return this.config.get<string>('PUBLIC_BASE_URL'); }\n  port() { return this.configService.get('HTTP_PORT', 3000); } }\n`,
      'src/env.mjs': `import { createEnv } from '@t3-oss/env-nextjs';\nimport { z } from 'zod';\nexport const env = createEnv({ server: { OPENAI_API_KEY: z.string(), CHAT_LLMS: z.preprocess((v) => v || undefined, z.string().optional()), RETENTION_DAYS: z.preprocess(Number, z.number().default(14)) }, client: { NEXT_PUBLIC_SITE_NAME: z.string() }, runtimeEnv: {} });\n`,
      'src/util.ts': `export const x = getEnv('FEATURE_FLAGS', 'none');\n`,
      // standardnotes: `env.get(name, true)` marks the variable optional; true is no value of it.
      'src/container.ts': `export const valet = env.get('VALET_TOKEN_TTL', true);\n`,
    });
    expect(byName(r, 'VALET_TOKEN_TTL')).toMatchObject({ required: false, default: null });
    expect(byName(r, 'PUBLIC_BASE_URL')).toMatchObject({ class: 'public-url' });
    expect(byName(r, 'HTTP_PORT')).toMatchObject({ class: 'runtime-port', default: '3000' });
    expect(byName(r, 'OPENAI_API_KEY')).toMatchObject({ class: 'third-party-key', required: true });
    // z.preprocess hands the value to a schema that says it (inbox-zero).
    expect(byName(r, 'CHAT_LLMS')).toMatchObject({ required: false });
    expect(byName(r, 'RETENTION_DAYS')).toMatchObject({ required: false, default: '14' });
    expect(byName(r, 'NEXT_PUBLIC_SITE_NAME')).toMatchObject({ public: true });
    expect(byName(r, 'FEATURE_FLAGS')).toMatchObject({ default: 'none' });
  });

  it('lists the keys of env schemas applied to process.env (zod, joi, envalid) with their defaults', () => {
    const r = analyze({
      'package.json': pkgJson(['zod', 'joi', 'envalid']),
      'src/env.ts': `import { z } from 'zod';\nconst schema = z.object({ SMTP_URL: z.string(), RETRIES: z.coerce.number().default(3) });\nexport const env = schema.parse(process.env);\n`,
      'src/joi.js': `const Joi = require('joi');\nconst s = Joi.object().keys({ QUEUE_NAME: Joi.string().default('jobs') }).unknown();\nconst { value } = s.validate(process.env);\nmodule.exports = value;\n`,
      'src/envalid.js': `const { cleanEnv, str } = require('envalid');\nmodule.exports = cleanEnv(process.env, { SENTRY_DSN: str({ default: '' }) });\n`,
    });
    expect(byName(r, 'SMTP_URL')).toMatchObject({ required: true, sources: ['code'] });
    expect(byName(r, 'RETRIES')).toMatchObject({ default: '3', required: false });
    expect(byName(r, 'QUEUE_NAME')).toMatchObject({ default: 'jobs' });
    expect(byName(r, 'SENTRY_DSN')).toMatchObject({ class: 'logging', default: '', required: false });
  });

  it('adds env("X") names from the Prisma schema as config sources', () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client']),
      'prisma/schema.prisma': `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n}\n`,
    });
    expect(byName(r, 'DATABASE_URL')).toMatchObject({ class: 'database', sources: ['config'], required: true });
    expect(byName(r, 'DIRECT_URL')?.evidence[0]).toMatchObject({ file: 'prisma/schema.prisma', line: 4 });
  });

  it('merges .env.example: example-only vars, non-placeholder defaults, placeholders stay required', () => {
    const r = analyze({
      'package.json': pkg,
      '.env.example': `# settings\nPORT=3000\nAPP_URL=http://localhost:3000\nMAILER_FROM=noreply@example.org\nSESSION_SECRET=changeme\nSTRIPE_SECRET_KEY=\nDATABASE_URL=postgres://user:pass@localhost:5432/app\nMAIL_HOST=maildev\nSMTP_HOST=smtp.example.org\n`,
      'src/index.js': `const s = process.env.SESSION_SECRET;\nconst from = process.env.MAILER_FROM;\nconst db = process.env.DATABASE_URL;\nconst mail = [process.env.MAIL_HOST, process.env.SMTP_HOST];\n`,
    });
    expect(byName(r, 'MAILER_FROM')).toMatchObject({ default: 'noreply@example.org', required: false, sources: ['code', 'env-example'] });
    // A Compose service's name (nestjs-boilerplate's maildev) is no host a pod resolves; a real host name is a default.
    expect(byName(r, 'MAIL_HOST')).toMatchObject({ default: null, required: true });
    expect(byName(r, 'SMTP_HOST')).toMatchObject({ default: 'smtp.example.org', required: false });
    expect(byName(r, 'SESSION_SECRET')).toMatchObject({ default: null, required: true });
    expect(byName(r, 'DATABASE_URL')).toMatchObject({ default: null, required: true });
    expect(byName(r, 'STRIPE_SECRET_KEY')).toMatchObject({ sources: ['env-example'] });
    expect(byName(r, 'STRIPE_SECRET_KEY')?.evidence[0]?.snippet).toBe('STRIPE_SECRET_KEY=');
    expect(status(r, 'env-example')).toBe('pass');
  });

  it('warns when vars are read and no example exists, and when the example misses one', () => {
    const none = analyze({ 'package.json': pkg, 'a.js': `const k = process.env.API_TOKEN;\n` });
    expect(findingOf(none, 'env-example')).toMatchObject({ status: 'warn' });
    expect(findingOf(none, 'env-example')?.fix).toContain('API_TOKEN=');
    const partial = analyze({ 'package.json': pkg, '.env.example': `API_TOKEN=\n`, 'a.js': `const k = process.env.API_TOKEN;\nconst w = process.env.WEBHOOK_SECRET;\n` });
    expect(findingOf(partial, 'env-example')?.message).toContain('WEBHOOK_SECRET');
    expect(findingOf(partial, 'env-example')?.message).not.toContain('API_TOKEN');
  });

  it('warns about public URL / callback / origin settings', () => {
    const r = analyze({ 'package.json': pkg, 'a.js': `const cb = process.env.GITHUB_CALLBACK_URL;\nconst o = process.env.ALLOWED_ORIGINS;\nconst u = process.env.NEXTAUTH_URL;\n` });
    const f = findingOf(r, 'public-url-env');
    expect(f?.status).toBe('warn');
    expect(f?.message).toContain('GITHUB_CALLBACK_URL');
    expect(f?.message).toContain('ALLOWED_ORIGINS');
  });
});

describe('classifyEnv', () => {
  it.each([
    ['PORT', 'runtime-port'],
    ['HOST', 'runtime-port'],
    ['NODE_ENV', 'runtime-mode'],
    ['DATABASE_URL', 'database'],
    ['POSTGRES_URL', 'database'],
    ['PGPASSWORD', 'database'],
    ['REDIS_URL', 'database'],
    ['MONGODB_URI', 'database'],
    ['LOG_LEVEL', 'logging'],
    ['SENTRY_DSN', 'logging'],
    ['STRIPE_SECRET_KEY', 'third-party-key'],
    ['OPENAI_API_KEY', 'third-party-key'],
    ['GOOGLE_CLIENT_ID', 'third-party-key'],
    ['SLACK_WEBHOOK_URL', 'third-party-key'],
    ['SESSION_SECRET', 'server-secret'],
    ['APP_KEYS', 'server-secret'],
    ['JWT_SECRET', 'server-secret'],
    ['SMTP_PASSWORD', 'server-secret'],
    ['APP_URL', 'public-url'],
    // documenso's app address under a public prefix; hedgedoc's behind its product prefix.
    ['NEXT_PUBLIC_WEBAPP_URL', 'public-url'],
    ['HD_BASE_URL', 'public-url'],
    // The app's address by the bare name (Outline's URL, Reactive-Resume's PUBLIC_URL).
    ['URL', 'public-url'],
    ['PUBLIC_URL', 'public-url'],
    // heyform's APP_HOMEPAGE_URL: the cookie domain comes from it.
    ['APP_HOMEPAGE_URL', 'public-url'],
    ['HOMEPAGE_ALLOWED_HOSTS', 'public-url'],
    // Not the app's own address: an object store's public host, a CDN's, an API's.
    ['S3_PUBLIC_URL', 'other'],
    ['NEXT_PUBLIC_CDN_BASE_URL', 'other'],
    ['API_BASE_URL', 'other'],
    ['NEXTAUTH_URL', 'public-url'],
    ['CORS_ORIGIN', 'public-url'],
    ['MAX_UPLOAD_MB', 'other'],
    ['JWT_ACCESS_EXPIRATION_MINUTES', 'other'],
    // A secret's rotation, limits and switches hold no secret (umami, Unleash).
    ['SALT_ROTATION', 'other'],
    ['PASSWORD_RESET_LIMIT_PER_MINUTE', 'other'],
    ['AUTH_ENABLE_API_TOKEN', 'other'],
    ['PRIVATE_KEY_ROTATION_GRACE_PERIOD', 'other'],
    ['JWT_EXPIRES', 'other'],
    ['CAN_DROP_DATABASE', 'other'],
    ['MYSQL_DATABASE', 'database'],
  ])('%s is %s', (name, cls) => {
    expect(classifyEnv(name)).toBe(cls);
  });
});

describe('env file parsing', () => {
  it('parses quotes, export and comments; detects placeholders', () => {
    expect(parseEnvFile(`export A="x y"\nB='q' \nC=1 # note\n# D=2\n`)).toEqual([
      { name: 'A', value: 'x y', line: 1 },
      { name: 'B', value: 'q', line: 2 },
      { name: 'C', value: '1', line: 3 },
    ]);
    expect(isPlaceholder('<your-api-key>')).toBe(true);
    expect(isPlaceholder('changeme')).toBe(true);
    // Strapi's generated .env.example.
    expect(isPlaceholder('tobemodified')).toBe(true);
    expect(isPlaceholder('toBeModified1,toBeModified2')).toBe(true);
    expect(isPlaceholder('info')).toBe(false);
  });

  it("marks what the file calls optional: the nearest comment above in its block, or one on the line (chatbot-ui, novel)", () => {
    const text = '# Supabase\nSUPABASE_URL=\n\n# API Keys (Optional: override per user)\nOPENAI_API_KEY=\nANTHROPIC_API_KEY=\n\n# OPTIONAL: base URL\nOPENAI_BASE_URL=\nSENTRY_DSN= # optional\n';
    expect(parseEnvFile(text).map((v) => [v.name, v.optional ?? false])).toEqual([['SUPABASE_URL', false], ['OPENAI_API_KEY', true], ['ANTHROPIC_API_KEY', true], ['OPENAI_BASE_URL', true], ['SENTRY_DSN', true]]);
    const r = analyze({ 'package.json': pkgJson(['express']), '.env.example': text, 'server.js': "require('express')().listen(3000);\n" });
    expect(byName(r, 'SUPABASE_URL')).toMatchObject({ required: true });
    expect(byName(r, 'OPENAI_API_KEY')).toMatchObject({ required: false });
  });
});

describe('variables the code tests for', () => {
  it('are optional when the code checks whether they are set, and stay required behind a negated check', () => {
    const r = analyze({
      'package.json': pkgJson(['express', '@sentry/node', 'ioredis']),
      'index.js': [
        "const Sentry = require('@sentry/node');",
        'if (process.env.SENTRY_DSN) Sentry.init({ dsn: process.env.SENTRY_DSN });',
        "const cache = process.env.REDIS_URL ? new (require('ioredis'))(process.env.REDIS_URL) : null;",
        "const flag = process.env.FEATURE_X && 'on';",
        'const debugSql = !!process.env.DEBUG_SQL;',
        "if (!process.env.JWT_SECRET) throw new Error('JWT_SECRET is required');",
        'if (!process.env.DB_PASSWORD || !process.env.DB_USER) { console.error("missing"); process.exit(1); }',
        'if (args.telemetry === false || process.env.NO_TELEMETRY) disableTelemetry();',
        'function flags() { if (!process.env.FLAGS_URL) return {}; return load(process.env.FLAGS_URL); }',
        "require('express')().listen(process.env.PORT || 3000);",
        '',
      ].join('\n'),
    });
    const required = requiredOf(r);
    expect(required).toMatchObject({ SENTRY_DSN: false, REDIS_URL: false, FEATURE_X: false, DEBUG_SQL: false, JWT_SECRET: true, DB_PASSWORD: true, DB_USER: true, NO_TELEMETRY: false, FLAGS_URL: false });
  });

  it("take their default from the service's own helper that supplies one, in this file or imported", () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      // As Unleash writes them: the helper returns its second argument when the variable is unset.
      'src/util/parse-env.ts': [
        'export function parseEnvVarNumber(envVar: string | undefined, defaultVal: number): number {',
        '  if (!envVar) {',
        '    return defaultVal;',
        '  }',
        '  const parsed = Number.parseInt(envVar, 10);',
        '  return Number.isNaN(parsed) ? defaultVal : parsed;',
        '}',
        'export function parseEnvVarBoolean(envVar: string | undefined, defaultVal: boolean): boolean {',
        "  if (envVar) return envVar === 'true';",
        '  return defaultVal;',
        '}',
        "export const orDefault = (v: string | undefined, d: string) => v ?? d;",
        "export function withParamDefault(v = 'eu-1') { return v; }",
        // A validator: the variable must be set.
        'export function mustHave(v: string | undefined, name: string) {',
        '  if (!v) throw new Error(`${name} is required`);',
        '  return v;',
        '}',
        'export function shout(v: string) { return v.toUpperCase(); }',
        // One level through another helper, as Unleash's authTypeFromString hands its value to safeToUpper.
        'const safeToUpper = (s?: string) => (s ? s.toUpperCase() : s);',
        "export function authTypeFromString(s?: string, defaultType = 'open-source') { const upper = safeToUpper(s); return upper ?? defaultType; }",
        "export function strict(v?: string) { return mustHave(v, 'x'); }",
        '',
      ].join('\n'),
      'src/config.ts': [
        "import { parseEnvVarNumber, parseEnvVarBoolean, orDefault, withParamDefault, mustHave, shout, authTypeFromString, strict } from './util/parse-env.js';",
        'function local(v, fallback) { return v === undefined ? fallback : v; }',
        'export const config = {',
        '  port: parseEnvVarNumber(process.env.HTTP_PORT || process.env.PORT, 4242),',
        '  poolMax: parseEnvVarNumber(process.env.DATABASE_POOL_MAX, 4),',
        '  demo: parseEnvVarBoolean(process.env.UNLEASH_DEMO, false),',
        "  region: orDefault(process.env.REGION, 'us-1'),",
        '  zone: withParamDefault(process.env.ZONE),',
        "  secret: mustHave(process.env.SESSION_SECRET, 'SESSION_SECRET'),",
        '  name: shout(process.env.APP_TITLE),',
        "  mode: local(process.env.APP_FLAVOR, 'plain'),",
        '  auth: authTypeFromString(process.env.AUTH_TYPE),',
        '  strictly: strict(process.env.STRICT_TOKEN),',
        '};',
        '',
      ].join('\n'),
      'src/server.ts': "import express from 'express';\nimport { config } from './config.js';\nexpress().listen(config.port);\n",
    });
    const v = (n: string) => byName(r, n) && { required: byName(r, n)!.required, default: byName(r, n)!.default };
    expect(v('HTTP_PORT')).toEqual({ required: false, default: '4242' });
    expect(v('DATABASE_POOL_MAX')).toEqual({ required: false, default: '4' });
    expect(v('UNLEASH_DEMO')).toEqual({ required: false, default: 'false' });
    expect(v('REGION')).toEqual({ required: false, default: 'us-1' });
    expect(v('ZONE')).toEqual({ required: false, default: 'eu-1' });
    expect(v('APP_FLAVOR')).toEqual({ required: false, default: 'plain' });
    expect(v('SESSION_SECRET')).toEqual({ required: true, default: null });
    expect(v('APP_TITLE')).toEqual({ required: true, default: null });
    expect(v('AUTH_TYPE')).toEqual({ required: false, default: null });
    expect(v('STRICT_TOKEN')).toEqual({ required: true, default: null });
    // The port the service listens on when PORT is unset is the helper's default.
    expect(r.port).toMatchObject({ value: 4242, reads_env: true, env_name: 'HTTP_PORT', default: 4242 });
  });

  it('are optional behind a computed fallback, optional chaining or a comparison with a constant', () => {
    const r = analyze({
      'package.json': pkg,
      'src/config.js': [
        'const level = LogLevel[process.env.LOG_LEVEL ?? LogLevel.error];',
        "const origins = process.env.CORS_ORIGINS?.split(',') || [];",
        'const port = Number(process.env?.PORT) || settings.port || 3000;',
        'const key = process.env.API_KEY_OVERRIDE || readKeyFile();',
        'const token = process.env.UPSTREAM_TOKEN;',
        // Fallbacks that refuse to go on keep the variable required.
        "const jwt = process.env.JWT_SECRET || missing('JWT_SECRET');",
        "const dsn = process.env.DB_DSN ?? (() => { throw new Error('DB_DSN'); })();",
        "const k = process.env.LICENSE_KEY; const lk = k || process.exit(1);",
        "if (process.env.STRIPE_KEY === undefined || typeof process.env.MAIL_FROM === 'undefined') throw new Error('missing');",
        "if (process.env.REGION == null) { console.error('REGION'); process.exit(1); }",
        "const bucket = process.env.S3_BUCKET ? process.env.S3_BUCKET : requiredEnv('S3_BUCKET');",
        "const strict = process.env.STRICT_MODE === 'true' || '1' === process.env.STRICT_ALT;",
        'if (process.env.DATABASE_SSL != null) ssl = JSON.parse(process.env.DATABASE_SSL);',
        // The code's own value first (a caller's option): the variable is its fallback.
        'const edge = options.edgeKey ?? process.env.EDGE_MASTER_KEY;',
        'const mail = this.opts.mailHost || String(process.env.MAIL_HOST);',
        // One variable or the other: the last is what the code falls back to.
        'const api = process.env.PRIMARY_API_URL || process.env.FALLBACK_API_URL;',
        '',
      ].join('\n'),
    });
    const required = requiredOf(r);
    expect(required).toEqual({ API_KEY_OVERRIDE: false, CORS_ORIGINS: false, DATABASE_SSL: false, DB_DSN: true, EDGE_MASTER_KEY: false, FALLBACK_API_URL: true, MAIL_HOST: false, PRIMARY_API_URL: false, JWT_SECRET: true, LICENSE_KEY: true, LOG_LEVEL: false, MAIL_FROM: true, REGION: true, S3_BUCKET: true, STRIPE_KEY: true, PORT: false, STRICT_ALT: false, STRICT_MODE: false, UPSTREAM_TOKEN: true });
    expect(byName(r, 'PORT')?.default).toBe('3000');
  });
});

describe('variables an env schema declares', () => {
  it('are optional as the schema says: zod .optional()/.nullish()/.default(), Joi and yup unless .required(), envalid default', () => {
    const r = analyze({
      'package.json': pkgJson(['zod', '@t3-oss/env-core', 'envalid', 'joi', 'yup']),
      'src/zod.ts': [
        "import { z } from 'zod';",
        "const schema = z.object({ PORT: z.coerce.number().default(3000), SENTRY_DSN: z.string().optional(), DATABASE_URL: z.string().url(), REDIS_URL: z.string().nullish(), SESSION_SECRET: z.string().nullable() });",
        'export const env = schema.parse(process.env);',
        '',
      ].join('\n'),
      'src/t3.ts': [
        "import { createEnv } from '@t3-oss/env-core';",
        "import { z } from 'zod';",
        'export const env2 = createEnv({ server: { OPENAI_API_KEY: z.string().optional(), STRIPE_API_KEY: z.string(), CACHE_TTL: z.string().default("60") }, runtimeEnv: process.env });',
        '',
      ].join('\n'),
      'src/envalid.ts': [
        "import { cleanEnv, str, num } from 'envalid';",
        // devDefault applies only outside production: in the container the variable is required.
        "export const env3 = cleanEnv(process.env, { MAIL_HOST: str({ default: undefined }), MAIL_PORT: num({ default: 25 }), API_TOKEN: str(), ADMIN_EMAIL: str({ devDefault: 'a@b.c' }) });",
        '',
      ].join('\n'),
      'src/joi.js': [
        "const Joi = require('joi');",
        "const { value } = Joi.object({ JOI_REQUIRED: Joi.string().required(), JOI_OPTIONAL: Joi.string() }).unknown().validate(process.env);",
        'module.exports = value;',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toEqual({
      ADMIN_EMAIL: true,
      API_TOKEN: true,
      CACHE_TTL: false,
      DATABASE_URL: true,
      JOI_OPTIONAL: false,
      JOI_REQUIRED: true,
      MAIL_HOST: false,
      MAIL_PORT: false,
      OPENAI_API_KEY: false,
      PORT: false,
      REDIS_URL: false,
      SENTRY_DSN: false,
      SESSION_SECRET: true,
      STRIPE_API_KEY: true,
    });
    expect(byName(r, 'CACHE_TTL')?.default).toBe('60');
  });

  it("reads Nest's ConfigModule.forRoot({ validationSchema }) keys, required as the Joi schema says", () => {
    const r = analyze(
      {
        'package.json': pkgJson(['@nestjs/config', '@nestjs/core', 'joi']),
        'src/config/schema.ts': "import * as Joi from 'joi';\nexport const schema = Joi.object({ PORT: Joi.number().default(3000), DATABASE_URL: Joi.string().required(), MAILER_DSN: Joi.string() });\n",
        'src/app.module.ts': [
          "import { Module } from '@nestjs/common';",
          "import { ConfigModule } from '@nestjs/config';",
          "import { schema } from './config/schema';",
          '@Module({ imports: [ConfigModule.forRoot({ isGlobal: true, validationSchema: Joi.object({ JWT_SECRET: Joi.string().required(), CACHE_TTL: Joi.number().default(60) }) })] })',
          'export class AppModule {}',
          '@Module({ imports: [ConfigModule.forRoot({ validationSchema: schema })] })',
          'export class OtherModule {}',
          '',
        ].join('\n'),
      },
      { framework: 'nestjs' },
    );
    // Inline, and imported from another module by name.
    expect(requiredOf(r)).toEqual({ CACHE_TTL: false, DATABASE_URL: true, JWT_SECRET: true, MAILER_DSN: false, PORT: false });
    expect(byName(r, 'JWT_SECRET')?.evidence[0]).toMatchObject({ file: 'src/app.module.ts', line: 4, rule: 'nest-config-schema-key' });
  });
});

describe("envalid's validators as the module's members, and a secret's default", () => {
  it("reads envalid.bool({ default }) and asks for a secret whose default is the source's own text (reaction's TOKEN_SECRET)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/index.js' }, dependencies: { envalid: '7', express: '4' } }),
        'src/config.js': "import envalid from 'envalid';\nconst { bool, str, num } = envalid;\nexport default envalid.cleanEnv(process.env, {\n  REACTION_WORKERS_ENABLED: bool({ default: true }),\n  VERBOSE_JOBS: envalid.bool({ default: false }),\n  TOKEN_SECRET: str({ default: 'UPDATE_THIS_SECRET' }),\n  MIN_PASSWORD_STRENGTH: num({ default: 2 }),\n  PORT: num({ default: 3000 }),\n});\n",
        'src/index.js': "import config from './config.js';\nimport express from 'express';\nexpress().listen(config.PORT);\n",
      }),
    );
    const byName = Object.fromEntries(a.env_vars.map((v) => [v.name, v]));
    expect(byName.VERBOSE_JOBS).toMatchObject({ required: false, default: 'false' });
    expect(byName.REACTION_WORKERS_ENABLED).toMatchObject({ required: false, default: 'true' });
    expect(byName.TOKEN_SECRET).toMatchObject({ required: true, default: null, known_fallback: true });
    // A number is a setting whatever its name says (hedgedoc's HD_AUTH_LOCAL_MINIMAL_PASSWORD_STRENGTH).
    expect(byName.MIN_PASSWORD_STRENGTH?.known_fallback).toBeUndefined();
    expect(byName.MIN_PASSWORD_STRENGTH?.required).toBe(false);
  });
});

describe('variables tested through the name that holds them', () => {
  it('are optional when that name is tested in its scope, and stay required when it is only used or required', () => {
    const r = analyze({
      'package.json': pkg,
      'src/anonymise.js': [
        'export function encrypt(s) {',
        '  const key = process.env.ENC_KEY;',
        '  const iv = process.env.ENC_IV;',
        '  if (!key || !iv) return s;',
        '  return cipher(key, iv, s);',
        '}',
        '',
      ].join('\n'),
      'src/cache.js': ['const { REDIS_URL, CACHE_PREFIX } = process.env;', 'export const cache = REDIS_URL ? connect(REDIS_URL, CACHE_PREFIX) : null;', ''].join('\n'),
      'src/limits.js': ['const limit = Number(process.env.RATE_LIMIT);', 'export const useLimit = () => limit > 0 && !!limit;', ''].join('\n'),
      'src/auth.js': ["const secret = process.env.JWT_SECRET;", "if (!secret) throw new Error('JWT_SECRET is required');", 'export { secret };', ''].join('\n'),
      'src/client.js': [
        'function a() { const t = process.env.UPSTREAM_TOKEN; return fetch(url, { headers: { t } }); }',
        // Another function's `t` is not the constant above.
        'function b(t) { if (!t) return null; return t; }',
        'export { a, b };',
        '',
      ].join('\n'),
    });
    const required = requiredOf(r);
    expect(required).toEqual({ CACHE_PREFIX: true, ENC_IV: false, ENC_KEY: false, JWT_SECRET: true, RATE_LIMIT: false, REDIS_URL: false, UPSTREAM_TOKEN: true });
  });
});

describe('what is not a variable the operator gives', () => {
  it('skips methods of process.env and writes; a variable the code sets itself is optional', () => {
    const r = analyze({
      'package.json': pkg,
      'loader.js': [
        'if (!process.env.hasOwnProperty(name)) copy(name);',
        'process.env.isPrimary = isPrimary;',
        'process.env.port = ports[index];',
        "delete process.env.LEAKY_TOKEN;",
        '',
      ].join('\n'),
      'src/worker.js': ['const primary = process.env.isPrimary;', 'listen(process.env.port);', "const key = process.env.APP_KEY;", 'export { primary, key };', ''].join('\n'),
    });
    const required = requiredOf(r);
    expect(required).toEqual({ APP_KEY: true, isPrimary: false, port: false });
  });
});

describe('variables the build reads', () => {
  it.each(['tiered', 'ast'] as const)('marks a variable a build config or script reads, however many service files read it first (%s)', (mode) => {
    const files: Record<string, string> = { 'package.json': pkg };
    // Six service files read NODE_ENV before the build config in path order (more than the evidence kept).
    for (let i = 0; i < 6; i++) files[`src/m${i}.js`] = `export const prod${i} = process.env.NODE_ENV === 'production';\n`;
    files['webpack.prod.js'] = "module.exports = { mode: process.env.NODE_ENV, devtool: false };\n";
    files['esbuild.mjs'] = "await build({ outdir: process.env.ASSET_DIR || 'dist' });\n";
    files['src/server.js'] = "const d = process.env.DATA_DIR || '/data';\nexport default d;\n";
    const vars = analyzeIn(files, mode).env_vars;
    const byName = (n: string) => vars.find((v) => v.name === n);
    expect(byName('NODE_ENV')).toMatchObject({ read_by_build: true });
    expect(byName('NODE_ENV')?.evidence.some((e) => e.file === 'webpack.prod.js')).toBe(false);
    // Read only by the build: marked, and the deployment does not ask for it.
    expect(byName('ASSET_DIR')).toMatchObject({ read_by_build: true, required: false });
    // Read only by the running service: no mark.
    expect(byName('DATA_DIR')?.read_by_build).toBeUndefined();
  });
});

describe("a repository's own Docker entrypoint helper", () => {
  it("does not ask for what docker-entrypoint.js reads to write a config (haste-server): the image starts the server itself", () => {
    const r = analyze({
      'package.json': pkg,
      'docker-entrypoint.js': 'const { STORAGE_TYPE, STORAGE_PASSWORD, KEY_LENGTH } = process.env;\nconsole.log(JSON.stringify({ STORAGE_TYPE, STORAGE_PASSWORD, KEY_LENGTH }));\n',
      'server.js': "const app = require('express')();\napp.listen(process.env.PORT || 7777, process.env.HOST || 'localhost');\n",
    }, { entrypoint: 'server.js' });
    expect(requiredOf(r)).toMatchObject({ STORAGE_TYPE: false, STORAGE_PASSWORD: false, KEY_LENGTH: false });
  });
});

describe("the user's word in .sealos/config.json", () => {
  it('optional_env makes a variable the code reads without a default optional, with the config as evidence', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
        'server.js': "const mode = process.env.AUTH_TYPE;\nconst key = process.env.API_KEY;\nrequire('express')().listen(process.env.PORT || 3000);\n",
        '.sealos/config.json': JSON.stringify({ optional_env: ['AUTH_TYPE', 'NOT_READ'] }),
      }),
    );
    const v = a.env_vars.find((x) => x.name === 'AUTH_TYPE');
    expect(v).toMatchObject({ required: false, sources: ['code', 'config'] });
    expect(v?.evidence.at(-1)).toMatchObject({ file: '.sealos/config.json', rule: 'config-optional-env' });
    expect(a.env_vars.find((x) => x.name === 'API_KEY')?.required).toBe(true);
    // A name the code never reads is not invented.
    expect(a.env_vars.some((x) => x.name === 'NOT_READ')).toBe(false);
  });

  it('a malformed optional_env is a note, not a crash', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'app', scripts: { start: 'node s.js' } }), 's.js': '', '.sealos/config.json': JSON.stringify({ optional_env: 'AUTH_TYPE' }) }));
    expect(a.findings.find((f) => f.id === 'config-json')?.message).toMatch(/optional_env/);
  });
});

describe('files that are not the service', () => {
  it('leaves out tests, stories and test-runner set-up and config files', () => {
    const read = (name: string) => `export const x = process.env.${name};\n`;
    const r = analyze({
      'package.json': pkg,
      'src/server.ts': read('APP_SECRET'),
      'src/server.test.ts': read('FROM_TEST'),
      'src/button.stories.tsx': read('FROM_STORY'),
      'src/test-setup.ts': read('TEST_DB_TEMPLATE_NAME'),
      'src/setupTests.ts': read('FROM_SETUP_TESTS'),
      'jest.setup.js': read('FROM_JEST_SETUP'),
      'vitest.config.ts': read('FROM_VITEST_CONFIG'),
      'playwright.config.ts': read('E2E_BASE_URL'),
    });
    expect(r.env_vars.map((v) => v.name)).toEqual(['APP_SECRET']);
  });
});

describe('variables read through a helper (`env("X")`, `configService.get("X")`)', () => {
  it('are tested, defaulted and required by the code around them, as process.env reads are', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'src/env.ts': 'export const env = (k: string) => process.env[k];\nexport const requireEnv = (k: string) => { const v = process.env[k]; if (!v) throw new Error(k); return v; };\n',
      'src/config.ts': [
        "import { env, requireEnv } from './env';",
        "export const google = { id: env('GOOGLE_CLIENT_ID') ?? '' };",
        "export const debug = env('DEBUG_JOBS') === 'true';",
        "export const port = Number(env('PORT') || 3000);",
        "const sentry = env('SENTRY_DSN');",
        "if (sentry) console.log('sentry on');",
        "export function mailer() { if (!env('SMTP_URL')) return null; return env('SMTP_URL'); }",
        "export function must() { if (!env('LICENSE_KEY')) throw new Error('no license'); }",
        "export const secret = env('SESSION_SECRET');",
        "export const key = requireEnv('ENCRYPTION_KEY') || 'unused';",
        '',
      ].join('\n'),
      'src/server.ts': "import express from 'express';\nimport { port } from './config';\nexpress().listen(port);\n",
    });
    const byName = Object.fromEntries(r.env_vars.map((v) => [v.name, { required: v.required, default: v.default }]));
    expect(byName).toMatchObject({
      GOOGLE_CLIENT_ID: { required: false },
      DEBUG_JOBS: { required: false },
      PORT: { required: false, default: '3000' },
      SENTRY_DSN: { required: false },
      SMTP_URL: { required: false },
      LICENSE_KEY: { required: true },
      SESSION_SECRET: { required: true },
      // A helper that throws when the variable is unset keeps it required, whatever the code around it says.
      ENCRYPTION_KEY: { required: true },
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true });
  });
});

describe('a workspace unit and the root .env.example', () => {
  it('requires what the unit reads; a variable only the shared example lists is another unit’s', () => {
    const repo = memoryRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      '.env.example': 'DATABASE_URL=\nWEB_ANALYTICS_KEY=\nSESSION_SECRET=\n',
      'apps/api/package.json': pkgJson(['express'], { scripts: { start: 'node server.js' } }),
      'apps/api/server.js': "const express = require('express');\nconst url = process.env.DATABASE_URL;\nexpress().listen(process.env.PORT || 3000);\n",
      'apps/web/package.json': pkgJson(['next'], { scripts: { start: 'next start' } }),
    });
    const a = analyzeRepo(repo, { path: 'apps/api', now: () => new Date(0) });
    const byName = Object.fromEntries(a.env_vars.map((v) => [v.name, v.required]));
    expect(byName).toMatchObject({ DATABASE_URL: true, WEB_ANALYTICS_KEY: false, SESSION_SECRET: false });
    // The unit's own example file is the unit's word: what it lists is required.
    const own = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
        'apps/api/.env.example': 'SESSION_SECRET=\n',
        'apps/api/package.json': pkgJson(['express'], { scripts: { start: 'node server.js' } }),
        'apps/api/server.js': "require('express')().listen(process.env.PORT || 3000);\n",
      }),
      { path: 'apps/api', now: () => new Date(0) },
    );
    expect(own.env_vars.find((v) => v.name === 'SESSION_SECRET')?.required).toBe(true);
    // The root itself, over its units: its example lists the apps' variables, not the root's.
    const root = analyzeRepo(repo, { now: () => new Date(0) });
    expect(root.env_vars.filter((v) => v.required).map((v) => v.name)).toEqual([]);
  });
});

describe('presence tests inside conditions', () => {
  it('`A && !B` tests B; `if (!(A && B)) throw` and `if (!A || !B) throw` require both', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'src/a.js': [
        "if (process.env.VERCEL && !process.env.BUILD_GEO) console.log('geo');",
        "if (!(process.env.E1 && process.env.F1)) throw new Error('both');",
        "if (!process.env.A1 || !process.env.B1) throw new Error('either');",
        '',
      ].join('\n'),
    });
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toEqual({ BUILD_GEO: false, E1: true, F1: true, A1: true, B1: true });
  });

  it.each(['tiered', 'ast'] as const)("`typeof X === 'string'` tests X, directly or through its name; `typeof X === 'undefined'` before a throw requires it (sharetribe's basic auth) (%s)", (mode) => {
    const files = {
      'package.json': pkgJson(['express']),
      'src/auth.js': [
        'const USERNAME = process.env.BASIC_AUTH_USERNAME;',
        "const hasUsername = typeof USERNAME === 'string' && USERNAME.length > 0;",
        'if (hasUsername) use(USERNAME);',
        "if (typeof process.env.SENTRY_DSN === 'string') init(process.env.SENTRY_DSN);",
        "if (typeof process.env.APP_KEY === 'undefined') throw new Error('APP_KEY');",
        // Asserted, not tested (blues-stack): the service refuses to start without them.
        'const { DATABASE_URL } = process.env;',
        "invariant(typeof DATABASE_URL === 'string', 'DATABASE_URL env var not set');",
        "assert.ok(typeof process.env.SESSION_SECRET === 'string');",
        '',
      ].join('\n'),
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({ APP_KEY: true, BASIC_AUTH_USERNAME: false, DATABASE_URL: true, SENTRY_DSN: false, SESSION_SECRET: true });
  });
});

describe('Boolean(…) of a variable', () => {
  it.each(['tiered', 'ast'] as const)('is a presence test, like !!X, for each operand of an || inside it (ai-chatbot) (%s)', (mode) => {
    const files = {
      'package.json': pkgJson(['express']),
      'lib/constants.ts': 'export const isTest = Boolean(\n  process.env.PLAYWRIGHT_TEST_BASE_URL ||\n    process.env.PLAYWRIGHT ||\n    process.env.CI_PLAYWRIGHT\n);\nexport const flag = Boolean(process.env.FEATURE_X);\nexport const url = String(process.env.API_URL);\n',
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({ API_URL: true, CI_PLAYWRIGHT: false, FEATURE_X: false, PLAYWRIGHT: false, PLAYWRIGHT_TEST_BASE_URL: false });
  });

  it.each(['tiered', 'ast'] as const)("so is a boolean parser's argument, read directly or by a helper; assertEnv requires (logto) (%s)", (mode) => {
    const files = {
      'package.json': pkgJson(['koa', '@silverhand/essentials']),
      'src/values.ts': [
        "import { assertEnv, getEnv, yes } from '@silverhand/essentials';",
        'const parseBoolean = (v?: string) => v === "true";',
        'export default class GlobalValues {',
        "  public readonly trustProxyHeader = yes(getEnv('TRUST_PROXY_HEADER'));",
        '  public readonly strict = parseBoolean(process.env.STRICT_MODE);',
        "  public readonly databaseUrl = assertEnv('DB_URL');",
        "  public readonly tenantId = getEnv('DEVELOPMENT_TENANT_ID');",
        '}',
        '',
      ].join('\n'),
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({ TRUST_PROXY_HEADER: false, STRICT_MODE: false, DB_URL: true, DEVELOPMENT_TENANT_ID: true });
  });
});

describe('a config keyed by environment (sequelize-cli config/config.js)', () => {
  it.each(['tiered', 'ast'] as const)("reads only production's entry as deployed: development and test entries are optional (chartbrew) (%s)", (mode) => {
    const files = {
      'package.json': pkgJson(['sequelize', 'pg']),
      'models/config/config.js': [
        'module.exports = {',
        '  development: { username: process.env.CB_DB_USERNAME_DEV, host: process.env.CB_DB_HOST_DEV },',
        "  test: { host: process.env.CB_DB_HOST_DEV, dialect: process.env.CB_DB_DIALECT_DEV || 'mysql' },",
        '  production: { username: process.env.CB_DB_USERNAME, host: process.env.CB_DB_HOST },',
        '};',
        // Without a production entry nothing says which one runs.
        'export const targets = { development: process.env.DEV_TARGET, staging: process.env.STAGING_TARGET };',
        '',
      ].join('\n'),
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({
      CB_DB_DIALECT_DEV: false, CB_DB_HOST: true, CB_DB_HOST_DEV: false, CB_DB_USERNAME: true, CB_DB_USERNAME_DEV: false, DEV_TARGET: true, STAGING_TARGET: true,
    });
  });
});

describe('a module loaded only where NODE_ENV is not production', () => {
  it.each(['tiered', 'ast'] as const)('is not run as deployed: what it reads is optional, unless it is loaded elsewhere too (chartbrew settings-dev.js) (%s)', (mode) => {
    const files = {
      'package.json': pkgJson(['express']),
      'settings.js': 'module.exports = { port: process.env.CB_API_PORT };\n',
      'settings-dev.js': 'module.exports = { port: process.env.CB_API_PORT_DEV };\n',
      'mail-dev.js': 'module.exports = { host: process.env.MAIL_HOST_DEV };\n',
      'modules/mail.js': "const settings = process.env.NODE_ENV === 'production' ? require('../settings') : require('../settings-dev');\nconst mail = process.env.NODE_ENV === 'production' ? {} : require('../mail-dev');\nmodule.exports = { settings, mail };\n",
      'modules/preview.js': "module.exports = require('../mail-dev');\n",
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({ CB_API_PORT: true, CB_API_PORT_DEV: false, MAIL_HOST_DEV: true, NODE_ENV: false });
  });
});

describe('reads in code that runs only when other variables are set', () => {
  it.each(['tiered', 'ast'] as const)('are optional: the operator turns the feature on by setting those (uptime-kuma, sharetribe) (%s)', (mode) => {
    const files = {
      'package.json': pkgJson(['express']),
      'server/setup-database.js': [
        'if (process.env.UPTIME_KUMA_DB_TYPE) {',
        '  dbConfig.type = process.env.UPTIME_KUMA_DB_TYPE;',
        '  dbConfig.hostname = process.env.UPTIME_KUMA_DB_HOSTNAME;',
        '}',
        "if (process.env.RSA_PUBLIC_KEY && process.env.RSA_PRIVATE_KEY) router.get('/jwks.json', jwks(process.env.KEY_ID));",
        'const s3 = process.env.S3_BUCKET && new S3({ key: process.env.S3_KEY });',
        // Needed as it is elsewhere: the gate does not make it optional.
        'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
        'if (process.env.MIGRATE) migrate(process.env.DATABASE_URL);',
        // The deployment always sets NODE_ENV: no gate.
        'if (process.env.NODE_ENV) connect(process.env.SECRET_X);',
        // Its own test is no gate of itself: `X ? X : requiredEnv(X)` still refuses to run without it.
        "const api = process.env.API_URL ? process.env.API_URL : requiredEnv('API_URL');",
        // Through a name holding the variable as it is; a name with a default of its own is always set: no gate.
        'const dsn = process.env.SENTRY_DSN;',
        'if (dsn) init({ dsn, environment: process.env.SENTRY_ENVIRONMENT });',
        'const { STRIPE_KEY } = process.env;',
        'if (STRIPE_KEY) stripe(STRIPE_KEY, process.env.STRIPE_WEBHOOK_SECRET);',
        "const flag = process.env.FEATURE_FLAG || 'on';",
        'if (flag) use(process.env.FEATURE_KEY);',
        // Held in a name used only inside the gate (sharetribe's KEY_ID); a use anywhere else, also in a function
        // above the declaration, keeps it required.
        'const keyId = process.env.KEY_ID_HELD;',
        "if (process.env.RSA_PUBLIC_KEY) router.get('/jwks', jwks({ keyId }));",
        'function sign() { return jwt(secret); }',
        'const secret = process.env.JWT_SECRET;',
        'if (process.env.RSA_PUBLIC_KEY) use(secret);',
        '',
      ].join('\n'),
    };
    expect(requiredOf(analyzeIn(files, mode))).toEqual({
      API_URL: true, DATABASE_URL: true, KEY_ID: false, MIGRATE: false, NODE_ENV: false, RSA_PRIVATE_KEY: false, RSA_PUBLIC_KEY: false, S3_BUCKET: false, S3_KEY: false,
      SECRET_X: true, UPTIME_KUMA_DB_HOSTNAME: false, UPTIME_KUMA_DB_TYPE: false,
      SENTRY_DSN: false, SENTRY_ENVIRONMENT: false, STRIPE_KEY: false, STRIPE_WEBHOOK_SECRET: false, FEATURE_FLAG: false, FEATURE_KEY: true,
      KEY_ID_HELD: false, JWT_SECRET: true,
    });
  });
});

describe('configs only the build runs', () => {
  it("vite.config's variables are listed, not asked for; next.config's are the server's (epic-stack's SENTRY_ORG)", () => {
    const r = analyzeRepo(
      memoryRepo({
        'package.json': pkgJson(['express', 'vite'], { scripts: { start: 'node server.js', build: 'vite build' } }),
        'vite.config.ts': "export default { plugins: [sentry({ org: process.env.SENTRY_ORG, release: { name: process.env.COMMIT_SHA } })] };\n",
        'next.config.mjs': 'export default { basePath: process.env.BASE_PATH };\n',
        'server.js': "require('express')().listen(process.env.PORT || 3000);\n",
      }),
      { now: () => new Date(0) },
    );
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toEqual({ BASE_PATH: true, COMMIT_SHA: false, PORT: false, SENTRY_ORG: false });
  });
});

describe('Next.js env config', () => {
  it('a key of next.config `env` is a build-time constant, not a variable the server reads; what the config reads still is', () => {
    const r = analyze(
      {
        'package.json': pkgJson(['next']),
        'next.config.mjs': "const cloudUrl = process.env.CLOUD_URL || '';\nconst nextConfig = { env: { cloudUrl, basePath: '/x' } };\nexport default withBundleAnalyzer(nextConfig);\n",
        'app/page.tsx': 'export default function P() { return <a href={`${process.env.cloudUrl}${process.env.basePath}/login`}>{process.env.API_SECRET}</a>; }\n',
      },
      { framework: 'nextjs' },
    );
    expect(r.env_vars.map((v) => v.name).sort()).toEqual(['API_SECRET', 'CLOUD_URL']);
  });

  it("reads the config among next-compose-plugins' plugins (ohmyform's ui: withPlugins([optimizedImages({}), { env: { version } }]))", () => {
    const r = analyze(
      {
        'package.json': pkgJson(['next', 'next-compose-plugins']),
        'next.config.js': "const p = require('./package.json');\nconst withPlugins = require('next-compose-plugins');\nconst version = p.version;\nmodule.exports = withPlugins([\n  optimizedImages({}),\n  { poweredByHeader: true, env: { version } },\n]);\n",
        'pages/index.tsx': 'export default function P() { return <p>{process.env.version}</p>; }\n',
      },
      { framework: 'nextjs' },
    );
    expect(r.env_vars.map((v) => v.name)).not.toContain('version');
  });
});

describe('.env.example values composed from other variables', () => {
  it('the parts of DATABASE_URL=postgresql://${POSTGRES_USER}:… are not the service’s variables', () => {
    const r = analyzeRepo(
      memoryRepo({
        'package.json': pkgJson(['express', 'pg'], { scripts: { start: 'node server.js' } }),
        '.env.example': 'POSTGRES_USER=prisma\nPOSTGRES_PASSWORD=topsecret\nDB_HOST=localhost\nDATABASE_URL=postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${DB_HOST}:5432/blog\nJWT_SECRET=\n',
        'server.js': "const { Pool } = require('pg');\nnew Pool({ connectionString: process.env.DATABASE_URL });\nrequire('express')().listen(process.env.PORT || 3000);\n",
      }),
      { now: () => new Date(0) },
    );
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toEqual({ DATABASE_URL: true, DB_HOST: false, JWT_SECRET: true, PORT: false, POSTGRES_PASSWORD: false, POSTGRES_USER: false });
  });
});

describe('an envalid spec by name, and what outweighs a presence test', () => {
  it('reads cleanEnv(process.env, spec) keys; the schema requiring a variable wins over tests, deletes and a CLI config filling it in', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'envalid', 'knex']),
      'server/env.js': [
        "const { cleanEnv, num, str } = require('envalid');",
        "if (process.env.JWT_SECRET === '') delete process.env.JWT_SECRET;",
        'const spec = {',
        '  PORT: num({ default: 3000 }),',
        "  SITE_NAME: str({ default: 'Kutt' }),",
        "  JWT_SECRET: str({ devDefault: 'securekey' }),",
        "  MAIL_HOST: str({ default: '' }),",
        '};',
        'module.exports = cleanEnv(process.env, spec);',
        '',
      ].join('\n'),
      'knexfile.js': "if (!process.env.JWT_SECRET) process.env.JWT_SECRET = 'securekey';\nmodule.exports = { client: 'pg' };\n",
      'server/server.js': "const env = require('./env');\nrequire('express')().listen(env.PORT);\n",
    });
    const byName = Object.fromEntries(r.env_vars.map((v) => [v.name, { required: v.required, default: v.default }]));
    expect(byName).toMatchObject({ PORT: { required: false, default: '3000' }, SITE_NAME: { required: false, default: 'Kutt' }, JWT_SECRET: { required: true }, MAIL_HOST: { required: false } });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true });
  });
});

describe('variables only release or maintenance scripts read', () => {
  it('are listed but not asked for; one the server reads too is', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'extra/release/upload.mjs': 'const token = process.env.RELEASE_GITHUB_TOKEN;\nconst url = process.env.DATABASE_URL;\n',
      'scripts/seed.js': 'console.log(process.env.SEED_ADMIN_PASSWORD);\n',
      'server/index.js': "const db = process.env.DATABASE_URL;\nrequire('express')().listen(process.env.PORT || 3000);\n",
    });
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toEqual({ DATABASE_URL: true, PORT: false, RELEASE_GITHUB_TOKEN: false, SEED_ADMIN_PASSWORD: false });
  });
});

describe('a service started from scripts/', () => {
  it('reads its variables there: the directory is the service’s, not tooling', () => {
    const r = analyze(
      { 'package.json': pkgJson(['express']), 'scripts/server.js': "require('./db');\nrequire('express')().listen(process.env.PORT || 3000);\n", 'scripts/db.js': 'module.exports = process.env.DATABASE_URL;\n' },
      { entrypoint: 'scripts/server.js' },
    );
    expect(r.env_vars.find((v) => v.name === 'DATABASE_URL')?.required).toBe(true);
  });
});

describe('envalid validators of the service’s own', () => {
  it('`trustProxy({ default: "" })` (makeValidator) gives a default like str({ default })', () => {
    const r = analyze({
      'package.json': pkgJson(['envalid']),
      'src/config.ts': "import { cleanEnv, makeValidator, str } from 'envalid';\nconst trustProxy = makeValidator((x) => x);\nexport const env = cleanEnv(process.env, { TRUST_PROXY: trustProxy({ default: '' }), SALT: str() });\n",
    });
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toEqual({ SALT: true, TRUST_PROXY: false });
  });
});

describe('proxy variables', () => {
  it('HTTP_PROXY, NO_PROXY and their lower-case forms are the network’s, not inputs', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'src/proxy.ts': 'export const p = [process.env.HTTPS_PROXY, process.env.no_proxy ?? process.env.NO_PROXY, process.env.http_proxy, process.env.API_URL];\n' });
    expect(r.env_vars.map((v) => v.name)).toEqual(['API_URL']);
  });
});

describe('settings read side by side in one object literal', () => {
  it('plain settings beside defaulted ones, and a credential beside such a setting, are left unset on purpose', () => {
    const r = analyze({
      'package.json': pkg,
      'src/util.js': 'export function toInt(v, d) { if (!v) return d; return Number(v); }\n',
      'src/config.js': [
        "import { toInt } from './util.js';",
        'export const email = {',
        '  host: process.env.EMAIL_HOST,',
        '  port: toInt(process.env.EMAIL_PORT, 587),',
        "  sender: process.env.EMAIL_SENDER || 'noreply@example.com',",
        '  pass: process.env.EMAIL_PASSWORD,',
        '};',
        "export const server = { cdnPrefix: process.env.CDN_PREFIX, baseUri: process.env.BASE_URI_PATH ?? '' };",
        // A credential among defaulted settings only: the feature is the service itself.
        "export const jwt = { secret: process.env.JWT_SECRET, expiresIn: process.env.JWT_TTL || '7d' };",
        // The connection stays the database's: the template wires or asks for it.
        "export const db = { uri: process.env.MONGO_URI, poolSize: Number(process.env.POOL_SIZE || 5), name: process.env.APP_NAME };",
        // No sibling with a default: nothing says the plain reads may be unset.
        'export const integrations = { slackChannel: process.env.SLACK_CHANNEL, openAiKey: process.env.OPENAI_API_KEY };',
        'export const buildInfo = { date: process.env.BUILD_DATE, email };',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toEqual({
      APP_NAME: false, BASE_URI_PATH: false, BUILD_DATE: true, CDN_PREFIX: false, EMAIL_HOST: false, EMAIL_PASSWORD: false, EMAIL_PORT: false, EMAIL_SENDER: false,
      JWT_SECRET: true, JWT_TTL: false, MONGO_URI: true, OPENAI_API_KEY: true, POOL_SIZE: false, SLACK_CHANNEL: true,
    });
    expect(byName(r, 'EMAIL_PORT')?.default).toBe('587');
  });

  it("Redis auth and sentinel settings beside its defaulted host are options; where Redis is stays the code's word (automatisch)", () => {
    const r = analyze({
      'package.json': pkgJson(['ioredis']),
      'src/config/app.js': [
        'export default {',
        "  redisHost: process.env.REDIS_HOST || '127.0.0.1',",
        "  redisPort: parseInt(process.env.REDIS_PORT || '6379'),",
        '  redisUsername: process.env.REDIS_USERNAME,',
        '  redisPassword: process.env.REDIS_PASSWORD,',
        '  redisSentinelHost: process.env.REDIS_SENTINEL_HOST,',
        '  postgresHost: process.env.POSTGRES_HOST,',
        '  postgresPassword: process.env.POSTGRES_PASSWORD,',
        '};',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toEqual({ POSTGRES_HOST: true, POSTGRES_PASSWORD: true, REDIS_HOST: false, REDIS_PASSWORD: false, REDIS_PORT: false, REDIS_SENTINEL_HOST: false, REDIS_USERNAME: false });
  });

  it.each(['tiered', 'ast'] as const)("a feature's switch is never needed, nor what sits beside it (PairDrop's buttons); a connection's TLS files are options (mongo-express; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'mongodb']),
      'server/index.js': [
        'const conf = {};',
        'conf.buttons = {',
        '  donation_button: { active: process.env.DONATION_BUTTON_ACTIVE, link: process.env.DONATION_BUTTON_LINK, title: process.env.DONATION_BUTTON_TITLE },',
        '};',
        'const mongo = {',
        '  connectionString: process.env.ME_CONFIG_MONGODB_URL,',
        '  tls: getBoolean(process.env.ME_CONFIG_MONGODB_TLS, false),',
        '  tlsAllowInvalidCertificates: getBoolean(process.env.ME_CONFIG_MONGODB_TLS_ALLOW_CERTS, true),',
        '  tlsCAFile: process.env.ME_CONFIG_MONGODB_TLS_CA_FILE,',
        '  tlsCertificateKeyFile: process.env.ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE,',
        '};',
        'const betaEnabled = process.env.BETA_ENABLED;',
        'const title = process.env.SITE_TITLE;',
        'module.exports = { conf, mongo, betaEnabled, title };',
        '',
      ].join('\n'),
    }, mode);
    expect(requiredOf(r)).toMatchObject({
      DONATION_BUTTON_ACTIVE: false, DONATION_BUTTON_LINK: false, DONATION_BUTTON_TITLE: false,
      ME_CONFIG_MONGODB_TLS_CA_FILE: false, ME_CONFIG_MONGODB_TLS_CERT_KEY_FILE: false,
      BETA_ENABLED: false, SITE_TITLE: true,
    });
  });
});

describe('environment classes checked with class-validator', () => {
  it('reads each decorated UPPER_CASE property: @IsOptional() may be unset, any other validator requires it', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', '@nestjs/config', 'class-validator']),
      // Nest: a validator class applied to process.env in the config factory.
      'src/mail/mail.config.ts': [
        "import { registerAs } from '@nestjs/config';",
        "import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';",
        "import validateConfig from '../utils/validate-config';",
        'class EnvironmentVariablesValidator {',
        '  @IsInt() @Min(0) @Max(65535) @IsOptional()',
        '  MAIL_PORT: number;',
        '  @IsString()',
        '  MAIL_HOST: string;',
        '  @IsString() @IsOptional()',
        '  MAIL_USER: string;',
        '  @IsString() @IsOptional()',
        '  MAIL_PASSWORD: string;',
        '  mailerName: string;',
        '}',
        "export default registerAs('mail', () => {",
        '  validateConfig(process.env, EnvironmentVariablesValidator);',
        '  return { port: process.env.MAIL_PORT ? parseInt(process.env.MAIL_PORT, 10) : 587, host: process.env.MAIL_HOST, user: process.env.MAIL_USER, password: process.env.MAIL_PASSWORD };',
        '});',
        '',
      ].join('\n'),
      'src/environment.ts': "import fs from 'node:fs';\nlet environment: Record<string, string> = {};\nfor (const f of ['.env.production', '.env']) if (fs.existsSync(f)) environment = { ...environment, ...Object.fromEntries(fs.readFileSync(f, 'utf8').split('\\n').map((l) => l.split('='))) };\nenvironment = { ...environment, ...process.env } as Record<string, string>;\nexport default environment;\n",
      // Outline: the properties read the variables; an empty fallback does not pass @IsNotEmpty or @IsHexadecimal.
      'src/env.ts': [
        "import { IsBoolean, IsHexadecimal, IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, IsUrl } from 'class-validator';",
        "import os from 'node:os';",
        "import { IsDatabaseUrl, Public } from './validators';",
        // As Outline does: the variables merged with its .env files, not process.env itself.
        "import environment from './environment';",
        'export class Environment {',
        "  @IsIn(['development', 'production']) public ENVIRONMENT = environment.NODE_ENV ?? 'production';",
        "  @IsHexadecimal() public SECRET_KEY = environment.SECRET_KEY ?? '';",
        "  @IsNotEmpty() public UTILS_SECRET = environment.UTILS_SECRET ?? '';",
        // Off Heroku the fallback is '': @IsNotEmpty refuses it, so URL is needed (and it is the app's address).
        "  @IsNotEmpty() @IsUrl() public URL = (environment.URL ?? (environment.HEROKU_APP_NAME ? `https://${environment.HEROKU_APP_NAME}.herokuapp.com` : '')).replace(/\\/$/, '');",
        "  @IsString() public COLLABORATION_PATH = environment.COLLABORATION_PATH ?? '';",
        "  @IsOptional() @IsUrl() public CDN_URL = environment.CDN_URL ? environment.CDN_URL : undefined;",
        "  @IsOptional() public SLACK_CLIENT_SECRET = this.toOptionalString(environment.SLACK_CLIENT_SECRET);",
        "  @IsOptional() @IsString() public LOG_FORMAT = environment.LOG_FORMAT ?? 'json';",
        "  @IsBoolean() public TELEMETRY = this.toBoolean(environment.ENABLE_UPDATES ?? environment.TELEMETRY ?? 'true');",
        '  @IsNumber() public MAXIMUM_EXPORT_SIZE = this.toOptionalNumber(environment.MAXIMUM_EXPORT_SIZE) ?? os.totalmem();',
        // Not a variable: the initializer computes it from others; the project's own decorators say nothing known.
        '  @IsBoolean() public EMAIL_ENABLED = !!this.SMTP_HOST;',
        '  @Public public RELEASE = this.toOptionalString(environment.RELEASE);',
        '  @IsDatabaseUrl() public DATABASE_URL = this.toOptionalString(environment.DATABASE_URL);',
        '  private toOptionalString(v?: string) { return v ? v : undefined; }',
        '}',
        'export default new Environment();',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({
      MAIL_PORT: false, MAIL_HOST: true, MAIL_USER: false, MAIL_PASSWORD: false,
      SECRET_KEY: true, UTILS_SECRET: true, URL: true, COLLABORATION_PATH: false, CDN_URL: false, SLACK_CLIENT_SECRET: false, LOG_FORMAT: false,
      TELEMETRY: false, MAXIMUM_EXPORT_SIZE: false,
    });
    expect(byName(r, 'TELEMETRY')?.default).toBe('true');
    expect(byName(r, 'URL')).toMatchObject({ class: 'public-url', default: null });
    expect(r.env_vars.map((v) => v.name)).not.toContain('EMAIL_ENABLED');
    expect(r.env_vars.map((v) => v.name)).not.toContain('RELEASE');
    expect(r.env_vars.map((v) => v.name)).not.toContain('DATABASE_URL');
    expect(byName(r, 'SECRET_KEY')).toMatchObject({ default: null });
    expect(byName(r, 'MAIL_HOST')?.evidence.map((e) => e.rule)).toContain('class-validator-property');
    expect(r.env_vars.map((v) => v.name)).not.toContain('mailerName');
  });

  it('a request body described for the API (@ApiProperty) is no environment class (homebridge-config-ui-x)', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', '@nestjs/swagger', 'class-validator']),
      'src/hb-service.dto.ts': [
        "import { ApiProperty } from '@nestjs/swagger';",
        "import { IsBoolean, IsString } from 'class-validator';",
        'export class HbServiceStartupSettings {',
        '  @IsBoolean() @ApiProperty({ default: false, required: true }) HOMEBRIDGE_DEBUG: boolean;',
        '  @IsString() @ApiProperty({ required: false }) ENV_DEBUG?: string;',
        '}',
        '',
      ].join('\n'),
      // Windows' own variables, in whatever case the code spells them.
      'src/npm.ts': "import { join } from 'node:path';\nexport const npm = join(process.env.ProgramFiles, 'nodejs/npm.cmd') + process.env.windir;\n",
    });
    expect(r.env_vars.map((v) => v.name)).toEqual([]);
  });
});

describe('a feature that is not set up turns a request away', () => {
  it('`if (!X) throw new HttpException(…)` in a handler is a presence test; a plain Error still refuses to run', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core']),
      'src/users.controller.ts': [
        "import { Controller, Get, HttpException, NotFoundException } from '@nestjs/common';",
        "import { TRPCError } from '@trpc/server';",
        "import createError from 'http-errors';",
        "@Controller('users')",
        'export class UsersController {',
        '  @Get("sso") sso() {',
        "    if (!process.env.CHATBASE_TOKEN) { throw new HttpException('Chatbase SSO is not configured', 400); }",
        "    if (!process.env.AGENT_KEY) throw new NotFoundException();",
        "    if (!process.env.TRPC_KEY) throw new TRPCError({ code: 'NOT_FOUND' });",
        '    if (!process.env.LEGACY_KEY) throw createError(404);',
        "    if (!process.env.SIGNING_KEY) throw new Error('SIGNING_KEY is required');",
        '    return process.env.CHATBASE_TOKEN + process.env.AGENT_KEY + process.env.SIGNING_KEY;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({ CHATBASE_TOKEN: false, AGENT_KEY: false, TRPC_KEY: false, LEGACY_KEY: false, SIGNING_KEY: true });
  });
});

describe("AdonisJS's Env.create schema", () => {
  it('reads each key; without .optional() the app refuses to boot without it', () => {
    const r = analyze({
      'package.json': pkgJson(['@adonisjs/core']),
      'start/env.ts': [
        "import { Env } from '@adonisjs/core/env'",
        "export default await Env.create(new URL('../', import.meta.url), {",
        '  APP_KEY: Env.schema.string(),',
        '  SMTP_HOST: Env.schema.string.optional(),',
        "  DRIVE_DISK: Env.schema.enum(['fs', 's3'] as const),",
        "  S3_BUCKET: Env.schema.string.optional({ format: 'host' }),",
        '})',
        '',
      ].join('\n'),
      'config/mail.ts': "import env from '#start/env'\nexport default { host: env.get('SMTP_HOST') }\n",
    });
    expect(requiredOf(r)).toMatchObject({ APP_KEY: true, SMTP_HOST: false, DRIVE_DISK: true, S3_BUCKET: false });
    // Validated at boot with the example's value to go on: not an input, but the deployment must set it.
    const withExample = analyze({ 'package.json': pkgJson(['@adonisjs/core']), '.env.example': 'LOG_LEVEL=info\nAPP_KEY=\n', 'start/env.ts': "import { Env } from '@adonisjs/core/env'\nexport default await Env.create(new URL('../', import.meta.url), { LOG_LEVEL: Env.schema.string(), APP_KEY: Env.schema.string() })\n" });
    expect(byName(withExample, 'LOG_LEVEL')).toMatchObject({ required: false, default: 'info', must_set: true });
    expect(byName(withExample, 'APP_KEY')).toMatchObject({ required: true });
    expect(byName(withExample, 'APP_KEY')?.must_set).toBeUndefined();
    expect(byName(r, 'APP_KEY')?.evidence.map((e) => e.rule)).toContain('adonisjs-env-schema');
  });
});

describe('a schema over the service’s own keys, filled from the environment', () => {
  it('each variable takes what the schema says of its key; in a discriminated union only the discriminator is required', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core', 'zod']),
      'src/config/utils.ts': 'export function parseOptionalNumber(v?: string) { return v === undefined ? undefined : Number(v); }\n',
      'src/config/app.config.ts': [
        "import z from 'zod';",
        "import { parseOptionalNumber } from './utils';",
        'const schema = z',
        '  .object({',
        "    baseUrl: z.string().describe('HD_BASE_URL'),",
        "    backendPort: z.number().positive().int().max(65535).default(3000).describe('HD_BACKEND_PORT'),",
        "    backendBindIp: z.string().ip().default('127.0.0.1'),",
        "    log: z.object({ level: z.enum(['info', 'debug']).default('info'), file: z.string() }),",
        '  })',
        '  .transform((data) => data);',
        'export default () => {',
        '  const appConfig = schema.safeParse({',
        '    baseUrl: process.env.HD_BASE_URL,',
        '    backendPort: parseOptionalNumber(process.env.HD_BACKEND_PORT),',
        '    backendBindIp: process.env.HD_BACKEND_BIND_IP,',
        '    log: { level: process.env.HD_LOG_LEVEL, file: process.env.HD_LOG_FILE },',
        '  });',
        '  if (appConfig.error) throw new Error(appConfig.error.message);',
        '  return appConfig.data;',
        '};',
        '',
      ].join('\n'),
      // A union at the top: a key every variant requires is required, the others belong to one variant.
      'src/config/database.config.ts': [
        "import z from 'zod';",
        "const tls = z.object({ caPath: z.string() });",
        "const sqlite = z.object({ type: z.literal('sqlite'), name: z.string() });",
        "const postgres = z.object({ type: z.literal('postgres'), name: z.string(), host: z.string(), tls: tls.default({}) });",
        "const dbSchema = z.discriminatedUnion('type', [sqlite, postgres]);",
        'export const db = dbSchema.safeParse({',
        '  type: process.env.HD_DATABASE_TYPE,',
        '  name: process.env.HD_DATABASE_NAME,',
        '  host: process.env.HD_DATABASE_HOST,',
        '  tls: { caPath: process.env.HD_DATABASE_TLS_CA_PATH },',
        '});',
        // The code's own fallback is what the schema sees.
        "export const custom = z.object({ logo: z.string().url().or(z.null()) }).parse({ logo: process.env.HD_CUSTOM_LOGO ?? null });",
        '',
      ].join('\n'),
      'src/config/media.config.ts': [
        "import z from 'zod';",
        "const s3 = z.object({ type: z.literal('s3'), s3: z.object({ accessKeyId: z.string(), bucket: z.string() }) });",
        "const fs = z.object({ type: z.literal('filesystem'), filesystem: z.object({ uploadPath: z.string() }) });",
        "const schema = z.object({ backend: z.discriminatedUnion('type', [s3, fs]) });",
        'export const media = schema.parse({',
        '  backend: {',
        '    type: process.env.HD_MEDIA_BACKEND,',
        '    s3: { accessKeyId: process.env.HD_MEDIA_BACKEND_S3_ACCESS_KEY, bucket: process.env.HD_MEDIA_BACKEND_S3_BUCKET },',
        '    filesystem: { uploadPath: process.env.HD_MEDIA_BACKEND_FILESYSTEM_UPLOAD_PATH },',
        '  },',
        '});',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({
      HD_DATABASE_TYPE: true, HD_DATABASE_NAME: true, HD_DATABASE_HOST: false, HD_DATABASE_TLS_CA_PATH: false, HD_CUSTOM_LOGO: false,
      HD_BASE_URL: true, HD_BACKEND_PORT: false, HD_BACKEND_BIND_IP: false, HD_LOG_LEVEL: false, HD_LOG_FILE: true,
      HD_MEDIA_BACKEND: true, HD_MEDIA_BACKEND_S3_ACCESS_KEY: false, HD_MEDIA_BACKEND_S3_BUCKET: false, HD_MEDIA_BACKEND_FILESYSTEM_UPLOAD_PATH: false,
    });
    expect(byName(r, 'HD_BACKEND_PORT')?.default).toBe('3000');
    expect(byName(r, 'HD_BACKEND_BIND_IP')?.default).toBe('127.0.0.1');
  });
});

describe('a provider key read only inside integration methods', () => {
  it('is optional: the integration fails when used, the service starts; a key read at start stays required', () => {
    const r = analyze({
      'package.json': pkgJson(['@nestjs/core']),
      'src/discord.provider.ts': [
        'export class DiscordProvider {',
        '  async generateAuthUrl() {',
        '    return `https://discord.com/oauth2/authorize?client_id=${process.env.DISCORD_CLIENT_ID}`;',
        '  }',
        '  async authenticate(code: string) {',
        "    return fetch('https://discord.com/api/oauth2/token', { headers: { Authorization: `Basic ${process.env.DISCORD_CLIENT_ID}:${process.env.DISCORD_CLIENT_SECRET}` } });",
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/stripe.service.ts': [
        "import Stripe from 'stripe';",
        'export class StripeService {',
        '  private stripe: Stripe;',
        '  constructor() {',
        '    this.stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);',
        '  }',
        '  charge() { return this.stripe.charges.create({ amount: 1, currency: process.env.STRIPE_CURRENCY! }); }',
        '}',
        // Read once at module scope: needed to start.
        'export const analyticsKey = process.env.POSTHOG_API_KEY;',
        '',
      ].join('\n'),
      'src/auth.service.ts': [
        "import jwt from 'jsonwebtoken';",
        // A server secret read in a handler is the service's own: still required.
        'export class AuthService { login(id: string) { return jwt.sign({ id }, process.env.JWT_SECRET!); } }',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({ DISCORD_CLIENT_ID: false, DISCORD_CLIENT_SECRET: false, STRIPE_SECRET_KEY: true, POSTHOG_API_KEY: true, JWT_SECRET: true });
  });

  it('beside an environment schema validated at start, any setting it leaves out and only getters read is a feature setting', () => {
    // docmost: an EnvironmentVariables class-validator schema, and one getter per variable on an EnvironmentService.
    const service = [
      'export class EnvironmentService {',
      '  constructor(private configService: ConfigService) {}',
      "  getDatabaseURL(): string { return this.configService.get<string>('DATABASE_URL'); }",
      "  getAppSecret(): string { return this.configService.get<string>('APP_SECRET'); }",
      "  getAwsS3Bucket(): string { return this.configService.get<string>('AWS_S3_BUCKET'); }",
      "  getSmtpPassword(): string { return this.configService.get<string>('SMTP_PASSWORD'); }",
      '}',
      '',
    ].join('\n');
    const schema = [
      "import { IsNotEmpty, IsOptional, IsUrl } from 'class-validator';",
      'export class EnvironmentVariables {',
      '  @IsNotEmpty() @IsUrl() DATABASE_URL: string;',
      '  @IsNotEmpty() APP_SECRET: string;',
      '  @IsOptional() APP_URL: string;',
      '}',
      '',
    ].join('\n');
    const files = { 'package.json': pkgJson(['@nestjs/core', '@nestjs/config', 'class-validator']), 'src/env/environment.service.ts': service };
    expect(requiredOf(analyze({ ...files, 'src/env/environment.validation.ts': schema }))).toMatchObject({ DATABASE_URL: true, APP_SECRET: true, AWS_S3_BUCKET: false, SMTP_PASSWORD: false });
    // Without a schema nothing says what starting needs: the getters' variables stay required.
    expect(requiredOf(analyze(files))).toMatchObject({ DATABASE_URL: true, APP_SECRET: true, AWS_S3_BUCKET: true, SMTP_PASSWORD: true });
  });
});

describe("Strapi's env helpers", () => {
  it('reads env.int/bool/array/oneOf with their fallbacks; a fallback that is not a literal still lets the service run', () => {
    const r = analyze({
      'package.json': pkgJson(['@strapi/strapi']),
      'config/server.js': "module.exports = ({ env }) => ({\n  host: env('HOST', '0.0.0.0'),\n  port: env.int('PORT', 1337),\n  app: { keys: env.array('APP_KEYS') },\n});\n",
      'config/database.js': [
        'module.exports = ({ env }) => ({',
        "  connection: { client: env.oneOf('DATABASE_CLIENT', ['sqlite', 'postgres'], 'sqlite'), ssl: env.bool('DATABASE_SSL', false), key: env('DATABASE_SSL_KEY', undefined) },",
        '});',
        '',
      ].join('\n'),
    });
    expect(requiredOf(r)).toMatchObject({ APP_KEYS: true, DATABASE_CLIENT: false, DATABASE_SSL: false, DATABASE_SSL_KEY: false, HOST: false });
    expect(byName(r, 'DATABASE_CLIENT')?.default).toBe('sqlite');
    expect(byName(r, 'APP_KEYS')?.evidence[0]).toMatchObject({ file: 'config/server.js', rule: 'env-helper' });
  });
});

describe('what runs with NODE_ENV=production', () => {
  const files = {
    'package.json': pkgJson(['express', 'mongoose']),
    'src/config.js': [
      'module.exports = {',
      "  mongo: { uri: process.env.NODE_ENV === 'test' ? process.env.MONGO_URI_TESTS : process.env.MONGO_URI },",
      "  seed: process.env.NODE_ENV !== 'production' && process.env.SEED_FILE,",
      '};',
      "if (process.env.NODE_ENV === 'development') {",
      "  if (!process.env.DEV_TOKEN) throw new Error('DEV_TOKEN');",
      '}',
      '',
    ].join('\n'),
    'src/db.js': "const mongoose = require('mongoose');\nconst { mongo } = require('./config');\nmongoose.connect(mongo.uri);\n",
  };

  it.each(['tiered', 'ast'] as const)('connects with the production branch; what only tests or development read is optional (%s)', (mode) => {
    const r = analyzeIn(files, mode);
    expect(r.database).toMatchObject({ engine: 'mongodb', env_key: 'MONGO_URI' });
    expect(requiredOf(r)).toMatchObject({ MONGO_URI: true, MONGO_URI_TESTS: false, DEV_TOKEN: false });
  });
});

describe('what a setting left unset chooses', () => {
  const files = {
    'package.json': pkgJson(['express']),
    'src/config.js': [
      'let db;',
      'switch (process.env.DATABASE_TYPE) {',
      "  case 'postgres':",
      '    db = { host: process.env.DATABASE_HOST, password: process.env.DATABASE_PASSWORD };',
      '    break;',
      '  default:',
      '    db = { file: process.env.SQLITE_FILE };',
      '}',
      "switch (process.env.STORAGE || 's3') {",
      "  case 's3':",
      '    module.exports.bucket = process.env.S3_BUCKET;',
      '    break;',
      "  case 'azure':",
      '    module.exports.container = process.env.AZURE_CONTAINER;',
      '    break;',
      '}',
      "if (process.env.METRICS === 'otel') module.exports.endpoint = process.env.OTEL_ENDPOINT;",
      "if (process.env.AUTH !== 'none') module.exports.secret = process.env.JWT_SECRET;",
      'module.exports.db = db;',
      '',
    ].join('\n'),
  };

  it.each(['tiered', 'ast'] as const)('a branch another value chooses is optional; what runs by default stays required (%s)', (mode) => {
    const r = analyzeIn(files, mode);
    expect(requiredOf(r)).toMatchObject({
      DATABASE_HOST: false,
      DATABASE_PASSWORD: false,
      SQLITE_FILE: true,
      S3_BUCKET: true,
      AZURE_CONTAINER: false,
      OTEL_ENDPOINT: false,
      JWT_SECRET: true,
    });
  });

  it.each(['tiered', 'ast'] as const)("through a name bound to the setting, and past a default case that falls through (postiz's storage factory; %s)", (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'src/upload.factory.js': [
        "const storageProvider = process.env.STORAGE_PROVIDER || 'local';",
        'function storage() {',
        '  switch (storageProvider) {',
        "    case 'cloudflare':",
        '      return new Cloudflare(process.env.CLOUDFLARE_ACCOUNT_ID, process.env.CLOUDFLARE_SECRET_ACCESS_KEY);',
        "    case 'local':",
        '    default:',
        '      return new Local(process.env.UPLOAD_DIRECTORY);',
        '  }',
        '}',
        'module.exports = storage();',
        '',
      ].join('\n'),
    }, mode);
    expect(requiredOf(r)).toMatchObject({ CLOUDFLARE_ACCOUNT_ID: false, CLOUDFLARE_SECRET_ACCESS_KEY: false, UPLOAD_DIRECTORY: true });
  });
});

describe('dotenv-safe', () => {
  const example = 'NODE_ENV=development\nPORT=3000\nJWT_SECRET=bA2xcjpf8y5aSUFsNB2qN5yymUBSs6es3qHoFpGkec75RCeBb8cp\nJWT_EXPIRATION_MINUTES=15\nMONGO_URI=mongodb://mongodb:27017/app\nMONGO_URI_TESTS=mongodb://mongodb:27017/app-test\nEMAIL_HOST=\nSENTRY_DSN=\n';
  const config = (options: string) =>
    [
      `require('dotenv-safe').config({ example: path.join(__dirname, '../.env.example')${options} });`,
      'module.exports = {',
      '  jwtSecret: process.env.JWT_SECRET,',
      '  jwtMinutes: process.env.JWT_EXPIRATION_MINUTES || 15,',
      "  mongo: process.env.NODE_ENV === 'test' ? process.env.MONGO_URI_TESTS : process.env.MONGO_URI,",
      '  email: process.env.EMAIL_HOST,',
      '  sentry: process.env.SENTRY_DSN ? { dsn: process.env.SENTRY_DSN } : null,',
      '};',
      '',
    ].join('\n');
  const facts = (options: string) => analyze({ 'package.json': pkgJson(['express', 'dotenv-safe']), '.env.example': example, 'src/config.js': config(options) });
  const setTo = (r: ReturnType<typeof analyze>) => Object.fromEntries(r.env_vars.filter((v) => v.must_set).map((v) => [v.name, v.default]));

  it('refuses to start without any key the example lists: defaults are set, the rest asked for', () => {
    const r = facts('');
    // A key production never reads still has to be there: the example's own value, never a secret's.
    expect(setTo(r)).toEqual({ JWT_EXPIRATION_MINUTES: '15', MONGO_URI_TESTS: 'mongodb://mongodb:27017/app-test' });
    expect(requiredOf(r)).toMatchObject({ JWT_SECRET: true, MONGO_URI: true, EMAIL_HOST: true, SENTRY_DSN: true, PORT: false, NODE_ENV: false });
    expect(byName(r, 'SENTRY_DSN')?.evidence.map((e) => e.rule)).toContain('dotenv-safe');
  });

  it('with allowEmptyValues an empty key passes: what the service runs without is set empty', () => {
    const r = facts(', allowEmptyValues: true');
    // EMAIL_HOST sits beside a defaulted setting: left unset on purpose, so empty will do; JWT_SECRET is needed.
    expect(setTo(r)).toMatchObject({ SENTRY_DSN: '', EMAIL_HOST: '', JWT_EXPIRATION_MINUTES: '15' });
    expect(requiredOf(r)).toMatchObject({ JWT_SECRET: true, MONGO_URI: true, EMAIL_HOST: false, SENTRY_DSN: false });
  });

  it('without dotenv-safe the example lists, the code decides', () => {
    const r = analyze({ 'package.json': pkgJson(['express', 'dotenv']), '.env.example': example, 'src/config.js': config('').replace('dotenv-safe', 'dotenv') });
    expect(setTo(r)).toEqual({});
    expect(requiredOf(r)).toMatchObject({ SENTRY_DSN: false, MONGO_URI_TESTS: false, JWT_EXPIRATION_MINUTES: false });
  });
});

describe('a presence test through a number', () => {
  it.each(['tiered', 'ast'] as const)('`!!Number(X)`, `if (parseInt(X))` test presence; refusing to run on `!Number(X)` still requires it (kener) (%s)', (mode) => {
    // One construct per file: the token tier reads each file on its own.
    const lines = [
      'module.exports = !!Number(process.env.SMTP_SECURE);\n',
      "if (!parseInt(process.env.WORKERS)) console.log('one');\n",
      "if (Number(process.env.FLAG_X)) console.log('x');\n",
      "if (!Number(process.env.MUST_PORT)) throw new Error('MUST_PORT');\n",
      'if (!Number(process.env.EXIT_A)) process.exit(1);\n',
      'module.exports = Number(process.env.PLAIN_NUM);\n',
    ];
    const files: Record<string, string> = { 'package.json': pkgJson(['express']) };
    lines.forEach((l, i) => (files[`src/f${i}.js`] = l));
    expect(requiredOf(analyzeIn(files, mode))).toEqual({ SMTP_SECURE: false, WORKERS: false, FLAG_X: false, MUST_PORT: true, EXIT_A: true, PLAIN_NUM: true });
  });
});

describe('env-var chains', () => {
  it.each(['tiered', 'ast'] as const)('say what unset means: .required() requires, .default() gives the default, neither leaves it optional (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express', 'env-var']),
      'src/config.js': [
        "const env = require('env-var');",
        'module.exports = {',
        "  port: env.get('PORT').default('4100').asPortNumber(),",
        "  db: env.get('DATABASE_URL').required().asUrlString(),",
        "  debug: env.get('DEBUG_MODE').asBool(),",
        "  region: env.get('REGION').required(false).default('eu-1').asString(),",
        "  token: env.get('API_TOKEN').asString(),",
        '};',
        '',
      ].join('\n'),
    }, mode);
    expect(requiredOf(r)).toEqual({ PORT: false, DATABASE_URL: true, DEBUG_MODE: false, REGION: false, API_TOKEN: false });
    expect(byName(r, 'PORT')?.default).toBe('4100');
    expect(byName(r, 'REGION')?.default).toBe('eu-1');
  });
});

describe("the service's own env helpers", () => {
  // w3tecch/express-typescript-boilerplate: src/lib/env reads process.env[key]; src/env.ts calls it per variable.
  const files = {
    'package.json': pkgJson(['express']),
    '.env.example': 'APP_NAME=my-api\nLOG_LEVEL=debug\nDB_PASSWORD=\nCONTROLLERS=src/api/controllers/**/*.ts\n',
    'src/lib/env/utils.ts': [
      'export function getOsEnv(key: string): string {',
      "  if (typeof process.env[key] === 'undefined') {",
      '    throw new Error(`Environment variable ${key} is not set.`);',
      '  }',
      '  return process.env[key] as string;',
      '}',
      'export function getOsEnvOptional(key: string): string | undefined {',
      '  return process.env[key];',
      '}',
      "export const getOsEnvArray = (key: string, delimiter = ','): string[] => (process.env[key] && process.env[key].split(delimiter)) || [];",
      'export function getOsPath(key: string): string {',
      "  return require('path').join(process.cwd(), getOsEnv(key));",
      '}',
      'export function envOr(key: string, fallback: string): string {',
      '  return process.env[key] ?? fallback;',
      '}',
      '',
    ].join('\n'),
    'src/lib/env/index.ts': "export * from './utils';\n",
    'src/env.ts': [
      "import { envOr, getOsEnv, getOsEnvArray, getOsEnvOptional, getOsPath } from './lib/env';",
      'export const env = {',
      "  name: getOsEnv('APP_NAME'),",
      "  level: getOsEnv('LOG_LEVEL'),",
      "  uploads: getOsPath('UPLOAD_DIR'),",
      "  password: getOsEnvOptional('DB_PASSWORD'),",
      "  controllers: getOsEnvArray('CONTROLLERS'),",
      "  region: envOr('REGION', 'eu-1'),",
      '};',
      '',
    ].join('\n'),
  };

  it.each(['tiered', 'ast'] as const)('are read where they are called: one that throws when unset requires the variable (%s)', (mode) => {
    const r = analyzeIn(files, mode);
    expect(requiredOf(r)).toEqual({ APP_NAME: false, LOG_LEVEL: false, UPLOAD_DIR: true, DB_PASSWORD: false, CONTROLLERS: false, REGION: false });
    // Validated at start with the example's value to go on: the deployment sets it rather than leave the service to throw.
    expect(r.env_vars.filter((v) => v.must_set).map((v) => [v.name, v.default])).toEqual([
      ['APP_NAME', 'my-api'],
      ['LOG_LEVEL', 'debug'],
    ]);
    expect(byName(r, 'REGION')?.default).toBe('eu-1');
    expect(byName(r, 'APP_NAME')?.evidence[0]).toMatchObject({ file: 'src/env.ts', line: 3, rule: 'env-own-helper' });
  });

  it.each(['tiered', 'ast'] as const)('follow a key held in a constant (mongo-express) (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      '.env.example': 'ME_CONFIG_BASICAUTH_USERNAME=\nME_CONFIG_BASICAUTH_PASSWORD=\n',
      'config.js': [
        'function getFileEnv(envVariable) {',
        '  const fileVar = process.env[envVariable + "_FILE"];',
        '  if (fileVar) return require("fs").readFileSync(fileVar, "utf8").trim();',
        '  return process.env[envVariable];',
        '}',
        "const basicAuthUsername = 'ME_CONFIG_BASICAUTH_USERNAME';",
        "const basicAuthPassword = 'ME_CONFIG_BASICAUTH_PASSWORD';",
        'module.exports = {',
        "  basicAuth: { username: getFileEnv(basicAuthUsername) || 'admin', password: getFileEnv(basicAuthPassword) || 'pass' },",
        '};',
        '',
      ].join('\n'),
    }, mode);
    // Read by the helper, which tolerates them unset: listed by the example, yet no input a deployment must give.
    expect(requiredOf(r)).toMatchObject({ ME_CONFIG_BASICAUTH_USERNAME: false, ME_CONFIG_BASICAUTH_PASSWORD: false });
    expect(byName(r, 'ME_CONFIG_BASICAUTH_USERNAME')?.evidence.map((e) => e.rule)).toContain('env-own-helper');
  });
});

describe("Sentry's source-map upload settings", () => {
  it.each(['tiered', 'ast'] as const)('are the build\'s, never a deploy input, even read in next.config (rallly) (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['next', '@sentry/nextjs']),
      'next.config.js': "const { withSentryConfig } = require('@sentry/nextjs');\nmodule.exports = withSentryConfig({}, { org: process.env.SENTRY_ORG, project: process.env.SENTRY_PROJECT, authToken: process.env.SENTRY_AUTH_TOKEN });\n",
      'sentry.server.config.js': "require('@sentry/nextjs').init({ dsn: process.env.SENTRY_DSN });\n",
    }, mode, { framework: 'nextjs' });
    expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required]))).toMatchObject({ SENTRY_ORG: false, SENTRY_PROJECT: false, SENTRY_AUTH_TOKEN: false });
  });
});

describe("the product's own address by its package name", () => {
  it.each(['tiered', 'ast'] as const)('unleash-server reads UNLEASH_URL for the links it sends: public-url, set to the app address (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express'], { name: 'unleash-server' }),
      'src/config.js': "module.exports = { unleashUrl: process.env.UNLEASH_URL || 'http://localhost:4242', docsUrl: process.env.DOCS_URL || 'https://docs.getunleash.io' };\n",
    }, mode);
    expect(r.env_vars.find((v) => v.name === 'UNLEASH_URL')?.class).toBe('public-url');
    expect(r.env_vars.find((v) => v.name === 'DOCS_URL')?.class).toBe('other');
  });
});

describe('a default the code refuses', () => {
  // growthbook's back-end: a development default that production refuses to start with.
  it.each(['tiered', 'ast'] as const)('is no default: the variable is required (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      'src/secrets.ts': [
        "const prod = process.env.NODE_ENV === 'production';",
        "export const JWT_SECRET = process.env.JWT_SECRET || 'dev';",
        "if (prod && JWT_SECRET === 'dev') {",
        "  throw new Error('Cannot use JWT_SECRET=dev in production.');",
        '}',
        "export const ENCRYPTION_KEY = process.env.ENCRYPTION_KEY ?? 'dev';",
        "if (ENCRYPTION_KEY == 'dev' && prod) process.exit(1);",
        // Compared, but not refused: a default the service runs with.
        "export const REGION = process.env.REGION || 'eu-1';",
        "if (REGION === 'eu-1') console.log('default region');",
        '',
      ].join('\n'),
    }, mode);
    expect(r.env_vars.filter((v) => v.name !== 'NODE_ENV').map((v) => [v.name, v.required, v.default])).toEqual([
      ['ENCRYPTION_KEY', true, null],
      ['JWT_SECRET', true, null],
      ['REGION', false, 'eu-1'],
    ]);
  });
});

describe('a copy of process.env read by the service\'s own helper', () => {
  // nightscout/cgm-remote-monitor lib/server/env.js: the environment is copied key by key (trimmed), and every setting is
  // read from the copy through readENV(name, default).
  const files = {
    'package.json': pkgJson(['express']),
    'lib/server/env.js': [
      "const _trim = require('lodash/trim');",
      'const env = { settings: {} };',
      'var shadowEnv;',
      'function config() {',
      '  shadowEnv = {};',
      '  Object.keys(process.env).forEach((key, index) => {',
      '    shadowEnv[_trim(key)] = _trim(process.env[key]);',
      '  });',
      "  env.PORT = readENV('PORT', 1337);",
      "  env.HOSTNAME = readENV('HOSTNAME', null);",
      "  env.storageURI = readENV('STORAGE_URI') || readENV('MONGODB_URI');",
      "  env.debug = { minify: readENVTruthy('DEBUG_MINIFY', true) };",
      "  if (shadowEnv['DEVICESTATUS_DAYS'] && shadowEnv['DEVICESTATUS_DAYS'] == '2') env.days = 2;",
      '  return env;',
      '}',
      'function readENV(varName, defaultValue) {',
      "  var value = shadowEnv['CUSTOMCONNSTR_' + varName] || shadowEnv[varName] || shadowEnv[varName.toLowerCase()];",
      '  return value != null ? value : defaultValue;',
      '}',
      'function readENVTruthy(varName, defaultValue) {',
      '  var value = readENV(varName, defaultValue);',
      "  if (typeof value === 'string') value = value.toLowerCase() === 'true';",
      '  return value;',
      '}',
      'module.exports = config;',
      '',
    ].join('\n'),
    'lib/server/server.js': [
      "const env = require('./env')();",
      'var PORT = env.PORT;',
      'var HOSTNAME = env.HOSTNAME;',
      "const app = require('express')();",
      'app.listen(PORT, HOSTNAME);',
      '',
    ].join('\n'),
    // A copy under other names: its members are not the variables of the same name.
    'lib/prefixed.js': [
      'const settings = {};',
      "for (const key of Object.keys(process.env)) if (key.startsWith('APP_')) settings[key.slice(4)] = process.env[key];",
      'module.exports = settings.TIMEOUT;',
      '',
    ].join('\n'),
  };

  it.each(['tiered', 'ast'] as const)('lists what the helper reads, with its defaults, and the port (%s)', (mode) => {
    const r = analyzeIn(files, mode, { entrypoint: 'lib/server/server.js' });
    expect(r.env_vars.map((v) => [v.name, v.required, v.default])).toEqual([
      ['DEBUG_MINIFY', false, 'true'],
      ['DEVICESTATUS_DAYS', false, null],
      ['HOSTNAME', false, null],
      ['MONGODB_URI', false, null],
      ['PORT', false, '1337'],
      ['STORAGE_URI', false, null],
    ]);
    expect(byName(r, 'PORT')?.evidence[0]).toMatchObject({ file: 'lib/server/env.js', line: 9 });
    expect(r.port).toMatchObject({ value: 1337, reads_env: true, env_name: 'PORT' });
  });
});

describe('a map a setting picks one entry of', () => {
  // Every Strapi project's config/database.js.
  const files = {
    'package.json': pkgJson(['@strapi/strapi', 'better-sqlite3']),
    'config/database.js': [
      "const path = require('path');",
      'module.exports = ({ env }) => {',
      "  const client = env('DATABASE_CLIENT', 'sqlite');",
      '  const connections = {',
      "    postgres: { connection: { connectionString: env('DATABASE_URL'), host: env('DATABASE_HOST', 'localhost'), password: env('DATABASE_PASSWORD') } },",
      "    sqlite: { connection: { filename: path.join(__dirname, '..', env('DATABASE_FILENAME', '.tmp/data.db')) }, useNullAsDefault: true },",
      '  };',
      "  return { connection: { client, ...connections[client], acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000) } };",
      '};',
      '',
    ].join('\n'),
  };

  it.each(['tiered', 'ast'] as const)('reads the other entries only when the operator chooses them (%s)', (mode) => {
    const r = analyzeSource(memoryContext(files), hints({ framework: 'strapi', scripts: {} }), mode);
    expect(requiredOf(r)).toMatchObject({ DATABASE_URL: false, DATABASE_PASSWORD: false, DATABASE_CLIENT: false });
  });

  it('with PostgreSQL as the default entry, its settings stay required', () => {
    const pg = { ...files, 'config/database.js': files['config/database.js'].replace("env('DATABASE_CLIENT', 'sqlite')", "env('DATABASE_CLIENT', 'postgres')") };
    expect(requiredOf(analyze(pg))).toMatchObject({ DATABASE_URL: true, DATABASE_PASSWORD: true });
  });
});

describe('an environment validated by a JSON Schema (fastify-env, @fastify/env, env-schema)', () => {
  const schema = "module.exports = {\n  type: 'object',\n  required: ['JWT_SECRET', 'PORT'],\n  properties: {\n    PORT: { type: 'number', default: 3000 },\n    JWT_SECRET: { type: 'string' },\n    LOG_LEVEL: { type: 'string' },\n  },\n};\n";
  const vars = (files: Record<string, string>, mode: 'tiered' | 'ast' = 'tiered') =>
    Object.fromEntries(analyzeIn({ 'package.json': pkgJson(['fastify', '@fastify/env', 'env-schema']), 'schema.js': schema, ...files }, mode).env_vars.map((e) => [e.name, { required: e.required, default: e.default, rule: e.evidence[0]?.rule }]));

  it('each property is a variable; one required without a default stops the service at start (fastify-example-twitter)', () => {
    const app = "const fastify = require('fastify')();\nconst schema = require('./schema');\nfastify.register(require('@fastify/env'), { schema, dotenv: false });\n";
    const expected = {
      PORT: { required: false, default: '3000', rule: 'json-schema-env' },
      JWT_SECRET: { required: true, default: null, rule: 'json-schema-env' },
      LOG_LEVEL: { required: false, default: null, rule: 'json-schema-env' },
    };
    expect(vars({ 'app.js': app })).toMatchObject(expected);
    expect(vars({ 'app.js': app }, 'ast')).toMatchObject(expected);
    // env-schema called directly, with the plugin imported by name.
    expect(vars({ 'config.mjs': "import envSchema from 'env-schema';\nimport schema from './schema.js';\nexport const config = envSchema({ schema });\n" })).toMatchObject(expected);
    expect(vars({ 'app.mjs': "import Fastify from 'fastify';\nimport fastifyEnv from '@fastify/env';\nimport schema from './schema.js';\nawait Fastify().register(fastifyEnv, { schema });\n" })).toMatchObject(expected);
  });

  it('reads nothing from a schema no env plugin is given', () => {
    const v = vars({ 'app.js': "const fastify = require('fastify')();\nconst schema = require('./schema');\nfastify.post('/x', { schema: { body: schema } }, async () => 'ok');\n" });
    expect(v.JWT_SECRET).toBeUndefined();
  });
});

describe('variables read through a name that holds process.env', () => {
  it.each([
    ['const env = process.env', 'env'],
    ['const env = { ...process.env }', 'env'],
    ['const { env } = process', 'env'],
    ['const { env: e } = process', 'e'],
  ])('%s: its members are env reads, required or defaulted as process.env.X would be, in both tiers', (decl, name) => {
    const src = `${decl};\nrequire('express')().listen(Number(${name}.PORT || 4000));\nif (!${name}.JWT_SECRET) throw new Error('JWT_SECRET is required');\nconst region = ${name}.S3_REGION ?? 'us-east-1';\n`;
    for (const mode of ['tiered', 'ast'] as const) {
      const r = analyzeIn({ 'package.json': pkgJson(['express']), 'index.js': src }, mode);
      expect(r.port, mode).toMatchObject({ value: 4000, reads_env: true, env_name: 'PORT' });
      expect(r.env_vars.map((v) => [v.name, v.required]).sort(), mode).toEqual([['JWT_SECRET', true], ['PORT', false], ['S3_REGION', false]]);
    }
  });

  it('another object named env is not the environment', () => {
    const r = analyze({ 'package.json': pkgJson(['express']), 'index.js': "const env = { PORT: 4000, API_KEY: 'x' };\nrequire('express')().listen(env.PORT);\nconsole.log(env.API_KEY);\n" });
    expect(r.env_vars.map((v) => v.name)).toEqual([]);
  });
});

describe("an example file's address on the developer's machine", () => {
  it.each(['tiered', 'ast'] as const)('is no default for a pod: optional stays unset, needed is asked for (NextChat PROXY_URL) (%s)', (mode) => {
    const r = analyzeIn({
      'package.json': pkgJson(['express']),
      '.env.example': 'PROXY_URL=http://localhost:7890\nUPSTREAM_URL=http://127.0.0.1:8080/v1\nHOST=0.0.0.0\nLOG_FORMAT=json\n',
      'server.js': "const proxy = process.env.PROXY_URL;\nif (proxy) console.log('proxy', proxy);\nfetch(process.env.UPSTREAM_URL);\nconsole.log(process.env.LOG_FORMAT, process.env.HOST);\nrequire('express')().listen(3000);\n",
    }, mode);
    const v = (n: string) => r.env_vars.find((x) => x.name === n);
    expect([v('PROXY_URL')?.required, v('PROXY_URL')?.default]).toEqual([false, null]);
    expect([v('UPSTREAM_URL')?.required, v('UPSTREAM_URL')?.default]).toEqual([true, null]);
    // All interfaces and a plain setting stay the example's.
    expect(v('HOST')?.default).toBe('0.0.0.0');
    expect(v('LOG_FORMAT')?.default).toBe('json');
  });
});
