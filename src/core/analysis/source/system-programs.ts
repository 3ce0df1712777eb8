import { TOOLING_DIR } from '../context.js';
import { evidence } from '../../evidence.js';
import type { Finding, SystemProgram } from '../../state/analysis-schema.js';
import { args, calleeName, child, children, stringValue, unwrap, type Node } from './ast.js';
import { literalOf } from './modules.js';
import { moduleOf, type FileScan } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/** Programs the Debian package that provides them (node:*-bookworm-slim and oven/bun:*-slim are Debian). */
const APT: Record<string, string> = {
  git: 'git',
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  convert: 'imagemagick',
  magick: 'imagemagick',
  identify: 'imagemagick',
  gm: 'graphicsmagick',
  gs: 'ghostscript',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  python: 'python3',
  python3: 'python3',
  curl: 'curl',
  wget: 'wget',
  unzip: 'unzip',
  zip: 'zip',
  rsync: 'rsync',
  ssh: 'openssh-client',
  openssl: 'openssl',
  pg_dump: 'postgresql-client',
  pg_restore: 'postgresql-client',
  psql: 'postgresql-client',
  mysqldump: 'default-mysql-client',
  mysql: 'default-mysql-client',
  sqlite3: 'sqlite3',
  tesseract: 'tesseract-ocr',
  '7z': 'p7zip-full',
  exiftool: 'libimage-exiftool-perl',
  ps: 'procps',
  lsof: 'lsof',
  dig: 'dnsutils',
  ping: 'iputils-ping',
  traceroute: 'traceroute',
};
/** What the slim images already have. */
const PRESENT = new Set(['sh', 'bash', 'node', 'npm', 'npx', 'corepack', 'bun', 'bunx', 'ls', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'echo', 'env', 'true', 'false', 'tar', 'gzip', 'gunzip', 'which', 'kill', 'sleep', 'test', 'chmod', 'chown', 'find', 'grep', 'sed', 'head', 'tail', 'date', 'uname', 'whoami', 'id', 'hostname', 'df', 'du', 'touch', 'ln', 'sort', 'wc', 'xargs', 'awk', 'tee', 'cd', 'pwd', 'dirname', 'basename', 'process.execPath',
  // Debian's essential packages (coreutils, util-linux, bsdutils, procps' kill) and what the node image ships (yarn 1).
  'timeout', 'nproc', 'stat', 'readlink', 'mktemp', 'cut', 'tr', 'uniq', 'nice', 'renice', 'ionice', 'choom', 'yarn', 'yarnpkg']);
/** Wrappers whose use means the program they drive. */
export const WRAPPERS: Record<string, string> = { 'fluent-ffmpeg': 'ffmpeg', 'simple-git': 'git', gm: 'gm', imagemagick: 'convert', 'node-poppler': 'pdftotext', 'pdf2pic': 'gm' };
/** Files the running service does not load: tests and their helpers, build configs, tooling. */
const NOT_RUNTIME = /(^|\/)(__tests__|tests?|e2e|integration|fixtures|mocks?|playwright|cypress|scripts)\/|(^|\/)([\w.-]+\.config|build)\.[cm]?[jt]s$|\.(test|spec)\.[cm]?[jt]sx?$|(harness|global-setup|test-?utils?)[\w.-]*\.[cm]?[jt]sx?$/i;
const WRAPPER_NAMES = Object.keys(WRAPPERS);
const SPAWNING_MODULES = ['child_process', 'node:child_process', 'execa'];
const SPAWNERS = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'execa', 'execaSync', 'execaCommand', 'execaCommandSync']);
/** git run on the repository's history, which the image does not have (.dockerignore leaves out .git). */
const GIT_REPOSITORY = 'git (repository)';
const SHELL_STRING = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync']);

