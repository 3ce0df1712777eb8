import type { Evidence } from '../../evidence.js';
import type { Finding } from '../../state/analysis-schema.js';
import { walk } from '../parse.js';
import { appGuardIn, corsStarIn } from './cached-scan.js';
import { args, calleeName, child, children, covers as nodeCovers, identName, isFunction, memberProp, objectProp, stringValue, unwrap, type Node } from './ast.js';
import { classifyEnv, isSecretClass } from './env-vars.js';
import { looksSecretName } from '../../redact.js';
import type { Route } from './routes.js';
import { callsNamed, envMember, isProcessEnv, localsOf, type FileScan } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';
import { findBinding } from './modules.js';

const AUTH_NAME = /auth|admin|protect|guard|require|ensure|verify|jwt|passport|session|login|role|permission|basic|bearer|clerk|loggedin|acl|authorize|restrict|isSignedIn|currentUser/i;
export const RATE_LIMITERS = ['express-rate-limit', '@fastify/rate-limit', 'fastify-rate-limit', '@nestjs/throttler', 'rate-limiter-flexible', 'hono-rate-limiter', 'koa-ratelimit', 'koa2-ratelimit', 'express-slow-down', '@upstash/ratelimit', 'express-brute', '@arcjet/node', '@arcjet/next', 'connect-ratelimit', 'express-limiter'];
const SENSITIVE_PATH = /(login|log-in|signin|sign-in|auth|register|signup|sign-up|password|reset|token|otp|verify|session|magic-link)/i;
const LOG_METHODS = /(^|\.)(console|log|logger|fastify|\w*[Ll]ogger)\.(log|info|debug|warn|error|trace|notice|fatal|dir|table)$/i;

export function isAdminPath(p: string): boolean {
  return /(^|\/)admin(\/|$|\*)/i.test(p);
}

function covers(prefix: string, path: string): boolean {
  if (prefix === '*' || prefix === '/' || prefix === '/*') return true;
  const p = prefix.replace(/\/?\*$/, '').replace(/\/$/, '');
  return path === p || path.startsWith(p + '/');
}

function adminFindings(run: SourceRun): Finding[] {
  // Sails guards the actions of its route table with policies (config/policies.js), which this does not read.
  const admin = run.routes.filter((r) => r.method !== 'USE' && r.via !== 'table' && isAdminPath(r.path));
  if (admin.length === 0) return [];
  const globalGuard = run.scans.some((s) => callsNamed(s, 'useGlobalGuards').length > 0 || appGuardIn(s));
  const uses = run.routes.filter((r) => r.method === 'USE' && r.middleware.some((m) => AUTH_NAME.test(m) && !/router|routes|controller/i.test(m)));
  const hooks = run.astScans.filter((s) => callsNamed(s, 'addHook').some((c) => /auth|verify|jwt/i.test(s.parsed.text.slice(c.start, c.end))));
  const open = admin.filter((r) => {
    if (globalGuard) return false;
    if (r.middleware.some((m) => AUTH_NAME.test(m))) return false;
    if (r.via === 'file') return !fileChecksAuth(run, r);
    // A path-scoped guard (`app.use('/admin', requireAdmin)`) anywhere, or a global one earlier in the same file.
    if (uses.some((u) => covers(u.path, r.path) && (u.path !== '*' || (u.file === r.file && u.offset < r.offset)))) return false;
    if (hooks.some((s) => s.file === r.file)) return false;
    return !handlerChecksAuth(r);
  });
  if (open.length === 0)
    return [finding('admin-auth', 'security', 'pass', `/admin routes (${admin.length}) sit behind an auth middleware or guard.`, null, admin.slice(0, 3).map(routeEvidence))];
  return [
    finding(
      'admin-auth',
      'security',
      'warn',
      `${open.length} /admin route(s) have no auth middleware in their chain: ${open.slice(0, 5).map((r) => `${r.method} ${r.path}`).join(', ')}.`,
      "Put an auth check in front of every admin route, e.g. app.use('/admin', requireAdmin) before the routes, or @UseGuards(AuthGuard) on the controller.",
      open.map(routeEvidence),
    ),
  ];
}

/**
 * Session/role checks written inside a handler: `await requireUserWithRole(request, 'admin')`, `if (!req.user) return
 * res.sendStatus(401)`, a credential header compared (epic-stack's `Authorization === \`Bearer ${token}\``,
 * psitransfer's `req.get('x-passwd') !== config.adminPass`).
 */
