import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { lintDockerfile, lintProblems } from '../../../src/core/image/dockerfile-lint.js';
import { parseDockerfile } from '../../../src/core/image/dockerfile-parse.js';
import { generateDockerignore } from '../../../src/core/image/dockerignore.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { envOf, mainContainer, roundTrip } from './helpers.js';
import { buildAnalysis } from '../../support/analysis-builder.js';

const APPS = join(import.meta.dirname, '../../fixtures/apps');

/** A fixture app analyzed for real, its generated image and rendered template. */
async function ship(name: string) {
  const view = await openRepoView(join(APPS, name), execaRunner, { scanCache: false });
  const analysis = analyzeRepo(view, {});
  const gen = generateDockerfile(analysis, view.files);
  const problems = lintProblems(lintDockerfile(gen.text, { port: gen.port, dockerignore: generateDockerignore(analysis) }));
  const runtime = parseDockerfile(gen.text).stages.at(-1)?.instructions ?? [];
  const { byKind } = await roundTrip(analysis);
  const container = mainContainer(byKind('Deployment')[0]!);
  return { analysis, gen, problems, cmd: runtime.filter((i) => i.keyword === 'CMD').pop()?.json, env: Object.fromEntries(envOf(container).map((e) => [e.name, e.value])), container };
}

describe('platforms whose CLI runs the server', () => {
  it('AdonisJS: the image runs the built server in build/, the pod binds HOST=0.0.0.0 on the analyzed port', async () => {
    const { gen, problems, cmd, env, container } = await ship('adonis-api');
    expect(problems).toEqual([]);
    expect(gen.text).toContain('RUN npm run build');
    // `node bin/server.js` (the start script) only exists inside build/; node finds /app/node_modules from there.
    expect(cmd).toEqual(['node', 'build/bin/server.js']);
    // LOG_LEVEL is validated at boot (Env.create) and .env.example says info: set, not asked for.
    expect(env).toMatchObject({ PORT: '3333', HOST: '0.0.0.0', NODE_ENV: 'production', LOG_LEVEL: 'info' });
    expect(container.ports[0].containerPort).toBe(3333);
    // The Ignitor shuts down on SIGTERM itself: no tini needed.
    expect(gen.text).not.toContain('tini');
  });

  it('Strapi: `strapi start` from the package bin on PORT 1337, PostgreSQL wired to DATABASE_URL', async () => {
    const { problems, cmd, env, container, analysis } = await ship('strapi-cms');
    expect(problems).toEqual([]);
    expect(cmd).toEqual(['node_modules/.bin/strapi', 'start']);
    expect(env.PORT).toBe('1337');
    expect(container.ports[0].containerPort).toBe(1337);
    expect(envOf(container).find((e) => e.name === 'DATABASE_URL')?.valueFrom ?? envOf(container).find((e) => e.name === 'DATABASE_URL')?.value).toBeDefined();
    expect(analysis.env_vars.filter((v) => v.required).map((v) => v.name)).toEqual(expect.arrayContaining(['ADMIN_JWT_SECRET', 'API_TOKEN_SALT', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT']));
  });
});

describe("Next.js with output: 'standalone'", () => {
  it('the image runs the standalone server.js with the static assets beside it, as analyzed from next.config', async () => {
    const { analysis, gen, problems, cmd } = await ship('next-standalone');
    expect(analysis.framework.details.output).toBe('standalone');
    expect(problems).toEqual([]);
    // server.js serves /_next/static from .next/static beside it: without the copy every script and stylesheet is a 404.
    expect(gen.text).toContain('COPY --from=build --chown=1000:1000 /app/.next/standalone ./\n');
    expect(gen.text).toContain('COPY --from=build --chown=1000:1000 /app/.next/static ./.next/static\n');
    expect(cmd).toEqual(['node', 'server.js']);
  });
});

describe('a bind address read from a variable that defaults to loopback', () => {
  it('is set to 0.0.0.0 by the template and the image alike', async () => {
    const analysis = buildAnalysis({ bind: { host: '127.0.0.1', all_interfaces: false, env_name: 'HD_BACKEND_BIND_IP', evidence: [] } });
    const { byKind, rendered } = await roundTrip(analysis);
    expect(envOf(mainContainer(byKind('Deployment')[0]!)).find((e) => e.name === 'HD_BACKEND_BIND_IP')?.value).toBe('0.0.0.0');
    expect(rendered.warnings.join('\n')).not.toMatch(/other pods cannot reach/);
    const runtime = parseDockerfile(generateDockerfile(analysis, []).text).stages.at(-1)?.instructions ?? [];
    expect(runtime.find((i) => i.keyword === 'ENV')?.args).toContain('HD_BACKEND_BIND_IP=0.0.0.0');
  });
});
