// Dependency install scripts and npm's allowScripts policy. npm 11.16 started listing dependencies
// whose install scripts are not covered by package.json `allowScripts`; npm 12 blocks those scripts.
// A blocked script installs "successfully" and can leave a native module unbuilt or a binary not
// downloaded (sharp, better-sqlite3, bcrypt, prisma engines): the image builds, the service fails.
import { evidence } from '../evidence.js';
import type { Finding } from '../state/analysis-schema.js';
import type { AnalysisContext, PackageJson } from './context.js';
import type { PackageManagerFacts } from './package-manager.js';

/** Lockfiles are read up to this size (above the source limit: a large app's package-lock is several MB). */
const LOCKFILE_MAX_BYTES = 32 * 1024 * 1024;
const SHOWN = 8;

/** Installed package name of a lockfile key (`node_modules/a/node_modules/@s/b` → `@s/b`); null for the root and workspaces. */
function packageName(key: string): string | null {
  const i = key.lastIndexOf('node_modules/');
  return i === -1 ? null : key.slice(i + 'node_modules/'.length) || null;
}

/** Whether `allowScripts` has a decision (allow or deny) for the package: `name` or `name@version…`. */
function covered(policy: Record<string, unknown>, name: string): boolean {
  return Object.keys(policy).some((k) => k === name || k.startsWith(`${name}@`));
}

/** npm's `os`/`cpu` lists: names it runs on, `!name` it does not; none, anything. */
function runsOn(list: unknown, target: string): boolean {
  if (!Array.isArray(list) || list.length === 0) return true;
  const names = list.filter((x): x is string => typeof x === 'string');
  if (names.includes(`!${target}`)) return false;
  const allowed = names.filter((x) => !x.startsWith('!'));
  return allowed.length === 0 || allowed.includes(target);
}

/** `pkg`: the parsed package.json next to the lockfile (the workspace root's for a monorepo unit): its policy. */
export function installScriptFindings(ctx: AnalysisContext, pm: PackageManagerFacts, pkg: PackageJson | null): Finding[] {
  if (pm.name !== 'npm' || !pm.lockfile) return [];
  const text = ctx.repo.read(pm.lockfile, { maxBytes: LOCKFILE_MAX_BYTES });
  let lock: { packages?: Record<string, { hasInstallScript?: boolean; os?: unknown; cpu?: unknown }> };
  try {
    lock = JSON.parse(text ?? '') as typeof lock;
  } catch {
    return []; // Unreadable or malformed: the lockfile findings already say so.
  }
  // Lockfile v1 (npm 6) does not record install scripts: nothing to judge.
  if (!lock.packages || typeof lock.packages !== 'object') return [];
  const withScripts = new Set<string>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = packageName(key);
    // Never installed in a linux/amd64 image (fsevents: `"os": ["darwin"]`): its script never runs there.
    if (name && entry?.hasInstallScript === true && runsOn(entry.os, 'linux') && runsOn(entry.cpu, 'x64')) withScripts.add(name);
  }
  const pkgPath = `${pm.lockfile.slice(0, pm.lockfile.lastIndexOf('/') + 1)}package.json`;
  const policy = pkg?.allowScripts && typeof pkg.allowScripts === 'object' ? (pkg.allowScripts as Record<string, unknown>) : {};
  const open = [...withScripts].filter((n) => !covered(policy, n)).sort();
  const ev = [evidence(pm.lockfile, 1, 'hasInstallScript', `${withScripts.size} package(s) with install scripts`)];
  if (withScripts.size === 0) {
    return [{ id: 'install-scripts', section: 'build-and-image', status: 'pass', message: 'No dependency runs an install script.', fix: null, evidence: ev }];
  }
  if (open.length === 0) {
    return [{ id: 'install-scripts', section: 'build-and-image', status: 'pass', message: `allowScripts in ${pkgPath} decides every dependency install script (${withScripts.size}).`, fix: null, evidence: ev }];
  }
  const shown = open.slice(0, SHOWN).join(', ') + (open.length > SHOWN ? `, and ${open.length - SHOWN} more` : '');
  return [
    {
      id: 'install-scripts',
      section: 'build-and-image',
      status: 'warn',
      message: `${open.length} dependenc${open.length === 1 ? 'y runs an install script' : 'ies run install scripts'} that npm 12 blocks unless ${pkgPath} allowScripts lists ${open.length === 1 ? 'it' : 'them'}: ${shown}. Blocked, the install still succeeds but such a package can fail at build or run time (a native module not built, a binary not downloaded).`,
      fix: `Review ${open.length === 1 ? 'it' : 'them'}, then run \`npm install-scripts approve ${open.slice(0, SHOWN).join(' ')}\` (npm 11.16 or newer) and commit ${pkgPath}.`,
      evidence: ev,
    },
  ];
}
