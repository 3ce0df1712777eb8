import { describe, expect, it } from 'vitest';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { lintDockerfile, lintProblems } from '../../../src/core/image/dockerfile-lint.js';
import { parseDockerfile } from '../../../src/core/image/dockerfile-parse.js';
import { generateDockerignore } from '../../../src/core/image/dockerignore.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';

function generate(overrides: DeepPartial<Analysis>, files: string[] = []) {
  const analysis = buildAnalysis(overrides);
  const gen = generateDockerfile(analysis, files);
  const ignore = generateDockerignore(analysis);
  const problems = lintProblems(lintDockerfile(gen.text, { port: gen.port, dockerignore: ignore, installReadsSource: analysis.commands.install_needs?.includes('.') ?? false }));
  const df = parseDockerfile(gen.text);
  const final = df.stages[df.stages.length - 1];
  const runtime = final?.instructions ?? [];
  return { analysis, gen, ignore, problems, df, final, runtime, text: gen.text };
}

const cmdOf = (runtime: ReturnType<typeof generate>['runtime']) => runtime.filter((i) => i.keyword === 'CMD').pop()?.json;

describe('generateDockerfile', () => {
  it('npm + TypeScript build + Prisma: ci, generate, build, prune, non-root exec-form node', () => {
    const { gen, problems, df, runtime, text } = generate({
      commands: { build: 'npm run build', start: 'node dist/server.js' },
      entrypoint: 'dist/server.js',
      migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations' },
    });
    expect(problems).toEqual([]);
    expect(df.errors).toEqual([]);
    expect(df.stages.map((s) => s.name)).toEqual(['base', 'deps', 'build', 'runtime']);
    expect(df.stages[0]?.resolvedImage).toBe('node:22-bookworm-slim');
    expect(text).toContain('COPY package.json package-lock.json ./');
    expect(text).toMatch(/RUN npm ci\n/);
    const build = df.stages[2]?.instructions.map((i) => `${i.keyword} ${i.args}`) ?? [];
    expect(build).toEqual(['COPY . .', 'RUN npx prisma generate', 'RUN npm run build', 'RUN npm prune --omit=dev']);
    // Prisma's engines load libssl, which the slim image lacks; every stage inherits it from base.
    expect(df.stages[0]?.instructions.map((i) => `${i.keyword} ${i.args}`)).toContain('RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*');
    expect(cmdOf(runtime)).toEqual(['node', 'dist/server.js']);
    expect(runtime.find((i) => i.keyword === 'ENV')?.args).toBe('NODE_ENV=production PORT=3000');
    expect(runtime.find((i) => i.keyword === 'USER')?.args).toBe('1000');
    expect(runtime.find((i) => i.keyword === 'EXPOSE')?.args).toBe('3000');
    expect(gen).toMatchObject({ path: 'Dockerfile', dockerignorePath: '.dockerignore', context: '', port: 3000 });
  });

  it('builds a t3-env app with SKIP_ENV_VALIDATION: its variables exist only at run time', () => {
    const t3 = generate({ framework: { name: 'nextjs' }, commands: { build: 'npm run build', start: 'next start', build_env: { SKIP_ENV_VALIDATION: '1' } } });
    expect(t3.problems).toEqual([]);
    // Set in the stages that install and build (the build stage is FROM deps)...
    expect(t3.df.stages[1]?.instructions.map((i) => `${i.keyword} ${i.args}`)).toContain('ENV SKIP_ENV_VALIDATION="1"');
    expect(t3.df.stages[2]?.image).toBe('deps');
    // ...never in the runtime image: the running service validates its environment as it should.
    expect(t3.df.stages.at(-1)?.image).toBe('base');
    expect(t3.df.stages.at(-1)?.instructions.some((i) => i.args.includes('SKIP_ENV_VALIDATION'))).toBe(false);
    const plain = generate({ framework: { name: 'nextjs' }, commands: { build: 'npm run build', start: 'next start' } });
    expect(plain.text).not.toContain('SKIP_ENV_VALIDATION');
  });

  it("builds with NODE_ENV=production when a build config reads it (smee.io's webpack writes the gzip assets the server reads only then), and only the build", () => {
    const ev = (file: string) => ({ file, line: 9, rule: 'env-read', snippet: 'process.env.NODE_ENV' });
    const { text } = generate({ commands: { build: 'npm run build' }, env_vars: [{ name: 'NODE_ENV', class: 'runtime-mode', required: false, default: null, sources: ['code'], public: false, read_by_build: true, evidence: [ev('lib/server.js'), ev('webpack.config.js')] }] });
    expect(text).toContain('RUN NODE_ENV=production npm run build');
    expect(text).toMatch(/RUN npm ci\n/);
    // Read by the server alone, it changes nothing the build writes.
    expect(generate({ commands: { build: 'npm run build' }, env_vars: [{ name: 'NODE_ENV', class: 'runtime-mode', required: false, default: null, sources: ['code'], public: false, evidence: [ev('lib/server.js')] }] }).text).toContain('RUN npm run build');
  });

  it('lays out what the start script prepares before the server in the build stage, before the prune (mirotalk)', () => {
    const { text } = generate({ commands: { build: null, start: 'npm start', start_source: 'script', start_script: 'node app/src/server.js', prepare: 'test -f app/src/config.js || cp app/src/config.template.js app/src/config.js' }, entrypoint: 'app/src/server.js' });
    expect(text).toMatch(/COPY \. \.\nRUN test -f app\/src\/config\.js \|\| cp app\/src\/config\.template\.js app\/src\/config\.js\nRUN npm prune/);
  });

  it('keeps devDependencies when the start command runs TypeScript through one (ts-node and typescript): a pruned image could not start', () => {
    const { text } = generate({ commands: { build: null, start: 'npm start', start_source: 'script', start_script: 'ts-node src/init.ts', runtime_dev: ['ts-node', 'typescript'] }, entrypoint: 'src/init.ts' });
    expect(text).not.toContain('npm prune');
    expect(text).toContain('# devDependencies kept: the service needs ts-node, typescript at run time');
    expect(text).toContain('CMD ["node", "-r", "ts-node/register", "src/init.ts"]');
  });

  it('resolves `npm start` to the entrypoint and uses the analyzed port and Node major', () => {
    const { problems, df, runtime } = generate({ commands: { start: 'npm start' }, entrypoint: 'server.js', node: { version: '20' }, port: { value: 8081 } });
    expect(problems).toEqual([]);
    expect(df.stages[0]?.resolvedImage).toBe('node:20-bookworm-slim');
    expect(cmdOf(runtime)).toEqual(['node', 'server.js']);
    expect(runtime.find((i) => i.keyword === 'EXPOSE')?.args).toBe('8081');
    expect(runtime.find((i) => i.keyword === 'ENV')?.args).toContain('PORT=8081');
  });

  it('adds tini as PID 1 when the service has no SIGTERM handler', () => {
    const { problems, runtime, text } = generate({ process: { graceful_shutdown: false, signals: [] } });
    expect(problems).toEqual([]);
    expect(runtime.find((i) => i.keyword === 'ENTRYPOINT')?.json).toEqual(['/usr/bin/tini', '--']);
    expect(cmdOf(runtime)).toEqual(['node', 'src/server.js']);
    expect(text).not.toContain('openssl');
  });

  it('pnpm: corepack, frozen lockfile, pnpm prune --prod, optional files copied before install', () => {
    const { problems, df, text } = generate(
      { package_manager: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', corepack: true, version: '9.12.0' }, commands: { install: 'pnpm install --frozen-lockfile', build: 'pnpm run build', start: 'node dist/main.js' }, entrypoint: 'dist/main.js' },
      ['package.json', 'pnpm-lock.yaml', '.npmrc', 'patches/foo@1.0.0.patch', 'src/main.ts'],
    );
    expect(problems).toEqual([]);
    expect(df.stages[0]?.instructions.map((i) => `${i.keyword} ${i.args}`)).toContain('RUN corepack enable');
    const deps = df.stages[1]?.instructions.map((i) => `${i.keyword} ${i.args}`);
    // CI=true: pnpm aborts a prune that must purge node_modules without a TTY (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY).
    expect(deps).toEqual(['COPY package.json pnpm-lock.yaml ./', 'COPY .npmrc ./', 'COPY patches ./patches/', 'RUN CI=true pnpm install --frozen-lockfile']);
    expect(text).toContain('RUN CI=true pnpm prune --prod');
    // Only the commands that install: neither the build (elk's nuxt.config reads isCI) nor the service sees it.
    expect(text).not.toContain('ENV CI=true');
    expect(text).toMatch(/\nRUN pnpm run build\n/);
    expect(df.stages.at(-1)?.image).toBe('base');
  });

  it('pnpm without packageManager pins the version through corepack prepare', () => {
    const { text } = generate({ package_manager: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', corepack: false, version: '8.15.4' } });
    expect(text).toContain('RUN corepack enable && corepack prepare pnpm@8.15.4 --activate');
  });

  it('yarn berry: immutable install, node-modules linker, workspaces focus --production', () => {
    const { problems, text } = generate(
      { package_manager: { name: 'yarn-berry', lockfile: 'yarn.lock', corepack: true, version: '4.5.0' }, commands: { build: 'yarn build', start: 'node dist/index.js' }, entrypoint: 'dist/index.js' },
      ['package.json', 'yarn.lock', '.yarnrc.yml', '.yarn/releases/yarn-4.5.0.cjs'],
    );
    expect(problems).toEqual([]);
    expect(text).toContain('YARN_NODE_LINKER=node-modules');
    expect(text).toContain('COPY .yarnrc.yml ./');
    expect(text).toContain('COPY .yarn/releases ./.yarn/releases/');
    expect(text).toContain('RUN yarn install --immutable');
    expect(text).toContain('RUN yarn workspaces focus --production --all');
  });

  it('without a lockfile: plain installs (a frozen install would refuse to run), still lint-clean', () => {
    for (const name of ['npm', 'pnpm', 'yarn-classic', 'yarn-berry', 'bun'] as const) {
      const { problems, text } = generate({ package_manager: { name, lockfile: null, lockfile_committed: null } });
      expect(problems).toEqual([]);
      expect(text).not.toMatch(/frozen-lockfile|--immutable|npm ci/);
      expect(text).toMatch(/COPY package\.json \.\/\n/);
    }
  });

  it('yarn classic: frozen lockfile and a production reinstall to drop devDependencies', () => {
    const { problems, text } = generate({ package_manager: { name: 'yarn-classic', lockfile: 'yarn.lock' } });
    expect(problems).toEqual([]);
    expect(text).toContain('RUN yarn install --frozen-lockfile\n');
    expect(text).toContain('RUN yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline');
  });

  it('bun: the oven/bun base, frozen lockfile, bun runs the entrypoint as the bun user', () => {
    const { problems, df, runtime } = generate({
      package_manager: { name: 'bun', lockfile: 'bun.lock', version: '1.1.38' },
      commands: { install: 'bun install', build: null, start: 'bun run src/index.ts' },
      entrypoint: 'src/index.ts',
      framework: { name: 'hono' },
    });
    expect(problems).toEqual([]);
    expect(df.stages[0]?.resolvedImage).toBe('oven/bun:1-slim');
    expect(df.stages[1]?.instructions.map((i) => i.args)).toEqual(['package.json bun.lock ./', 'bun install --frozen-lockfile']);
    expect(cmdOf(runtime)).toEqual(['bun', 'src/index.ts']);
    // Package bins run through bun too (their node shebang has no node on this image).
    const next = generate({ package_manager: { name: 'bun', lockfile: 'bun.lock' }, framework: { name: 'nextjs', details: {} }, kind: 'ssr', commands: { build: 'bun run build', start: 'next start' }, entrypoint: null });
    expect(next.problems).toEqual([]);
    expect(cmdOf(next.runtime)).toEqual(['bun', 'node_modules/.bin/next', 'start']);
  });

  it('static SPA: build stage, nginx-unprivileged on 8080 with an index.html fallback written by heredoc', () => {
    const { problems, df, final, runtime, ignore } = generate({
      kind: 'static',
      framework: { name: 'vite' },
      commands: { build: 'npm run build', start: null, start_source: 'static' },
      entrypoint: null,
      static_site: { output_dir: 'dist', spa: true },
      port: { value: null, default: null },
    });
    expect(problems).toEqual([]);
    expect(final?.resolvedImage).toBe('nginxinc/nginx-unprivileged:1.27-alpine');
    const conf = runtime.find((i) => i.keyword === 'COPY' && i.heredocs.length);
    expect(conf?.args).toMatch(/\/etc\/nginx\/conf\.d\/default\.conf$/);
    expect(conf?.heredocs[0]?.quoted).toBe(true);
    expect(conf?.heredocs[0]?.body).toContain('listen 8080;');
    expect(conf?.heredocs[0]?.body).toContain('try_files $uri $uri/ /index.html;');
    expect(runtime.find((i) => i.keyword === 'COPY' && i.flags.from === 'build')?.args).toBe('/app/dist/ /usr/share/nginx/html/');
    expect(runtime.find((i) => i.keyword === 'EXPOSE')?.args).toBe('8080');
    expect(df.stages.some((s) => s.instructions.some((i) => i.args.includes('prune')))).toBe(false);
    // The build output is rebuilt in the image, so it stays out of the context.
    expect(ignore.split('\n')).toContain('dist');
  });

  it('static multi-page site without a build: one nginx stage, 404 instead of an SPA fallback', () => {
    const { problems, df, runtime } = generate({
      kind: 'static',
      framework: { name: 'none' },
      commands: { build: null, start: null },
      entrypoint: null,
      static_site: { output_dir: 'public', spa: false },
    });
    expect(problems).toEqual([]);
    expect(df.stages).toHaveLength(1);
    expect(runtime.find((i) => i.heredocs.length)?.heredocs[0]?.body).toContain('try_files $uri $uri/ $uri.html =404;');
    expect(runtime.find((i) => i.keyword === 'COPY' && !i.heredocs.length)?.args).toBe('public/ /usr/share/nginx/html/');
  });

  it('Next.js: next start from node_modules/.bin, bound to 0.0.0.0', () => {
    const { problems, runtime } = generate({ framework: { name: 'nextjs', details: {} }, kind: 'ssr', commands: { build: 'next build', start: 'next start' }, entrypoint: null });
    expect(problems).toEqual([]);
    expect(cmdOf(runtime)).toEqual(['node_modules/.bin/next', 'start']);
    expect(runtime.find((i) => i.keyword === 'ENV')?.args).toContain('HOSTNAME=0.0.0.0');
  });

  it('the runtime user owns /app itself, so a service can create its data directory where it runs (uptime-kuma ./data)', () => {
    const { runtime } = generate({ commands: { start: 'node server.js' }, entrypoint: 'server.js' });
    const at = (k: string, a: string) => runtime.findIndex((i) => i.keyword === k && i.args === a);
    expect(at('COPY', '/app /app')).toBeGreaterThan(-1);
    expect(at('RUN', 'chown 1000:1000 /app')).toBeGreaterThan(at('COPY', '/app /app'));
    expect(at('RUN', 'chown 1000:1000 /app')).toBeLessThan(at('USER', '1000'));
  });

  it('Next.js standalone with a migrate step: the whole app ships (schema, migrations, CLI) and server.js runs where the build wrote it', () => {
    const migrations = { tool: 'prisma' as const, command: 'npx prisma migrate deploy', directory: 'prisma/migrations', files: ['prisma/migrations/1/migration.sql'] };
    const single = generate({ framework: { name: 'nextjs', details: { output: 'standalone' } }, kind: 'ssr', commands: { build: 'next build', start: 'next start' }, entrypoint: null, migrations }, ['package.json', 'package-lock.json', 'public/favicon.ico']);
    expect(single.problems).toEqual([]);
    expect(cmdOf(single.runtime)).toEqual(['node', '.next/standalone/server.js']);
    expect(single.runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(['/app /app']);
    expect(single.text).toContain('RUN cp -r .next/static .next/standalone/.next/static && cp -r public .next/standalone/public\n');
    // A workspace app: next writes the server under its path in the repository.
    const mono = generate({
      project: { path: 'apps/web' },
      framework: { name: 'nextjs', details: { output: 'standalone' } },
      kind: 'ssr',
      package_manager: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', corepack: true },
      commands: { build: 'pnpm run build', start: 'next start' },
      entrypoint: null,
      migrations,
      workspace: { tools: ['pnpm'], patterns: ['apps/*'], evidence: [] },
      units: [{ path: 'apps/web', name: 'web', kind: 'ssr', framework: 'nextjs' }],
    }, ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'apps/web/package.json']);
    expect(cmdOf(mono.runtime)).toEqual(['node', '.next/standalone/apps/web/server.js']);
    expect(mono.text).toContain('RUN cp -r apps/web/.next/static apps/web/.next/standalone/apps/web/.next/static\n');
  });

  it('a start script that changes directory first runs there, with its arguments (Flowise: cd bin && ./run start)', () => {
    // bin/run is an oclif CLI: without `start` it prints its help and exits, and the pod crash-loops.
    const oclif = generate({ commands: { start: 'pnpm start', start_script: 'cd bin && ./run start' }, entrypoint: 'bin/run' });
    expect(cmdOf(oclif.runtime)).toEqual(['node', './run', 'start']);
    expect(oclif.runtime.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args)).toEqual(['/app/bin']);
    const node = generate({ commands: { start: 'npm start', start_script: 'cd dist && node server.js --trace-warnings' }, entrypoint: 'dist/server.js' });
    expect(cmdOf(node.runtime)).toEqual(['node', 'server.js', '--trace-warnings']);
    expect(node.runtime.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args)).toEqual(['/app/dist']);
    // A script at a path with no cd: its arguments stay too (express-generator's bin/www takes none; a CLI does).
    expect(cmdOf(generate({ commands: { start: 'bin/server serve --port 3000' }, entrypoint: 'bin/server' }).runtime)).toEqual(['node', 'bin/server', 'serve', '--port', '3000']);
    // Out of the unit's tree: not followed into a WORKDIR above the unit.
    expect(cmdOf(generate({ commands: { start: 'cd .. && node x.js' }, entrypoint: 'server.js' }).runtime)).toEqual(['node', 'server.js']);
  });

  it('Next.js standalone: copies the standalone server and static assets, runs node server.js', () => {
    const { problems, runtime, df } = generate(
      { framework: { name: 'nextjs', details: { output: 'standalone' } }, kind: 'ssr', commands: { build: 'next build', start: 'next start' }, entrypoint: null },
      ['package.json', 'package-lock.json', 'public/favicon.ico'],
    );
    expect(problems).toEqual([]);
    expect(cmdOf(runtime)).toEqual(['node', 'server.js']);
    const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(['/app/.next/standalone ./', '/app/.next/static ./.next/static', '/app/public ./public']);
    // Standalone output carries its own node_modules: no prune needed in the build stage.
    expect(df.stages[2]?.instructions.some((i) => i.args.includes('prune'))).toBe(false);
  });

  it('monorepo unit: repo-root context, workspace manifests first, filtered install and build, unit workdir', () => {
    const { problems, gen, runtime, text, ignore } = generate(
      {
        project: { path: 'apps/api' },
        package_manager: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', corepack: true },
        commands: { build: 'pnpm run build', start: 'node dist/main.js' },
        entrypoint: 'dist/main.js',
        workspace: { tools: ['pnpm', 'turbo'], patterns: ['apps/*', 'packages/*'], evidence: [] },
        units: [
          { path: 'apps/api', name: '@acme/api', kind: 'server', framework: 'express' },
          { path: 'apps/web', name: '@acme/web', kind: 'ssr', framework: 'nextjs' },
        ],
      },
      ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'apps/api/package.json', 'apps/web/package.json', 'packages/db/package.json', 'packages/db/src/index.ts', 'test/fixtures/x/package.json'],
    );
    expect(problems).toEqual([]);
    expect(gen).toMatchObject({ path: 'apps/api/Dockerfile', dockerignorePath: 'apps/api/Dockerfile.dockerignore', context: '' });
    expect(text).toContain('COPY apps/api/package.json apps/api/\nCOPY apps/web/package.json apps/web/\nCOPY packages/db/package.json packages/db/\n');
    expect(text).not.toContain('test/fixtures');
    expect(text).toContain('COPY pnpm-workspace.yaml ./');
    expect(text).toContain('RUN CI=true pnpm install --frozen-lockfile --filter "{apps/api}..."');
    expect(text).toContain('RUN pnpm --filter "{apps/api}..." run build');
    // pnpm reads a {dir} selector from the working directory: in apps/api it matches nothing and builds nothing (exit 0).
    expect(text).toContain('WORKDIR /app\nRUN pnpm --filter "{apps/api}..." run build');
    // Pruning re-installs; the project's install scripts (a postinstall whose CLI was a devDependency) do not run again.
    expect(text).toContain('RUN CI=true pnpm install --prod --frozen-lockfile --offline --ignore-scripts --config.confirmModulesPurge=false --filter "{apps/api}..."');
    expect(runtime.find((i) => i.keyword === 'WORKDIR')?.args).toBe('/app/apps/api');
    expect(cmdOf(runtime)).toEqual(['node', 'dist/main.js']);
    expect(ignore.split('\n')).toContain('apps/api/dist');
  });

  it('a package in a plain subdirectory (no workspaces) builds from its own directory', () => {
    const { problems, gen, text, df } = generate(
      { project: { path: 'server' }, package_manager: { lockfile: 'server/package-lock.json' }, commands: { build: 'npm run build', start: 'node dist/index.js' }, entrypoint: 'dist/index.js', workspace: null },
      ['server/package.json', 'server/package-lock.json', 'server/.npmrc', 'web/index.html'],
    );
    expect(problems).toEqual([]);
    expect(gen).toMatchObject({ path: 'server/Dockerfile', dockerignorePath: 'server/.dockerignore', context: 'server' });
    expect(text).toContain('COPY package.json package-lock.json ./\nCOPY .npmrc ./\nRUN npm ci\n');
    expect(df.stages[3]?.instructions.some((i) => i.keyword === 'WORKDIR')).toBe(false);
    expect(gen.dockerignore.split('\n')).toContain('dist');
  });

  it("a plain subdirectory's Prisma schema is named from the unit's own directory, its build context (pingvin-share's backend)", () => {
    const schema = { path: 'backend/prisma/schema.prisma', found_from: ['backend'] };
    const { problems, text } = generate(
      {
        project: { path: 'backend' },
        package_manager: { lockfile: 'backend/package-lock.json' },
        commands: { build: 'npm run build', start: 'node dist/src/main.js' },
        entrypoint: 'dist/src/main.js',
        workspace: null,
        database: { engine: 'sqlite', orm: 'prisma', env_key: 'DATABASE_URL', prisma_schema: schema, evidence: [] },
        databases: [{ engine: 'sqlite', driver: null, orm: 'prisma', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], prisma_schema: schema, evidence: [] }],
      },
      ['backend/package.json', 'backend/package-lock.json', 'backend/prisma/schema.prisma'],
    );
    expect(problems).toEqual([]);
    expect(text).toContain('RUN npx prisma generate\n');
    expect(text).not.toContain('backend/prisma');
  });

  it('npm workspaces: --workspace install and hoisted bins from the repo root', () => {
    const { problems, text, runtime } = generate(
      {
        project: { path: 'apps/web' },
        framework: { name: 'nextjs', details: {} },
        kind: 'ssr',
        commands: { build: 'npm run build', start: 'next start' },
        entrypoint: null,
        workspace: { tools: ['npm'], patterns: ['apps/*'], evidence: [] },
        units: [{ path: 'apps/web', name: 'web', kind: 'ssr', framework: 'nextjs' }],
      },
      ['package.json', 'package-lock.json', 'apps/web/package.json'],
    );
    expect(problems).toEqual([]);
    expect(text).toContain('RUN npm ci --workspace=apps/web --include-workspace-root');
    expect(text).toContain('RUN npm run build --workspace=apps/web');
    expect(cmdOf(runtime)).toEqual(['/app/node_modules/.bin/next', 'start']);
  });

  it('npm workspaces: the packages the unit runs are installed with it and built first, in dependency order, Prisma generated where its schema is', () => {
    const { problems, text, df } = generate(
      {
        project: { path: 'apps/api' },
        commands: { build: 'npm run build', start: 'node dist/index.js' },
        entrypoint: 'dist/index.js',
        workspace: { tools: ['npm'], patterns: ['apps/*', 'packages/*'], evidence: [] },
        units: [{ path: 'apps/api', name: '@acme/api', kind: 'server', framework: 'express' }],
        local_packages: [
          { path: 'packages/config', name: '@acme/config', build: true },
          { path: 'packages/db', name: '@acme/db', build: true },
          { path: 'packages/tsconfig', name: '@acme/tsconfig', build: false },
        ],
        database: { engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL', evidence: [{ file: 'packages/db/prisma/schema.prisma', line: 3, rule: 'prisma-datasource' }] },
        migrations: { tool: 'prisma', command: 'cd ../../packages/db && npm run db:deploy', directory: 'packages/db/prisma/migrations', cli: { package: 'prisma', installed: 'prod' } },
      },
      ['package.json', 'package-lock.json', 'apps/api/package.json', 'packages/config/package.json', 'packages/db/package.json', 'packages/tsconfig/package.json'],
    );
    expect(problems).toEqual([]);
    expect(text).toContain('RUN npm ci --workspace=apps/api --workspace=packages/config --workspace=packages/db --workspace=packages/tsconfig --include-workspace-root');
    const build = df.stages[2]?.instructions.map((i) => `${i.keyword} ${i.args}`) ?? [];
    expect(build).toEqual([
      'COPY . .',
      'WORKDIR /app/packages/db',
      'RUN npx prisma generate',
      'WORKDIR /app/packages/config',
      'RUN npm run build',
      'WORKDIR /app/packages/db',
      'RUN npm run build',
      // From the workspace root: in apps/api, npm finds no workspace named apps/api ("No workspaces found").
      'WORKDIR /app',
      'RUN npm run build --workspace=apps/api',
      'RUN npm prune --omit=dev --workspace=apps/api --workspace=packages/config --workspace=packages/db --workspace=packages/tsconfig --include-workspace-root',
    ]);
  });

  it('an Nx project: the workspace installs as one package, Prisma generates at the root, nx builds from the project, node runs the output in dist/', () => {
    const { problems, text, df, runtime, ignore } = generate(
      {
        project: { path: 'apps/api' },
        commands: { build: 'npx nx build api --configuration=production', start: 'node ../../dist/apps/api/main.js' },
        entrypoint: '../../dist/apps/api/main.js',
        workspace: { tools: ['nx'], patterns: [], evidence: [] },
        units: [{ path: 'apps/api', name: 'api', kind: 'server', framework: 'express' }],
        nx_project: { name: 'api', file: 'apps/api/project.json', output: 'dist/apps/api/main.js', source_main: 'apps/api/src/main.ts' },
        database: { engine: 'postgres', orm: 'prisma', env_key: 'DATABASE_URL', evidence: [{ file: 'prisma/schema.prisma', line: 3, rule: 'prisma-datasource' }] },
        migrations: { tool: 'prisma', command: 'cd ../.. && npm run db:migrate', directory: 'prisma/migrations' },
      },
      ['package.json', 'package-lock.json', 'nx.json', 'apps/api/project.json', 'apps/api/src/main.ts', 'prisma/schema.prisma'],
    );
    expect(problems).toEqual([]);
    // No --workspace: the project is no npm workspace, and npm would refuse one that is not declared.
    expect(text).toContain('COPY package.json package-lock.json ./\nRUN npm ci\n');
    const build = df.stages[2]?.instructions.map((i) => `${i.keyword} ${i.args}`) ?? [];
    expect(build).toEqual(['COPY . .', 'ENV NX_DAEMON=false', 'WORKDIR /app', 'RUN npx prisma generate', 'WORKDIR /app/apps/api', 'RUN npx nx build api --configuration=production', 'WORKDIR /app', 'RUN npm prune --omit=dev']);
    expect(runtime.find((i) => i.keyword === 'WORKDIR')?.args).toBe('/app/apps/api');
    expect(cmdOf(runtime)).toEqual(['node', '../../dist/apps/api/main.js']);
    // The working tree is the context: Nx's git-ignored task cache stays out of it.
    expect(ignore.split('\n')).toContain('**/.nx');
  });

  it("what the project's install scripts read is copied before the install (postinstall: prisma generate), in a standalone subdirectory rebased", () => {
    const { problems, text } = generate({ commands: { install_needs: ['prisma/schema.prisma', 'patches'] } }, ['package.json', 'package-lock.json', 'prisma/schema.prisma', 'patches/x+1.0.0.patch']);
    expect(problems).toEqual([]);
    expect(text).toContain('# Dependencies: cached until a manifest or the lockfile changes.\nFROM base AS deps\nCOPY package.json package-lock.json ./\nCOPY prisma/schema.prisma prisma/\nCOPY patches ./patches/\nRUN npm ci\n');
    const sub = generate(
      { project: { path: 'server' }, package_manager: { lockfile: 'server/package-lock.json' }, workspace: null, commands: { install_needs: ['server/prisma/schema.prisma'] } },
      ['server/package.json', 'server/package-lock.json', 'server/prisma/schema.prisma'],
    );
    expect(sub.text).toContain('COPY package.json package-lock.json ./\nCOPY prisma/schema.prisma prisma/\nRUN npm ci\n');
  });

  it('installs git where the install runs when dependencies come from git repositories (formio, mediasoup-demo), GitHub over HTTPS', () => {
    const { problems, df, runtime } = generate({ commands: { install_programs: ['git'] } }, ['package.json', 'package-lock.json']);
    expect(problems).toEqual([]);
    const deps = df.stages.find((st) => st.name === 'deps')!;
    const run = deps.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(run[0]).toMatch(/apt-get install -y --no-install-recommends git ca-certificates/);
    expect(run[0]).toContain('url."https://github.com/".insteadOf ssh://git@github.com/');
    expect(run[1]).toBe('npm ci');
    // Not in the image that runs.
    expect(runtime.some((i) => i.args.includes(' git '))).toBe(false);
    expect(generate({}, ['package.json', 'package-lock.json']).text).not.toContain('insteadOf');
  });

  it('a directory that is both an install file and what an install script reads is copied once', () => {
    const { text } = generate({ package_manager: { name: 'yarn-classic', lockfile: 'yarn.lock' }, commands: { install_needs: ['patches'] } }, ['package.json', 'yarn.lock', 'patches/x+1.0.0.patch']);
    expect(text.match(/^COPY patches /gm)).toHaveLength(1);
  });

  it('install scripts that may read any file: the dependencies stage installs with the whole source', () => {
    const { problems, df } = generate({ commands: { install_needs: ['.'] } }, ['package.json', 'package-lock.json', '.npmrc']);
    expect(problems).toEqual([]);
    expect(df.stages[1]?.instructions.map((i) => `${i.keyword} ${i.args}`)).toEqual(['COPY . .', 'RUN npm ci']);
  });

  it('pnpm builds the unit with its dependencies in one filtered run: no package built twice', () => {
    const pnpmUnit = (build: string) =>
      generate({
        project: { path: 'apps/api' },
        package_manager: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', corepack: true },
        commands: { build, start: 'node dist/main.js' },
        entrypoint: 'dist/main.js',
        workspace: { tools: ['pnpm'], patterns: ['apps/*', 'packages/*'], evidence: [] },
        units: [{ path: 'apps/api', name: '@acme/api', kind: 'server', framework: 'express' }],
        local_packages: [{ path: 'packages/db', name: '@acme/db', build: true }],
      });
    const { text } = pnpmUnit('pnpm run build');
    expect(text).toContain('RUN pnpm --filter "{apps/api}..." run build');
    // Pruning re-installs; the project's install scripts (a postinstall whose CLI was a devDependency) do not run again.
    expect(text).toContain('RUN CI=true pnpm install --prod --frozen-lockfile --offline --ignore-scripts --config.confirmModulesPurge=false --filter "{apps/api}..."');
    expect(text).not.toContain('WORKDIR /app/packages/db');
    // The pnpm corepack prepares as root stays readable by the runtime user (the migrate step runs pnpm).
    expect(text).toContain('ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_HOME=/usr/local/share/corepack\nRUN corepack enable');
    // A build written out (what is left of a build that also migrated) builds the unit alone: its packages are built first.
    const written = pnpmUnit('pnpm exec next build').text;
    expect(written).toMatch(/WORKDIR \/app\/packages\/db\nRUN .*build[\s\S]*RUN pnpm exec next build/);
  });

  it('keeps devDependencies when the migrate step runs a CLI that is only a devDependency, and says why', () => {
    const dev = generate({ migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', cli: { package: 'prisma', installed: 'dev' } } });
    expect(dev.problems).toEqual([]);
    expect(dev.text).not.toMatch(/^RUN .*prune/m);
    expect(dev.text).toContain('# devDependencies kept: the migrate step runs prisma, a devDependency');
    const prod = generate({ migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', cli: { package: 'prisma', installed: 'prod' } } });
    expect(prod.text).toContain('RUN npm prune --omit=dev');
  });

  it('refuses what it cannot run: not-deployable units and start commands with no single process', () => {
    expect(() => generate({ kind: 'not-deployable', kind_reason: 'a library with no server' })).toThrow(expect.objectContaining({ code: 'NOT_DEPLOYABLE' }));
    expect(() => generate({ commands: { start: 'concurrently "npm:api" "npm:worker"' }, entrypoint: null, framework: { name: 'none' } })).toThrow(
      expect.objectContaining({ code: 'INPUT_MISSING', next: expect.stringContaining('start_command') }),
    );
    // A config override wins.
    const { runtime } = generate({ config: { path: '.sealos/config.json', start_command: 'node build/app.js' }, commands: { start: 'nodemon src/app.ts' } });
    expect(cmdOf(runtime)).toEqual(['node', 'build/app.js']);
  });
});

describe('generateDockerignore', () => {
  it('keeps secrets, VCS data, dependencies and local state out, but keeps .env.example', () => {
    const lines = generateDockerignore(buildAnalysis()).split('\n');
    for (const l of ['.git', '**/node_modules', '**/.env', '**/.env.*', '!**/.env.example', '.sealos', '**/*.log', '**/.next']) expect(lines).toContain(l);
    expect(lines.indexOf('!**/.env.example')).toBeGreaterThan(lines.indexOf('**/.env.*'));
    // No build step: dist may be the committed runtime, so it is not ignored.
    expect(generateDockerignore(buildAnalysis({ entrypoint: 'dist/server.js', commands: { build: null } })).split('\n')).not.toContain('dist');
  });
});
