import { evidence, lineMatching, type Evidence } from '../evidence.js';
import type { Finding, PackageManagerName } from '../state/analysis-schema.js';
import type { AnalysisContext, PackageJson } from './context.js';

export interface PackageManagerFacts {
  name: PackageManagerName;
  version: string | null;
  lockfile: string | null;
  lockfile_committed: boolean | null;
  corepack: boolean;
  evidence: Evidence[];
}

export const LOCKFILES: Array<{ file: string; pm: 'npm' | 'pnpm' | 'yarn' | 'bun' }> = [
  { file: 'pnpm-lock.yaml', pm: 'pnpm' },
  { file: 'bun.lock', pm: 'bun' },
  { file: 'bun.lockb', pm: 'bun' },
  { file: 'yarn.lock', pm: 'yarn' },
  { file: 'package-lock.json', pm: 'npm' },
  { file: 'npm-shrinkwrap.json', pm: 'npm' },
];

/** Commands per package manager: frozen installs so the image matches the lockfile. */
export const PM_COMMANDS: Record<PackageManagerName, { install: string; installNoLock: string; run: string; start: string; exec: string }> = {
  npm: { install: 'npm ci', installNoLock: 'npm install', run: 'npm run', start: 'npm start', exec: 'npx' },
  pnpm: { install: 'pnpm install --frozen-lockfile', installNoLock: 'pnpm install', run: 'pnpm run', start: 'pnpm start', exec: 'pnpm exec' },
  'yarn-classic': { install: 'yarn install --frozen-lockfile', installNoLock: 'yarn install', run: 'yarn run', start: 'yarn start', exec: 'yarn' },
  'yarn-berry': { install: 'yarn install --immutable', installNoLock: 'yarn install', run: 'yarn run', start: 'yarn start', exec: 'yarn' },
  bun: { install: 'bun install --frozen-lockfile', installNoLock: 'bun install', run: 'bun run', start: 'bun run start', exec: 'bunx' },
};

function fromField(field: string): { name: PackageManagerName; version: string | null } | null {
  const m = /^(npm|pnpm|yarn|bun)@([^+\s]+)/.exec(field.trim());
  if (!m) return null;
  const [, tool, version = null] = m;
  if (tool === 'yarn') return { name: Number.parseInt(version ?? '1', 10) >= 2 ? 'yarn-berry' : 'yarn-classic', version };
  return { name: tool as PackageManagerName, version };
}

/** The major corepack prepares when nothing names a version. */
export const DEFAULT_MAJOR: Partial<Record<PackageManagerName, string>> = { pnpm: '9', 'yarn-berry': '4' };

/** The package manager a manifest's engines name (`"engines": { "pnpm": ">=9" }`). */
function managerEngine(pkg: PackageJson | null | undefined): 'pnpm' | 'bun' | 'yarn' | undefined {
  const engines = pkg?.engines ?? {};
  return (['pnpm', 'bun', 'yarn'] as const).find((t) => typeof engines[t] === 'string');
}

