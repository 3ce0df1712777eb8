import type { AnalysisContext } from '../context.js';
import { MAX_NESTING, nestingTooDeep, unparsedSource, walk } from '../parse.js';
import { cachedFileScan, textMarks, toCached, type CachedScan } from './cached-scan.js';
import { CONVICT_FACTORY, convictConfig, convictGet } from './convict.js';
import { envKeyHelper } from './env-key-helper.js';
import { helperDefault, helperShapeIn } from './helper-defaults.js';
import { loadNodeConfig, type NodeConfig } from './node-config.js';
import { lightFileScan, lightScan, mayMatter } from './light-scan.js';
import { packageEntries, type LocalPackage } from '../local-packages.js';
import { isSourceFile } from '../context.js';
import { escapeRegExp } from '../../escape-regexp.js';
import { args, child, children, identName, isFunction, memberPath, memberProp, objectKeys, objectProp, packageNameOf, propName, stringValue, unwrap, type Node } from './ast.js';
import { callsNamed, envMember, isProcessEnv, literalText, scanFile, uncoerce, type Binding, type FileScan } from './scan.js';
import { holdsByDefault, productionMode } from './default-branch.js';

/** Above this size, or with lines this long on average, a file is generated or minified: not the service's own code. */
const MAX_SOURCE_CHARS = 400_000;
const MINIFIED_AVG_LINE = 400;
const RESOLVE_EXTS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.mts', '.cts', '.jsx'];
const MAX_DEPTH = 12;

