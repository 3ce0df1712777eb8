import { parseSource, walk, type ParsedSource } from '../parse.js';
import type { LightRoute } from './light-scan.js';
import type { TextMarks } from './cached-scan.js';
import { args, child, children, COERCE_CALLS, covers, identName, memberPath, memberProp, objectProp, propName, stringEquality, stringValue, throughNumber, unwrap, type Node } from './ast.js';
import { absenceOf, EQUALITY, isAssertionOf, isConstant, refuses, refusesExpr } from './presence.js';
import { branchesOffByDefault, entriesOffByDefault } from './default-branch.js';
import { aliasedRead, testedAliasReads } from './alias-tests.js';

/**
 * One AST walk per file collects every node any concern needs (calls, env reads, bindings,
 * imports/exports, decorated classes, URL comparisons). Concerns then read these lists;
 * nobody walks the tree again except inside a handler body they already hold.
 */

export interface Binding {
  name: string;
  /** Initializer of the declarator (for destructuring, the object destructured). */
  init: Node | null;
  /** Destructured property key (`const { port } = cfg` → "port"). */
  key: string | null;
  /** Destructuring default (`const { PORT = 3000 } = process.env`). */
  def: Node | null;
  /** Function declarations bind their own node. */
  fn: Node | null;
  start: number;
}

export interface ImportBinding {
  local: string;
  source: string;
  /** "default", "*" or the imported name. */
  imported: string;
}

export interface ExportEntry {
  local?: string;
  node?: Node;
  /** Re-export: `export { x } from './y'`. */
  from?: { source: string; imported: string };
}

export interface EnvRead {
  name: string;
  node: Node;
  /** Literal fallback in code (`|| 3000`, `?? 'x'`, destructuring default). */
  def: string | null;
  via: 'process.env' | 'import.meta.env' | 'destructure' | 'helper' | 'schema';
  /** The code tests whether it is set (`if (X)`, `X ? a : b`, `X && ...`, `!!X`): it runs without it. */
  optional?: boolean;
  /**
   * The call it is the first argument of, alone or in a chain of fallbacks (`toNumber(process.env.PORT, 3000)`):
   * when that function tests its parameter for presence, the variable has a default there (helper-defaults.ts).
   */
  argOf?: Node;
  /**
   * Start of the object literal whose property value it is (`{ host: process.env.MAIL_HOST, port: … }`): a
   * group of settings read side by side (env-vars.ts judges the plain ones by their siblings).
   */
  group?: number;
  /**
   * Read only where other variables are set (`if (process.env.SENTRY_DSN) { … process.env.SENTRY_ENV … }`): a feature
   * the operator turns on by setting them. env-vars.ts makes it optional when no other read needs it.
   */
  gated?: boolean;
  /** Its fallback is one the code refuses (`if (!config.key) throw`, growthbook's `=== 'dev'` check): needed, whatever sits beside it. */
  refused?: boolean;
  /** The code refuses to go on without it here (`if (!process.env.REDIS_URL) throw …`): a presence test elsewhere does not make it optional. */
  refusing?: boolean;
  /** It (with its literal fallback, when it has one) is the key something signs or encrypts with (signingUse). */
  signing?: boolean;
}

/** A statement after `stmt` in its block that hands the variable to a constructor or call (`new IORedis(process.env.REDIS_URL)`). */
function constructsWith(block: Node | null, stmt: Node, name: string): boolean {
  const body = block?.type === 'BlockStatement' || block?.type === 'Program' ? children(block, 'body') : [];
  const at = body.indexOf(stmt);
  if (at < 0) return false;
  let found = false;
  for (const later of body.slice(at + 1)) {
    walk(later, (x) => {
      if (found) return false;
      if ((x.type === 'NewExpression' || x.type === 'CallExpression') && args(x).some((a) => envReadName(a) === name)) found = true;
      return undefined;
    });
    if (found) return true;
  }
  return false;
}

const SIGNING_CALLS = /^(sign|verify|createHmac|createCipheriv|createDecipheriv|encrypt|decrypt|hmac|hash)$/;
const SIGNING_KEYS = /^(secret|secrets|secretKey|jwtSecret|jwt_secret|cookieSecret|sessionSecret|signingKey|signingSecret|encryptionKey|salt|keys)$/i;

/**
 * `X || 'dev'` where what it gives is a key something signs or encrypts with: an argument of jwt.sign/verify or
 * createHmac, or the value of a `secret`/`jwtSecret`/`salt` option (not an `apiKey` a provider's client is handed).
 */
/**
 * The read a signing call's argument is key material from: itself, or what an encoder makes bytes of (jose's
 * `.sign(new TextEncoder().encode(process.env.JWT_SECRET))`, `Buffer.from(process.env.KEY)`).
 */
function keyMaterial(arg: Node | null): Node | null {
  let u = unwrap(arg);
  if (u?.type === 'CallExpression') {
    const callee = unwrap(child(u, 'callee'));
    const p = callee?.type === 'MemberExpression' ? memberPath(callee) : null;
    if (callee?.type === 'MemberExpression' && (memberProp(callee) === 'encode' || (p?.[0] === 'Buffer' && p[1] === 'from'))) u = unwrap(args(u)[0] ?? null);
  }
  return u && envMember(u) ? u : null;
}

/** What a validator chain gives an unset input: `.default(x)`, `.catch(x)`, `.prefault(x)`, or nothing (`.optional()`). */
function schemaChainDefault(n: Node | null): { def: string | null; optional: boolean } | null {
  let def: string | null = null;
  let optional = false;
  let found = false;
  for (let cur = unwrap(n); cur; ) {
    if (cur.type === 'MemberExpression') {
      cur = unwrap(child(cur, 'object'));
      continue;
    }
    if (cur.type !== 'CallExpression') break;
    const callee = unwrap(child(cur, 'callee'));
    if (callee?.type !== 'MemberExpression') break;
    const m = memberProp(callee);
    if (m === 'default' || m === 'catch' || m === 'prefault') {
      def ??= literalText(args(cur)[0] ?? null);
      found = true;
    } else if (m === 'optional' || m === 'nullish') optional = found = true;
    cur = unwrap(child(callee, 'object'));
  }
  return found ? { def, optional: optional || def !== null } : null;
}

function signingUse(n: Node, parent: Node | null): boolean {
  if (parent?.type === 'Property' && child(parent, 'value') === n) return SIGNING_KEYS.test(propName(child(parent, 'key')) ?? '');
  if (parent?.type === 'CallExpression' && child(parent, 'callee') !== n) {
    const callee = unwrap(child(parent, 'callee'));
    const name = callee?.type === 'Identifier' ? (callee.name as string) : callee ? memberProp(callee) : null;
    return name !== null && SIGNING_CALLS.test(name);
  }
  return false;
}

export interface UrlCompare {
  path: string;
  /** The branch that runs for this path (if consequent / switch case). */
  scope: Node;
  node: Node;
}

