// The build of another package whose output the server serves (served-paths.ts finds the directory): audiobookshelf's
// client/ (its own package-lock, built by `npm run generate`), docmost's apps/client and automatisch's packages/web
// (workspace members). The image builds them beside the server; otherwise every page is a 404 while the health check
// passes.
import { posix } from 'node:path';
import { escapeRegExp } from '../escape-regexp.js';
import { evidence } from '../evidence.js';
import type { Analysis, Finding } from '../state/analysis-schema.js';
import { readManifest } from './build-context.js';
import type { PackageJson, RepoView } from './context.js';
import { LOCKFILES, PM_COMMANDS } from './package-manager.js';
import type { ServedPath } from './source/served-paths.js';
import { finding } from './source/types.js';

export type ServedBuild = NonNullable<Analysis['served_builds']>[number];

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
    // A package with its own lockfile installs with that lockfile's package manager (yarn 1's commands for yarn.lock).
    const lock = LOCKFILES.find((l) => repo.files.includes(`${dir}/${l.file}`));
    const pm = lock ? (lock.pm === 'yarn' ? 'yarn-classic' : lock.pm) : 'npm';
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

/** A pass for each package the image builds beside the server, a warning for each it cannot (outside `unit`'s context). */
export function servedBuildFindings(served: readonly ServedBuild[], unbuildable: readonly ServedBuild[], unit: string): Finding[] {
  return [
    ...served.map((b) =>
      finding('served-build', 'build-and-image', 'pass', `The server serves ${b.output}, which ${b.path}'s "${b.script}" script builds: the generated image builds it beside the server.`, null, b.evidence),
    ),
    ...unbuildable.map((b) =>
      finding(
        'served-build',
        'build-and-image',
        'warn',
        `The server serves ${b.output}, which ${b.path}'s "${b.script}" script builds, outside ${unit}/: an image built from ${unit}/ alone has no ${b.output}, so its pages are not found while the health check passes.`,
        `Build the image from the repository root with a Dockerfile of your own that also runs \`${b.run ?? 'npm run'} ${b.script}\` in ${b.path}, or serve ${b.path} as a site of its own.`,
        b.evidence,
      ),
    ),
  ];
}
