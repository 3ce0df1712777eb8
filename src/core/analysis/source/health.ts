import { toolingFiles } from './tooling-files.js';
import { walk } from '../parse.js';
import type { Finding, HealthFacts } from '../../state/analysis-schema.js';
import { args, calleeName, calleeRoot, child, memberPath, memberProp, objectProp, stringValue, unwrap, type Node } from './ast.js';
import type { Route } from './routes.js';
import { isProcessEnv, type FileScan } from './scan.js';
import { evidence } from '../../evidence.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/** The segments that name a health path, ranked by how surely each means health (lower first: a /ping or /status may be something else). */
const NAME_RANK: Record<string, number> = { healthz: 0, health: 1, healthy: 1, healthcheck: 2, 'health-check': 2, health_check: 2, livez: 3, readyz: 3, live: 4, liveness: 4, ready: 4, readiness: 4, alive: 4, startupz: 4, lbheartbeat: 4, heartbeat: 5, ping: 6, status: 7 };
const HEALTH_SEGMENTS = new Set(Object.keys(NAME_RANK));

// A health path names one of the segments above: most paths are told apart without splitting them.
const HEALTH_WORD = /health|ready|live|alive|ping|status|startup|heartbeat/i;

/** `/healthz`, `/api/health`, `/health/live`, `/status`... but not `/users/:id/status`-like deep resource paths. */
export function isHealthPath(path: string): boolean {
  // Apollo Server's own health check (Ackee serves it and probes it).
  if (path === '/.well-known/apollo/server-health') return true;
  if (!HEALTH_WORD.test(path)) return false;
  const segs = path.split('/').filter(Boolean);
  if (segs.length === 0 || segs.length > 4) return false;
  if (segs.some((s) => s.startsWith(':') || s.includes('*'))) return false;
  // `/_health`, `/__health`, Mozilla Dockerflow's `/__lbheartbeat__`: underscores mark internal routes.
  const i = segs.findIndex((s) => HEALTH_SEGMENTS.has(s.toLowerCase().replace(/^_+|_+$/g, '')));
  if (i === -1) return false;
  // Everything before the health segment is a plain prefix (api, v1, _): `/api/v1/health`; after it, only the kind of
  // probe (`/health/live`, `/health/check`), not a resource (`/api/status/cpu` reports the CPU).
  return (
    segs.slice(0, i).every((s) => /^(api|v\d+|_|internal|system|sys|monitor|management|actuator|public|__|resources|ops|admin)$/i.test(s)) &&
    segs.slice(i + 1).every((s) => s.toLowerCase() === 'check' || HEALTH_SEGMENTS.has(s.toLowerCase()))
  );
}

/** How surely a health path's segment means health, lower first. */
function nameRank(path: string): number {
  let best = 8;
  for (const s of path.split('/')) best = Math.min(best, NAME_RANK[s.toLowerCase().replace(/^_+|_+$/g, '')] ?? 8);
  return best;
}

/** Middleware that turns away a request without credentials: a probe, which has none, would fail on such a path. */
const NEEDS_CREDENTIALS = /auth|jwt|passport|login|bearer|clerk|loggedin|acl|authori[sz]|signedin|currentuser|admin|role|permission|(?<!csrf)protect/i;

const DB_ROOTS = /^(prisma|db|database|pool|pg|client|knex|sequelize|mongoose|mongo|redis|sql|conn|connection|datasource|dataSource|em|orm|supabase|drizzle|kysely|typeorm|repository|repo|model|models|cache|queue)$/i;
const DB_METHODS = new Set(['query', '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', '$connect', 'execute', 'ping', 'authenticate', 'raw', 'findFirst', 'findMany', 'findOne', 'findUnique', 'count', 'aggregate', 'pingCheck', 'checkConnection', 'isHealthy', 'select', 'command', 'listCollections']);
const LOG_CALL = /(^|\.)(console|log|logger|\w*[Ll]ogger)\.(log|info|debug|warn|error|trace|fatal)$/i;
const HTTP_CALLS = /^(fetch|axios|got|ky|request|undici|\$fetch|ofetch|superagent|needle)$/;

interface HandlerFacts {
  slow: Array<{ scan: FileScan; node: Node; what: string }>;
  reveals: Array<{ scan: FileScan; node: Node; what: string }>;
}

/** The function node an identifier/member handler refers to. */
function resolveHandler(run: SourceRun, scan: FileScan, n: Node): { scan: FileScan; node: Node } | null {
  const u = unwrap(n);
  if (!u) return null;
  if (u.type === 'Identifier' || u.type === 'MemberExpression') {
    const v = run.ev.eval(u, scan);
    if (v.k === 'fn') return { scan: v.mod, node: v.node };
    if (v.k === 'obj' && v.node.type !== 'ModuleNamespace') return null;
    return null;
  }
  if (u.type === 'CallExpression') {
    // asyncHandler(fn), defineEventHandler(fn), wrap(fn)
    const inner = (u.arguments as Node[] | undefined)?.find((a) => {
      const t = unwrap(a)?.type;
      return t === 'ArrowFunctionExpression' || t === 'FunctionExpression' || t === 'Identifier';
    });
    return inner ? resolveHandler(run, scan, inner) : null;
  }
  return { scan, node: u };
}