export interface FileScan {
  file: string;
  parsed: ParsedSource;
  imports: Map<string, ImportBinding>;
  /** Every module specifier imported, required or dynamically imported. */
  importSources: Set<string>;
  /**
   * Specifiers this file requires only in branches that do not run as deployed (`NODE_ENV === 'production' ?
   * require('./settings') : require('./settings-dev')`): env-vars.ts treats a module only ever loaded so as not run.
   */
  offImports?: string[];
  bindings: Map<string, Binding[]>;
  exports: Map<string, ExportEntry>;
  starExports: string[];
  calls: Node[];
  news: Node[];
  /** Calls and `new` expressions by the last segment of their callee (`app.listen` → "listen", `require('x')()` → "()"). */
  callsByName: Map<string, Node[]>;
  newsByName: Map<string, Node[]>;
  /** Calls passing `process.env` itself as an argument (env schemas: `cleanEnv(process.env, ...)`). */
  envArgCalls: Node[];
  envReads: EnvRead[];
  /** Variables the code sets (or deletes) itself: `process.env.TZ = 'UTC'`. Only parsed files have them (the token tier hands such files over). */
  envWrites: Set<string>;
  /** Names that hold process.env or a copy of it (`const env = process.env`, nightscout's `shadowEnv`): their members are env reads. */
  envAliases: ReadonlySet<string>;
  classes: Node[];
  urlCompares: UrlCompare[];
  /** `setInterval(...)` as a module-level statement. */
  topLevelIntervals: Node[];
  /** String literals naming signals, e.g. in `['SIGINT','SIGTERM'].forEach(...)`. */
  signalLiterals: Set<string>;
  /** Set for files read by the token-level tier (no AST): their plain route registrations. */
  lightRoutes?: LightRoute[];
  /** Whole-text facts, when recorded with the scan (cached scans); else found in `parsed.text` on demand. */
  marks?: TextMarks;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Functions whose first argument names an env var: `env('PORT', 3000)`. */
export const ENV_HELPER_NAMES = ['env', 'getEnv', 'requireEnv', 'mustGetEnv', 'getEnvVar', 'readEnv', 'envOrThrow', 'requiredEnv', 'getRequiredEnv', 'getEnvOrThrow', 'mustEnv', 'envVar', 'assertEnv'];
/**
 * Calls that read a value as a switch (`yes(getEnv('TRUST_PROXY_HEADER'))`, `parseBoolean(process.env.X)`): like `!!X`,
 * unset is off, a presence test and no input the service needs.
 */
export const BOOLEAN_PARSER = /^(Boolean|yes|truthy|isTruthy|isTrue|(to|parse|as|get|str|string|env)_?[Bb]ool(ean)?|bool(ean)?)$/;
const ENV_HELPERS = new RegExp(`^(${ENV_HELPER_NAMES.join('|')})$`);
const URL_PROPS = new Set(['url', 'pathname', 'path', 'originalUrl']);

/** `process.env.X` / `process.env['X']` / `import.meta.env.X` → name and kind. */
export function envMember(n: Node | null): { name: string; via: 'process.env' | 'import.meta.env' } | null {
  const u = unwrap(n);
  if (!u || u.type !== 'MemberExpression') return null;
  const obj = unwrap(child(u, 'object'));
  if (!obj) return null;
  const name = memberProp(u);
  if (!name || !ENV_NAME.test(name)) return null;
  if (isProcessEnv(obj) || (obj.type === 'Identifier' && envAliases.has(obj.name as string))) return { name, via: 'process.env' };
  const p = memberPath(obj);
  if (p && p.length === 3 && p[0] === 'import' && p[1] === 'meta' && p[2] === 'env') return { name, via: 'import.meta.env' };
  return null;
}

export function isProcessEnv(n: Node | null): boolean {
  const u = unwrap(n);
  if (!u || u.type !== 'MemberExpression') return false;
  const p = memberPath(u);
  return !!p && p.length === 2 && (p[0] === 'process' || p[0] === 'Bun') && p[1] === 'env';
}

/**
 * A helper call that reads a variable (`env('PORT', 3000)`, `configService.get('PORT')`): its name and the default
 * it passes. The code around it tests and defaults it as it would `process.env.PORT`.
 */
/** Strapi's typed env helpers: `env.int('PORT', 1337)`, `env.bool('SSL', false)`, `env.oneOf('CLIENT', [...], 'sqlite')`. */
export const TYPED_ENV_METHODS = new Set(['int', 'float', 'bool', 'array', 'json', 'date', 'oneOf']);

export function helperRead(n: Node | null): { name: string; def: string | null; throws: boolean; fallback: boolean; fn: string } | null {
  const u = unwrap(n);
  if (u?.type !== 'CallExpression') return null;
  const callee = unwrap(child(u, 'callee'));
  let fn: string | null = null;
  let objName = '';
  if (callee?.type === 'Identifier') fn = ENV_HELPERS.test(callee.name as string) ? (callee.name as string) : null;
  else if (callee?.type === 'MemberExpression') {
    // Nest ConfigService / AdonisJS Env: `configService.get('DATABASE_URL')`, `Env.get('PORT', 3333)`.
    const method = memberProp(callee);
    const objPath = memberPath(child(callee, 'object'));
    objName = objPath ? objPath[objPath.length - 1] ?? '' : '';
    fn = (method === 'get' || method === 'getOrThrow') && /config|^env$/i.test(objName) ? method : null;
    if (!fn && method && TYPED_ENV_METHODS.has(method) && objPath?.length === 1 && objName === 'env') fn = method;
  }
  if (!fn) return null;
  const a = args(u);
  const name = stringValue(a[0] ?? null);
  // `requireEnv('X')`, `getOrThrow('X')`, `assertEnv('X')` throw when it is unset, whatever the code around them tests.
  // The argument after the name is the value when unset (after the choices for `env.oneOf`): the code gives one.
  const fallback = a[fn === 'oneOf' ? 2 : 1] ?? null;
  // `env.get('VALET_TOKEN_SECRET', true)` (standardnotes): a `true` after the name says the variable is optional, no value.
  // Nest's `configService.get('DATABASE_MIGRATE', true)` gives true as the default (ohmyform).
  const flag = fn === 'get' && /^env$/i.test(objName) && unwrap(fallback)?.type === 'Literal' && unwrap(fallback)!.value === true;
  return name && /^[A-Z][A-Z0-9_]*$/.test(name) ? { name, def: flag ? null : literalText(fallback), throws: /require|must|orthrow|assert/i.test(fn), fallback: fallback !== null, fn } : null;
}

interface EnvVarChain {
  read: Node;
  def: string | null;
  required: boolean;
}

export const ENV_VAR_METHODS = /^(default|required|example|description|convertFromBase64|as[A-Z]\w*)$/;

/**
 * env-var's `env.get('PORT').default('4100').asPortNumber()`: the methods chained on the read say what the service does
 * unset. Without `.required()` it gets undefined (or the default) and runs on: optional. `n` is the outermost call.
 */
function envVarChain(n: Node): EnvVarChain | null {
  let def: string | null = null;
  let isRequired = false;
  let cur: Node | null = n;
  let links = 0;
  while (cur?.type === 'CallExpression') {
    const callee = unwrap(child(cur, 'callee'));
    const method = callee?.type === 'MemberExpression' ? memberProp(callee) : null;
    if (!method || !ENV_VAR_METHODS.test(method)) break;
    if (method === 'default') def = literalText(args(cur)[0] ?? null);
    // `.required(false)` keeps it optional.
    if (method === 'required') isRequired = literalText(args(cur)[0] ?? null) !== 'false';
    links++;
    cur = unwrap(child(callee!, 'object'));
  }
  if (links === 0 || !cur) return null;
  const read = helperRead(cur);
  return read && read.fn === 'get' ? { read: cur, def, required: isRequired } : null;
}

/** The variable an expression reads: `process.env.X`, `import.meta.env.X` or a helper call. */
export function envReadName(n: Node | null): string | null {
  return envMember(n)?.name ?? helperRead(n)?.name ?? null;
}

/** A name declared with a variable as its value: the read, the declaration, the variable, the uses seen. */
interface Held {
  read: number;
  decl: number;
  name: string;
  refs: number[];
}

/** An identifier that refers to a binding: not a property key (`{ keyId: x }`) or a member name (`obj.keyId`). */
function isReference(n: Node, parent: Node | null): boolean {
  if (parent?.type === 'Property' && child(parent, 'key') === n && !parent.shorthand) return false;
  return !(parent?.type === 'MemberExpression' && child(parent, 'property') === n && !parent.computed);
}

/** Set by the deployment whatever the operator does: a test of them is no gate. */
const ALWAYS_SET = new Set(['NODE_ENV', 'PORT']);

/**
 * The variables a truthiness test needs set (`A`, `A && B`, `A || B`, `!!A`, `Boolean(A)`, a name holding one), when it
 * tests nothing else; null otherwise (a comparison, a negation, a value of the code's own).
 */
function setWhen(test: Node | null, heldVar: (name: string) => string | null): Set<string> | null {
  const u = unwrap(test);
  if (!u) return null;
  const name = envMember(u)?.name ?? (u.type === 'Identifier' ? heldVar(u.name as string) : null);
  if (name !== null) return ALWAYS_SET.has(name) ? null : new Set([name]);
  if (u.type === 'UnaryExpression' && u.operator === '!') {
    const inner = unwrap(child(u, 'argument'));
    return inner?.type === 'UnaryExpression' && inner.operator === '!' ? setWhen(child(inner, 'argument'), heldVar) : null;
  }
  if (u.type === 'CallExpression' && BOOLEAN_PARSER.test(identName(child(u, 'callee')) ?? '')) return setWhen(args(u)[0] ?? null, heldVar);
  if (u.type === 'LogicalExpression' && (u.operator === '&&' || u.operator === '||')) {
    const l = setWhen(child(u, 'left'), heldVar);
    const r = setWhen(child(u, 'right'), heldVar);
    return l && r ? new Set([...l, ...r]) : null;
  }
  return null;
}

/**
 * The setting an expression reads and its value when the operator leaves it unset: NODE_ENV is 'production' (the
 * image and the template set it), another variable its literal fallback (`process.env.DATABASE_TYPE || 'sqlite'`,
 * `env('X', 'a')`) or undefined. Null when it reads no setting, or falls back to something computed.
 */
export function settingOf(n: Node | null): { name: string; value: string | undefined } | null {
  const u = unwrap(n);
  const withFallback = u?.type === 'LogicalExpression' && (u.operator === '||' || u.operator === '??');
  const name = envReadName(withFallback ? child(u, 'left') : u);
  if (name === null) return null;
  if (name === 'NODE_ENV') return { name, value: 'production' };
  if (!withFallback) return { name, value: helperRead(u)?.def ?? undefined };
  const fallback = stringValue(child(u, 'right'));
  return fallback !== null ? { name, value: fallback } : null;
}

/** The env reads among the operands of a `||`/`??` chain (`Number(A) || B || x`), each unwrapped as uncoerce does. */
function fallbackChain(n: Node | null): Node[] {
  const u = uncoerce(n);
  if (!u) return [];
  if (u.type === 'LogicalExpression' && (u.operator === '||' || u.operator === '??')) return [...fallbackChain(child(u, 'left')), ...fallbackChain(child(u, 'right'))];
  return envReadName(u) !== null ? [unwrap(u)!] : [];
}

/** Unwraps `Number(x)`, `parseInt(x, 10)`, `+x`, `String(x)`, `maybeInt(x)` to `x`. */
export function uncoerce(n: Node | null): Node | null {
  let u = unwrap(n);
  while (u) {
    if (u.type === 'CallExpression') {
      const callee = unwrap(child(u, 'callee'));
      const name = callee?.type === 'Identifier' ? (callee.name as string) : callee ? memberProp(callee) : null;
      // Also a `maybe…` helper that passes an unset value through as undefined (feed-generator's `maybeStr(X) ?? 'localhost'`).
      if (name && (COERCE_CALLS.has(name) || (callee?.type === 'Identifier' && /^maybe[A-Z]\w*$/.test(name) && args(u).length === 1)) && args(u).length >= 1) {
        u = unwrap(args(u)[0] ?? null);
        continue;
      }
    } else if (u.type === 'UnaryExpression' && (u.operator === '+' || u.operator === '-')) {
      u = unwrap(child(u, 'argument'));
      continue;
    }
    return u;
  }
  return null;
}

/** A literal's text for recording as a default: strings and numbers only. */
export function literalText(n: Node | null): string | null {
  const s = stringValue(n);
  if (s !== null) return s;
  const u = unwrap(n);
  if (u?.type === 'Literal' && typeof u.value === 'number') return String(u.value);
  if (u?.type === 'Literal' && typeof u.value === 'boolean') return String(u.value);
  return null;
}

/** The module a local name was imported or required from. */
export function importedFrom(scan: FileScan, local: string | null): string | null {
  return local ? (scan.imports.get(local)?.source ?? null) : null;
}

/** The module of `require('x')` written in place: 'x'. */
export function requiredModule(n: Node | null): string | null {
  const u = unwrap(n);
  return u?.type === 'CallExpression' && identName(child(u, 'callee')) === 'require' ? stringValue(args(u)[0] ?? null) : null;
}

/** The module a value comes from: `require('@fastify/env')` in place, or a name imported or required from it. */
export function moduleOf(scan: FileScan, n: Node | null): string | null {
  return requiredModule(n) ?? importedFrom(scan, identName(unwrap(n)));
}

function index(map: Map<string, Node[]>, callee: Node | null, n: Node): void {
  const key = !callee ? null : callee.type === 'Identifier' ? (callee.name as string) : callee.type === 'MemberExpression' ? memberProp(callee) : callee.type === 'CallExpression' ? '()' : null;
  if (key === null) return;
  const list = map.get(key);
  if (list) list.push(n);
  else map.set(key, [n]);
}

/** Calls whose callee ends in one of `names`, in source order. */
export function callsNamed(scan: FileScan, ...names: string[]): Node[] {
  return pick(scan.callsByName, names);
}

/** `new X(...)` expressions whose constructor name ends in one of `names`, in source order. */
export function newsNamed(scan: FileScan, ...names: string[]): Node[] {
  return pick(scan.newsByName, names);
}

function pick(map: Map<string, Node[]>, names: string[]): Node[] {
  if (map.size === 0) return [];
  if (names.length === 1) return map.get(names[0]!) ?? [];
  const out: Node[] = [];
  for (const n of names) {
    const l = map.get(n);
    if (l) out.push(...l);
  }
  return out.length > 1 ? out.sort((a, b) => a.start - b.start) : out;
}

/** Local names a module is imported under (`import c from 'cors'` → ["c"]). */
export function localsOf(scan: FileScan, test: (source: string) => boolean): string[] {
  const out: string[] = [];
  for (const imp of scan.imports.values()) if (test(imp.source)) out.push(imp.local);
  return out;
}

function addBinding(scan: FileScan, b: Binding): void {
  const list = scan.bindings.get(b.name);
  if (list) list.push(b);
  else scan.bindings.set(b.name, [b]);
}

function requireSource(n: Node | null): string | null {
  const u = unwrap(n);
  if (!u || u.type !== 'CallExpression') return null;
  const callee = unwrap(child(u, 'callee'));
  if (callee?.type !== 'Identifier' || callee.name !== 'require') return null;
  return stringValue(args(u)[0] ?? null);
}

function declarator(scan: FileScan, d: Node): void {
  const id = child(d, 'id');
  const init = child(d, 'init');
  if (!id) return;
  const reqSrc = requireSource(init);
  // `const x = require('y').z`
  const reqMember = unwrap(init)?.type === 'MemberExpression' ? requireSource(child(unwrap(init)!, 'object')) : null;
  if (id.type === 'Identifier') {
    const name = id.name as string;
    addBinding(scan, { name, init, key: null, def: null, fn: null, start: d.start });
    if (reqSrc) scan.imports.set(name, { local: name, source: reqSrc, imported: 'default' });
    else if (reqMember) scan.imports.set(name, { local: name, source: reqMember, imported: memberProp(init) ?? 'default' });
    return;
  }
  if (id.type !== 'ObjectPattern') return;
  const fromEnv = isProcessEnv(init);
  for (const p of children(id, 'properties')) {
    if (p.type !== 'Property') continue;
    const key = propName(child(p, 'key'));
    let value = child(p, 'value');
    let def: Node | null = null;
    if (value?.type === 'AssignmentPattern') {
      def = child(value, 'right');
      value = child(value, 'left');
    }
    const local = identName(value);
    if (!key || !local) continue;
    addBinding(scan, { name: local, init, key, def, fn: null, start: d.start });
    if (reqSrc) scan.imports.set(local, { local, source: reqSrc, imported: key });
    if (fromEnv && ENV_NAME.test(key)) scan.envReads.push({ name: key, node: p, def: literalText(def), via: 'destructure' });
  }
}

function exportDeclaration(scan: FileScan, decl: Node): void {
  if (decl.type === 'VariableDeclaration') {
    for (const d of children(decl, 'declarations')) {
      const id = child(d, 'id');
      if (id?.type === 'Identifier') scan.exports.set(id.name as string, { local: id.name as string });
      else if (id?.type === 'ObjectPattern')
        for (const p of children(id, 'properties')) {
          const v = child(p, 'value');
          const local = identName(v?.type === 'AssignmentPattern' ? child(v, 'left') : v);
          if (local) scan.exports.set(local, { local });
        }
    }
  } else {
    const id = child(decl, 'id');
    if (id?.type === 'Identifier') scan.exports.set(id.name as string, { local: id.name as string });
  }
}

function urlCompareOf(test: Node | null, out: Array<{ path: string; node: Node }>): void {
  const u = unwrap(test);
  if (!u) return;
  if (u.type === 'LogicalExpression') {
    urlCompareOf(child(u, 'left'), out);
    urlCompareOf(child(u, 'right'), out);
    return;
  }
  if (u.type === 'BinaryExpression' && (u.operator === '===' || u.operator === '==')) {
    const l = child(u, 'left');
    const r = child(u, 'right');
    for (const [a, b] of [
      [l, r],
      [r, l],
    ] as const) {
      const prop = memberProp(a);
      const s = stringValue(b);
      if (prop && URL_PROPS.has(prop) && s?.startsWith('/')) out.push({ path: s, node: u });
    }
  } else if (u.type === 'CallExpression' && memberProp(child(u, 'callee')) === 'startsWith') {
    const obj = unwrap(child(unwrap(child(u, 'callee'))!, 'object'));
    const s = stringValue(args(u)[0] ?? null);
    if (obj && URL_PROPS.has(memberProp(obj) ?? '') && s?.startsWith('/')) out.push({ path: s, node: u });
  }
}

const CLIENT_LIBS = /^(react|react-dom|vue|svelte|preact|solid-js|@angular\/core|react-native|@tanstack\/react-query|mobx-react|next\/navigation|next\/router)$/;

/** Browser code (a React hook, a Vue component): its timers and fetches are not the server's. */
export function isClientModule(scan: FileScan): boolean {
  if (/\.[jt]sx$/.test(scan.file) || /(^|\/)(hooks|components|client|frontend|composables|stores)\//.test(scan.file)) return true;
  for (const s of scan.importSources) if (CLIENT_LIBS.test(s)) return true;
  return false;
}

/** Parse and scan one file. Returns the scan even with recoverable syntax errors (oxc recovers). */
// Names that hold process.env in the file being scanned (`const env = process.env`, `const { env } = process`): their
// members are env reads. Set for the duration of scanFile (synchronous), empty otherwise.
const NO_ALIASES: ReadonlySet<string> = new Set();
let envAliases: ReadonlySet<string> = NO_ALIASES;

/** `{ ...process.env }`, `Object.assign({}, process.env)`, `cloneDeep(process.env)`: a copy of the environment. */
function envCopy(init: Node | null): boolean {
  const u = unwrap(init);
  if (u?.type === 'ObjectExpression') {
    const props = children(u, 'properties');
    return props.length === 1 && props[0]!.type === 'SpreadElement' && isProcessEnv(child(props[0]!, 'argument'));
  }
  if (u?.type !== 'CallExpression') return false;
  const a = args(u);
  const name = identName(child(u, 'callee')) ?? memberProp(child(u, 'callee'));
  const into = unwrap(a[0] ?? null);
  if (name === 'assign') return a.length === 2 && into?.type === 'ObjectExpression' && children(into, 'properties').length === 0 && isProcessEnv(a[1] ?? null);
  return a.length === 1 && isProcessEnv(a[0] ?? null) && /clone/i.test(name ?? '');
}

/**
 * `X[k] = process.env[k]` (or `X[trim(k)] = trim(process.env[k])`, nightscout's shadowEnv): X is filled key by key
 * with the variables under their own names. Another key (`X[k.slice(4)]`) renames them: not a copy.
 */
function filledCopy(n: Node): string | null {
  if (n.type !== 'AssignmentExpression' || n.operator !== '=') return null;
  const left = unwrap(child(n, 'left'));
  const target = left?.type === 'MemberExpression' && left.computed ? unwrap(child(left, 'object')) : null;
  if (target?.type !== 'Identifier') return null;
  let key: string | null = null;
  walk(n.right, (x) => {
    if (key) return false;
    if (x.type === 'MemberExpression' && x.computed && isProcessEnv(child(x, 'object'))) key = identName(child(x, 'property'));
    return;
  });
  if (!key) return null;
  const prop = unwrap(child(left!, 'property'));
  const asIs = (x: Node | null) => identName(x) === key;
  const trimmed =
    prop?.type === 'CallExpression' &&
    (/trim/i.test(identName(child(prop, 'callee')) ?? '') ? args(prop).length === 1 && asIs(args(prop)[0] ?? null) : memberProp(child(prop, 'callee')) === 'trim' && asIs(child(unwrap(child(prop, 'callee'))!, 'object')));
  return asIs(prop) || trimmed ? (target.name as string) : null;
}

/**
 * Names bound to process.env: constants (`const env = process.env`, `const { env } = process`, `const { env: e } =
 * process`), and copies of it (`{ ...process.env }`, `Object.assign({}, process.env)`, one filled key by key).
 */
/** SvelteKit's environment modules: `$env/dynamic/*` exports `env`, read at run time; `$env/static/*` the variables, inlined by the build. */
export const SVELTEKIT_DYNAMIC_ENV = /^\$env\/dynamic\/(private|public)$/;
export const SVELTEKIT_STATIC_ENV = /^\$env\/static\/(private|public)$/;

function processEnvAliases(program: Node): ReadonlySet<string> {
  const out = new Set<string>();
  // SvelteKit's `import { env } from '$env/dynamic/private'`: its members are the variables, as process.env's are.
  for (const n of children(program, 'body'))
    if (n.type === 'ImportDeclaration' && SVELTEKIT_DYNAMIC_ENV.test(stringValue(child(n, 'source')) ?? ''))
      for (const sp of children(n, 'specifiers')) if (sp.type === 'ImportSpecifier' && propName(child(sp, 'imported')) === 'env') out.add(identName(child(sp, 'local')) ?? 'env');
  walk(program, (n) => {
    const copy = filledCopy(n);
    if (copy) out.add(copy);
    if (n.type === 'AssignmentExpression' && n.operator === '=' && envCopy(child(n, 'right'))) {
      const id = identName(child(n, 'left'));
      if (id) out.add(id);
    }
    // A parameter that defaults to it (inbox-zero's worker: `function createRuntime(env = process.env)`).
    if (n.type === 'AssignmentPattern' && isProcessEnv(unwrap(child(n, 'right')))) {
      const id = identName(child(n, 'left'));
      if (id) out.add(id);
    }
    if (n.type !== 'VariableDeclaration') return;
    for (const d of children(n, 'declarations')) {
      const id = child(d, 'id');
      const init = unwrap(child(d, 'init'));
      if (id?.type === 'Identifier' && ((n.kind === 'const' && isProcessEnv(init)) || envCopy(init))) out.add(id.name as string);
      else if (n.kind === 'const' && id?.type === 'ObjectPattern' && init?.type === 'Identifier' && init.name === 'process')
        for (const p of children(id, 'properties')) {
          const value = child(p, 'value');
          if (p.type === 'Property' && propName(child(p, 'key')) === 'env' && value?.type === 'Identifier') out.add(value.name as string);
        }
    }
  });
  return out;
}

export function scanFile(file: string, text: string): FileScan {
  const parsed = parseSource(file, text);
  envAliases = text.includes('process') || text.includes('$env/dynamic/') ? processEnvAliases(parsed.program) : NO_ALIASES;
  try {
    return scanParsed(file, parsed);
  } finally {
    envAliases = NO_ALIASES;
  }
}

function scanParsed(file: string, parsed: ParsedSource): FileScan {
  const scan: FileScan = {
    file,
    parsed,
    imports: new Map(),
    importSources: new Set(),
    bindings: new Map(),
    exports: new Map(),
    starExports: [],
    calls: [],
    news: [],
    callsByName: new Map(),
    newsByName: new Map(),
    envArgCalls: [],
    envReads: [],
    envWrites: new Set(),
    envAliases: envAliases,
    classes: [],
    urlCompares: [],
    topLevelIntervals: [],
    signalLiterals: new Set(),
  };
  const defaults = new Map<number, string>();
  // Env reads whose presence the code tests, by offset: marked on the way down, read at the member.
  const tested = new Set<number>();
  // Env reads passed as a call's first argument, by offset, with the call.
  const argOf = new Map<number, Node>();
  // Env reads that are an object literal's property value, by offset, with the literal's start.
  const groupOf = new Map<number, number>();
  // Env reads whose absence makes the service stop (`if (X == null) throw`): never optional.
  const required = new Set<number>();
  // env-var's chains on a read, by the read's offset: `.default('4100')`, `.required()` (envVarChain).
  const chains = new Map<number, EnvVarChain>();
  // Branches that do not run as deployed (`NODE_ENV === 'test' ? TEST_DB : DB`, `case 'postgres':` of a switch on a
  // DATABASE_TYPE that is unset): what they read is optional.
  const offByDefault: Node[] = [];
  // require() specifiers by whether the call runs as deployed.
  const requiredOn = new Set<string>();
  const requiredOff = new Set<string>();
  // Code that runs only when some variables are set (the consequent of `if (A && B)`, `A ? x : y`, `A && x`), with them.
  const gates: Array<{ scope: Node; names: Set<string> }> = [];
  // The binding of a name the file declares once (null: never, or more than once).
  const sole = (name: string | null) => {
    const list = name ? scan.bindings.get(name) : undefined;
    return list?.length === 1 ? list[0]! : null;
  };
  // The text a name the file binds once to a string literal: `const DUMMY_SECRET = "DUMMY_SECRET"`.
  const constText = (n: Node | null): string | null => {
    const b = sole(identName(unwrap(n)));
    return b && !b.fn && b.key === null ? stringValue(b.init) || null : null;
  };
  // A name the file binds once to a variable as it is (`const dsn = process.env.SENTRY_DSN`, `const { DSN } = process.env`).
  const heldVar = (name: string): string | null => {
    const b = sole(name);
    if (!b || b.def || b.fn) return null;
    if (b.key !== null) return isProcessEnv(b.init) ? b.key : null;
    return envMember(aliasedRead(b.init, (x) => envMember(x) !== null))?.name ?? null;
  };
  const gate = (test: Node | null, scope: Node | null): void => {
    const names = setWhen(test, heldVar);
    if (scope && names?.size) gates.push({ scope, names });
  };
  const gated = (name: string, at: number) => gates.some((g) => !g.names.has(name) && covers(g.scope, at));
  // Names declared once with a variable as their value, and where they are used (null: declared more than once).
  const held = new Map<string, Held | null>();
  // `const JWT_SECRET = process.env.JWT_SECRET || 'dev'`: the name, the read and its literal default; and the reads whose
  // default the code refuses (`if (prod && JWT_SECRET === 'dev') throw`, growthbook): without the variable it stops.
  const defaulted = new Map<string, { read: number; def: string }>();
  const refusedDefault = new Set<number>();
  const refusing = new Set<number>();
  // Reads whose fallback signs or encrypts (`jwt.sign(d, process.env.K || 'dev')`, `{ secret: process.env.S || 'x' }`).
  const signing = new Set<number>();
  // A setting read directly, or through a name the file binds once to it (postiz's `const storageProvider =
  // process.env.STORAGE_PROVIDER || 'local'`, then `switch (storageProvider)`).
  const settingHeld = (n: Node): ReturnType<typeof settingOf> => {
    const direct = settingOf(n);
    const u = unwrap(n);
    if (direct || u?.type !== 'Identifier') return direct;
    const b = sole(u.name as string);
    return b && !b.fn && !b.def && b.key === null && b.init ? settingOf(b.init) : null;
  };
  // The comparison a name is bound to once (`const prod = ENVIRONMENT === 'production'`), for a test that names it.
  const heldTest = (id: Node): Node | null => {
    const b = sole(id.name as string);
    const init = b && !b.fn && !b.def && b.key === null ? unwrap(b.init ?? null) : null;
    return init && (init.type === 'BinaryExpression' || init.type === 'LogicalExpression' || init.type === 'UnaryExpression') ? init : null;
  };
  const offBranch = (n: Node) => offByDefault.push(...branchesOffByDefault(n, settingHeld, heldTest));
  // The env read behind `obj.prop` of an object literal the file binds once (`{ prop: process.env.X || '' }`), by offset.
  const configPropRead = (x: Node | null): string | null => {
    const u = unwrap(x);
    const obj = u?.type === 'MemberExpression' ? identName(unwrap(child(u, 'object'))) : null;
    const prop = u ? memberProp(u) : null;
    const init = unwrap(sole(obj)?.init ?? null);
    if (!prop || init?.type !== 'ObjectExpression') return null;
    let v = unwrap(objectProp(init, prop));
    if (v?.type === 'LogicalExpression' && (v.operator === '||' || v.operator === '??') && stringValue(child(v, 'right')) === '') v = unwrap(child(v, 'left'));
    return v && envReadName(v) !== null ? String(v.start) : null;
  };
  const runsWithout = (at: number) => offByDefault.some((b) => covers(b, at));
  // `X`, `!X`, and each operand of `A || X` / `A && X`: the code runs either way.
  const markTested = (x: Node | null): void => {
    // `!Number(X)`, `if (parseInt(X))`: NaN when unset, false like `!X` (kener's `!!Number(process.env.SMTP_SECURE)`).
    const u = throughNumber(x);
    if (!u) return;
    if (envReadName(u) !== null) tested.add(u.start);
    else if (u.type === 'LogicalExpression' && (u.operator === '||' || u.operator === '&&')) {
      markTested(child(u, 'left'));
      markTested(child(u, 'right'));
    } else if (u.type === 'UnaryExpression' && (u.operator === '!' || u.operator === 'typeof')) markTested(child(u, 'argument'));
  };

  walk(parsed.program, (n, parent) => {
    switch (n.type) {
      case 'TSTypeAnnotation':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSTypeParameterInstantiation':
      case 'TSTypeParameterDeclaration':
        return false;
      case 'ImportDeclaration': {
        const source = stringValue(child(n, 'source'));
        if (!source) return false;
        scan.importSources.add(source);
        if (n.importKind === 'type') return false;
        for (const s of children(n, 'specifiers')) {
          const local = identName(child(s, 'local'));
          if (!local) continue;
          const imported =
            s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : (propName(child(s, 'imported')) ?? local);
          scan.imports.set(local, { local, source, imported });
          // SvelteKit's `import { OPENAI_API_KEY } from '$env/static/private'`: each name is a variable, which the build inlines.
          if (SVELTEKIT_STATIC_ENV.test(source) && s.type === 'ImportSpecifier' && ENV_NAME.test(imported)) scan.envReads.push({ name: imported, node: s, def: null, via: 'import.meta.env' });
        }
        return false;
      }
      case 'ImportExpression': {
        const s = stringValue(child(n, 'source'));
        if (s) scan.importSources.add(s);
        return;
      }
      case 'ExportNamedDeclaration': {
        const decl = child(n, 'declaration');
        const source = stringValue(child(n, 'source'));
        if (decl) exportDeclaration(scan, decl);
        for (const s of children(n, 'specifiers')) {
          const local = propName(child(s, 'local'));
          const exported = propName(child(s, 'exported'));
          if (!local || !exported) continue;
          scan.exports.set(exported, source ? { from: { source, imported: local } } : { local });
        }
        if (source) scan.importSources.add(source);
        return;
      }
      case 'ExportDefaultDeclaration': {
        const decl = child(n, 'declaration');
        if (decl) {
          const name = identName(decl);
          scan.exports.set('default', name ? { local: name } : { node: decl });
        }
        return;
      }
      case 'ExportAllDeclaration': {
        const s = stringValue(child(n, 'source'));
        if (s) {
          scan.importSources.add(s);
          scan.starExports.push(s);
        }
        return false;
      }
      case 'VariableDeclarator': {
        declarator(scan, n);
        // `const keyId = process.env.KEY_ID`: where the name is used decides whether the read is gated (below).
        const id = child(n, 'id');
        const read = envMember(unwrap(child(n, 'init')));
        if (id?.type === 'Identifier' && read) {
          const name = id.name as string;
          held.set(name, held.has(name) ? null : { read: unwrap(child(n, 'init'))!.start, decl: id.start, name: read.name, refs: [] });
        }
        const init = unwrap(child(n, 'init'));
        if (id?.type === 'Identifier' && init?.type === 'LogicalExpression' && (init.operator === '||' || init.operator === '??')) {
          const left = unwrap(child(init, 'left'));
          const def = stringValue(child(init, 'right'));
          if (left && def !== null && envMember(left)) defaulted.set(id.name as string, { read: left.start, def });
        }
        return;
      }
      case 'Identifier': {
        const h = held.get(n.name as string);
        if (h && n.start !== h.decl && isReference(n, parent)) h.refs.push(n.start);
        return;
      }
      case 'FunctionDeclaration': {
        const id = child(n, 'id');
        if (id?.type === 'Identifier') addBinding(scan, { name: id.name as string, init: n, key: null, def: null, fn: n, start: n.start });
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        if (children(n, 'decorators').length > 0) scan.classes.push(n);
        const id = child(n, 'id');
        if (n.type === 'ClassDeclaration' && id?.type === 'Identifier') addBinding(scan, { name: id.name as string, init: n, key: null, def: null, fn: null, start: n.start });
        return;
      }
      case 'CallExpression': {
        scan.calls.push(n);
        const callee = unwrap(child(n, 'callee'));
        index(scan.callsByName, callee, n);
        if (args(n).some(isProcessEnv)) scan.envArgCalls.push(n);
        const calleeName = callee?.type === 'Identifier' ? (callee.name as string) : callee ? memberProp(callee) : null;
        // `z.coerce.number().catch(150).parse(process.env.MAX_REQUESTS_PER_MINUTE)` (lunary): the schema's default is the read's.
        if ((calleeName === 'parse' || calleeName === 'safeParse') && callee?.type === 'MemberExpression') {
          const read = unwrap(args(n)[0] ?? null);
          const chain = read && envMember(read) ? schemaChainDefault(child(callee, 'object')) : null;
          if (chain?.def != null) defaults.set(read!.start, chain.def);
          else if (chain?.optional) tested.add(read!.start);
        }
        if (calleeName && SIGNING_CALLS.test(calleeName)) for (const a of args(n)) {
          const key = keyMaterial(a);
          if (key) signing.add(key.start);
        }
        if (!calleeName || !COERCE_CALLS.has(calleeName)) for (const r of fallbackChain(args(n)[0] ?? null)) if (!argOf.has(r.start)) argOf.set(r.start, n);
        // `Boolean(A || B || C)`, like `!!X`: each a presence test, false when unset (ai-chatbot's CI_PLAYWRIGHT).
        if (callee?.type === 'Identifier' && BOOLEAN_PARSER.test(callee.name as string)) markTested(args(n)[0] ?? null);
        if (callee?.type === 'Identifier') {
          const cname = callee.name as string;
          if (cname === 'require') {
            const s = stringValue(args(n)[0] ?? null);
            if (s) {
              scan.importSources.add(s);
              (runsWithout(n.start) ? requiredOff : requiredOn).add(s);
            }
          }
        }
        const chain = envVarChain(n);
        if (chain && !chains.has(chain.read.start)) chains.set(chain.read.start, chain);
        const c = chains.get(n.start);
        const read = helperRead(n);
        const h = read && c ? { ...read, def: c.def, throws: c.required, fallback: c.def !== null || !c.required } : read;
        if (h) {
          const call = argOf.get(n.start);
          const optional = runsWithout(n.start) || (!h.throws && (tested.has(n.start) || (h.fallback && h.def === null)) && !required.has(n.start));
          // A fallback after a helper that throws never runs: no default from the code around it.
          const def = h.def ?? (h.throws ? null : defaults.get(n.start)) ?? null;
          const group = groupOf.get(n.start);
          scan.envReads.push({ name: h.name, node: n, def, via: 'helper', ...(optional ? { optional: true } : {}), ...(call && !h.throws ? { argOf: call } : {}), ...(group !== undefined && !h.throws ? { group } : {}), ...(!h.throws && !required.has(n.start) && gated(h.name, n.start) ? { gated: true } : {}) });
        }
        return;
      }
      case 'ObjectExpression':
        offByDefault.push(...entriesOffByDefault(n));
        // `{ host: process.env.MAIL_HOST, port: toInt(process.env.MAIL_PORT, 587) }`: the value, through coercions,
        // fallbacks and the first argument of a helper.
        for (const p of children(n, 'properties')) {
          if (p.type !== 'Property' || p.kind !== 'init' || p.method) continue;
          const v = uncoerce(child(p, 'value'));
          for (const r of [...fallbackChain(v), ...(v?.type === 'CallExpression' ? fallbackChain(args(v)[0] ?? null) : [])]) groupOf.set(r.start, n.start);
        }
        return;
      case 'NewExpression':
        scan.news.push(n);
        index(scan.newsByName, unwrap(child(n, 'callee')), n);
        return;
      case 'LogicalExpression':
        if (n.operator === '&&') {
          markTested(child(n, 'left'));
          gate(child(n, 'left'), child(n, 'right'));
        }
        if (n.operator === '||' || n.operator === '??') {
          // `A || B || 3000` is `(A || B) || 3000`: 3000 is the default of A and of B. The walk goes down
          // the tree, so a nearer literal (`A || 5 || 3000`) is set later and wins.
          // A module constant holding text is a literal fallback too (kener's `KENER_SECRET_KEY || DUMMY_SECRET`).
          const def = literalText(uncoerce(child(n, 'right'))) ?? constText(child(n, 'right'));
          // A computed fallback (`X ?? LogLevel.error`, `A || B`): the code runs without the variable, unless the
          // fallback refuses to (`X || missing('X')`).
          const refused = def === null && refusesExpr(child(n, 'right'));
          for (const r of fallbackChain(child(n, 'left'))) {
            if (def !== null) defaults.set(r.start, def);
            else if (!refused) tested.add(r.start);
            if (def !== null && signingUse(n, parent)) signing.add(r.start);
          }
          // `options.edgeKey ?? process.env.EDGE_KEY`: the code has a value of its own first (a caller's option, a
          // file it read); the variable is only its fallback, so the service runs without it.
          const left = child(n, 'left');
          if (fallbackChain(left).length === 0 && !isConstant(left)) for (const r of fallbackChain(child(n, 'right'))) tested.add(r.start);
        }
        return;
      case 'ConditionalExpression': {
        offBranch(n);
        gate(child(n, 'test'), child(n, 'consequent'));
        // `X ? X : missing('X')` refuses to go on without it.
        if (!refusesExpr(child(n, 'alternate'))) markTested(child(n, 'test'));
        // `process.env.PORT ? Number(process.env.PORT) : 5006`: 5006 is the default of that variable.
        const test = uncoerce(child(n, 'test'));
        const cons = uncoerce(child(n, 'consequent'));
        const def = literalText(uncoerce(child(n, 'alternate')));
        const t = envReadName(test);
        const c = envReadName(cons);
        if (def !== null && t !== null && t === c) {
          defaults.set(test!.start, def);
          defaults.set(cons!.start, def);
        }
        return;
      }
      case 'BinaryExpression':
        // `X === 'true'`, `X != null`, `typeof X === 'string'`: a flag or a presence test, false when unset; not when
        // asserted (`invariant(typeof X === 'string')` refuses to go on without it).
        if (EQUALITY.has(n.operator as string) && !isAssertionOf(parent, n)) {
          const l = child(n, 'left');
          const r = child(n, 'right');
          if (isConstant(r)) markTested(l);
          if (isConstant(l)) markTested(r);
        }
        return;
      case 'UnaryExpression': {
        // `!!process.env.X`: a presence test.
        const inner = n.operator === '!' ? unwrap(child(n, 'argument')) : null;
        if (inner?.type === 'UnaryExpression' && inner.operator === '!') markTested(child(inner, 'argument'));
        return;
      }
      case 'MemberExpression': {
        // `process.env.X?.split(',')`: the code allows for it being unset.
        if (n.optional) markTested(child(n, 'object'));
        const env = envMember(n);
        if (env) {
          // `process.env.hasOwnProperty(k)` calls a method; `process.env.X = v` and `delete process.env.X` write.
          if (parent?.type === 'CallExpression' && child(parent, 'callee') === n) return false;
          // Setting it gives it a value; deleting it (`if (X === '') delete process.env.X`) only normalises.
          if (parent?.type === 'AssignmentExpression' && child(parent, 'left') === n) {
            scan.envWrites.add(env.name);
            return false;
          }
          if (parent?.type === 'UnaryExpression' && parent.operator === 'delete') return false;
          const call = argOf.get(n.start);
          const optional = runsWithout(n.start) || (tested.has(n.start) && !required.has(n.start));
          const group = groupOf.get(n.start);
          scan.envReads.push({ name: env.name, node: n, def: defaults.get(n.start) ?? null, via: env.via, ...(optional ? { optional: true } : {}), ...(call ? { argOf: call } : {}), ...(group !== undefined ? { group } : {}), ...(!required.has(n.start) && gated(env.name, n.start) ? { gated: true } : {}), ...(refusing.has(n.start) && !optional ? { refusing: true } : {}), ...(signing.has(n.start) || (!defaults.has(n.start) && signingUse(n, parent)) ? { signing: true } : {}) });
          return false;
        }
        return;
      }
      case 'AssignmentExpression': {
        const left = unwrap(child(n, 'left'));
        const path = memberPath(left);
        if (!path) return;
        if (path.length === 2 && path[0] === 'module' && path[1] === 'exports') {
          const right = unwrap(child(n, 'right'));
          if (right) {
            scan.exports.set('default', { node: right });
            if (right.type === 'ObjectExpression')
              for (const p of children(right, 'properties')) {
                const k = propName(child(p, 'key'));
                const v = child(p, 'value');
                if (k && v) scan.exports.set(k, identName(v) ? { local: identName(v)! } : { node: v });
              }
          }
        } else if ((path.length === 3 && path[0] === 'module' && path[1] === 'exports') || (path.length === 2 && path[0] === 'exports')) {
          const right = child(n, 'right');
          const name = path[path.length - 1]!;
          if (right) scan.exports.set(name, identName(right) ? { local: identName(right)! } : { node: right });
        }
        return;
      }
      case 'IfStatement': {
        // `if (X)`, `if (!X) return fallback`: tested. `if (!X) throw …`, `if (X === undefined) throw …`: whatever
        // else tests X, the service refuses to run without it.
        markTested(child(n, 'test'));
        offBranch(n);
        gate(child(n, 'test'), child(n, 'consequent'));
        if (refuses(child(n, 'consequent'))) {
          for (const key of absenceOf(child(n, 'test'), (x) => (envReadName(x) !== null ? `${unwrap(x)!.start}:${envReadName(x)}` : null))) {
            const [at, name] = key.split(':') as [string, string];
            required.add(Number(at));
            // Refused where the client is then made with it (kener: `if (!process.env.REDIS_URL) throw …; new IORedis(process.env.REDIS_URL)`).
            if (constructsWith(parent, n, name)) refusing.add(Number(at));
          }
          // `if (!appConfig.encryptionKey) throw` over `const appConfig = { encryptionKey: process.env.ENCRYPTION_KEY || '' }`
          // (automatisch): the empty fallback is refused, the variable needed.
          for (const at of absenceOf(child(n, 'test'), configPropRead)) refusedDefault.add(Number(at));
          if (defaulted.size)
            walk(child(n, 'test'), (x) => {
              const eq = stringEquality(x);
              const d = eq ? defaulted.get(identName(eq.operand) ?? '') : undefined;
              if (d && eq!.value === d.def) refusedDefault.add(d.read);
            });
        }
        const found: Array<{ path: string; node: Node }> = [];
        urlCompareOf(child(n, 'test'), found);
        const scope = child(n, 'consequent');
        if (scope) for (const f of found) scan.urlCompares.push({ ...f, scope });
        return;
      }
      case 'SwitchStatement': {
        offBranch(n);
        const prop = memberProp(child(n, 'discriminant'));
        if (prop && URL_PROPS.has(prop))
          for (const c of children(n, 'cases')) {
            const s = stringValue(child(c, 'test'));
            if (s?.startsWith('/')) scan.urlCompares.push({ path: s, scope: c, node: c });
          }
        return;
      }
      case 'Literal':
        if (typeof n.value === 'string' && /^SIG[A-Z]+$/.test(n.value)) scan.signalLiterals.add(n.value);
        return;
      default:
        return;
    }
  });

  for (const stmt of children(parsed.program, 'body')) {
    const expr = stmt.type === 'ExpressionStatement' ? unwrap(child(stmt, 'expression')) : null;
    const inits = stmt.type === 'VariableDeclaration' ? children(stmt, 'declarations').map((d) => unwrap(child(d, 'init'))) : [expr];
    for (const e of inits) if (e?.type === 'CallExpression' && identName(child(e, 'callee')) === 'setInterval') scan.topLevelIntervals.push(e);
  }
  // A read held in a name used only where other variables are set (sharetribe: `const keyId = process.env.KEY_ID`,
  // used only in `if (rsaPublicKey && rsaPrivateKey) { … }`) is gated like a read there.
  // The walk saw only the uses after each declaration; a function above it may use the name too: those few candidates
  // are looked up again over the whole file.
  const candidates = new Map<string, Held>();
  for (const [name, h] of held) if (h && h.refs.length > 0 && h.refs.every((at) => gated(h.name, at))) candidates.set(name, h);
  if (candidates.size) {
    walk(parsed.program, (n, parent) => {
      const h = n.type === 'Identifier' ? candidates.get(n.name as string) : undefined;
      if (h && n.start !== h.decl && !h.refs.includes(n.start) && isReference(n, parent) && !gated(h.name, n.start)) candidates.delete(n.name as string);
    });
    for (const h of candidates.values()) {
      const r = scan.envReads.find((x) => x.node.start === h.read);
      if (r && !r.optional && !required.has(r.node.start)) r.gated = true;
    }
  }
  for (const r of scan.envReads)
    if (refusedDefault.has(r.node.start)) {
      r.def = null;
      r.refused = true;
      delete r.optional;
      delete r.gated;
    }
  const offOnly = [...requiredOff].filter((x) => !requiredOn.has(x));
  if (offOnly.length) scan.offImports = offOnly;
  // `const key = process.env.KEY; if (!key) return`: tested through the constant that holds it.
  if (scan.envReads.some((r) => r.def === null && !r.optional)) {
    const tested = testedAliasReads(parsed.program, (x) => envReadName(x) !== null, isProcessEnv);
    for (const r of scan.envReads) if (tested.has(r.node.start) && !(r.via === 'helper' && helperRead(r.node)?.throws)) r.optional = true;
  }
  return scan;
}