interface Alias {
  prefix: string;
  targets: string[];
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

export function joinPath(base: string, rel: string): string {
  const parts = base ? base.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

export { MAX_NESTING, nestingTooDeep } from '../parse.js';

/** JSON with comments and trailing commas (tsconfig.json), parsed leniently; null when unreadable. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inStr) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inStr = false;
    } else if (c === '"') {
      inStr = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i === -1) break;
      i++;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return null;
  }
}

/**
 * Per-analysis cache of parsed modules plus import resolution (relative, tsconfig `paths`,
 * `.js` specifiers that point at `.ts` sources). Each file is parsed at most once.
 */
export class SourceIndex {
  readonly skipped: Array<{ file: string; reason: string }> = [];
  private readonly cache = new Map<string, FileScan | null>();
  private readonly fileSet: Set<string>;
  private readonly aliases: Alias[];
  /** Aliases in force per directory: a nearer tsconfig.json's first (see aliasesOf). */
  private readonly dirAliases = new Map<string, Alias[]>();
  parsedCount = 0;

  private readonly packages: ReadonlyMap<string, LocalPackage>;

  constructor(
    readonly ctx: AnalysisContext,
    /** The unit's source files, repo-relative (the caller appends the shared code they import: `aliasedFiles`). */
    readonly files: readonly string[],
    /** Workspace packages the unit depends on: `import { db } from '@acme/db'` resolves into them. */
    packages: readonly LocalPackage[] = [],
  ) {
    this.fileSet = new Set(ctx.repo.files);
    this.aliases = this.loadAliases();
    this.packages = new Map(packages.map((p) => [p.name, p]));
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  text(path: string): string | null {
    if (!this.fileSet.has(path)) return null;
    return this.ctx.repo.read(path);
  }

  /** Why a file is not analyzed at all (too large, minified, nested too deep), or null. */
  private gate(text: string): string | null {
    if (text.length > MAX_SOURCE_CHARS) return `source larger than ${MAX_SOURCE_CHARS} characters (generated?)`;
    if (text.length > 4000) {
      let lines = 1;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
      if (text.length / lines > MINIFIED_AVG_LINE) return 'minified (very long lines)';
    }
    if (nestingTooDeep(text)) return `brackets nested deeper than ${MAX_NESTING} levels`;
    return null;
  }

  /** The scanned module, or null when unreadable, minified or unparsable (recorded in `skipped`). */
  scan(path: string): FileScan | null {
    if (this.cache.has(path)) return this.cache.get(path) ?? null;
    let result: FileScan | null = null;
    const text = this.text(path);
    if (text !== null) {
      const reason = this.gate(text);
      if (reason) this.skipped.push({ file: path, reason });
      else result = this.parse(path, text);
    }
    this.cache.set(path, result);
    return result;
  }

  private parse(path: string, text: string): FileScan | null {
    try {
      const s = scanFile(path, text);
      this.parsedCount++;
      if (s.parsed.errors.length > 0 && children(s.parsed.program, 'body').length === 0) {
        this.skipped.push({ file: path, reason: `syntax error: ${(s.parsed.errors[0] ?? '').slice(0, 120)}` });
        return null;
      }
      return s;
    } catch (err) {
      this.skipped.push({ file: path, reason: `could not analyze: ${err instanceof Error ? err.message.slice(0, 120) : String(err)}` });
      return null;
    }
  }

  /**
   * The fast tier: a token-level scan when it captures everything the file contributes, else the
   * parsed module (`scan`). Token-level scans are not cached here: each file is asked for once. Their
   * verdicts go to the repository's scan cache, so a file git vouches is unchanged is not read next time.
   */
  tiered(path: string): FileScan | null {
    if (this.cache.has(path)) return this.cache.get(path) ?? null;
    const store = this.ctx.repo.scanCache;
    const known = store?.get(path);
    if (known) return this.fromStore(path, known);
    const text = this.text(path);
    if (text === null) return this.scan(path);
    const reason = this.gate(text);
    if (reason) {
      store?.put(path, { k: 'gate', why: reason });
      this.skipped.push({ file: path, reason });
      this.cache.set(path, null);
      return null;
    }
    // Nothing in it can matter to any concern: no scan at all (the parser would find nothing either).
    if (!mayMatter(text)) {
      store?.put(path, { k: 'none' });
      return null;
    }
    const light = lightScan(path, text);
    if (light.needsAst) {
      store?.put(path, { k: 'ast' });
      const result = this.parse(path, text);
      this.cache.set(path, result);
      return result;
    }
    if (!store) return lightFileScan(path, unparsedSource(path, text), light);
    const marks = textMarks(text);
    store.put(path, toCached(light, marks));
    return lightFileScan(path, unparsedSource(path, text), light, marks);
  }

  /** A cached verdict, replayed as the scan of the file would have ended. */
  private fromStore(path: string, c: CachedScan): FileScan | null {
    switch (c.k) {
      case 'none':
        return null;
      case 'gate':
        this.skipped.push({ file: path, reason: c.why });
        this.cache.set(path, null);
        return null;
      case 'ast':
        return this.scan(path);
      case 'light':
        return cachedFileScan(path, c, (p) => this.text(p));
    }
  }

  /**
   * `paths` of a tsconfig, through its `extends` chain (an Nx or turbo repository keeps them in the root's
   * tsconfig.base.json): the nearest config that declares them wins, relative to its `baseUrl` or its own directory.
   */
  private tsconfigPaths(start: string): { base: string; paths: Record<string, unknown> } | null {
    type Tsconfig = { extends?: unknown; compilerOptions?: { baseUrl?: string; paths?: Record<string, unknown> } };
    let file = start;
    let baseUrl: string | null = null;
    for (let depth = 0; depth < 6 && this.fileSet.has(file); depth++) {
      const json = parseJsonc(this.ctx.repo.read(file) ?? '') as Tsconfig | null;
      const co = json?.compilerOptions;
      const dir = dirname(file);
      if (typeof co?.baseUrl === 'string') baseUrl ??= joinPath(dir, co.baseUrl);
      if (co?.paths && typeof co.paths === 'object') return { base: baseUrl ?? dir, paths: co.paths };
      // Only relative `extends` (a package's shared config, `@tsconfig/node20`, holds no paths of this repository).
      const ext = Array.isArray(json?.extends) ? json.extends[0] : json?.extends;
      if (typeof ext !== 'string' || !ext.startsWith('.')) break;
      file = joinPath(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
    }
    return null;
  }

  private pathAliases(tsconfig: string, fallbackBase: string): Alias[] {
    const found = this.tsconfigPaths(tsconfig);
    const base = found?.base ?? fallbackBase;
    const out: Alias[] = [];
    for (const [key, targets] of Object.entries(found?.paths ?? {})) {
      if (!Array.isArray(targets)) continue;
      out.push({
        prefix: key.replace(/\*$/, ''),
        targets: targets.filter((t) => typeof t === 'string').map((t) => joinPath(base, t.replace(/\*$/, ''))),
      });
    }
    return out;
  }

  private loadAliases(): Alias[] {
    // An Nx repository analyzed at its root has no tsconfig.json there, only the tsconfig.base.json its projects extend.
    const own = this.ctx.unitPath('tsconfig.json');
    const out = this.pathAliases(this.fileSet.has(own) ? own : this.ctx.unitPath('tsconfig.base.json'), this.ctx.unit);
    // Common conventions when no tsconfig says otherwise (Nuxt/Vite/Next templates).
    if (!out.some((a) => a.prefix === '@/')) out.push({ prefix: '@/', targets: [joinPath(this.ctx.unit, 'src'), this.ctx.unit] });
    if (!out.some((a) => a.prefix === '~/')) out.push({ prefix: '~/', targets: [joinPath(this.ctx.unit, 'src'), joinPath(this.ctx.unit, 'app'), this.ctx.unit] });
    return out;
  }

  /**
   * The aliases a file's imports go through: those of the nearest tsconfig.json above it, as TypeScript compiles it
   * (an Nx app's `apps/api/tsconfig.json` when the unit is the whole repository, a shared library's own), then the
   * unit's.
   */
  private aliasesOf(from: string): Alias[] {
    const dir = dirname(from);
    let out = this.dirAliases.get(dir);
    if (out) return out;
    out = this.aliases;
    for (let d = dir; d !== this.ctx.unit; d = dirname(d)) {
      const tsconfig = joinPath(d, 'tsconfig.json');
      if (this.fileSet.has(tsconfig)) {
        out = [...this.pathAliases(tsconfig, d), ...this.aliases];
        break;
      }
      if (d === '') break;
    }
    this.dirAliases.set(dir, out);
    return out;
  }

  private tryFile(p: string): string | null {
    if (this.fileSet.has(p) && RESOLVE_EXTS.some((e) => p.endsWith(e))) return p;
    const m = /\.(m|c)?jsx?$/.exec(p);
    if (m) {
      const stem = p.slice(0, -m[0].length);
      for (const e of m[1] ? [`.${m[1]}ts`] : ['.ts', '.tsx']) if (this.fileSet.has(stem + e)) return stem + e;
    }
    for (const e of RESOLVE_EXTS) if (this.fileSet.has(p + e)) return p + e;
    for (const e of RESOLVE_EXTS) if (this.fileSet.has(`${p}/index${e}`)) return `${p}/index${e}`;
    return null;
  }

  /**
   * Source files outside the unit that its code imports through tsconfig aliases (`@acme/db/client` →
   * `libs/db/src/client.ts`), and what those import in turn: the shared libraries of an Nx or turbo repository the
   * service runs. Read only when an alias points outside the unit.
   */
  aliasedFiles(files: readonly string[]): string[] {
    if (!this.ctx.unit) return [];
    const unitPrefix = this.ctx.unit + '/';
    const prefixes = this.aliases.filter((a) => a.prefix.length > 1 && a.targets.some((t) => t !== this.ctx.unit && !t.startsWith(unitPrefix))).map((a) => a.prefix);
    if (prefixes.length === 0) return [];
    const aliased = new RegExp(`['"\`]((?:${prefixes.map(escapeRegExp).join('|')})[^'"\`\\s]*)['"\`]`, 'g');
    const relative = /['"`](\.\.?\/[^'"`\s]*)['"`]/g;
    const seen = new Set(files);
    const out: string[] = [];
    const queue = [...files];
    while (queue.length > 0 && out.length < 10_000) {
      const f = queue.pop()!;
      const text = this.ctx.repo.read(f);
      if (!text) continue;
      const inside = f.startsWith(unitPrefix);
      for (const re of inside ? [aliased] : [aliased, relative])
        for (const m of text.matchAll(re)) {
          const target = this.resolve(f, m[1]!);
          if (!target || seen.has(target) || target.startsWith(unitPrefix) || !isSourceFile(target)) continue;
          seen.add(target);
          out.push(target);
          queue.push(target);
        }
    }
    return out.sort();
  }

  /** Whether a specifier goes through a tsconfig `paths` alias (`@/lib/db`) rather than a path or a package. */
  isAliased(from: string, spec: string): boolean {
    if (spec.startsWith('.') || !this.aliasesOf(from).some((a) => spec.startsWith(a.prefix))) return false;
    return !this.packages.has(packageNameOf(spec)) && this.resolve(from, spec) !== null;
  }

  /** Repo-relative file an import specifier refers to; null for packages and unresolvable paths. */
  resolve(from: string, spec: string): string | null {
    if (spec.startsWith('.')) return this.tryFile(joinPath(dirname(from), spec));
    for (const a of this.aliasesOf(from)) {
      if (!spec.startsWith(a.prefix)) continue;
      for (const t of a.targets) {
        const hit = this.tryFile(joinPath(t, spec.slice(a.prefix.length)));
        if (hit) return hit;
      }
    }
    return this.packages.size ? this.resolvePackage(spec) : null;
  }

  /** `@acme/db` or `@acme/db/client` in a workspace package: the source behind its entry (`dist/index.js` → `src/index.ts`). */
  private resolvePackage(spec: string): string | null {
    const name = packageNameOf(spec);
    const p = this.packages.get(name);
    if (!p) return null;
    const sub = spec.slice(name.length).replace(/^\//, '');
    const targets = [...packageEntries(p.pkg, sub ? `./${sub}` : '.'), ...(sub ? [sub, `src/${sub}`] : ['src/index', 'index'])];
    for (const t of targets) {
      const rel = t.replace(/^\.\//, '');
      const hit = this.tryFile(joinPath(p.dir, rel)) ?? this.tryFile(joinPath(p.dir, rel.replace(/^(dist|build|out|lib)\//, 'src/').replace(/\.d\.[cm]?ts$/, '')));
      if (hit) return hit;
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Static evaluation: follow constants, imports, config objects and env fallbacks.

export type Val =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  /** Reads an env var; `fallback` is the literal used when it is unset. */
  | { k: 'env'; name: string; fallback: Val | null }
  /** `process.env` itself or a validated copy of it (`cleanEnv(process.env, ...)`, `schema.parse(process.env)`). */
  | { k: 'envobj'; schema: Node | null; mod: FileScan }
  | { k: 'obj'; node: Node; mod: FileScan }
  | { k: 'fn'; node: Node; mod: FileScan }
  | { k: 'unknown'; fallback: Val | null };

const UNKNOWN: Val = { k: 'unknown', fallback: null };
/** Methods of env-var's chain that keep the variable and its default: `required()`, `asPortNumber()`, ... */
const ENV_CHAIN = /^(required|example|description|as[A-Z]\w*)$/;

export interface Located {
  val: Val;
  /** Where the deciding expression lives (for evidence). */
  file: string;
  offset: number;
}

/** What a name stands for when it is a plain constant of this file (`const client = env('DB')` for `client`); else the node itself. */
export function constInit(mod: FileScan, n: Node | null): Node | null {
  const u = unwrap(n);
  if (u?.type !== 'Identifier') return n;
  const b = findBinding(mod, u.name as string, u.start);
  return b && !b.key && !b.fn ? b.init : null;
}

/** Nearest declaration of `name` before `offset` in the file, else the first one. */
export function findBinding(mod: FileScan, name: string, offset: number): Binding | null {
  const list = mod.bindings.get(name);
  if (!list || list.length === 0) return null;
  let best: Binding | null = null;
  for (const b of list) if (b.start <= offset && (!best || b.start > best.start)) best = b;
  return best ?? list[0] ?? null;
}

function numOf(v: Val): Val {
  if (v.k === 'str' && /^\s*\d+\s*$/.test(v.v)) return { k: 'num', v: Number(v.v) };
  return v;
}

export function fnReturn(fn: Node): Node | null {
  const body = child(fn, 'body');
  if (!body) return null;
  if (body.type !== 'BlockStatement') return body;
  // Only a function with a single return anywhere (nested functions aside) has one value.
  const rets: Node[] = [];
  walk(body, (n) => {
    if (n.type === 'ReturnStatement') rets.push(n);
    return isFunction(n) ? false : undefined;
  });
  return rets.length === 1 ? child(rets[0]!, 'argument') : null;
}

/** The schema entry for `key` anywhere in a schema expression: `z.object({...})`, `Joi.object().keys({...}).unknown()`, a bound name. */
function findSchemaProp(n: Node | null, key: string, mod: FileScan, depth: number): Node | null {
  const u = unwrap(n);
  if (!u || depth > 8) return null;
  if (u.type === 'ObjectExpression') return objectProp(u, key);
  if (u.type === 'Identifier') {
    const b = findBinding(mod, u.name as string, u.start);
    return b?.init ? findSchemaProp(b.init, key, mod, depth + 1) : null;
  }
  if (u.type === 'CallExpression') {
    for (const a of args(u)) {
      const hit = findSchemaProp(a, key, mod, depth + 1);
      if (hit) return hit;
    }
    return findSchemaProp(child(u, 'callee'), key, mod, depth + 1);
  }
  if (u.type === 'MemberExpression') return findSchemaProp(child(u, 'object'), key, mod, depth + 1);
  return null;
}

/** The object literal of an env schema (keys are env names), found the same way as `findSchemaProp`. */
export function findSchemaObject(n: Node | null, mod: FileScan, depth = 0): Node | null {
  const u = unwrap(n);
  if (!u || depth > 8) return null;
  if (u.type === 'ObjectExpression') return objectKeys(u).some((k) => /^[A-Z][A-Z0-9_]*$/.test(k)) ? u : null;
  if (u.type === 'Identifier') {
    const b = findBinding(mod, u.name as string, u.start);
    return b?.init ? findSchemaObject(b.init, mod, depth + 1) : null;
  }
  if (u.type === 'CallExpression') {
    for (const a of args(u)) {
      const hit = findSchemaObject(a, mod, depth + 1);
      if (hit) return hit;
    }
    return findSchemaObject(child(u, 'callee'), mod, depth + 1);
  }
  if (u.type === 'MemberExpression') return findSchemaObject(child(u, 'object'), mod, depth + 1);
  return null;
}

/** What a validation schema says of one variable: its default, and whether the service starts without it. */
export interface SpecFacts {
  def: Val | null;
  optional: boolean;
}

const ENVALID_TYPES = new Set(['str', 'num', 'bool', 'port', 'url', 'email', 'host', 'json', 'makeValidator']);

/**
 * Reads a validator chain from the outside in: zod (`z.string().optional()`, `.nullish()`, `.default(x)`, `.prefault(x)`, `.catch(x)`; required
 * otherwise), Joi and yup (optional unless `.required()`), envalid (`str({ default })`; `devDefault` does not
 * apply in production, where the container runs).
 */
export function specFacts(spec: Node | null, ev: Evaluator, mod: FileScan): SpecFacts {
  let cur = spec;
  let def: Val | null = null;
  let optional = false;
  let required = false;
  let root: string | null = null;
  while (cur) {
    const u: Node | null = unwrap(cur);
    if (!u || u.type !== 'CallExpression') break;
    const callee = unwrap(child(u, 'callee'));
    const m = callee?.type === 'MemberExpression' ? memberProp(callee) : callee?.type === 'Identifier' ? (callee.name as string) : null;
    const a = args(u);
    // zod 4's `.prefault(x)` supplies the input before parsing (karakeep's `stringBool`): a default too.
    // `.catch(x)` gives x for any input that fails, an unset one included (lunary's `.catch(150)`).
    if (m === 'default' || m === 'prefault' || m === 'catch') def ??= numOf(ev.eval(a[0] ?? null, mod, 1));
    else if (m === 'optional' || m === 'nullish') optional = true;
    else if (m === 'required') required = true;
    // `z.preprocess(fn, z.string().optional())` (inbox-zero's LLM settings): the schema it hands the value on to decides.
    else if (m === 'preprocess' && a[1]) {
      const inner = specFacts(a[1], ev, mod);
      optional ||= inner.optional;
      def ??= inner.def;
    }
    // envalid's validators, and validators of the service's own (`makeValidator`: `trustProxy({ default: '' })`).
    // Also as members of the module (reaction's `envalid.bool({ default: false })`).
    const ns = callee?.type === 'MemberExpression' ? unwrap(child(callee, 'object')) : null;
    const fromEnvalid = ns?.type === 'Identifier' && mod.imports.get(ns.name as string)?.source === 'envalid' && ENVALID_TYPES.has(m ?? '');
    const opts = callee?.type === 'Identifier' || fromEnvalid ? (a.find((x) => unwrap(x)?.type === 'ObjectExpression') ?? null) : null;
    if (fromEnvalid || (callee?.type === 'Identifier' && m && (ENVALID_TYPES.has(m) || objectProp(opts, 'default')))) {
      root = 'envalid';
      const d = objectProp(opts, 'default');
      if (d) {
        optional = true;
        def ??= numOf(ev.eval(d, mod, 1));
      }
    }
    // A schema helper of the project's own (karakeep's `stringBool('false')`, homarr's `createBooleanSchema(false)`):
    // its returned chain, with the default it takes from an argument.
    if (callee?.type === 'Identifier' && root === null && !ENVALID_TYPES.has(m ?? '')) {
      const helper = helperSpec(u, ev, mod);
      if (helper) {
        optional ||= helper.optional;
        def ??= helper.def;
      }
    }
    cur = callee?.type === 'MemberExpression' ? child(callee, 'object') : null;
    if (cur && unwrap(cur)?.type === 'Identifier') root ??= (unwrap(cur)!.name as string).toLowerCase();
  }
  // Joi and yup keys are optional unless marked required.
  if ((root === 'joi' || root === 'yup') && !required) optional = true;
  return { def, optional: optional || def !== null };
}

// Helpers being read (a helper whose chain calls itself ends there).
const helpersRead = new Set<Node>();
/** What a helper returning a validator chain declares, a default named by one of its parameters taken from the call. */
function helperSpec(call: Node, ev: Evaluator, mod: FileScan): SpecFacts | null {
  const fn = ev.eval(child(call, 'callee'), mod, 1);
  if (fn.k !== 'fn' || helpersRead.has(fn.node)) return null;
  const ret = fnReturn(fn.node);
  if (!ret || unwrap(ret)?.type !== 'CallExpression') return null;
  helpersRead.add(fn.node);
  let inner: SpecFacts;
  try {
    inner = specFacts(ret, ev, fn.mod);
  } finally {
    helpersRead.delete(fn.node);
  }
  if (inner.def && inner.def.k !== 'unknown') return inner;
  // `.prefault(defaultValue)` / `.default(defaultValue)` where defaultValue is the helper's own parameter.
  const params = children(fn.node, 'params').map((p) => identName(unwrap(p)?.type === 'AssignmentPattern' ? child(unwrap(p)!, 'left') : p));
  let found: Val | null = null;
  for (let c: Node | null = unwrap(ret); c?.type === 'CallExpression'; ) {
    const callee = unwrap(child(c, 'callee'));
    if (callee?.type !== 'MemberExpression') break;
    const m = memberProp(callee);
    const at = m === 'default' || m === 'prefault' ? params.indexOf(identName(unwrap(args(c)[0] ?? null))) : -1;
    if (at >= 0) found = numOf(ev.eval(args(call)[at] ?? null, mod, 1));
    c = unwrap(child(callee, 'object'));
  }
  return found ? { def: found, optional: true } : inner;
}

/** Default value declared for `key` in an env schema (zod/joi/yup `.default(x)`, envalid `port({ default: x })`). */
function schemaDefault(schema: Node | null, key: string, ev: Evaluator, mod: FileScan): Val | null {
  return specFacts(findSchemaProp(schema, key, mod, 0), ev, mod).def;
}

export class Evaluator {
  /** One value per binding and per export: repeated lookups are free and import cycles end as unknown. */
  private readonly bindingMemo = new WeakMap<Binding, Val>();
  private readonly exportMemo = new Map<string, Val>();

  private nodeConfigLoaded: NodeConfig | null | undefined;

  constructor(readonly index: SourceIndex) {}

  /** The unit's node-config configuration (the `config` package), read once. */
  nodeConfigFacts(): NodeConfig | null {
    if (this.nodeConfigLoaded === undefined) this.nodeConfigLoaded = loadNodeConfig(this.index.ctx);
    return this.nodeConfigLoaded;
  }

  /** `config` as an object: its merged files, mapped keys read from the environment. */
  private nodeConfig(mod: FileScan): Val {
    const c = this.nodeConfigFacts();
    return c ? { k: 'obj', node: c.node, mod } : UNKNOWN;
  }

  /** Value of an imported binding, following re-exports. */
  importValue(mod: FileScan, source: string, imported: string, depth: number): Val {
    const target = this.index.resolve(mod.file, source);
    if (!target) {
      const whole = imported === 'default' || imported === '*';
      if (whole && source === 'config') return this.nodeConfig(mod);
      if (whole && source === 'convict') return { k: 'fn', node: CONVICT_FACTORY, mod };
      return UNKNOWN;
    }
    const tmod = this.index.scan(target);
    if (!tmod) return UNKNOWN;
    if (imported === '*') return { k: 'obj', node: { type: 'ModuleNamespace', start: 0, end: 0 }, mod: tmod };
    return this.exportValue(tmod, imported, depth + 1);
  }

  exportValue(mod: FileScan, name: string, depth: number): Val {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const key = `${mod.file}#${name}`;
    const memo = this.exportMemo.get(key);
    if (memo) return memo;
    this.exportMemo.set(key, UNKNOWN);
    const v = this.exportValueUncached(mod, name, depth);
    if (v.k === 'unknown' && !v.fallback) this.exportMemo.delete(key);
    else this.exportMemo.set(key, v);
    return v;
  }

  private exportValueUncached(mod: FileScan, name: string, depth: number): Val {
    const e = mod.exports.get(name);
    if (e?.from) return this.importValue(mod, e.from.source, e.from.imported, depth);
    if (e?.local) return this.evalIdent(mod, e.local, Number.MAX_SAFE_INTEGER, depth);
    if (e?.node) return this.eval(e.node, mod, depth);
    // `require('./legacy')` of a module with only named exports (`exports.port = ...`): its namespace.
    if (name === 'default' && !e && (mod.exports.size > 0 || mod.starExports.length > 0)) return { k: 'obj', node: { type: 'ModuleNamespace', start: 0, end: 0 }, mod };
    // CommonJS: `module.exports = { port }` — the default export is the object.
    if (name !== 'default' && !e) {
      const d = mod.exports.get('default');
      if (d) {
        const obj = d.node ? this.eval(d.node, mod, depth) : d.local ? this.evalIdent(mod, d.local, Number.MAX_SAFE_INTEGER, depth) : UNKNOWN;
        if (obj.k === 'obj' || obj.k === 'envobj') return this.member(obj, name, depth);
      }
      for (const s of mod.starExports) {
        const v = this.importValue(mod, s, name, depth);
        if (v.k !== 'unknown') return v;
      }
    }
    return UNKNOWN;
  }

  evalIdent(mod: FileScan, name: string, offset: number, depth: number): Val {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const b = findBinding(mod, name, offset);
    if (b) {
      const memo = this.bindingMemo.get(b);
      if (memo) return memo;
      this.bindingMemo.set(b, UNKNOWN);
      const v = this.bindingValue(mod, b, depth);
      // Failures are not cached: a lookup that hit the depth limit may succeed from a shallower start.
      if (v.k === 'unknown' && !v.fallback) this.bindingMemo.delete(b);
      else this.bindingMemo.set(b, v);
      return v;
    }
    const imp = mod.imports.get(name);
    if (imp) return this.importValue(mod, imp.source, imp.imported, depth);
    return UNKNOWN;
  }

  private bindingValue(mod: FileScan, b: Binding, depth: number): Val {
    if (b.fn) return { k: 'fn', node: b.fn, mod };
    if (b.key === null) return this.eval(b.init, mod, depth + 1);
    // `const { env } = process`: the environment itself, as `process.env` is.
    const init = unwrap(b.init);
    if (b.key === 'env' && init?.type === 'Identifier' && init.name === 'process' && !findBinding(mod, 'process', init.start)) return { k: 'envobj', schema: null, mod };
    const v = this.member(this.eval(b.init, mod, depth + 1), b.key, depth + 1);
    if (b.def) {
      const d = this.eval(b.def, mod, depth + 1);
      if (v.k === 'env' && !v.fallback) return { ...v, fallback: d };
      if (v.k === 'unknown') return { k: 'unknown', fallback: d };
    }
    return v;
  }

  member(obj: Val, key: string, depth: number): Val {
    if (obj.k === 'envobj') {
      // Joi `.validate(process.env)` → { value }, zod `.safeParse(process.env)` → { data }: still the env.
      if (/^(value|data|env|parsed)$/.test(key)) return obj;
      return { k: 'env', name: key, fallback: schemaDefault(obj.schema, key, this, obj.mod) };
    }
    if (obj.k === 'obj') {
      if (obj.node.type === 'ModuleNamespace') return this.exportValue(obj.mod, key, depth + 1);
      if (obj.node.type === 'ClassDeclaration' || obj.node.type === 'ClassExpression') {
        for (const m of children(child(obj.node, 'body') ?? obj.node, 'body')) {
          if (propName(child(m, 'key')) !== key || m.computed) continue;
          if (m.type === 'PropertyDefinition') return this.eval(child(m, 'value'), obj.mod, depth + 1);
          if (m.type === 'MethodDefinition' && m.kind === 'get') {
            const ret = fnReturn(child(m, 'value') ?? m);
            return ret ? this.eval(ret, obj.mod, depth + 1) : UNKNOWN;
          }
        }
        return UNKNOWN;
      }
      const p = objectProp(obj.node, key);
      if (p) return this.eval(p, obj.mod, depth + 1);
      // `{ ...base, port }`: look into spreads.
      for (const s of children(obj.node, 'properties')) {
        if (s.type !== 'SpreadElement') continue;
        const inner = this.eval(child(s, 'argument'), obj.mod, depth + 1);
        const v = this.member(inner, key, depth + 1);
        if (v.k !== 'unknown') return v;
      }
      // `const config = {}; config.port = process.env.PORT || 4000`: set after it was made.
      const set = this.propAssignment(obj.mod, obj.node, key);
      if (set) return this.eval(set, obj.mod, depth + 1);
    }
    return UNKNOWN;
  }

  private readonly thisSets = new Map<FileScan, Map<string, Node>>();
  private readonly propSets = new Map<FileScan, Map<Node, Map<string, Node>>>();

  /** The value first assigned to `name.key` in the file, where `name` is bound to the object literal `obj`. */
  private propAssignment(mod: FileScan, obj: Node, key: string): Node | null {
    let sets = this.propSets.get(mod);
    if (!sets) {
      const found = new Map<Node, Map<string, Node>>();
      walk(mod.parsed.program, (x) => {
        if (x.type !== 'AssignmentExpression' || x.operator !== '=') return;
        const left = unwrap(child(x, 'left'));
        const name = left?.type === 'MemberExpression' ? identName(child(left, 'object')) : null;
        const prop = name ? memberProp(left) : null;
        const init = name && prop ? unwrap(findBinding(mod, name, x.start)?.init ?? null) : null;
        if (init?.type !== 'ObjectExpression' || !x.right) return;
        let props = found.get(init);
        if (!props) found.set(init, (props = new Map()));
        if (!props.has(prop!)) props.set(prop!, x.right as Node);
      });
      this.propSets.set(mod, (sets = found));
    }
    return sets.get(obj)?.get(key) ?? null;
  }

  /** The value first assigned to `this.a.b` in the file (classes keep their configuration on the instance). */
  private thisAssignment(mod: FileScan, path: string): Node | null {
    let sets = this.thisSets.get(mod);
    if (!sets) {
      const found = new Map<string, Node>();
      walk(mod.parsed.program, (x) => {
        if (x.type !== 'AssignmentExpression' || x.operator !== '=') return;
        const p = memberPath(child(x, 'left'));
        const right = child(x, 'right');
        if (p?.[0] === 'this' && p.length > 1 && right && !found.has(p.join('.'))) found.set(p.join('.'), right);
      });
      this.thisSets.set(mod, (sets = found));
    }
    return sets.get(path) ?? null;
  }

  /** Evaluates an expression to a literal, an env read (with fallback), an object, or unknown. */
  eval(node: Node | null, mod: FileScan, depth = 0): Val {
    if (!node || depth > MAX_DEPTH) return UNKNOWN;
    const n = unwrap(node);
    if (!n) return UNKNOWN;
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'number') return { k: 'num', v: n.value };
        if (typeof n.value === 'string') return { k: 'str', v: n.value };
        if (typeof n.value === 'boolean') return { k: 'bool', v: n.value };
        return UNKNOWN;
      case 'TemplateLiteral': {
        const s = stringValue(n);
        return s === null ? UNKNOWN : { k: 'str', v: s };
      }
      case 'Identifier':
        if (n.name === 'undefined') return UNKNOWN;
        // CommonJS `exports.x`: the module's own exports.
        if (n.name === 'exports' && !findBinding(mod, 'exports', n.start) && !mod.imports.has('exports')) return { k: 'obj', node: { type: 'ModuleNamespace', start: 0, end: 0 }, mod };
        return this.evalIdent(mod, n.name as string, n.start, depth);
      case 'ObjectExpression':
      case 'ClassDeclaration':
      case 'ClassExpression':
        return { k: 'obj', node: n, mod };
      case 'NewExpression': {
        // `new Environment()` whose class declares `PORT = ...` fields: the instance reads like an object.
        const c = this.eval(child(n, 'callee'), mod, depth + 1);
        return c.k === 'obj' && (c.node.type === 'ClassDeclaration' || c.node.type === 'ClassExpression') ? c : UNKNOWN;
      }
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
      case 'FunctionDeclaration':
        return { k: 'fn', node: n, mod };
      case 'MemberExpression': {
        if (memberPath(n)?.join('.') === 'module.exports' && !findBinding(mod, 'module', n.start)) return { k: 'obj', node: { type: 'ModuleNamespace', start: 0, end: 0 }, mod };
        const env = envMember(n);
        if (env) return { k: 'env', name: env.name, fallback: null };
        if (isProcessEnv(n)) return { k: 'envobj', schema: null, mod };
        const key = memberProp(n);
        if (key === null) return UNKNOWN;
        const v = this.member(this.eval(child(n, 'object'), mod, depth + 1), key, depth);
        if (v.k !== 'unknown') return v;
        // `this.config.port`, set in the class's constructor or init (`this.config.port = args.port || Number(process.env.PORT) || 5001`).
        const path = memberPath(n);
        const set = path?.[0] === 'this' ? this.thisAssignment(mod, path.join('.')) : null;
        return set ? this.eval(set, mod, depth + 1) : v;
      }
      case 'LogicalExpression': {
        const l = numOf(this.eval(child(n, 'left'), mod, depth + 1));
        const r = numOf(this.eval(child(n, 'right'), mod, depth + 1));
        if (n.operator === '&&') return UNKNOWN;
        if (l.k === 'env') return { ...l, fallback: l.fallback ?? (r.k === 'env' ? r.fallback : r.k === 'unknown' ? r.fallback : r) };
        if (l.k === 'num' || l.k === 'str' || l.k === 'bool') return n.operator === '??' || l.v ? l : r;
        if (l.k === 'unknown') return r.k === 'env' ? r : { k: 'unknown', fallback: l.fallback ?? (r.k === 'unknown' ? r.fallback : r) };
        return l;
      }
      case 'ConditionalExpression': {
        // `NODE_ENV === 'test' ? TEST_URI : URI`: the deployment runs the production branch.
        // Only NODE_ENV: which way another setting goes is the operator's choice, not a fact of the deployment.
        const holds = holdsByDefault(
          child(n, 'test'),
          productionMode((x) => {
            const v = this.eval(x, mod, depth + 1);
            return v.k === 'env' && v.name === 'NODE_ENV';
          }),
        );
        if (holds !== null) return numOf(this.eval(child(n, holds ? 'consequent' : 'alternate'), mod, depth + 1));
        const a = numOf(this.eval(child(n, 'consequent'), mod, depth + 1));
        const b = numOf(this.eval(child(n, 'alternate'), mod, depth + 1));
        if (a.k === 'env') return { ...a, fallback: a.fallback ?? (b.k === 'env' ? null : b) };
        if (b.k === 'env') return { ...b, fallback: b.fallback ?? a };
        const t = this.eval(child(n, 'test'), mod, depth + 1);
        if (t.k === 'env') return { k: 'env', name: t.name, fallback: b.k === 'unknown' ? a : b };
        return UNKNOWN;
      }
      case 'BinaryExpression': {
        if (n.operator !== '+') return UNKNOWN;
        const l = this.eval(child(n, 'left'), mod, depth + 1);
        const r = this.eval(child(n, 'right'), mod, depth + 1);
        // `process.env.MONGODB_URL + suffix` still connects with MONGODB_URL.
        if (l.k === 'env') return { k: 'env', name: l.name, fallback: null };
        if ((l.k === 'str' || l.k === 'num') && (r.k === 'str' || r.k === 'num')) return typeof l.v === 'number' && typeof r.v === 'number' ? { k: 'num', v: l.v + r.v } : { k: 'str', v: `${l.v}${r.v}` };
        return UNKNOWN;
      }
      case 'UnaryExpression':
      case 'CallExpression': {
        const inner = uncoerce(n);
        if (inner !== n) return numOf(this.eval(inner, mod, depth + 1));
        if (n.type !== 'CallExpression') return UNKNOWN;
        return this.evalCall(n, mod, depth);
      }
      default:
        return UNKNOWN;
    }
  }

  private evalCall(n: Node, mod: FileScan, depth: number): Val {
    const callee = unwrap(child(n, 'callee'));
    const a = args(n);
    // require('./config') → that module's exports.
    if (callee?.type === 'Identifier' && callee.name === 'require') {
      const s = stringValue(a[0] ?? null);
      return s ? this.importValue(mod, s, 'default', depth) : UNKNOWN;
    }
    // Env helpers and validated env: `cleanEnv(process.env, spec)`, `schema.parse(process.env)`, `createEnv({...})`.
    if (a.some((x) => isProcessEnv(x))) {
      // The spec inline or by name (`const spec = { PORT: num({ default: 3000 }) }; cleanEnv(process.env, spec)`).
      const other = unwrap(a.find((x) => !isProcessEnv(x)) ?? null);
      const spec = other?.type === 'ObjectExpression' ? other : other?.type === 'Identifier' ? this.schemaNode(other, mod, depth) : null;
      const schema = spec ?? (callee?.type === 'MemberExpression' ? this.schemaNode(child(callee, 'object'), mod, depth) : null);
      return { k: 'envobj', schema, mod };
    }
    const name = callee?.type === 'Identifier' ? (callee.name as string) : callee ? memberProp(callee) : null;
    if (name === 'createEnv') return { k: 'envobj', schema: null, mod };
    const lit = literalText(a[0] ?? null);
    // node-config: `config.get('server.port')` walks the merged configuration.
    if (name === 'get' && lit && callee?.type === 'MemberExpression') {
      let v = this.eval(child(callee, 'object'), mod, depth + 1);
      if (v.k === 'obj' && v.node.nodeConfig === true) {
        for (const seg of lit.split('.')) v = this.member(v, seg, depth + 1);
        return v;
      }
      if (v.k === 'obj' && v.node.type === 'ConvictConfig') return convictGet(this, v, lit, depth);
    }
    // env-var's chain on a read: `env.get('PORT').default('3000').required().asPortNumber()`.
    if (name && callee?.type === 'MemberExpression' && (name === 'default' || ENV_CHAIN.test(name))) {
      const read = this.eval(child(callee, 'object'), mod, depth + 1);
      if (read.k === 'env') return name === 'default' ? { ...read, fallback: a[0] ? numOf(this.eval(a[0], mod, depth + 1)) : read.fallback } : read;
    }
    // `configService.get('PORT', 3000)`, `env('PORT', 3000)`.
    if ((name === 'get' || name === 'getOrThrow' || name === 'env' || name === 'getEnv') && lit && /^[A-Z][A-Z0-9_]*$/.test(lit)) {
      const objName = callee?.type === 'MemberExpression' ? (identName(child(callee, 'object')) ?? memberProp(child(callee, 'object')) ?? '') : name;
      if (/config|env/i.test(objName)) return { k: 'env', name: lit, fallback: a[1] ? numOf(this.eval(a[1], mod, depth + 1)) : null };
    }
    // Express: `app.get('port')` after `app.set('port', x)`.
    if (name === 'get' && lit && a.length === 1) {
      for (const c of callsNamed(mod, 'set')) {
        const ca = args(c);
        if (stringValue(ca[0] ?? null) === lit && ca[1]) return numOf(this.eval(ca[1], mod, depth + 1));
      }
    }
    // A local function with a single return: `getPort()`.
    const fv = callee ? this.eval(callee, mod, depth + 1) : UNKNOWN;
    // The service's own helper reading the variable it is given: `readENV('PORT', 1337)`.
    const keyHelper = fv.k === 'fn' && lit && /^[A-Z][A-Z0-9_]*$/.test(lit) ? envKeyHelper(fv.node, fv.mod.envAliases) : null;
    if (keyHelper) {
      const fallback = keyHelper.fallback !== null ? a[keyHelper.fallback] : undefined;
      return { k: 'env', name: lit!, fallback: fallback ? numOf(this.eval(fallback, mod, depth + 1)) : null };
    }
    if (fv.k === 'fn' && fv.node === CONVICT_FACTORY) return { k: 'obj', node: convictConfig(n, a[0] ?? null), mod };
    const fnNode = fv.k === 'fn' ? fv.node : null;
    if (fnNode) {
      const ret = fnReturn(fnNode);
      if (ret) return numOf(this.eval(ret, fv.k === 'fn' ? fv.mod : mod, depth + 1));
    }
    // The service's own helper that supplies a default: `parseEnvVarNumber(process.env.PORT, 4242)`.
    const shape = fv.k === 'fn' && a[0] ? helperShapeIn(this, fv.node, fv.mod, depth) : null;
    if (shape && fv.k === 'fn') {
      const inner = numOf(this.eval(a[0]!, mod, depth + 1));
      const d = helperDefault(shape, a);
      // A parameter's own default lives in the helper's module; an argument in the caller's.
      if ((inner.k === 'env' || inner.k === 'unknown') && !inner.fallback && d) return { ...inner, fallback: numOf(this.eval(d, d === shape.paramDefault ? fv.mod : mod, depth + 1)) };
      return inner;
    }
    // Wrappers such as express-generator's `normalizePort(process.env.PORT || '3000')` pass their argument through.
    if (name && /port|normali[sz]e|number|int(eger)?$|parse|coerce/i.test(name) && a.length >= 1) {
      const inner = numOf(this.eval(a[0]!, mod, depth + 1));
      // `getPort({ port: portNumbers(desired, desired + 100) })`: the preferred port is the option.
      return inner.k === 'obj' ? numOf(this.member(inner, 'port', depth + 1)) : inner;
    }
    return UNKNOWN;
  }

  /**
   * Env vars declared by a validation call over process.env (`cleanEnv(process.env, spec)`,
   * `schema.parse(process.env)`, `Joi...validate(process.env)`): names with their schema defaults.
   */
  schemaEnvKeys(call: Node, mod: FileScan): Array<{ name: string } & SpecFacts> {
    const v = this.eval(call, mod);
    if (v.k !== 'envobj' || !v.schema) return [];
    const obj = findSchemaObject(v.schema, mod);
    return objectKeys(obj)
      .filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k))
      .map((name) => ({ name, ...specFacts(findSchemaProp(v.schema, name, mod, 0), this, mod) }));
  }

  /** The object literal of an env schema given by value or by a name, imported or local (`validationSchema: envSchema`). */
  schemaObjectOf(n: Node | null, mod: FileScan): Node | null {
    return findSchemaObject(this.schemaNode(n, mod, 0), mod);
  }

  /** A schema given by value or by a name (local or imported), as written: `z.object({...}).transform(fn)`. */
  schemaNodeOf(n: Node | null, mod: FileScan): Node | null {
    return this.schemaNode(n, mod, 0);
  }

  private schemaNode(n: Node | null, mod: FileScan, depth: number): Node | null {
    const u = unwrap(n);
    if (!u) return null;
    if (u.type === 'Identifier') {
      const b = findBinding(mod, u.name as string, u.start);
      if (b?.init) return b.init;
      const imp = mod.imports.get(u.name as string);
      if (imp && depth < MAX_DEPTH) {
        const target = this.index.resolve(mod.file, imp.source);
        const tmod = target ? this.index.scan(target) : null;
        const e = tmod?.exports.get(imp.imported);
        if (tmod && e?.local) return this.schemaNode({ type: 'Identifier', name: e.local, start: Number.MAX_SAFE_INTEGER, end: 0 }, tmod, depth + 1);
        if (e?.node) return e.node;
      }
      return null;
    }
    return u;
  }
}

/** Literal view of a value: number or string, following fallbacks. */
export function literalOf(v: Val): number | string | boolean | null {
  if (v.k === 'num' || v.k === 'str' || v.k === 'bool') return v.v;
  if ((v.k === 'env' || v.k === 'unknown') && v.fallback) return literalOf(v.fallback);
  return null;
}

