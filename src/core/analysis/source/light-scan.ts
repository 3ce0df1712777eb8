import { COERCE_CALLS, NUMERIC_PARSE } from './ast.js';
import { escapeRegExp } from '../../escape-regexp.js';
import { HTTP_ERROR } from './presence.js';
import { CONNECTORS } from './database.js';
import { JSON_SCHEMA_ENV_MODULES } from './json-schema-env.js';
import { identHash, lex, punct, Tok, type Tokens } from './lexer.js';
import { BACKGROUND, LOGGERS, REQUEST_LOGGERS, START_WORDS } from './process-signals.js';
import { HTTP_CLIENT_HOLDER, HTTP_CLIENTS } from './routes.js';
import { RATE_LIMITERS } from './security.js';
import { classifyEnv } from './env-vars.js';
import type { ParsedSource } from '../parse.js';
import type { TextMarks } from './cached-scan.js';
import { BOOLEAN_PARSER, ENV_HELPER_NAMES, ENV_VAR_METHODS, TYPED_ENV_METHODS, type EnvRead, type FileScan } from './scan.js';
import { WRAPPERS } from './system-programs.js';

/**
 * The fast tier: from tokens alone, the facts a file contributes when nothing in it needs the
 * parser (env reads with their literal fallbacks, imported modules, plain route registrations),
 * or the reason it needs the parser. It must give exactly what the AST scan gives for such a file:
 * when a construct is not modelled here, the file goes to the parser (`needsAst`).
 */

export interface LightEnvRead {
  name: string;
  start: number;
  def: string | null;
  via: 'process.env' | 'import.meta.env' | 'destructure' | 'helper';
}

export interface LightRoute {
  method: string;
  path: string;
  /** Start of the call (its callee's root), as the AST reports it. */
  offset: number;
}

export interface LightScan {
  /** Why the file needs a full parse; null when the facts below are complete. */
  needsAst: string | null;
  envReads: LightEnvRead[];
  importSources: string[];
  routes: LightRoute[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UPPER_NAME = /^[A-Z][A-Z0-9_]*$/;
const LOG_OBJECT = /^(console|log|logger|fastify|\w*logger)$/i;
const CONFIG_OBJECT = /config|^env$/i;

/** Calls that apply a service's migrations (Flowise's runMigrations, docmost's migrateToLatest, Unleash's migrateDb). */
export const MIGRATE_CALLS = ['runMigrations', 'migrateToLatest', 'migrateDb', 'migrateDatabase', 'applyMigrations', 'runMigration', 'migrateLatest'];

/** Call/constructor names some concern looks up in the AST: a file mentioning one is parsed. */
const AST_NAMES = [
  ...MIGRATE_CALLS,
  'listen', 'serve', 'server', 'Server', 'createServer', 'createSecureServer', 'httpsOptions', 'defineConfig', 'createEnv', 'setGlobalPrefix', 'useGlobalGuards', 'addHook',
  'enableCors', 'enableShutdownHooks', 'createTerminus', 'closeWithGrace', 'createHttpTerminator', 'stoppable', 'createLightship',
  'gracefulShutdown', 'setInterval', 'Worker', 'CronJob', 'Cron', 'Agenda', 'schedule', 'register', 'route', 'use', 'basePath', 'prefix',
  'DataSource', 'NestFactory', 'Controller', 'JsonController', 'httpGet', 'httpPost', 'httpPut', 'httpPatch', 'httpDelete',
  // Migrations the service applies as it starts (startup-migrations.ts).
  'migrationsRun', 'migrate', 'migrator', 'getMigrator',
  // An auth library's options, which may leave its secret to the environment (auth-secrets.ts).
  'NextAuth',
  // Paths built from where the code is, which may point at another package's build output (served-paths.ts).
  '__dirname', 'fileURLToPath', 'appRoot',
  // `{ development: {…}, production: {…} }`: entries other than production do not run as deployed (default-branch.ts).
  'production',
];
/** Modules whose use is judged from calls (database clients, CORS, sessions, schedulers, fastify). */
// Built on first use: the detector modules that own these lists import this one (a cycle at load time).
let astModules: Set<string> | null = null;
function isAstModule(s: string): boolean {
  astModules ??= new Set([
    ...Object.keys(CONNECTORS), ...BACKGROUND.map((b) => b.module), 'fastify', 'cors', '@koa/cors', 'kcors', 'hono/cors', '@fastify/cors', 'fastify-cors',
    'express-session', '@fastify/session', 'fastify-session', 'drizzle-orm', 'convict', '@nestjs/config', 'cluster', 'node:cluster', 'multer', 'formidable', 'class-validator', '@adonisjs/core/env', '@ladjs/graceful',
    ...JSON_SCHEMA_ENV_MODULES,
  ]);
  return astModules.has(s) || AST_MODULE_RE.test(s);
}
// SvelteKit's `$env/dynamic/private` and `$env/static/private` modules: the parser reads their variables (scan.ts).
const AST_MODULE_RE = /^drizzle-orm\/|under-pressure$|^\$env\//;

const ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all'];
const LOG_METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'notice', 'fatal', 'dir', 'table'];
const URL_PROPS = ['url', 'pathname', 'path', 'originalUrl'];
const SERVER_ROOTS = ['Router', 'express', 'Hono', 'Koa', 'Fastify', 'fastify', 'createApp', 'createRouter'];

type Kind = 'ast' | 'process' | 'bun' | 'import' | 'export' | 'require' | 'typeof' | 'helper' | 'get' | 'route' | 'log' | 'url' | 'decl' | 'server';
const NAMES = new Map<number, Array<[string, Kind]>>();
// A bit per low 16 bits of the hash: most identifiers are rejected without a map lookup.
const MAYBE = new Uint8Array(8192);
function name(n: string, k: Kind): void {
  const h = identHash(n);
  MAYBE[(h & 0xffff) >> 3]! |= 1 << (h & 7);
  const l = NAMES.get(h);
  if (l) l.push([n, k]);
  else NAMES.set(h, [[n, k]]);
}
for (const n of AST_NAMES) name(n, 'ast');
name('process', 'process');
name('Bun', 'bun');
name('import', 'import');
name('export', 'export');
name('require', 'require');
name('typeof', 'typeof');
for (const n of ENV_HELPER_NAMES) name(n, 'helper');
name('getOrThrow', 'get');
for (const n of ROUTE_METHODS) name(n, 'route');
for (const n of LOG_METHODS) name(n, 'log');
for (const n of URL_PROPS) name(n, 'url');
for (const n of ['const', 'let', 'var']) name(n, 'decl');
for (const n of SERVER_ROOTS) name(n, 'server');

const H = {
  env: identHash('env'),
  meta: identHash('meta'),
  on: identHash('on'),
  once: identHash('once'),
  addListener: identHash('addListener'),
  from: identHash('from'),
  type: identHash('type'),
  as: identHash('as'),
  satisfies: identHash('satisfies'),
  await: identHash('await'),
  true: identHash('true'),
  false: identHash('false'),
  this: identHash('this'),
  function: identHash('function'),
  async: identHash('async'),
  new: identHash('new'),
  handler: identHash('handler'),
  case: identHash('case'),
  startsWith: identHash('startsWith'),
  if: identHash('if'),
  switch: identHash('switch'),
  typeof: identHash('typeof'),
  delete: identHash('delete'),
  throw: identHash('throw'),
  return: identHash('return'),
  while: identHash('while'),
};
const COERCE_H = new Set([...COERCE_CALLS].map(identHash));
const STATEMENT_PARENS = new Set(['if', 'while', 'for', 'switch', 'catch', 'with', 'function'].map(identHash));
const PAREN_KEYWORDS = new Set(['return', 'throw', 'case', 'yield', 'else', 'do', 'of', 'export', 'default', 'in', 'typeof', 'void', 'delete', 'instanceof', 'new', 'await'].map(identHash));
/** Keywords after which an operand starts an expression of its own (its `||` is the outermost). */
const OPERAND_OK_KEYWORDS = new Set(['return', 'throw', 'case', 'yield', 'else', 'do', 'of', 'export', 'default'].map(identHash));
const OPERAND_BAD_KEYWORDS = new Set(['in', 'typeof', 'void', 'delete', 'instanceof', 'new', 'as', 'satisfies', 'extends', 'keyof'].map(identHash));
const NON_HANDLER_IDENTS = new Set(['null', 'true', 'false', 'this', 'super'].map(identHash));

const P = {
  dot: punct('.'),
  qdot: punct('?.'),
  question: punct('?'),
  lparen: punct('('),
  rparen: punct(')'),
  lbrack: punct('['),
  rbrack: punct(']'),
  lbrace: punct('{'),
  rbrace: punct('}'),
  comma: punct(','),
  semi: punct(';'),
  eq: punct('='),
  arrow: punct('=>'),
  or: punct('||'),
  and: punct('&&'),
  nullish: punct('??'),
  q: punct('?'),
  colon: punct(':'),
  bang: punct('!'),
  plus: punct('+'),
  minus: punct('-'),
  lt: punct('<'),
  gt: punct('>'),
  star: punct('*'),
  eq2: punct('=='),
  eq3: punct('==='),
  ne2: punct('!='),
  ne3: punct('!=='),
  spread: punct('...'),
};
const OPERAND_OK_PUNCT = new Set(
  ['(', '[', '{', ',', ';', '=', '=>', '?', ':', '...', '}', ')', ']', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '&=', '|=', '^=', '&&=', '||=', '??='].map(punct),
);
const RHS_END_PUNCT = new Set([')', ']', '}', ',', ';', '?', ':', '||', '??'].map(punct));

const ASSIGN_PUNCT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??='].map(punct));
// Operators next to a name that make it (part of) a presence test.
const TEST_PUNCT = new Set(['!', '&&', '||', '??', '?', '?.', '==', '===', '!=', '!=='].map(punct));

class Unsure extends Error {}

/** Reads one file's tokens. */
class Reader {
  private identsByHash: Map<number, number[]> | null = null;
  private aliasTests = 0;
  readonly t: Tokens;
  readonly envReads: LightEnvRead[] = [];
  readonly importSources: string[] = [];
  readonly routes: LightRoute[] = [];
  private consumedEnv: Set<number> | null = null;
  private urlProp = false;
  /** Token index of each `process.env.X`-style read, to spot `X ? X : 'default'`. */
  private readonly memberReads: Array<{ name: string; tok: number }> = [];
  /** A '/…' string compared with ===/==, a `case '/…'`, or `startsWith('/…')`: half of a URL route test. */
  private slashCompare = false;
  private serverish = false;
  private clientRoutes = false;
  private closers: Int32Array | null = null;

