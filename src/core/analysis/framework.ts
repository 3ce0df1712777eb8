import { nestEntry } from './nest-output.js';
import { evidence, lineMatching, type Evidence } from '../evidence.js';
import type { FrameworkName } from '../state/analysis-schema.js';
import { depGroups } from './build-context.js';
import { escapeRegExp } from '../escape-regexp.js';
import { unitSourceFiles, type AnalysisContext } from './context.js';

export interface FrameworkFacts {
  name: FrameworkName;
  version: string | null;
  details: Record<string, string | boolean | null>;
  evidence: Evidence[];
}

/**
 * Detection as data, in priority order: full-stack frameworks before the server libraries they
 * embed (Next bundles nothing of Express, but Nest depends on Express/Fastify; Remix on Express).
 * `cli`: the platform is the server only when the start script runs its CLI (or there is none): a Next.js, Remix
 * or Astro app that embeds Keystone's API starts with `next start`, and is that framework's app.
 */
const DETECTORS: Array<{ name: FrameworkName; deps: string[]; cli?: string }> = [
  // Platforms whose own CLI runs the HTTP server (no listen() in the app's code); they embed Koa, Express or
  // Next.js (Keystone's admin UI declares `next`), so they come first.
  { name: 'strapi', deps: ['@strapi/strapi'], cli: 'strapi' },
  { name: 'medusa', deps: ['@medusajs/medusa', '@medusajs/framework'], cli: 'medusa' },
  { name: 'keystone', deps: ['@keystone-6/core'], cli: 'keystone' },
  // Sails lifts its own server (`sails.lift()` in app.js, or `sails lift`) on PORT, else 1337.
  { name: 'sails', deps: ['sails'] },
  { name: 'adonisjs', deps: ['@adonisjs/core'] },
  { name: 'nextjs', deps: ['next'] },
  { name: 'nuxt', deps: ['nuxt', 'nuxt3'] },
  // Nitro on its own (the RealWorld reference API: `nitro build`, a node-server preset): Nuxt's server engine, .output/server.
  { name: 'nitro', deps: ['nitropack', 'nitro'] },
  { name: 'remix', deps: ['@remix-run/node', '@remix-run/serve', '@remix-run/express', '@remix-run/react'] },
  { name: 'react-router', deps: ['@react-router/dev', '@react-router/node', '@react-router/serve'] },
  { name: 'astro', deps: ['astro'] },
  { name: 'sveltekit', deps: ['@sveltejs/kit'] },
  { name: 'nestjs', deps: ['@nestjs/core'] },
  { name: 'hono', deps: ['hono'] },
  { name: 'fastify', deps: ['fastify'] },
  { name: 'koa', deps: ['koa'] },
  { name: 'hapi', deps: ['@hapi/hapi', 'hapi'] },
  { name: 'express', deps: ['express'] },
  // A documentation site: `docusaurus build` writes static pages to build/ (its `start` is a development server).
  { name: 'docusaurus', deps: ['@docusaurus/core'] },
  // A Gatsby site: `gatsby build` writes a page per route to public/ (its `start` is `gatsby develop`, a dev server).
  { name: 'gatsby', deps: ['gatsby'] },
  // An Angular CLI app (`ng build`) without @angular/ssr: a browser bundle nginx serves.
  { name: 'angular', deps: ['@angular/core'] },
  { name: 'cra', deps: ['react-scripts'] },
  { name: 'vite', deps: ['vite'] },
];

/** The files Next.js reads its config from. */
export const NEXT_CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs'];

/** Bundlers of a single-page app: the build writes static files that nginx serves. */
export const SPA_BUNDLERS: ReadonlySet<FrameworkName> = new Set(['vite', 'cra', 'webpack', 'docusaurus', 'angular', 'gatsby']);
export const SSR_FRAMEWORKS: ReadonlySet<FrameworkName> = new Set(['nextjs', 'nuxt', 'nitro', 'remix', 'react-router', 'astro', 'sveltekit']);
export const SERVER_FRAMEWORKS: ReadonlySet<FrameworkName> = new Set(['nestjs', 'hono', 'fastify', 'koa', 'hapi', 'express', 'node-http', 'adonisjs', 'strapi', 'medusa', 'keystone', 'sails']);

/** First file among candidates (unit-relative names) that exists, as a repo path. */
/**
 * A Next.js app has a next.config, a pages/ or app/ directory, or a script that runs next; a package that only
 * declares `next` (Keystone's auth and fields packages, for the admin UI they plug into) is not one.
 */
