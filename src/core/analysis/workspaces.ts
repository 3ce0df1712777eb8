import { workspaceGlob } from '../workspace-glob.js';
import { parse as parseYaml } from 'yaml';
import { evidence, lineMatching, type Evidence } from '../evidence.js';
import { readManifest } from './build-context.js';
import type { AnalysisContext, PackageJson, RepoView } from './context.js';

export interface WorkspaceFacts {
  tools: Array<'npm' | 'pnpm' | 'yarn' | 'bun' | 'turbo' | 'nx' | 'lerna'>;
  patterns: string[];
  evidence: Evidence[];
  /** Repo-relative directories of every workspace package, sorted. */
  packages: string[];
}


/** Workspace packages declared at the repo root (npm/yarn/bun `workspaces`, pnpm-workspace.yaml), plus turbo/nx/lerna markers. */
export function detectWorkspaces(repo: RepoView, rootPkg: PackageJson | null): WorkspaceFacts | null {
  const tools: WorkspaceFacts['tools'] = [];
  const patterns: string[] = [];
  const ev: Evidence[] = [];
  const ws = rootPkg?.workspaces;
  const fromPkg = Array.isArray(ws) ? ws : Array.isArray(ws?.packages) ? ws.packages : [];
  if (fromPkg.length) {
    patterns.push(...fromPkg.filter((p): p is string => typeof p === 'string'));
    const lock = repo.files.includes('pnpm-lock.yaml') ? null : repo.files.includes('bun.lock') || repo.files.includes('bun.lockb') ? 'bun' : repo.files.includes('yarn.lock') ? 'yarn' : 'npm';
    if (lock) tools.push(lock);
    ev.push(evidence('package.json', lineMatching(repo.read('package.json') ?? '', '"workspaces"'), 'package.json-workspaces'));
  }
  if (repo.files.includes('pnpm-workspace.yaml')) {
    try {
      const doc = parseYaml(repo.read('pnpm-workspace.yaml') ?? '') as { packages?: unknown } | null;
      if (Array.isArray(doc?.packages)) patterns.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
    } catch {
      /* malformed YAML: no patterns from it */
    }
    tools.push('pnpm');
    ev.push(evidence('pnpm-workspace.yaml', 1, 'pnpm-workspace'));
  }
  for (const [file, tool] of [['turbo.json', 'turbo'], ['nx.json', 'nx'], ['lerna.json', 'lerna']] as const) {
    if (repo.files.includes(file)) {
      tools.push(tool);
      ev.push(evidence(file, 1, `${tool}-config`));
    }
  }
  if (!patterns.length) return tools.length ? { tools, patterns, evidence: ev, packages: [] } : null;

  const include = patterns.filter((p) => !p.startsWith('!')).map(workspaceGlob);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => workspaceGlob(p.slice(1)));
  const packages = repo.files
    .filter((f) => f.endsWith('/package.json'))
    .map((f) => f.slice(0, -'/package.json'.length))
    .filter((dir) => include.some((r) => r.test(dir)) && !exclude.some((r) => r.test(dir)))
    .sort();
  return { tools, patterns, evidence: ev, packages };
}

const DELEGATES = /\b(turbo|nx|lerna)\b|--workspace|-w\s|--filter|\s-r\s|workspaces?\s|npm-run-all|concurrently/;

/**
 * The root only orchestrates workspaces when its start (if any) delegates to them and it has no app framework,
 * or when its start or build delegates whatever it depends on (a root's `vite` or `next` is often shared tooling:
 * `"build": "turbo run build"` says the apps are below).
 */
export function isOrchestratorRoot(ctx: AnalysisContext, hasFramework: boolean): boolean {
  const { start, build } = ctx.pkg?.scripts ?? {};
  if ((start && DELEGATES.test(start)) || (build && DELEGATES.test(build))) return true;
  return !hasFramework && !start;
}

/**
 * Packages below the root that no workspace declares (`server/` and `client/` side by side): directories
 * up to three levels deep whose package.json names a package or declares scripts or dependencies (a bare
 * `{"type": "module"}` marker is not a package). Build output, tests and fixtures are not packages.
 */
export function undeclaredPackages(repo: RepoView, isPackageDir: (dir: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of repo.files) {
    if (!f.endsWith('/package.json') || f.split('/').length > 4) continue;
    const dir = f.slice(0, -'/package.json'.length);
    if (!isPackageDir(dir)) continue;
    const pkg = readManifest(repo, f);
    if (pkg && (typeof pkg.name === 'string' || pkg.scripts || pkg.dependencies || pkg.devDependencies)) out.push(dir);
  }
  return out.sort();
}
