import type { AnalysisContext, PackageJson, RepoView } from '../../../src/core/analysis/context.js';
import { analyzeSource, type SourceFacts, type SourceHints, type SourceMode } from '../../../src/core/analysis/source/index.js';
import type { Finding } from '../../../src/core/state/analysis-schema.js';

export interface MemoryRepoOptions {
  /** Unit directory ("" = root). */
  unit?: string;
  /** Git view: `true` = every file tracked; a list = only those tracked (others untracked); omitted = not a git checkout. */
  tracked?: true | string[];
}

/** A RepoView over an in-memory file map: what the analyzer sees of a checkout, without touching disk. */
export function memoryRepo(files: Record<string, string>, opts: MemoryRepoOptions = {}): RepoView {
  const paths = Object.keys(files).sort();
  const tracked = opts.tracked === true ? new Set(paths) : opts.tracked ? new Set(opts.tracked) : null;
  let readCount = 0;
  return {
    root: '/mem/repo',
    files: paths,
    skipped: [],
    git: tracked ? { commit: 'abc', branch: 'main', dirty: false, remote: null } : null,
    get readCount() {
      return readCount;
    },
    read(path) {
      if (!(path in files)) return null;
      readCount++;
      return files[path] ?? null;
    },
    isTracked: (path) => (tracked ? tracked.has(path) : null),
  };
}

export function memoryContext(files: Record<string, string>, opts: MemoryRepoOptions = {}): AnalysisContext {
  const repo = memoryRepo(files, opts);
  const unit = opts.unit ?? '';
  const unitPath = (rel: string) => (unit ? `${unit}/${rel}` : rel);
  const pkgFile = unitPath('package.json');
  let pkg: PackageJson | null = null;
  try {
    pkg = files[pkgFile] ? (JSON.parse(files[pkgFile]!) as PackageJson) : null;
  } catch {
    pkg = null;
  }
  const groups = pkg ? [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.peerDependencies].filter((g): g is Record<string, string> => !!g) : [];
  return {
    repo,
    unit,
    unitFiles: repo.files.filter((f) => !unit || f.startsWith(unit + '/')),
    pkg,
    pkgFile: pkg ? pkgFile : null,
    config: null,
    unitPath,
    hasDep: (name) => groups.some((g) => name in g),
    hasOwnDep: (name) => groups.some((g) => name in g),
    depVersion: (name) => groups.find((g) => name in g)?.[name] ?? null,
    isProdDep: (name) => !!pkg?.dependencies && name in pkg.dependencies,
    notes: [],
  };
}

export function hints(over: Partial<SourceHints> = {}): SourceHints {
  return { framework: 'express', entrypoint: null, startCommand: null, scripts: {}, dockerfileExpose: { ports: [], evidence: [] }, nestedUnits: [], runPrefix: 'npm run', execPrefix: 'npx', ...over };
}

/** package.json text with the given dependencies (all production). */
export function pkgJson(deps: string[] = [], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'app', version: '1.0.0', dependencies: Object.fromEntries(deps.map((d) => [d, '*'])), ...extra });
}

export function analyze(files: Record<string, string>, over: Partial<SourceHints> = {}, opts: MemoryRepoOptions = {}): SourceFacts {
  const ctx = memoryContext(files, opts);
  const scripts = (ctx.pkg?.scripts as Record<string, string> | undefined) ?? {};
  return analyzeSource(ctx, hints({ scripts, ...over }));
}

/** The source analysis in one tier (`tiered`, or `ast`: every file parsed), for tests that both tiers must pass. */
export function analyzeIn(files: Record<string, string>, mode: SourceMode, over: Partial<SourceHints> = {}): SourceFacts {
  return analyzeSource(memoryContext(files), hints({ scripts: {}, ...over }), mode);
}

export function findingOf(facts: SourceFacts, id: string): Finding | undefined {
  return facts.findings.find((f) => f.id === id);
}

export function status(facts: SourceFacts, id: string): string | undefined {
  return findingOf(facts, id)?.status;
}
