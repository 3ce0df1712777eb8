/**
 * HTTP routing of the simulated API server: fault injection, authentication, discovery, path →
 * resource resolution, authorization, then list/watch/get/create/update/patch/delete, the status
 * and scale subresources, pod logs, metrics and self-subject reviews.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from './auth.js';
import type { Catalogue, ResourceInfo } from './discovery.js';
import { groupVersion } from './discovery.js';
import type { Faults } from './faults.js';
import { intParam, parseBody, readBody, send } from './http-util.js';
import type { Kubelet } from './kubelet.js';
import type { Logs } from './logs.js';
import type { Metrics } from './metrics.js';
import { openapiDocument, openapiIndex } from './openapi.js';
import type { Operations, WriteOptions } from './operations.js';
import { list, matcher, metrics, podLog, reviews } from './read-handlers.js';
import type { KObject, SimClock, Store } from './store.js';
import { badRequest, faultError, forbidden, KubeError, methodNotAllowed, PageNotFound, pageNotFound, unknownPath } from './status-errors.js';
import { toTable, wantsTable } from './tables.js';
import { serveWatch } from './watch.js';

export interface RequestRecord {
  method: string;
  path: string;
  contentType: string;
  status: number;
  fieldManager?: string;
  userAgent?: string;
}

export interface ServerDeps {
  store: Store;
  catalogue: Catalogue;
  clock: SimClock;
  ops: Operations;
  auth: Auth;
  faults: Faults;
  logs: Logs;
  metrics: Metrics;
  kubelet: Kubelet;
  requests: RequestRecord[];
  address: () => string;
  /** register a closer for a long-lived response (watch, log follow); returns the unregister function */
  track: (close: () => void) => () => void;
}

export interface Route {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      contentType: String(req.headers['content-type'] ?? ''),
      status: 0,
    };
    const fm = url.searchParams.get('fieldManager');
    if (fm) record.fieldManager = fm;
    if (req.headers['user-agent']) record.userAgent = String(req.headers['user-agent']);
    deps.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(deps, req, res, url).catch((e: unknown) => {
      const err = e instanceof KubeError ? e : new KubeError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      if (!(e instanceof KubeError)) process.stderr.write(`kube-sim internal error: ${(e as Error).stack}\n`);
      record.status = err.code;
      if (err instanceof PageNotFound) send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8');
      else send(res, err.code, err.toStatus());
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const fault = deps.faults.match(method, path);
  if (fault) {
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.drop) {
      req.socket.destroy();
      return;
    }
    if (fault.status) throw faultError(fault.status, fault.message);
  }

  if (path === '/version') return send(res, 200, VERSION);
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return send(res, 200, 'ok', 'text/plain; charset=utf-8');

  const subject = deps.auth.authenticate(req.headers.authorization);
  const { catalogue } = deps;
  const parts = path.split('/').filter(Boolean);

  // Discovery -----------------------------------------------------------------------------
  if (method === 'GET') {
    if (path === '/api') return send(res, 200, catalogue.coreVersions(deps.address()));
    if (path === '/apis') return send(res, 200, catalogue.groupList());
    if (path === '/api/v1') return send(res, 200, catalogue.resourceList('', 'v1'));
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = catalogue.group(parts[1]!);
      return g ? send(res, 200, g) : Promise.reject(pageNotFound());
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const l = catalogue.resourceList(parts[1]!, parts[2]!);
      return l ? send(res, 200, l) : Promise.reject(pageNotFound());
    }
  }
  if (parts[0] === 'openapi') {
    if (method !== 'GET' || parts[1] !== 'v3') throw pageNotFound();
    if (parts.length === 2) return send(res, 200, openapiIndex(catalogue));
    const doc = parts[2] === 'api' ? openapiDocument(catalogue, '', parts[3] ?? '') : openapiDocument(catalogue, parts[3] ?? '', parts[4] ?? '');
    if (!doc) throw pageNotFound();
    return send(res, 200, doc);
  }

  const route = resolve(catalogue, parts);
  const q = url.searchParams;
  const watch = route.watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
  const verb = verbFor(method, route, watch);
  const attrs = { verb, group: route.info.group, resource: route.info.resource, namespace: route.namespace, name: route.name };
  if (route.subresource) Object.assign(attrs, { subresource: route.subresource });
  if (!deps.auth.allowed(subject, attrs).allowed) {
    throw forbidden(route.info, route.name, subject.user, verb, route.namespace, route.subresource);
  }
  if (!route.info.verbs.includes(verb) && !(route.subresource && ['get', 'update', 'patch'].includes(verb))) throw methodNotAllowed();

  if (route.info.createOnly) return reviews(deps, req, res, route, subject);
  if (route.info.group === 'metrics.k8s.io') return metrics(deps, res, route, q);

  const opts = writeOptions(req, q);
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  const { info, namespace: ns, name, subresource } = route;

  switch (verb) {
    case 'list':
      return list(deps, req, res, route, q);
    case 'watch':
      return serveWatch(
        deps.store,
        res,
        {
          info,
          ...(ns ? { namespace: ns } : {}),
          ...(q.get('resourceVersion') ? { resourceVersion: q.get('resourceVersion')! } : {}),
          ...(intParam(q, 'timeoutSeconds') !== undefined ? { timeoutSeconds: intParam(q, 'timeoutSeconds')! } : {}),
          sendInitialEvents: q.get('sendInitialEvents') === 'true',
          allowBookmarks: q.get('allowWatchBookmarks') === 'true',
          matches: matcher(info, q, name),
          toWire: (o) => o,
        },
        deps.track,
      );
    case 'get': {
      if (subresource === 'log') return podLog(deps, res, route, q);
      const obj = deps.ops.get(info, ns, name!);
      if (subresource === 'scale') return send(res, 200, deps.ops.scaleOf(obj));
      if (wantsTable(String(req.headers.accept ?? ''))) {
        return send(res, 200, toTable(info.kind, [obj], { resourceVersion: obj.metadata.resourceVersion }, q.get('includeObject'), deps.clock.now()));
      }
      return send(res, 200, obj);
    }
    case 'create': {
      const body = parseBody(await readBody(req), contentType);
      const created = deps.ops.create(info, ns, body, opts);
      return send(res, 201, created);
    }
    case 'update': {
      const body = parseBody(await readBody(req), contentType);
      return send(res, 200, deps.ops.update(info, ns, name!, body, opts, subresource));
    }
    case 'patch': {
      const raw = await readBody(req);
      const { object, created } = deps.ops.patch(info, ns, name!, raw, contentType, opts, subresource);
      return send(res, created ? 201 : 200, object);
    }
    case 'delete': {
      const body = parseBody(await readBody(req), contentType);
      const propagation = q.get('propagationPolicy');
      const r = deps.ops.delete(info, ns, name!, body, { ...opts, ...(propagation ? { propagationPolicy: propagation } : {}) });
      return send(res, r.status, r.object);
    }
    case 'deletecollection': {
      const body = parseBody(await readBody(req), contentType);
      const match = matcher(info, q);
      const deleted: KObject[] = [];
      for (const o of deps.store.list(info, ns)) {
        if (!match(o)) continue;
        deps.ops.delete(info, o.metadata.namespace, o.metadata.name, body, opts);
        deleted.push(o);
      }
      return send(res, 200, { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata: { resourceVersion: String(deps.store.currentRv()) }, items: deleted });
    }
    default:
      throw methodNotAllowed();
  }
}

