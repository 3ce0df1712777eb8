import { maskCommandSecrets } from '../redact.js';
import { evidence, lineOf } from '../evidence.js';
import { ConfigOverridesSchema, type ConfigOverrides } from '../state/analysis-schema.js';
import type { AnalysisContext, PackageJson, RepoView } from './context.js';
import { nxManifest, nxProjectAt } from './nx.js';

function join(unit: string, rel: string): string {
  return unit ? `${unit}/${rel}` : rel;
}

/** Position of a JSON syntax error as a 1-based line, from V8's "at position N" / "(line N column M)" messages. */
function jsonErrorLine(text: string, message: string): number {
  const lineCol = /line (\d+)/.exec(message);
  if (lineCol) return Number(lineCol[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return 1;
  return lineOf(text, Number(pos[1]));
}

export function readJson(repo: RepoView, path: string, notes: AnalysisContext['notes'], id: string): unknown {
  const text = repo.read(path);
  if (text === null) return null;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = (err as Error).message;
    notes.push({
      id,
      message: `${path} is not valid JSON: ${message}`,
      fix: `Fix the JSON syntax in ${path} (run \`node -e "JSON.parse(require('fs').readFileSync('${path}','utf8'))"\` to see the error).`,
      evidence: [evidence(path, jsonErrorLine(text, message), 'json-parse')],
    });
    return null;
  }
}

// One lookup set per listing: a monorepo builds a context per package over the same 20k paths.
const fileSets = new WeakMap<readonly string[], Set<string>>();

/** Another package's manifest, read quietly: null when missing, malformed or not an object (its own analysis reports that). */
export function readManifest(repo: RepoView, path: string): PackageJson | null {
  const text = repo.read(path);
  if (!text) return null;
  try {
    const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as PackageJson) : null;
  } catch {
    return null;
  }
}

/** The listing as a set, built once per listing. */
export function fileSetOf(repo: RepoView): ReadonlySet<string> {
  let set = fileSets.get(repo.files);
  if (!set) fileSets.set(repo.files, (set = new Set(repo.files)));
  return set;
}

function listed(repo: RepoView, path: string): boolean {
  return fileSetOf(repo).has(path);
}

const sortedLists = new WeakMap<readonly string[], boolean>();

function isSorted(files: readonly string[]): boolean {
  let s = sortedLists.get(files);
  if (s === undefined) {
    s = true;
    for (let i = 1; i < files.length && s; i++) if (files[i - 1]! > files[i]!) s = false;
    sortedLists.set(files, s);
  }
  return s;
}

/** Paths starting with `prefix`; in a sorted listing (as RepoView promises) they are one run found by binary search. */
export function filesUnder(files: readonly string[], prefix: string): string[] {
  if (!isSorted(files)) return files.filter((f) => f.startsWith(prefix));
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < files.length && files[i]!.startsWith(prefix); i++) out.push(files[i]!);
  return out;
}

