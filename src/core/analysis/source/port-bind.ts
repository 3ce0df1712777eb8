import semver from 'semver';
import { UNPRIVILEGED_PORT } from '../../deploy-port.js';
import { evidence, lineOf, type Evidence } from '../../evidence.js';
import type { BindFacts, EnvVar, Finding, FrameworkName, PortFacts } from '../../state/analysis-schema.js';
import { args, calleeName, calleeRoot, child, identName, isFunction, memberProp, objectProp, stringValue, unwrap, type Node } from './ast.js';
import { constInit, findBinding, literalOf, type Val } from './modules.js';
import { callsNamed, importedFrom, newsNamed, type FileScan } from './scan.js';
import { plainHttpFinding, tlsSites } from './https-server.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';
import { paramValue } from './param-values.js';
import { TOOLING_DIR } from '../context.js';
import { loadedFrom } from './loaded-files.js';
import { runsFrameworkServer, scriptText, startProgram } from '../commands.js';
import { SPA_BUNDLERS } from '../framework.js';

/** A place the service starts listening: `app.listen(...)`, `serve({ port })`, `Hapi.server({ port })`. */
export interface Listener {
  scan: FileScan;
  node: Node;
  kind: 'listen' | 'serve' | 'hapi';
  fastify: boolean;
  port: Val | null;
  host: Val | null;
  /** hapi's `tls` option, when given. */
  tls?: Val | null;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', 'ip6-localhost', '[::1]']);
const ANY_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

/** Ports framework servers use when nothing says otherwise; they all read PORT. */
const FRAMEWORK_PORT: Partial<Record<FrameworkName, number>> = {
  nextjs: 3000,
  nuxt: 3000,
  nitro: 3000,
  remix: 3000,
  'react-router': 3000,
  sveltekit: 3000,
  astro: 4321,
  nestjs: 3000,
  hono: 3000,
  adonisjs: 3333,
  strapi: 1337,
  medusa: 9000,
  keystone: 3000,
  sails: 1337,
};
const FRAMEWORK_SERVERS = new Set<FrameworkName>(['nextjs', 'nuxt', 'nitro', 'remix', 'react-router', 'sveltekit', 'astro', 'adonisjs', 'strapi', 'medusa', 'keystone', 'sails']);

function isFastifyReceiver(scan: FileScan, call: Node, framework: FrameworkName): boolean {
  const root = calleeRoot(call);
  if (!root) return false;
  const b = findBinding(scan, root, call.start);
  const init = unwrap(b?.init ?? null);
  // Nest on Fastify (`NestFactory.create(AppModule, new FastifyAdapter())`) listens on localhost unless given a host.
  if (init?.type === 'CallExpression' && importedFrom(scan, calleeRoot(init)) === '@nestjs/core' && memberProp(child(init, 'callee')) === 'create')
    return args(init).some((a) => isFastifyAdapter(scan, a, init.start));
  if (init?.type === 'CallExpression') {
    const src = importedFrom(scan, identName(child(init, 'callee'))) ?? importedFrom(scan, calleeRoot(init));
    if (src === 'fastify') return true;
    if (src) return false;
  }
  if (scan.importSources.has('fastify') && /fastify|app|server/i.test(root)) return true;
  // The instance comes from elsewhere (a build() helper): trust the framework detector.
  return framework === 'fastify' && !scan.importSources.has('express') && !scan.importSources.has('koa');
}

/** `new FastifyAdapter(…)` of @nestjs/platform-fastify, written in place or held in a name. */
function isFastifyAdapter(scan: FileScan, n: Node | null, at: number): boolean {
  let u = unwrap(n);
  if (u?.type === 'Identifier') u = unwrap(findBinding(scan, u.name as string, at)?.init ?? null);
  return u?.type === 'NewExpression' && importedFrom(scan, identName(child(u, 'callee'))) === '@nestjs/platform-fastify';
}

/**
 * `server.listen(0, '127.0.0.1')`: a server of the process's own on a port the system picks (linkwarden's worker runs
 * an SSRF proxy so): nothing outside can be sent there, so it is not the service's listener.
 */
function ephemeral(port: Val | null): boolean {
  return port?.k === 'num' && port.v === 0;
}

function collectListeners(run: SourceRun): Listener[] {
  const out: Listener[] = [];
  // A value that is a parameter of the function around the listen call: what its callers pass.
  const value = (n: Node, scan: FileScan): Val => {
    const v = run.ev.eval(n, scan);
    if (v.k === 'unknown') return paramValue(run, scan, n) ?? v;
    // `process.env.PORT || configs.server.port`: the fallback is what the callers pass.
    const u = unwrap(n);
    if (v.k === 'env' && v.fallback === null && u?.type === 'LogicalExpression' && u.operator !== '&&') {
      const fallback = paramValue(run, scan, child(u, 'right'));
      if (fallback && fallback.k !== 'unknown') return { ...v, fallback };
    }
    return v;
  };
  for (const scan of run.astScans) {
    for (const call of callsNamed(scan, 'listen', 'serve')) {
      const last = memberProp(child(call, 'callee'));
      const name = calleeName(call) ?? '';
      const a = args(call);
      if (last === 'listen') {
        const first = unwrap(a[0] ?? null);
        // `history.listen(cb)`, `emitter.listen(fn)`: subscriptions, not servers; JSX files hold no servers, unless the file
        // is the server's own (lemmy-ui's src/server/index.tsx renders the app and listens).
        if (!first || isFunction(first) || (/\.[jt]sx$/.test(scan.file) && scan.file !== run.entry && !/(^|\/)server(\/|\.[jt]sx$)/.test(scan.file))) continue;
        if (first?.type === 'ObjectExpression') {
          const p = objectProp(first, 'port');
          const h = objectProp(first, 'host') ?? objectProp(first, 'hostname') ?? objectProp(first, 'address');
          if (p && ephemeral(value(p, scan))) continue;
          out.push({ scan, node: call, kind: 'listen', fastify: isFastifyReceiver(scan, call, run.hints.framework), port: p ? value(p, scan) : null, host: h ? value(h, scan) : null });
          continue;
        }
        const port = first ? value(first, scan) : null;
        // `history.listen(finishClose)`: a callback by name subscribes to something; it is not a port.
        if (port?.k === 'fn') continue;
        // listen('/tmp/app.sock') is a unix socket, not a TCP port.
        if (port?.k === 'str' && !/^\d+$/.test(port.v)) continue;
        // listen(host) alone, a host or socket setting (trilium's `httpServer.listen(host); // Unix socket.` beside
        // `listen(port, host)`): no port; taking TRILIUM_HOST for one set it to 8080 and the bind failed.
        if (a.length === 1 && port?.k === 'env' && /(HOST|HOSTNAME|SOCKET|SOCK|PATH|ADDR|ADDRESS)$/.test(port.name) && !/PORT/.test(port.name)) continue;
        const held = a.length === 1 ? identName(first) : null;
        if (held && /^(host|hostname|socket|socketPath|sockPath|address|addr)$/i.test(held)) continue;
        if (ephemeral(port)) continue;
        const second = a[1] ?? null;
        const host = second && !isFunction(second) && unwrap(second)?.type !== 'Literal' ? value(second, scan) : second && stringValue(second) !== null ? run.ev.eval(second, scan) : null;
        out.push({ scan, node: call, kind: 'listen', fastify: isFastifyReceiver(scan, call, run.hints.framework), port, host: host && (host.k === 'num' ? null : host) });
        continue;
      }
      const opts = unwrap(a[0] ?? null);
      if (opts?.type !== 'ObjectExpression') continue;
      const calleeId = identName(child(call, 'callee'));
      const src = importedFrom(scan, calleeId) ?? importedFrom(scan, calleeRoot(call));
      if ((last === 'serve' || calleeId === 'serve') && (objectProp(opts, 'fetch') || src === '@hono/node-server' || name === 'Bun.serve')) {
        const p = objectProp(opts, 'port');
        const h = objectProp(opts, 'hostname');
        out.push({ scan, node: call, kind: 'serve', fastify: false, port: p ? run.ev.eval(p, scan) : null, host: h ? run.ev.eval(h, scan) : null });
      }
    }
    // Bun runs `export default { fetch, port }` itself; without `port` it reads PORT (default 3000).
    const exported = scan.exports.get('default');
    const def = exported?.node ?? (exported?.local ? (findBinding(scan, exported.local, scan.parsed.text.length)?.init ?? null) : null);
    const bunStart = /(^|\s)bun\s/.test(resolveStart(run.hints.startCommand, run.hints.scripts) ?? '');
    const served = bunStart && scan.file === run.entry ? unwrap(def) : null;
    // `export default app` of a Hono app: Bun serves its fetch the same way, on PORT.
    const honoApp = served?.type === 'NewExpression' && importedFrom(scan, identName(child(served, 'callee'))) === 'hono';
    if (served && ((served.type === 'ObjectExpression' && objectProp(served, 'fetch')) || honoApp)) {
      const p = honoApp ? null : objectProp(served, 'port');
      const h = honoApp ? null : objectProp(served, 'hostname');
      out.push({ scan, node: served, kind: 'serve', fastify: false, port: p ? run.ev.eval(p, scan) : { k: 'env', name: 'PORT', fallback: { k: 'num', v: 3000 } }, host: h ? run.ev.eval(h, scan) : null });
    }
    // hapi: `Hapi.server({ port, host })` / `new Hapi.Server({...})`.
    for (const call of [...callsNamed(scan, 'server', 'Server'), ...newsNamed(scan, 'server', 'Server')]) {
      const src = importedFrom(scan, calleeRoot(call));
      if (src !== '@hapi/hapi' && src !== 'hapi') continue;
      // The options inline or a constant of the file (`const serverOptions = { port: … }; new Hapi.Server(serverOptions)`).
      const opts = constInit(scan, args(call)[0] ?? null);
      const p = objectProp(opts, 'port');
      const h = objectProp(opts, 'address') ?? objectProp(opts, 'host');
      const tls = objectProp(opts, 'tls');
      out.push({ scan, node: call, kind: 'hapi', fastify: false, port: p ? value(p, scan) : null, host: h ? value(h, scan) : null, tls: tls ? value(tls, scan) : null });
    }
  }
  return out;
}

function rank(l: Listener, entry: string | null, unit: string): number {
  let r = 0;
  if (l.scan.file === entry) r += 8;
  // A workspace package the unit depends on may have a server entry of its own (standardnotes' api-gateway
  // `bin/server.ts` beside the home server that imports its services): the unit's own listener comes first.
  if (unit && !l.scan.file.startsWith(unit + '/')) r -= 8;
  // A helper server under scripts/ or tools/ (cypress-realworld-app's `scripts/testServer.ts` beside `backend/app.ts`).
  if (TOOLING_DIR.test(unit ? l.scan.file.slice(unit.length + 1) : l.scan.file) && l.scan.file !== entry) r -= 3;
  if (/(^|\/)(server|main|index|app|bootstrap|start)\.[cm]?[jt]sx?$/.test(l.scan.file)) r += 2;
  if (l.port?.k === 'env') r += 4;
  else if (l.port && literalOf(l.port) !== null) r += 1;
  // Also a queue's worker beside the API (firecrawl's src/services/queue-worker.ts).
  if (/(^|\/)(worker|metrics|admin|debug)[^/]*$|[-_.]workers?\.[cm]?[jt]s$/.test(l.scan.file)) r -= 3;
  // A mail server's SMTP listener (maildev's packages/smtp beside its web UI): the ingress speaks HTTP.
  if (l.scan.importSources.has('smtp-server')) r -= 6;
  // An HTTPS listener on a port of its own (Silex's SslPlugin on SILEX_SSL_PORT, started only with a certificate): the
  // platform ends TLS at the ingress and routes to the plain one.
  if (l.port?.k === 'env' && /(^|_)(SSL|HTTPS|TLS)(_|$)/.test(l.port.name)) r -= 6;
  return r;
}

/** `-p 4000`, `--port=4000`, `PORT=4000 node x`, `--port $PORT`, `-H 0.0.0.0`, `--host` in a start command. */
export function startFlags(cmd: string | null): { port: Val | null; host: Val | null; rule: string } {
  const none = { port: null, host: null, rule: '' };
  if (!cmd) return none;
  const toks = cmd.trim().split(/\s+/);
  // `-a` is the address of fastify-cli and http-server, something else elsewhere.
  const hostFlag = /\b(fastify\s+start|http-server)\b/.test(cmd) ? /^(?:-H|--hostname|--host|--address|-a)(?:=(.+))?$/ : /^(?:-H|--hostname|--host|--address)(?:=(.+))?$/;
  let port: Val | null = null;
  let host: Val | null = null;
  const valueOf = (raw: string): Val => {
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}?$/.exec(raw);
    if (m) {
      const fb = m[2];
      return { k: 'env', name: m[1]!, fallback: fb === undefined ? null : /^\d+$/.test(fb) ? { k: 'num', v: Number(fb) } : { k: 'str', v: fb } };
    }
    return /^\d+$/.test(raw) ? { k: 'num', v: Number(raw) } : { k: 'str', v: raw };
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    let m = /^(PORT|HOST|HOSTNAME)=(.*)$/.exec(t);
    if (m) {
      const v = valueOf(m[2]!);
      if (m[1] === 'PORT') port = v;
      else host = v;
      continue;
    }
    m = /^(?:-p|--port)(?:=(.+))?$/.exec(t);
    if (m) {
      const raw = m[1] ?? next;
      if (raw && !raw.startsWith('-')) port = valueOf(raw);
      continue;
    }
    m = hostFlag.exec(t);
    if (m) {
      const raw = m[1] ?? (next && !next.startsWith('-') && !/^(node|npm|pnpm|yarn|bun|&&|;)$/.test(next) ? next : undefined);
      // `vite preview --host` with no value means all interfaces.
      host = raw ? valueOf(raw) : { k: 'str', v: '0.0.0.0' };
    }
  }
  return { port, host, rule: 'start-script-flag' };
}

