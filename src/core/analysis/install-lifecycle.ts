import { evidence, lineMatching, type Evidence } from '../evidence.js';
import { pastPackageRunner, programWords, runTarget, splitCommand } from './commands.js';
import type { PackageJson, RepoView } from './context.js';
import { fileSetOf } from './build-context.js';
import { PRISMA_CONFIG_FILES, prismaConfigSchema } from './source/database.js';
import { joinPath } from './source/modules.js';

/**
 * Scripts npm, pnpm and yarn run for the project's own packages while installing. An image installs from the
 * manifests alone (so the layer is cached until they change): whatever these scripts read must be copied first.
 * `"postinstall": "prisma generate"` with no schema in the layer fails the install ("Could not find Prisma Schema").
 */
// pnpm also runs the root's `pnpm:devPreinstall` on every install, filtered ones too (logto's reads packages/connectors/templates).
const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare', 'pnpm:devPreinstall'] as const;
// Programs that read no file of the project (husky skips hook setup where there is no .git, as in an image build;
// removing or making a directory needs nothing to be there).
const READS_NOTHING = new Set(['husky', 'is-ci', 'only-allow', 'echo', 'exit', 'true', ':', 'command', 'test', '[', 'printf', 'husky-run', 'npm-only-allow', 'rimraf', 'rm', 'mkdir']);
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', '!']);

export interface InstallInputs {
  /** Repo-relative files and directories the scripts read; `.` when they may read anything (the whole source). */
  paths: string[];
  evidence: Evidence[];
}

/** A package whose lifecycle scripts the install runs: the root, the unit, the workspace packages installed with it. */
export interface InstalledPackage {
  dir: string;
  pkg: PackageJson;
}


/** What `prisma generate` reads: `--schema`, else prisma.config's schema, else package.json's, else the default places. */
function prismaInputs(repo: RepoView, files: ReadonlySet<string>, dir: string, pkg: PackageJson, args: string[]): string[] {
  const out: string[] = [];
  const config = PRISMA_CONFIG_FILES.map((f) => joinPath(dir, f)).find((f) => files.has(f));
  if (config) out.push(config);
  const flag = args.findIndex((a) => a === '--schema' || a.startsWith('--schema='));
  const fromFlag = flag === -1 ? null : args[flag]!.includes('=') ? args[flag]!.slice('--schema='.length) : (args[flag + 1] ?? null);
  const fromConfig = config ? prismaConfigSchema(repo.read(config) ?? '') : null;
  const fromPkg = typeof (pkg.prisma as { schema?: unknown } | undefined)?.schema === 'string' ? (pkg.prisma as { schema: string }).schema : null;
  const declared = fromFlag ?? fromConfig ?? fromPkg;
  const candidates = declared ? [joinPath(dir, declared)] : ['prisma/schema.prisma', 'schema.prisma', 'prisma/schema'].map((p) => joinPath(dir, p));
  // A file, or a directory of schema files (Prisma's multi-file schema).
  const schema = candidates.find((c) => files.has(c) || repo.files.some((f) => f.startsWith(c + '/') && f.endsWith('.prisma')));
  if (schema) out.push(schema);
  return out;
}

/** The patch directory patch-package applies (`--patch-dir x`, else patches/), when the repository has one. */
function patchInputs(repo: RepoView, dir: string, args: string[]): string[] {
  const i = args.indexOf('--patch-dir');
  const patches = joinPath(dir, i === -1 ? 'patches' : (args[i + 1] ?? 'patches'));
  return repo.files.some((f) => f.startsWith(patches + '/')) ? [patches] : [];
}

export function installInputs(repo: RepoView, packages: readonly InstalledPackage[]): InstallInputs {
  if (!packages.some(({ pkg }) => LIFECYCLE.some((hook) => pkg.scripts?.[hook]))) return { paths: [], evidence: [] };
  const files = fileSetOf(repo);
  const paths = new Set<string>();
  const ev: Evidence[] = [];
  for (const { dir, pkg } of packages) {
    const scripts = pkg.scripts ?? {};
    const manifest = joinPath(dir, 'package.json');
    for (const hook of LIFECYCLE) {
      const body = scripts[hook];
      if (!body) continue;
      const before = paths.size;
      let whole = false;
      // Follows `npm run x` into the package's other scripts (a few levels: scripts call each other).
      const queue: Array<{ cmd: string; depth: number }> = [{ cmd: body, depth: 0 }];
      while (queue.length && !whole) {
        const { cmd, depth } = queue.shift()!;
        for (const seg of splitCommand(cmd)) {
          let words = programWords(seg.words);
          while (words[0] && SHELL_KEYWORDS.has(words[0])) words = programWords(words.slice(1));
          const target = runTarget(words);
          if (target) {
            const next = scripts[target];
            if (next && depth < 4) queue.push({ cmd: next, depth: depth + 1 });
            continue;
          }
          // `pnpm dlx prisma@6.5.0 generate`: the program without the runner's verb or the version it pins.
          let w = pastPackageRunner(words);
          if (w[0] === 'dlx') w = w.slice(1);
          const prog = w[0]?.replace(/(.)@[^/]*$/, '$1');
          if (!prog || READS_NOTHING.has(prog)) continue;
          if (prog === 'prisma' && w[1] === 'generate') prismaInputs(repo, files, dir, pkg, w.slice(2)).forEach((p) => paths.add(p));
          else if (prog === 'patch-package') patchInputs(repo, dir, w.slice(1)).forEach((p) => paths.add(p));
          else whole = true;
        }
      }
      if (whole) paths.add('.');
      if (whole || paths.size > before) ev.push(evidence(manifest, lineMatching(repo.read(manifest) ?? '', new RegExp(`"${hook}"\\s*:`)), `scripts.${hook}`, body));
    }
  }
  return { paths: paths.has('.') ? ['.'] : [...paths].sort(), evidence: ev };
}