function loadConfig(repo: RepoView, unit: string, notes: AnalysisContext['notes']): ConfigOverrides | null {
  // A unit-level config wins over a repo-level one: monorepo units can be configured separately.
  for (const path of [join(unit, '.sealos/config.json'), '.sealos/config.json']) {
    if (!listed(repo, path)) continue;
    const raw = readJson(repo, path, notes, 'config-json');
    if (raw === null) return null;
    const parsed = ConfigOverridesSchema.omit({ path: true }).passthrough().safeParse(raw);
    if (!parsed.success) {
      notes.push({
        id: 'config-json',
        message: `${path} has invalid values: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        fix: `Correct ${path}: port is a number 1-65535, start_command/build_command/node_version are strings, env_overrides maps names to strings, optional_env lists names.`,
        evidence: [evidence(path, 1, 'config-schema')],
      });
      return null;
    }
    const { port, start_command, build_command, node_version, base_image, health_path, env_overrides, optional_env } = parsed.data;
    const config: ConfigOverrides = { path };
    if (port !== undefined) config.port = port;
    // Committed like package.json: a secret written into a command is reported and masked the same way.
    const scripts = maskScripts({ ...(start_command !== undefined ? { start_command } : {}), ...(build_command !== undefined ? { build_command } : {}) }, path, notes);
    if (start_command !== undefined) config.start_command = scripts.start_command;
    if (build_command !== undefined) config.build_command = scripts.build_command;
    if (node_version !== undefined) config.node_version = node_version;
    if (base_image !== undefined) config.base_image = base_image;
    if (health_path !== undefined) config.health_path = health_path;
    if (env_overrides !== undefined) config.env_overrides = env_overrides;
    if (optional_env !== undefined) config.optional_env = optional_env;
    return config;
  }
  return null;
}

export function depGroups(pkg: PackageJson | null): Array<Record<string, string>> {
  if (!pkg) return [];
  return [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies, pkg.peerDependencies].filter(
    (g): g is Record<string, string> => Boolean(g) && typeof g === 'object',
  );
}

/** A package.json that parsed but has wrong shapes (scripts not an object...) is normalised, with a note. */
function sanitize(raw: unknown, path: string, notes: AnalysisContext['notes']): PackageJson | null {
  if (raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    notes.push({
      id: 'package-json',
      message: `${path} must contain a JSON object.`,
      fix: `Make ${path} an object with "name", "scripts" and "dependencies".`,
      evidence: [evidence(path, 1, 'package-json-shape')],
    });
    return null;
  }
  const pkg = { ...(raw as PackageJson) };
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'engines'] as const) {
    const v = pkg[key];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      notes.push({
        id: 'package-json',
        message: `${path}: "${key}" should be an object; it was ignored.`,
        fix: `Make "${key}" in ${path} an object of name → string.`,
        evidence: [evidence(path, 1, 'package-json-shape')],
      });
      delete pkg[key];
    } else if (v) {
      pkg[key] = Object.fromEntries(Object.entries(v).filter(([, s]) => typeof s === 'string')) as never;
    }
  }
  if (pkg.scripts) pkg.scripts = maskScripts(pkg.scripts, path, notes);
  return pkg;
}

/**
 * Scripts with a secret written into them (`"start": "STRIPE_SECRET_KEY=sk_live_… node s.js"`): the secret is
 * committed, and a start script would carry it into the image. Analysis goes on with it masked, so it never
 * reaches analysis.json, a finding or the terminal.
 */
const TEST_SCRIPT = /^(test|e2e|spec)([:-].*)?$|[:-](test|e2e|spec)$/;

function maskScripts(scripts: Record<string, string>, path: string, notes: AnalysisContext['notes']): Record<string, string> {
  const out: Record<string, string> = {};
  const leaks: string[] = [];
  for (const [name, cmd] of Object.entries(scripts)) {
    const m = maskCommandSecrets(cmd);
    out[name] = m.text;
    // A test script's stand-in values (`RESEND_API_KEY=test-key … test`) are no committed secret, though masked too.
    if (m.masked.length && !(m.placeholdersOnly && TEST_SCRIPT.test(name))) leaks.push(`"${name}" (${m.masked.join(', ')})`);
  }
  if (leaks.length)
    notes.push({
      id: 'secret-in-scripts',
      section: 'security',
      message: `${path} writes a secret into ${leaks.length === 1 ? 'a command' : 'commands'}: ${leaks.join('; ')}. It is committed to the repository, and a start command would carry it into the image.`,
      fix: `Remove it from ${path}, rotate it (it is in the git history), and read it from the environment: the deploy asks for it as a Secret.`,
      evidence: [evidence(path, 1, 'scripts-secret')],
    });
  return out;
}

export function buildContext(repo: RepoView, unit: string, rootPkg: PackageJson | null): AnalysisContext {
  const notes: AnalysisContext['notes'] = [];
  const pkgFile = join(unit, 'package.json');
  const hasPkg = listed(repo, pkgFile);
  const nx = !hasPkg && unit && rootPkg ? nxProjectAt(repo, unit) : null;
  const pkg = hasPkg ? sanitize(readJson(repo, pkgFile, notes, 'package-json'), pkgFile, notes) : nx && rootPkg ? nxManifest(nx, rootPkg) : null;
  const prefix = unit ? unit + '/' : '';
  const unitFiles = unit ? filesUnder(repo.files, prefix) : repo.files;
  const own = depGroups(pkg);
  const groups = [...own, ...(unit ? depGroups(rootPkg) : [])];
  return {
    repo,
    unit,
    unitFiles,
    pkg,
    pkgFile: hasPkg ? pkgFile : nx ? 'package.json' : null,
    nx,
    nxRoot: nx && rootPkg ? { dir: '', name: typeof rootPkg.name === 'string' ? rootPkg.name : '', pkg: rootPkg } : null,
    rootPkg: unit ? rootPkg : null,
    config: loadConfig(repo, unit, notes),
    notes,
    unitPath: (rel) => join(unit, rel),
    hasDep: (name) => groups.some((g) => name in g),
    hasOwnDep: (name) => own.some((g) => name in g),
    depVersion: (name) => {
      for (const g of groups) if (name in g) return g[name] ?? null;
      return null;
    },
    isProdDep: (name) => Boolean(pkg?.dependencies && name in pkg.dependencies) || Boolean(pkg?.optionalDependencies && name in pkg.optionalDependencies),
  };
}