  constructor(readonly text: string, jsx: boolean) {
    this.t = lex(text, jsx);
  }

  private kind(k: number): number {
    return k >= 0 && k < this.t.count ? this.t.kind[k]! : 0;
  }
  private isP(k: number, v: number): boolean {
    return this.kind(k) === Tok.Punct && this.t.val[k] === v;
  }
  private isId(k: number, h: number): boolean {
    return this.kind(k) === Tok.Ident && this.t.val[k] === h;
  }
  private str(k: number): string {
    return this.text.slice(this.t.start[k], this.t.end[k]);
  }
  private isDot(k: number): boolean {
    return this.isP(k, P.dot) || this.isP(k, P.qdot);
  }
  /** A string (or substitution-free template) token's value; throws Unsure when it has escapes. */
  private strValue(k: number): string | null {
    const kd = this.kind(k);
    if (kd !== Tok.String && kd !== Tok.Template) return null;
    if (this.t.val[k] === 1) throw new Unsure('escaped string');
    const v = this.text.slice(this.t.start[k]! + 1, this.t.end[k]! - 1);
    if (kd === Tok.Template && v.includes('\r')) throw new Unsure('template with CR');
    return v;
  }
  /**
   * `process.env.PORT ? Number(process.env.PORT) : 5006`: the parser records 5006 as the default of both
   * reads. Two reads of one name with a `?` between them in one statement go to the parser.
   */
  private conditionalEnvDefault(): boolean {
    // Consecutive reads of a name suffice: a `?` between two reads with no `;` between them lies between two
    // neighbours. Linear in reads (a generated config of 20,000 reads took 750 ms pairwise).
    const last = new Map<string, number>();
    for (const r of this.memberReads) {
      const prev = last.get(r.name);
      last.set(r.name, r.tok);
      if (prev === undefined) continue;
      for (let k = prev + 1; k < r.tok; k++) {
        if (this.isP(k, P.semi)) break;
        if (this.isP(k, P.question)) return true;
      }
    }
    return false;
  }

  /** `if (!X) throw ...` / `if (!X) { throw ...` / `if (!X) process.exit(...)` (`!` at token bang): the service refuses to run without X. */
  private refusedWithout(bang: number, endTok: number): boolean {
    if (!this.isP(bang - 1, P.lparen) || !this.isId(bang - 2, H.if)) return false;
    let q = endTok + 1;
    while (this.isP(q, P.rparen)) q++;
    if (q === endTok + 1) return false;
    const b = this.isP(q, P.lbrace) ? q + 1 : q;
    // A request's error (`throw new HttpException(…)`, presence.ts HTTP_ERROR) refuses nothing at start: the parser decides.
    if (this.isId(b, H.throw)) {
      const what = this.isId(b + 1, H.new) ? b + 2 : b + 1;
      return !this.isDot(what + 1) && !HTTP_ERROR.test(this.str(what));
    }
    return (this.kind(b) === Tok.Ident && this.str(b) === 'process' && this.isDot(b + 1) && this.str(b + 2) === 'exit' && this.isP(b + 3, P.lparen));
  }

  /** The name an env read starting at token k is assigned to (`x = process.env.X`, `x = Number(process.env.X)`), or -1. */
  private aliasTok(k: number): number {
    // Through parentheses, `await` and coercions (more than the parser's one coercion: handing over is safe).
    let s = k;
    for (;;) {
      if (this.isP(s - 1, P.lparen) && this.kind(s - 2) === Tok.Ident && COERCE_H.has(this.t.val[s - 2]!) && COERCE_CALLS.has(this.str(s - 2)) && !this.isDot(s - 3)) s -= 2;
      else if (this.isP(s - 1, P.lparen) || this.isId(s - 1, H.await)) s -= 1;
      else break;
    }
    return this.isP(s - 1, P.eq) && this.kind(s - 2) === Tok.Ident ? s - 2 : -1;
  }

