import { parseDockerfile, splitImage, type Instruction, type ParsedDockerfile, type Stage } from './dockerfile-parse.js';

/** `info` is a suggestion that never blocks (e.g. digest pinning). */
export type LintStatus = 'pass' | 'info' | 'warn' | 'fail';

export interface LintFinding {
  id: LintRuleId;
  status: LintStatus;
  message: string;
  /** What to change; null when the status is pass. */
  fix: string | null;
  /** 1-based line in the Dockerfile the finding points at; null when it is about the whole file. */
  line: number | null;
}

export type LintRuleId =
  | 'parse'
  | 'no-latest'
  | 'pin-digest'
  | 'non-root-user'
  | 'multi-stage'
  | 'copy-before-install'
  | 'no-expose'
  | 'port-mismatch'
  | 'dev-in-runtime'
  | 'no-cmd'
  | 'shell-form-cmd'
  | 'npm-start-as-cmd'
  | 'no-dockerignore'
  | 'copy-source-missing';

export interface LintOptions {
  /** The port the service listens on; EXPOSE is checked against it when given. */
  port?: number | null;
  /** Text of the .dockerignore used with this Dockerfile; null = none exists; undefined = not checked. */
  dockerignore?: string | null;
  /** The project's own install scripts may read any of its files (analysis `commands.install_needs` is `.`). */
  installReadsSource?: boolean;
  /** Files git lists in the build context, context-relative: COPY sources are checked against them when given. */
  contextFiles?: readonly string[];
}

/** Base images whose default user is already unprivileged. */
const NON_ROOT_BASES = [/^nginxinc\/nginx-unprivileged(:|$)/, /^gcr\.io\/distroless\/.*:(.*-)?nonroot/, /^cgr\.dev\//];
/** Base images whose default CMD is an interactive runtime, not a service. */
const RUNTIME_BASES = /^(docker\.io\/)?(library\/)?(node|oven\/bun|bun)(:|@|$)/;

const INSTALL = /(^|\s)(npm\s+(ci|install|i)(?=\s|$)(?!.*\s(-g|--global)(\s|$))|pnpm\s+(install|i)(?=\s|$)|yarn(\s+install)?(?=\s*$)|yarn\s+install(?=\s|$)|yarn\s+workspaces\s+focus(?=\s|$)|bun\s+(install|i)(?=\s|$))/;
const PROD_ONLY = /--omit[= ]dev|--production(?!=false)|--only[= ]prod|(^|\s)--prod(\s|$)|(^|\s)-P(\s|$)/;
const PRUNE = /(npm\s+prune|pnpm\s+prune)\b[^;&|]*(--omit[= ]dev|--production|--prod)/;

/** Shell commands of a RUN, split at && ; || | and newlines, heredoc bodies included. */
function runCommands(ins: Instruction): string[] {
  return shellCommands(ins.json ? ins.json.join(' ') : [ins.args.replace(HEREDOC_MARK, ''), ...ins.heredocs.map((h) => h.body)].join('\n'));
}

/** A RUN's text split into commands at && ; || | and newlines. */
function shellCommands(text: string): string[] {
  return text
    .split(/&&|\|\||;|\||\n/)
    .map((c) => c.trim())
    .filter(Boolean);
}

const BUILD = /\b(npm|pnpm|yarn|bun)\s+(run\s+)?build\b|\bnx\s+(build|run|run-many)\b|(^|\s)(npx\s+)?tsc(\s|$)|\b(vite|next|nest|astro|nuxt|nuxi)\s+build\b/;

/**
 * Whether the Dockerfile's image holds build tools: a RUN builds, or installs devDependencies (no production flag,
 * no NODE_ENV=production). Copying a build made elsewhere and installing production dependencies (Nx's generated
 * Dockerfile) ships none, single stage or not.
 */
export function shipsBuildTools(df: ParsedDockerfile): boolean {
  const productionEnv = df.instructions.some(setsProductionEnv);
  return df.instructions.some((i) => i.keyword === 'RUN' && runCommands(i).some((c) => BUILD.test(c) || (INSTALL.test(c) && !PROD_ONLY.test(c) && !productionEnv)));
}
const HEREDOC_MARK = /<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g;

/** The instructions a stage runs, its ancestors' first (a stage FROM another stage inherits its filesystem). */
function chain(df: ParsedDockerfile, stage: Stage): Instruction[] {
  const parts: Instruction[][] = [];
  let s: Stage | undefined = stage;
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    parts.unshift(s.instructions);
    s = s.parentStage === null ? undefined : df.stages[s.parentStage];
  }
  return parts.flat();
}

