import { describe, expect, it } from 'vitest';
import { lex, Tok } from '../../../src/core/analysis/source/lexer.js';
import { lightScan } from '../../../src/core/analysis/source/light-scan.js';
import { scanFile } from '../../../src/core/analysis/source/scan.js';

/** Identifier names the lexer saw, in order (what the fast tier can read facts from). */
function idents(text: string, jsx = false): string[] {
  const t = lex(text, jsx);
  const out: string[] = [];
  for (let k = 0; k < t.count; k++) if (t.kind[k] === Tok.Ident) out.push(text.slice(t.start[k], t.end[k]));
  return out;
}

const reads = (file: string, text: string) => {
  const r = lightScan(file, text);
  return { needsAst: r.needsAst, reads: r.envReads.map((e) => ({ name: e.name, def: e.def, via: e.via, line: text.slice(0, e.start).split('\n').length })) };
};

describe('lexer', () => {
  it('skips line and block comments', () => {
    expect(idents('a // process.env.X\nb /* process.env.Y */ c')).toEqual(['a', 'b', 'c']);
  });

  it('skips strings with escaped quotes', () => {
    expect(idents(`x = 'it\\'s process.env.A'; y = "say \\"process\\""; z`)).toEqual(['x', 'y', 'z']);
  });

  it('lexes the code inside template substitutions, nested, and skips the template text', () => {
    expect(idents('`process ${a + `inner ${b}`} env ${ {c}.c }` ; d')).toEqual(['a', 'b', 'c', 'c', 'd']);
  });

  it('tells regex literals from division', () => {
    // A quote inside a regex must not start a string; `a / b / c` is division.
    expect(idents(`const r = /['"]process/g; const q = a / b / c; return /x"/.test(s)`)).toEqual(['const', 'r', 'const', 'q', 'a', 'b', 'c', 'return', 'test', 's']);
  });

  it('skips JSX text (an apostrophe there is not a string) and lexes JSX expression containers', () => {
    const text = `const el = <div className="a'b">Don't {user.name} <b>it's</b> <Foo bar={baz} /></div>; after`;
    expect(idents(text, true)).toEqual(['const', 'el', 'user', 'name', 'baz', 'after']);
    expect(lex(text, true).unsure).toBe(false);
  });

  it('treats < as comparison in TypeScript (no JSX) and after an expression', () => {
    expect(idents('if (a < b) c = <T>d;', false)).toEqual(['if', 'a', 'b', 'c', 'T', 'd']);
    expect(idents('if (a < b) c()', true)).toEqual(['if', 'a', 'b', 'c']);
  });

  it('reports what it cannot model (unterminated literals) instead of guessing', () => {
    expect(lex('const s = "abc', false).unsure).toBe(true);
    expect(lex('const t = `abc ${x', false).unsure).toBe(true);
    expect(lex('/* never closed', false).unsure).toBe(true);
  });
});

