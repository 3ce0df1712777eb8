/**
 * Handlers for reads and special resources: lists (selectors, pagination, server-side tables),
 * pod logs, metrics.k8s.io and the self-subject reviews.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subject } from './auth.js';
import type { ResourceInfo } from './discovery.js';
import { groupVersion } from './discovery.js';
import { intParam, parseBody, readRaw, send } from './http-util.js';
import { decodeProtobuf, isProtobuf } from './protobuf.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { Route, ServerDeps } from './server.js';
import type { Json, KObject } from './store.js';
import { badRequest, notFound, pageNotFound } from './status-errors.js';
import { toTable, wantsTable } from './tables.js';

export function matcher(info: ResourceInfo, q: URLSearchParams, name?: string): (o: KObject) => boolean {
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'), info.kind);
  return (o) => (name === undefined || o.metadata.name === name) && matchLabels(labels, o.metadata.labels) && matchFields(fields, o);
}

function stripTypeMeta(info: ResourceInfo, o: KObject): KObject {
  if (info.crd) return o;
  const { apiVersion: _a, kind: _k, ...rest } = o;
  void _a, void _k;
  return rest as KObject;
}

export function list(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const { info, namespace } = route;
  const match = matcher(info, q);
  let items = deps.store.list(info, namespace).filter(match);
  const limit = intParam(q, 'limit');
  const cont = q.get('continue');
  const meta: Json = { resourceVersion: String(deps.store.currentRv()) };
  if (cont) {
    let token: { rv: string; start: string };
    try {
      token = JSON.parse(Buffer.from(cont, 'base64url').toString());
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    meta.resourceVersion = token.rv;
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > token.start);
  }
  if (limit && limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    meta.continue = Buffer.from(JSON.stringify({ rv: meta.resourceVersion, start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(String(req.headers.accept ?? ''))) {
    return send(res, 200, toTable(info.kind, items, meta, q.get('includeObject'), deps.clock.now()));
  }
  send(res, 200, { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata: meta, items: items.map((o) => stripTypeMeta(info, o)) });
}

export function podLog(deps: ServerDeps, res: ServerResponse, route: Route, q: URLSearchParams): void {
  const pod = deps.ops.get(route.info, route.namespace, route.name!);
  const query = {
    ...(q.get('container') ? { container: q.get('container')! } : {}),
    previous: q.get('previous') === 'true',
    timestamps: q.get('timestamps') === 'true',
    ...(intParam(q, 'tailLines') !== undefined ? { tailLines: intParam(q, 'tailLines')! } : {}),
    ...(intParam(q, 'sinceSeconds') !== undefined ? { sinceSeconds: intParam(q, 'sinceSeconds')! } : {}),
    ...(q.get('sinceTime') ? { sinceTime: q.get('sinceTime')! } : {}),
    ...(intParam(q, 'limitBytes') !== undefined ? { limitBytes: intParam(q, 'limitBytes')! } : {}),
  };
  if (query.sinceSeconds !== undefined && query.sinceSeconds < 1) throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Invalid value: must be greater than 0');
  if (query.sinceSeconds !== undefined && query.sinceTime) throw badRequest('PodLogOptions "" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  const text = deps.logs.read(pod, query, (container) => deps.kubelet.fallbackLogs(pod, container));
  if (q.get('follow') === 'true') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.write(text);
    // A running container with nothing more to say: hold the stream until the client leaves.
    const untrack = deps.track(() => res.end());
    res.on('close', untrack);
    return;
  }
  send(res, 200, text, 'text/plain');
}

export function metrics(deps: ServerDeps, res: ServerResponse, route: Route, q: URLSearchParams): void {
  if (!deps.metrics.enabled) throw pageNotFound();
  const podInfo = deps.catalogue.byKind('v1', 'Pod')!;
  if (route.info.resource === 'pods') {
    const labels = parseLabelSelector(q.get('labelSelector'));
    if (route.name) {
      const pod = deps.store.get(podInfo, route.namespace, route.name);
      const m = pod ? deps.metrics.podMetrics(pod) : undefined;
      if (!m) throw notFound(route.info, route.name);
      return send(res, 200, m);
    }
    const items = deps.store
      .list(podInfo, route.namespace)
      .filter((p) => matchLabels(labels, p.metadata.labels))
      .map((p) => deps.metrics.podMetrics(p))
      .filter(Boolean);
    return send(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
  }
  const node = {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: 'sim-node-1', labels: { 'kubernetes.io/hostname': 'sim-node-1' } },
    timestamp: deps.clock.iso(),
    window: '20.05s',
    usage: { cpu: '250m', memory: '2Gi' },
  };
  if (route.name) {
    if (route.name !== 'sim-node-1') throw notFound(route.info, route.name);
    return send(res, 200, node);
  }
  send(res, 200, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [node] });
}

export async function reviews(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, route: Route, subject: Subject): Promise<void> {
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  const raw = await readRaw(req);
  // kubectl's typed clients (auth can-i, auth whoami) send these reviews as protobuf.
  const body = isProtobuf(contentType) ? decodeProtobuf(raw) : parseBody(raw.toString('utf8'), contentType);
  switch (route.info.kind) {
    case 'SelfSubjectAccessReview':
      return send(res, 201, deps.auth.accessReview(subject, body));
    case 'SelfSubjectRulesReview':
      return send(res, 201, deps.auth.rulesReview(subject, body));
    default:
      return send(res, 201, deps.auth.selfReview(subject));
  }
}
