import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const files = (siteTurbo: object | null, rootTurbo: object = { tasks: { build: { dependsOn: ['^build'] } } }) => ({
  'package.json': JSON.stringify({ name: 'root', private: true, scripts: { build: 'turbo build' }, devDependencies: { turbo: '2' } }),
  'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  'turbo.json': JSON.stringify(rootTurbo),
  ...(siteTurbo ? { 'apps/site/turbo.json': JSON.stringify(siteTurbo) } : {}),
  'apps/site/package.json': JSON.stringify({ name: 'website', scripts: { build: 'next build', start: 'next start', 'build:blog-data': 'node ./scripts/blog-data.mjs' }, dependencies: { next: '15' } }),
  'apps/site/app/page.tsx': "import data from '../public/blog-data.json';\nexport default function P() { return data.length; }\n",
});

describe("scripts turbo runs before a unit's build", () => {
  it("run first in the image (nodejs.org's build:blog-data writes the file next build imports)", () => {
    const f = files({ extends: ['//'], tasks: { build: { dependsOn: ['build:blog-data', '^build', '@acme/ui#build'] } } });
    const a = analyzeRepo(memoryRepo(f), { path: 'apps/site' });
    expect(a.commands.build_first).toEqual(['build:blog-data']);
    expect(generateDockerfile(a, Object.keys(f)).text).toMatch(/WORKDIR \/app\/apps\/site\nRUN pnpm run build:blog-data\n(WORKDIR \/app\n)?RUN pnpm --filter "\{apps\/site\}\.\.\." run build\n/);
    // The root's task for this package (`website#build`) says the same.
    expect(analyzeRepo(memoryRepo(files(null, { tasks: { 'website#build': { dependsOn: ['build:blog-data'] } } })), { path: 'apps/site' }).commands.build_first).toEqual(['build:blog-data']);
  });

  it("none for another package's build (^build), or a task the unit has no script for", () => {
    expect(analyzeRepo(memoryRepo(files(null)), { path: 'apps/site' }).commands.build_first).toBeUndefined();
    expect(analyzeRepo(memoryRepo(files({ tasks: { build: { dependsOn: ['generate'] } } })), { path: 'apps/site' }).commands.build_first).toBeUndefined();
    // Nor checks, which write nothing the build needs (novel's typecheck).
    const checked = files({ tasks: { build: { dependsOn: ['typecheck', 'build:blog-data'] } } });
    checked['apps/site/package.json'] = JSON.stringify({ name: 'website', scripts: { build: 'next build', typecheck: 'tsc --noEmit', 'build:blog-data': 'node x.mjs' }, dependencies: { next: '15' } });
    expect(analyzeRepo(memoryRepo(checked), { path: 'apps/site' }).commands.build_first).toEqual(['build:blog-data']);
  });
});
