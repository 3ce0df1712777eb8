import { describe, expect, it } from 'vitest';
import { isSourceFile } from '../../../src/core/analysis/context.js';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

describe('what is the service’s own source', () => {
  it('leaves out tests (spec/, cypress/), and the configs of release, lint, format and task tools', () => {
    for (const f of ['spec/support/MockLdapServer.js', 'cypress/support/commands.ts', 'src/__fixtures__/app.js', '.releaserc.js', '.eslintrc.cjs', 'eslint.config.mjs', 'release.config.js', 'commitlint.config.ts', 'gulpfile.js'])
      expect(isSourceFile(f), f).toBe(false);
    for (const f of ['src/server.js', 'src/app.config.js', 'src/specification.ts', 'lib/cli/parse-server.js', 'webpack.config.js']) expect(isSourceFile(f), f).toBe(true);
  });

  it("takes neither a spec server's port nor a release config's variables (parse-server)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } }),
        'index.js': "require('express')().listen(process.env.PORT || 1337);\n",
        'spec/support/MockLdapServer.js': "require('ldapjs').createServer().listen(12345, '127.0.0.1');\n",
        '.releaserc.js': 'module.exports = { repositoryUrl: `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}` };\n',
      }),
    );
    expect(a.port).toMatchObject({ value: 1337, env_name: 'PORT' });
    expect(a.bind.evidence[0]?.file).toBe('index.js');
    expect(a.env_vars.map((v) => v.name)).toEqual(['PORT']);
  });
});
