import { describe, expect, it } from 'vitest';
import { Evaluator, SourceIndex, literalOf, type Val } from '../../../src/core/analysis/source/modules.js';
import { memoryContext } from './memory-repo.js';

/** Evaluates the initializer of `const probe = ...` in `main.ts` against the given files. */
function valueOf(files: Record<string, string>): Val {
  const ctx = memoryContext(files);
  const index = new SourceIndex(ctx, ctx.unitFiles);
  const ev = new Evaluator(index);
  const scan = index.scan('main.ts')!;
  return ev.evalIdent(scan, 'probe', Number.MAX_SAFE_INTEGER, 0);
}

describe('static evaluation', () => {
  it.each([
    ['process.env.PORT || 3000', { k: 'env', name: 'PORT', fallback: { k: 'num', v: 3000 } }],
    ["Number(process.env.PORT ?? '8080')", { k: 'env', name: 'PORT', fallback: { k: 'num', v: 8080 } }],
    ["parseInt(process.env['PORT'] || '5000', 10)", { k: 'env', name: 'PORT', fallback: { k: 'num', v: 5000 } }],
    ['+process.env.PORT || 4000', { k: 'env', name: 'PORT', fallback: { k: 'num', v: 4000 } }],
    ['process.env.PORT ? Number(process.env.PORT) : 3001', { k: 'env', name: 'PORT', fallback: { k: 'num', v: 3001 } }],
    ['process.env.PORT || process.env.HTTP_PORT || 9000', { k: 'env', name: 'PORT', fallback: { k: 'num', v: 9000 } }],
    ['`7000`', { k: 'str', v: '7000' }],
    ['1000 + 337', { k: 'num', v: 1337 }],
  ])('%s', (expr, want) => {
    expect(valueOf({ 'main.ts': `const probe = ${expr};\n` })).toEqual(want);
  });

  it('follows re-exports, namespaces, CommonJS exports, spreads and class getters', () => {
    const files = {
      'config/base.ts': `export const base = { http: { port: process.env.PORT ?? 3000 } };\n`,
      'config/index.ts': `export * from './base';\nexport { base as defaults } from './base';\n`,
      'legacy.js': `exports.port = process.env.LEGACY_PORT || 81;\n`,
      'cls.ts': `export class Cfg { get port() { return Number(process.env.CLS_PORT) || 82; } }\nexport const cfg = new Cfg();\n`,
    };
    expect(literalOf(valueOf({ ...files, 'main.ts': `import * as c from './config';\nconst probe = c.base.http.port;\n` }))).toBe(3000);
    expect(valueOf({ ...files, 'main.ts': `import { defaults } from './config/index.js';\nconst merged = { ...defaults.http, extra: 1 };\nconst probe = merged.port;\n` })).toMatchObject({ k: 'env', name: 'PORT' });
    expect(valueOf({ ...files, 'main.ts': `const { port } = require('./legacy');\nconst probe = port;\n` })).toMatchObject({ k: 'env', name: 'LEGACY_PORT' });
    expect(valueOf({ ...files, 'main.ts': `import { cfg } from './cls';\nconst probe = cfg.port;\n` })).toMatchObject({ k: 'env', name: 'CLS_PORT', fallback: { k: 'num', v: 82 } });
  });

  it('picks the nearest preceding declaration of a shadowed name', () => {
    const v = valueOf({ 'main.ts': `function f() { const port = 1; return port; }\nconst port = process.env.PORT || 2;\nconst probe = port;\n` });
    expect(literalOf(v)).toBe(2);
  });

  it('returns unknown for function parameters and unresolvable packages', () => {
    expect(valueOf({ 'main.ts': `import { port } from 'some-package';\nconst probe = port;\n` }).k).toBe('unknown');
    expect(valueOf({ 'main.ts': `const probe = (p: number) => p;\n` }).k).toBe('fn');
  });
});