  /** Whether the identifier at token i appears elsewhere where a presence test could read it (`!x`, `x ?`, `x &&`, `if (x)`, `x === c`...). */
  private testedElsewhere(i: number): boolean {
    const h = this.t.val[i]!;
    const name = this.str(i);
    // A file asks for one or two aliases: a pass over the token values is cheaper than indexing every
    // identifier. A config file of many aliases gets the index (by name hash) and stays linear.
    if (++this.aliasTests > 4 && !this.identsByHash) {
      this.identsByHash = new Map();
      for (let j = 0; j < this.t.count; j++) {
        if (this.kind(j) !== Tok.Ident) continue;
        const v = this.t.val[j]!;
        const list = this.identsByHash.get(v);
        if (list) list.push(j);
        else this.identsByHash.set(v, [j]);
      }
    }
    const test = (j: number): boolean => {
      if (j === i || this.str(j) !== name) return false;
      let p = j - 1;
      while (this.isP(p, P.lparen)) p--;
      let q = j + 1;
      while (this.isP(q, P.rparen)) q++;
      if (this.kind(p) === Tok.Punct && TEST_PUNCT.has(this.t.val[p]!)) return true;
      if (this.kind(q) === Tok.Punct && TEST_PUNCT.has(this.t.val[q]!)) return true;
      return this.isId(p, H.typeof) || (p < j - 1 && (this.isId(p, H.if) || this.isId(p, H.while)));
    };
    if (this.identsByHash) {
      for (const j of this.identsByHash.get(h) ?? []) if (test(j)) return true;
      return false;
    }
    const { val, kind, count } = this.t;
    for (let j = 0; j < count; j++) if (val[j] === h && kind[j] === Tok.Ident && test(j)) return true;
    return false;
  }

  private equality(j: number): boolean {
    return this.isP(j, P.eq2) || this.isP(j, P.eq3) || this.isP(j, P.ne2) || this.isP(j, P.ne3);
  }

  /** Whether the string at k is an operand of ===/== (through parentheses), a `case` label or startsWith's argument. */
  private comparedHere(k: number): boolean {
    const eq = (j: number) => this.isP(j, P.eq2) || this.isP(j, P.eq3);
    let l = k - 1;
    while (this.isP(l, P.lparen)) l--;
    let r = k + 1;
    while (this.isP(r, P.rparen)) r++;
    return eq(l) || eq(r) || this.isId(k - 1, H.case) || (this.isP(k - 1, P.lparen) && this.isId(k - 2, H.startsWith));
  }
  /** Index of the token closing the bracket opened at k (any closing bracket returns to its depth). */
  private close(k: number): number {
    const j = k >= 0 && k < this.t.count ? (this.closers ??= this.matchBrackets())[k]! : -1;
    if (j < 0) throw new Unsure('unbalanced brackets');
    return j;
  }

  /**
   * For each opening bracket, the token that closes it, or -1. One pass per file, built on first use:
   * a route call asks for the same brackets several times (the call, its arguments, the handler).
   */
  private matchBrackets(): Int32Array {
    const t = this.t;
    const out = new Int32Array(t.count).fill(-1);
    const open: number[] = [];
    for (let j = 0; j < t.count; j++) {
      if (t.kind[j] !== Tok.Punct) continue;
      const v = t.val[j];
      if (v === P.lparen || v === P.lbrack || v === P.lbrace) open.push(j);
      else if (v === P.rparen || v === P.rbrack || v === P.rbrace) {
        const o = open.pop();
        if (o !== undefined) out[o] = j;
      }
    }
    return out;
  }
  /** Whether token k ends an expression (so a following `+`/`-` is binary). */
  private endsExpr(k: number): boolean {
    const kd = this.kind(k);
    if (kd === Tok.Ident) return !PAREN_KEYWORDS.has(this.t.val[k]!) && !OPERAND_BAD_KEYWORDS.has(this.t.val[k]!);
    if (kd === Tok.Punct) return this.t.val[k] === P.rparen || this.t.val[k] === P.rbrack || this.t.val[k] === P.rbrace;
    return kd !== 0 && kd !== Tok.TemplateHead && kd !== Tok.TemplateMiddle;
  }

  run(): string | null {
    const t = this.t;
    if (t.unsure) return 'lexer unsure';
    try {
      for (let k = 0; k < t.count; k++) {
        const kd = t.kind[k];
        if (kd === Tok.Ident) {
          const h = t.val[k]!;
          if ((MAYBE[(h & 0xffff) >> 3]! & (1 << (h & 7))) === 0) continue;
          const list = NAMES.get(h);
          if (!list) continue;
          const len = t.end[k]! - t.start[k]!;
          for (const [n, what] of list) {
            if (n.length !== len || !this.text.startsWith(n, t.start[k])) continue;
            const why = this.ident(k, n, what);
            if (why) return why;
          }
        } else if (kd === Tok.String || kd === Tok.Template) {
          if (t.val[k] === 1) {
            if (/access-control|prefix|url|path|\\u|\\x/i.test(this.str(k))) return 'escaped string';
            continue;
          }
          if (this.text.charCodeAt(t.start[k]! + 1) === 47 && this.comparedHere(k)) this.slashCompare = true;
          // Only strings of these lengths can matter here: skip the rest without reading them.
          const size = t.end[k]! - t.start[k]! - 2;
          if (size !== 27 && size !== 6 && size !== 3 && size !== 8 && size !== 4 && size !== 11 && !this.isP(k - 1, P.lbrack)) continue;
          const v = this.strValue(k);
          if (v === null) continue;
          if (v.toLowerCase() === 'access-control-allow-origin') return 'CORS header';
          if (v === 'prefix') return 'router prefix';
          // `res.on('finish', ...)`: a hand-rolled request log the process concern reads from the AST.
          if (v === 'finish') return 'response finish listener';
          if (v === 'url' || v === 'pathname' || v === 'path' || v === 'originalUrl') this.urlProp = true;
          // `obj['get'](...)`: a computed method call is not modelled.
          if (this.isP(k - 1, P.lbrack) && this.isP(k + 1, P.rbrack) && this.isP(k + 2, P.lparen)) return 'computed call';
        }
      }
      if (this.conditionalEnvDefault()) return 'env read as a condition';
      // `if (req.url === '/health')`, `switch (url.pathname) { case '/…' }`: routing the parser reads.
      if (this.urlProp && this.slashCompare) return 'URL comparison';
      if (this.clientRoutes && this.serverish) return 'route on a client-named router';
    } catch (err) {
      if (err instanceof Unsure) return err.message;
      throw err;
    }
    this.envReads.sort((a, b) => a.start - b.start);
    return null;
  }