/** The command a start script really runs: `npm start` → scripts.start. */
export function resolveStart(cmd: string | null, scripts: Record<string, string>): string | null {
  if (!cmd) return scriptText(scripts, 'start') ?? null;
  const m = /^(npm|pnpm|yarn|bun|node(?=\s+--run\s))(?:\s+(?:--)?run)?\s+([\w:.-]+)(?:\s+(\S.*))?$/.exec(cmd.trim());
  if (!m || !scripts[m[2]!]) return cmd;
  const body = scriptText(scripts, m[2]!)!;
  // `npm run with:env -- node build/server/main.js` (documenso): the script's words, then the arguments it is given.
  // npm passes only what follows `--`; the others pass every argument.
  const rest = m[3]?.trim();
  if (!rest) return body;
  const extra = rest === '--' ? '' : rest.startsWith('-- ') ? rest.slice(3) : m[1] === 'npm' || m[1] === 'node' ? null : rest;
  return extra === null ? cmd : `${body} ${extra}`.trim();
}

function hostFacts(host: Val | null, fallbackHost: string | null, ev: Evidence[]): BindFacts {
  if (!host) return { host: fallbackHost, all_interfaces: fallbackHost === null || !LOCAL_HOSTS.has(fallbackHost), evidence: ev };
  const lit = literalOf(host);
  const value = typeof lit === 'string' ? lit : null;
  const env_name = host.k === 'env' ? host.name : null;
  if (value === null) return { host: null, all_interfaces: true, env_name, evidence: ev };
  return { host: value, all_interfaces: ANY_HOSTS.has(value) || !LOCAL_HOSTS.has(value), env_name, evidence: ev };
}

