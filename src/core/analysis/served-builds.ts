// The build of another package whose output the server serves (served-paths.ts finds the directory): audiobookshelf's
// client/ (its own package-lock, built by `npm run generate`), docmost's apps/client and automatisch's packages/web
// (workspace members). The image builds them beside the server; otherwise every page is a 404 while the health check
// passes.
import { posix } from 'node:path';
import { escapeRegExp } from '../escape-regexp.js';
import { evidence } from '../evidence.js';
import type { Analysis } from '../state/analysis-schema.js';
import { readManifest } from './build-context.js';
import type { PackageJson, RepoView } from './context.js';
import { PM_COMMANDS } from './package-manager.js';
import type { ServedPath } from './source/served-paths.js';

export type ServedBuild = NonNullable<Analysis['served_builds']>[number];

// The package manager a package with its own lockfile installs with.
const LOCKFILES: Array<[string, keyof typeof PM_COMMANDS]> = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn-classic'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

/** The script the project itself runs to build `dir` (`"client": "cd client && npm ci && npm run generate"`). */
function scriptRunFor(dir: string, name: string | undefined, scripts: Record<string, string>[]): string | null {
  const d = escapeRegExp(dir);
  const patterns = [
    new RegExp(`cd\\s+(?:\\./)?${d}/?\\s*&&[^;|]*?(?:npm run|yarn run|yarn|pnpm run|pnpm|bun run)\\s+([\\w:.-]+)`),
    new RegExp(`(?:--prefix|--dir|-C)[= ](?:\\./)?${d}/?\\s+(?:run\\s+)?([\\w:.-]+)`),
    ...(name ? [new RegExp(`(?:--filter[= ]|workspace\\s+)['"]?${escapeRegExp(name)}['"]?\\s+(?:run\\s+)?([\\w:.-]+)`)] : []),
  ];
  for (const s of scripts)
    for (const cmd of Object.values(s))
      for (const re of patterns) {
        const m = typeof cmd === 'string' ? re.exec(cmd) : null;
        if (m && m[1] !== 'install' && m[1] !== 'ci') return m[1]!;
      }
  return null;
}

/** The unit's scripts its build runs (`"build": "pnpm run clean && pnpm run build:frontend && …"`), by name. */
function buildRuns(build: string | null, scripts: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const queue = build ? [build] : [];
  for (let i = 0; i < queue.length && i < 50; i++)
    for (const m of queue[i]!.matchAll(/(?:npm run|yarn run|yarn|pnpm run|pnpm|bun run)\s+([\w:.-]+)/g)) {
      const body = scripts[m[1]!];
      if (typeof body === 'string' && !(m[1]! in out)) {
        out[m[1]!] = body;
        queue.push(body);
      }
    }
  return out;
}

/**
 * The packages whose builds produce what the unit serves, with how the image builds each: none that the unit's own
 * build already runs (Unleash's `"build:frontend": "pnpm --dir ./frontend run build"`).
 */
export function servedBuilds(repo: RepoView, unit: string, paths: readonly ServedPath[], workspaceDirs: readonly string[], built: ReadonlySet<string>, scripts: Record<string, string>[], build: string | null): ServedBuild[] {
  const out: ServedBuild[] = [];
  for (const p of paths) {
    // The nearest package above the directory is the one whose build writes it.
    let dir = posix.dirname(p.path);
    while (dir !== '.' && dir !== '/' && !repo.files.includes(`${dir}/package.json`)) dir = posix.dirname(dir);
    // The unit's own build output, or one the image builds anyway.
    if (dir === '.' || dir === '/' || dir === unit || unit.startsWith(dir + '/') || built.has(dir) || out.some((b) => b.path === dir)) continue;
    const pkg: PackageJson | null = readManifest(repo, `${dir}/package.json`);
    const own = (pkg?.scripts ?? {}) as Record<string, string>;
    const name = typeof pkg?.name === 'string' ? pkg.name : undefined;
    const rel = unit ? posix.relative(unit, dir) : dir;
    if (scriptRunFor(rel, name, [buildRuns(build, scripts[0] ?? {})]) !== null) continue;
    const named = scriptRunFor(dir, name, scripts) ?? (unit ? scriptRunFor(rel, name, scripts.slice(0, 1)) : null);
    const script = [named, 'build', 'generate'].find((s): s is string => !!s && typeof own[s] === 'string');
    if (!script) continue;
    const workspace = workspaceDirs.includes(dir);
    const lock = LOCKFILES.find(([f]) => repo.files.includes(`${dir}/${f}`));
    const pm = lock?.[1] ?? 'npm';
    out.push({
      path: dir,
      script,
      output: p.path,
      workspace,
      // A package with its own lockfile (or none, outside the workspace) installs on its own.
      install: workspace ? null : lock ? PM_COMMANDS[pm].install : PM_COMMANDS.npm.installNoLock,
      run: workspace ? null : PM_COMMANDS[pm].run,
      evidence: [p.evidence, evidence(`${dir}/package.json`, 1, 'served-build-script', `"${script}": "${own[script]}"`)],
    });
  }
  return out;
}