/** The program a child-process call starts, when its command is written in the code, and whether a shell reads it. */
function programOf(run: SourceRun, s: FileScan, call: Node): { program: string; shell: boolean } | null {
  const callee = unwrap(child(call, 'callee'));
  const name = calleeName(call)?.split('.').pop() ?? '';
  if (!SPAWNERS.has(name)) return null;
  const origin = callee?.type === 'Identifier' ? moduleOf(s, callee) : callee?.type === 'MemberExpression' ? moduleOf(s, child(callee, 'object')) : null;
  if (!SPAWNING_MODULES.includes(origin ?? '')) return null;
  const first = unwrap(args(call)[0] ?? null);
  // A template's text before its first expression names the program too (`git log ${ref}`); a variable names none.
  const head = first?.type === 'TemplateLiteral' ? ((children(first, 'quasis')[0]?.value as { cooked?: string } | undefined)?.cooked ?? null) : null;
  // Or a constant holding it (SponsorBlockServer's `const gitCommand = "git rev-parse HEAD"`).
  const held = first?.type === 'Identifier' ? literalOf(run.ev.eval(first, s)) : null;
  const text = stringValue(first) ?? head ?? (typeof held === 'string' ? held : null);
  const word = text === null ? null : (text.trim().split(/\s+/)[0] ?? null);
  if (!word || !/^[\w.+-]+$/.test(word)) return null;
  // `git rev-parse HEAD`, `git describe`: read the repository, which the image leaves out (.dockerignore: .git).
  const program = word === 'git' && /^git\s+(rev-parse|describe|log|show|rev-list|branch|status)\b/.test(text!.trim()) ? GIT_REPOSITORY : word.replace(/^.*\//, '');
  return { program, shell: SHELL_STRING.has(name) };
}

/**
 * Programs the service runs that the image does not have (SponsorBlockServer's `execSync("git rev-parse HEAD")` at
 * start, chibisafe's thumbnails through fluent-ffmpeg): the generated image installs the Debian package of each it
 * knows; one it does not know is a warning to install it.
 */
export function systemPrograms(run: SourceRun): { programs: SystemProgram[]; findings: Finding[] } {
  const found = new Map<string, SystemProgram>();
  const prefix = run.ctx.unit ? run.ctx.unit + '/' : '';
  // The service's code, not its tooling, tests or build configs (NextChat's build config runs git at build time,
  // formbricks' test setup docker). Not only what the entrypoint imports: wiki.js, web-check and linkwarden's worker
  // load the modules that spawn by computed paths.
  for (const s of run.scans) {
    // Cheap first: most files import none of these.
    const wrappers = WRAPPER_NAMES.filter((w) => s.importSources.has(w));
    const spawns = SPAWNING_MODULES.some((m) => s.importSources.has(m));
    if (!wrappers.length && !spawns) continue;
    const rel = s.file.slice(prefix.length);
    if (NOT_RUNTIME.test(rel) || TOOLING_DIR.test(rel)) continue;
    for (const wrapper of wrappers) {
      const program = WRAPPERS[wrapper]!;
      if (!found.has(program)) found.set(program, { program, package: APT[program] ?? null, evidence: [evidence(s.file, 1, 'program-wrapper-import', wrapper)] });
    }
    if (!spawns) continue;
    const p = run.index.scan(s.file);
    if (!p) continue;
    for (const call of p.calls) {
      const spawned = programOf(run, p, call);
      if (!spawned) continue;
      const { program } = spawned;
      // pnpm comes with corepack where the project installs with it.
      if (PRESENT.has(program) || found.has(program) || (program === 'pnpm' && (run.ctx.hasDep('pnpm') || run.hints.runPrefix?.startsWith('pnpm')))) continue;
      // Only a shell command's first word is surely a program; spawn's first argument is one by definition.
      if (spawned.shell && !/^[a-z][\w.+-]*( \(repository\))?$/.test(program)) continue;
      found.set(program, { program, package: APT[program] ?? null, evidence: [nodeEvidence(p, call.start, 'spawns-program')] });
    }
  }
  const programs = [...found.values()].sort((a, b) => a.program.localeCompare(b.program));
  if (!programs.length) return { programs, findings: [] };
  const unknown = programs.filter((x) => x.package === null);
  const known = programs.filter((x) => x.package !== null);
  const readsRepository = unknown.some((x) => x.program === GIT_REPOSITORY);
  const msg = [
    known.length ? `The service runs ${known.map((x) => x.program).join(', ')}: the generated image installs ${[...new Set(known.map((x) => x.package))].join(', ')}.` : '',
    unknown.length ? `${known.length ? 'It also runs' : 'The service runs'} ${unknown.map((x) => x.program).join(', ')}, which the image does not have${readsRepository ? ' (git reading the repository: the image has no .git)' : ''} and sealos-deploy does not know how to provide.` : '',
  ].filter(Boolean).join(' ');
  return {
    programs,
    findings: [finding('system-programs', 'build-and-image', unknown.length ? 'warn' : 'pass', msg, unknown.length ? `Provide ${unknown.map((x) => x.program).join(', ')} in the image (a Dockerfile of your own${readsRepository ? '; a commit id as a build argument rather than git at run time' : ''}), or stop calling ${unknown.length > 1 ? 'them' : 'it'}.` : null, programs.flatMap((x) => x.evidence).slice(0, 5))],
  };
}
