/**
 * The control loop: one `tick()` runs every simulated controller once (workloads, kubelet,
 * KubeBlocks, endpoints, quota status, volume binding). A background timer ticks so real clients
 * that wait (kubectl rollout status, watches, polls) see progress; `settle()` ticks until nothing
 * changes, for deterministic tests.
 */
import type { Ctx } from './context.js';
import { isPodReady } from './context.js';
import { KubeBlocks } from './kubeblocks.js';
import { Kubelet } from './kubelet.js';
import { quotaStatus } from './quota.js';
import type { Json, KObject } from './store.js';
import { matchLabels, selectorFromSpec } from './selectors.js';
import { DeploymentControllers } from './deployments.js';
import { JobController } from './jobs.js';
import { StatefulSetController } from './statefulsets.js';

const SETTLE_LIMIT = 100;

export class Controller {
  readonly kubelet: Kubelet;
  private readonly deployments: DeploymentControllers;
  private readonly statefulsets: StatefulSetController;
  private readonly jobs: JobController;
  private readonly kubeblocks: KubeBlocks;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly intervalMs: number,
  ) {
    this.kubelet = new Kubelet(ctx);
    this.deployments = new DeploymentControllers(ctx);
    this.statefulsets = new StatefulSetController(ctx);
    this.jobs = new JobController(ctx);
    this.kubeblocks = new KubeBlocks(ctx);
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.paused) this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Run every controller once; returns whether anything was written. */
  tick(): boolean {
    const { ctx } = this;
    const before = ctx.store.currentRv();
    this.each('apps/v1', 'Deployment', (o) => this.deployments.reconcileDeployment(o));
    this.each('apps/v1', 'ReplicaSet', (o) => this.deployments.reconcileReplicaSet(o));
    this.each('apps/v1', 'StatefulSet', (o) => this.statefulsets.reconcileStatefulSet(o));
    this.each('batch/v1', 'Job', (o) => this.jobs.reconcileJob(o));
    this.each('apps.kubeblocks.io/v1alpha1', 'Cluster', (o) => this.kubeblocks.reconcileCluster(o));
    this.each('v1', 'Pod', (o) => this.kubelet.reconcile(o));
    this.each('dataprotection.kubeblocks.io/v1alpha1', 'Backup', (o) => this.kubeblocks.reconcileBackup(o));
    this.each('v1', 'Service', (o) => this.endpoints(o));
    this.each('v1', 'Endpoints', (o) => this.orphanedEndpoints(o));
    this.each('v1', 'ResourceQuota', (o) => this.quota(o));
    this.each('v1', 'PersistentVolumeClaim', (o) => this.bind(o));
    return ctx.store.currentRv() !== before;
  }

  /** Tick until a tick changes nothing (bounded), yielding between ticks so watchers flush. */
  async settle(): Promise<void> {
    for (let i = 0; i < SETTLE_LIMIT; i++) {
      if (!this.tick()) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`kube-sim: controller did not settle after ${SETTLE_LIMIT} ticks`);
  }

  /** Reconcile every object of a kind, re-read first: an earlier controller in this tick may have changed or deleted it. */
  private each(apiVersion: string, kind: string, fn: (o: KObject) => void): void {
    const info = this.ctx.info(apiVersion, kind);
    for (const o of this.ctx.store.list(info)) {
      const fresh = this.ctx.store.get(info, o.metadata.namespace, o.metadata.name);
      if (!fresh) continue;
      try {
        fn(fresh);
      } catch (e) {
        // A controller bug must not kill the loop; surface it on stderr for the test author.
        process.stderr.write(`kube-sim controller error: ${(e as Error).stack ?? String(e)}\n`);
      }
    }
  }

  private endpoints(svc: KObject): void {
    const { ctx } = this;
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const ns: string = svc.metadata.namespace;
    const pods = ctx.list('v1', 'Pod', ns).filter((p) => p.status?.podIP && matchLabels(selectorFromSpec({ matchLabels: selector }), p.metadata.labels));
    const address = (p: KObject) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } });
    const ready = pods.filter(isPodReady).map(address);
    const notReady = pods.filter((p) => !isPodReady(p)).map(address);
    const ports = (svc.spec.ports ?? []).map((port: Json) => {
      let target = port.targetPort ?? port.port;
      if (typeof target === 'string') {
        const named = pods.flatMap((p) => p.spec.containers ?? []).flatMap((c: Json) => c.ports ?? []).find((cp: Json) => cp.name === target);
        target = named?.containerPort ?? port.port;
      }
      return { ...(port.name ? { name: port.name } : {}), port: target, protocol: port.protocol ?? 'TCP' };
    });
    const subset: Json = { ports };
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    const info = ctx.info('v1', 'Endpoints');
    const existing = ctx.store.get(info, ns, svc.metadata.name);
    const desired: KObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(existing?.metadata ?? {}), name: svc.metadata.name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } },
    };
    if (ready.length || notReady.length) desired.subsets = [subset];
    if (!existing) ctx.create(desired);
    else ctx.save(existing, desired);
  }

  /** The endpoints controller removes Endpoints whose Service is gone. */
  private orphanedEndpoints(ep: KObject): void {
    const { ctx } = this;
    if (ctx.store.get(ctx.info('v1', 'Service'), ep.metadata.namespace, ep.metadata.name)) return;
    ctx.store.remove(ctx.info('v1', 'Endpoints'), ep.metadata.namespace, ep.metadata.name);
  }

  private quota(q: KObject): void {
    const pods = this.ctx.list('v1', 'Pod', q.metadata.namespace);
    const next = structuredClone(q);
    next.status = quotaStatus(q, pods);
    this.ctx.save(q, next);
  }

  private bind(pvc: KObject): void {
    if (pvc.status?.phase === 'Bound') return;
    const next = structuredClone(pvc);
    next.spec.volumeName ??= `pvc-${pvc.metadata.uid}`;
    next.spec.storageClassName ??= 'openebs-backup';
    next.status = {
      phase: 'Bound',
      accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
    };
    this.ctx.save(pvc, next);
  }
}