function isNextApp(ctx: AnalysisContext): boolean {
  if (firstExisting(ctx, NEXT_CONFIGS)) return true;
  if (Object.values(ctx.pkg?.scripts ?? {}).some((cmd) => typeof cmd === 'string' && /(^|[\s/;&|])next(\s|$)/.test(cmd))) return true;
  const prefix = ctx.unit ? `${ctx.unit}/` : '';
  return ctx.unitFiles.some((f) => /^(src\/)?(pages|app)\/[^/]+/.test(f.slice(prefix.length)));
}

export function firstExisting(ctx: AnalysisContext, names: string[]): string | null {
  for (const n of names) {
    const p = ctx.unitPath(n);
    if (ctx.repo.files.includes(p)) return p;
  }
  return null;
}

function configValue(ctx: AnalysisContext, file: string | null, pattern: RegExp): { value: string; line: number } | null {
  if (!file) return null;
  const text = ctx.repo.read(file) ?? '';
  const m = pattern.exec(text);
  return m?.[1] ? { value: m[1], line: lineMatching(text, pattern) } : null;
}

/**
 * Where `ng build` writes the browser bundle: angular.json's outputPath for the project built (the default one, else the
 * first application), under browser/ for the application builder (Angular 17+: `dist/angular-conduit/browser`).
 */
