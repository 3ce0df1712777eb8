import { describe, expect, it } from 'vitest';
import { isSourceFile } from '../../../src/core/analysis/context.js';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

describe('what is the service’s own source', () => {
  it('leaves out tests (spec/, cypress/), and the configs of release, lint, format and task tools', () => {
    for (const f of ['spec/support/MockLdapServer.js', 'cypress/support/commands.ts', 'src/__fixtures__/app.js', '.releaserc.js', '.eslintrc.cjs', 'eslint.config.mjs', 'release.config.js', 'commitlint.config.ts', 'gulpfile.js'])
      expect(isSourceFile(f), f).toBe(false);
    for (const f of ['src/server.js', 'src/app.config.js', 'src/specification.ts', 'lib/cli/parse-server.js', 'webpack.config.js']) expect(isSourceFile(f), f).toBe(true);
    // public/ and static/ hold assets, except below a routing directory (langfuse's pages/api/public/health.ts).
    for (const f of ['public/js/app.js', 'client/public/x.js', 'static/a.js', 'src/public/index.js']) expect(isSourceFile(f), f).toBe(false);
    for (const f of ['src/pages/api/public/health.ts', 'src/api/public/v1/index.ts', 'app/routes/static/x.ts']) expect(isSourceFile(f), f).toBe(true);
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

describe('examples of using the package', () => {
  it("are not its code: express itself is a library, not the server of examples/auth (which listens on 3000)", () => {
    const a = analyzeRepo(
      memoryRepo({
        'package.json': JSON.stringify({ name: 'express', main: 'index.js', dependencies: { 'body-parser': '^2' } }),
        'index.js': "module.exports = require('./lib/express');\n",
        'lib/express.js': "const http = require('node:http');\nexports.listen = function listen() {\n  const server = http.createServer(this);\n  return server.listen.apply(server, arguments);\n};\n",
        'examples/auth/index.js': "const express = require('../../');\nconst app = express();\napp.listen(3000);\n",
        'example/server.js': "require('../')().listen(8080);\n",
      }),
    );
    expect(a.kind).toBe('not-deployable');
    expect(a.kind_reason).toBe("a library: it uses Node's http module, but has no start script and nothing in its code listens");
    expect(a.port.value).toBeNull();
  });

  it('a package of its own under examples/ is still analyzed with its files as its source', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'lib', private: true, workspaces: ['examples/*'] }),
      'examples/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }),
      'examples/api/server.js': "require('express')().listen(process.env.PORT || 4000);\n",
    };
    expect(analyzeRepo(memoryRepo(files), { path: 'examples/api' })).toMatchObject({ kind: 'server', port: { value: 4000, env_name: 'PORT' } });
  });
});
