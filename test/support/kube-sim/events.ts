/**
 * core/v1 Events as kubelet, the scheduler and controllers record them: deduplicated by
 * (involved object, type, reason, message) with `count` and `lastTimestamp` bumped on repeats.
 */
import type { Catalogue } from './discovery.js';
import type { KObject, SimClock, Store } from './store.js';

export type EventType = 'Normal' | 'Warning';

export class Events {
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly catalogue: Catalogue,
    private readonly clock: SimClock,
  ) {}

  /** Like record, but a repeat of an existing event is not counted again (retry loops stay quiet). */
  recordOnce(involved: KObject, type: EventType, reason: string, message: string, component: string): void {
    this.record(involved, type, reason, message, component, undefined, true);
  }

  record(involved: KObject, type: EventType, reason: string, message: string, component = 'kubelet', fieldPath?: string, once = false): void {
    const info = this.catalogue.byKind('v1', 'Event')!;
    const ns: string = involved.metadata.namespace ?? 'default';
    const existing = this.store.find(
      info,
      ns,
      (e) => e.involvedObject?.uid === involved.metadata.uid && e.reason === reason && e.message === message && e.type === type,
    );
    const now = this.clock.iso();
    if (existing) {
      if (once) return;
      existing.count = (existing.count ?? 1) + 1;
      existing.lastTimestamp = now;
      this.store.update(info, existing);
      return;
    }
    const involvedObject: KObject['metadata'] = {
      kind: involved.kind,
      namespace: ns,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: involved.metadata.resourceVersion,
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    // `<name>.<hex>` like the real event recorder; the counter keeps names unique within a millisecond.
    const stamp = `${this.clock.now().toString(16)}${(++this.seq).toString(16).padStart(6, '0')}`;
    this.store.create(info, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.metadata.name}.${stamp}`, namespace: ns },
      involvedObject,
      reason,
      message,
      source: component === 'kubelet' ? { component, host: 'sim-node-1' } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? 'sim-node-1' : '',
    });
  }
}