function angularOutput(ctx: AnalysisContext): { dir: string; line: number } | null {
  const text = ctx.repo.read(ctx.unitPath('angular.json'));
  if (!text) return null;
  let json: { defaultProject?: string; projects?: Record<string, { projectType?: string; architect?: { build?: { builder?: string; options?: { outputPath?: unknown } } } }> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return null;
  }
  const projects = Object.entries(json.projects ?? {});
  const [, project] = projects.find(([n]) => n === json.defaultProject) ?? projects.find(([, p]) => p.projectType === 'application') ?? [];
  const build = project?.architect?.build;
  const op = build?.options?.outputPath;
  const application = /:application$/.test(build?.builder ?? '');
  let dir: string | null = null;
  if (typeof op === 'string') dir = application ? `${op}/browser` : op;
  else if (op && typeof op === 'object' && typeof (op as { base?: unknown }).base === 'string') {
    const o = op as { base: string; browser?: unknown };
    dir = typeof o.browser === 'string' ? (o.browser ? `${o.base}/${o.browser}` : o.base) : `${o.base}/browser`;
  }
  return dir ? { dir: dir.replace(/^\.\//, '').replace(/\/+$/, ''), line: lineMatching(text, /"outputPath"/) } : null;
}

function details(ctx: AnalysisContext, name: FrameworkName, ev: Evidence[]): Record<string, string | boolean | null> {
  const d: Record<string, string | boolean | null> = {};
  if (name === 'nextjs') {
    const file = firstExisting(ctx, NEXT_CONFIGS);
    const out = configValue(ctx, file, /output\s*:\s*['"](standalone|export)['"]/);
    d.output = out?.value ?? null;
    if (out && file) ev.push(evidence(file, out.line, 'next-output', `output: '${out.value}'`));
  } else if (name === 'nestjs') {
    const entry = nestEntry(ctx);
    d.entry = entry.file;
    ev.push(...entry.evidence);
  } else if (name === 'astro') {
    const file = firstExisting(ctx, ['astro.config.mjs', 'astro.config.ts', 'astro.config.js']);
    const out = configValue(ctx, file, /output\s*:\s*['"](server|static|hybrid)['"]/);
    const adapter = ['@astrojs/node', '@astrojs/vercel', '@astrojs/netlify', '@astrojs/cloudflare'].find((a) => ctx.hasDep(a)) ?? null;
    d.output = out?.value ?? (adapter ? 'server' : 'static');
    d.adapter = adapter;
    if (out && file) ev.push(evidence(file, out.line, 'astro-output', `output: '${out.value}'`));
  } else if (name === 'sveltekit') {
    const file = firstExisting(ctx, ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts']);
    const adapter = configValue(ctx, file, /@sveltejs\/adapter-([\w-]+)/);
    d.adapter = adapter?.value ?? null;
    if (adapter && file) ev.push(evidence(file, adapter.line, 'sveltekit-adapter', `adapter-${adapter.value}`));
    // adapter-static writes where `pages` says (mermaid-live-editor: `adapter({ pages: 'docs' })`), build/ unsaid.
    const pages = d.adapter === 'static' ? configValue(ctx, file, /adapter\(\s*\{[^}]*?\bpages\s*:\s*['"]([^'"]+)['"]/) : null;
    if (pages && file) {
      d.output_dir = pages.value.replace(/^\.\//, '');
      ev.push(evidence(file, pages.line, 'sveltekit-static-pages', `pages: '${pages.value}'`));
    }
  } else if (name === 'react-router') {
    const file = firstExisting(ctx, ['react-router.config.ts', 'react-router.config.js']);
    const ssr = configValue(ctx, file, /ssr\s*:\s*(true|false)/);
    d.ssr = ssr ? ssr.value === 'true' : true;
    if (ssr && file) ev.push(evidence(file, ssr.line, 'react-router-ssr', `ssr: ${ssr.value}`));
  } else if (name === 'angular') {
    const out = angularOutput(ctx);
    d.output_dir = out?.dir ?? 'dist';
    if (out) ev.push(evidence(ctx.unitPath('angular.json'), out.line, 'angular-output-path', `outputPath: ${out.dir}`));
  } else if (name === 'gatsby') {
    d.output_dir = 'public';
  } else if (name === 'docusaurus') {
    d.output_dir = 'build';
  } else if (name === 'vite' || name === 'cra') {
    const file = firstExisting(ctx, ['vite.config.ts', 'vite.config.js', 'vite.config.mjs', 'vite.config.mts']);
    const outDir = configValue(ctx, file, /outDir\s*:\s*['"]([^'"]+)['"]/);
    d.output_dir = outDir?.value ?? (name === 'cra' ? 'build' : 'dist');
  } else if (name === 'webpack') {
    // `output: { path: path.resolve(__dirname, 'dist') }` in the production config or the one it merges.
    const OUTPUT_PATH = /path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['"]\.?\/?([^'"]+)['"]\s*\)/;
    const found = WEBPACK_CONFIGS.map((n) => firstExisting(ctx, [n])).flatMap((file) => {
      const out = configValue(ctx, file, OUTPUT_PATH);
      return file && out ? [{ file, out }] : [];
    })[0];
    d.output_dir = found?.out.value ?? 'dist';
    if (found) ev.push(evidence(found.file, found.out.line, 'webpack-output', `output.path: ${d.output_dir}`));
  }
  return d;
}

/** Whether the unit's own code imports one of these packages (`from '@nestjs/core'`, `require('express')`). */
function importsAny(ctx: AnalysisContext, deps: readonly string[], nestedUnits: readonly string[]): boolean {
  const re = new RegExp(`(?:from\\s*|require\\(\\s*|import\\(\\s*)['"](?:${deps.map(escapeRegExp).join('|')})(?:/[^'"]*)?['"]`);
  return unitSourceFiles(ctx, nestedUnits).some((f) => re.test(ctx.repo.read(f) ?? ''));
}

/** Plain `http.createServer` service: no framework dependency, but a Node HTTP server in its own code (nested workspace packages excluded). */
function usesNodeHttp(ctx: AnalysisContext, nestedUnits: readonly string[]): Evidence | null {
  for (const f of unitSourceFiles(ctx, nestedUnits)) {
    const text = ctx.repo.read(f);
    if (!text || !/\bcreateServer\s*\(/.test(text) || !/['"](node:)?https?['"]/.test(text)) continue;
    // Only `listen(0, …)`: a server of the process's own on a port the system picks (an internal proxy), not a service.
    const listens = text.match(/\.listen\s*\(\s*[^\s,)]*/g) ?? [];
    if (listens.length > 0 && listens.every((l) => /\(\s*0$/.test(l))) continue;
    return evidence(f, lineMatching(text, /createServer\s*\(/), 'node-http-createServer');
  }
  return null;
}

/** Config files that show a unit is an app of this framework even when the workspace root declares the dependency. */
const CONFIG_FILES: Partial<Record<FrameworkName, string>> = {
  nextjs: 'next.config',
  nuxt: 'nuxt.config',
  remix: 'remix.config',
  'react-router': 'react-router.config',
  astro: 'astro.config',
  sveltekit: 'svelte.config',
  vite: 'vite.config',
};
const CONFIG_EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];
const WEBPACK_CONFIGS = ['webpack.prod.js', 'webpack.config.js', 'webpack.common.js', 'webpack.prod.ts', 'webpack.config.ts', 'webpack.common.ts', 'webpack.config.mjs', 'webpack.config.cjs'];
/** The command each framework's scripts run (SvelteKit builds with Vite). */
const CLI: Partial<Record<FrameworkName, RegExp>> = {
  nextjs: /^next$/,
  nuxt: /^(nuxt|nuxi)$/,
  remix: /^remix$/,
  'react-router': /^react-router$/,
  astro: /^astro$/,
  sveltekit: /^vite$/,
  vite: /^vite$/,
};

/**
 * A framework whose config file is in the unit and whose command its scripts run, when no package.json on the way
 * declares it (jellyfin-vue's frontend runs `vite build` with the Vite a sibling workspace package declares).
 */
function byConfigAndScript(ctx: AnalysisContext): FrameworkFacts | null {
  const scripts = Object.entries(ctx.pkg?.scripts ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  for (const det of DETECTORS) {
    const cfg = CONFIG_FILES[det.name];
    const cli = CLI[det.name];
    if (!cfg || !cli) continue;
    const file = firstExisting(ctx, CONFIG_EXTS.map((e) => cfg + e));
    // A word of a command: `vite build`, `cross-env X=1 vite build && …`, not `vitest` nor `vite-node`.
    const script = file ? scripts.find(([, cmd]) => cmd.split(/&&|\|\||;|\|/).some((part) => part.trim().split(/\s+/).some((w) => cli.test(w)))) : undefined;
    if (!file || !script) continue;
    const pkgText = ctx.pkgFile ? ctx.repo.read(ctx.pkgFile) ?? '' : '';
    const ev = [evidence(file, 1, `config-file-${det.name}`), evidence(ctx.pkgFile ?? 'package.json', lineMatching(pkgText, `"${script[0]}"`), 'script-runs-framework-cli', script[1])];
    return { name: det.name, version: null, details: details(ctx, det.name, ev), evidence: ev };
  }
  return null;
}

export function detectFramework(ctx: AnalysisContext, nestedUnits: readonly string[] = []): FrameworkFacts {
  // The unit's own dependencies first; a workspace root's only for an app whose config file is in the unit
  // (a root's `vite` for tests does not make every package a single-page app), or, when the unit declares no
  // dependencies at all (one root package.json for the whole repository), for a framework its code imports.
  const bare = ctx.unit !== '' && !depGroups(ctx.pkg).some((g) => Object.keys(g).length > 0);
  const byRoot = (det: (typeof DETECTORS)[number]) => {
    const cfg = CONFIG_FILES[det.name];
    if (cfg && firstExisting(ctx, CONFIG_EXTS.map((e) => cfg + e)) !== null) return true;
    return bare && importsAny(ctx, det.deps, nestedUnits);
  };
  const start = typeof ctx.pkg?.scripts?.start === 'string' ? ctx.pkg.scripts.start : null;
  const startsCli = (cli: string) => start !== null && new RegExp(`(^|[\\s/])${cli}\\s`).test(`${start} `);
  for (const pass of [(d: string) => ctx.hasOwnDep(d), (d: string, det: (typeof DETECTORS)[number]) => ctx.hasDep(d) && byRoot(det)]) {
    for (const det of DETECTORS) {
      if (det.cli && start && !startsCli(det.cli)) continue;
      const dep = det.deps.find((d) => pass(d, det));
      if (!dep) continue;
      // A platform only a dev or peer dependency is one its plugins and libraries build against (Medusa's
      // core-flows, a Strapi plugin): an app runs it, and so declares it for production or starts its CLI.
      if (det.cli && !ctx.isProdDep(dep) && !startsCli(det.cli) && ctx.hasOwnDep(dep)) continue;
      if (det.name === 'nextjs' && !isNextApp(ctx)) continue;
      const file = ctx.hasOwnDep(dep) ? ctx.pkgFile : 'package.json';
      const text = file ? ctx.repo.read(file) ?? '' : '';
      const ev = [evidence(file ?? 'package.json', lineMatching(text, `"${dep}"`), `dependency-${dep}`)];
      return { name: det.name, version: ctx.depVersion(dep), details: details(ctx, det.name, ev), evidence: ev };
    }
  }
  const configured = byConfigAndScript(ctx);
  if (configured) return configured;
  // A webpack build with an HTML page to emit (html-webpack-plugin) and no server framework: a single-page app.
  if (ctx.hasOwnDep('webpack') && ctx.hasOwnDep('html-webpack-plugin')) {
    const text = ctx.pkgFile ? ctx.repo.read(ctx.pkgFile) ?? '' : '';
    const ev = [evidence(ctx.pkgFile ?? 'package.json', lineMatching(text, '"html-webpack-plugin"'), 'dependency-html-webpack-plugin')];
    return { name: 'webpack', version: ctx.depVersion('webpack'), details: details(ctx, 'webpack', ev), evidence: ev };
  }
  const http = usesNodeHttp(ctx, nestedUnits);
  if (http) return { name: 'node-http', version: null, details: {}, evidence: [http] };
  return { name: 'none', version: null, details: {}, evidence: [] };
}
