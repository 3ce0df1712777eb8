import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/core/analysis/source/index.js';
import { SourceIndex, parseJsonc } from '../../../src/core/analysis/source/modules.js';
import { lineSnippet } from '../../../src/core/analysis/source/ast.js';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { AnalysisSchema } from '../../../src/core/state/analysis-schema.js';
import { analyze, hints, memoryContext, memoryRepo, pkgJson } from './memory-repo.js';

const express = pkgJson(['express']);

describe('robustness', () => {
  it('skips a file with a syntax error, says why, and still analyzes the rest', () => {
    const r = analyze({
      'package.json': express,
      'src/broken.js': `const x = ;\napp.listen(process.env.PORT\n`,
      'src/server.js': `const app = require('express')();\napp.get('/healthz', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n`,
    });
    expect(r.skipped).toEqual([{ file: 'src/broken.js', reason: expect.stringMatching(/^syntax error: /) }]);
    expect(r.port).toMatchObject({ value: 3000, reads_env: true });
    expect(r.health.paths).toEqual(['/healthz']);
  });

  it('skips minified bundles without parsing them', () => {
    const minified = 'var a=process.env.X;' + 'function f(a,b){return a+b}'.repeat(400);
    const r = analyze({ 'package.json': express, 'src/vendor.js': minified, 'src/a.js': `require('express')().listen(3000);\n` });
    expect(r.skipped).toEqual([{ file: 'src/vendor.js', reason: 'minified (very long lines)' }]);
    expect(r.env_vars.map((v) => v.name)).not.toContain('X');
  });

  it('never hands pathological nesting to the parser (oxc crashes the process on ~10k nested brackets)', () => {
    const r = analyze({
      'package.json': express,
      'src/deep.js': 'const p = process.env.PORT;\nconst x = ' + '[\n'.repeat(12000) + ']\n'.repeat(12000) + ';\n',
      'src/chain.js': 'const y = process.env.A' + '\n + 1'.repeat(30000) + ';\n',
      'src/a.js': `require('express')().listen(process.env.PORT || 3000);\n`,
    });
    expect(r.skipped).toContainEqual({ file: 'src/deep.js', reason: 'brackets nested deeper than 1000 levels' });
    expect(r.port.value).toBe(3000);
  });

  it('survives circular imports, spread arguments and odd listen calls', () => {
    const r = analyze({
      'package.json': express,
      'src/a.js': `import { B } from './b.js';\nexport const A = B;\n`,
      'src/b.js': `import { A } from './a.js';\nexport const B = A;\n`,
      'src/server.js': `import { A } from './a.js';\nconst app = require('express')();\napp.listen(A);\napp.listen(...[3000]);\nserver.listen('/tmp/app.sock');\nnew Proxy({}, {}).listen?.();\n`,
    });
    expect(r.port.reads_env).toBe(false);
    expect(r.findings.find((f) => f.id === 'reads-port')?.status).not.toBe('pass');
  });

  it('takes no port from listen(0) (any free port), an out-of-range number or a --port 0 flag, and the document stays valid', () => {
    for (const [code, scripts] of [
      ["require('http').createServer().listen(0);", {}],
      ["require('express')().listen(70000);", {}],
      ["require('express')().listen(process.env.PORT || 0);", {}],
      ["module.exports = 1;", { start: 'serve --port 0' }],
    ] as const) {
      const a = analyzeRepo(memoryRepo({ 'package.json': JSON.stringify({ name: 'a', scripts, dependencies: { express: '4' } }), 'server.js': code + '\n' }));
      expect(a.port.value === null || (a.port.value >= 1 && a.port.value <= 65535), code).toBe(true);
      expect(a.port.default, code).not.toBe(0);
      expect(AnalysisSchema.safeParse(a).success, code).toBe(true);
    }
  });

  it("reads the service's own Prisma schemas, not a test fixture's", () => {
    const r = analyze({
      'package.json': pkgJson(['@prisma/client']),
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
      'test/fixtures/other/prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url = env("FIXTURE_DB_URL")\n}\n',
    });
    expect(r.env_vars.map((v) => v.name)).toEqual(['DATABASE_URL']);
  });

  it('parses each file once and never parses files that cannot matter', () => {
    const files: Record<string, string> = { 'package.json': express, 'src/server.js': `const { PORT } = require('./config');\nrequire('express')().listen(PORT);\n`, 'src/config.js': `module.exports = { PORT: process.env.PORT || 3000 };\n` };
    for (let i = 0; i < 30; i++) files[`src/components/C${i}.jsx`] = `export const C${i} = () => <div>{${i}}</div>;\n`;
    const r = analyze(files);
    expect(r.port.value).toBe(3000);
    expect(r.parsed_files).toBe(2);
  });

  it('excludes nested workspace units and tests, and maps a dist entrypoint back to src', () => {
    const files = {
      'package.json': express,
      'src/main.ts': `import express from 'express';\nexpress().listen(Number(process.env.PORT) || 4000);\n`,
      'packages/worker/src/index.ts': `require('http').createServer().listen(9999);\n`,
      'src/main.test.ts': `const k = process.env.TEST_ONLY_KEY;\n`,
    };
    const ctx = memoryContext(files);
    const r = analyzeSource(ctx, hints({ entrypoint: 'dist/main.js', nestedUnits: ['packages/worker'] }));
    expect(r.port).toMatchObject({ value: 4000, reads_env: true });
    expect(r.port.evidence[0]?.file).toBe('src/main.ts');
    expect(r.env_vars.map((v) => v.name)).toEqual(['PORT']);
  });

  it('analyzes a unit inside a monorepo with tsconfig path aliases', () => {
    const files = {
      'package.json': pkgJson([], { workspaces: ['apps/*'] }),
      'apps/api/package.json': express,
      'apps/api/tsconfig.json': `{\n  // aliases\n  "compilerOptions": { "baseUrl": ".", "paths": { "#config/*": ["src/config/*"] }, },\n}\n`,
      'apps/api/src/config/server.ts': `export const serverConfig = { port: process.env.API_PORT ?? 8081 };\n`,
      'apps/api/src/index.ts': `import { serverConfig } from '#config/server';\nimport express from 'express';\nexpress().listen(serverConfig.port, '0.0.0.0');\n`,
    };
    const ctx = memoryContext(files, { unit: 'apps/api' });
    const r = analyzeSource(ctx, hints());
    expect(r.port).toMatchObject({ value: 8081, reads_env: true, env_name: 'API_PORT' });
    expect(r.bind.host).toBe('0.0.0.0');
  });

  it('resolves index files and .js specifiers to TypeScript sources', () => {
    const ctx = memoryContext({ 'src/lib/index.ts': '', 'src/util.mts': '', 'src/a.ts': '' });
    const idx = new SourceIndex(ctx, ctx.unitFiles);
    expect(idx.resolve('src/a.ts', './lib')).toBe('src/lib/index.ts');
    expect(idx.resolve('src/a.ts', './util.mjs')).toBe('src/util.mts');
    expect(idx.resolve('src/a.ts', 'express')).toBeNull();
    expect(parseJsonc('{ "a": "//not a comment", /* c */ "b": [1,], }')).toEqual({ a: '//not a comment', b: [1] });
  });

  it('masks secret-looking literals in evidence snippets', () => {
    const text = `const url = 'postgres://admin:hunter2@db/prod'; const n = 'plain';`;
    const s = lineSnippet(text, 10);
    expect(s).not.toContain('hunter2');
    expect(s).toContain("'plain'");
    expect(lineSnippet(text, 10, true)).not.toContain('plain');
  });
});