describe('fast tier env reads', () => {
  it('reads member and bracket reads with literal fallbacks through coercions', () => {
    const text = [
      `const a = process.env.A;`,
      `const b = process.env['B'] ?? 50;`,
      `const c = Number(process.env.C) || 3000;`,
      `const d = parseInt(process.env.D, 10) || -1;`,
      'const e = process.env[`E`] || `tmpl`;',
      `const f = import.meta.env.VITE_F;`,
      `const g = Bun.env.G || true;`,
    ].join('\n');
    expect(reads('src/a.ts', text)).toEqual({
      needsAst: null,
      reads: [
        { name: 'A', def: null, via: 'process.env', line: 1 },
        { name: 'B', def: '50', via: 'process.env', line: 2 },
        { name: 'C', def: '3000', via: 'process.env', line: 3 },
        { name: 'D', def: '1', via: 'process.env', line: 4 },
        { name: 'E', def: 'tmpl', via: 'process.env', line: 5 },
        { name: 'VITE_F', def: null, via: 'import.meta.env', line: 6 },
        { name: 'G', def: 'true', via: 'process.env', line: 7 },
      ],
    });
  });

  it('gives no fallback where the literal is not the whole right operand, and hands chains of fallbacks to the parser', () => {
    expect(reads('src/a.js', `w = +process.env.E || 'e' + f;\n`).needsAst).toMatch(/fallback/);
    expect(reads('src/a.js', `w = -process.env.E * 2 || 'e';\n`)).toEqual({ needsAst: null, reads: [{ name: 'E', def: null, via: 'process.env', line: 1 }] });
    // `c || B || 'b'` is `(c || B) || 'b'`: 'b' is B's default, and 'd' is C's and D's. The parser decides.
    for (const line of [`y = c || process.env.B || 'b';`, `z = process.env.C || process.env.D || 'd';`, 'v = process.env.C ?? level.error;', `x = process.env.A || 'a' + b;`])
      expect(lightScan('src/a.js', `${line}\n`).needsAst, line).toMatch(/fallback/);
    const ast = scanFile('src/a.js', `x = process.env.A || 'a' + b;\ny = c || process.env.B || 'b';\nz = process.env.C || process.env.D || 'd';\nv = process.env.F ?? level.error;\n`);
    expect(ast.envReads.map((r) => [r.name, r.def, r.optional ?? false])).toEqual([
      ['A', null, true],
      // After the code's own `c`: its fallback, optional as well.
      ['B', 'b', true],
      // Unset, C falls back to D: optional as well.
      ['C', 'd', true],
      ['D', 'd', false],
      // A computed fallback: no default to record, but the service runs without it.
      ['F', null, true],
    ]);
  });

  it('hands presence tests (`if (X)`, `X ? a : b`, `X && y`, `!!X`, `X?.y`, `X === c`) to the parser: they make the variable optional', () => {
    for (const line of ['if (process.env.F) init();', 'const a = process.env.F ? 1 : 2;', "v = process.env.F && 'f';", 'const on = !!process.env.F;', "const s = process.env.F?.split(',');", "const on = process.env.F === 'true';", "if ('1' !== process.env.F) x();", 'if (process.env.F != null) y();'])
      expect(lightScan('src/a.js', `${line}\n`).needsAst, line).toBe('env read tested for presence');
    // Through the name that holds it: the parser decides whether that name is tested in the variable's scope.
    for (const text of ['const key = process.env.F;\nif (!key) return;\n', 'const n = Number(process.env.F);\nconst on = n > 0 && n;\n', 'const { F } = process.env;\nexport const x = F ? 1 : 0;\n'])
      expect(lightScan('src/a.js', text).needsAst, text).toMatch(/tested for presence/);
    expect(lightScan('src/a.js', 'const token = process.env.F;\nfetch(u, { token });\n').needsAst).toBeNull();
    // A config file of many names holding variables: the one tested far below is found whichever comes first.
    const many = Array.from({ length: 8 }, (_, i) => `const v${i} = process.env.V${i};`);
    expect(lightScan('src/a.js', `${many.join('\n')}\nexport default { v0, v1, v2, v3, v4, v5, v6, v7 };\n`)).toMatchObject({ needsAst: null });
    for (const i of [0, 6]) expect(lightScan('src/a.js', `${many.join('\n')}\nif (!v${i}) start();\n`).needsAst, `v${i}`).toMatch(/tested for presence/);
    // Writes are recorded by the parser; a method of process.env is no variable at all.
    for (const text of ["process.env.TZ = 'UTC';\n", "process.env.NODE_ENV ??= 'production';\n", 'delete process.env.F;\n'])
      expect(lightScan('src/a.js', text).needsAst, text).toBe('env var assigned');
    expect(lightScan('src/a.js', 'if (process.env.hasOwnProperty(k)) x();\n')).toMatchObject({ needsAst: null, envReads: [] });
    // A negated test may guard a required variable (`if (!X) throw`): not a presence test.
    expect(lightScan('src/a.js', "if (!process.env.F) throw new Error('F');\n").needsAst).toBeNull();
  });

  it('reads destructuring of process.env with defaults and renames', () => {
    const text = `const {\n  PORT = 8080,\n  HOST: host = '0.0.0.0',\n  SECRET,\n  ...rest\n} = process.env;\n`;
    expect(reads('src/c.ts', text).reads).toEqual([
      { name: 'PORT', def: '8080', via: 'destructure', line: 2 },
      { name: 'HOST', def: '0.0.0.0', via: 'destructure', line: 3 },
      { name: 'SECRET', def: null, via: 'destructure', line: 4 },
    ]);
  });

  it('counts a read inside a template substitution, and never one in a comment, string or JSX text', () => {
    const text = 'const url = `${process.env.API_URL}/v1`; // process.env.NOT_A\nconst s = "process.env.NOT_B";\nconst el = <p>process.env.NOT_C {process.env.SHOWN}</p>;\n';
    expect(reads('src/d.jsx', text).reads.map((r) => r.name)).toEqual(['API_URL', 'SHOWN']);
  });

  it('reads env helpers and config getters', () => {
    const text = `const a = env('A_KEY', 'x');\nconst b = this.configService.get('B_KEY');\nconst c = Env.get('C_KEY', 3333);\nconst d = cache.get('not-env');\n`;
    expect(reads('src/e.ts', text).reads).toEqual([
      { name: 'A_KEY', def: 'x', via: 'helper', line: 1 },
      { name: 'B_KEY', def: null, via: 'helper', line: 2 },
      { name: 'C_KEY', def: '3333', via: 'helper', line: 3 },
    ]);
  });

  it('hands the file to the parser when process.env is used as a value or a listener/signal concern appears', () => {
    expect(lightScan('a.ts', 'const env = cleanEnv(process.env, {});').needsAst).not.toBeNull();
    expect(lightScan('a.ts', 'app.listen(3000);').needsAst).toBe('listen');
    expect(lightScan('a.ts', "process.on('SIGTERM', stop);").needsAst).not.toBeNull();
    expect(lightScan('a.ts', "import { Pool } from 'pg';").needsAst).toBe('imports pg');
    expect(lightScan('a.ts', "console.log('listening on', port);").needsAst).not.toBeNull();
    expect(lightScan('a.ts', "console.log('done');").needsAst).toBeNull();
  });

  it('records plain route registrations with the call start, and leaves client calls alone', () => {
    const text = `router.post('/items', async (req, res) => {\n  res.status(201).end();\n});\naxios.get('/x', handler);\nmap.get(key);\n`;
    const r = lightScan('src/r.ts', text);
    expect(r.needsAst).toBeNull();
    expect(r.routes).toEqual([{ method: 'POST', path: '/items', offset: 0 }]);
  });
});
