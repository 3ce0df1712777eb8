/**
 * metrics.k8s.io/v1beta1 PodMetrics for running pods, with usage tests can set; `disable()`
 * removes the API group from discovery like a cluster without metrics-server.
 */
import type { Json, KObject, SimClock } from './store.js';

export interface Usage {
  cpu: string;
  memory: string;
}

const DEFAULT_USAGE: Usage = { cpu: '1m', memory: '16Mi' };

export class Metrics {
  enabled = true;
  private readonly usage = new Map<string, Usage>();

  constructor(private readonly clock: SimClock) {}

  /** Usage for one pod (all its containers) or one container (`pod/container`). */
  setUsage(target: string, usage: Usage): void {
    this.usage.set(target, usage);
  }

  podMetrics(pod: KObject): Json | undefined {
    if (pod.status?.phase !== 'Running') return undefined;
    const name: string = pod.metadata.name;
    return {
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {
        name,
        namespace: pod.metadata.namespace,
        creationTimestamp: this.clock.iso(),
        labels: pod.metadata.labels ?? {},
      },
      timestamp: this.clock.iso(this.clock.now() - 5000),
      window: '15.013s',
      containers: (pod.spec?.containers ?? []).map((c: { name: string }) => ({
        name: c.name,
        usage: { ...(this.usage.get(`${name}/${c.name}`) ?? this.usage.get(name) ?? DEFAULT_USAGE) },
      })),
    };
  }
}
