import { posix } from 'node:path';
import { lineMatching } from '../evidence.js';
import type { Kind } from '../state/analysis-schema.js';
import { fileSetOf, readManifest } from './build-context.js';
import type { PackageJson, RepoView } from './context.js';
import { pastPackageRunner, programWords, splitCommand } from './commands.js';

/**
 * A project of an Nx workspace that has a project.json and no package.json of its own (an "integrated" repository:
 * ghostfolio's apps/api). It runs with the root's dependencies, Nx builds it from the workspace root, and its build
 * writes the file node runs (`dist/apps/api/main.js`).
 */
export interface NxProject {
  /** Repo-relative project root: `apps/api`. */
  dir: string;
  name: string;
  /** `apps/api/project.json`. */
  file: string;
  /** Line of the build target in project.json (1 when the build is inferred from a webpack config). */
  buildLine: number;
  /** `nx build api`, with `--configuration=production` when the target has one that is not its default. */
  buildArgs: string;
  /** Repo-relative file the build writes and node runs; null when the project is no Node.js server build. */
  output: string | null;
  /** Repo-relative source of that file (`apps/api/src/main.ts`), when it exists. */
  sourceMain: string | null;
  /** What the project is by its executors, for the list of units; null when they do not say. */
  kind: Kind | null;
  /** The build target's executor (`@nx/webpack:webpack`); null when the build is inferred or absent. */
  executor: string | null;
}

type Target = { executor?: unknown; options?: Record<string, unknown>; outputs?: unknown; configurations?: Record<string, unknown>; defaultConfiguration?: unknown };
type ProjectJson = { name?: unknown; projectType?: unknown; sourceRoot?: unknown; targets?: Record<string, Target> };