  private ident(k: number, n: string, what: Kind): string | null {
    const afterDot = this.isDot(k - 1);
    switch (what) {
      case 'ast':
        return n;
      case 'process':
      case 'bun':
        if (afterDot) return null;
        if (this.isP(k + 1, P.lbrack)) return 'computed process member';
        if (this.isDot(k + 1) && this.isId(k + 2, H.env)) return this.envAccess(k, k + 2, 'process.env');
        // `const { env } = process`: `env.X` below reads variables through the alias (scan.ts); the parser decides.
        if (what === 'process' && this.isP(k - 1, P.eq) && !this.isDot(k + 1) && !this.isP(k + 1, P.qdot)) return 'process as a value';
        if (what === 'process' && this.isDot(k + 1) && (this.isId(k + 2, H.on) || this.isId(k + 2, H.once) || this.isId(k + 2, H.addListener))) return 'process signal handler';
        return null;
      case 'import':
        if (afterDot) return null;
        if (this.isDot(k + 1)) {
          if (this.isId(k + 2, H.meta) && this.isDot(k + 3) && this.isId(k + 4, H.env)) return this.envAccess(k, k + 4, 'import.meta.env');
          return null;
        }
        if (this.isP(k + 1, P.lparen)) return this.callSpecifier(k + 2);
        return this.importStatement(k);
      case 'export':
        return afterDot ? null : this.exportStatement(k);
      case 'require':
        return afterDot || !this.isP(k + 1, P.lparen) ? null : this.callSpecifier(k + 2);
      case 'typeof': {
        const nx = k + 1;
        if (this.kind(nx) === Tok.Ident && ['process', 'Bun', 'import'].includes(this.str(nx))) return 'typeof env';
        return null;
      }
      case 'helper':
        if (afterDot || this.isId(k - 1, H.new)) return null;
        if (this.isP(k + 1, P.lt)) return 'env helper with type arguments';
        // Strapi's `env.int('PORT', 1337)` and its kin (scan.ts TYPED_ENV_METHODS): the parser reads them.
        if (this.isDot(k + 1) && this.kind(k + 2) === Tok.Ident && TYPED_ENV_METHODS.has(this.str(k + 2))) return 'typed env helper';
        return this.isP(k + 1, P.lparen) ? this.helperCall(k, k + 1) : null;
      case 'get':
        return afterDot ? this.configGet(k) : null;
      case 'route':
        if (!afterDot) return null;
        if (n === 'get') {
          const why = this.configGet(k);
          if (why) return why;
        }
        return this.routeCall(k, n);
      case 'log':
        return afterDot ? this.logCall(k) : null;
      case 'url':
        if (afterDot) this.urlProp = true;
        return null;
      case 'server':
        this.serverish = true;
        return null;
      case 'decl':
        if (this.isP(k + 1, P.lbrace)) return this.destructure(k + 1);
        return null;
    }
  }

  private source(s: string): void {
    if (!this.importSources.includes(s)) this.importSources.push(s);
  }

  private importStatement(k: number): string | null {
    if (this.strValue(k + 1) !== null) return this.importFrom(k + 1);
    for (let j = k + 1; j < Math.min(this.t.count, k + 400); j++) {
      if (this.isP(j, P.semi) || this.isP(j, P.eq) || this.isP(j, P.lparen)) return null;
      if (this.isId(j, H.from) && this.strValue(j + 1) !== null) return this.importFrom(j + 1);
    }
    return null;
  }

  private exportStatement(k: number): string | null {
    let j = k + 1;
    if (this.isId(j, H.type)) j++;
    if (this.isP(j, P.lbrace)) j = this.close(j) + 1;
    else if (this.isP(j, P.star)) {
      j++;
      if (this.isId(j, H.as)) j += 2;
    } else return null;
    return this.isId(j, H.from) ? this.importFrom(j + 1) : null;
  }

  /** `import('x')` / `require('x')`: a literal specifier as the first argument (k is the token after `(`). */
  private callSpecifier(k: number): string | null {
    return this.isP(k + 1, P.rparen) || this.isP(k + 1, P.comma) ? this.importFrom(k) : null;
  }

  /** Records the module specifier string at token k; a module whose use needs the AST says so. */
  private importFrom(k: number): string | null {
    const s = this.strValue(k);
    if (s === null) return null;
    this.source(s);
    return isAstModule(s) ? `imports ${s}` : null;
  }

  /** `process.env.X`, `process.env['X']`, `import.meta.env.X` starting at token k; `env` at e. */
  private envAccess(k: number, e: number, via: 'process.env' | 'import.meta.env'): string | null {
    if (this.consumedEnv?.has(e)) return null;
    let nameTok = -1;
    let endTok = -1;
    let name: string | null = null;
    if (this.isDot(e + 1) && (this.kind(e + 2) === Tok.Ident || this.kind(e + 2) === Tok.Private)) {
      if (this.kind(e + 2) === Tok.Private) return null;
      nameTok = e + 2;
      endTok = e + 2;
      name = this.str(nameTok);
    } else if (this.isP(e + 1, P.lbrack) || (this.isP(e + 1, P.qdot) && this.isP(e + 2, P.lbrack))) {
      const b = this.isP(e + 1, P.lbrack) ? e + 1 : e + 2;
      if (this.isP(b + 1, P.lparen)) return 'parenthesized env key';
      const v = this.strValue(b + 1);
      if (v === null || !this.isP(b + 2, P.rbrack)) return null;
      nameTok = b + 1;
      endTok = b + 2;
      name = v;
    } else {
      // `process.env` as a value (passed to a schema, spread, logged): the parser decides.
      return via === 'process.env' ? 'process.env as a value' : null;
    }
    if (!ENV_NAME.test(name)) return null;
    // `process.env.hasOwnProperty(k)`: a method, not a variable.
    if (this.isP(endTok + 1, P.lparen)) return null;
    // The code sets or deletes it: the parser records the write (scan.ts envWrites).
    if ((this.kind(endTok + 1) === Tok.Punct && ASSIGN_PUNCT.has(this.t.val[endTok + 1]!)) || this.isId(k - 1, H.delete)) return 'env var assigned';
    // A presence test (`if (X)`, `X ? a : b`, `X && y`, `!!X`, `X?.trim()`, `X === 'true'`, `X != null`) makes the
    // variable optional: the parser decides.
    // Through parentheses (`if ((X))`, `(X) && y`); a closing paren may also end a call (`f(X) && y`): handing over is safe.
    let before = k - 1;
    while (this.isP(before, P.lparen) || this.isId(before, H.await)) before--;
    // Through a coercion to a number (`!Number(X)`, `if (parseInt(X, 10) && b)`): as the parser's presence test sees it,
    // the coercion's call stands where the read would.
    let callEnd = endTok;
    while (this.kind(before) === Tok.Ident && this.isP(before + 1, P.lparen) && !this.isDot(before - 1) && NUMERIC_PARSE.has(this.str(before))) {
      callEnd = this.close(before + 1);
      before--;
      while (this.isP(before, P.lparen) || this.isId(before, H.await)) before--;
    }
    let after = callEnd + 1;
    while (this.isP(after, P.rparen)) after++;
    if (this.isP(before, P.bang) && (this.isP(before - 1, P.bang) || !this.refusedWithout(before, callEnd))) return 'env read tested for presence';
    if (before < k - 1 && this.kind(before) === Tok.Ident && BOOLEAN_PARSER.test(this.str(before))) return 'env read coerced to a boolean';
    if (this.isP(after, P.question) || this.isP(after, P.and) || this.isP(endTok + 1, P.qdot) || this.equality(after) || this.equality(before) || (after > endTok + 1 && this.isId(before, H.if)))
      return 'env read tested for presence';
    // `switch (process.env.DATABASE_TYPE)`: what its cases read depends on the choice; the parser decides.
    if (this.isId(before, H.switch)) return 'env read selects a branch';
    const def = this.logicalDefault(k, endTok);
    // A key with a fallback in the source (`process.env.JWT_SECRET || 'superSecret'`): whether something signs with it
    // (env-vars.ts known_fallback) is the parser's to see.
    if (def && classifyEnv(name) === 'server-secret') throw new Unsure('secret with a fallback');
    // One handed to a call or set as an option as it is (`.sign(new TextEncoder().encode(process.env.JWT_SECRET))`,
    // `{ secret: process.env.SESSION_SECRET }`): whether something signs with it (env-vars.ts signsWith) is the parser's.
    if (!def && (this.isP(k - 1, P.lparen) || this.isP(k - 1, P.comma) || this.isP(k - 1, P.colon)) && classifyEnv(name) === 'server-secret') throw new Unsure('secret as a key');
    // `const key = process.env.KEY` tested through `key` elsewhere (alias-tests.ts): the parser decides.
    const alias = this.aliasTok(k);
    if (alias >= 0 && this.testedElsewhere(alias)) return def === null ? 'env var held in a name tested for presence' : 'env default held in a name the code compares (a refused default?)';
    this.envReads.push({ name, start: this.t.start[k]!, def, via });
    this.memberReads.push({ name, tok: k });
    return null;
  }