function inspect(run: SourceRun, scan: FileScan, body: Node, facts: HandlerFacts, depth: number): void {
  walk(body, (n, parent) => {
    if (n.type === 'CallExpression') {
      const name = calleeName(n) ?? '';
      // What a handler logs is not what it returns: `console.error(err.stack)` reveals nothing to the caller.
      if (LOG_CALL.test(name)) return false;
      const root = calleeRoot(n) ?? '';
      const last = memberProp(child(n, 'callee')) ?? name;
      const path = memberPath(child(n, 'callee')) ?? [];
      const objName = path.length >= 2 ? path[path.length - 2]! : '';
      if (HTTP_CALLS.test(root) || HTTP_CALLS.test(name)) facts.slow.push({ scan, node: n, what: `calls ${name || root}` });
      else if (DB_METHODS.has(last) && (DB_ROOTS.test(root) || DB_ROOTS.test(objName) || last.startsWith('$') || last === 'pingCheck')) facts.slow.push({ scan, node: n, what: `calls ${name || last}` });
      else if (depth < 2 && root && root === name) {
        // A local helper (`await checkDb()`): look one level in.
        const target = resolveHandler(run, scan, child(n, 'callee')!);
        if (target && target.node !== body) inspect(run, target.scan, target.node, facts, depth + 1);
      }
    } else if (n.type === 'TaggedTemplateExpression') {
      const tag = memberPath(child(n, 'tag'))?.join('.') ?? '';
      if (/(^|\.)(sql|\$queryRaw\w*|\$executeRaw\w*)$/.test(tag)) facts.slow.push({ scan, node: n, what: 'runs a SQL query' });
    } else if (n.type === 'MemberExpression') {
      const p = memberPath(n);
      if (isProcessEnv(n) && !(parent?.type === 'MemberExpression' && parent.object === n)) facts.reveals.push({ scan, node: n, what: 'env' });
      else if (p && p[0] === 'process' && p[1] === 'versions') facts.reveals.push({ scan, node: n, what: 'versions' });
      else if (p && (p[p.length - 1] === 'dependencies' || p[p.length - 1] === 'devDependencies')) facts.reveals.push({ scan, node: n, what: 'dependencies' });
      else if (p && p[p.length - 1] === 'stack' && p.length >= 2) facts.reveals.push({ scan, node: n, what: 'stack' });
    }
  });
}

export function handlerFacts(run: SourceRun, route: Route): HandlerFacts {
  const facts: HandlerFacts = { slow: [], reveals: [] };
  if (!route.scan) return facts;
  for (const h of route.handlers) {
    const target = resolveHandler(run, route.scan, h);
    if (target) inspect(run, target.scan, target.node, facts, 0);
  }
  return facts;
}

const HEALTH_MODULES = ['@nestjs/terminus', '@godaddy/terminus', '@fastify/under-pressure', 'lightship', 'express-healthcheck', 'express-actuator', '@cloudnative/health-connect', 'fastify-healthcheck', 'koa-healthcheck'];

export interface HealthResult {
  health: HealthFacts;
  findings: Finding[];
}

/**
 * Routes a health middleware adds by itself: express-actuator's `app.use(actuator())` serves GET /health (with /info
 * and /metrics), under `basePath` when given (actual-server's only health route).
 */
function moduleRoutes(run: SourceRun): Array<HealthFacts['routes'][number]> {
  const out: Array<HealthFacts['routes'][number]> = [];
  for (const s of run.astScans) {
    if (!s.importSources.has('express-actuator')) continue;
    for (const [local, b] of s.imports) {
      if (b.source !== 'express-actuator') continue;
      for (const call of s.callsByName.get(local) ?? []) {
        const opt = args(call)[0] ?? null;
        const base = (stringValue(opt) ?? stringValue(objectProp(opt, 'basePath')) ?? '').replace(/\/$/, '');
        out.push({ path: `${base}/health`, method: 'GET', slow: false, reveals: [], evidence: [nodeEvidence(s, call.start, 'health-module-route')] });
      }
    }
  }
  // Platforms whose server registers a health route of its own: Strapi's `/_health` (204), Medusa's `/health` (200).
  const own = FRAMEWORK_HEALTH[run.hints.framework];
  if (own) out.push({ path: own, method: 'GET', slow: false, reveals: [], evidence: [evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, `${run.hints.framework}-health-route`, `GET ${own}`)] });
  return out;
}

const FRAMEWORK_HEALTH: Partial<Record<string, string>> = { strapi: '/_health', medusa: '/health' };

