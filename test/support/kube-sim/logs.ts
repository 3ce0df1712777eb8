/**
 * Per-pod container logs that tests set (by pod name or by the pods' `app` label), and the
 * kubelet's log endpoint rules: container selection, waiting containers, `previous`,
 * `tailLines`, `sinceSeconds`/`sinceTime`, `limitBytes`, `timestamps`.
 */
import type { KObject, SimClock } from './store.js';
import { badRequest } from './status-errors.js';

interface Line {
  time: number;
  text: string;
}

interface Entry {
  current: Line[];
  previous: Line[];
}

export interface LogQuery {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
  timestamps?: boolean;
}

function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export class Logs {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: SimClock) {}

  private key(target: string, container?: string): string {
    return `${target}\u0000${container ?? ''}`;
  }

  /** Replace (or with `append`, extend) the lines of a pod or of every pod labelled app=<target>. */
  set(target: string, lines: string[], opts: { previous?: boolean; container?: string; append?: boolean } = {}): void {
    const k = this.key(target, opts.container);
    const entry = this.entries.get(k) ?? { current: [], previous: [] };
    const now = this.clock.now();
    const stamped = lines.map((text) => ({ time: now, text }));
    const slot = opts.previous ? 'previous' : 'current';
    entry[slot] = opts.append ? [...entry[slot], ...stamped] : stamped;
    this.entries.set(k, entry);
  }

  private find(pod: KObject, container: string): Entry | undefined {
    const app: string | undefined = pod.metadata.labels?.app;
    const candidates = [
      this.key(pod.metadata.name, container),
      this.key(pod.metadata.name),
      ...(app ? [this.key(app, container), this.key(app)] : []),
    ];
    for (const c of candidates) {
      const e = this.entries.get(c);
      if (e) return e;
    }
    return undefined;
  }

  /** Resolve the container the way the API server does and return the rendered log text. */
  read(pod: KObject, q: LogQuery, fallback: (container: string) => string[] | undefined): string {
    const name: string = pod.metadata.name;
    const containers: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
    let container = q.container;
    if (!container) {
      if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
      container = containers[0]!;
    } else if (!containers.includes(container) && !(pod.spec?.initContainers ?? []).some((c: { name: string }) => c.name === container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    const status = (pod.status?.containerStatuses ?? []).find((s: { name: string }) => s.name === container);
    const restartCount: number = status?.restartCount ?? 0;
    const waiting = status?.state?.waiting;
    if (q.previous) {
      if (restartCount === 0 && !status?.lastState?.terminated) {
        throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      }
    } else if (!status || (waiting && !status.lastState?.terminated)) {
      const reason: string = waiting?.reason ?? 'ContainerCreating';
      const why = reason === 'ImagePullBackOff' || reason === 'ErrImagePull' ? 'trying and failing to pull image' : reason;
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
    }
    const entry = this.find(pod, container);
    let lines: Line[];
    if (entry) lines = q.previous ? entry.previous.length ? entry.previous : entry.current : entry.current;
    else {
      const started = Date.parse(status?.state?.running?.startedAt ?? status?.lastState?.terminated?.startedAt ?? '') || this.clock.now();
      lines = (fallback(container) ?? []).map((text) => ({ time: started, text }));
    }
    const now = this.clock.now();
    if (q.sinceSeconds !== undefined) lines = lines.filter((l) => l.time >= now - q.sinceSeconds! * 1000);
    if (q.sinceTime) {
      const t = Date.parse(q.sinceTime);
      if (Number.isNaN(t)) throw badRequest(`parsing time "${q.sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
      lines = lines.filter((l) => l.time >= t);
    }
    if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
    let text = lines.map((l) => `${q.timestamps ? `${nanoTime(l.time)} ` : ''}${l.text}\n`).join('');
    if (q.limitBytes !== undefined) text = Buffer.from(text).subarray(0, q.limitBytes).toString();
    return text;
  }
}
