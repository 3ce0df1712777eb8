import { describe, expect, it } from 'vitest';
import { analyze, pkgJson, status } from './memory-repo.js';

// node-config (the `config` package): config/default.* ← config/production.* ← custom-environment-variables.*
const withConfig = pkgJson(['express', 'config', 'pg']);
const server = (expr: string) => `const express = require('express');\nconst config = require('config');\nconst app = express();\napp.listen(${expr});\n`;

describe('node-config', () => {
  it('reads the port from default.json when nothing overrides it, and says the code does not read PORT', () => {
    const r = analyze({ 'package.json': withConfig, 'config/default.json': '{ "port": 3100 }', 'index.js': server("config.get('port')") });
    expect(r.port).toMatchObject({ value: 3100, reads_env: false });
    expect(status(r, 'reads-port')).not.toBe('pass');
  });

  it('takes production.json over default.json, and a mapped variable over both (YAML files too)', () => {
    const r = analyze({
      'package.json': withConfig,
      'config/default.yaml': 'server:\n  port: 3000\n  host: 127.0.0.1\n',
      'config/production.yml': 'server:\n  port: 8080\n',
      'config/custom-environment-variables.yaml': 'server:\n  port:\n    __name: PORT\n    __format: number\n',
      'index.js': server("config.get('server.port'), config.get('server.host')"),
    });
    expect(r.port).toMatchObject({ value: 8080, reads_env: true, env_name: 'PORT' });
    // production.yml does not override the host: the default's loopback address is what runs.
    expect(r.bind).toMatchObject({ host: '127.0.0.1', all_interfaces: false });
    expect(status(r, 'bind-all-interfaces')).toBe('fail');
    expect(r.env_vars.find((v) => v.name === 'PORT')?.evidence[0]).toMatchObject({ file: 'config/custom-environment-variables.yaml', line: 3 });
  });

  it('follows property access and ESM imports, and finds the database variable through the config', () => {
    const r = analyze({
      'package.json': withConfig,
      'config/default.json': '{ "http": { "port": 5000 }, "db": { "url": "postgres://localhost/dev" } }',
      'config/custom-environment-variables.json': '{ "http": { "port": "PORT" }, "db": { "url": "ORDERS_DB_URL" }, "auth": { "jwtSecret": "JWT_SECRET" } }',
      'src/db.mjs': "import config from 'config';\nimport pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: config.db.url });\n",
      'src/index.mjs': "import express from 'express';\nimport config from 'config';\nimport './db.mjs';\nconst app = express();\napp.listen(config.http.port);\n",
    });
    expect(r.port).toMatchObject({ value: 5000, reads_env: true, env_name: 'PORT' });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'ORDERS_DB_URL' });
    expect(r.env_vars.map((v) => [v.name, v.class])).toEqual(expect.arrayContaining([['ORDERS_DB_URL', 'database'], ['JWT_SECRET', 'server-secret']]));
  });

  it('is not node-config without the dependency: a local config module stays a module', () => {
    const r = analyze({
      'package.json': pkgJson(['express']),
      'config/default.json': '{ "port": 3100 }',
      'index.js': server("config.get('port')"),
    });
    expect(r.port.value).toBeNull();
  });
});

