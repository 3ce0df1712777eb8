import { lazySource } from '../parse.js';
import { envRead, tokenFileScan, type LightEnvRead, type LightRoute, type LightScan } from './light-scan.js';
import type { EnvRead, FileScan } from './scan.js';

/**
 * What the token tier concluded about one file, in a form that can be kept between analyses (JSON).
 * A file git vouches is unchanged since is not read again: its verdict comes from the cache.
 *   none   nothing in it can matter to any concern
 *   gate   not analyzed at all (too large, minified, nested too deep), with the reason
 *   ast    needs the parser (read and parsed every time: the AST is not cached)
 *   light  the token tier's facts: env reads, imports, plain routes, and text marks
 */
export type CachedScan =
  | { k: 'none' }
  | { k: 'gate'; why: string }
  | { k: 'ast' }
  /** Flat arrays (fewer objects to keep and parse): env is name, start, def, via, ...; routes is method, path, offset, ... */
  | { k: 'light'; env: CachedEnv; imp: string[]; routes: CachedRoutes; marks: TextMarks };
type CachedEnv = Array<string | number | null>;
type CachedRoutes = Array<string | number>;

/** Facts detectors find with a regex over the whole text: recorded with the scan so a cached file need not be read for them. */
export interface TextMarks {
  /** `provide: APP_GUARD`: a Nest guard on every route. */
  appGuard: boolean;
  /** Offset of a `'Access-Control-Allow-Origin': '*'` header object, or -1. */
  corsStar: number;
  /** `process.env[key]`: a helper of the service's own may read variables by name (own-env-helpers.ts). */
  dynamicEnv: boolean;
  /** `map[key]`: a setting may pick an entry of an object (setting-maps.ts). */
  indexed: boolean;
}

const CORS_STAR = /Access-Control-Allow-Origin['"]?\s*[:,]\s*['"]\*['"]/i;
const APP_GUARD = /provide:\s*APP_GUARD/;
const DYNAMIC_ENV = /process\.env\[\s*[A-Za-z_$][\w$]*\s*\]/;
// A superset test, cheap on every file (no backtracking over identifiers): `name[key`; setting-maps.ts checks the rest.
const INDEXED = /[\w$]\[\s*[A-Za-z_$]/;

export function textMarks(text: string): TextMarks {
  return { appGuard: APP_GUARD.test(text), corsStar: text.search(CORS_STAR), dynamicEnv: DYNAMIC_ENV.test(text), indexed: INDEXED.test(text) };
}

/** Each mark from the scan when recorded, else from its text (one regex, not both). */
export const appGuardIn = (s: { marks?: TextMarks; parsed: { text: string } }): boolean => (s.marks ? s.marks.appGuard : APP_GUARD.test(s.parsed.text));
export const corsStarIn = (s: { marks?: TextMarks; parsed: { text: string } }): number => (s.marks ? s.marks.corsStar : s.parsed.text.search(CORS_STAR));
export const dynamicEnvIn = (s: { marks?: TextMarks; parsed: { text: string } }): boolean => (s.marks ? s.marks.dynamicEnv : DYNAMIC_ENV.test(s.parsed.text));
export const indexedIn = (s: { marks?: TextMarks; parsed: { text: string } }): boolean => (s.marks ? s.marks.indexed : INDEXED.test(s.parsed.text));

export function toCached(l: LightScan, marks: TextMarks): CachedScan {
  // Plain loops: flatMap is several times slower in V8, and this runs for thousands of files.
  const env: CachedEnv = [];
  for (const r of l.envReads) env.push(r.name, r.start, r.def, r.via);
  const routes: CachedRoutes = [];
  for (const r of l.routes) routes.push(r.method, r.path, r.offset);
  return { k: 'light', env, imp: l.importSources, routes, marks };
}

/** The FileScan a cached token-tier verdict stands for; its text is read only if a detector asks. */
export function cachedFileScan(path: string, c: Extract<CachedScan, { k: 'light' }>, read: (path: string) => string | null): FileScan {
  const env: EnvRead[] = [];
  const e = c.env;
  for (let i = 0; i < e.length; i += 4) env.push(envRead(e[i] as string, e[i + 1] as number, e[i + 2] as string | null, e[i + 3] as LightEnvRead['via']));
  const routes: LightRoute[] = [];
  const r = c.routes;
  for (let i = 0; i < r.length; i += 3) routes.push({ method: r[i] as string, path: r[i + 1] as string, offset: r[i + 2] as number });
  return tokenFileScan(path, lazySource(path, () => read(path) ?? ''), env, c.imp, routes, c.marks);
}

const VIAS = new Set<unknown>(['process.env', 'import.meta.env', 'destructure', 'helper']);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= -1;

/** A token-tier verdict as read back from disk; anything malformed is none (the file is then scanned again). */
export function validLightScan(e: { env: unknown; imp: unknown; routes: unknown; marks: { appGuard: unknown; corsStar: unknown; dynamicEnv: unknown; indexed: unknown } }): CachedScan | undefined {
  const { env, imp, routes, marks } = e;
  if (!Array.isArray(env) || !Array.isArray(imp) || !Array.isArray(routes)) return undefined;
  if (typeof marks.appGuard !== 'boolean' || typeof marks.dynamicEnv !== 'boolean' || typeof marks.indexed !== 'boolean' || !isInt(marks.corsStar)) return undefined;
  if (env.length % 4 !== 0 || routes.length % 3 !== 0) return undefined;
  for (let i = 0; i < env.length; i += 4) if (!isStr(env[i]) || !isInt(env[i + 1]) || (env[i + 2] !== null && !isStr(env[i + 2])) || !VIAS.has(env[i + 3])) return undefined;
  for (const s of imp) if (!isStr(s)) return undefined;
  for (let i = 0; i < routes.length; i += 3) if (!isStr(routes[i]) || !isStr(routes[i + 1]) || !isInt(routes[i + 2])) return undefined;
  return { k: 'light', env, imp, routes, marks: marks as TextMarks } as CachedScan;
}
