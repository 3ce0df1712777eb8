import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const json = (v: unknown) => JSON.stringify(v, null, 2);
const now = () => new Date(0);
const server = "require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT || 3000);\n";
const schema = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n';

/** A one-package service with these scripts (start added) and files. */
function service(scripts: Record<string, string>, files: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return analyzeRepo(
    memoryRepo({ 'package.json': json({ name: 'svc', scripts: { start: 'node index.js', ...scripts }, dependencies: { '@prisma/client': '^6' }, devDependencies: { prisma: '^6' }, ...extra }), 'package-lock.json': '{}', 'index.js': server, ...files }, { tracked: true }),
    { now },
  );
}

describe("files the install's own lifecycle scripts read (commands.install_needs)", () => {
  it('`postinstall: prisma generate` reads the schema at its default place, shown with the script as evidence', () => {
    const a = service({ postinstall: 'prisma generate' }, { 'prisma/schema.prisma': schema, 'prisma/migrations/1_init/migration.sql': 'create table t();\n' });
    expect(a.commands.install_needs).toEqual(['prisma/schema.prisma']);
    expect(a.commands.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', rule: 'scripts.postinstall', snippet: 'prisma generate' }));
  });

  it('the schema where the project says: --schema, package.json "prisma.schema", prisma.config.ts (with the config itself), a schema directory', () => {
    expect(service({ postinstall: 'npx prisma generate --schema=./db/main.prisma' }, { 'db/main.prisma': schema }).commands.install_needs).toEqual(['db/main.prisma']);
    expect(service({ postinstall: 'prisma generate' }, { 'db/app.prisma': schema }, { prisma: { schema: 'db/app.prisma' } }).commands.install_needs).toEqual(['db/app.prisma']);
    expect(service({ postinstall: 'prisma generate' }, { 'prisma.config.ts': "export default { schema: 'src/db/schema.prisma' };\n", 'src/db/schema.prisma': schema }).commands.install_needs).toEqual(['prisma.config.ts', 'src/db/schema.prisma']);
    expect(service({ postinstall: 'prisma generate' }, { 'prisma/schema/user.prisma': 'model U { id Int @id }\n', 'prisma/schema/main.prisma': schema }).commands.install_needs).toEqual(['prisma/schema']);
  });

  it('follows scripts run by name and package runners that pin a version (postiz: `pnpm dlx prisma@6.5.0 generate --schema …`)', () => {
    const a = service({ postinstall: 'npm run prisma-generate', 'prisma-generate': 'pnpm dlx prisma@6.5.0 generate --schema ./libs/db/schema.prisma' }, { 'libs/db/schema.prisma': schema });
    expect(a.commands.install_needs).toEqual(['libs/db/schema.prisma']);
  });

  it('patch-package reads its patches; husky and shell guards around it read nothing', () => {
    expect(service({ postinstall: 'husky install && patch-package' }, { 'patches/left-pad+1.3.0.patch': '--- a\n+++ b\n' }).commands.install_needs).toEqual(['patches']);
    expect(service({ prepare: 'husky' }).commands.install_needs).toBeUndefined();
    expect(service({ prepare: 'if command -v husky >/dev/null 2>&1; then husky; fi' }).commands.install_needs).toBeUndefined();
    expect(service({ preinstall: 'npx only-allow npm', postinstall: 'rimraf ./node_modules/canvas' }).commands.install_needs).toBeUndefined();
  });

  it('a script that may read anything (a node script, a build) needs the whole source', () => {
    expect(service({ postinstall: 'node scripts/patch.cjs' }, { 'scripts/patch.cjs': 'require("fs");\n' }).commands.install_needs).toEqual(['.']);
    expect(service({ prepare: 'npm run build', build: 'tsc' }).commands.install_needs).toEqual(['.']);
    // pnpm runs the root's pnpm:devPreinstall on every install (logto: `cd packages/connectors && node templates/sync-preset.js`).
    expect(service({ 'pnpm:devPreinstall': 'cd packages/connectors && node templates/sync-preset.js' }, { 'packages/connectors/templates/sync-preset.js': 'require("fs");\n' }).commands.install_needs).toEqual(['.']);
  });

  it("a workspace unit runs the root's install scripts too; a package in a plain subdirectory installs alone", () => {
    const files = {
      'package.json': json({ name: 'acme', private: true, workspaces: ['apps/*'], scripts: { postinstall: 'prisma generate' } }),
      'package-lock.json': '{}',
      'prisma/schema.prisma': schema,
      'apps/api/package.json': json({ name: 'api', scripts: { start: 'node index.js', postinstall: 'patch-package' } }),
      'apps/api/patches/x+1.0.0.patch': '--- a\n',
      'apps/api/index.js': server,
    };
    expect(analyzeRepo(memoryRepo(files, { tracked: true }), { path: 'apps/api', now }).commands.install_needs).toEqual(['apps/api/patches', 'prisma/schema.prisma']);
    const plain = { ...files, 'package.json': json({ name: 'tools', private: true, scripts: { postinstall: 'prisma generate' } }), 'apps/api/package-lock.json': '{}' };
    expect(analyzeRepo(memoryRepo(plain, { tracked: true }), { path: 'apps/api', now }).commands.install_needs).toEqual(['apps/api/patches']);
  });
});

describe("Prisma 7's env() in prisma.config: a stand-in for the image build", () => {
  // umami: `url: env('DATABASE_URL')` makes every prisma command throw PrismaConfigEnvError without it, `prisma generate`
  // (postinstall, and the image's own step) included; the build has no database and must not get the real one.
  const config = (url: string) => `import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: ${url} },\n});\n`;
  const v7 = (url: string, provider = 'postgresql') =>
    service({ postinstall: 'prisma generate' }, { 'prisma.config.ts': config(url), 'prisma/schema.prisma': `datasource db {\n  provider = "${provider}"\n}\n` });

  it('sets a local address of the schema engine in the install and build stages, never in the runtime image', async () => {
    const { generateDockerfile } = await import('../../../src/core/image/dockerfile-generate.js');
    const a = v7("env('DATABASE_URL')");
    expect(a.commands.build_env).toEqual({ DATABASE_URL: 'postgresql://build:build@localhost:5432/build' });
    const text = generateDockerfile(a, ['package.json', 'package-lock.json', 'prisma.config.ts', 'prisma/schema.prisma']).text;
    const deps = text.slice(text.indexOf('FROM base AS deps'), text.indexOf('RUN npm ci'));
    expect(deps).toContain('ENV DATABASE_URL="postgresql://build:build@localhost:5432/build"');
    expect(text.slice(text.indexOf('FROM base AS runtime'))).not.toContain('DATABASE_URL');
    expect(v7("env('DB_URL')", 'mysql').commands.build_env).toEqual({ DB_URL: 'mysql://build:build@localhost:3306/build' });
  });

  it('needs none when the config reads process.env (undefined is no error)', () => {
    expect(v7('process.env.DATABASE_URL').commands.build_env).toBeUndefined();
  });
});

describe("t3-env's skipValidation: what the image build sets so `next build` does not validate run-time variables", () => {
  const t3 = (skip: string) =>
    analyzeRepo(
      memoryRepo({
        'package.json': json({ name: 'web', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '^15', '@t3-oss/env-nextjs': '^0.13', zod: '^4' } }),
        'package-lock.json': '{}',
        'next.config.mjs': "import './src/env.mjs';\nexport default {};\n",
        'src/app/page.tsx': 'export default function Page() { return null; }\n',
        'src/env.mjs': `import { createEnv } from '@t3-oss/env-nextjs';\nimport { z } from 'zod';\nexport const env = createEnv({\n  server: { DATABASE_URL: z.string().url(), SALT: z.string() },\n  runtimeEnv: { DATABASE_URL: process.env.DATABASE_URL, SALT: process.env.SALT },\n  skipValidation: ${skip},\n});\n`,
      }, { tracked: true }),
      { now },
    );

  it('names the variable and value the project chose (langfuse: DOCKER_BUILD === "1"), or the conventional switch', () => {
    expect(t3('process.env.DOCKER_BUILD === "1"').commands.build_env).toEqual({ DOCKER_BUILD: '1' });
    expect(t3("!!process.env.SKIP_ENV_VALIDATION || process.env.npm_lifecycle_event === 'lint'").commands.build_env).toEqual({ SKIP_ENV_VALIDATION: '1' });
    expect(t3("process.env.CI === 'true'").commands.build_env).toEqual({ CI: 'true' });
    expect(t3('false').commands.build_env).toBeUndefined();
  });

  it("sets no NODE_ENV for the build: a test-only switch is none (next build wants production)", () => {
    expect(t3("process.env.NODE_ENV === 'test'").commands.build_env).toBeUndefined();
  });

  it('fails when required variables are validated at build and nothing can skip it (taxonomy), naming them and the line to change', () => {
    const f = (a: ReturnType<typeof t3>) => a.findings.find((x) => x.id === 'build-env-validation');
    const none = t3('false');
    expect(f(none)).toMatchObject({ status: 'fail', section: 'build-and-image' });
    expect(f(none)!.message).toContain('DATABASE_URL, SALT');
    expect(f(none)!.fix).toContain('skipValidation: !!process.env.SKIP_ENV_VALIDATION');
    expect(f(none)!.evidence[0]).toMatchObject({ file: 'src/env.mjs', line: 3 });
    expect(f(t3("process.env.NODE_ENV === 'test'"))?.status).toBe('fail');
    expect(f(t3('!!process.env.SKIP_ENV_VALIDATION'))).toBeUndefined();
  });

  it('passes a schema whose variables all have defaults or are optional', () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': json({ name: 'web', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '^15', '@t3-oss/env-nextjs': '^0.13', zod: '^4' } }),
        'package-lock.json': '{}',
        'src/env.mjs': `import { createEnv } from '@t3-oss/env-nextjs';\nimport { z } from 'zod';\nexport const env = createEnv({\n  server: { SENTRY_DSN: z.string().optional(), LOG_LEVEL: z.string().default('info') },\n  runtimeEnv: { SENTRY_DSN: process.env.SENTRY_DSN, LOG_LEVEL: process.env.LOG_LEVEL },\n});\n`,
      }, { tracked: true }),
      { now },
    );
    expect(a.findings.find((x) => x.id === 'build-env-validation')).toBeUndefined();
  });
});
