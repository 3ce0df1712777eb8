import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { buildProject } from '../../../src/ops/build.js';
import { rehearseProject } from '../../../src/ops/rehearse.js';
import { readinessScorecard } from '../../../src/ops/scorecard.js';
import { memoryRepo, pkgJson } from '../analysis-source/memory-repo.js';

const repo = () =>
  memoryRepo({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'packages/api/package.json': pkgJson(['express'], { name: 'api', scripts: { start: 'node index.js' } }),
    'packages/api/index.js': "require('express')().listen(process.env.PORT || 3000);\n",
  });

describe('--path: the unit to analyze', () => {
  it('takes ./, trailing slashes and backslashes', () => {
    for (const path of ['packages/api', './packages/api/', 'packages\\api', 'packages/./api']) expect(analyzeRepo(repo(), { path }).project.path).toBe('packages/api');
  });

  it('refuses a path that leaves the repository, naming it as given', () => {
    for (const path of ['../', '../other', 'packages/../../etc', '/etc', 'C:\\work'])
      expect(() => analyzeRepo(repo(), { path })).toThrow(expect.objectContaining({ code: 'UNIT_NOT_FOUND', message: `--path "${path}" is not a directory inside the repository.` }));
  });

  it('names the units when the directory does not exist', () => {
    expect(() => analyzeRepo(repo(), { path: 'packages/web' })).toThrow(expect.objectContaining({ code: 'UNIT_NOT_FOUND', message: 'No directory "packages/web" with files in this repository.', next: 'Choose one of: packages/api' }));
  });
});

describe('--path outside the repository, in the operations that read a unit\'s artifacts', () => {
  // Nothing outside the checkout is read (build looked for ../x/.sealos/analysis.json) and no tree is exported.
  it.each([
    ['build', () => buildProject('/tmp', { path: '../x' })],
    ['scorecard', () => readinessScorecard('/tmp', { path: '../x' })],
    ['rehearse', () => rehearseProject('/tmp', { path: '../x' })],
  ])('%s refuses it', async (_name, run) => {
    await expect(run()).rejects.toMatchObject({ code: 'UNIT_NOT_FOUND', message: '--path "../x" is not a directory inside the repository.' });
  });
});
