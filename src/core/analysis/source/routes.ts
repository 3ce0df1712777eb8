import { args, calleeName, calleeRoot, child, children, identName, isFunction, memberPath, memberProp, objectProp, propName, stringValue, unwrap, type Node } from './ast.js';
import { findBinding, type Evaluator, type SourceIndex, type Val } from './modules.js';
import { callsNamed, moduleOf, requiredModule, type FileScan } from './scan.js';
import { walk } from '../parse.js';

/** One HTTP route the service registers, however it was declared. */
export interface Route {
  method: string;
  path: string;
  file: string;
  offset: number;
  scan: FileScan | null;
  /** Handler expressions (functions, identifiers) or the branch that serves the path. */
  handlers: Node[];
  /** Names of middleware/guards in the chain before the handler (`requireAuth`, `UseGuards(AuthGuard)`...). */
  middleware: string[];
  via: 'call' | 'decorator' | 'file' | 'url-compare' | 'terminus' | 'table';
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use']);
/** A name that holds an HTTP client, in a property or under a longer name (`this.axiosInstance`, `this.httpClient`). */
export const HTTP_CLIENT_HOLDER = /axios|http_?client|api_?client|fetcher/i;
export const HTTP_CLIENTS = /^(axios|got|ky|fetch|\$fetch|ofetch|superagent|supertest|request|http|https|api|apiClient|httpClient|client|instance|cache|map|params|searchParams|headers|cookies|store|localStorage|sessionStorage|redis|formData|url|query)$/i;
const FASTIFY_HOOKS = ['preHandler', 'onRequest', 'preValidation', 'preParsing', 'beforeHandler'];
// Method decorators of NestJS and routing-controllers (`@Get`), and of inversify-express-utils (`@httpGet`).
const DECORATOR_METHODS: Record<string, string> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL', Head: 'HEAD', Options: 'OPTIONS',
  httpGet: 'GET', httpPost: 'POST', httpPut: 'PUT', httpPatch: 'PATCH', httpDelete: 'DELETE', httpHead: 'HEAD', httpOptions: 'OPTIONS', all: 'ALL',
};
/** Class decorators that make a controller: NestJS and routing-controllers, inversify-express-utils. */
const CONTROLLER_DECORATORS = new Set(['Controller', 'JsonController', 'controller']);
const GUARD_DECORATORS = /^(UseGuards|Auth|Roles|Authorized|UseBefore)$/;

export function joinRoute(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .join('/');
  return '/' + joined;
}

/** A readable name for a middleware expression: `requireAuth`, `passport.authenticate`, `UseGuards(AuthGuard)`. */
export function exprName(n: Node | null): string {
  const u = unwrap(n);
  if (!u) return '';
  if (u.type === 'CallExpression') {
    const inner = args(u)
      .map((a) => exprName(a))
      .filter(Boolean)
      .join(',');
    return `${calleeName(u) ?? exprName(child(u, 'callee'))}(${inner})`;
  }
  if (u.type === 'ArrayExpression') return children(u, 'elements').map(exprName).join(',');
  const p = memberPath(u);
  if (p) return p.join('.');
  if (u.type === 'Literal') return String(u.value);
  return '';
}

function pathsOf(n: Node | null, ev: Evaluator, scan: FileScan): string[] {
  const u = unwrap(n);
  if (!u) return [];
  if (u.type === 'ArrayExpression') return children(u, 'elements').flatMap((e) => pathsOf(e, ev, scan));
  const s = stringValue(u);
  if (s !== null) return s.startsWith('/') || s === '' || s === '*' ? [s] : [];
  if (u.type === 'Identifier' || u.type === 'MemberExpression') {
    const v = ev.eval(u, scan);
    if (v.k === 'str' && v.v.startsWith('/')) return [v.v];
  }
  // `base + "/healthcheck"`, `${base}/healthcheck` over `base = process.env.KENER_BASE_PATH || ""`: the path the
  // deployment serves is the one with the fallback (the template sets no base path).
  const parts = u.type === 'BinaryExpression' && u.operator === '+' ? [child(u, 'left'), child(u, 'right')] : u.type === 'TemplateLiteral' ? templateParts(u) : null;
  if (parts) {
    const texts = parts.map((p) => (typeof p === 'string' ? p : pathText(ev.eval(p, scan))));
    const joined = texts.every((t) => t !== null) ? texts.join('') : null;
    if (joined?.startsWith('/')) return [joined];
  }
  return [];
}

/** A template literal's text and expressions in order. */
function templateParts(n: Node): Array<string | Node | null> {
  const quasis = children(n, 'quasis');
  const exprs = children(n, 'expressions');
  return quasis.flatMap((q, i) => [(q.value as { cooked?: string } | undefined)?.cooked ?? null, ...(i < exprs.length ? [exprs[i]!] : [])]);
}