  /** The literal fallback of `X || 'd'` / `Number(X) ?? 5` for the operand spanning tokens [l, r], as the AST scan records it. */
  private logicalDefault(l0: number, r0: number): string | null {
    let l = l0;
    let r = r0;
    for (;;) {
      const q = r + 1;
      // Unary `+`/`-` and `await` bind tighter than `||`: `+X || 3` has `+X` as its left operand.
      if ((this.isP(l - 1, P.plus) || this.isP(l - 1, P.minus)) && this.t.nl[l - 1] && this.endsExpr(l - 2)) throw new Unsure('line starting with + or -');
      if (((this.isP(l - 1, P.plus) || this.isP(l - 1, P.minus)) && !this.endsExpr(l - 2)) || this.isId(l - 1, H.await)) {
        l--;
        continue;
      }
      // A chain of fallbacks (`A || B || 3000`, `x || A`): the literal at its end is the default of every
      // read in it, as the parser finds it.
      if (this.isP(l - 1, P.or) || this.isP(l - 1, P.nullish)) throw new Unsure('env read after a fallback operator');
      if (this.isP(q, P.or) || this.isP(q, P.nullish)) {
        if (!this.operandStarts(l - 1)) return null;
        const def = this.rhsLiteral(q + 1);
        if (def === null) throw new Unsure('env read in a chain of fallbacks');
        // `X || ''` may be a fallback the code then refuses (`if (!config.key) throw`): scan.ts sees it in the AST.
        if (def === '') throw new Unsure('empty fallback');
        return def;
      }
      if (this.isId(q, H.as) || this.isId(q, H.satisfies) || this.isP(q, P.bang)) throw new Unsure('type assertion on env read');
      const p = l - 1;
      if (this.isP(p, P.lparen) && (this.isP(q, P.rparen) || this.isP(q, P.comma))) {
        const c = p - 1;
        const ck = this.kind(c);
        // `a\n(X)`: a call or, after ASI, a new statement; not modelled.
        if (this.t.nl[p] && this.endsExpr(c)) throw new Unsure('line starting with (');
        if (ck === Tok.Ident && !PAREN_KEYWORDS.has(this.t.val[c]!)) {
          if (STATEMENT_PARENS.has(this.t.val[c]!)) return null;
          // The first argument of a function: a helper that tests it gives it a default (helper-defaults.ts).
          if (!COERCE_H.has(this.t.val[c]!) || !COERCE_CALLS.has(this.str(c))) throw new Unsure('env read passed to a function');
          r = this.isP(q, P.comma) ? this.close(p) : q;
          l = this.chainStart(c);
          continue;
        }
        if (ck === Tok.Punct && (this.t.val[c] === P.rparen || this.t.val[c] === P.rbrack)) throw new Unsure('env read passed to a function');
        if (ck === Tok.Punct && this.t.val[c] === P.gt) throw new Unsure('call with type arguments');
        if (this.isP(q, P.comma)) return null;
        l = p;
        r = q;
        continue;
      }
      if ((this.isP(p, P.plus) || this.isP(p, P.minus)) && !this.endsExpr(p - 1)) {
        l = p;
        continue;
      }
      if (this.isId(p, H.await)) {
        l = p;
        continue;
      }
      if (this.isP(p, P.gt)) throw new Unsure('angle bracket before env read');
      // `{ host: process.env.MAIL_HOST, port: … }`: its siblings decide whether it is left unset on purpose (a
      // ternary's `: X` hands over too).
      if (this.isP(p, P.colon)) throw new Unsure('env read as a property value');
      return null;
    }
  }

  /** Start of the member chain whose last name is token c (`Number.parseInt` → `Number`). */
  private chainStart(c: number): number {
    let s = c;
    while (this.isDot(s - 1) && this.kind(s - 2) === Tok.Ident) s -= 2;
    if (this.isDot(s - 1)) throw new Unsure('call chain');
    return s;
  }

  /** Whether an operand starting after token p is the left operand of the outermost `||`/`??` there. */
  private operandStarts(p: number): boolean {
    const kd = this.kind(p);
    if (kd === 0 || kd === Tok.TemplateHead || kd === Tok.TemplateMiddle) return true;
    if (kd === Tok.Punct) return OPERAND_OK_PUNCT.has(this.t.val[p]!);
    if (kd === Tok.Ident) {
      const h = this.t.val[p]!;
      if (OPERAND_OK_KEYWORDS.has(h)) return true;
      if (OPERAND_BAD_KEYWORDS.has(h)) return false;
    }
    if (this.t.nl[p + 1]) return true;
    throw new Unsure('operand after an expression');
  }

  /** literalText(uncoerce(right)) for the right operand starting at token j. */
  private rhsLiteral(j: number): string | null {
    let k = j;
    const closers: Array<{ kind: 'paren' | 'call'; open: number }> = [];
    for (;;) {
      if (this.isP(k, P.lparen)) {
        closers.push({ kind: 'paren', open: k });
        k++;
      } else if (this.isP(k, P.plus) || this.isP(k, P.minus)) k++;
      else if (this.kind(k) === Tok.Ident && !this.isId(k, H.true) && !this.isId(k, H.false)) {
        let e = k;
        while (this.isDot(e + 1) && this.kind(e + 2) === Tok.Ident) e += 2;
        if (!this.isP(e + 1, P.lparen)) {
          if (this.isId(k, H.await)) throw new Unsure('await in fallback');
          return null;
        }
        if (!COERCE_CALLS.has(this.str(e))) return null;
        closers.push({ kind: 'call', open: e + 1 });
        k = e + 2;
      } else break;
    }
    const value = this.literal(k);
    if (value === null) return null;
    k++;
    while (closers.length) {
      const c = closers.pop()!;
      if (this.isId(k, H.as) || this.isId(k, H.satisfies) || this.isP(k, P.bang)) throw new Unsure('type assertion in fallback');
      if (c.kind === 'paren') {
        if (!this.isP(k, P.rparen)) return null;
        k++;
      } else {
        if (this.isP(k, P.comma)) k = this.close(c.open) + 1;
        else if (this.isP(k, P.rparen)) k++;
        else return null;
      }
    }
    return this.endsOperand(k) ? value : null;
  }

