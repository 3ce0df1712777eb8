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
