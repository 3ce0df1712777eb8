import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { memoryRepo } from '../analysis-source/memory-repo.js';

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '4', ...deps } }, null, 2);
const server = "require('express')().listen(process.env.PORT || 3000);\n";

describe('dependencies fetched from git', () => {
  it("asks for git when package.json names a git dependency (mediasoup-demo's github:versatica/mediasoup#v3)", () => {
    for (const spec of ['github:versatica/mediasoup#v3', 'versatica/mediasoup', 'git+ssh://git@github.com/a/b.git#abc', 'git://github.com/a/b.git', 'git@github.com:a/b.git']) {
      const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ mediasoup: spec }), 'server.js': server }));
      expect(a.commands.install_programs, spec).toEqual(['git']);
      expect(a.commands.evidence.find((e) => e.rule === 'git-dependency'), spec).toMatchObject({ file: 'package.json', line: 8, snippet: `"mediasoup": "${spec}"` });
    }
  });

  it("finds a transitive one in the lockfile (formio's @formio/* from git+ssh://)", () => {
    const lock = JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/@formio/core': { version: '2.0.0', resolved: 'git+ssh://git@github.com/formio/core.git#0123abc' } } }, null, 2);
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({}), 'package-lock.json': lock, 'server.js': server }));
    expect(a.commands.install_programs).toEqual(['git']);
    expect(a.commands.evidence.find((e) => e.rule === 'git-dependency-locked')).toMatchObject({ file: 'package-lock.json', line: 10 });
  });

  it("reads yarn berry's `…git#commit=<sha>` resolutions (overleaf's fast-crc32c)", () => {
    const lock = '__metadata:\n  version: 8\n\n"fast-crc32c@https://github.com/overleaf/node-fast-crc32c.git#commit=aae6b2a":\n  version: 2.0.0\n  resolution: "fast-crc32c@https://github.com/overleaf/node-fast-crc32c.git#commit=aae6b2a4c7f1"\n';
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({}), 'yarn.lock': lock, '.yarnrc.yml': 'nodeLinker: node-modules\n', 'server.js': server }));
    expect(a.commands.install_programs).toEqual(['git']);
  });

  it('leaves registry versions, local paths, workspaces, aliases and tarball URLs alone', () => {
    const a = analyzeRepo(memoryRepo({ 'package.json': pkg({ a: '^1.2.3', b: '../lib/b', c: 'workspace:*', d: 'npm:e@1', f: 'file:./vendor/f', g: 'https://codeload.github.com/a/g/tar.gz/main', h: 'link:../h' }), 'server.js': server }));
    expect(a.commands.install_programs).toBeUndefined();
  });
});