/** A path segment's text: a string, or the fallback of a setting the deployment leaves unset. */
function pathText(v: Val): string | null {
  if (v.k === 'str') return v.v;
  if (v.k === 'env' && v.fallback?.k === 'str') return v.fallback.v;
  return null;
}

function isHandlerLike(n: Node | null): boolean {
  const u = unwrap(n);
  if (!u) return false;
  return isFunction(u) || u.type === 'Identifier' || u.type === 'MemberExpression' || u.type === 'CallExpression' || u.type === 'ArrayExpression';
}

/** Prefix a router gets from how it is created: koa `new Router({ prefix })`, Hono `new Hono().basePath('/api')`. */
function ownPrefix(scan: FileScan, root: string | null, offset: number): string {
  if (!root) return '';
  const b = findBinding(scan, root, offset);
  const init = unwrap(b?.init ?? null);
  if (!init) return '';
  if (init.type === 'NewExpression' || init.type === 'CallExpression') {
    if (memberProp(child(init, 'callee')) === 'basePath') return stringValue(args(init)[0] ?? null) ?? '';
    const p = stringValue(objectProp(args(init)[0] ?? null, 'prefix'));
    if (p) return p;
  }
  return '';
}

/**
 * The prefix of the router a call is made on, along a chain: karakeep's `new Hono().basePath('/api').use(auth).route('/',
 * allApp)` serves allApp under /api; a named router's prefix is its creation's (ownPrefix).
 */
function receiverPrefix(scan: FileScan, receiver: Node | null, offset: number): string {
  let n = unwrap(receiver);
  while (n?.type === 'CallExpression') {
    const callee = unwrap(child(n, 'callee'));
    if (callee?.type !== 'MemberExpression') break;
    if (memberProp(callee) === 'basePath') return stringValue(args(n)[0] ?? null) ?? '';
    n = unwrap(child(callee, 'object'));
  }
  if (n?.type === 'NewExpression') return stringValue(objectProp(args(n)[0] ?? null, 'prefix')) ?? '';
  const name = identName(n);
  return name ? ownPrefix(scan, name, offset) : '';
}

/** A router/app created in this file (`express.Router()`, `new Hono()`, `Fastify()`), whatever its name. */
function isServerRoot(scan: FileScan, root: string, offset: number): boolean {
  if (pluginInstance(scan, root, offset)) return true;
  const init = unwrap(findBinding(scan, root, offset)?.init ?? null);
  if (!init || (init.type !== 'CallExpression' && init.type !== 'NewExpression')) return false;
  const name = calleeName(init) ?? '';
  return /(^|\.)(Router|express|Hono|Koa|Fastify|fastify|createApp|createRouter)$/.test(name);
}

/**
 * The first parameter of a plugin function registered inline (`fastify.register(async (instance) => {
 * instance.get('/healthcheck', …) })`: openpanel's API): the server's own scope, whatever it is called.
 */
function pluginInstance(scan: FileScan, root: string, offset: number): boolean {
  return callsNamed(scan, 'register').some((c) => {
    const fn = unwrap(args(c)[0] ?? null);
    if (!fn || !isFunction(fn) || offset < fn.start || offset >= fn.end) return false;
    return identName(children(fn, 'params')[0] ?? null) === root;
  });
}

