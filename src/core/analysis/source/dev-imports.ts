import { isBuiltin } from 'node:module';
import { evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import type { PackageJson } from '../context.js';
import { specifierPackage } from '../local-packages.js';
import { importsOf, loadedFrom } from './loaded-files.js';
import { finding, type SourceRun } from './types.js';

/** Builds that bundle what the code imports into their output: the output needs none of it installed. */
const BUNDLES = /\b(next|nuxi?|vite|webpack|rspack|esbuild|tsup|rollup|ncc|parcel|remix|react-router|astro|bun\s+build|nest\s+build\s+--webpack|nx)\b/;
/** Packages of type declarations (`@slack/types`): imported for types, which the TypeScript build erases. */
const TYPES_ONLY = /^@types\/|(^|[/-])types$/;

export interface DevImports {
  /** Packages the running service imports that only devDependencies declare. */
  packages: string[];
  findings: Finding[];
}

/**
 * Packages the service imports at run time, from its entrypoint through its own modules, that it declares only as
 * devDependencies: the production image prunes them and the server stops at "Cannot find module" (hapipal's
 * boilerplate runs `node server` on @hapi/glue, @hapi/hapi and dotenv, all devDependencies). Not when a build bundles
 * the code (Next.js, Vite, esbuild…): then nothing it imported is needed at run time.
 */
export function devImports(run: SourceRun, entry: string | null, opts: { bundled?: boolean } = {}): DevImports {
  const none = { packages: [], findings: [] };
  const build = run.ctx.pkg?.scripts?.build ?? '';
  // What a bundler's output no longer imports; `bundled: false` for a file the server loads as it is (next.config).
  if (!entry || (opts.bundled !== false && BUNDLES.test(build)) || run.ctx.nx) return none;
  // Nothing to find without devDependencies (and no walk of the code: a repeated analysis reads only what changed).
  if (!run.ctx.pkg?.devDependencies && !run.ctx.rootPkg?.devDependencies) return none;
  // Installed either way when the unit or its workspace root lists it among what runs (docmost's root dependencies).
  // So is what a workspace package the unit runs lists for its own code (maildev's packages/smtp imports nodemailer, a
  // dependency of its own and only a devDependency of the CLI unit).
  const locals = run.hints.localPackages ?? [];
  const ownerOf = (file: string) => locals.find((p) => file.startsWith(p.dir + '/'))?.pkg;
  const listed = (pkgs: readonly (PackageJson | null | undefined)[], group: 'dependencies' | 'optionalDependencies' | 'peerDependencies' | 'devDependencies', name: string) => pkgs.some((p) => !!p?.[group] && name in (p[group] as object));
  const devOnly = (name: string, file: string) => {
    const pkgs = [run.ctx.pkg, run.ctx.rootPkg, ownerOf(file)];
    return listed(pkgs, 'devDependencies', name) && !listed(pkgs, 'dependencies', name) && !listed(pkgs, 'optionalDependencies', name) && !listed(pkgs, 'peerDependencies', name);
  };
  const found = new Map<string, string>();
  for (const file of loadedFrom(run, entry)) {
    for (const spec of importsOf(run, file)) {
      const pkg = run.index.isAliased(file, spec) ? null : specifierPackage(spec);
      if (pkg !== null && !isBuiltin(pkg) && !TYPES_ONLY.test(pkg) && devOnly(pkg, file) && !found.has(pkg)) found.set(pkg, file);
    }
  }
  if (!found.size) return none;
  const packages = [...found.keys()].sort();
  return {
    packages,
    findings: [
      finding(
        'dev-dependency-imports',
        'build-and-image',
        'warn',
        `The running service imports ${packages.join(', ')}, declared only as devDependencies: an image that prunes devDependencies stops at "Cannot find module". The generated image keeps them.`,
        `Move ${packages.length > 1 ? 'them' : 'it'} to "dependencies" in package.json.`,
        packages.slice(0, 5).map((p) => evidence(found.get(p)!, 1, 'imports-dev-dependency', p)),
      ),
    ],
  };
}
