/**
 * `?watch=true`: chunked newline-delimited JSON events (ADDED/MODIFIED/DELETED, ERROR 410 for an
 * expired resourceVersion, optional BOOKMARK), resuming from a resourceVersion via the store
 * history, filtered by namespace and selectors, ended by timeoutSeconds or the client.
 */
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from './discovery.js';
import type { KObject, Store, StoreEvent, WatchType } from './store.js';
import { resourceKey } from './store.js';
import { KubeError } from './status-errors.js';

export interface WatchRequest {
  info: ResourceInfo;
  namespace?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  allowBookmarks?: boolean;
  matches: (o: KObject) => boolean;
  toWire: (o: KObject) => KObject;
}

export function serveWatch(store: Store, res: ServerResponse, w: WatchRequest, track: (close: () => void) => () => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const key = resourceKey(w.info);
  const inScope = (o: KObject) => w.namespace === undefined || o.metadata.namespace === w.namespace;
  const send = (type: WatchType | 'ERROR' | 'BOOKMARK', object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const translate = (e: StoreEvent): void => {
    if (e.resource !== key) return;
    const now = inScope(e.object) && w.matches(e.object);
    const before = e.previous ? inScope(e.previous) && w.matches(e.previous) : false;
    if (e.type === 'ADDED' && now) send('ADDED', w.toWire(e.object));
    else if (e.type === 'DELETED' && (before || now)) send('DELETED', w.toWire(e.object));
    else if (e.type === 'MODIFIED') {
      if (now && before) send('MODIFIED', w.toWire(e.object));
      else if (now) send('ADDED', w.toWire(e.object));
      else if (before) send('DELETED', w.toWire(e.object));
    }
  };

  const rv = w.resourceVersion;
  if (!rv || rv === '0' || w.sendInitialEvents) {
    for (const o of store.list(w.info, w.namespace)) if (w.matches(o)) send('ADDED', w.toWire(o));
    if (w.sendInitialEvents && w.allowBookmarks) {
      send('BOOKMARK', {
        kind: w.info.kind,
        apiVersion: w.info.group ? `${w.info.group}/${w.info.version}` : w.info.version,
        metadata: { resourceVersion: String(store.currentRv()), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  } else {
    const history = store.since(Number(rv), key);
    if (!history) {
      const err = new KubeError(410, 'Expired', `too old resource version: ${rv} (${store.oldestRv()})`);
      send('ERROR', err.toStatus());
      res.end();
      return;
    }
    for (const e of history) translate(e);
  }
  const unsubscribe = store.subscribe(translate);
  const timeout = setTimeout(() => finish(), Math.min(w.timeoutSeconds ?? 1800, 1800) * 1000);
  timeout.unref();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timeout);
    unsubscribe();
    untrack();
    if (!res.writableEnded) res.end();
  };
  const untrack = track(finish);
  res.on('close', finish);
}