// convict: each setting declares its default and the variable that overrides it.
describe('convict', () => {
  const schema = `const convict = require('convict');
const config = convict({
  env: { doc: 'environment', format: ['production', 'development'], default: 'development', env: 'NODE_ENV' },
  http: {
    port: { doc: 'port to bind', format: 'port', default: 8080, env: 'PORT' },
    host: { format: String, default: '0.0.0.0', env: 'HOST' },
  },
  db: { url: { format: String, default: '', env: 'DATABASE_URL', sensitive: true } },
  jwtSecret: { format: String, default: null, env: 'JWT_SECRET', sensitive: true },
});
config.validate({ allowed: 'strict' });
module.exports = config;
`;

  it('resolves config.get through the schema to the variable and its default, across modules', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'convict', 'pg']),
      'src/config.js': schema,
      'src/db.js': "const config = require('./config');\nconst { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: config.get('db.url') });\n",
      'src/index.js': "const express = require('express');\nconst config = require('./config');\nrequire('./db');\nconst app = express();\napp.listen(config.get('http.port'), config.get('http.host'));\n",
    });
    expect(r.port).toMatchObject({ value: 8080, reads_env: true, env_name: 'PORT' });
    expect(r.bind).toMatchObject({ host: '0.0.0.0', all_interfaces: true });
    expect(r.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URL' });
    const vars = Object.fromEntries(r.env_vars.map((v) => [v.name, v]));
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['PORT', 'HOST', 'DATABASE_URL', 'JWT_SECRET']));
    expect(vars.PORT).toMatchObject({ default: '8080', required: false });
    expect(vars.JWT_SECRET).toMatchObject({ class: 'server-secret', required: true });
    expect(vars.PORT!.evidence[0]).toMatchObject({ file: 'src/config.js', line: 5, rule: 'convict-env' });
  });

  it('requires a variable only when convict would refuse to start without it', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'convict']),
      'src/config.js': `const convict = require('convict');\nconst path = require('path');\nmodule.exports = convict({\n  port: { default: process.env.PORT ? process.env.PORT : 5006, env: 'APP_PORT' },\n  methods: { default: ['password', 'header'], env: 'APP_LOGIN_METHODS' },\n  dataDir: { default: path.join(__dirname, 'data'), env: 'APP_DATA_DIR' },\n  token: { default: null, format: String, env: 'APP_TOKEN' },\n  proxy: { default: null, nullable: true, format: String, env: 'APP_PROXY' },\n});\n`,
      'src/index.js': "const config = require('./config');\nrequire('express')().listen(config.get('port'));\n",
    });
    const vars = Object.fromEntries(r.env_vars.map((v) => [v.name, v]));
    expect(vars.APP_PORT).toMatchObject({ default: '5006', required: false });
    expect(vars.APP_LOGIN_METHODS).toMatchObject({ required: false });
    expect(vars.APP_DATA_DIR).toMatchObject({ required: false });
    expect(vars.APP_TOKEN).toMatchObject({ required: true });
    expect(vars.APP_PROXY).toMatchObject({ required: false });
    expect(r.port).toMatchObject({ value: 5006, reads_env: true, env_name: 'APP_PORT' });
  });

  it('reads an ESM schema defined as a separate object', () => {
    const r = analyze({
      'package.json': pkgJson(['fastify', 'convict']),
      'src/config.mjs': "import convict from 'convict';\nconst spec = { port: { default: 3000, env: 'PORT', format: 'port' } };\nexport default convict(spec);\n",
      'src/server.mjs': "import Fastify from 'fastify';\nimport config from './config.mjs';\nconst app = Fastify();\nawait app.listen({ port: config.get('port'), host: '0.0.0.0' });\n",
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT' });
  });
});

// env-var: `env.get('PORT').default('3000').asPortNumber()`.
describe('env-var', () => {
  it('follows the chain to the variable and its default', () => {
    const r = analyze({
      'package.json': pkgJson(['express', 'env-var']),
      'src/config.js': "const env = require('env-var');\nmodule.exports = {\n  port: env.get('PORT').default('3000').asPortNumber(),\n  dbUrl: env.get('DATABASE_URL').required().asUrlString(),\n  secret: env.get('SESSION_SECRET').required().asString(),\n};\n",
      'src/index.js': "const express = require('express');\nconst config = require('./config');\nconst app = express();\napp.listen(config.port);\n",
    });
    expect(r.port).toMatchObject({ value: 3000, reads_env: true, env_name: 'PORT' });
    const vars = Object.fromEntries(r.env_vars.map((v) => [v.name, v]));
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'SESSION_SECRET']));
    expect(vars.SESSION_SECRET).toMatchObject({ class: 'server-secret', required: true });
  });
});