function yarnFlavour(ctx: AnalysisContext, lockPath: string, dir: string): 'yarn-classic' | 'yarn-berry' {
  const text = ctx.repo.read(lockPath) ?? '';
  // The lockfile says which yarn wrote it: cypress-realworld-app's .yarnrc.yml only points yarnPath at yarn 1.22.
  if (/^# yarn lockfile v1/m.test(text)) return 'yarn-classic';
  if (/^__metadata:/m.test(text)) return 'yarn-berry';
  return [`${dir}.yarnrc.yml`, `${dir}.yarnrc.yaml`].some((f) => ctx.repo.files.includes(f)) ? 'yarn-berry' : 'yarn-classic';
}

function pnpmVersionFromLock(text: string): string | null {
  const m = /^lockfileVersion:\s*'?([\d.]+)'?/m.exec(text);
  if (!m) return null;
  const v = m[1] ?? '';
  if (v.startsWith('9')) return '9';
  if (v.startsWith('6')) return '8';
  if (v === '5.4') return '7';
  return null;
}

export function detectPackageManager(ctx: AnalysisContext): { facts: PackageManagerFacts; findings: Finding[] } {
  const findings: Finding[] = [];
  // Lockfiles live at the workspace root for monorepo units: look in the unit first, then up to the repo root.
  const dirs = ctx.unit ? [`${ctx.unit}/`, ...(ctx.standalone ? [] : [''])] : [''];
  const found: Array<{ path: string; pm: PackageManagerName }> = [];
  for (const dir of dirs) {
    for (const l of LOCKFILES) {
      const path = dir + l.file;
      if (!ctx.repo.files.includes(path)) continue;
      const pm: PackageManagerName = l.pm === 'yarn' ? yarnFlavour(ctx, path, dir) : l.pm;
      found.push({ path, pm });
    }
    if (found.length) break;
  }
  // A workspace package installs with the workspace's manager: the root's packageManager and engines when it names none.
  const rootOnly = ctx.unit && ctx.rootPkg && typeof ctx.pkg?.packageManager !== 'string' && !managerEngine(ctx.pkg) ? ctx.rootPkg : null;
  const manifest = rootOnly ?? ctx.pkg;
  const field = typeof manifest?.packageManager === 'string' ? fromField(manifest.packageManager) : null;
  const pkgFile = rootOnly ? 'package.json' : (ctx.pkgFile ?? 'package.json');
  const pkgText = rootOnly || ctx.pkgFile ? ctx.repo.read(pkgFile) ?? '' : '';
  const ev: Evidence[] = [];

  let name: PackageManagerName = 'npm';
  let version: string | null = null;
  const primary = found[0] ?? null;
  if (field) {
    name = field.name;
    version = field.version;
    ev.push(evidence(pkgFile, lineMatching(pkgText, '"packageManager"'), 'packageManager-field'));
  } else if (primary) {
    name = primary.pm;
    if (name === 'pnpm') version = pnpmVersionFromLock(ctx.repo.read(primary.path) ?? '');
    ev.push(evidence(primary.path, 1, 'lockfile'));
  } else {
    const byEngine = managerEngine(manifest);
    if (byEngine) {
      const range = manifest?.engines?.[byEngine] ?? '';
      name = byEngine === 'yarn' ? (/^[\^~>=\s]*1(\.|$)/.test(range) ? 'yarn-classic' : 'yarn-berry') : byEngine;
      ev.push(evidence(pkgFile, lineMatching(pkgText, `"${byEngine}"`), 'engines'));
    }
  }
  // `"engines": { "pnpm": "^10.26.0" }`: pnpm refuses to install a project whose engines it does not satisfy, so the
  // image prepares at least that major (the lockfile's format is the same for pnpm 9 and 10).
  const engineRange = field ? undefined : manifest?.engines?.[name === 'pnpm' ? 'pnpm' : name.startsWith('yarn') ? 'yarn' : ''];
  const least = typeof engineRange === 'string' ? /^\s*(?:\^|~|>=?|=)?\s*v?(\d+)(?:[.\s]|$)/.exec(engineRange)?.[1] : undefined;
  const current = version ?? DEFAULT_MAJOR[name];
  if (least && current && Number(least) > Number.parseInt(current, 10)) {
    version = least;
    ev.push(evidence(pkgFile, lineMatching(pkgText, `"${name === 'pnpm' ? 'pnpm' : 'yarn'}"`), 'engines'));
  }

  // The lockfile of the chosen manager, if any.
  const lock = found.find((f) => f.pm === name) ?? (field ? null : primary);
  const lockfile = lock?.path ?? null;
  const tracked = lockfile ? ctx.repo.isTracked(lockfile) : null;

  const kinds = [...new Set(found.map((f) => (f.pm.startsWith('yarn') ? 'yarn' : f.pm)))];
  const conflicts: string[] = [];
  if (kinds.length > 1) conflicts.push(`several lockfiles: ${found.map((f) => f.path).join(', ')}`);
  if (field && primary && !found.some((f) => f.pm === field.name)) {
    conflicts.push(`packageManager says ${ctx.pkg?.packageManager} but the lockfile is ${primary.path}`);
  }
  findings.push(
    conflicts.length
      ? {
          id: 'lockfile-conflict',
          section: 'build-and-image',
          status: 'warn',
          message: `Package manager signals disagree: ${conflicts.join('; ')}. The image build uses ${name}.`,
          fix: `Keep one lockfile (the ${name} one) and delete the others, and make "packageManager" match it.`,
          evidence: found.map((f) => evidence(f.path, 1, 'lockfile')),
        }
      : { id: 'lockfile-conflict', section: 'build-and-image', status: 'pass', message: 'One package manager, consistent signals.', fix: null, evidence: ev },
  );

  if (!lockfile) {
    findings.push({
      id: 'lockfile-committed',
      section: 'build-and-image',
      status: 'fail',
      message: 'No lockfile: installs in the image are not reproducible.',
      fix: `Run \`${PM_COMMANDS[name].installNoLock}\` and commit the generated lockfile.`,
      evidence: ctx.pkgFile ? [evidence(ctx.pkgFile, 1, 'no-lockfile')] : [],
    });
  } else if (tracked === false) {
    findings.push({
      id: 'lockfile-committed',
      section: 'build-and-image',
      status: 'fail',
      message: `${lockfile} exists but git does not track it: a clean checkout has no lockfile.`,
      fix: `git add ${lockfile} && git commit (and remove it from .gitignore if listed).`,
      evidence: [evidence(lockfile, 1, 'lockfile-untracked')],
    });
  } else {
    findings.push({
      id: 'lockfile-committed',
      section: 'build-and-image',
      status: tracked === null ? 'warn' : 'pass',
      message: tracked === null ? `${lockfile} exists; not a git checkout, so whether it is committed is unknown.` : `${lockfile} is committed.`,
      fix: tracked === null ? 'Deploy from a git checkout with the lockfile committed.' : null,
      evidence: [evidence(lockfile, 1, 'lockfile')],
    });
  }

  return {
    facts: { name, version, lockfile, lockfile_committed: tracked, corepack: Boolean(field && (name === 'pnpm' || name.startsWith('yarn'))), evidence: ev },
    findings,
  };
}