  private endsOperand(k: number): boolean {
    const kd = this.kind(k);
    // The end of the file, or of a template substitution (`${X || 'd'}`).
    if (kd === 0 || kd === Tok.TemplateMiddle || kd === Tok.TemplateTail) return true;
    if (this.isId(k, H.as) || this.isId(k, H.satisfies) || this.isP(k, P.bang)) throw new Unsure('type assertion');
    if (kd === Tok.Punct && RHS_END_PUNCT.has(this.t.val[k]!)) return true;
    if (this.t.nl[k] && kd === Tok.Ident && !OPERAND_BAD_KEYWORDS.has(this.t.val[k]!)) return true;
    return false;
  }

  /** literalText of a single literal token: strings, numbers, booleans. */
  private literal(k: number): string | null {
    const kd = this.kind(k);
    if (kd === Tok.String || kd === Tok.Template) return this.strValue(k);
    if (kd === Tok.Number) {
      const raw = this.str(k).replace(/_/g, '');
      if (/n$/.test(raw) || /^0\d/.test(raw)) throw new Unsure('unusual number literal');
      return String(Number(raw));
    }
    if (this.isId(k, H.true)) return 'true';
    if (this.isId(k, H.false)) return 'false';
    return null;
  }

  /**
   * A helper read (`env('X', 3000)`, `config.get('X', 3)`) with `(` at token `open` and its callee starting at token
   * `start`, or the reason the parser must read it: around it, code may test it, fall back from it or pass it on, as
   * around `process.env.X`.
   */
  private helperCall(start: number, open: number): string | null {
    const name = this.strValue(open + 1);
    if (name === null) {
      if (this.isP(open + 1, P.lparen)) throw new Unsure('parenthesized helper argument');
      return null;
    }
    if (!UPPER_NAME.test(name)) return null;
    // env-var's `env.get('PORT').default('4100').asPortNumber()`: the chain says what unset means (scan.ts envVarChain).
    const end = this.close(open);
    if (this.isDot(end + 1) && this.kind(end + 2) === Tok.Ident && ENV_VAR_METHODS.test(this.str(end + 2))) return 'env-var chain';
    // `{ host: env('HOST') }`: settings side by side, judged together (env-vars.ts settingsLeftUnset) by the parser.
    if (this.isP(start - 1, P.colon)) return 'helper read as a property value';
    if (!this.plainOperand(start, end)) return 'helper read in an expression';
    const alias = this.aliasTok(start);
    if (alias >= 0 && this.testedElsewhere(alias)) return 'helper read held in a name tested for presence';
    const after = open + 2;
    if (this.isP(after, P.rparen)) {
      this.envReads.push({ name, start: this.t.start[start]!, def: null, via: 'helper' });
      return null;
    }
    if (!this.isP(after, P.comma)) {
      if (this.isId(after, H.as) || this.isId(after, H.satisfies) || this.isP(after, P.bang)) throw new Unsure('type assertion on helper argument');
      return null;
    }
    // Second argument: a single literal token, else no default.
    let def: string | null = null;
    const a = after + 1;
    if (this.isP(a, P.lparen) || this.isId(a, H.await)) throw new Unsure('wrapped helper default');
    if (this.isP(a + 1, P.rparen) || this.isP(a + 1, P.comma)) def = this.literal(a);
    else if (this.isId(a + 1, H.as) || this.isId(a + 1, H.satisfies) || this.isP(a + 1, P.bang)) throw new Unsure('type assertion on helper default');
    // A fallback that is not one literal (`env('X', undefined)`, `[...]`): the code runs without the variable; the parser says so.
    if (def === null) return 'helper fallback that is not a literal';
    // `env.get('X', true)` may mark the variable optional rather than give it a value (scan.ts helperRead decides).
    if (def === 'true') return 'helper fallback true';
    this.envReads.push({ name, start: this.t.start[start]!, def, via: 'helper' });
    return null;
  }

  /**
   * Whether tokens first..last stand where nothing tests, defaults or passes on their value: assigned, an element,
   * returned, or the object of a method call (`x = env('X')`, `[env('X')]`, `env('X').split(',')`).
   */
  private plainOperand(first: number, last: number): boolean {
    const b = first - 1;
    const before = b < 0 || this.isP(b, P.eq) || this.isP(b, P.comma) || this.isP(b, P.lbrack) || this.isP(b, P.arrow) || this.isP(b, P.semi) || this.isP(b, P.lbrace) || this.isId(b, H.return);
    if (!before) return false;
    const a = last + 1;
    // A line break is no end: `env('X')\n  ?? 7` continues the expression (code without semicolons goes to the parser).
    return a >= this.t.count || this.isP(a, P.semi) || this.isP(a, P.comma) || this.isP(a, P.rbrace) || this.isP(a, P.rbrack) || this.isP(a, P.dot) || (this.isP(a, P.rparen) && !this.isP(b, P.lparen));
  }

  /** `configService.get('X')`, `Env.get('X', 3333)` with `get` at token k. */
  private configGet(k: number): string | null {
    if (!this.isP(k + 1, P.lparen)) {
      if (this.isP(k + 1, P.lt) && this.kind(k - 2) === Tok.Ident && CONFIG_OBJECT.test(this.str(k - 2))) throw new Unsure('config get with type arguments');
      return null;
    }
    const obj = k - 2;
    if (this.kind(obj) !== Tok.Ident) {
      if (this.isP(obj, P.rbrack)) throw new Unsure('computed config object');
      return null;
    }
    if (!CONFIG_OBJECT.test(this.str(obj))) return null;
    let s = obj;
    while (this.isDot(s - 1)) {
      if (this.kind(s - 2) !== Tok.Ident) {
        if (this.isP(s - 2, P.rbrack)) throw new Unsure('computed config object');
        return null;
      }
      s -= 2;
    }
    return this.helperCall(s, k + 1);
  }

