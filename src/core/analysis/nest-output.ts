// Where `nest build` writes the entry file. Nest's default is dist/main.js, but tsc keeps the source tree under outDir
// from the common root of every file it compiles: a tsconfig with no `include` compiles a root-level prisma.config.ts
// too (Prisma 6.5+), the root becomes the package and main.ts lands in dist/src/main.js (hoppscotch: `node
// dist/main.js` died with "Cannot find module"). nest-cli.json's entryFile and sourceRoot move it as well; the webpack
// builder bundles it into outDir/<entryFile>.js (teable: dist/index.js).
import { posix } from 'node:path';
import { evidence, type Evidence } from '../evidence.js';
import type { AnalysisContext } from './context.js';
import { parseJsonc } from './source/modules.js';

interface Tsconfig {
  extends?: unknown;
  include?: unknown;
  exclude?: unknown;
  compilerOptions?: { outDir?: unknown; rootDir?: unknown; allowJs?: unknown };
}

const DEFAULT_ENTRY = 'dist/main.js';

/** A tsconfig `include`/`exclude` pattern as a test on config-relative paths (a bare directory covers what is under it). */
function globTest(pattern: string): (rel: string) => boolean {
  const p = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  if (p === '.' || p === '') return () => true;
  const last = p.split('/').pop() ?? '';
  // A name with an extension is a file; a leading dot alone (`.install-scripts`) names a directory.
  const dir = !/[*?]/.test(last) && !last.slice(1).includes('.');
  const body = p
    .split('/')
    .map((seg) => (seg === '**' ? '(?:[^/]+/)*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '/'))
    .join('')
    .replace(/\/$/, '');
  const re = new RegExp(`^${body.replace(/\(\?:\[\^\/\]\+\/\)\*$/, '.*')}${dir ? '(?:/.*)?' : ''}$`);
  return (rel) => re.test(rel);
}

/** The tsconfig a build uses, with what it inherits through relative `extends` (the nearer config's word wins). */
function readTsconfig(ctx: AnalysisContext, file: string): { dir: string; include: string[] | null; exclude: string[] | null; outDir: string | null; rootDir: string | null; allowJs: boolean } | null {
  const out = { dir: posix.dirname(file), include: null as string[] | null, exclude: null as string[] | null, outDir: null as string | null, rootDir: null as string | null, allowJs: false };
  let current = file;
  let found = false;
  for (let depth = 0; depth < 5 && ctx.repo.files.includes(current); depth++) {
    const json = parseJsonc(ctx.repo.read(current) ?? '') as Tsconfig | null;
    if (!json) break;
    found = true;
    const dir = posix.dirname(current);
    // Paths in a config are relative to that config; kept relative to the build's config.
    const rebase = (p: string) => posix.relative(out.dir, posix.join(dir, p)) || '.';
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map(rebase) : null);
    out.include ??= list(json.include);
    out.exclude ??= list(json.exclude);
    const co = json.compilerOptions;
    if (typeof co?.outDir === 'string') out.outDir ??= rebase(co.outDir);
    if (typeof co?.rootDir === 'string') out.rootDir ??= rebase(co.rootDir);
    if (co?.allowJs === true) out.allowJs = true;
    const ext = Array.isArray(json.extends) ? json.extends[0] : json.extends;
    if (typeof ext !== 'string' || !ext.startsWith('.')) break;
    current = posix.join(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
  }
  return found ? out : null;
}

/** The longest directory every path sits in ('' when they share none). */
function commonDir(paths: string[]): string {
  const dirs = paths.map((p) => posix.dirname(p).split('/').filter((s) => s !== '.'));
  const first = dirs[0] ?? [];
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join('/');
}

/** The file `nest build` emits for the app's entry, unit-relative, with the config that decides it (Nest's default in a Nest monorepo). */
export function nestEntry(ctx: AnalysisContext): { file: string; evidence: Evidence[] } {
  const cliFile = ctx.unitPath('nest-cli.json');
  const cli = (ctx.repo.files.includes(cliFile) ? parseJsonc(ctx.repo.read(cliFile) ?? '') : null) as {
    sourceRoot?: unknown;
    entryFile?: unknown;
    monorepo?: unknown;
    compilerOptions?: { builder?: unknown; webpack?: unknown; tsConfigPath?: unknown };
  } | null;
  const fallback = { file: DEFAULT_ENTRY, evidence: [] };
  if (cli?.monorepo === true) return fallback;
  const sourceRoot = typeof cli?.sourceRoot === 'string' ? cli.sourceRoot.replace(/^\.\//, '').replace(/\/$/, '') : 'src';
  const entryFile = typeof cli?.entryFile === 'string' ? cli.entryFile : 'main';
  const co = cli?.compilerOptions;
  const builder = typeof co?.builder === 'string' ? co.builder : typeof (co?.builder as { type?: unknown } | undefined)?.type === 'string' ? (co!.builder as { type: string }).type : null;
  const webpack = builder === 'webpack' || (builder === null && co?.webpack === true);
  const configured = typeof co?.tsConfigPath === 'string' ? co.tsConfigPath : null;
  const tsFile = ctx.unitPath(configured ?? (ctx.repo.files.includes(ctx.unitPath('tsconfig.build.json')) ? 'tsconfig.build.json' : 'tsconfig.json'));
  const ts = readTsconfig(ctx, tsFile);
  if (!ts?.outDir) return fallback;
  const cliEv = cli ? [evidence(cliFile, 1, 'nest-cli', `sourceRoot ${sourceRoot}, entryFile ${entryFile}${webpack ? ', webpack' : ''}`)] : [];
  if (webpack) return { file: posix.join(ts.outDir, `${entryFile}.js`), evidence: cliEv };
  let root = ts.rootDir;
  if (root === null) {
    // The files tsc compiles: what `include` names (everything by default) less `exclude` (and outDir), sources only.
    const prefix = ts.dir === '.' || ts.dir === '' ? '' : ts.dir + '/';
    const include = (ts.include ?? ['**/*']).map(globTest);
    const exclude = [...(ts.exclude ?? ['node_modules', 'bower_components', 'jspm_packages']), ts.outDir].map(globTest);
    const source = ts.allowJs ? /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/ : /\.(?:[cm]?ts|tsx)$/;
    const compiled = ctx.unitFiles
      .filter((f) => f.startsWith(prefix))
      .map((f) => f.slice(prefix.length))
      .filter((rel) => source.test(rel) && !/\.d\.[cm]?ts$/.test(rel) && include.some((t) => t(rel)) && !exclude.some((t) => t(rel)) && !rel.includes('node_modules/'));
    if (compiled.length === 0) return fallback;
    root = commonDir(compiled);
  }
  // outDir and rootDir are the config's; the entry is the unit's.
  const emitted = posix.relative(ctx.unit || '.', posix.join(ts.dir, ts.outDir, posix.relative(root || '.', posix.join(sourceRoot, `${entryFile}.js`))));
  return { file: emitted, evidence: [...cliEv, evidence(tsFile, 1, 'tsc-root-dir', `rootDir ${root || '.'} -> ${emitted}`)] };
}