const INLINE_AUTH = /require\w*(User|Auth|Role|Admin|Session|Login)|getServerSession|\bauth\(\)|currentUser|getSession|verifyToken|getToken|clerk|unauthori[sz]ed|forbidden|\b40[13]\b|isAdmin|hasRole|\bauthorization\b|\bbearer\b|x-passw/i;

function fileChecksAuth(run: SourceRun, r: Route): boolean {
  const t = r.scan?.parsed.text ?? '';
  // Next/Nuxt/Remix route files check the session inside the handler; middleware.ts may guard /admin.
  if (INLINE_AUTH.test(t)) return true;
  return run.index.files.some((f) => /(^|\/)(src\/)?middleware\.[jt]s$/.test(f) && /admin/.test(run.index.text(f) ?? ''));
}

function handlerChecksAuth(r: Route): boolean {
  const text = r.scan?.parsed.text ?? '';
  return r.handlers.some((h) => INLINE_AUTH.test(text.slice(h.start, h.end)));
}

function routeEvidence(r: Route): Evidence {
  return r.scan && r.via !== 'file' ? nodeEvidence(r.scan, r.offset, `route-${r.method.toLowerCase()}`) : { file: r.file, line: 1, rule: 'route-file', snippet: `${r.method} ${r.path}` };
}

function corsFindings(run: SourceRun): Finding[] {
  const wild: Evidence[] = [];
  const explicit: Evidence[] = [];
  const judge = (s: FileScan, node: Node, opts: Node | null, defaultWildcard: boolean) => {
    const u = unwrap(opts);
    if (u?.type === 'Literal' && u.value === true) {
      wild.push(nodeEvidence(s, node.start, 'cors-enabled-default'));
      return;
    }
    const origin = u?.type === 'ObjectExpression' ? objectProp(u, 'origin') : null;
    if (!origin) {
      if (defaultWildcard || u?.type !== 'ObjectExpression') wild.push(nodeEvidence(s, node.start, 'cors-default-any-origin'));
      else explicit.push(nodeEvidence(s, node.start, 'cors-options'));
      return;
    }
    const o = unwrap(origin);
    // `origin: process.env.API_CORS_ORIGIN || '*'` (web-check): any origin unless the operator sets one.
    const fallback = o?.type === 'LogicalExpression' && (o.operator === '||' || o.operator === '??') ? stringValue(child(o, 'right')) : null;
    const v = stringValue(o) ?? fallback;
    if (v === '*' || (o?.type === 'Literal' && o.value === true)) wild.push(nodeEvidence(s, node.start, fallback === '*' ? 'cors-origin-star-by-default' : v === '*' ? 'cors-origin-star' : 'cors-origin-reflect'));
    else explicit.push(nodeEvidence(s, node.start, 'cors-origin'));
  };
  for (const s of run.scans) {
    const corsLocals = localsOf(s, (src) => /^(cors|@koa\/cors|kcors|hono\/cors)$/.test(src));
    for (const c of callsNamed(s, ...corsLocals, 'enableCors', 'register', 'setHeader', 'header', 'set', 'append', 'create')) {
      const callee = unwrap(child(c, 'callee'));
      const name = calleeName(c) ?? '';
      const a = args(c);
      const local = identName(callee);
      const src = local ? s.imports.get(local)?.source : undefined;
      if (src === 'cors' || src === '@koa/cors' || src === 'kcors' || src === 'hono/cors') judge(s, c, a[0] ?? null, true);
      else if (/(^|\.)enableCors$/.test(name)) judge(s, c, a[0] ?? null, true);
      else if (memberProp(callee) === 'register' && s.imports.get(identName(a[0] ?? null) ?? '')?.source?.match(/^(@fastify\/cors|fastify-cors)$/)) judge(s, c, a[1] ?? null, true);
      else if (/(^|\.)(setHeader|header|set|append)$/.test(name) && /^access-control-allow-origin$/i.test(stringValue(a[0] ?? null) ?? '') && stringValue(a[1] ?? null) === '*')
        wild.push(nodeEvidence(s, c.start, 'cors-header-star'));
      else if (name === 'NestFactory.create' && unwrap(objectProp(a[1] ?? null, 'cors'))?.value === true) wild.push(nodeEvidence(s, c.start, 'cors-enabled-default'));
    }
    // Header objects: { 'Access-Control-Allow-Origin': '*' }
    const i = corsStarIn(s);
    if (i !== -1 && !wild.some((e) => e.file === s.file && e.line === s.parsed.line(i))) wild.push(nodeEvidence(s, i, 'cors-header-star'));
  }
  if (wild.length)
    return [
      finding(
        'cors-wildcard',
        'security',
        'warn',
        'CORS allows any origin (no origin option, `*`, or reflecting the request origin): any website can call this API from a browser.',
        "Pass the allowed origins explicitly, e.g. cors({ origin: process.env.ALLOWED_ORIGINS.split(',') }), set to the production domain.",
        wild,
      ),
    ];
  if (explicit.length) return [finding('cors-wildcard', 'security', 'pass', 'CORS is limited to configured origins.', null, explicit)];
  return [];
}