  /** A plain route registration: `router.post('/x', ...handlers)` with the method name at token k. */
  private routeCall(k: number, method: string): string | null {
    if (!this.isP(k + 1, P.lparen)) {
      if (this.isP(k + 1, P.lt) || this.isP(k + 1, P.qdot)) return 'route call with type arguments';
      return null;
    }
    // Root of the callee chain.
    let s = k - 2;
    let pure = s >= 0;
    while (s >= 0) {
      if (this.kind(s) !== Tok.Ident) {
        pure = false;
        break;
      }
      if (!this.isDot(s - 1)) break;
      s -= 2;
    }
    const open = k + 1;
    const close = this.close(open);
    const args = this.splitArgs(open, close);
    // Without a handler after the path there is no route, whatever the path is.
    if (args.length < 2) return null;
    const lastArg = args[args.length - 1]!;
    const kind = this.argKind(lastArg[0], lastArg[1]);
    if (kind === 'other') return null;
    if (kind === 'object' && !this.hasHandlerKey(lastArg[0], lastArg[1])) return null;
    const first = args[0]!;
    const shape = this.pathShape(first[0], first[1]);
    if (shape === null) return null;
    const root = pure ? this.str(s) : null;
    // The name right before the method (`this.axiosInstance.post`): a client held under a longer name (routes.ts).
    const receiver = pure && k - 2 > s ? this.str(k - 2) : null;
    if (receiver !== null && HTTP_CLIENT_HOLDER.test(receiver)) return null;
    if (root !== null && HTTP_CLIENTS.test(root)) {
      // Skipped unless the name is bound to a router created in this file.
      this.clientRoutes = true;
      return null;
    }
    if (shape === 'expression') return 'route path is an expression';
    if (!pure) return 'route on a computed router';
    if (kind === 'unsure') return 'route handler not modelled';
    if (kind === 'object') return 'route options object';
    const path = shape;
    const nx = close + 1;
    if (this.isDot(nx) || this.isP(nx, P.lparen) || this.isP(nx, P.lbrack) || this.kind(nx) === Tok.TemplateHead || this.kind(nx) === Tok.Template) return 'chained route call';
    this.routes.push({ method: method === 'del' ? 'DELETE' : method.toUpperCase(), path, offset: this.t.start[s]! });
    return null;
  }

  /**
   * What pathsOf() gives for the first argument: a path string, 'expression' when the evaluator
   * might resolve it to one (identifier, member, array), or null when it yields no path.
   */
  private pathShape(a: number, b: number): string | 'expression' | null {
    for (let j = a; j <= b; j++) if (this.isId(j, H.as) || this.isId(j, H.satisfies) || this.isP(j, P.bang) || this.isId(j, H.await)) throw new Unsure('wrapped route path');
    if (this.isP(a, P.lparen)) throw new Unsure('parenthesized route path');
    const kd = this.kind(a);
    if (a === b && (kd === Tok.String || kd === Tok.Template)) {
      const v = this.strValue(a)!;
      return v.startsWith('/') || v === '' || v === '*' ? v : null;
    }
    if (this.isP(a, P.lbrack) && this.close(a) === b) {
      for (const [x, y] of this.splitArgs(a, b)) if (this.pathShape(x, y) !== null) return 'expression';
      return null;
    }
    if (kd !== Tok.Ident || this.isId(a, H.new) || this.isId(a, H.function) || this.isId(a, H.async) || this.isP(a + 1, P.arrow)) return null;
    // A chain: a plain identifier or member can be evaluated; a call yields nothing; anything else is an operator expression.
    let j = a + 1;
    let last: 'member' | 'call' = 'member';
    while (j <= b) {
      if (this.isDot(j) && this.kind(j + 1) === Tok.Ident) {
        j += 2;
        last = 'member';
      } else if (this.isP(j, P.lbrack)) {
        j = this.close(j) + 1;
        last = 'member';
      } else if (this.isP(j, P.lparen)) {
        j = this.close(j) + 1;
        last = 'call';
      } else return null;
    }
    return last === 'member' ? 'expression' : null;
  }

  private hasHandlerKey(a: number, b: number): boolean {
    for (let j = a; j <= b; j++) if (this.isId(j, H.handler) || ((this.kind(j) === Tok.String || this.kind(j) === Tok.Template) && this.str(j).slice(1, -1) === 'handler')) return true;
    return false;
  }

  /** Token ranges [first, last] of the arguments between parens `open` and `close`. */
  private splitArgs(open: number, close: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let start = open + 1;
    let j = open + 1;
    while (j < close) {
      if (this.kind(j) === Tok.Punct) {
        const v = this.t.val[j];
        if (v === P.lparen || v === P.lbrack || v === P.lbrace) {
          j = this.close(j) + 1;
          continue;
        }
        if (v === P.comma) {
          out.push([start, j - 1]);
          start = j + 1;
        }
      }
      j++;
    }
    if (start < close) out.push([start, close - 1]);
    return out;
  }

  /** What isHandlerLike(unwrap(arg)) would say: 'handler', 'object', 'other' (not a handler) or 'unsure'. */
  private argKind(a: number, b: number): 'handler' | 'object' | 'other' | 'unsure' {
    for (let j = a; j <= b; j++) if (this.isId(j, H.as) || this.isId(j, H.satisfies)) return 'unsure';
    const kd = this.kind(a);
    if (a === b) {
      if (kd === Tok.Ident) return NON_HANDLER_IDENTS.has(this.t.val[a]!) ? 'other' : 'handler';
      if (kd === Tok.String || kd === Tok.Template || kd === Tok.Number || kd === Tok.Regex) return 'other';
      return 'unsure';
    }
    if (this.isP(a, P.lbrace)) return this.close(a) === b ? 'object' : 'unsure';
    if (this.isId(a, H.function)) return this.isP(b, P.rbrace) ? 'handler' : 'unsure';
    if (this.isId(a, H.async)) {
      if (this.isId(a + 1, H.function)) return this.isP(b, P.rbrace) ? 'handler' : 'unsure';
      return this.arrowAt(a + 1, b) ? 'handler' : 'unsure';
    }
    if (this.arrowAt(a, b)) return 'handler';
    // A chain: ident/this/array followed by `.x`, `?.x`, `(...)`, `[...]`.
    let j = a;
    if (kd === Tok.Ident) {
      if (NON_HANDLER_IDENTS.has(this.t.val[a]!) && !this.isId(a, H.this)) return 'unsure';
      if (this.isId(a, H.new) || this.isId(a, H.await) || PAREN_KEYWORDS.has(this.t.val[a]!)) return 'unsure';
      j = a + 1;
    } else if (this.isP(a, P.lbrack)) j = this.close(a) + 1;
    else return 'unsure';
    while (j <= b) {
      if (this.isDot(j) && this.kind(j + 1) === Tok.Ident) j += 2;
      else if (this.isP(j, P.lparen) || this.isP(j, P.lbrack)) j = this.close(j) + 1;
      else return 'unsure';
    }
    if (j !== b + 1) return 'unsure';
    // `this` alone is not a handler, but `this.handle` is.
    return 'handler';
  }

  /** An arrow function spanning the whole argument starting at token a: `x => ...`, `(req, res) => ...`, `(a): T => ...`. */
  private arrowAt(a: number, b: number): boolean {
    if (this.kind(a) === Tok.Ident && this.isP(a + 1, P.arrow)) return true;
    if (!this.isP(a, P.lparen)) return false;
    const c = this.close(a);
    if (c >= b) return false;
    if (this.isP(c + 1, P.arrow)) return true;
    if (this.isP(c + 1, P.colon)) {
      for (let j = c + 2; j <= b; j++) if (this.isP(j, P.arrow)) return true;
    }
    return false;
  }

