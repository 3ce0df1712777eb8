import semver from 'semver';
import { evidence, lineMatching, type Evidence } from '../evidence.js';
import type { Finding } from '../state/analysis-schema.js';
import { parseDockerfile } from '../image/dockerfile-parse.js';
import type { AnalysisContext } from './context.js';

type Source = 'config' | 'engines' | '.nvmrc' | '.node-version' | '.tool-versions' | 'mise.toml' | 'volta' | 'dockerfile' | 'default';
interface VersionSource {
  source: Source;
  value: string;
  file: string | null;
  line: number | null;
}

/** LTS majors we build images for, newest first. Ranges resolve to the newest LTS they allow. */
export const LTS_MAJORS = [24, 22, 20, 18] as const;
export const DEFAULT_NODE_MAJOR = '22';
const LTS_CODENAMES: Record<string, number> = { krypton: 24, jod: 22, iron: 20, hydrogen: 18, gallium: 16, fermium: 14 };

/**
 * Precedence, first wins (documented in README): `.sealos/config.json` node_version, `.nvmrc`,
 * `.node-version`, `.tool-versions`, `mise.toml`, Volta's pin in package.json (`"volta": {"node": "20.1.0"}`, the unit's
 * then the workspace root's), the project's Dockerfile (`FROM node:22-alpine`, when engines
 * allows it), `engines.node` (a unit's, then its workspace root's), then the default. Version files and the
 * Dockerfile beat engines because they pin what developers and production actually run, while engines is usually a floor.
 */
const FILE_SOURCES: Array<{ file: string; source: Source; read: (text: string) => { value: string; line: number } | null }> = [
  { file: '.nvmrc', source: '.nvmrc', read: firstLine },
  { file: '.node-version', source: '.node-version', read: firstLine },
  {
    file: '.tool-versions',
    source: '.tool-versions',
    read: (text) => {
      const lines = text.split('\n');
      const i = lines.findIndex((l) => /^\s*(nodejs|node)\s+\S+/.test(l));
      const m = i >= 0 ? /^\s*(?:nodejs|node)\s+(\S+)/.exec(lines[i] ?? '') : null;
      return m?.[1] ? { value: m[1], line: i + 1 } : null;
    },
  },
  {
    file: 'mise.toml',
    source: 'mise.toml',
    read: (text) => {
      const lines = text.split('\n');
      const i = lines.findIndex((l) => /^\s*node\s*=/.test(l));
      const m = i >= 0 ? /^\s*node\s*=\s*(?:\{\s*version\s*=\s*)?["']([^"']+)["']/.exec(lines[i] ?? '') : null;
      return m?.[1] ? { value: m[1], line: i + 1 } : null;
    },
  },
];

function firstLine(text: string): { value: string; line: number } | null {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim() && !l.trim().startsWith('#'));
  return i >= 0 ? { value: (lines[i] ?? '').trim(), line: i + 1 } : null;
}

/** Resolve a requirement (range, version, alias) to a concrete major, or null when it cannot be understood. */
export function resolveNodeMajor(requested: string): string | null {
  const v = requested.trim().toLowerCase().replace(/^v(?=\d)/, '');
  if (v === 'lts/*' || v === 'lts' || v === 'node' || v === 'latest' || v === 'stable') return String(LTS_MAJORS[0]);
  const alias = /^lts\/(\w+)$/.exec(v);
  if (alias) {
    const major = LTS_CODENAMES[alias[1] ?? ''];
    return major ? String(major) : null;
  }
  if (!semver.validRange(v)) return null;
  for (const major of LTS_MAJORS) if (semver.intersects(v, `>=${major}.0.0 <${major + 1}.0.0`)) return String(major);
  // Only odd/unsupported majors allowed (e.g. "21.x"): use the newest one the range allows.
  for (let major = 30; major >= 10; major--) if (semver.intersects(v, `>=${major}.0.0 <${major + 1}.0.0`)) return String(major);
  return null;
}

/** The Node major of the project's own Dockerfile (the unit's, else the root's): its last `FROM node:<major>…` stage. */
function dockerfileNode(ctx: AnalysisContext): VersionSource | null {
  const file = dirsOf(ctx).map((d) => d + 'Dockerfile').find((p) => ctx.repo.files.includes(p));
  const text = file ? ctx.repo.read(file) : null;
  if (!file || !text) return null;
  const stage = parseDockerfile(text).stages.filter((st) => /^(?:docker\.io\/)?(?:library\/)?node:\d+/.test(st.resolvedImage ?? '')).at(-1);
  const major = stage ? /node:(\d+)/.exec(stage.resolvedImage!)![1]! : null;
  // An image pinned to a Node long out of support (excalidraw-room's node:12, Ackee's 14) is one nobody updated, and no
  // bookworm image of it exists: the version the project declares elsewhere stands.
  return major && Number(major) >= Math.min(...LTS_MAJORS) ? { source: 'dockerfile', value: major, file, line: stage!.line } : null;
}

/** The workspace root's engines.node, from the manifest the context already read. */
function rootEnginesNode(ctx: AnalysisContext): VersionSource | null {
  const node = ctx.rootPkg?.engines?.node;
  return typeof node === 'string' ? { source: 'engines', value: node, file: 'package.json', line: lineMatching(ctx.repo.read('package.json') ?? '', /"node"\s*:/) } : null;
}