function callRoutes(scan: FileScan, ev: Evaluator, out: Route[]): void {
  for (const call of callsNamed(scan, ...METHODS, 'route')) {
    const callee = unwrap(child(call, 'callee'));
    if (!callee || callee.type !== 'MemberExpression') continue;
    const method = memberProp(callee);
    if (!method) continue;
    const a = args(call);
    const root = calleeRoot(call);
    const lower = method.toLowerCase();

    // fastify.route({ method, url, handler }) / hapi server.route({ method, path, handler }) / route([...])
    if (lower === 'route' && a.length === 1) {
      const first = unwrap(a[0] ?? null);
      const objs = first?.type === 'ArrayExpression' ? children(first, 'elements') : first ? [first] : [];
      for (const o of objs) {
        if (unwrap(o)?.type !== 'ObjectExpression') continue;
        const paths = pathsOf(objectProp(o, 'url') ?? objectProp(o, 'path'), ev, scan);
        const m = objectProp(o, 'method');
        const methods = unwrap(m)?.type === 'ArrayExpression' ? children(unwrap(m)!, 'elements').map((e) => stringValue(e) ?? 'ALL') : [stringValue(m) ?? 'ALL'];
        let handler = objectProp(o, 'handler');
        const options = objectProp(o, 'options') ?? objectProp(o, 'config');
        handler ??= objectProp(options, 'handler');
        const mw = [...FASTIFY_HOOKS.map((h) => objectProp(o, h)), objectProp(options, 'pre'), objectProp(options, 'auth'), objectProp(o, 'auth')]
          .filter((x): x is Node => !!x && !(unwrap(x)?.type === 'Literal' && unwrap(x)?.value === false))
          .map((x) => exprName(x) || 'auth');
        for (const p of paths)
          for (const mth of methods)
            out.push({ method: mth.toUpperCase(), path: p, file: scan.file, offset: o.start, scan, handlers: handler ? [handler] : [], middleware: mw, via: 'call' });
      }
      continue;
    }
    if (!METHODS.has(lower)) continue;
    if (root && HTTP_CLIENTS.test(root) && !isServerRoot(scan, root, call.start)) continue;
    // `this.axiosInstance.post('/auth/login')` (checkmate): a request to another service, whatever holds the client.
    const receiver = memberPath(child(callee, 'object'))?.at(-1);
    if (receiver && receiver !== root && HTTP_CLIENT_HOLDER.test(receiver)) continue;

    // router.route('/x').get(handler)
    const obj = unwrap(child(callee, 'object'));
    let paths = pathsOf(a[0] ?? null, ev, scan);
    let rest = a.slice(1);
    if (paths.length === 0 && obj?.type === 'CallExpression' && memberProp(child(obj, 'callee')) === 'route') {
      paths = pathsOf(args(obj)[0] ?? null, ev, scan);
      rest = a;
    }
    if (paths.length === 0) {
      // `app.use(mw)`: recorded as a global middleware route so admin/auth checks can see it.
      if (lower === 'use' && a.length >= 1) out.push({ method: 'USE', path: '*', file: scan.file, offset: call.start, scan, handlers: [], middleware: a.map(exprName), via: 'call' });
      continue;
    }
    if (rest.length === 0) continue;
    const last = rest[rest.length - 1]!;
    let handlers: Node[] = [];
    const middleware: string[] = [];
    if (unwrap(last)?.type === 'ObjectExpression') {
      // fastify shorthand `.get(path, { handler, preHandler })`; an options object without a handler is an HTTP client call.
      const h = objectProp(last, 'handler');
      if (!h) continue;
      handlers = [h];
      for (const k of FASTIFY_HOOKS) if (objectProp(last, k)) middleware.push(exprName(objectProp(last, k)) || k);
    } else {
      if (!isHandlerLike(last)) continue;
      handlers = [last];
    }
    for (const m of rest.slice(0, -1)) {
      if (unwrap(m)?.type === 'ObjectExpression') {
        for (const k of FASTIFY_HOOKS) if (objectProp(m, k)) middleware.push(exprName(objectProp(m, k)) || k);
      } else middleware.push(exprName(m));
    }
    // `app.use('/health', function (req, res) { … })`: a function that takes no `next` answers every request under the
    // path itself, a route for every method (parse-server's /health). Otherwise the last argument of a path-scoped
    // use() is middleware too (`app.use('/admin/*', basicAuth(...))`).
    const terminal = lower === 'use' && isFunction(unwrap(last)) && children(unwrap(last)!, 'params').length === 2;
    if (lower === 'use' && !terminal) middleware.push(exprName(last));
    const prefix = receiverPrefix(scan, child(callee, 'object'), call.start);
    const verb = terminal ? 'ALL' : lower === 'del' ? 'DELETE' : lower.toUpperCase();
    for (const p of paths) out.push({ method: verb, path: prefix ? joinRoute(prefix, p) : p, file: scan.file, offset: call.start, scan, handlers, middleware, via: 'call' });
  }
}

function decoratorCall(d: Node): { name: string; args: Node[] } | null {
  const e = unwrap(child(d, 'expression'));
  if (!e) return null;
  if (e.type === 'CallExpression') return { name: identName(child(e, 'callee')) ?? memberProp(child(e, 'callee')) ?? '', args: args(e) };
  return { name: identName(e) ?? '', args: [] };
}

function decoratorPaths(a: Node[]): string[] {
  const first = unwrap(a[0] ?? null);
  if (!first) return [''];
  if (first.type === 'ArrayExpression') return children(first, 'elements').map((e) => stringValue(e) ?? '');
  if (first.type === 'ObjectExpression') {
    const p = objectProp(first, 'path');
    return p ? decoratorPaths([p]) : [''];
  }
  return [stringValue(first) ?? ''];
}