function rateLimitFindings(run: SourceRun): Finding[] {
  const imported = new Set<string>();
  for (const s of run.scans) for (const src of s.importSources) imported.add(src);
  const used = RATE_LIMITERS.find((m) => run.ctx.hasDep(m) || imported.has(m));
  const switchedBy = used ? limiterSwitch(run) : null;
  if (used && switchedBy)
    return [
      finding(
        'rate-limit',
        'security',
        'warn',
        `Rate limiting (${used}) is applied only when ${switchedBy.name} is set: unless the deployment sets it, the service runs without it.`,
        `Set ${switchedBy.name} on the deployment (.sealos/config.json env_overrides), or apply the limiter unconditionally.`,
        [switchedBy.evidence],
      ),
    ];
  if (used) return [finding('rate-limit', 'security', 'pass', `Rate limiting is in place (${used}).`, null, [])];
  const sensitive = run.routes.filter((r) => r.method !== 'USE' && (SENSITIVE_PATH.test(r.path) || ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)));
  if (sensitive.length === 0) return [];
  const auth = sensitive.filter((r) => SENSITIVE_PATH.test(r.path));
  return [
    finding(
      'rate-limit',
      'security',
      'warn',
      auth.length
        ? `Login/auth routes (${auth.slice(0, 3).map((r) => `${r.method} ${r.path}`).join(', ')}) have no rate limiter: credential stuffing and brute force are unthrottled.`
        : `${sensitive.length} write route(s) and no rate limiter: one client can flood the service.`,
      run.hints.framework === 'fastify' ? 'Register @fastify/rate-limit.' : run.hints.framework === 'nestjs' ? 'Add ThrottlerModule from @nestjs/throttler with a global ThrottlerGuard.' : 'Add a rate limiter (express-rate-limit or rate-limiter-flexible), at least on auth and write routes.',
      (auth.length ? auth : sensitive).slice(0, 5).map(routeEvidence),
    ),
  ];
}

const APPLY = /^(use|register|all|get|post|put|patch|delete|route)$/;

/**
 * The setting whose absence makes the function around `made` return before it (`if (!env.ENABLE_RATE_LIMIT) return
 * noop`), or null: the limiter is made only when that setting is on.
 */
function returnsEarlyUnless(run: SourceRun, s: FileScan, fns: Node[], ifs: Node[], made: Node): string | null {
  const fn = fns.filter((f) => nodeCovers(f, made.start)).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  const body = fn ? child(fn, 'body') : null;
  if (!body || body.type !== 'BlockStatement') return null;
  for (const i of ifs) {
    if (i.start < body.start || i.end > made.start || !children(body, 'body').includes(i)) continue;
    const consequent = child(i, 'consequent');
    const returns = consequent?.type === 'ReturnStatement' || (consequent?.type === 'BlockStatement' && children(consequent, 'body').some((x) => x.type === 'ReturnStatement'));
    const test = unwrap(child(i, 'test'));
    const negated = test?.type === 'UnaryExpression' && test.operator === '!' ? unwrap(child(test, 'argument')) : null;
    const v = negated ? run.ev.eval(negated, s) : null;
    if (returns && v?.k === 'env') return v.name;
  }
  return null;
}

/**
 * The setting every application of the rate limiter waits on: web-check builds its limiters unconditionally and applies
 * them in `if (process.env.API_ENABLE_RATE_LIMIT === 'true') { app.use(API_DIR, limiters) }`. Null when one application
 * runs whatever the settings, or none is found (the limiter is then taken at its word).
 */
