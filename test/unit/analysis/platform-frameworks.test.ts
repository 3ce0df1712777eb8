import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const pkg = (deps: Record<string, string>, scripts: Record<string, string>) => JSON.stringify({ name: 'app', private: true, scripts, dependencies: deps });

describe('platforms whose CLI runs the HTTP server (no listen() in the project)', () => {
  it('Strapi, Keystone and Medusa are servers on their default port, read PORT, and start with their CLI', () => {
    const cases: Array<{ deps: Record<string, string>; scripts: Record<string, string>; framework: string; port: number }> = [
      { deps: { '@strapi/strapi': '5.12.4' }, scripts: { start: 'strapi start', build: 'strapi build' }, framework: 'strapi', port: 1337 },
      { deps: { '@keystone-6/core': '^6.3.0' }, scripts: { start: 'keystone start', build: 'keystone build' }, framework: 'keystone', port: 3000 },
      { deps: { '@medusajs/framework': '2.8.0', '@medusajs/medusa': '2.8.0', vite: '^5.4.0' }, scripts: { start: 'medusa start', build: 'medusa build' }, framework: 'medusa', port: 9000 },
    ];
    for (const c of cases) {
      const a = analyzeRepo(memoryRepo({ 'package.json': pkg(c.deps, c.scripts), 'src/index.ts': 'export default {};\n' }));
      expect({ framework: a.framework.name, kind: a.kind, port: a.port.value, reads_env: a.port.reads_env, env_name: a.port.env_name }, c.framework).toEqual({ framework: c.framework, kind: 'server', port: c.port, reads_env: true, env_name: 'PORT' });
      expect(a.commands.start, c.framework).toBe('npm start');
    }
  });

  it('a Next.js app that embeds Keystone (and declares next, as Keystone apps do) is what its start script runs', () => {
    const both = { '@keystone-6/core': '^6.3.0', next: '^15.0.0', react: '^19.0.0' };
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg(both, { start: 'keystone start', build: 'keystone build' }) })).framework.name).toBe('keystone');
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg(both, { start: 'next start', build: 'keystone build --no-ui && next build' }) })).framework.name).toBe('nextjs');
  });

  it('without a start script, the platform CLI is the start command', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ '@keystone-6/core': '^6.3.0' }, { build: 'keystone build' }), 'keystone.ts': 'export default {};\n' }));
    expect(a.commands.start).toBe('npx keystone start');
  });

  it('Medusa 2: PostgreSQL on DATABASE_URL, `medusa db:migrate`, and that production runs from .medusa/server', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': pkg({ '@medusajs/framework': '2.8.0', '@medusajs/medusa': '2.8.0' }, { start: 'medusa start', build: 'medusa build' }),
        'medusa-config.ts': [
          "import { loadEnv, defineConfig } from '@medusajs/framework/utils'",
          "loadEnv(process.env.NODE_ENV || 'development', process.cwd())",
          'module.exports = defineConfig({',
          '  projectConfig: { databaseUrl: process.env.DATABASE_URL, http: { storeCors: process.env.STORE_CORS!, jwtSecret: process.env.JWT_SECRET || "supersecret" } },',
          '})',
          '',
        ].join('\n'),
      }),
    );
    expect(a.database).toMatchObject({ engine: 'postgres', env_key: 'DATABASE_URL' });
    expect(a.migrations).toMatchObject({ tool: 'medusa', command: 'npx medusa db:migrate' });
    expect(a.findings.find((f) => f.id === 'framework-runtime')).toMatchObject({ status: 'pass', message: expect.stringContaining('.medusa/server') });
    expect(a.findings.find((f) => f.id === 'migrations')?.status).toBe('pass');
    expect(a.health.paths).toEqual(['/health']);
  });

  it("Medusa 2's image runs .medusa/server with the production dependencies installed there, not the project root", async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const files = {
      'package.json': pkg({ '@medusajs/framework': '2.8.0', '@medusajs/medusa': '2.8.0' }, { start: 'medusa start', build: 'medusa build' }),
      'package-lock.json': '{}',
      'medusa-config.ts': "module.exports = defineConfig({ projectConfig: { databaseUrl: process.env.DATABASE_URL } })\n",
    };
    const text = generateDockerfile(analyzeRepo(memoryRepo(files)), Object.keys(files)).text;
    expect(text).toContain('RUN npm run build\nWORKDIR /app/.medusa/server\nRUN npm install --omit=dev\nWORKDIR /app\n');
    expect(text).not.toContain('npm prune');
    expect(text).toContain('COPY --from=build --chown=1000:1000 /app/.medusa/server /app\n');
    expect(text).toMatch(/CMD \["node_modules\/\.bin\/medusa", "start"\]/);
  });
});

