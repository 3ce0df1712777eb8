import type { Analysis } from '../state/analysis-schema.js';
import { filesUnder, readManifest } from './build-context.js';
import { PM_COMMANDS } from './package-manager.js';
import { packageNameOf } from './source/ast.js';
import { isSourceFile, type AnalysisContext, type PackageJson, type RepoView } from './context.js';

/** A workspace package the analyzed unit runs: its code ships in the unit's image and runs in its process. */
export interface LocalPackage {
  /** Repo-relative directory. */
  dir: string;
  name: string;
  pkg: PackageJson;
  /** The unit imports it but only the workspace root's package.json declares it (docmost's @docmost/editor-ext). */
  rootDeclared?: boolean;
}

const RUNTIME_GROUPS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const ALL_GROUPS = [...RUNTIME_GROUPS, 'devDependencies'] as const;

function depNames(pkg: PackageJson, groups: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const deps = pkg[g];
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) out.push(...Object.keys(deps));
  }
  return out;
}

/**
 * The workspace packages `unit` depends on, directly (any dependency group: a TypeScript service often
 * lists its own packages as devDependencies and bundles them) and through their runtime dependencies,
 * in build order: every package after the packages it depends on. A dependency is a workspace package
 * when a package of the workspace has its name, whatever the version range (`workspace:*`, `*`,
 * `^1.0.0`: npm and yarn link them by name).
 */
export function localPackagesOf(
  repo: RepoView,
  unit: string,
  unitPkg: PackageJson | null,
  workspaceDirs: readonly string[],
  root?: { pkg: PackageJson | null; imported: ReadonlySet<string> },
): LocalPackage[] {
  if (!unit || !unitPkg || workspaceDirs.length === 0) return [];
  const byName = new Map<string, { dir: string; pkg: PackageJson }>();
  for (const dir of workspaceDirs) {
    if (dir === unit) continue;
    // A malformed manifest is a package nothing can depend on (the unit list reports it).
    const pkg = readManifest(repo, `${dir}/package.json`);
    if (pkg && typeof pkg.name === 'string' && !byName.has(pkg.name)) byName.set(pkg.name, { dir, pkg });
  }
  const out: LocalPackage[] = [];
  const seen = new Set<string>();
  // Depth-first, each package listed after its dependencies (a cycle is cut where it closes).
  const visit = (name: string): void => {
    const p = byName.get(name);
    if (!p || seen.has(name)) return;
    seen.add(name);
    for (const d of depNames(p.pkg, RUNTIME_GROUPS)) visit(d);
    out.push({ dir: p.dir, name, pkg: p.pkg });
  };
  for (const d of depNames(unitPkg, ALL_GROUPS)) visit(d);
  // A package only the root declares, which the unit's code imports: pnpm links it from the root, and a filter on the
  // unit neither installs nor builds it.
  if (root?.pkg)
    for (const d of depNames(root.pkg, ALL_GROUPS))
      if (root.imported.has(d) && byName.has(d) && !seen.has(d)) {
        const before = out.length;
        visit(d);
        for (const p of out.slice(before)) p.rootDeclared = true;
      }
  return out;
}

/** The package a module specifier names (`@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`); null for paths and builtins. */
export function specifierPackage(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || (spec.startsWith('@') && !spec.includes('/'))) return null;
  return packageNameOf(spec);
}

function depIn(pkg: PackageJson, groups: readonly string[], name: string): string | null {
  for (const g of groups) {
    const deps = pkg[g] as Record<string, unknown> | undefined;
    if (deps && typeof deps === 'object' && !Array.isArray(deps) && name in deps) return typeof deps[name] === 'string' ? (deps[name] as string) : '';
  }
  return null;
}

/**
 * The unit's context as its source detectors see it: the files of its workspace packages are part of the
 * service, and so are their dependencies (a database driver in `packages/db` opens the unit's connection).
 * Framework, kind and commands keep reading the unit's own manifest.
 */
export function withLocalPackages(ctx: AnalysisContext, locals: readonly LocalPackage[]): AnalysisContext {
  if (locals.length === 0) return ctx;
  return {
    ...ctx,
    unitFiles: [...ctx.unitFiles, ...locals.flatMap((p) => filesUnder(ctx.repo.files, p.dir + '/'))],
    hasDep: (name) => ctx.hasDep(name) || locals.some((p) => depIn(p.pkg, ALL_GROUPS, name) !== null),
    depVersion: (name) => ctx.depVersion(name) ?? locals.map((p) => depIn(p.pkg, ALL_GROUPS, name)).find((v) => v !== null) ?? null,
    isProdDep: (name) => ctx.isProdDep(name) || locals.some((p) => depIn(p.pkg, RUNTIME_GROUPS, name) !== null),
  };
}

/** Source files of a workspace package (tests, fixtures and build output excluded, as for the unit). */
export function packageSourceFiles(ctx: AnalysisContext, dir: string): string[] {
  const prefix = dir + '/';
  return filesUnder(ctx.repo.files, prefix).filter((f) => isSourceFile(f.slice(prefix.length)));
}

/**
 * Files a package's manifest names for an import of `subpath` ("." or "./x"): its `exports` entry (every
 * condition, in order: the source is found behind whichever one has it), then, for ".", `module`, `main`, `types`.
 */
export function packageEntries(pkg: PackageJson, subpath: string): string[] {
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  const exp = pkg.exports as unknown;
  if (typeof exp === 'string' || Array.isArray(exp)) {
    if (subpath === '.') collect(exp);
  } else if (exp && typeof exp === 'object') {
    const map = exp as Record<string, unknown>;
    // Conditions at the top (`{ "import": ..., "require": ... }`) describe ".".
    if (Object.keys(map).every((k) => !k.startsWith('.'))) {
      if (subpath === '.') collect(map);
    } else collect(map[subpath]);
  }
  if (subpath === '.') for (const k of ['module', 'main', 'types', 'typings'] as const) if (typeof pkg[k] === 'string') out.push(pkg[k]);
  return out;
}

/** The builds of the workspace packages an analyzed unit runs, dependencies first, each run in its package's directory. */
export function packageBuilds(analysis: Pick<Analysis, 'local_packages' | 'package_manager'>): Array<{ path: string; command: string; rootDeclared: boolean }> {
  return (analysis.local_packages ?? []).filter((p) => p.build).map((p) => ({ path: p.path, command: `${PM_COMMANDS[analysis.package_manager.name].run} build`, rootDeclared: p.root_declared === true }));
}