/** `@Version('2')` / `{ version: VERSION_NEUTRAL }`: the version a controller or route declares; null = neutral; undefined = none. */
function declaredVersion(d: { name: string; args: Node[] } | undefined, fromOptions: boolean): string | null | undefined {
  const a = unwrap(d?.args[0] ?? null);
  const v = unwrap(fromOptions ? (a?.type === 'ObjectExpression' ? objectProp(a, 'version') : null) : a);
  if (!v) return undefined;
  const first = v.type === 'ArrayExpression' ? unwrap(children(v, 'elements')[0] ?? null) : v;
  return stringValue(first) ?? null;
}

/**
 * Decorated controllers: NestJS and routing-controllers (`@Controller('health')` + `@Get()`), inversify-express-utils
 * (`@controller('/healthcheck')` + `@httpGet('/')`, middleware after the path); guards from `@UseGuards` and the like.
 */
function decoratorRoutes(scan: FileScan, globalPrefix: NestPrefix, out: Route[]): void {
  const guard = (d: { name: string; args: Node[] }) => `${d.name}(${d.args.map(exprName).join(',')})`;
  // inversify's middleware are the decorator's arguments after the path (`@httpGet('/', TYPES.AuthMiddleware)`).
  const middlewareArgs = (d: { name: string; args: Node[] }) => (/^(controller|http[A-Z])/.test(d.name) ? d.args.slice(1).map(exprName) : []);
  for (const cls of scan.classes) {
    const decs = children(cls, 'decorators').map(decoratorCall).filter((d): d is NonNullable<typeof d> => !!d);
    const ctrl = decs.find((d) => CONTROLLER_DECORATORS.has(d.name));
    if (!ctrl) continue;
    const classGuards = [...decs.filter((d) => GUARD_DECORATORS.test(d.name)).map(guard), ...middlewareArgs(ctrl)];
    const body = child(cls, 'body');
    for (const m of body ? children(body, 'body') : []) {
      if (m.type !== 'MethodDefinition') continue;
      const mdecs = children(m, 'decorators').map(decoratorCall).filter((d): d is NonNullable<typeof d> => !!d);
      const route = mdecs.find((d) => DECORATOR_METHODS[d.name]);
      if (!route) continue;
      const guards = [...classGuards, ...mdecs.filter((d) => GUARD_DECORATORS.test(d.name)).map(guard), ...middlewareArgs(route)];
      // URI versioning puts `v<version>` after the global prefix: the route's, else its controller's, else the default.
      const routeVersion = declaredVersion(mdecs.find((d) => d.name === 'Version'), false);
      const ctrlVersion = declaredVersion(ctrl, true);
      const version = routeVersion !== undefined ? routeVersion : ctrlVersion !== undefined ? ctrlVersion : globalPrefix.version;
      for (const cp of decoratorPaths(ctrl.args))
        for (const mp of decoratorPaths(route.args)) {
          const local = joinRoute(version ? globalPrefix.versionPrefix + version : '', cp, mp);
          const excluded = globalPrefix.exclude.some((x) => joinRoute(x) === joinRoute(cp, mp));
          const path = globalPrefix.prefix && !excluded ? joinRoute(globalPrefix.prefix, local) : local;
          out.push({ method: DECORATOR_METHODS[route.name]!, path, file: scan.file, offset: m.start, scan, handlers: [child(m, 'value')].filter((x): x is Node => !!x), middleware: guards, via: 'decorator' });
        }
    }
  }
}

interface NestPrefix {
  prefix: string;
  exclude: string[];
  /** `app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' })`: what unversioned routes are served under. */
  version: string | null;
  versionPrefix: string;
}

/** `app.setGlobalPrefix(globalPrefix)` (a literal or a constant: Reactive-Resume's `const globalPrefix = "api"`) and URI versioning. */
function nestGlobalPrefix(scans: FileScan[], ev: Evaluator): NestPrefix {
  const out: NestPrefix = { prefix: '', exclude: [], version: null, versionPrefix: 'v' };
  const str = (n: Node | null, s: FileScan) => {
    const v = n ? ev.eval(n, s) : null;
    return v?.k === 'str' ? v.v : null;
  };
  let found = false;
  for (const s of scans) {
    for (const c of found ? [] : callsNamed(s, 'setGlobalPrefix')) {
      const a = args(c);
      const prefix = str(a[0] ?? null, s);
      if (prefix === null) continue;
      const ex = unwrap(objectProp(a[1] ?? null, 'exclude'));
      out.prefix = prefix;
      out.exclude = ex?.type === 'ArrayExpression' ? children(ex, 'elements').map((e) => stringValue(e) ?? stringValue(objectProp(e, 'path')) ?? '').filter(Boolean) : [];
      found = true;
      break;
    }
    for (const c of callsNamed(s, 'enableVersioning')) {
      const o = args(c)[0] ?? null;
      if (!/URI$/.test(memberProp(unwrap(objectProp(o, 'type'))) ?? '')) continue;
      const d = unwrap(objectProp(o, 'defaultVersion'));
      out.version = str(d?.type === 'ArrayExpression' ? (children(d, 'elements')[0] ?? null) : d, s);
      const p = unwrap(objectProp(o, 'prefix'));
      if (p) out.versionPrefix = p.type === 'Literal' && p.value === false ? '' : (str(p, s) ?? 'v');
    }
  }
  return out;
}