/**
 * Names of variables that hold a bind address (not a database's or a mail server's host). VCAP_APP_HOST is Cloud
 * Foundry's, still read by services that ran there (mongo-express: `host: process.env.VCAP_APP_HOST || 'localhost'`).
 */
const BIND_VAR = /(^|_)(BIND|BIND_IP|BIND_ADDR|BIND_ADDRESS|BIND_HOST|BINDHOST|LISTEN_ADDRESS|LISTEN_HOST|LISTENHOST|LISTEN_IP)$|^(HOST|HTTP_HOST|SERVER_HOST|APP_HOST|VCAP_APP_HOST)$/;

/**
 * The listen() host could not be followed (a config service hands it over), but the service reads a bind-address
 * variable whose default is loopback: HedgeDoc's `backendBindIp: z.string().ip().default('127.0.0.1')` from
 * HD_BACKEND_BIND_IP. Unset in a container, the server is unreachable.
 */
function loopbackBindVar(envVars: readonly EnvVar[] | undefined): EnvVar | null {
  return envVars?.find((v) => BIND_VAR.test(v.name) && v.default !== null && LOCAL_HOSTS.has(v.default)) ?? null;
}

function astroHost(run: SourceRun): { host: string | null; ev: Evidence[] } {
  for (const s of run.astScans) {
    if (!/(^|\/)astro\.config\.[cm]?[jt]s$/.test(s.file)) continue;
    for (const c of callsNamed(s, 'defineConfig')) {
      const h = objectProp(objectProp(args(c)[0] ?? null, 'server'), 'host');
      if (!h) continue;
      const v = run.ev.eval(h, s);
      const lit = literalOf(v);
      const host = lit === true ? '0.0.0.0' : typeof lit === 'string' ? lit : null;
      return { host: host ?? 'localhost', ev: [nodeEvidence(s, h.start, 'astro-server-host')] };
    }
  }
  return { host: 'localhost', ev: [] };
}

