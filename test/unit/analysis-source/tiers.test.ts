import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitSourceFiles } from '../../../src/core/analysis/context.js';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { lightScan } from '../../../src/core/analysis/source/light-scan.js';
import { scanFile } from '../../../src/core/analysis/source/scan.js';
import { analyzeSource } from '../../../src/core/analysis/source/index.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { hints, memoryContext, pkgJson } from './memory-repo.js';

const APPS = join(import.meta.dirname, '../../fixtures/apps');
const apps = readdirSync(APPS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(APPS, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Analysis minus what legitimately differs between runs (timing, clock, how many files were parsed). */
function comparable(a: unknown): unknown {
  const c = structuredClone(a) as Record<string, unknown>;
  delete c.stats;
  delete c.generated_at;
  return c;
}

describe('the token-level tier agrees with the parser', () => {
  it('gives the same env reads and imports for every fixture source file it reads on its own', () => {
    let compared = 0;
    for (const app of apps) {
      const dir = join(APPS, app);
      const files = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name) && !e.parentPath.includes('node_modules'))
        .map((e) => join(e.parentPath, e.name));
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        const light = lightScan(f, text);
        if (light.needsAst) continue;
        const ast = scanFile(f, text);
        const key = (r: { name: string; def: string | null; via: string }, start: number) => `${r.name}|${r.def}|${r.via}|${lineOf(text, start)}`;
        expect(light.envReads.map((r) => key(r, r.start)), f).toEqual(ast.envReads.map((r) => key(r, r.node.start)));
        expect(light.importSources, f).toEqual([...ast.importSources]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('agrees on env reads and fallbacks across combinations of wrappers, operators and contexts', () => {
    const reads = ['process.env.A', "process.env['B']", 'process.env?.C', 'import.meta.env.D', 'Bun.env.E', "env('G_X', 5)", "getEnv('H_X')", "configService.get('J_X')", "this.cfg.getOrThrow('I_X', 'z')"];
    const wraps = ['X', 'Number(X)', 'parseInt(X, 10)', '+X', '-X', '(X)', '!X', 'typeof X', 'await X', 'Number.parseInt(X)', 'foo(X)', 'X.trim()', 'X as string', 'a + X', 'a || X'];
    const ops = ['', ' || 3', " ?? 'd'", ' || -1', ' || (4)', " || Number('5')", ' || true', ' || null', " || 'a' + b", ' || 1 && y', " ?? 'q' ?? 'r'", ' || `t`', ' || 0x10', ' || 1_000'];
    const contexts = ['const v = Z;', 'f(Z);', 'return Z;', 'x = { k: Z };', 'const w = c ? Z : 0;', 'let q\nZ\n', 'const t = `${Z}`;', 'z += Z;', 'const v = Z;\nif (!v) return;', 'const v = Z;\nuse(v);', 'let v = Z;\nconst on = v === "1";', 'if (!Z) return;', 'if (!Z) throw new Error("x");', 'if (!Z) { throw new HttpException("off", 400); }', 'if (!Z) throw new errors.HttpError(404);', 'if (!Z) throw createError(404);', 'if (a || Z) go();', 'if (Z && b) go();', "const v = Z\n  ?? 7\nconst k = 1"];
    let light = 0;
    for (const r of reads)
      for (const w of wraps)
        for (const o of ops)
          for (const c of contexts) {
            const text = `async function m() {\n${c.replace('Z', w.replace('X', r) + o)}\n}\n`;
            const l = lightScan('f.ts', text);
            if (l.needsAst) continue;
            const ast = scanFile('f.ts', text);
            if (ast.parsed.errors.length > 0) continue;
            light++;
            expect(l.envReads.map((x) => `${x.name}|${x.def}|${x.via}|${x.start}`), text).toEqual(ast.envReads.map((x) => `${x.name}|${x.def}|${x.via}|${x.node.start}`));
            // The token tier never finds a variable optional: whatever the parser would call optional, it hands over.
            expect(ast.envReads.filter((x) => x.optional || (x.argOf && x.def === null)).map((x) => x.name), text).toEqual([]);
          }
    expect(light).toBeGreaterThan(1500);
  });

  it('agrees on conditional defaults (`X ? X : 5006`) in every shape it does not hand to the parser', () => {
    const shapes = [
      'R ? R : 5006', 'R ? Number(R) : 5006', 'Number(R) ? R : 5006', 'R ? parseInt(R, 10) : "8080"', '(R) ? (R) : (5006)',
      'R ? R : other', 'c ? R : 5006', 'R ? S : 5006', 'R !== undefined ? R : 1', 'R ? R : 5006; const k = R ? 1 : 2',
      'R\n  ? R\n  : 5006', 'R ?? R ? 1 : 2',
    ];
    const reads = ['process.env.PORT', "process.env['PORT']", 'import.meta.env.PORT'];
    let compared = 0;
    let conditional = 0;
    for (const r of reads)
      for (const shape of shapes)
        for (const ctx of ['const p = Z;', 'x = { port: Z };', 'listen(Z);']) {
          const text = `${ctx.replace('Z', shape.replaceAll('R', r).replaceAll('S', 'process.env.OTHER'))}\n`;
          const ast = scanFile('f.ts', text);
          if (ast.parsed.errors.length > 0) continue;
          if (ast.envReads.some((x) => x.def === '5006')) conditional++;
          const l = lightScan('f.ts', text);
          if (l.needsAst) continue;
          compared++;
          expect(l.envReads.map((x) => `${x.name}|${x.def}|${x.via}|${x.start}`), text).toEqual(ast.envReads.map((x) => `${x.name}|${x.def}|${x.via}|${x.node.start}`));
        }
    // The parser found the conditional defaults, and the token tier agreed on every file it kept. A read
    // that is itself the test (`R ? ...`) is a presence test: those files go to the parser (optional variable).
    expect(conditional).toBeGreaterThan(20);
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it.each(apps)('%s: the tiered analysis equals parsing every file', async (app) => {
    const dir = join(APPS, app);
    const options = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { options?: { path?: string } }).options ?? {};
    const now = () => new Date(0);
    const tiered = analyzeRepo(await openRepoView(dir, execaRunner), { ...options, now, sourceMode: 'tiered' });
    const ast = analyzeRepo(await openRepoView(dir, execaRunner), { ...options, now, sourceMode: 'ast' });
    expect(comparable(tiered)).toEqual(comparable(ast));
  });

  it('equals parsing every file on a route-heavy service, and parses only the files that need it', () => {
    const files: Record<string, string> = {
      'package.json': pkgJson(['express', 'pg']),
      'src/server.ts': `import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => res.json({ ok: true }));\napp.listen(Number(process.env.PORT ?? 8080));\n`,
    };
    for (let i = 0; i < 40; i++)
      files[`src/routes/r${i}.ts`] = [
        `import { Router } from 'express';`,
        `const router = Router();`,
        `const LIMIT = Number(process.env.PAGE_LIMIT_${i % 7} ?? ${i});`,
        `const { FLAG_${i % 3} = 'on' } = process.env;`,
        `router.get('/items-${i}', async (req, res) => { res.json([]) });`,
        `router.post('/items-${i}', (req, res) => res.status(201).end());`,
        i % 10 === 0 ? `router.get('/admin/stats-${i}', (req, res) => res.json({}));` : `router.delete('/items-${i}/:id', remove);`,
        i % 13 === 0 ? `router.get('/status', (req, res) => res.json({ env: process.env }));` : ``,
        `export default router;`,
      ].join('\n');
    const run = (mode: 'tiered' | 'ast') => analyzeSource(memoryContext(files), hints({ entrypoint: 'src/server.ts' }), mode);
    const tiered = run('tiered');
    const ast = run('ast');
    const { parsed_files: parsedTiered, ...restTiered } = tiered;
    const { parsed_files: parsedAst, ...restAst } = ast;
    expect(restTiered).toEqual(restAst);
    expect(parsedAst).toBe(41);
    // The entrypoint, and the 7 files with admin routes or a /status route (0, 10, 20, 30; 13, 26, 39).
    expect(parsedTiered).toBe(1 + 7);
    expect(unitSourceFiles(memoryContext(files)).length).toBe(41);
  });

  it('hands settings read side by side in an object literal to the parser, which judges them together', () => {
    for (const text of ["export default { host: env('HOST'), port: env('PORT', 3000) };", 'export default { cdn: process.env.CDN_PREFIX, port: Number(process.env.PORT) || 3 };', "x = a ? b : configService.get('X');"])
      expect(lightScan('config.js', `${text}\n`).needsAst, text).toMatch(/property value/);
    // With the parser, and with the tiers, the plain setting beside a defaulted one is left unset on purpose.
    const files = { 'package.json': pkgJson([]), 'config.js': "module.exports = { mailHost: process.env.MAIL_HOST, mailPort: process.env.MAIL_PORT || 587, region: env('AWS_REGION_NAME'), zone: env('ZONE_NAME', 'a') };\n" };
    for (const mode of ['tiered', 'ast'] as const) {
      const r = analyzeSource(memoryContext(files), hints({}), mode);
      expect(Object.fromEntries(r.env_vars.map((v) => [v.name, v.required])), mode).toEqual({ AWS_REGION_NAME: false, MAIL_HOST: false, MAIL_PORT: false, ZONE_NAME: false });
    }
  });

  it('parses a file for URL routing only when a "/…" string is what a URL property is compared with', () => {
    const files: Record<string, string> = {
      'package.json': pkgJson([]),
      'server.js': `const http = require('http');\nhttp.createServer(handle).listen(process.env.PORT || 3000);\n`,
      // Routing by hand: the parser must see these (health routes come from them).
      'handle.js': `module.exports = function handle(req, res) {\n  if (req.url === '/healthz') return res.end('ok');\n  switch (new URL(req.url, 'http://x').pathname) {\n    case '/ready': return res.end('ready');\n  }\n  if ((req.url).startsWith('/api')) return api(req, res);\n  res.end();\n};\n`,
      // A path property and a comparison that have nothing to do with routing: the token tier is enough.
      'files.js': `const path = require('path');\nexports.same = (a, b) => a.path === b.path && a.size === 3;\nexports.dir = (f) => path.join(f.path, 'out');\n`,
    };
    const run = (mode: 'tiered' | 'ast') => analyzeSource(memoryContext(files), hints({ framework: 'node-http', entrypoint: 'server.js' }), mode);
    const tiered = run('tiered');
    const ast = run('ast');
    const { parsed_files: parsedTiered, ...restTiered } = tiered;
    const { parsed_files: _p, ...restAst } = ast;
    expect(restTiered).toEqual(restAst);
    expect(tiered.health.paths).toEqual(expect.arrayContaining(['/healthz', '/ready']));
    // server.js (the entrypoint) and handle.js; files.js stays with the token tier.
    expect(parsedTiered).toBe(2);
  });
});