  /** `console.log(...)`-like call with the method at token k: only plain text arguments stay in the fast tier. */
  private logCall(k: number): string | null {
    if (!this.isP(k + 1, P.lparen) || this.kind(k - 2) !== Tok.Ident || !LOG_OBJECT.test(this.str(k - 2))) return null;
    const close = this.close(k + 1);
    for (let j = k + 2; j < close; j++) {
      const kd = this.kind(j);
      if (kd === Tok.String || kd === Tok.Template) {
        if (this.t.val[j] === 1) return 'log call with escaped text';
        if (START_WORDS.test(this.str(j))) return 'startup log';
      } else if (kd === Tok.Number) continue;
      else if (kd === Tok.Punct && (this.t.val[j] === P.comma || this.t.val[j] === P.plus)) continue;
      else return 'log call with values';
    }
    return null;
  }

  /** `const { A, B = 'x', C: c } = process.env` with `{` at token o. */
  private destructure(o: number): string | null {
    const c = this.close(o);
    let init = c + 1;
    if (this.isP(init, P.colon)) {
      // A typed pattern: leave it to the parser when it destructures the environment.
      for (let j = init; j < Math.min(this.t.count, init + 200); j++)
        if (this.isP(j, P.eq)) {
          if (this.isEnvObject(j + 1)) return 'typed env destructuring';
          return null;
        }
      return null;
    }
    if (!this.isP(init, P.eq)) return null;
    init++;
    if (!this.isEnvObject(init)) return null;
    const after = init + 3;
    const ak = this.kind(after);
    if (!(ak === 0 || this.isP(after, P.semi) || this.isP(after, P.comma) || this.isP(after, P.rparen) || this.isP(after, P.rbrace) || (this.t.nl[after] && ak === Tok.Ident))) return null;
    (this.consumedEnv ??= new Set()).add(init + 2);
    for (const [a, b] of this.splitArgs(o, c)) {
      if (this.isP(a, P.spread)) continue;
      let key: string | null = null;
      const kk = this.kind(a);
      if (kk === Tok.Ident) key = this.str(a);
      else if (kk === Tok.String || kk === Tok.Template) key = this.strValue(a);
      else if (this.isP(a, P.lbrack)) throw new Unsure('computed key in env destructuring');
      else continue;
      let j = a + 1;
      let local: boolean;
      if (this.isP(j, P.colon)) {
        local = this.kind(j + 1) === Tok.Ident;
        j += 2;
      } else local = kk === Tok.Ident;
      let def: string | null = null;
      if (j <= b) {
        if (!this.isP(j, P.eq)) continue;
        if (this.isP(j + 1, P.lparen)) throw new Unsure('parenthesized default');
        if (j + 1 === b) def = this.literal(b);
      }
      if (!local || key === null || !ENV_NAME.test(key)) continue;
      if (j > b && this.testedElsewhere(this.isP(a + 1, P.colon) ? a + 2 : a)) throw new Unsure('env var held in a name tested for presence');
      this.envReads.push({ name: key, start: this.t.start[a]!, def, via: 'destructure' });
    }
    return null;
  }

  private isEnvObject(k: number): boolean {
    return this.kind(k) === Tok.Ident && (this.str(k) === 'process' || this.str(k) === 'Bun') && this.isP(k + 1, P.dot) && this.isId(k + 2, H.env);
  }
}

let triggers: { words: RegExp; text: RegExp } | null = null;

/**
 * Whether a file can contribute anything at all: every fact any concern takes from a file needs one
 * of these words as a whole identifier-like run, or one of these module names or header text,
 * somewhere in its raw text (comments and strings included, so this is a superset test). A file
 * with none is neither lexed nor parsed: neither tier would find anything in it.
 */
export function mayMatter(text: string): boolean {
  if (!triggers) {
    const words = [...new Set([...AST_NAMES, 'process', 'Bun', 'env', 'getOrThrow', 'APP_GUARD', 'finish', ...ENV_HELPER_NAMES, ...ROUTE_METHODS, ...URL_PROPS])];
    const modules = [...new Set([...Object.keys(CONNECTORS), ...BACKGROUND.map((b) => b.module), ...LOGGERS, ...REQUEST_LOGGERS, ...RATE_LIMITERS, 'fastify', 'cors', 'session', 'drizzle', 'under-pressure', 'cluster', 'multer', 'formidable', 'class-validator', '@adonisjs/core/env', 'ConfigModule', 'child_process', 'execa', '$env/', ...Object.keys(WRAPPERS)])];
    triggers = {
      words: new RegExp(`(?<![\\w$])(?:${words.map(escapeRegExp).join('|')})(?![\\w$])`),
      // Log calls (console/log/logger objects), modules judged from imports, the CORS header, and any escape
      // (other than \n, \t, \r, quotes, backslash) that could spell one of them inside a string.
      text: new RegExp(['console', '(?<![\\w$])log(?![\\w$])', 'logger', 'access-control-allow-origin', "\\\\[^nrt'\"`\\\\]", ...modules.map(escapeRegExp)].join('|'), 'i'),
    };
  }
  return triggers.words.test(text) || triggers.text.test(text);
}

/** JSX is enabled exactly where the parser enables it. */
export function lexesJsx(path: string): boolean {
  return !/\.[cm]?ts$/.test(path);
}

export function lightScan(path: string, text: string): LightScan {
  const r = new Reader(text, lexesJsx(path));
  const needsAst = r.run();
  return { needsAst, envReads: needsAst ? [] : r.envReads, importSources: r.importSources, routes: needsAst ? [] : r.routes };
}

// Token-level scans have no AST lists: they share these empty ones (detectors never mutate a scan).
const NONE: never[] = [];
const NO_MAP = new Map<never, never>();
const NO_SET = new Set<never>();

/** A FileScan for a file read by the token-level tier: its env reads, imports and plain routes; no AST. */
export function lightFileScan(file: string, parsed: ParsedSource, l: LightScan, marks?: TextMarks): FileScan {
  const env: EnvRead[] = [];
  for (const r of l.envReads) env.push(envRead(r.name, r.start, r.def, r.via));
  return tokenFileScan(file, parsed, env, l.importSources, l.routes, marks);
}

/** What the detectors expect of an env read: the parser's shape, with the read's offset as its node. */
export function envRead(name: string, start: number, def: string | null, via: LightEnvRead['via']): EnvRead {
  return { name, node: { type: 'EnvRead', start, end: start }, def, via };
}

export function tokenFileScan(file: string, parsed: ParsedSource, envReads: EnvRead[], importSources: string[], routes: LightRoute[], marks?: TextMarks): FileScan {
  return {
    file,
    parsed,
    imports: NO_MAP,
    importSources: importSources.length ? new Set(importSources) : NO_SET,
    bindings: NO_MAP,
    exports: NO_MAP,
    starExports: NONE,
    calls: NONE,
    news: NONE,
    callsByName: NO_MAP,
    newsByName: NO_MAP,
    envArgCalls: NONE,
    envReads: envReads.length ? envReads : NONE,
    envWrites: NO_SET,
    envAliases: NO_SET,
    classes: NONE,
    urlCompares: NONE,
    topLevelIntervals: NONE,
    signalLiterals: NO_SET,
    lightRoutes: routes,
    ...(marks ? { marks } : {}),
  };
}
