import type { Evidence } from '../evidence.js';
import type { ConfigOverrides, Finding } from '../state/analysis-schema.js';
import type { CachedScan } from './source/cached-scan.js';
import type { NxProject } from './nx.js';

/** A read-only view of the repository as git sees it: ignored paths, node_modules and .git are never listed. */
export interface RepoView {
  /** Absolute path of the directory being analyzed (the repo root or a checkout). */
  readonly root: string;
  /** Repo-relative POSIX paths of every listed file, sorted. */
  readonly files: readonly string[];
  /**
   * Text of a listed file; null when it is binary, too large, a symlink or unreadable (then recorded in
   * `skipped`). `maxBytes` raises the size limit for one read (lockfiles are bigger than source).
   */
  read(path: string, opts?: { maxBytes?: number }): string | null;
  /** Whether git tracks the path; null when the directory is not a git checkout. */
  isTracked(path: string): boolean | null;
  readonly skipped: Array<{ file: string; reason: string }>;
  /** Number of files actually read so far. */
  readonly readCount: number;
  readonly git: { commit: string | null; branch: string | null; dirty: boolean; remote: string | null } | null;
  /** Token-tier verdicts kept between analyses; absent when git cannot vouch for file contents or caching is off. */
  readonly scanCache?: ScanCache | null;
}

/** Token-tier verdicts by file, valid only while git vouches the file still has the content they describe. */
export interface ScanCache {
  /** The verdict recorded for this file's current content, if any. */
  get(path: string): CachedScan | undefined;
  /** Records the verdict for a file read in this analysis (dropped when git cannot vouch for its content). */
  put(path: string, entry: CachedScan): void;
  /** How many files were answered from the cache so far. */
  readonly hits: number;
}

export interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  type?: string;
  main?: string;
  module?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  packageManager?: string;
  workspaces?: string[] | { packages?: string[] };
  [key: string]: unknown;
}

/** What every detector receives. Paths are repo-relative; `unit` is the analyzed package's directory ("" = root). */
export interface AnalysisContext {
  /** A unit below a workspace root that no workspace pattern takes: its lockfile and install are its own. */
  standalone?: boolean;
  repo: RepoView;
  unit: string;
  /** Files under `unit`, repo-relative. */
  unitFiles: readonly string[];
  /**
   * The unit's package.json, parsed; null when missing or malformed (a finding records why). An Nx project without
   * one runs under the root's (see nx.ts): its dependencies, with `pkgFile` the root package.json.
   */
  pkg: PackageJson | null;
  pkgFile: string | null;
  /** The Nx project the unit is, when it has a project.json and no package.json of its own. */
  nx?: NxProject | null;
  /**
   * For an Nx project, the workspace root whose package.json it runs under (secrets in its scripts masked): where its
   * database tooling lives and its migrate scripts run.
   */
  nxRoot?: { dir: string; name: string; pkg: PackageJson } | null;
  /** The repository root's package.json (scripts masked) when the unit is a directory below it: the workspace's package manager. */
  rootPkg?: PackageJson | null;
  /** `.sealos/config.json` overrides; user config wins over detection. */
  config: ConfigOverrides | null;
  /** Repo-relative path of a file inside the unit. */
  unitPath(rel: string): string;
  /** All dependency names (prod + dev + optional + peer) of the unit, and of the workspace root. */
  hasDep(name: string): boolean;
  /**
   * The unit's own dependencies only: what it is (framework, desktop app, worker) is its own manifest's word,
   * not the tooling a workspace root installs for every package (`vite` for tests, `electron` for one app).
   */
  hasOwnDep(name: string): boolean;
  /** Version range of a dependency, from any dependency group. */
  depVersion(name: string): string | null;
  /** True when the dependency is a production dependency (not dev-only). */
  isProdDep(name: string): boolean;
  /** Problems found while building the context (e.g. malformed package.json), turned into findings. */
  /** Problems found while reading manifests; failing findings (build-and-image unless a section is given). */
  notes: Array<{ id: string; message: string; fix: string; evidence: Evidence[]; section?: Finding['section'] }>;
}

/** JavaScript/TypeScript source extensions the source detectors parse. */
export const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'] as const;

/**
 * Directories that hold build output, browser assets, vendored code, tests or fixtures: never the
 * service's own source of truth (a committed frontend bundle's `listen` is a DOM event, not a port).
 */
const NON_SOURCE_DIR = /(^|\/)(dist|build|built|out|\.next|\.nuxt|\.output|\.svelte-kit|coverage|__tests__|__mocks__|mocks|test|tests|spec|specs|e2e|cypress|fixtures|__fixtures__|\.turbo|\.cache|public|static|assets|vendor)\//;
// Tests, stories and the set-up and config files of test runners, and the configs of repository tooling (release,
// lint, format, commit hooks, task runners): they read variables the service never does (parse-server's
// `.releaserc.js` reads GITHUB_REPOSITORY).
const TEST_FILE =
  /\.(test|spec|e2e|stories)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$|\.min\.[cm]?js$|(^|\/)(test-setup|setup-tests|setupTests|test-utils|jest\.setup|jest\.config|vitest\.setup|vitest\.config|vitest\.workspace|playwright\.config|cypress\.config|karma\.conf)\.[cm]?[jt]sx?$|(^|\/)(\.[\w.-]+|(release|commitlint|prettier|eslint|stylelint|lint-staged|semantic-release)\.config|gulpfile|Gruntfile|dangerfile)\.[cm]?[jt]s$/;

/** Directories of tooling the server never runs (unit-relative): release, CI and maintenance scripts. */
export const TOOLING_DIR = /^(scripts|extra|tools|release|releases|\.github|ci|hack|\.husky)\//;

/** Whether a directory can hold a package of the service's own (not build output, tests, fixtures or vendored code). */
export function isPackageDir(dir: string): boolean {
  return !NON_SOURCE_DIR.test(dir + '/');
}

/**
 * Examples of using the package (express's `examples/auth/index.js` listens on 3000): not the service's code. A package of
 * its own under examples/ is still a unit to list and analyze, where its files are its source.
 */
const EXAMPLE_DIR = /(^|\/)examples?\//;

/**
 * A `public/` or `static/` directory below a routing one holds handlers, not assets: langfuse's
 * `pages/api/public/health.ts` serves GET /api/public/health.
 */
const ROUTED_PUBLIC = /(^|\/)((?:pages|api|routes|controllers|handlers|endpoints)\/(?:[^/]+\/)*?)(public|static)\//g;

export function isSourceFile(path: string): boolean {
  if (!SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext))) return false;
  if (TEST_FILE.test(path)) return false;
  const p = path.includes('public/') || path.includes('static/') ? path.replace(ROUTED_PUBLIC, '$1$2_$3/') : path;
  return !NON_SOURCE_DIR.test(p) && !EXAMPLE_DIR.test(p);
}

/** Source files of the unit, excluding nested workspace packages. */
export function unitSourceFiles(ctx: AnalysisContext, nestedUnits: readonly string[] = []): string[] {
  return ctx.unitFiles.filter((f) => isSourceFile(f.slice(ctx.unit ? ctx.unit.length + 1 : 0)) && !nestedUnits.some((u) => u !== ctx.unit && f.startsWith(u + '/')));
}
