/**
 * Fault injection for one test: per-request rules (status + Status body, delay, dropped socket)
 * matched by method and path, and per-image pod behaviours / per-name KubeBlocks cluster behaviours
 * that the controller plays out the way kubelet and KubeBlocks would report them.
 */

export interface FaultRule {
  /** HTTP method to match (any when omitted) */
  method?: string;
  /** pathname to match: a RegExp, or a string that must occur in the path */
  path?: RegExp | string;
  /** respond with this status code and a matching metav1.Status body */
  status?: number;
  message?: string;
  /** wait before handling (or before the injected status) */
  delayMs?: number;
  /** destroy the socket without a response */
  drop?: boolean;
  /** how many requests to affect (default: unlimited; `once` = 1) */
  count?: number;
  once?: boolean;
}

export type PodBehaviour =
  /** container starts, exits with exitCode (default 1) and ends in CrashLoopBackOff */
  | { kind: 'crashloop'; exitCode?: number; logs?: string[] }
  /** container is killed for exceeding its memory limit (exit 137, reason OOMKilled) */
  | { kind: 'oomkilled'; logs?: string[] }
  /** image pull fails: ErrImagePull / ImagePullBackOff with a registry error */
  | { kind: 'imagePullBackOff'; error?: 'manifest unknown' | 'unauthorized' }
  /** pod cannot be scheduled (FailedScheduling) */
  | { kind: 'pending'; message?: string }
  /** container runs but its readiness probe fails */
  | { kind: 'unready'; message?: string; logs?: string[] }
  /** container becomes ready only after readyAfterMs of simulated time */
  | { kind: 'slowStart'; readyAfterMs: number; logs?: string[] };

export type ClusterBehaviour = { kind: 'stuck' } | { kind: 'failed' };

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private readonly pods = new Map<string, PodBehaviour>();
  private readonly clusters = new Map<string, ClusterBehaviour>();

  inject(rule: FaultRule): () => void {
    const active: ActiveRule = { ...rule, remaining: rule.once ? 1 : (rule.count ?? Infinity) };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  /** The first rule matching this request, consuming one of its uses. */
  match(method: string, path: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path instanceof RegExp ? !r.path.test(path) : r.path !== undefined && !path.includes(r.path)) continue;
      r.remaining--;
      return r;
    }
    return undefined;
  }

  clear(): void {
    this.rules = [];
    this.pods.clear();
    this.clusters.clear();
  }

  podBehaviour(image: string, behaviour: PodBehaviour | null): void {
    if (behaviour) this.pods.set(image, behaviour);
    else this.pods.delete(image);
  }

  behaviourFor(image: string): PodBehaviour | undefined {
    return this.pods.get(image);
  }

  clusterBehaviour(name: string, behaviour: ClusterBehaviour | null): void {
    if (behaviour) this.clusters.set(name, behaviour);
    else this.clusters.delete(name);
  }

  clusterBehaviourFor(name: string): ClusterBehaviour | undefined {
    return this.clusters.get(name);
  }
}
