import { escapeRegExp } from '../escape-regexp.js';
import { evidence, lineMatching, lineOf, type Evidence } from '../evidence.js';
import type { RepoView } from './context.js';
import type { InstalledPackage } from './install-lifecycle.js';
import type { PackageManagerFacts } from './package-manager.js';
import { joinPath } from './source/modules.js';

/** Lockfiles are read up to this size (a large app's package-lock is several MB). */
const LOCKFILE_MAX_BYTES = 32 * 1024 * 1024;
const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * A version spec the package manager fetches with git: `github:owner/repo`, `owner/repo#ref`, `git+ssh://…`,
 * `git://…`, `git@host:…` (mediasoup-demo's `"mediasoup": "github:versatica/mediasoup#v3"`). Not a tarball URL
 * (codeload.github.com), a path, a workspace or an alias.
 */
const GIT_SPEC = /^(github:|gitlab:|bitbucket:|gist:|git\+|git:\/\/|git@|(?!\.)[\w.-]+\/[\w.-]+(#.*)?$)/;
/** The same in a lockfile: npm's and yarn's `resolved` git URLs, pnpm's `type: git`, yarn berry's `…git#commit=<sha>`. */
const GIT_LOCKED = /"?resolved"?:?\s+"?(git\+|git:\/\/|git@)|\btype:\s*git\b|#commit=[0-9a-f]/;

/**
 * Where the install fetches a dependency from a git repository (formio's package-lock resolves @formio/* from
 * `git+ssh://git@github.com/…`): the slim Node image has no git, and the install stops at `spawn git ENOENT`.
 * The manifests of every package installed, then the lockfile (transitive ones); the first few places.
 */
export function gitDependencies(repo: RepoView, pm: PackageManagerFacts, packages: readonly InstalledPackage[]): Evidence[] {
  const out: Evidence[] = [];
  for (const { dir, pkg } of packages) {
    const manifest = joinPath(dir, 'package.json');
    for (const field of DEP_FIELDS) {
      const deps = pkg[field];
      if (!deps || typeof deps !== 'object') continue;
      for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
        if (typeof spec !== 'string' || !GIT_SPEC.test(spec.trim())) continue;
        out.push(evidence(manifest, lineMatching(repo.read(manifest) ?? '', new RegExp(`"${escapeRegExp(name)}"\\s*:`)), 'git-dependency', `"${name}": "${spec}"`));
        if (out.length >= 3) return out;
      }
    }
  }
  if (out.length === 0 && pm.lockfile) {
    const text = repo.read(pm.lockfile, { maxBytes: LOCKFILE_MAX_BYTES }) ?? '';
    const at = text.search(GIT_LOCKED);
    if (at !== -1) {
      const line = lineOf(text, at);
      out.push(evidence(pm.lockfile, line, 'git-dependency-locked', (text.split('\n', line)[line - 1] ?? '').trim().slice(0, 160)));
    }
  }
  return out;
}
