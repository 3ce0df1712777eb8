import { DEFAULT_MAJOR } from '../analysis/package-manager.js';
import type { Analysis, PackageManagerName } from '../state/analysis-schema.js';

/** The commands a Dockerfile needs from one package manager. `unit` is the workspace path ("" = single package). */
export interface PackageManagerSteps {
  /** RUN lines for the base stage (corepack, package-manager version). */
  setup: string[];
  /** ENV lines for the base stage. */
  env: string[];
  /** Repo-relative files and directories copied with the lockfile before the install (when they exist). */
  installFiles: string[];
  install: string;
  /** `exec` prefix for a package binary: npx, pnpm exec, yarn, bunx. */
  exec: string;
  build(script: string | null): string | null;
  /** Whether `build` also builds the workspace packages the unit depends on (pnpm's `{unit}...`, yarn's --recursive). */
  buildsDependencies: boolean;
  /** Removes devDependencies after the build. */
  prune: string;
}

function major(version: string | null | undefined): number | null {
  const m = /^(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : null;
}

function q(value: string): string {
  return /^[\w@./{}-]+$/.test(value) && !value.includes('...') ? value : `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * Corepack keeps the package manager it prepares in COREPACK_HOME: by default root's home, which the runtime's
 * non-root user cannot read, so a `pnpm exec prisma migrate deploy` in the migrate init container would download
 * pnpm again at every pod start (or fail without network). A shared directory keeps the prepared one usable.
 */
const COREPACK_ENV = ['COREPACK_ENABLE_DOWNLOAD_PROMPT=0', 'COREPACK_HOME=/usr/local/share/corepack'];

/** Corepack ships with Node up to 24; later images need it installed first. */
function corepackSetup(nodeMajor: number, pm: 'pnpm' | 'yarn', version: string | null, pinnedByPackageJson: boolean): string[] {
  const enable = nodeMajor >= 25 ? 'npm install --global corepack && corepack enable' : 'corepack enable';
  if (pinnedByPackageJson) return [`RUN ${enable}`];
  const fallback = DEFAULT_MAJOR[pm === 'pnpm' ? 'pnpm' : 'yarn-berry'];
  return [`RUN ${enable} && corepack prepare ${pm}@${version ?? fallback} --activate`];
}

export function packageManagerSteps(analysis: Analysis, workspaceName: string | null): PackageManagerSteps {
  const pm: PackageManagerName = analysis.package_manager.name;
  const unit = analysis.project.path;
  const lockfile = analysis.package_manager.lockfile;
  const nodeMajor = Number(analysis.node.version) || 22;
  const pmVersion = analysis.package_manager.version;
  // An Nx project (no package.json of its own) installs as the workspace root does: it is no npm/pnpm/yarn workspace.
  const mono = unit !== '' && !analysis.nx_project;
  // Without a lockfile a frozen install refuses to run; the analysis reports the missing lockfile.
  const locked = lockfile !== null;
  const scriptName = (script: string | null) => {
    if (!script) return null;
    const m = /^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)\s*$/.exec(script.trim());
    return m ? (m[1] ?? null) : null;
  };
  switch (pm) {
    case 'npm': {
      const hasLock = lockfile !== null && /(package-lock|npm-shrinkwrap)\.json$/.test(lockfile);
      // The workspace packages the unit runs are installed with it: building them needs their devDependencies.
      const ws = mono ? `${[unit, ...(analysis.local_packages ?? []).map((p) => p.path)].map((w) => ` --workspace=${q(w)}`).join('')} --include-workspace-root` : '';
      return {
        setup: [],
        env: [],
        installFiles: ['.npmrc'],
        install: hasLock ? `npm ci${ws}` : `npm install${ws}`,
        exec: 'npx',
        build: (script) => {
          if (!script) return null;
          const name = scriptName(script);
          return mono && name ? `npm run ${name} --workspace=${q(unit)}` : script;
        },
        prune: `npm prune --omit=dev${ws}`,
        buildsDependencies: false,
      };
    }
    case 'pnpm': {
      // Packages only the root declares are no dependency of the unit pnpm can follow: each is filtered in as well.
      const rootDeclared = (analysis.local_packages ?? []).filter((p) => p.root_declared).map((p) => p.path);
      const filter = mono ? [unit, ...rootDeclared].map((d) => ` --filter ${q(`{${d}}...`)}`).join('') : '';
      const buildFilter = mono ? ` --filter ${q(`{${unit}}...`)}` : '';
      return {
        setup: corepackSetup(nodeMajor, 'pnpm', pmVersion, analysis.package_manager.corepack),
        env: COREPACK_ENV,
        installFiles: ['.npmrc', '.pnpmfile.cjs', 'pnpm-workspace.yaml', 'patches'],
        // CI=true on the commands that install: pnpm aborts a re-install that must purge node_modules without a TTY
        // (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY). Never an ENV: the build would see it too (elk's nuxt.config picks
        // its storage driver by isCI).
        install: `CI=true pnpm install${locked ? ' --frozen-lockfile' : ''}${filter}`,
        exec: 'pnpm exec',
        build: (script) => {
          if (!script) return null;
          const name = scriptName(script);
          return mono && name ? `pnpm${buildFilter} run ${name}` : script;
        },
        // `pnpm prune` does not work across workspaces; a --prod reinstall removes devDependencies there.
        // The re-install that prunes must not run the project's install scripts again: `"postinstall": "prisma generate"`
        // would find its CLI (a devDependency) gone.
        prune: mono ? `CI=true pnpm install --prod${locked ? ' --frozen-lockfile' : ''} --offline --ignore-scripts --config.confirmModulesPurge=false${filter}` : 'CI=true pnpm prune --prod',
        buildsDependencies: mono,
      };
    }
    case 'yarn-classic':
      return {
        setup: [],
        env: [],
        // .yarnrc's yarn-path hands the install to a committed release (cypress-realworld-app's .yarn/releases/yarn-1.22.22.cjs).
        installFiles: ['.npmrc', '.yarnrc', '.yarn/releases', 'patches'],
        install: `yarn install${locked ? ' --frozen-lockfile' : ''}`,
        exec: 'yarn',
        build: (script) => {
          if (!script) return null;
          const name = scriptName(script);
          return mono && name && workspaceName ? `yarn workspace ${q(workspaceName)} run ${name}` : script;
        },
        // Yarn 1 has no prune: a production install over the tree removes devDependencies.
        prune: `yarn install --production${locked ? ' --frozen-lockfile' : ''} --ignore-scripts --prefer-offline`,
        buildsDependencies: false,
      };
    case 'yarn-berry': {
      const focus = mono && workspaceName ? q(workspaceName) : '--all';
      const v = major(pmVersion);
      const plugin = v !== null && v < 4 ? 'yarn plugin import workspace-tools && ' : '';
      return {
        setup: corepackSetup(nodeMajor, 'yarn', pmVersion, analysis.package_manager.corepack),
        // node_modules linking makes the runtime a plain `node` process (no PnP loader flags).
        env: [...COREPACK_ENV, 'YARN_NODE_LINKER=node-modules'],
        installFiles: ['.yarnrc.yml', '.yarn/releases', '.yarn/plugins', '.yarn/patches', 'patches'],
        install: `yarn install${locked ? ' --immutable' : ''}`,
        exec: 'yarn',
        build: (script) => {
          if (!script) return null;
          const name = scriptName(script);
          return mono && name && workspaceName ? `yarn workspaces foreach --recursive --topological --from ${q(workspaceName)} run ${name}` : script;
        },
        prune: `${plugin}yarn workspaces focus --production ${focus}`,
        buildsDependencies: mono && workspaceName !== null,
      };
    }
    case 'bun': {
      return {
        setup: [],
        env: [],
        installFiles: ['.npmrc', 'bunfig.toml', 'patches'],
        install: `bun install${locked ? ' --frozen-lockfile' : ''}`,
        exec: 'bunx',
        build: (script) => {
          if (!script) return null;
          const name = scriptName(script);
          return mono && name && workspaceName ? `bun run --filter ${q(workspaceName)} ${name}` : script;
        },
        prune: `rm -rf node_modules && bun install${locked ? ' --frozen-lockfile' : ''} --production`,
        buildsDependencies: false,
      };
    }
  }
}