function limiterSwitch(run: SourceRun): { name: string; evidence: Evidence } | null {
  let found: { name: string; evidence: Evidence } | null = null;
  // Only files that import a limiter, parsed when the token tier read them.
  const limiterFiles = run.scans.filter((x) => [...x.importSources].some((src) => RATE_LIMITERS.includes(src)));
  for (const s of limiterFiles.map((x) => (x.lightRoutes ? run.index.scan(x.file) : x)).filter((x): x is FileScan => x !== null)) {
    const locals = new Set(localsOf(s, (src) => RATE_LIMITERS.includes(src)));
    if (locals.size === 0) continue;
    // Where the limiters are made, the names that hold them, and every place one is handed to use()/register()/a route.
    const made: Node[] = [];
    const decls: Node[] = [];
    const calls: Node[] = [];
    const ifs: Node[] = [];
    const fns: Node[] = [];
    walk(s.parsed.program, (n) => {
      if (isFunction(n)) fns.push(n);
      if (n.type === 'IfStatement') ifs.push(n);
      else if (n.type === 'VariableDeclarator') decls.push(n);
      else if (n.type === 'CallExpression' || n.type === 'NewExpression') {
        if (locals.has(identName(unwrap(child(n, 'callee'))) ?? '')) made.push(n);
        else if (n.type === 'CallExpression' && APPLY.test(memberProp(unwrap(child(n, 'callee'))) ?? '')) calls.push(n);
      }
      return;
    });
    // A factory that hands out a pass-through unless a setting is on (kutt's `function rateLimit(params) { if
    // (!env.ENABLE_RATE_LIMIT) return (req, res, next) => next(); return expressRateLimit(…) }`): off as deployed.
    const factoryGate = made.length > 0 ? made.map((m) => returnsEarlyUnless(run, s, fns, ifs, m)) : [];
    if (factoryGate.length > 0 && factoryGate.every((g) => g !== null)) {
      found ??= { name: factoryGate[0]!, evidence: nodeEvidence(s, made[0]!.start, 'rate-limit-switched') };
      continue;
    }
    // A name holds limiters when its initializer makes one (`const limiters = limits.map((l) => rateLimit(l))`).
    const holders = new Set(decls.filter((d) => made.some((m) => nodeCovers(child(d, 'init'), m.start))).map((d) => identName(child(d, 'id'))).filter((x): x is string => !!x));
    const applied = calls.filter((c) =>
      args(c).some((a) => {
        const u = unwrap(a);
        return !!u && (holders.has(identName(u) ?? '') || made.includes(u));
      }),
    );
    for (const use of applied) {
      let gate: string | null = null;
      for (const i of ifs) {
        if (gate || !nodeCovers(child(i, 'consequent'), use.start)) continue;
        walk(child(i, 'test')!, (t) => {
          gate ??= envMember(t)?.name ?? null;
        });
      }
      if (!gate) return null;
      found ??= { name: gate, evidence: nodeEvidence(s, use.start, 'rate-limit-switched') };
    }
  }
  return found;
}

function sessionFindings(run: SourceRun): Finding[] {
  const memory: Evidence[] = [];
  const stored: Evidence[] = [];
  for (const s of run.astScans)
    for (const c of callsNamed(s, ...localsOf(s, (src) => src === 'express-session'), 'register')) {
      const a = args(c);
      const local = identName(child(c, 'callee'));
      const src = local ? s.imports.get(local)?.source : undefined;
      let opts: Node | null = null;
      if (src === 'express-session') opts = a[0] ?? null;
      else if (memberProp(child(c, 'callee')) === 'register' && /^(@fastify\/session|fastify-session)$/.test(s.imports.get(identName(a[0] ?? null) ?? '')?.source ?? '')) opts = a[1] ?? null;
      else continue;
      (objectProp(opts, 'store') ? stored : memory).push(nodeEvidence(s, c.start, objectProp(opts, 'store') ? 'session-store' : 'session-memory-store'));
    }
  if (memory.length)
    return [
      finding(
        'memory-sessions',
        'scaling',
        'warn',
        'Sessions use the default in-memory store: they are lost on every restart and not shared between replicas (users get logged out at random).',
        'Give the session middleware a shared store (connect-redis, connect-pg-simple) or use signed cookie sessions.',
        memory,
      ),
    ];
  if (stored.length) return [finding('memory-sessions', 'scaling', 'pass', 'Sessions use an external store.', null, stored)];
  return [];
}

