import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { generateDockerfile } from '../../../src/core/image/dockerfile-generate.js';
import { memoryRepo } from './memory-repo.js';

const app = (extra: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'sfu', scripts: { start: 'node app/src/Server.js' }, dependencies: { express: '5' } }),
  'app/src/Server.js': "const config = require('./config');\nrequire('express')().listen(config.port);\n",
  ...extra,
});

describe('a config the code loads that only a committed template of exists', () => {
  it("is copied from the template in the image (mirotalksfu's config.template.js), with a warning", () => {
    const files = app({ 'app/src/config.template.js': 'module.exports = { port: process.env.SERVER_LISTEN_PORT || 3010 };\n' });
    const a = analyzeRepo(memoryRepo(files));
    expect(a.commands.config_copies).toEqual([{ from: 'app/src/config.template.js', to: 'app/src/config.js' }]);
    expect(a.findings.find((f) => f.id === 'config-from-template')).toMatchObject({ status: 'warn', evidence: [expect.objectContaining({ file: 'app/src/config.template.js' })] });
    // Before the build, which may compile it (lujakob's nestjs-realworld: src/config.ts.example).
    expect(generateDockerfile(a, Object.keys(files)).text).toMatch(/FROM deps AS build\nCOPY \. \.\nRUN cp app\/src\/config\.template\.js app\/src\/config\.js\n/);
    // `config.example.js` and `config.js.sample` are templates too (mediasoup-demo).
    expect(analyzeRepo(memoryRepo(app({ 'app/src/config.example.js': 'module.exports = { port: 3010 };\n' }))).commands.config_copies).toEqual([{ from: 'app/src/config.example.js', to: 'app/src/config.js' }]);
    expect(analyzeRepo(memoryRepo(app({ 'app/src/config.js.sample': 'module.exports = { port: 3010 };\n' }))).commands.config_copies).toEqual([{ from: 'app/src/config.js.sample', to: 'app/src/config.js' }]);
  });

  it("not twice when the start script already lays it out (mirotalk's prestart `test -f … || cp …`)", () => {
    const files = app({ 'app/src/config.template.js': 'module.exports = { port: 3010 };\n' });
    files['package.json'] = JSON.stringify({ name: 'mt', scripts: { prestart: 'test -f app/src/config.js || cp app/src/config.template.js app/src/config.js', start: 'node app/src/Server.js' }, dependencies: { express: '5' } });
    const a = analyzeRepo(memoryRepo(files));
    expect(a.commands.prepare).toBe('test -f app/src/config.js || cp app/src/config.template.js app/src/config.js');
    expect(a.commands.config_copies).toBeUndefined();
  });

  it('nothing when the module is committed, or when no template of it exists', () => {
    const committed = analyzeRepo(memoryRepo(app({ 'app/src/config.js': 'module.exports = { port: 3010 };\n', 'app/src/config.template.js': 'module.exports = {};\n' })));
    expect(committed.commands.config_copies).toBeUndefined();
    expect(committed.findings.some((f) => f.id === 'config-from-template')).toBe(false);
    expect(analyzeRepo(memoryRepo(app({}))).commands.config_copies).toBeUndefined();
  });
});