describe('Sails', () => {
  // planka's server: `node app.js` lifts Sails (`sails.lift(rc('sails'))`); no listen() in the app's code.
  const sails = (routes: string) =>
    analyzeRepo(
      memoryRepo({
        'package.json': pkg({ sails: '^1.5.17', 'sails-postgresql': '^5.0.1' }, { start: 'nodemon', 'start:prod': 'cross-env NODE_ENV=production node app.js --prod' }),
        'app.js': "process.chdir(__dirname);\nconst sails = require('sails');\nconst rc = require('sails/accessible/rc');\nsails.lift(rc('sails'));\n",
        'config/routes.js': routes,
        'api/controllers/health/show.js': 'module.exports = { fn: async function () { return { ok: true }; } };\n',
      }),
    );

  it('is a server on PORT, else 1337, started as its production script says', () => {
    const a = sails('module.exports.routes = {};\n');
    expect({ framework: a.framework.name, kind: a.kind, port: a.port.value, reads_env: a.port.reads_env, env_name: a.port.env_name }).toEqual({ framework: 'sails', kind: 'server', port: 1337, reads_env: true, env_name: 'PORT' });
    expect(a.commands.start).toBe('npm run start:prod');
  });

  it('reads the routes of config/routes.js: a health route is a probe path; admin actions are left to its policies', () => {
    const a = sails("module.exports.routes = {\n  'GET /api/health': 'health/show',\n  '/ping': { action: 'ping' },\n  'POST /api/admin/users': 'users/create',\n  'GET /admin': 'admin/index',\n};\n");
    expect([...a.health.paths].sort()).toEqual(['/api/health', '/ping']);
    expect(a.health.routes.find((r) => r.path === '/api/health')?.evidence[0]).toMatchObject({ file: 'config/routes.js', line: 2, rule: 'health-route-table' });
    expect(a.findings.find((f) => f.id === 'admin-auth')).toBeUndefined();
  });
});

describe('an HTTP server the start script runs by name', () => {
  const mock = (start: string) => analyzeRepo(memoryRepo({ 'package.json': pkg({ 'json-server': '^0.17.4' }, { start }), 'db.json': '{ "posts": [] }\n' }));

  it('json-server is a server on 3000 that binds localhost unless given --host, and the fix says to add it', () => {
    const a = mock('json-server --watch db.json');
    expect({ kind: a.kind, reason: a.kind_reason, port: a.port.value, bind: a.bind.host }).toEqual({ kind: 'server', reason: 'a start script that runs json-server, an HTTP server', port: 3000, bind: 'localhost' });
    expect(a.findings.find((f) => f.id === 'bind-all-interfaces')).toMatchObject({ status: 'fail', fix: "Add --host 0.0.0.0 to the start script's json-server command." });
    expect(a.findings.find((f) => f.id === 'reads-port')).toMatchObject({ status: 'warn', fix: 'Run it with --port ${PORT:-3000} in the start script.' });
    // No file of the project's is the process: nothing to resolve.
    expect(a.findings.find((f) => f.id === 'build-output')?.status).toBe('pass');
  });

  it('its flags win: --host 0.0.0.0 --port $PORT passes both checks', () => {
    const a = mock('json-server db.json --host 0.0.0.0 --port $PORT');
    expect({ port: a.port.value, reads_env: a.port.reads_env, all: a.bind.all_interfaces }).toEqual({ port: 3000, reads_env: true, all: true });
    expect(a.findings.find((f) => f.id === 'bind-all-interfaces')?.status).toBe('pass');
  });
});

