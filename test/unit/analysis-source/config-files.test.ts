import { describe, expect, it } from 'vitest';
import { analyzeIn, findingOf, pkgJson } from './memory-repo.js';

describe('a configuration file the repository has only a sample of', () => {
  // wiki.js: server/core/config.js reads config.yml and exits without it; only config.sample.yml is committed.
  const wiki = {
    'package.json': pkgJson(['express', 'js-yaml']),
    'config.sample.yml': 'port: 3000\ndb:\n  type: postgres\n',
    'server/core/config.js': "const fs = require('fs');\nconst path = require('path');\nconst yaml = require('js-yaml');\nexports.init = () => yaml.load(fs.readFileSync(path.join(process.cwd(), 'config.yml'), 'utf8'));\n",
    'server/index.js': "require('./core/config').init();\nrequire('express')().listen(3000);\n",
  };

  it.each(['tiered', 'ast'] as const)('warns where the code reads it, naming the sample (%s)', (mode) => {
    const f = findingOf(analyzeIn(wiki, mode), 'config-file');
    expect(f).toMatchObject({ status: 'warn', message: expect.stringContaining('reads config.yml (server/core/config.js:4)') });
    expect(f?.evidence.map((e) => [e.file, e.rule])).toEqual([['server/core/config.js', 'config-file-read'], ['config.sample.yml', 'config-file-sample']]);
  });

  it.each(['tiered', 'ast'] as const)('says nothing when the file is committed, or the code never reads it (%s)', (mode) => {
    expect(findingOf(analyzeIn({ ...wiki, 'config.yml': 'port: 3000\n' }, mode), 'config-file')).toBeUndefined();
    expect(findingOf(analyzeIn({ ...wiki, 'server/core/config.js': 'exports.init = () => ({ port: 3000 });\n' }, mode), 'config-file')).toBeUndefined();
  });
});