export interface PortBindResult {
  port: PortFacts;
  bind: BindFacts;
  findings: Finding[];
  listeners: Listener[];
  /** The listener chosen as the service's main one. */
  main: Listener | null;
  /** The HTTP server the start command runs by name (CLI_SERVERS), when the code has no listener. */
  cliServer: string | null;
}

/**
 * HTTP servers a start script runs by name, with no server code of the project's, and what they do without flags:
 * json-server (a mock REST API from db.json) listens on localhost:3000, so a container's port is unreachable.
 */
const CLI_SERVERS: Record<string, { port: number; host: string; readsPort: boolean; hostFlag: string }> = {
  'json-server': { port: 3000, host: 'localhost', readsPort: false, hostFlag: '--host' },
  'http-server': { port: 8080, host: '0.0.0.0', readsPort: true, hostFlag: '-a' },
  // fastify-cli's `fastify start <plugin>`: PORT, else 3000; in Kubernetes 0.0.0.0 (cliHost).
  fastify: { port: 3000, host: '0.0.0.0', readsPort: true, hostFlag: '--address' },
};

/**
 * fastify-cli binds 0.0.0.0 in Kubernetes since 5.7.1 (KUBERNETES_SERVICE_HOST); before, only where is-docker says
 * Docker, which a containerd node such as Sealos's is not: localhost.
 */
function cliHost(run: SourceRun, name: string, host: string): string {
  return name === 'fastify' && !fastifyCliAtLeast(run, '5.7.1') ? 'localhost' : host;
}

const DEFAULTS_FILE = /(^|\/)(defaults?\/config|config\/defaults?|config\.defaults?|defaults?\.config)\.(c?js|mjs|ts|json)$/;

/** `port: 9000` in a defaults file of the unit's (defaults/config.js, config/default.json), with where. */
const HTTP_SECTION = /^(api|http|https?server|web|www|server|app|frontend|ui|rest)$/i;
const CLIENT_SECTION = /^(redis|mongo|mongodb|db|dbs|database|databases|postgres|postgresql|pg|mysql|mariadb|smtp|mail|mailer|email|cache|queue|amqp|rabbitmq|kafka|elastic|elasticsearch|memcached|ldap|upstream|clickhouse|sentinel)$/i;