/** `createTerminus(server, { healthChecks: { '/healthz': check } })`; `register(underPressure, { exposeStatusRoute })`. */
function terminusRoutes(scan: FileScan, out: Route[]): void {
  for (const c of callsNamed(scan, 'register', 'createTerminus')) {
    if (memberProp(child(c, 'callee')) === 'register' && /under-pressure$/.test(scan.imports.get(identName(args(c)[0] ?? null) ?? '')?.source ?? '')) {
      const opt = unwrap(objectProp(args(c)[1] ?? null, 'exposeStatusRoute'));
      const path = opt?.type === 'Literal' && opt.value === true ? '/status' : (stringValue(opt) ?? stringValue(objectProp(opt, 'url')));
      if (path) out.push({ method: 'GET', path, file: scan.file, offset: c.start, scan, handlers: [], middleware: [], via: 'terminus' });
      continue;
    }
    if (identName(child(c, 'callee')) !== 'createTerminus' && memberProp(child(c, 'callee')) !== 'createTerminus') continue;
    const checks = objectProp(args(c)[1] ?? null, 'healthChecks');
    const o = unwrap(checks);
    if (!o || o.type !== 'ObjectExpression') continue;
    for (const p of children(o, 'properties')) {
      const k = propName(child(p, 'key'));
      if (k?.startsWith('/')) out.push({ method: 'GET', path: k, file: scan.file, offset: p.start, scan, handlers: [child(p, 'value')].filter((x): x is Node => !!x), middleware: [], via: 'terminus' });
    }
  }
}

const HTTP_EXPORTS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL'];

function routeSegments(dir: string): string[] {
  return dir
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'))
    .map((s) => s.replace(/^\[\.\.\.(.+)\]$/, '*').replace(/^\[(.+)\]$/, ':$1'));
}

/** Routes defined by file location (Next, Nuxt, SvelteKit, Remix/React Router, Astro). */
// Every file-route convention lives under one of these: other files are told apart without a regex each.
const FILE_ROUTE_ROOT = /^(?:src\/)?(?:app|pages|routes)\/|^server\//;