/** Volta's pin (`"volta": { "node": "20.1.0" }`): the unit's manifest, else the workspace root's (a unit may `extends` it). */
function voltaNode(ctx: AnalysisContext): VersionSource | null {
  for (const [pkg, file] of [[ctx.pkg, ctx.pkgFile], ...(ctx.unit ? [[ctx.rootPkg, 'package.json'] as const] : [])] as const) {
    const node = (pkg as { volta?: { node?: unknown } } | null | undefined)?.volta?.node;
    if (typeof node === 'string' && file) return { source: 'volta', value: node, file, line: lineMatching(ctx.repo.read(file) ?? '', /"volta"\s*:/) };
  }
  return null;
}

/** Whether engines.node allows a major (an absent or unreadable range allows any). */
function enginesAllow(engines: unknown, major: string): boolean {
  return typeof engines !== 'string' || !semver.validRange(engines) || semver.intersects(engines, `>=${major}.0.0 <${Number(major) + 1}.0.0`);
}

function dirsOf(ctx: AnalysisContext): string[] {
  return ctx.unit ? [`${ctx.unit}/`, ''] : [''];
}

export function detectNodeVersion(ctx: AnalysisContext): {
  facts: { version: string; requested: string | null; source: Source; sources: VersionSource[]; evidence: Evidence[] };
  findings: Finding[];
} {
  const sources: VersionSource[] = [];
  if (ctx.config?.node_version) sources.push({ source: 'config', value: ctx.config.node_version, file: ctx.config.path, line: 1 });
  for (const { file, source, read } of FILE_SOURCES) {
    const path = dirsOf(ctx).map((d) => d + file).find((p) => ctx.repo.files.includes(p));
    if (!path) continue;
    const got = read(ctx.repo.read(path) ?? '');
    if (got) sources.push({ source, value: got.value, file: path, line: got.line });
  }
  const engines = ctx.pkg?.engines?.node;
  // A Volta pin engines rules out is one nobody updated (postiz: volta 20.17.0, engines >=22.12.0 <23): engines stands.
  const volta = voltaNode(ctx);
  const voltaMajor = volta ? resolveNodeMajor(volta.value) : null;
  if (volta && voltaMajor && enginesAllow(typeof engines === 'string' ? engines : ctx.unit ? ctx.rootPkg?.engines?.node : undefined, voltaMajor)) sources.push(volta);
  const fromDockerfile = dockerfileNode(ctx);
  if (fromDockerfile && enginesAllow(engines, fromDockerfile.value)) sources.push(fromDockerfile);
  if (typeof engines === 'string' && ctx.pkgFile) {
    sources.push({ source: 'engines', value: engines, file: ctx.pkgFile, line: lineMatching(ctx.repo.read(ctx.pkgFile) ?? '', /"node"\s*:/) });
  }
  // A workspace unit runs on what the whole workspace declares when it declares nothing itself (joplin's root ">=18").
  const rootEngines = ctx.unit && typeof engines !== 'string' ? rootEnginesNode(ctx) : null;
  if (rootEngines) sources.push(rootEngines);

  const findings: Finding[] = [];
  for (const s of sources) {
    const major = resolveNodeMajor(s.value);
    if (major) {
      const ev = [evidence(s.file ?? 'package.json', s.line ?? 1, `node-version-${s.source}`, s.value)];
      const others = sources.filter((o) => o !== s && o.source !== 'engines').map((o) => ({ o, m: resolveNodeMajor(o.value) }));
      const disagree = others.filter(({ m }) => m && m !== major);
      const enginesOk = enginesAllow(engines, major);
      findings.push(
        disagree.length || !enginesOk
          ? {
              id: 'node-version',
              section: 'build-and-image',
              status: 'warn',
              message: `Node ${major} from ${s.source} (${s.value}), but ${[...disagree.map(({ o }) => `${o.source} says ${o.value}`), ...(enginesOk ? [] : [`engines.node is ${engines}`])].join(', ')}.`,
              fix: 'Make .nvmrc/.node-version and engines.node agree on one major version.',
              evidence: ev,
            }
          : { id: 'node-version', section: 'build-and-image', status: 'pass', message: `Node ${major} from ${s.source} (${s.value}).`, fix: null, evidence: ev },
      );
      return { facts: { version: major, requested: s.value, source: s.source, sources, evidence: ev }, findings };
    }
  }
  const unreadable = sources[0];
  findings.push({
    id: 'node-version',
    section: 'build-and-image',
    status: 'warn',
    message: unreadable
      ? `Node version "${unreadable.value}" in ${unreadable.file} is not a version or range; using Node ${DEFAULT_NODE_MAJOR}.`
      : `No Node version declared; using Node ${DEFAULT_NODE_MAJOR}.`,
    fix: `Pin the runtime: add "engines": {"node": ">=${DEFAULT_NODE_MAJOR} <${Number(DEFAULT_NODE_MAJOR) + 1}"} to package.json or a .nvmrc.`,
    evidence: unreadable ? [evidence(unreadable.file ?? 'package.json', unreadable.line ?? 1, 'node-version-invalid', unreadable.value)] : [],
  });
  sources.push({ source: 'default', value: DEFAULT_NODE_MAJOR, file: null, line: null });
  return { facts: { version: DEFAULT_NODE_MAJOR, requested: null, source: 'default', sources, evidence: [] }, findings };
}