/** The keys of the objects enclosing the line at `at`, innermost first, by indentation (`dbs: {` … `redis: {` … `port:`). */
function sectionsOf(text: string, at: number): string[] {
  const lines = text.slice(0, at).split('\n');
  let indent = (/^[ \t]*/.exec(text.slice(at))?.[0] ?? '').length;
  const out: string[] = [];
  for (let i = lines.length - 2; i >= 0 && indent > 0; i--) {
    const line = lines[i]!;
    const own = (/^[ \t]*/.exec(line)?.[0] ?? '').length;
    if (own >= indent || !line.trim()) continue;
    indent = own;
    const m = /^[ \t]*(?:["']([^"']+)["']|([\w$-]+))[ \t]*:[ \t]*\{/.exec(line);
    if (m) out.push((m[1] ?? m[2])!);
  }
  return out;
}

function defaultsFilePort(run: SourceRun): { value: number; evidence: Evidence } | null {
  for (const f of run.ctx.unitFiles) {
    if (!DEFAULTS_FILE.test(f)) continue;
    const text = run.ctx.repo.read(f) ?? '';
    // A port under a client's section is where the service connects, not where it listens (zone-mta's dbs.redis.port);
    // one under an HTTP section is the one to route to (zone-mta's api.port beside its SMTP feeder and plugins).
    let first: { value: number; evidence: Evidence } | null = null;
    for (const m of text.matchAll(/^[ \t]*["']?port["']?[ \t]*:[ \t]*(\d{2,5})[ \t]*,?[ \t]*(?:\/\/.*)?$/gm)) {
      const value = asPort(Number(m[1]));
      const sections = sectionsOf(text, m.index!);
      if (value === null || sections.some((k) => CLIENT_SECTION.test(k))) continue;
      const found = { value, evidence: evidence(f, lineOf(text, m.index! + m[0].search(/\S/)), 'config-default-port', `port: ${value}`) };
      if (HTTP_SECTION.test(sections[0] ?? '')) return found;
      first ??= found;
    }
    if (first) return first;
  }
  return null;
}

/** Whether the fastify-cli the unit declares is at least `version` (the lowest its range allows); an undeclared one is taken as current. */
export function fastifyCliAtLeast(run: SourceRun, version: string): boolean {
  const range = run.ctx.depVersion('fastify-cli');
  const min = range && semver.validRange(range) ? semver.minVersion(range) : null;
  return !min || semver.gte(min, version);
}

/** The first `PORT` read with a numeric default (`process.env.PORT || 1880`), the entry file first, not in `othersFiles`. */
function portEnvDefault(run: SourceRun, othersFiles: ReadonlySet<string>): { value: number; scan: FileScan; start: number } | null {
  const scans = run.entry ? [...run.scans].sort((a, b) => Number(b.file === run.entry) - Number(a.file === run.entry)) : run.scans;
  for (const s of scans.filter((x) => !othersFiles.has(x.file)))
    for (const r of s.envReads) {
      const value = r.name === 'PORT' && r.def && /^\d{2,5}$/.test(r.def) ? Number(r.def) : 0;
      if (value > 0 && value < 65536) return { value, scan: s, start: r.node.start };
    }
  return null;
}

/** A port a service can be reached on: `listen(0)` asks the system for any free port, and 70000 is no port. */
function asPort(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : null;
}

export function detectPortBind(run: SourceRun): PortBindResult {
  const { hints } = run;
  const startCmd = resolveStart(hints.startCommand, hints.scripts);
  // The start runs the framework's own server (`react-router-serve`, `next start`): a listen() elsewhere in the code
  // is a tool's (kentcdodds.com's MDX dev sidecar on 127.0.0.1:3099), not the service's, unless it is the entry itself.
  const frameworkStarts = runsFrameworkServer(startCmd);
  const listeners = collectListeners(run).filter((l) => !frameworkStarts || l.scan.file === run.entry);
  // Listeners in files the entrypoint never loads, when another's is loaded: dead code or another program (leon's
  // old-server.js beside http-server.ts, which its entrypoint runs).
  const loaded = run.entry && listeners.length > 1 ? loadedFrom(run, run.entry) : null;
  const reachable = loaded && listeners.some((l) => loaded.has(l.scan.file)) ? loaded : null;
  const score = (l: Listener) => rank(l, run.entry, run.ctx.unit) - (reachable && !reachable.has(l.scan.file) ? 6 : 0);
  const main = listeners.length ? [...listeners].sort((a, b) => score(b) - score(a))[0]! : null;
  const flags = startFlags(startCmd);
  const flagEv = (rule: string) => evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, rule, startCmd ?? '');
  const fwDefault = FRAMEWORK_PORT[hints.framework] ?? null;
  const cliName = main ? null : startProgram(startCmd);
  const cliDef = cliName && Object.hasOwn(CLI_SERVERS, cliName) && (cliName !== 'fastify' || /\bfastify\s+start\b/.test(startCmd ?? '')) ? CLI_SERVERS[cliName]! : null;
  const cli = cliDef ? { name: cliName!, ...cliDef, host: cliHost(run, cliName!, cliDef.host) } : null;
  const isStatic = SPA_BUNDLERS.has(hints.framework);
  const expose = hints.dockerfileExpose.ports;

  let port: PortFacts;
  let uncertain = false;
  if (main?.port) {
    const v = main.port;
    const ev = [nodeEvidence(main.scan, main.node.start, `${main.kind}-port`)];
    const lit = literalOf(v);
    const def = asPort(typeof lit === 'string' && /^\d+$/.test(lit) ? Number(lit) : lit);
    if (v.k === 'env') {
      const flagPort = flags.port ? asPort(literalOf(flags.port)) : null;
      const value = def ?? flagPort ?? expose[0] ?? fwDefault ?? 3000;
      port = { value, reads_env: true, env_name: v.name, default: def, source: 'code', evidence: ev };
    } else if (def !== null && flags.port?.k === 'env') {
      // The start script hands the port over (peerjs-server's `node dist/bin/peerjs.js --port ${PORT:=9000}`): the
      // program parses its arguments, and the literal its listen() ends at is the default the flag replaces.
      const flagDefault = asPort(literalOf(flags.port));
      port = { value: flagDefault ?? def, reads_env: true, env_name: flags.port.name, default: flagDefault ?? def, source: 'script-flag', evidence: [flagEv('start-port-flag'), ...ev] };
    } else {
      uncertain = v.k === 'unknown';
      port = { value: def, reads_env: false, env_name: null, default: null, source: def !== null ? 'code' : null, evidence: ev };
    }
  } else {
    port = { value: null, reads_env: false, env_name: null, default: null, source: null, evidence: main ? [nodeEvidence(main.scan, main.node.start, 'listen-no-port')] : [] };
  }
  if (port.value === null && flags.port) {
    const value = asPort(literalOf(flags.port));
    if (flags.port.k === 'env') port = { value: value ?? fwDefault ?? 3000, reads_env: true, env_name: flags.port.name, default: value, source: 'script-flag', evidence: [flagEv('start-port-flag')] };
    else if (value !== null) port = { value, reads_env: false, env_name: null, default: null, source: 'script-flag', evidence: [flagEv('start-port-flag')] };
  }
  if (port.value === null && cli) {
    const env = cli.readsPort;
    port = { value: cli.port, reads_env: env, env_name: env ? 'PORT' : null, default: env ? cli.port : null, source: 'framework-default', evidence: [flagEv(`${cli.name}-default-port`)] };
  }
  const frameworkServer = FRAMEWORK_SERVERS.has(hints.framework) && !main;
  // The listen() port could not be followed (a settings object loaded at runtime, say), but the code
  // asks for `process.env.PORT || 1880`: the service takes PORT, and that default is its own choice.
  // Not a PORT read beside another listener (a helper server's own, cypress-realworld-app's scripts/testServer.ts).
  const othersFiles = new Set(listeners.filter((l) => l !== main && l.scan.file !== main?.scan.file).map((l) => l.scan.file));
  const envDefault = port.value === null && !frameworkServer ? portEnvDefault(run, othersFiles) : null;
  if (envDefault) {
    port = { value: envDefault.value, reads_env: true, env_name: 'PORT', default: envDefault.value, source: 'code', evidence: [nodeEvidence(envDefault.scan, envDefault.start, 'port-env-default'), ...port.evidence] };
  }
  // The listen() port comes from a settings object the code loads at run time (thelounge's `Config.values.port`, merged
  // over defaults/config.js): the defaults file's own `port: 9000` is what it listens on unless configured.
  const configDefault = port.value === null && main ? defaultsFilePort(run) : null;
  if (configDefault) port = { ...port, value: configDefault.value, source: 'code', evidence: [...port.evidence, configDefault.evidence] };
  if (port.value === null && expose.length > 0 && !frameworkServer) {
    port = { ...port, value: expose[0]!, source: 'dockerfile', evidence: [...port.evidence, ...hints.dockerfileExpose.evidence] };
  }
  if (port.value === null && isStatic && !main) {
    port = { value: 8080, reads_env: false, env_name: null, default: null, source: 'static-server', evidence: [] };
  } else if (port.value === null && fwDefault !== null) {
    // Only the framework's own server reads PORT; a custom server whose port we could not follow is a guess.
    const fwReads = frameworkServer;
    if (main) uncertain = true;
    port = {
      value: fwDefault,
      reads_env: fwReads,
      env_name: fwReads ? 'PORT' : null,
      default: fwReads ? fwDefault : null,
      source: 'framework-default',
      evidence: [...port.evidence, evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, `${hints.framework}-default-port`)],
    };
  } else if (port.value === null && expose.length > 0) {
    port = { ...port, value: expose[0]!, source: 'dockerfile', evidence: hints.dockerfileExpose.evidence };
  }
  // The image sets the port through a variable of its own (`ENV PDS_PORT=3000`): the server reads that one, somewhere the
  // code does not show (a library's config); the deployment sets it too.
  const portEnv = hints.dockerfileExpose.env;
  if (port.source === 'dockerfile' && !port.reads_env && portEnv) port = { ...port, reads_env: true, env_name: portEnv, default: null };

  // Bind address.
  let bind: BindFacts;
  if (main) {
    const ev = [nodeEvidence(main.scan, main.node.start, main.host ? `${main.kind}-host` : main.fastify ? 'fastify-default-host' : 'listen-no-host')];
    bind = hostFacts(main.host, main.fastify ? 'localhost' : null, ev);
  } else if (flags.host) {
    bind = hostFacts(flags.host, null, [flagEv('start-host-flag')]);
  } else if (cli) {
    bind = { host: cli.host, all_interfaces: !LOCAL_HOSTS.has(cli.host), evidence: [flagEv(`${cli.name}-default-host`)] };
  } else if (hints.framework === 'astro') {
    const a = astroHost(run);
    bind = { host: a.host, all_interfaces: a.host === null || !LOCAL_HOSTS.has(a.host), evidence: a.ev.length ? a.ev : [evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, 'astro-node-default-host', 'astro node adapter binds HOST, default localhost')] };
  } else if (hints.framework === 'adonisjs' && !main) {
    // bin/server.ts starts the HTTP server on env HOST, which the deployment sets to 0.0.0.0 (template env.ts).
    bind = { host: null, all_interfaces: true, evidence: [evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, 'adonisjs-host-env', 'AdonisJS binds $HOST; the deployment sets HOST=0.0.0.0')] };
  } else if (startCmd && /\bvite\s+preview\b/.test(startCmd)) {
    bind = { host: 'localhost', all_interfaces: false, evidence: [flagEv('vite-preview-default-host')] };
  } else {
    bind = { host: null, all_interfaces: true, evidence: [] };
  }

  const findings: Finding[] = [];
  const fileOf = port.evidence[0] ? `${port.evidence[0].file}:${port.evidence[0].line}` : 'the start command';
  if (port.reads_env) {
    findings.push(readsPortPass(port));
  } else if (port.source === 'static-server') {
    findings.push(finding('reads-port', 'build-and-image', 'pass', 'Static site: the static server listens on 8080.', null, port.evidence));
  } else if ((port.source === 'code' || port.source === 'script-flag') && !uncertain) {
    findings.push(
      finding(
        'reads-port',
        'build-and-image',
        'fail',
        `The port is hard-coded to ${port.value} (${fileOf}); the platform cannot choose it.`,
        port.source === 'code' ? `Listen on Number(process.env.PORT) || ${port.value} instead of the literal.` : `Use the PORT variable in the start script, e.g. \`--port \${PORT:-${port.value}}\`.`,
        port.evidence,
      ),
    );
  } else if (uncertain && port.value !== null) {
    findings.push(finding('reads-port', 'build-and-image', 'warn', `The port comes from an expression that could not be followed (${fileOf}); it falls back to ${port.value}.`, `Read the port from process.env.PORT where the server listens.`, port.evidence));
  } else if (cli && port.source === 'framework-default') {
    findings.push(finding('reads-port', 'build-and-image', 'warn', `${cli.name} listens on ${port.value} unless given --port: the platform cannot choose the port.`, `Run it with --port \${PORT:-${port.value}} in the start script.`, port.evidence));
  } else if (port.value !== null) {
    findings.push(finding('reads-port', 'build-and-image', 'warn', `No listen() call reading PORT was found; using ${port.value} from the ${port.source === 'dockerfile' ? 'Dockerfile EXPOSE' : 'framework default'}.`, 'Make the server listen on process.env.PORT.', port.evidence));
  } else {
    const where = main ? `${main.scan.file}:${lineOf(main.scan.parsed.text, main.node.start)}` : null;
    findings.push(
      finding(
        'reads-port',
        'build-and-image',
        'warn',
        where
          ? `No port found: the server listens at ${where}, but its port comes from somewhere analysis cannot follow (a settings object built at run time, say); no port flag, EXPOSE or framework default either.`
          : 'No port found: no listen() call, port flag, EXPOSE or framework default.',
        'Listen on process.env.PORT, or set "port" in .sealos/config.json (`sealos-deploy rehearse` names the port the service really opens).',
        port.evidence,
      ),
    );
  }
  const privileged = privilegedPort(port, fileOf);
  if (privileged) findings.push(privileged);
  findings.push(bindFinding(bind, main, hints.framework, cli));
  const plain = plainHttpFinding(tlsSites(run, listeners, main), main);
  if (plain) findings.push(plain);
  return { port, bind, findings, listeners, main, cliServer: cli?.name ?? null };
}