describe('a Fastify plugin started by fastify-cli', () => {
  // The plugin never listens: `fastify start` creates the server, reads PORT (else 3000), and in Kubernetes binds 0.0.0.0
  // since 5.7.1; before, only under Docker (is-docker), which a containerd node is not.
  const plugin = "'use strict'\nmodule.exports = async function (fastify, opts) {\n  fastify.get('/health', async () => ({ ok: true }))\n}\n";
  const cli = (start: string, version: string, files: Record<string, string> = {}) =>
    analyzeRepo(memoryRepo({ 'package.json': pkg({ fastify: '^4.0.0', 'fastify-cli': version, 'env-cmd': '^7.0.0' }, { start }), 'app.js': plugin, ...files }));
  const finding = (a: ReturnType<typeof cli>, id: string) => a.findings.find((f) => f.id === id);

  it('listens on PORT, else 3000, on 0.0.0.0 in Kubernetes, and closes on SIGTERM (fastify-cli 6)', () => {
    const a = cli('fastify start -l info app.js', '^6.1.0');
    expect({ kind: a.kind, entry: a.entrypoint, port: a.port.value, reads: a.port.env_name, host: a.bind.host }).toEqual({ kind: 'server', entry: 'app.js', port: 3000, reads: 'PORT', host: '0.0.0.0' });
    expect(finding(a, 'bind-all-interfaces')?.status).toBe('pass');
    expect(finding(a, 'graceful-shutdown')).toMatchObject({ status: 'pass', evidence: [expect.objectContaining({ rule: 'fastify-cli-handles-sigterm' })] });
    expect(finding(a, 'request-logs')?.status).toBe('pass');
    expect(finding(a, 'startup-log')?.status).toBe('pass');
  });

  it('logs only fatal errors unless given --log-level, and says so', () => {
    const a = cli('fastify start app.js', '^6.1.0');
    expect(finding(a, 'request-logs')).toMatchObject({ status: 'warn', fix: expect.stringContaining('--log-level info') });
    expect(finding(a, 'startup-log')).toMatchObject({ status: 'warn', fix: expect.stringContaining('--log-level info') });
  });

  it('binds localhost before 5.7.1 (fastify-example-twitter), past an env-cmd file given the old way; --address fixes it', () => {
    const a = cli('env-cmd local.env fastify start index.js', '^0.27.0', { 'index.js': plugin, 'local.env': 'JWT_SECRET=dev\n' });
    expect({ entry: a.entrypoint, port: a.port.value, host: a.bind.host }).toEqual({ entry: 'index.js', port: 3000, host: 'localhost' });
    expect(finding(a, 'bind-all-interfaces')).toMatchObject({ status: 'fail', fix: expect.stringContaining('Add --address 0.0.0.0') });
    expect(finding(a, 'bind-all-interfaces')?.fix).toContain('5.7.1');
    // close-with-grace came with fastify-cli 2.8.0.
    expect(finding(a, 'graceful-shutdown')?.status).toBe('warn');
    // env-cmd 7 takes the file as its first argument: local.env, not .env.
    expect(finding(a, 'start-env-file')?.message).toContain('local.env');
    const flagged = cli('fastify start -a 0.0.0.0 -p $PORT app.js', '^0.27.0');
    expect({ host: flagged.bind.host, all: flagged.bind.all_interfaces }).toEqual({ host: '0.0.0.0', all: true });
  });
});

describe('a package that only builds against a framework', () => {
  it("is not the platform's app when the platform is only a dev or peer dependency (Medusa's core-flows, a Strapi plugin)", () => {
    const lib = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: '@medusajs/core-flows', main: 'dist/index.js', scripts: { build: 'tsc --build' }, devDependencies: { '@medusajs/framework': '^2.0.0', pg: '^8' }, peerDependencies: { '@medusajs/framework': '^2.0.0' } }),
        'src/index.ts': "export * from './cart';\n",
        'src/cart.ts': 'export const addToCart = () => 1;\n',
      }),
    );
    expect({ framework: lib.framework.name, kind: lib.kind }).toEqual({ framework: 'none', kind: 'not-deployable' });
    // An app declares it for production, or starts its CLI.
    const app = analyzeRepo(memoryRepo({ 'package.json': pkg({ '@medusajs/framework': '^2.0.0', '@medusajs/medusa': '^2.0.0' }, { build: 'medusa build', start: 'medusa start' }), 'medusa-config.ts': 'export default {};\n' }));
    expect({ framework: app.framework.name, kind: app.kind }).toEqual({ framework: 'medusa', kind: 'server' });
  });

  it('is no Next.js app when it only declares next: no next.config, pages/ or app/, nor a script that runs next (Keystone’s packages)', () => {
    const lib = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: '@acme/router', main: 'index.ts', dependencies: { next: '15' } }), 'index.ts': "export { useRouter } from 'next/router';\n" }));
    expect(lib.framework.name).toBe('none');
    for (const files of <Array<Record<string, string>>>[{ 'next.config.mjs': 'export default {};\n' }, { 'app/page.tsx': 'export default function Page() { return null; }\n' }, { 'src/pages/index.tsx': 'export default function Home() { return null; }\n' }]) {
      const app = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'web', dependencies: { next: '15' } }), ...files }));
      expect(app.framework.name).toBe('nextjs');
    }
    const scripted = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'web', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15' } }) }));
    expect(scripted.framework.name).toBe('nextjs');
  });
});