export function fileRoutePath(rel: string): { path: string; style: 'next-app' | 'next-pages' | 'nuxt' | 'sveltekit' | 'remix' | 'astro'; method: string | null } | null {
  if (!FILE_ROUTE_ROOT.test(rel)) return null;
  let m = /^(?:src\/)?app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/.exec(rel);
  if (m) return { path: joinRoute(...routeSegments(m[1] ?? '')), style: 'next-app', method: null };
  m = /^(?:src\/)?pages\/(api\/.+?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(rel);
  if (m) return { path: joinRoute(...routeSegments(m[1]!)), style: 'next-pages', method: 'ALL' };
  m = /^server\/(api|routes)\/(.+?)(?:\/index)?(?:\.(get|post|put|patch|delete|head))?\.[cm]?[jt]s$/.exec(rel);
  if (m) return { path: joinRoute(m[1] === 'api' ? 'api' : '', ...routeSegments(m[2]!.replace(/^index$/, ''))), style: 'nuxt', method: (m[3] ?? 'all').toUpperCase() };
  m = rel.includes('+server.') ? /^src\/routes\/(?:(.*)\/)?\+server\.[jt]s$/.exec(rel) : null;
  if (m) return { path: joinRoute(...routeSegments(m[1] ?? '')), style: 'sveltekit', method: null };
  m = /^app\/routes\/(.+?)(?:\/route)?\.[jt]sx?$/.exec(rel);
  // `sqlite.server.ts` beside a route (epic-stack): a module for the server only, never a route of its own.
  if (m && /\.(server|client)$/.test(m[1]!)) return null;
  if (m) {
    // Flat routes: dots and folders both nest; `_x` is pathless, `x+` is a flat-routes folder, `$id` a param.
    const segs = m[1]!
      .split('/')
      .flatMap((s) => s.split('.'))
      .map((s) => s.replace(/\+$/, ''))
      .filter((s) => s && s !== '_index' && s !== 'index' && s !== 'route' && !(s.startsWith('_') && s.length > 1) && !/^\(.*\)$/.test(s))
      .map((s) => s.replace(/_$/, '').replace(/^\$(.+)$/, ':$1').replace(/^\$$/, '*'));
    return { path: joinRoute(...segs), style: 'remix', method: null };
  }
  m = /^src\/pages\/(.+?)(?:\/index)?\.[jt]s$/.exec(rel);
  if (m) return { path: joinRoute(...routeSegments(m[1]!.replace(/^index$/, ''))), style: 'astro', method: null };
  return null;
}

function fileRoutes(index: SourceIndex, unitPrefix: string, out: Route[]): void {
  for (const file of index.files) {
    const rel = file.slice(unitPrefix.length);
    const fr = fileRoutePath(rel);
    if (!fr) continue;
    const scan = index.scan(file);
    if (!scan) continue;
    if (fr.style === 'remix') {
      if (scan.exports.has('loader')) out.push({ method: 'GET', path: fr.path, file, offset: 0, scan, handlers: exportedFn(scan, 'loader'), middleware: [], via: 'file' });
      if (scan.exports.has('action')) out.push({ method: 'POST', path: fr.path, file, offset: 0, scan, handlers: exportedFn(scan, 'action'), middleware: [], via: 'file' });
      continue;
    }
    if (fr.method) {
      out.push({ method: fr.method, path: fr.path, file, offset: 0, scan, handlers: exportedFn(scan, 'default'), middleware: [], via: 'file' });
      continue;
    }
    for (const m of HTTP_EXPORTS)
      if (scan.exports.has(m)) out.push({ method: m, path: fr.path, file, offset: 0, scan, handlers: exportedFn(scan, m), middleware: [], via: 'file' });
  }
}

function exportedFn(scan: FileScan, name: string): Node[] {
  const e = scan.exports.get(name);
  if (e?.node) return [e.node];
  if (e?.local) {
    const b = findBinding(scan, e.local, Number.MAX_SAFE_INTEGER);
    const n = b?.fn ?? b?.init;
    return n ? [n] : [];
  }
  return [];
}

interface Mount {
  prefix: string;
  file: string;
  /** The mounted router: a file (imported) or a local variable. */
  targetFile: string | null;
  targetLocal: string | null;
  /** The router it is mounted on, when a local name (`apiRouter.use('/health', health)`). */
  receiver?: string;
  /** Where the mount is written (a file mounted under several prefixes takes the one over this spot). */
  at?: number;
  /** The parts of targetFile the prefix covers: the function a mount builds from (`mount('/api', initApis(t))`) and the file's functions it calls. */
  within?: Array<[number, number]>;
}

/** The local name a module exports as `name` (`module.exports = { api: apiRouter }`), through `module.exports = require('./routes')`. */
function exportedLocal(index: SourceIndex, file: string, name: string, depth = 0): { file: string; local: string } | null {
  const scan = depth > 3 ? null : index.scan(file);
  if (!scan) return null;
  const e = scan.exports.get(name);
  if (e && 'local' in e && e.local) return { file, local: e.local };
  const again = requiredModule((scan.exports.get('default') as { node?: Node } | undefined)?.node ?? null);
  const next = again ? index.resolve(file, again) : null;
  return next && !e ? exportedLocal(index, next, name, depth + 1) : null;
}

/** `app.use('/api', router)`, Hono `app.route('/api', sub)`, `fastify.register(plugin, { prefix })`. */
function mounts(scans: FileScan[], index: SourceIndex): Mount[] {
  const out: Mount[] = [];
  for (const scan of scans)
    for (const c of callsNamed(scan, 'use', 'route', 'register')) {
      const m = memberProp(child(c, 'callee'));
      const a = args(c);
      let prefix: string | null = null;
      let target: Node | null = null;
      const mounted = m === 'use' && a.length === 1 ? unwrap(a[0] ?? null) : null;
      if ((m === 'use' || m === 'route') && a.length === 2) {
        prefix = stringValue(a[0] ?? null);
        target = a[1] ?? null;
      } else if (mounted?.type === 'CallExpression' && calleeName(mounted) === 'mount' && args(mounted).length === 2) {
        // koa-mount: `app.use(mount('/api', apiRouter))`.
        prefix = stringValue(args(mounted)[0] ?? null);
        target = args(mounted)[1] ?? null;
      } else if (m === 'register' && a.length === 2) {
        prefix = stringValue(objectProp(a[1] ?? null, 'prefix'));
        target = a[0] ?? null;
      }
      if (!prefix || !prefix.startsWith('/') || !target) continue;
      const receiverNode = child(unwrap(child(c, 'callee'))!, 'object');
      const base = receiverPrefix(scan, receiverNode, c.start);
      if (base) prefix = joinRoute(base, prefix);
      const receiver = identName(unwrap(receiverNode)) ?? undefined;
      let t = unwrap(target);
      // A plugin registered inline with a prefix (`fastify.register(async (api) => { api.get('/health') }, { prefix: '/v1' })`):
      // the routes on its parameter, inside it.
      if (t && isFunction(t)) {
        const param = identName(children(t, 'params')[0] ?? null);
        if (param) out.push({ prefix, file: scan.file, targetFile: null, targetLocal: param, within: [[t.start, t.end]] });
        continue;
      }
      // koa-mount of what an imported function builds (logto: `mount('/api', initApis(tenant))`): that function's file.
      const builder = t?.type === 'CallExpression' ? unwrap(child(t, 'callee')) : null;
      const built = builder?.type === 'Identifier' ? scan.imports.get(builder.name as string) : undefined;
      if (built) {
        const f = index.resolve(scan.file, built.source);
        const within = f ? builderRanges(index, f, built.imported) : null;
        if (f) out.push({ prefix, file: scan.file, targetFile: f, targetLocal: null, receiver, at: c.start, ...(within ? { within } : {}) });
        continue;
      }
      // `app.use('/api', routes.api)` where routes.js ends `module.exports = { api: apiRouter }` (kutt).
      if (t?.type === 'MemberExpression') {
        const from = moduleOf(scan, child(t, 'object'));
        const prop = memberProp(t);
        const f = from && prop ? index.resolve(scan.file, from) : null;
        const local = f && prop ? exportedLocal(index, f, prop) : null;
        if (local) out.push({ prefix, file: local.file, targetFile: null, targetLocal: local.local });
        continue;
      }
      // koa `router.routes()`, `import('./routes')`
      if (t?.type === 'CallExpression') t = unwrap(child(unwrap(child(t, 'callee'))!, 'object')) ?? t;
      const name = identName(t);
      const required = requiredModule(t);
      if (required !== null) {
        const f = required ? index.resolve(scan.file, required) : null;
        if (f) out.push({ prefix, file: scan.file, targetFile: f, targetLocal: null, receiver });
        continue;
      }
      if (!name) continue;
      const imp = scan.imports.get(name);
      if (imp) {
        const f = index.resolve(scan.file, imp.source);
        if (f) out.push({ prefix, file: scan.file, targetFile: f, targetLocal: null, receiver });
      } else {
        out.push({ prefix, file: scan.file, targetFile: null, targetLocal: name, receiver });
        for (const f of routerHandedTo(scan, index, (arg) => arg === name)) out.push({ prefix, file: scan.file, targetFile: f, targetLocal: null, receiver });
      }
    }
  // A mounted file that hands a router it makes to an imported registration function (logto's init.ts:
  // `statusRoutes(anonymousRouter, tenant)` under `mount('/api', initApis(…))`): that function's routes share the prefix.
  for (const m of [...out]) {
    const scan = m.targetFile ? index.scan(m.targetFile) : null;
    if (!scan) continue;
    // The registration function's routes sit where the mounted file's would: under the same mount.
    for (const f of routerHandedTo(scan, index, (arg, c) => inRanges(m.within, c.start) && isServerRoot(scan, arg, c.start)))
      if (!out.some((x) => x.targetFile === f)) out.push({ prefix: m.prefix, file: m.file, targetFile: f, targetLocal: null, ...(m.at !== undefined ? { at: m.at } : {}) });
  }
  // A router mounted on a router that is itself mounted (`apiRouter.use('/health', health)`, `app.use('/api', apiRouter)`):
  // its prefix starts with the outer one.
  for (const m of out) {
    const outer = m.receiver ? out.find((x) => x !== m && x.file === m.file && x.targetLocal === m.receiver) : undefined;
    if (outer) m.prefix = joinRoute(outer.prefix, m.prefix);
  }
  return out;
}

/**
 * Files whose imported function is handed a router (`isRouter` names which arguments are): anything-llm's
 * `app.use('/api', apiRouter); systemEndpoints(apiRouter)`, where `systemEndpoints(app)` registers `app.get('/ping')`,
 * served at /api/ping; logto's `statusRoutes(anonymousRouter)` in the function a mount builds from.
 */
function routerHandedTo(scan: FileScan, index: SourceIndex, isRouter: (arg: string, call: Node) => boolean): string[] {
  const out: string[] = [];
  for (const [name, calls] of scan.callsByName) {
    const imp = scan.imports.get(name);
    if (!imp || !calls.some((c) => identName(unwrap(child(c, 'callee'))) === name && args(c).some((a) => isRouter(identName(unwrap(a)) ?? '', c)))) continue;
    const f = index.resolve(scan.file, imp.source);
    if (f && f !== scan.file) out.push(f);
  }
  return out;
}

function filePrefix(file: string, ms: Mount[], seen: Set<string>, offset?: number): string {
  if (seen.has(file)) return '';
  seen.add(file);
  const m = ms.find((x) => x.targetFile === file && (offset === undefined || inRanges(x.within, offset)));
  if (!m) return '';
  return joinRoute(filePrefix(m.file, ms, seen, m.at), m.prefix);
}

function inRanges(ranges: Array<[number, number]> | undefined, at: number): boolean {
  return !ranges || ranges.some(([s, e]) => at >= s && at < e);
}

/** The function a file binds to `name`, by its node. */
function fileFunction(scan: FileScan, name: string): Node | null {
  const b = findBinding(scan, name, Number.MAX_SAFE_INTEGER);
  const u = unwrap(b?.fn ?? b?.init ?? null);
  return u && isFunction(u) ? u : null;
}

/**
 * The ranges of the function a module exports as `name` (`export default function initApis`) and of the file's own
 * functions it calls (logto's `createRouters(tenant)`, where the routers are made and handed out); null when unknown.
 */
function builderRanges(index: SourceIndex, file: string, name: string): Array<[number, number]> | null {
  const scan = index.scan(file);
  const e = scan?.exports.get(name);
  if (!scan || !e) return null;
  const fn = 'local' in e && e.local ? fileFunction(scan, e.local) : unwrap((e as { node?: Node }).node ?? null);
  if (!fn || !isFunction(fn)) return null;
  const out: Array<[number, number]> = [[fn.start, fn.end]];
  walk(fn, (x) => {
    const callee = x.type === 'CallExpression' ? unwrap(child(x, 'callee')) : null;
    const local = callee?.type === 'Identifier' ? fileFunction(scan, callee.name as string) : null;
    if (local && local !== fn) out.push([local.start, local.end]);
  });
  return out;
}

/** Every route the unit declares, with mount prefixes applied. */
export function collectRoutes(scans: FileScan[], index: SourceIndex, ev: Evaluator, unit: string, sails = false): Route[] {
  const raw: Route[] = [];
  const gp = nestGlobalPrefix(scans, ev);
  for (const s of scans) {
    if (s.lightRoutes) {
      for (const r of s.lightRoutes) raw.push({ method: r.method, path: r.path, file: s.file, offset: r.offset, scan: s, handlers: [], middleware: [], via: 'call' });
      continue;
    }
    callRoutes(s, ev, raw);
    decoratorRoutes(s, gp, raw);
    terminusRoutes(s, raw);
    for (const u of s.urlCompares) raw.push({ method: 'ALL', path: u.path, file: s.file, offset: u.node.start, scan: s, handlers: [u.scope], middleware: [], via: 'url-compare' });
  }
  const ms = mounts(scans, index);
  // Without mounts no route gets a prefix.
  const routes = ms.length === 0 ? raw : raw.map((r) => {
    if (r.via !== 'call' || r.path === '*') return r;
    let path = r.path;
    const root = r.scan ? routeRoot(r) : null;
    const local = ms.find((m) => m.file === r.file && m.targetLocal && m.targetLocal === root && inRanges(m.within, r.offset));
    if (local) path = joinRoute(local.prefix, path);
    const fp = filePrefix(r.file, ms, new Set(), r.offset);
    if (fp) path = joinRoute(fp, path);
    return path === r.path ? r : { ...r, path };
  });
  fileRoutes(index, unit ? unit + '/' : '', routes);
  if (sails) tableRoutes(index, unit ? unit + '/' : '', routes);
  return routes;
}

const TABLE_KEY = /^(?:(get|post|put|patch|delete|head|options|all)\s+)?(\/\S*)$/i;

/** Sails' config/routes.js maps `'GET /api/health': 'health/show'` (or `'/ping': { action: … }`) to actions. */
function tableRoutes(index: SourceIndex, unitPrefix: string, out: Route[]): void {
  const file = `${unitPrefix}config/routes.js`;
  // Null when the unit has no such file (the index answers only for its own files).
  const scan = index.scan(file);
  if (!scan) return;
  walk(scan.parsed.program, (n) => {
    if (n.type !== 'Property' || n.computed) return;
    const m = TABLE_KEY.exec((stringValue(child(n, 'key')) ?? '').trim());
    const value = child(n, 'value');
    if (m && value) out.push({ method: (m[1] ?? 'ALL').toUpperCase(), path: m[2]!, file, offset: n.start, scan, handlers: [value], middleware: [], via: 'table' });
  });
}

function routeRoot(r: Route): string | null {
  const s = r.scan;
  if (!s) return null;
  const call = callsNamed(s, ...METHODS).find((c) => c.start === r.offset);
  return call ? calleeRoot(call) : null;
}