function readsPortPass(port: PortFacts): Finding {
  return finding('reads-port', 'build-and-image', 'pass', `Reads its port from ${port.env_name}${port.default !== null ? ` (default ${port.default})` : ''}.`, null, port.evidence);
}

/** The image runs as a non-root user, which may not bind below 1024 (EACCES at start). */
function privilegedPort(port: PortFacts, fileOf: string): Finding | null {
  if (port.value === null || port.value >= 1024 || port.source === 'static-server') return null;
  return port.reads_env
    ? finding('privileged-port', 'build-and-image', 'warn', `Defaults to port ${port.value}, below 1024, which a non-root container may not bind; the deployment sets ${port.env_name ?? 'PORT'}=${UNPRIVILEGED_PORT}.`, `Default to a port above 1024 (e.g. ${UNPRIVILEGED_PORT}) so the service also runs as non-root elsewhere.`, port.evidence)
    : finding('privileged-port', 'build-and-image', 'fail', `Listens on port ${port.value}, below 1024 (${fileOf}): the image runs as a non-root user, which may not bind it (EACCES at start).`, `Listen on Number(process.env.PORT) || ${UNPRIVILEGED_PORT}.`, port.evidence);
}

function bindFinding(bind: BindFacts, main: Listener | null, framework: FrameworkName, cli?: { name: string; hostFlag: string } | null): Finding {
  if (bind.all_interfaces) return finding('bind-all-interfaces', 'build-and-image', 'pass', bind.host ? `Binds ${bind.host}: reachable from outside the container.` : 'No host given: listens on all interfaces.', null, bind.evidence);
  // The host comes from a variable: the deployment sets it (bind-env.ts); elsewhere it still defaults to loopback.
  if (bind.env_name)
    return finding(
      'bind-all-interfaces',
      'build-and-image',
      'warn',
      `The server binds ${bind.env_name}, which defaults to ${bind.host}: unset, nothing outside the container can reach it. The template, the image and the rehearsal set ${bind.env_name}=0.0.0.0.`,
      `Default ${bind.env_name} to 0.0.0.0 in the code, so every environment that runs the service can reach it.`,
      bind.evidence,
    );
  return finding(
    'bind-all-interfaces',
    'build-and-image',
    'fail',
    `The server binds ${bind.host}${main?.fastify && !main.host ? ' (Fastify listens on localhost unless a host is given)' : cli ? ` (${cli.name} listens on ${bind.host} unless given ${cli.hostFlag}${cli.name === 'fastify' ? ', before fastify-cli 5.7.1' : ''})` : ''}: nothing outside the container can reach it.`,
    cli
      ? `Add ${cli.hostFlag} 0.0.0.0 to the start script's ${cli.name} command${cli.name === 'fastify' ? ' (or upgrade fastify-cli to 5.7.1 or later, which binds 0.0.0.0 in Kubernetes)' : ''}.`
      : main?.fastify
      ? // Nest's app.listen(port, host) takes the host second; Fastify's own listen takes an options object.
        unwrap(args(main.node)[0] ?? null)?.type === 'ObjectExpression' || !main.host && args(main.node).length === 0
        ? "Pass host: '0.0.0.0' to fastify.listen({ port, host: '0.0.0.0' })."
        : "Pass '0.0.0.0' as the host: app.listen(port, '0.0.0.0') (Nest's FastifyAdapter listens on localhost by default)."
      : framework === 'astro' && !main
        ? "Set HOST=0.0.0.0 in the service environment, or server: { host: true } in astro.config."
        : "Listen on '0.0.0.0' (or omit the host) instead of a loopback address.",
    bind.evidence,
  );
}