function resolve(catalogue: Catalogue, parts: string[]): Route {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1]) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts[1] && parts[2]) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else throw pageNotFound();
  if (!catalogue.hasGroupVersion(group, version)) throw pageNotFound();
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  const namespacedInfo = rest[0] === 'namespaces' && rest[2] ? catalogue.byPath(group, version, rest[2]) : undefined;
  if (namespacedInfo && namespacedInfo.namespaced) {
    if (rest.length > 5) throw unknownPath();
    const route: Route = { info: namespacedInfo, namespace: rest[1]!, watchPath };
    if (rest[3]) route.name = rest[3];
    if (rest[4]) route.subresource = rest[4];
    return checkSub(route);
  }
  const info = rest[0] ? catalogue.byPath(group, version, rest[0]) : undefined;
  if (!info || rest.length > 3) throw unknownPath();
  // Namespaced resources have only the cluster-wide collection at this level.
  if (info.namespaced && rest.length > 1) throw unknownPath();
  const route: Route = { info, watchPath };
  if (rest[1]) route.name = rest[1];
  if (rest[2]) route.subresource = rest[2];
  return checkSub(route);
}

function checkSub(route: Route): Route {
  const s = route.subresource;
  if (!s) return route;
  const ok = (s === 'status' && route.info.status) || (s === 'scale' && route.info.scale) || (s === 'log' && route.info.log);
  if (!ok) throw unknownPath();
  return route;
}

function verbFor(method: string, route: Route, watch: boolean): string {
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return route.name ? 'get' : 'list';
    case 'POST':
      if (route.name) throw methodNotAllowed();
      return 'create';
    case 'PUT':
      if (!route.name) throw methodNotAllowed();
      return 'update';
    case 'PATCH':
      if (!route.name) throw methodNotAllowed();
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

function writeOptions(req: IncomingMessage, q: URLSearchParams): WriteOptions {
  const opts: WriteOptions = {};
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  }
  if (dryRun.length) opts.dryRun = true;
  const fm = q.get('fieldManager');
  if (fm !== null) {
    if (fm.length > 128) throw badRequest('fieldManager: Too long: may not be longer than 128');
    opts.fieldManager = fm;
  }
  const force = q.get('force');
  if (force !== null) opts.force = force === 'true' || force === '1';
  if (req.headers['user-agent']) opts.userAgent = String(req.headers['user-agent']);
  return opts;
}