function rootBase(df: ParsedDockerfile, stage: Stage): string | null {
  let s: Stage | undefined = stage;
  const seen = new Set<number>();
  while (s && s.parentStage !== null && !seen.has(s.index)) {
    seen.add(s.index);
    s = df.stages[s.parentStage];
  }
  return s?.resolvedImage ?? null;
}

function copySources(ins: Instruction): string[] {
  // Quoted words are paths as Docker reads them (openstatus's `COPY "." "/app/"` copies the whole context).
  const words = ins.json ?? [...ins.args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return words.slice(0, -1);
}

/**
 * Paths COPY and ADD take from the build context by name, normalized (`./dist/api/` → `dist/api`), with their lines:
 * not the whole context, globs, variables, URLs, other stages (--from) or heredocs.
 */
export function contextCopySources(df: ParsedDockerfile): Array<{ src: string; line: number }> {
  return df.instructions.flatMap((i) =>
    (i.keyword === 'COPY' || i.keyword === 'ADD') && i.flags.from === undefined && !i.heredocs.length
      ? copySources(i)
          // A source is relative to the context root with or without a leading slash (homepage's `COPY /public ./public/`).
          .map((s) => s.replace(/^\/+/, '').replace(/^\.\//, '').replace(/\/+$/, ''))
          .filter((s) => s && s !== '.' && !/[$*?[]/.test(s) && !/^https?:\/\//.test(s))
          .map((src) => ({ src, line: i.line }))
      : [],
  );
}

function isWholeContextCopy(ins: Instruction): boolean {
  if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.from !== undefined) return false;
  return copySources(ins).some((s) => s === '.' || s === './' || s === '*' || s === './*');
}

/** ENV or ARG that sets NODE_ENV=production (npm, pnpm and yarn then skip devDependencies). */
function setsProductionEnv(ins: Instruction): boolean {
  return (ins.keyword === 'ENV' || ins.keyword === 'ARG') && /(^|\s)NODE_ENV(=|\s+)"?production"?(\s|$)/.test(ins.args);
}

function finding(id: LintRuleId, status: LintStatus, message: string, fix: string | null, line: number | null): LintFinding {
  return { id, status, message, fix: status === 'pass' ? null : fix, line };
}

function commandWords(ins: Instruction): string[] {
  return ins.json ?? ins.args.split(/\s+/).filter(Boolean);
}

const INIT_WRAPPERS = /(^|\/)(tini|dumb-init|docker-init)$/;

/** Lints a Dockerfile against the production rules; one finding per rule, status pass when it holds. */
export function lintDockerfile(text: string, options: LintOptions = {}): LintFinding[] {
  const df = parseDockerfile(text);
  const out: LintFinding[] = [];
  for (const e of df.errors) out.push(finding('parse', 'fail', e.message, 'Fix the Dockerfile syntax; docker build will reject it.', e.line));
  const final = df.stages[df.stages.length - 1];
  if (!final) {
    if (df.errors.length === 0) out.push(finding('parse', 'fail', 'The Dockerfile has no FROM instruction.', 'Start the Dockerfile with FROM <image>:<tag>.', null));
    return out;
  }
  const finalChain = chain(df, final);

  // no-latest / pin-digest: every external base image.
  const unpinned: Stage[] = [];
  let latestHit: LintFinding | null = null;
  for (const s of df.stages) {
    if (s.parentStage !== null) continue;
    if (s.resolvedImage === null) {
      latestHit ??= finding('no-latest', 'warn', `FROM ${s.image} uses a build argument without a default; the base image is unknown until build time.`, 'Give the ARG a default value with a pinned tag, e.g. ARG NODE_VERSION=22.', s.line);
      continue;
    }
    if (s.resolvedImage.toLowerCase() === 'scratch') continue;
    const { tag, digest } = splitImage(s.resolvedImage);
    if (!digest && (!tag || tag === 'latest')) {
      latestHit ??= finding('no-latest', 'fail', `FROM ${s.image} ${tag ? 'uses the "latest" tag' : 'has no tag (so "latest")'}: rebuilds can silently change the runtime.`, 'Pin a major version and variant, e.g. node:22-bookworm-slim.', s.line);
    }
    if (!digest) unpinned.push(s);
  }
  out.push(latestHit ?? finding('no-latest', 'pass', 'Every base image has a pinned tag.', null, null));
  out.push(
    unpinned.length
      ? finding('pin-digest', 'info', `Base image${unpinned.length > 1 ? 's' : ''} ${unpinned.map((s) => s.resolvedImage).join(', ')} pinned by tag, not digest.`, 'For fully reproducible builds append @sha256:<digest> to the FROM image (and let a bot such as Renovate update it).', unpinned[0]?.line ?? null)
      : finding('pin-digest', 'pass', 'Every base image is pinned by digest.', null, null),
  );

  // non-root-user: the last USER of the final stage (inherited through stage parents).
  const users = finalChain.filter((i) => i.keyword === 'USER');
  const lastUser = users[users.length - 1];
  const base = rootBase(df, final) ?? '';
  if (lastUser) {
    const name = (lastUser.args.split(':')[0] ?? '').trim();
    out.push(
      name === 'root' || name === '0'
        ? finding('non-root-user', 'fail', `The runtime stage runs as ${name}.`, 'Switch to an unprivileged user before CMD, e.g. USER node (uid 1000) on node images.', lastUser.line)
        : finding('non-root-user', 'pass', `The runtime stage runs as ${lastUser.args.trim()}.`, null, lastUser.line),
    );
  } else if (NON_ROOT_BASES.some((r) => r.test(base))) {
    out.push(finding('non-root-user', 'pass', `The base image ${base} runs as an unprivileged user.`, null, final.line));
  } else {
    out.push(finding('non-root-user', 'warn', 'The runtime stage sets no USER, so the service runs as root.', 'Add USER node (or a numeric uid such as 1000) to the final stage, after files are copied.', final.line));
  }

  const buildsNothing = !shipsBuildTools(df);
  out.push(
    df.stages.length >= 2
      ? finding('multi-stage', 'pass', `${df.stages.length} stages: build tools stay out of the runtime image.`, null, null)
      : buildsNothing
        ? finding('multi-stage', 'pass', 'Nothing is built and no devDependency is installed: one stage is enough.', null, null)
        : finding('multi-stage', 'warn', 'Single-stage build: compilers, dev dependencies and sources ship in the runtime image.', 'Build in one stage and copy only the output and production dependencies into a slim final stage.', final.line),
  );

  // copy-before-install: COPY . . before the first dependency install a stage's filesystem sees
  // (a later prune or --prod reinstall reuses what is already installed).
  let copyHit: LintFinding | null = null;
  for (const s of df.stages) {
    let wholeCopy: Instruction | null = null;
    let installed = false;
    for (const ins of chain(df, s)) {
      if (isWholeContextCopy(ins) && !installed) wholeCopy ??= ins;
      if (ins.keyword !== 'RUN' || !runCommands(ins).some((c) => INSTALL.test(c) && !PRUNE.test(c))) continue;
      if (wholeCopy && !installed) {
        copyHit ??= finding('copy-before-install', 'warn', `COPY of the whole context (line ${wholeCopy.line}) before the dependency install (line ${ins.line}): every source change reinstalls all dependencies.`, 'Copy package.json and the lockfile first, install, then COPY . .', wholeCopy.line);
      }
      installed = true;
    }
  }
  // A project whose own install scripts read its files (a postinstall build) cannot install from manifests alone.
  if (copyHit && options.installReadsSource) copyHit = finding('copy-before-install', 'pass', `The source is copied before the install (line ${copyHit.line}): the project's own install scripts read it.`, null, copyHit.line);
  out.push(copyHit ?? finding('copy-before-install', 'pass', 'Dependencies are installed before the sources are copied.', null, null));

  // no-expose / port-mismatch.
  const exposes = finalChain.filter((i) => i.keyword === 'EXPOSE');
  const ports = exposes.flatMap((i) => i.args.split(/\s+/).map((p) => Number.parseInt(p, 10)).filter((n) => Number.isInteger(n)));
  if (!exposes.length) {
    out.push(finding('no-expose', 'warn', 'The runtime stage has no EXPOSE: the listening port is undocumented.', `Add EXPOSE ${options.port ?? '<port>'} to the final stage.`, final.line));
  } else {
    out.push(finding('no-expose', 'pass', `EXPOSE ${ports.join(' ')}.`, null, exposes[0]?.line ?? null));
  }
  if (options.port != null && exposes.length) {
    out.push(
      ports.includes(options.port)
        ? finding('port-mismatch', 'pass', `EXPOSE matches the service port ${options.port}.`, null, exposes[0]?.line ?? null)
        : finding('port-mismatch', 'fail', `EXPOSE ${ports.join(' ')} but the service listens on ${options.port}.`, `Change EXPOSE to ${options.port} (and make the service read PORT).`, exposes[0]?.line ?? null),
    );
  }

  // dev-in-runtime: an install in the final stage's filesystem without a production flag or a later prune.
  let production = false;
  let devInstall: Instruction | null = null;
  for (const ins of finalChain) {
    if (setsProductionEnv(ins)) production = true;
    if (ins.keyword !== 'RUN') continue;
    for (const c of runCommands(ins)) {
      if (PRUNE.test(c)) devInstall = null;
      else if (INSTALL.test(c) && !PROD_ONLY.test(c) && !production) devInstall = ins;
      else if (INSTALL.test(c) && PROD_ONLY.test(c)) devInstall = null;
    }
  }
  out.push(
    devInstall
      ? finding('dev-in-runtime', 'warn', `The runtime image installs devDependencies (line ${devInstall.line}) and never prunes them.`, 'Install everything in a build stage, then prune (npm prune --omit=dev, pnpm prune --prod) or install with --omit=dev in the final stage.', devInstall.line)
      : finding('dev-in-runtime', 'pass', 'The runtime image carries production dependencies only.', null, null),
  );

  // no-cmd / shell-form-cmd / npm-start-as-cmd: what the container runs.
  const cmds = finalChain.filter((i) => i.keyword === 'CMD');
  const eps = finalChain.filter((i) => i.keyword === 'ENTRYPOINT');
  const cmd = cmds[cmds.length - 1];
  const ep = eps[eps.length - 1];
  if (!cmd && !ep) {
    out.push(
      RUNTIME_BASES.test(base) || base === ''
        ? finding('no-cmd', 'fail', `No CMD or ENTRYPOINT: ${base || 'the image'} would start an interactive runtime, not the service.`, 'Add an exec-form CMD, e.g. CMD ["node", "dist/server.js"].', final.line)
        : finding('no-cmd', 'pass', `The service command is inherited from ${base}.`, null, final.line),
    );
    out.push(finding('shell-form-cmd', 'pass', 'No shell-form command.', null, null));
    out.push(finding('npm-start-as-cmd', 'pass', 'The command is not a package-manager script.', null, null));
  } else {
    out.push(finding('no-cmd', 'pass', 'The runtime stage declares its command.', null, (cmd ?? ep)?.line ?? null));
    const shell = [ep, cmd].find((i) => i && !i.json);
    out.push(
      shell
        ? finding('shell-form-cmd', 'warn', `${shell.keyword} ${shell.args} is in shell form: /bin/sh becomes PID 1 and SIGTERM never reaches the service.`, `Use exec form: ${shell.keyword} ${JSON.stringify(shell.args.split(/\s+/))}.`, shell.line)
        : finding('shell-form-cmd', 'pass', 'Exec-form command: the service receives SIGTERM.', null, (cmd ?? ep)?.line ?? null),
    );
    const epWords = ep ? commandWords(ep) : [];
    const words = ep && !INIT_WRAPPERS.test(epWords[0] ?? '') ? epWords : [...epWords.filter((w) => !INIT_WRAPPERS.test(w) && w !== '--'), ...(cmd ? commandWords(cmd) : [])];
    const head = (words[0] ?? '').split('/').pop() ?? '';
    const bunScript = head === 'bun' && words[1] === 'run' && !/[./]/.test(words[2] ?? '');
    const wrapper = bunScript || (/^(npm|pnpm|yarn|npx)$/.test(head) && (head === 'npx' || /^(start|run|run-script)$/.test(words[1] ?? '') || (head === 'yarn' && words[1] !== undefined)));
    out.push(
      wrapper
        ? finding('npm-start-as-cmd', 'warn', `The container runs "${words.join(' ')}": ${head} starts the service as a child and does not forward SIGTERM, so shutdowns are killed after the grace period.`, 'Run the entrypoint directly, e.g. CMD ["node", "dist/server.js"].', (cmd ?? ep)?.line ?? null)
        : finding('npm-start-as-cmd', 'pass', 'The service process is started directly.', null, null),
    );
  }

  // copy-source-missing: a COPY from the context of a path git does not have (an ignored build output such as Nx's
  // `COPY dist/api api`): a clean checkout fails with "not found"; a local one ships whatever was built there.
  if (options.contextFiles) {
    const files = options.contextFiles;
    const missing = contextCopySources(df).filter(({ src }) => !files.some((f) => f === src || f.startsWith(src + '/')));
    out.push(
      missing.length
        ? finding(
            'copy-source-missing',
            'warn',
            `COPY ${missing.map((m) => `${m.src} (line ${m.line})`).join(', ')}: not in the repository (git ignores or lacks it), so a clean checkout fails with "not found" and a local one ships whatever was built there.`,
            'Build it inside the image (a build stage that runs the build, then COPY --from=build), or commit it.',
            missing[0]!.line,
          )
        : finding('copy-source-missing', 'pass', 'Everything COPY takes from the context is in the repository.', null, null),
    );
  }

  if (options.dockerignore !== undefined) {
    if (options.dockerignore === null) {
      out.push(finding('no-dockerignore', 'warn', 'No .dockerignore: node_modules, .git and .env files are sent to the builder and may end up in the image.', 'Add a .dockerignore excluding node_modules, .git, .env* (keep .env.example) and build output.', null));
    } else {
      const entries = options.dockerignore.split('\n').map((l) => l.trim().replace(/^\//, '').replace(/\/$/, ''));
      const missing = ['node_modules', '.git'].filter((p) => !entries.some((e) => e === p || e === `**/${p}`));
      if (!entries.some((e) => /^(\*\*\/)?\.env(\*|$)/.test(e))) missing.push('.env*');
      out.push(
        missing.length
          ? finding('no-dockerignore', 'warn', `.dockerignore does not exclude ${missing.join(', ')}.`, `Add ${missing.join(', ')} to .dockerignore.`, null)
          : finding('no-dockerignore', 'pass', '.dockerignore excludes node_modules, .git and .env files.', null, null),
      );
    }
  }
  return out;
}

/** Findings that should stop or warn (not pass, not info). */
export function lintProblems(findings: LintFinding[]): LintFinding[] {
  return findings.filter((f) => f.status === 'warn' || f.status === 'fail');
}