const MASKING_CALL = /sanitiz|mask|redact|obfuscat|censor|scrub|hash|hide/i;

function isLogCall(c: Node): boolean {
  return LOG_METHODS.test(calleeName(c) ?? '');
}

function secretEnvName(name: string): boolean {
  const c = classifyEnv(name);
  // A provider's identifiers share its keys' class but hold no secret (GOOGLE_CLIENT_ID, novu's HubSpot list id).
  if (c === 'third-party-key' && !looksSecretName(name)) return false;
  return isSecretClass(c) || (c === 'database' && /(URL|URI|PASSWORD|PASS|DSN|CONNECTION_STRING)$/.test(name));
}

/** A local constant whose value went through a function that hides it (hash, mask, redact…). */
function hidden(s: FileScan, id: Node): boolean {
  const init = findBinding(s, id.name as string, id.start)?.init ?? null;
  let found = false;
  if (init)
    walk(init, (n) => {
      if (found) return false;
      if (n.type === 'CallExpression' && MASKING_CALL.test(calleeName(n) ?? '')) found = true;
      return undefined;
    });
  return found;
}

function secretLogFindings(run: SourceRun): Finding[] {
  const hits: Evidence[] = [];
  const names = new Set<string>();
  for (const s of run.astScans)
    for (const c of callsNamed(s, 'log', 'info', 'debug', 'warn', 'error', 'trace', 'notice', 'fatal', 'dir', 'table')) {
      if (!isLogCall(c)) continue;
      for (const a of args(c))
        walk(a, (n, parent) => {
          // `process.env.X ? 'set' : 'missing'`, `!!process.env.X`, comparisons: only presence is logged.
          if (parent && ((parent.type === 'ConditionalExpression' && parent.test === n) || parent.type === 'UnaryExpression' || parent.type === 'BinaryExpression')) return false;
          // `sanitize(process.env[name])`, `mask(token)`: what is logged went through a function that hides it.
          if (n.type === 'CallExpression' && MASKING_CALL.test(calleeName(n) ?? '')) return false;
          if (n.type === 'MemberExpression') {
            // `process.env[name]`: one variable chosen at run time, not the whole environment.
            if (n.computed && isProcessEnv(child(n, 'object')) && !envMember(n)) return false;
            if (isProcessEnv(n)) {
              names.add('process.env (all variables)');
              hits.push(nodeEvidence(s, c.start, 'logs-process-env', true));
              return false;
            }
            const env = envMember(n);
            if (env) {
              if (secretEnvName(env.name)) {
                names.add(env.name);
                hits.push(nodeEvidence(s, c.start, 'logs-secret-env', true));
              }
              return false;
            }
            if (memberProp(n) === 'length') return false;
          }
          if (n.type === 'Identifier' && parent?.type !== 'MemberExpression') {
            // `const hashedKey = env.KEY ? hashString(env.KEY) : null`: the constant holds what a hiding function returned.
            if (hidden(s, n)) return undefined;
            const v = run.ev.eval(n, s);
            if (v.k === 'env' && secretEnvName(v.name)) {
              names.add(v.name);
              hits.push(nodeEvidence(s, c.start, 'logs-secret-env', true));
            } else if (v.k === 'envobj') {
              names.add('process.env (all variables)');
              hits.push(nodeEvidence(s, c.start, 'logs-process-env', true));
            }
          }
          return undefined;
        });
    }
  if (hits.length)
    return [
      finding(
        'secret-logging',
        'security',
        'fail',
        `The code logs secret values: ${[...names].slice(0, 6).join(', ')}. Logs are readable by anyone with cluster access and are often shipped elsewhere.`,
        'Remove the value from the log line (log whether it is set, not what it is).',
        hits,
      ),
    ];
  return [finding('secret-logging', 'security', 'pass', 'No log call prints a secret env var or the whole environment.', null, [])];
}

export function securityFindings(run: SourceRun): Finding[] {
  return [...adminFindings(run), ...corsFindings(run), ...rateLimitFindings(run), ...sessionFindings(run), ...secretLogFindings(run)];
}