const WEBPACK_CONFIGS = ['webpack.config.js', 'webpack.config.ts', 'webpack.config.cjs', 'webpack.config.mjs'];
// Executors whose output keeps the source tree (`src/main.ts` → `<outputPath>/src/main.js`); bundlers write one file.
const TREE_EMITTERS = /^@(nx|nrwl)\/js:(tsc|swc)$/;
const NODE_SERVE = /^@(nx|nrwl)\/(js|node):(node|execute)$/;
const NODE_BUILD = /^@(nx|nrwl)\/(node|nest):|^@(nx|nrwl)\/js:(tsc|swc)$|^@nrwl\/node:build$/;
const SITE_BUILD = /^@(nx|nrwl)\/(angular|react|vite|web):|^@angular-devkit\/build-angular:|^@angular\/build:/;
const SSR_BUILD = /^@(nx|nrwl)\/(next|nuxt|remix):/;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** A path as project.json writes it: `{workspaceRoot}/dist/x`, `{projectRoot}/src`, or plain workspace-relative. */
function workspacePath(v: string, dir: string): string {
  return posix.normalize(v.replace(/^\{workspaceRoot\}\/?/, '').replace(/\{projectRoot\}/g, dir)).replace(/^\.\//, '').replace(/\/$/, '');
}

/** Where a build writes: its outputPath, else its first concrete output, else what its webpack config says, else Nx's default. */
function outputDir(dir: string, name: string, build: Target | undefined, webpackText: string | null): string {
  const fromOptions = str(build?.options?.outputPath);
  if (fromOptions) return workspacePath(fromOptions, dir);
  const outputs = Array.isArray(build?.outputs) ? build.outputs.filter((o): o is string => typeof o === 'string' && !o.includes('{options.')) : [];
  if (outputs[0]) return workspacePath(outputs[0], dir);
  // Nx's generated config: `output: { path: join(__dirname, '../../dist/apps/api') }` (or the segments one by one).
  const out = webpackText ? /\boutput\s*:\s*\{[^}]*?\bpath\s*:\s*(?:path\.)?(?:join|resolve)\(\s*__dirname\s*,([^)]*)\)/.exec(webpackText) : null;
  const parts = out ? [...out[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((p) => p[1]!) : [];
  if (parts.length && out![1]!.replace(/['"`][^'"`]*['"`]|[\s,]/g, '') === '') return posix.join(dir, ...parts);
  // NxAppWebpackPlugin's `outputPath: 'dist/apps/api'` (workspace-relative) or `'../../dist/apps/api'` (from the config).
  const m = webpackText ? /outputPath\s*:\s*['"`]([^'"`]+)['"`]/.exec(webpackText) : null;
  if (m) return m[1]!.startsWith('.') ? posix.join(dir, m[1]!) : workspacePath(m[1]!, dir);
  return `dist/${dir || name}`;
}

/** The source file the build starts from: its `main` option (workspace- or project-relative), else `<sourceRoot>/main.ts`. */
function sourceMain(files: ReadonlySet<string>, dir: string, main: string | null, sourceRoot: string | null): string | null {
  const candidates = main ? (main.startsWith('./') || main.startsWith('../') ? [posix.join(dir, main)] : [workspacePath(main, dir), posix.join(dir, main)]) : ['ts', 'js'].map((e) => posix.join(sourceRoot ?? posix.join(dir, 'src'), `main.${e}`));
  return candidates.find((c) => files.has(c)) ?? null;
}

function readProject(repo: RepoView, files: ReadonlySet<string>, dir: string): NxProject | null {
  // `dir` "" is a standalone Nx app: project.json beside the root package.json.
  const file = dir ? `${dir}/project.json` : 'project.json';
  const json = readManifest(repo, file) as ProjectJson | null;
  if (!json) return null;
  const text = repo.read(file) ?? '';
  const targets = json.targets && typeof json.targets === 'object' ? json.targets : {};
  const build = targets.build && typeof targets.build === 'object' ? targets.build : undefined;
  const serve = targets.serve && typeof targets.serve === 'object' ? targets.serve : undefined;
  const name = str(json.name) ?? (dir.split('/').pop() || (readManifest(repo, 'package.json')?.name as string | undefined) || 'app');
  const webpackFile = WEBPACK_CONFIGS.map((f) => posix.join(dir, f)).find((f) => files.has(f)) ?? null;
  const webpackText = webpackFile ? repo.read(webpackFile) : null;
  const buildExecutor = str(build?.executor);
  const serveExecutor = str(serve?.executor);
  const options = build?.options ?? {};
  // The option says it; else the webpack config an Nx plugin infers the target from (`main: './src/main.ts'`).
  const main = str(options.main) ?? (webpackText ? (/\bmain\s*:\s*['"`]([^'"`]+\.[cm]?[jt]s)['"`]/.exec(webpackText)?.[1] ?? null) : null);
  const nodeTarget = options.target === 'node' || options.platform === 'node' || (webpackText !== null && /target\s*:\s*['"]node['"]/.test(webpackText));
  // A target Nx infers from a config file (`"targets": {}` beside vite.config.mts): the file says what it builds.
  const has = (names: string[]) => names.some((n) => files.has(posix.join(dir, n)));
  const inferredKind: Kind | null = buildExecutor ? null : has(['next.config.js', 'next.config.mjs', 'next.config.ts']) ? 'ssr' : has(['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs', 'index.html']) ? 'static' : null;
  const kind: Kind | null =
    json.projectType === 'library'
      ? 'not-deployable'
      : (serveExecutor && NODE_SERVE.test(serveExecutor)) || (buildExecutor && NODE_BUILD.test(buildExecutor)) || nodeTarget
        ? 'server'
        : buildExecutor && SSR_BUILD.test(buildExecutor)
          ? 'ssr'
          : buildExecutor && SITE_BUILD.test(buildExecutor)
            ? 'static'
            : inferredKind;
  const src = sourceMain(files, dir, main, str(json.sourceRoot));
  const out = outputDir(dir, name, build, webpackText);
  const fileName = str(options.outputFileName) ?? (src ? `${posix.basename(src).replace(/\.[cm]?[jt]sx?$/, '')}.js` : 'main.js');
  const output = kind === 'server' || (kind === null && src) ? (buildExecutor && TREE_EMITTERS.test(buildExecutor) && src ? `${out}/${posix.relative(dir || '.', src).replace(/\.[cm]?tsx?$/, '.js')}` : `${out}/${fileName}`) : null;
  const configurations = build?.configurations && typeof build.configurations === 'object' ? Object.keys(build.configurations) : [];
  const production = configurations.includes('production') && build?.defaultConfiguration !== 'production' ? ' --configuration=production' : '';
  return { dir, name, file, buildLine: build ? lineMatching(text, /"build"\s*:/) : 1, buildArgs: `nx build ${name}${production}`, output, sourceMain: src, kind, executor: buildExecutor };
}

const E2E = /(^|[-/])e2e$/;

/**
 * The projects of an Nx workspace that have no package.json of their own, applications first: what to deploy
 * from an integrated repository (projects with a package.json are packages, found like any workspace's).
 */
export function nxProjects(repo: RepoView): NxProject[] {
  const files = fileSetOf(repo);
  if (!files.has('nx.json')) return [];
  const out: NxProject[] = [];
  for (const f of repo.files) {
    if (!f.endsWith('/project.json') || f.split('/').length > 5) continue;
    const dir = f.slice(0, -'/project.json'.length);
    if (files.has(`${dir}/package.json`) || E2E.test(dir)) continue;
    const p = readProject(repo, files, dir);
    if (p && p.kind !== 'not-deployable' && !E2E.test(p.name)) out.push(p);
  }
  return out;
}

/** The Nx project at a directory without a package.json, in a workspace with nx.json; else null. */
export function nxProjectAt(repo: RepoView, dir: string): NxProject | null {
  const files = fileSetOf(repo);
  if (!dir || !files.has('nx.json') || !files.has(`${dir}/project.json`) || files.has(`${dir}/package.json`)) return null;
  return readProject(repo, files, dir);
}

/** The manifest an Nx project runs under: the root's dependencies, engines and module type, under the project's name. */
export function nxManifest(project: NxProject, rootPkg: PackageJson): PackageJson {
  const { dependencies, devDependencies, optionalDependencies, peerDependencies, engines, type } = rootPkg;
  return { name: project.name, private: true, ...(type ? { type } : {}), ...(engines ? { engines } : {}), ...(dependencies ? { dependencies } : {}), ...(devDependencies ? { devDependencies } : {}), ...(optionalDependencies ? { optionalDependencies } : {}), ...(peerDependencies ? { peerDependencies } : {}) };
}

/**
 * The Nx project a start command serves (`nx serve`, `nx serve api`, `nx run api:serve`): the serve target builds and
 * reruns the app on every change, so production starts the file its build writes. The project named, else the one at
 * the unit's directory (a standalone app's root project.json), else nx.json's defaultProject.
 */
export function nxServedProject(repo: RepoView, unit: string, start: string | undefined): NxProject | null {
  const files = fileSetOf(repo);
  if (!start || !files.has('nx.json')) return null;
  const words = pastPackageRunner(programWords(splitCommand(start).at(-1)?.words ?? []));
  if (words[0] !== 'nx') return null;
  const named = words[1] === 'serve' ? (words[2] && !words[2].startsWith('-') ? words[2] : null) : words[1] === 'run' && /^[^:]+:serve(:|$)/.test(words[2] ?? '') ? words[2]!.split(':')[0]! : undefined;
  if (named === undefined) return null;
  const here = files.has(unit ? `${unit}/project.json` : 'project.json') ? readProject(repo, files, unit) : null;
  const nxJson = readManifest(repo, 'nx.json') as { defaultProject?: unknown } | null;
  const wanted = named ?? (here ? here.name : str(nxJson?.defaultProject));
  if (here && here.name === wanted) return here;
  for (const f of repo.files) {
    if (!f.endsWith('project.json') || (f !== 'project.json' && !f.endsWith('/project.json'))) continue;
    const p = readProject(repo, files, f === 'project.json' ? '' : f.slice(0, -'/project.json'.length));
    if (p && p.name === wanted) return p;
  }
  return null;
}
