/**
 * Scheduler + kubelet for simulated pods: scheduling (or FailedScheduling), image pulls (or
 * ErrImagePull → ImagePullBackOff), container start, readiness (or failing probes), crash loops
 * with exponential back-off, OOMKills, and run-to-completion for Job pods. Every transition
 * writes the containerStatuses, conditions and events a real node would.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from './context.js';
import { condition } from './context.js';
import type { PodBehaviour } from './faults.js';
import type { Json, KObject } from './store.js';

const NODE = 'sim-node-1';
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

function hex(input: string, n = 64): string {
  return createHash('sha256').update(input).digest('hex').slice(0, n);
}

function imageRef(image: string): string {
  const name = image.includes('/') ? image : `docker.io/library/${image}`;
  return `${name.split('@')[0]!.replace(/:[^/:]+$/, '')}@sha256:${hex(image)}`;
}

function pullError(image: string, error: string | undefined): string {
  if (error === 'unauthorized') {
    return `Failed to pull image "${image}": failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed: unauthorized`;
  }
  return `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found: manifest unknown`;
}

function setCondition(conditions: Json[], type: string, status: string, now: string, reason?: string, message?: string): void {
  const existing = conditions.find((c) => c.type === type);
  const next: Json = { type, status, lastProbeTime: null, lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  if (existing) Object.keys(existing).forEach((k) => delete existing[k]), Object.assign(existing, next);
  else conditions.push(next);
}

export class Kubelet {
  private ipSeq = 2;

  constructor(private readonly ctx: Ctx) {}

  private behaviour(_pod: KObject, container: Json): PodBehaviour | undefined {
    return this.ctx.faults.behaviourFor(container.image);
  }

  /** Log lines a container prints when tests have not set any: those of its behaviour. */
  fallbackLogs(pod: KObject, containerName: string): string[] | undefined {
    const c = (pod.spec?.containers ?? []).find((x: Json) => x.name === containerName);
    const b = c ? this.behaviour(pod, c) : undefined;
    return b && 'logs' in b ? b.logs : undefined;
  }

  reconcile(pod: KObject): void {
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const { clock, events } = this.ctx;
    const now = clock.iso();
    const next = structuredClone(pod);
    const status = (next.status ??= { phase: 'Pending' });
    const conditions: Json[] = (status.conditions ??= []);
    const containers: Json[] = next.spec?.containers ?? [];
    const podRef = `${next.metadata.name}_${next.metadata.namespace}(${next.metadata.uid})`;

    if (!next.spec.nodeName) {
      const pending = containers.map((c) => this.behaviour(next, c)).find((b) => b?.kind === 'pending');
      if (pending && pending.kind === 'pending') {
        const message = pending.message ?? '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
        if (condition(next, 'PodScheduled')?.reason !== 'Unschedulable') events.record(next, 'Warning', 'FailedScheduling', message, 'default-scheduler');
        setCondition(conditions, 'PodScheduled', 'False', now, 'Unschedulable', message);
        this.ctx.save(pod, next);
        return;
      }
      next.spec.nodeName = NODE;
      events.record(next, 'Normal', 'Scheduled', `Successfully assigned ${next.metadata.namespace}/${next.metadata.name} to ${NODE}`, 'default-scheduler');
      setCondition(conditions, 'PodReadyToStartContainers', 'True', now);
      setCondition(conditions, 'Initialized', 'True', now);
      setCondition(conditions, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`);
      setCondition(conditions, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`);
      setCondition(conditions, 'PodScheduled', 'True', now);
      const ip = `10.244.0.${this.ipSeq++ % 250}`;
      Object.assign(status, { hostIP: '192.168.0.10', hostIPs: [{ ip: '192.168.0.10' }], podIP: ip, podIPs: [{ ip }], startTime: now });
      status.containerStatuses = containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      }));
      this.ctx.save(pod, next);
      return;
    }

    const isJobPod = (next.metadata.ownerReferences ?? []).some((r: Json) => r.kind === 'Job');
    const statuses: Json[] = status.containerStatuses ?? [];
    for (const c of containers) {
      const cs = statuses.find((s) => s.name === c.name);
      if (!cs) continue;
      this.advanceContainer(next, c, cs, isJobPod, podRef);
    }

    const all = statuses.length > 0 ? statuses : [];
    const ready = all.length > 0 && all.every((s) => s.ready);
    const unready = all.filter((s) => !s.ready).map((s) => s.name);
    const terminated = all.length > 0 && all.every((s) => s.state?.terminated);
    if (terminated && next.spec.restartPolicy !== 'Always') {
      const failed = all.some((s) => s.state.terminated.exitCode !== 0);
      status.phase = failed ? 'Failed' : 'Succeeded';
      setCondition(conditions, 'Ready', 'False', now, 'PodCompleted');
      setCondition(conditions, 'ContainersReady', 'False', now, 'PodCompleted');
      setCondition(conditions, 'PodReadyToStartContainers', 'False', now);
    } else {
      status.phase = all.some((s) => s.state?.running || s.lastState?.terminated || s.state?.terminated) ? 'Running' : 'Pending';
      if (ready) {
        setCondition(conditions, 'Ready', 'True', now);
        setCondition(conditions, 'ContainersReady', 'True', now);
      } else {
        const msg = `containers with unready status: [${unready.join(' ')}]`;
        setCondition(conditions, 'Ready', 'False', now, 'ContainersNotReady', msg);
        setCondition(conditions, 'ContainersReady', 'False', now, 'ContainersNotReady', msg);
      }
    }
    this.ctx.save(pod, next);
  }

  private advanceContainer(pod: KObject, c: Json, cs: Json, isJobPod: boolean, podRef: string): void {
    const { clock, events } = this.ctx;
    const now = clock.iso();
    const b = this.behaviour(pod, c);
    const fieldPath = `spec.containers{${c.name}}`;
    const waiting = cs.state?.waiting?.reason;

    if (waiting === 'ContainerCreating' || waiting === 'ErrImagePull') {
      if (b?.kind === 'imagePullBackOff') {
        if (waiting === 'ContainerCreating') {
          events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', fieldPath);
          events.record(pod, 'Warning', 'Failed', pullError(c.image, b.error), 'kubelet', fieldPath);
          events.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', fieldPath);
          cs.state = { waiting: { reason: 'ErrImagePull', message: pullError(c.image, b.error).replace(/^Failed to pull image "[^"]+": /, '') } };
        } else {
          events.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, 'kubelet', fieldPath);
          events.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet', fieldPath);
          cs.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}": ErrImagePull: ${pullError(c.image, b.error).replace(/^Failed to pull image "[^"]+": /, '')}` } };
        }
        return;
      }
      events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', fieldPath);
      events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.204s (1.204s including waiting). Image size: 52428800 bytes.`, 'kubelet', fieldPath);
      this.start(pod, c, cs, now, fieldPath);
      return;
    }
    if (waiting === 'ImagePullBackOff') {
      if (b?.kind !== 'imagePullBackOff') {
        events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', fieldPath);
        this.start(pod, c, cs, now, fieldPath);
      }
      return;
    }

    const crashing = b?.kind === 'crashloop' || b?.kind === 'oomkilled';
    if (cs.state?.running) {
      if (crashing) {
        const exitCode = b.kind === 'oomkilled' ? 137 : (b.exitCode ?? 1);
        const reason = b.kind === 'oomkilled' ? 'OOMKilled' : 'Error';
        const terminated = { exitCode, reason, startedAt: cs.state.running.startedAt, finishedAt: now, containerID: cs.containerID };
        if (isJobPod && pod.spec.restartPolicy === 'Never') {
          cs.state = { terminated };
          cs.ready = false;
          cs.started = false;
          return;
        }
        cs.lastState = { terminated };
        cs.restartCount = (cs.restartCount ?? 0) + 1;
        cs.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${this.backoff(cs.restartCount) / 1000}s restarting failed container=${c.name} pod=${podRef}` } };
        cs.ready = false;
        cs.started = false;
        events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef}`, 'kubelet', fieldPath);
        return;
      }
      if (isJobPod) {
        cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: cs.state.running.startedAt, finishedAt: now, containerID: cs.containerID } };
        cs.ready = false;
        cs.started = false;
        return;
      }
      cs.ready = this.readyNow(pod, c, cs);
      return;
    }
    if (waiting === 'CrashLoopBackOff') {
      const finished = Date.parse(cs.lastState?.terminated?.finishedAt ?? now);
      if (clock.now() - finished < this.backoff(cs.restartCount)) return;
      if (!crashing) {
        this.start(pod, c, cs, now, fieldPath);
        return;
      }
      // Another run that crashes again: restartCount and lastState move on, back-off doubles.
      const exitCode = b.kind === 'oomkilled' ? 137 : (b.exitCode ?? 1);
      const reason = b.kind === 'oomkilled' ? 'OOMKilled' : 'Error';
      cs.lastState = { terminated: { exitCode, reason, startedAt: now, finishedAt: now, containerID: `containerd://${hex(`${pod.metadata.uid}/${c.name}/${cs.restartCount}`)}` } };
      cs.restartCount += 1;
      cs.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${this.backoff(cs.restartCount) / 1000}s restarting failed container=${c.name} pod=${podRef}` } };
      events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef}`, 'kubelet', fieldPath);
    }
  }

  private backoff(restartCount: number): number {
    return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, restartCount - 1), BACKOFF_MAX_MS);
  }

  private start(pod: KObject, c: Json, cs: Json, now: string, fieldPath: string): void {
    const { events } = this.ctx;
    events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet', fieldPath);
    events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet', fieldPath);
    cs.imageID = imageRef(c.image);
    cs.containerID = `containerd://${hex(`${pod.metadata.uid}/${c.name}/${cs.restartCount ?? 0}`)}`;
    cs.state = { running: { startedAt: now } };
    cs.started = true;
    cs.ready = false;
  }

  private readyNow(pod: KObject, c: Json, cs: Json): boolean {
    const b = this.behaviour(pod, c);
    if (b?.kind === 'unready') {
      if (cs.ready !== false || !this.unhealthyRecorded.has(`${pod.metadata.uid}/${c.name}`)) {
        this.unhealthyRecorded.add(`${pod.metadata.uid}/${c.name}`);
        this.ctx.events.record(pod, 'Warning', 'Unhealthy', b.message ?? 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet', `spec.containers{${c.name}}`);
      }
      return false;
    }
    if (b?.kind === 'slowStart') {
      return this.ctx.clock.now() - Date.parse(cs.state.running.startedAt) >= b.readyAfterMs;
    }
    return true;
  }

  private readonly unhealthyRecorded = new Set<string>();
}