/** Evidence rules of variables declared in a validated config schema, whose default holds wherever they are read. */
const SCHEMA_RULES = new Set(['create-env-key', 'env-schema-key', 'schema-mapped-key', 'class-validator-property', 'convict-env']);

/**
 * Once the env vars are known: the port variable the code reads with no default where it listens takes the default its
 * validated config gives (t3-env's `PORT: z.coerce.number().default(5000)`, read through `env.PORT`), not a guess. Only a
 * schema's default holds for every read; another read's fallback (a dev script's `process.env.PORT || 3000`, sharetribe)
 * is no default of the server's, nor is an example file's value.
 */
export function portFromEnvVars(result: PortBindResult, envVars: readonly EnvVar[]): PortBindResult {
  const { port } = result;
  if (!port.reads_env || port.default !== null || port.source !== 'code' || !port.env_name) return result;
  const v = envVars.find((x) => x.name === port.env_name);
  if (!v || v.sources.includes('env-example') || !v.evidence.some((e) => SCHEMA_RULES.has(e.rule ?? ''))) return result;
  const def = v.default && /^\d{1,5}$/.test(v.default) ? asPort(Number(v.default)) : null;
  if (def === null) return result;
  const next: PortFacts = { ...port, value: def, default: def, evidence: [...port.evidence, ...(v.evidence[0] ? [{ ...v.evidence[0], rule: 'port-env-var-default' }] : [])] };
  const fileOf = next.evidence[0] ? `${next.evidence[0].file}:${next.evidence[0].line}` : 'the start command';
  const findings = result.findings.filter((f) => f.id !== 'privileged-port').map((f) => (f.id === 'reads-port' ? readsPortPass(next) : f));
  const privileged = privilegedPort(next, fileOf);
  // Where detectPortBind puts it: before the bind finding.
  const at = findings.findIndex((f) => f.id === 'bind-all-interfaces');
  if (privileged) findings.splice(at === -1 ? findings.length : at, 0, privileged);
  return { ...result, port: next, findings };
}

/**
 * Once the env vars are known: a listener whose host could not be followed, beside a bind-address variable that
 * defaults to loopback, binds that variable (HedgeDoc's HD_BACKEND_BIND_IP, default 127.0.0.1).
 */
export function bindFromEnvVars(result: PortBindResult, envVars: readonly EnvVar[], framework: FrameworkName): PortBindResult {
  const host = result.main?.host;
  if (!result.main || !host || host.k !== 'unknown' || literalOf(host) !== null || result.bind.env_name) return result;
  const v = loopbackBindVar(envVars);
  if (!v) return result;
  const bind: BindFacts = { host: v.default, all_interfaces: false, env_name: v.name, evidence: [...result.bind.evidence, ...v.evidence.slice(0, 1)] };
  return { ...result, bind, findings: result.findings.map((f) => (f.id === 'bind-all-interfaces' ? bindFinding(bind, result.main, framework) : f)) };
}
