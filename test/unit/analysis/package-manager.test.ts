import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo, pkgJson } from '../analysis-source/memory-repo.js';

const LOCK9 = "lockfileVersion: '9.0'\n";
const server = { 'packages/server/package.json': pkgJson(['express'], { name: 'server', scripts: { start: 'node index.js' } }), 'packages/server/index.js': "require('express')().listen(process.env.PORT || 3000);\n" };
const workspace = (root: Record<string, unknown>) =>
  memoryRepo({ 'package.json': JSON.stringify({ name: 'mono', private: true, ...root }), 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n", 'pnpm-lock.yaml': LOCK9, ...server });

describe('the package manager version the image prepares', () => {
  it("is at least the major the workspace's engines require (Flowise: pnpm ^10.26.0 refuses pnpm 9)", () => {
    const a = analyzeRepo(workspace({ engines: { node: '^24', pnpm: '^10.26.0' } }), { path: 'packages/server' });
    expect(a.package_manager).toMatchObject({ name: 'pnpm', version: '10', corepack: false });
    expect(a.package_manager.evidence.map((e) => [e.file, e.rule])).toContainEqual(['package.json', 'engines']);
    expect(generateDockerfile(a, []).text).toContain('corepack prepare pnpm@10 --activate');
  });

  it("is the root's packageManager for a unit that names none (corepack reads it from the root manifest)", () => {
    const a = analyzeRepo(workspace({ packageManager: 'pnpm@10.28.0' }), { path: 'packages/server' });
    expect(a.package_manager).toMatchObject({ name: 'pnpm', version: '10.28.0', corepack: true });
  });

  it("stays the lockfile's when the engines allow it, and 9 when nothing names one", () => {
    expect(analyzeRepo(workspace({ engines: { pnpm: '>=8' } }), { path: 'packages/server' }).package_manager.version).toBe('9');
    expect(analyzeRepo(workspace({}), { path: 'packages/server' }).package_manager.version).toBe('9');
    const single = memoryRepo({ 'package.json': pkgJson(['express'], { scripts: { start: 'node index.js' }, engines: { yarn: '>=4.5' } }), 'index.js': "require('express')().listen(3000);\n", 'yarn.lock': '__metadata:\n  version: 8\n', '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(analyzeRepo(single, {}).package_manager).toMatchObject({ name: 'yarn-berry', version: null });
  });
});