export function detectHealth(run: SourceRun, listener: string | null = null): HealthResult {
  // A mock or maintenance server's /health (chat-ui's scripts/mock-image-mcp.mjs) is not the service's: probes would 404.
  const tooling = toolingFiles(run, listener);
  const routes = run.routes.filter(
    (r) => !tooling(r.file) && r.method !== 'USE' && r.method !== 'POST' && r.method !== 'PUT' && r.method !== 'DELETE' && r.method !== 'PATCH' && isHealthPath(r.path) && !r.middleware.some((m) => NEEDS_CREDENTIALS.test(m)),
  );
  // `app.use('/health', healthRouter)` where the router serves '/': the mount itself is the route.
  const seen = new Map<string, HealthFacts['routes'][number]>();
  const slowEv = [];
  const revealEv = [];
  for (const r of routes) {
    const key = r.path.replace(/\/$/, '') || '/';
    const f = handlerFacts(run, r);
    const ev = r.scan && r.via !== 'file' ? nodeEvidence(r.scan, r.offset, `health-route-${r.via}`) : evidence(r.file, 1, 'health-route-file', `${r.method} ${r.path}`);
    const reveals = [...new Set(f.reveals.map((x) => x.what))].sort();
    const existing = seen.get(key);
    if (existing) {
      existing.slow ||= f.slow.length > 0;
      existing.reveals = [...new Set([...existing.reveals, ...reveals])].sort();
      existing.evidence.push(ev);
    } else seen.set(key, { path: key, method: r.method === 'ALL' ? 'GET' : r.method, slow: f.slow.length > 0, reveals, evidence: [ev] });
    slowEv.push(...f.slow.map((s) => nodeEvidence(s.scan, s.node.start, 'health-slow-call')));
    revealEv.push(...f.reveals.map((s) => nodeEvidence(s.scan, s.node.start, `health-reveals-${s.what}`, true)));
  }
  for (const r of moduleRoutes(run)) if (!seen.has(r.path)) seen.set(r.path, r);
  // Probes use the first path: dependency-free handlers first, then by how surely the name means health (a /ping or
  // /status may be something else: homepage's /api/ping pings other hosts and answers 400 without a query), then shortest.
  const order = (r: HealthFacts['routes'][number]) => (r.slow ? 10 : 0) + nameRank(r.path) + r.path.length / 1000;
  const list = [...seen.values()].sort((a, b) => order(a) - order(b));
  const module = HEALTH_MODULES.find((m) => run.ctx.hasDep(m)) ?? null;
  const health: HealthFacts = { paths: list.map((r) => r.path), routes: list, module };

  const findings: Finding[] = [];
  if (list.length > 0) {
    findings.push(finding('health-endpoint', 'health', 'pass', `Health endpoint${list.length > 1 ? 's' : ''}: ${health.paths.join(', ')}.`, null, list.flatMap((r) => r.evidence.slice(0, 1))));
    const slow = list.filter((r) => r.slow);
    findings.push(
      slow.length
        ? finding(
            'health-fast',
            'health',
            'warn',
            `${slow.map((r) => r.path).join(', ')} wait${slow.length === 1 ? 's' : ''} on a database or outbound call: a slow dependency makes the pod look dead and restarts it.`,
            'Keep the liveness path (/healthz) dependency-free; check the database only in a separate readiness path with a short timeout.',
            slowEv,
          )
        : finding('health-fast', 'health', 'pass', 'Health handlers answer without waiting on a database or outbound call.', null, []),
    );
    const reveal = list.filter((r) => r.reveals.length);
    findings.push(
      reveal.length
        ? finding(
            'health-reveals',
            'security',
            'warn',
            `${reveal.map((r) => `${r.path} (${r.reveals.join(', ')})`).join('; ')}: the health response exposes internals to anyone.`,
            'Return only a status (e.g. { status: "ok" }); never env, dependency versions or error stacks.',
            revealEv,
          )
        : finding('health-reveals', 'security', 'pass', 'Health responses do not expose env, versions or stacks.', null, []),
    );
  } else if (module) {
    findings.push(
      finding(
        'health-endpoint',
        'health',
        'warn',
        `${module} is installed but no health route was found: probes fall back to a TCP check.`,
        module === '@fastify/under-pressure' ? 'Register it with exposeStatusRoute: true (serves /status), or add GET /healthz.' : "Expose a GET /healthz route that returns 200 without touching the database.",
        [],
      ),
    );
  } else {
    findings.push(
      finding(
        'health-endpoint',
        'health',
        'warn',
        'No health endpoint found (/healthz, /health, /readyz, /livez, /ping, /status): probes fall back to a TCP check, which passes even when the app is broken.',
        "Add a cheap GET /healthz that returns 200 { status: 'ok' } without touching the database.",
        [],
      ),
    );
  }
  return { health, findings };
}
