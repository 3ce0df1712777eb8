import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const files = (dockerfile: string) => ({
  'package.json': JSON.stringify({ name: 'svc', scripts: { build: 'tsc', start: 'node dist/main.js' }, dependencies: { express: '^4' } }),
  'package-lock.json': '{}',
  'src/main.ts': "import express from 'express';\nexpress().listen(Number(process.env.PORT ?? 3000));\n",
  Dockerfile: dockerfile,
});
const dockerfileFinding = (dockerfile: string, extra: Record<string, string> = {}) =>
  analyzeRepo(memoryRepo({ ...files(dockerfile), ...extra }, { tracked: true }), { now: () => new Date(0) }).findings.find((f) => f.id === 'dockerfile');

describe('the dockerfile finding on what a Dockerfile copies', () => {
  it("a path git does not have (Nx's generated `COPY dist/api api`) fails a clean build: said, with where to build it", () => {
    const a = analyzeRepo(memoryRepo(files('FROM node:22-slim\nWORKDIR /app\nCOPY dist/api api\nCOPY package.json ./\nRUN npm --prefix api --omit=dev install\nUSER node\nEXPOSE 3000\nCMD ["node", "api"]\n'), { tracked: true }), { now: () => new Date(0) });
    expect(a.dockerfile?.copies_missing).toEqual(['dist/api']);
    expect(a.findings.find((f) => f.id === 'dockerfile')).toMatchObject({ status: 'warn', message: expect.stringContaining('it copies dist/api, which git does not have'), fix: expect.stringContaining('COPY --from') });
  });
});

describe('the dockerfile finding on a single-stage Dockerfile', () => {
  it('a single stage that builds or installs devDependencies ships build tools', () => {
    const f = dockerfileFinding('FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nUSER node\nEXPOSE 3000\nCMD ["node", "dist/main.js"]\n');
    expect(f).toMatchObject({ status: 'warn', message: expect.stringContaining('single stage: build tools and dev dependencies ship in the runtime image') });
  });

  it("a single stage that copies a build made elsewhere and installs production dependencies does not (Nx's generated Dockerfile)", () => {
    // (the build it copies is committed here: only the stage count is in question)
    const f = dockerfileFinding('FROM node:22-slim\nWORKDIR /app\nCOPY dist/api api\nRUN npm --prefix api --omit=dev -f install\nUSER node\nEXPOSE 3000\nCMD ["node", "api"]\n', { 'dist/api/main.js': 'x\n' });
    expect(f).toMatchObject({ status: 'pass', message: 'Dockerfile: one stage with no build tools, non-root, pinned base, EXPOSE matches.' });
  });
});

describe('the dockerfile finding on the port', () => {
  const stage = (lines: string) => `FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app /app\n${lines}USER node\nCMD ["node", "dist/main.js"]\n`;

  it("a service that reads PORT listens where the image's ENV PORT says, whatever its fallback (ohmyform: ENV PORT=3000, listen(PORT || 4100))", () => {
    expect(dockerfileFinding(stage('ENV PORT=3000 \\\n    NODE_ENV=production\nEXPOSE 3000\n'), { 'src/main.ts': "import express from 'express';\nexpress().listen(process.env.PORT || 4100);\n" })).toMatchObject({ status: 'pass', message: expect.stringContaining('EXPOSE matches') });
    // Without ENV PORT the image's port is the fallback: a mismatch, said with the port it listens on.
    expect(dockerfileFinding(stage('EXPOSE 3000\n'), { 'src/main.ts': "import express from 'express';\nexpress().listen(process.env.PORT || 4100);\n" })).toMatchObject({ status: 'warn', message: expect.stringContaining('EXPOSE 3000 but the service listens on 4100') });
  });

  it('reads EXPOSE ${PORT} with the value the stage set (timvisee/send: ENV PORT=1443)', () => {
    const a = analyzeRepo(memoryRepo({ ...files(stage('ENV PORT=1443\nEXPOSE ${PORT}\n')), 'src/main.ts': "import express from 'express';\nimport { conf } from './conf';\nexpress().listen(conf.port);\n", 'src/conf.ts': 'export const conf = { port: Number(process.argv[2]) };\n' }, { tracked: true }), { now: () => new Date(0) });
    expect(a.dockerfile).toMatchObject({ expose: [1443], env_port: 1443 });
    expect(a.port).toMatchObject({ value: 1443, source: 'dockerfile' });
  });
});
