import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

describe('Nitro on its own', () => {
  it("is a server on PORT (default 3000) that runs .output/server/index.mjs (the RealWorld reference API)", () => {
    const files = {
      'package.json': JSON.stringify({ name: 'api', scripts: { build: 'nitro build', dev: 'nitro dev' }, dependencies: { nitropack: '2.13.1' } }),
      'nitro.config.ts': "export default defineNitroConfig({ preset: 'heroku', srcDir: 'server' });\n",
      'server/routes/api/tags.get.ts': "export default defineEventHandler(() => ({ tags: [] }));\n",
    };
    const a = analyzeRepo(memoryRepo(files));
    expect(a.framework.name).toBe('nitro');
    expect(a.kind).toBe('server');
    expect(a.commands).toMatchObject({ build: 'npm run build', start: 'node .output/server/index.mjs' });
    expect(a.entrypoint).toBe('.output/server/index.mjs');
    expect(a.port).toMatchObject({ value: 3000 });
    expect(generateDockerfile(a, Object.keys(files)).text).toContain('CMD ["node", ".output/server/index.mjs"]');
  });
});

describe('a package that depends on Next.js', () => {
  it('is no app without app/ or pages/ (nodejs.org platforms/default, next-learn\'s course root)', () => {
    const pkg = JSON.stringify({ name: 'platform', scripts: { start: 'next start' }, dependencies: { next: '15' } });
    const lib = analyzeRepo(memoryRepo({ 'package.json': pkg, 'next.config.mjs': 'export default {};\n' }));
    expect(lib).toMatchObject({ kind: 'not-deployable', kind_reason: expect.stringContaining('no app/ or pages/ directory') });
    expect(analyzeRepo(memoryRepo({ 'package.json': pkg, 'src/pages/index.tsx': 'export default function H() { return null; }\n' })).kind).toBe('ssr');
    // A server of its own that may render another package's app (teable's nestjs-backend: `nest start`, next as a dependency).
    const nest = JSON.stringify({ name: 'backend', scripts: { start: 'nest start', 'build:next': 'next build ../nextjs-app' }, dependencies: { next: '14', '@nestjs/core': '10' } });
    expect(analyzeRepo(memoryRepo({ 'package.json': nest, 'src/main.ts': 'export {};\n' })).kind).not.toBe('not-deployable');
  });
});
