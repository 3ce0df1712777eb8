import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiError, clientsFor, type SimClients } from '../../support/kube-sim/clients.js';
import { startKubeSim, type KubeSim } from '../../support/kube-sim/index.js';

let sim: KubeSim;
let c: SimClients;
const ns = 'ns-test';

beforeAll(async () => {
  sim = await startKubeSim({ controller: { intervalMs: 0 } });
  c = clientsFor(sim);
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.faults.clear();
});

async function deploy(name: string, image: string, extra: Record<string, unknown> = {}): Promise<void> {
  await c.objects.patch(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        replicas: 1,
        ...extra,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
      },
    } as k8s.KubernetesObject,
    undefined,
    undefined,
    'sealos-deploy',
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
  await sim.controller.settle();
}

async function podOf(app: string): Promise<k8s.V1Pod> {
  const pods = await c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` });
  expect(pods.items).toHaveLength(1);
  return pods.items[0]!;
}

async function eventsFor(name: string): Promise<string[]> {
  const list = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

const log = (pod: k8s.V1Pod, extra: Partial<{ previous: boolean; tailLines: number; sinceSeconds: number; limitBytes: number; timestamps: boolean; container: string }> = {}) =>
  c.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns, ...extra });

describe('request faults', () => {
  it('injects 5xx, 409 and 403 Status responses for matching requests, count-limited', async () => {
    sim.faults.inject({ method: 'GET', path: /\/configmaps$/, status: 503, once: true });
    const unavailable = await apiError(c.core.listNamespacedConfigMap({ namespace: ns }));
    expect(unavailable.code).toBe(503);
    expect(unavailable.status).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    await c.core.listNamespacedConfigMap({ namespace: ns });

    sim.faults.inject({ path: '/configmaps', status: 500, count: 2 });
    expect((await apiError(c.core.listNamespacedConfigMap({ namespace: ns }))).status.reason).toBe('InternalError');
    expect((await apiError(c.core.listNamespacedConfigMap({ namespace: ns }))).code).toBe(500);
    await c.core.listNamespacedConfigMap({ namespace: ns });

    sim.faults.inject({ method: 'POST', path: /configmaps/, status: 409, message: 'injected conflict' });
    const conflict = await apiError(c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'f' } } }));
    expect(conflict.status).toMatchObject({ reason: 'Conflict', message: 'injected conflict', code: 409 });

    sim.faults.inject({ method: 'GET', path: /secrets/, status: 403 });
    expect((await apiError(c.core.listNamespacedSecret({ namespace: ns }))).status.reason).toBe('Forbidden');
    const logged = sim.requests.filter((r) => r.path.includes('/secrets'));
    expect(logged.at(-1)?.status).toBe(403);
  });

  it('delays responses so client timeouts fire', async () => {
    sim.faults.inject({ path: '/version', delayMs: 400, once: true });
    const slow = fetch(`${sim.url}/version`, { signal: AbortSignal.timeout(50) });
    await expect(slow).rejects.toThrow(/aborted|timeout/i);
    const ok = await fetch(`${sim.url}/version`);
    expect(((await ok.json()) as { gitVersion: string }).gitVersion).toMatch(/^v1\.32\./);
  });

  it('drops connections: the client sees a network error, not an ApiException', async () => {
    sim.faults.inject({ path: /\/pods$/, drop: true, once: true });
    const err = await c.core.listNamespacedPod({ namespace: ns }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(k8s.ApiException);
    expect(String(err)).toMatch(/socket hang up|ECONNRESET|reset|closed/i);
    await c.core.listNamespacedPod({ namespace: ns });
  });
});

describe('pod behaviours as a client sees them', () => {
  it('crash loop: CrashLoopBackOff, restarts growing with back-off, exit code, logs and BackOff events', async () => {
    sim.faults.podBehaviour('crash:1', { kind: 'crashloop', exitCode: 2, logs: ['booting', 'Error: Cannot find module "/app/dist/server.js"'] });
    await deploy('crash', 'crash:1');
    let pod = await podOf('crash');
    const cs = pod.status?.containerStatuses?.[0];
    expect(pod.status?.phase).toBe('Running');
    expect(cs?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(cs?.restartCount).toBe(1);
    expect(cs?.ready).toBe(false);
    expect(await log(pod, { previous: true })).toBe('booting\nError: Cannot find module "/app/dist/server.js"\n');
    expect(await log(pod, { tailLines: 1 })).toBe('Error: Cannot find module "/app/dist/server.js"\n');
    expect((await eventsFor(pod.metadata!.name!)).some((e) => e.startsWith('Warning BackOff: Back-off restarting failed container crash in pod'))).toBe(true);

    sim.controller.advance(11_000);
    await sim.controller.settle();
    pod = await podOf('crash');
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(2);
    const d = await c.apps.readNamespacedDeployment({ name: 'crash', namespace: ns });
    expect(d.status?.availableReplicas).toBeUndefined();
    expect(d.status?.conditions?.find((x) => x.type === 'Available')?.status).toBe('False');
  });

  it('OOMKilled: last termination reason OOMKilled with exit code 137', async () => {
    sim.faults.podBehaviour('oom:1', { kind: 'oomkilled', logs: ['allocating'] });
    await deploy('oom', 'oom:1');
    const cs = (await podOf('oom')).status?.containerStatuses?.[0];
    expect(cs?.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(cs?.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });

  it.each([
    ['manifest unknown', /manifest unknown/],
    ['unauthorized', /unauthorized/],
  ] as const)('image pull failure (%s): ImagePullBackOff, Failed events, logs refused', async (error, pattern) => {
    const image = `ghcr.io/acme/app:${error === 'unauthorized' ? 'private' : 'missing'}`;
    const app = error === 'unauthorized' ? 'pull-auth' : 'pull-missing';
    sim.faults.podBehaviour(image, { kind: 'imagePullBackOff', error });
    await deploy(app, image);
    const pod = await podOf(app);
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(pattern);
    const events = await eventsFor(pod.metadata!.name!);
    expect(events).toContain('Warning Failed: Error: ImagePullBackOff');
    expect(events.some((e) => e.startsWith(`Warning Failed: Failed to pull image "${image}"`) && pattern.test(e))).toBe(true);
    const refused = await apiError(log(pod));
    expect(refused.code).toBe(400);
    expect(refused.status.message).toBe(`container "${app}" in pod "${pod.metadata!.name}" is waiting to start: trying and failing to pull image`);
  });

  it('unschedulable: Pending with PodScheduled=False and a FailedScheduling event', async () => {
    sim.faults.podBehaviour('huge:1', { kind: 'pending' });
    await deploy('huge', 'huge:1');
    const pod = await podOf('huge');
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.conditions?.find((x) => x.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    const events = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${pod.metadata!.name},reason=FailedScheduling` });
    expect(events.items[0]?.source?.component).toBe('default-scheduler');
    expect(events.items[0]?.message).toMatch(/^0\/3 nodes are available: 3 Insufficient memory/);
    expect((await apiError(log(pod))).status.message).toBe(`pod ${pod.metadata!.name} does not have a host assigned`);
  });

  it('failing readiness probe: Running but not Ready, with an Unhealthy event', async () => {
    sim.faults.podBehaviour('unready:1', { kind: 'unready' });
    await deploy('unready', 'unready:1');
    const pod = await podOf('unready');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    expect(await eventsFor(pod.metadata!.name!)).toContain('Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503');
  });

  it('progress deadline: Progressing=False ProgressDeadlineExceeded once simulated time passes the deadline', async () => {
    sim.faults.podBehaviour('stall:1', { kind: 'unready' });
    await deploy('stall', 'stall:1', { progressDeadlineSeconds: 60 });
    let d = await c.apps.readNamespacedDeployment({ name: 'stall', namespace: ns });
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')?.status).toBe('True');
    sim.controller.advance(61_000);
    await sim.controller.settle();
    d = await c.apps.readNamespacedDeployment({ name: 'stall', namespace: ns });
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('slow start: ready only after the configured simulated time', async () => {
    sim.faults.podBehaviour('slow:1', { kind: 'slowStart', readyAfterMs: 30_000 });
    await deploy('slow', 'slow:1');
    expect((await podOf('slow')).status?.containerStatuses?.[0]?.ready).toBe(false);
    sim.controller.advance(31_000);
    await sim.controller.settle();
    expect((await podOf('slow')).status?.containerStatuses?.[0]?.ready).toBe(true);
  });
});

describe('logs, events and metrics', () => {
  it('serves logs set by app label with tailLines, sinceSeconds, limitBytes, timestamps and previous', async () => {
    await deploy('logger', 'logger:1');
    sim.faults.setLogs('logger', ['old line']);
    sim.controller.advance(120_000);
    sim.faults.setLogs('logger', ['listening on :3000', 'GET /healthz 200'], { append: true });
    const pod = await podOf('logger');
    expect(await log(pod)).toBe('old line\nlistening on :3000\nGET /healthz 200\n');
    expect(await log(pod, { tailLines: 2 })).toBe('listening on :3000\nGET /healthz 200\n');
    expect(await log(pod, { sinceSeconds: 60 })).toBe('listening on :3000\nGET /healthz 200\n');
    expect(await log(pod, { limitBytes: 4 })).toBe('old ');
    expect(await log(pod, { tailLines: 1, timestamps: true })).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z GET \/healthz 200\n$/);
    const noPrevious = await apiError(log(pod, { previous: true }));
    expect(noPrevious.status.message).toBe(`previous terminated container "logger" in pod "${pod.metadata!.name}" not found`);
    const badContainer = await apiError(log(pod, { container: 'nope' }));
    expect(badContainer.code).toBe(400);
    const missing = await apiError(c.core.readNamespacedPodLog({ name: 'no-such-pod', namespace: ns }));
    expect(missing.status.message).toBe('pods "no-such-pod" not found');
  });

  it('records the pod lifecycle as events and filters them by involvedObject', async () => {
    const pod = await podOf('logger');
    const events = await eventsFor(pod.metadata!.name!);
    expect(events).toEqual(
      expect.arrayContaining([
        `Normal Scheduled: Successfully assigned ns-test/${pod.metadata!.name} to sim-node-1`,
        'Normal Pulling: Pulling image "logger:1"',
        'Normal Created: Created container: logger',
        'Normal Started: Started container logger',
      ]),
    );
    const byKind = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=ReplicaSet' });
    expect(byKind.items.every((e) => e.involvedObject.kind === 'ReplicaSet')).toBe(true);
    expect(byKind.items.length).toBeGreaterThan(0);
  });

  it('serves PodMetrics with the usage a test sets', async () => {
    const pod = await podOf('logger');
    sim.metrics.setUsage(pod.metadata!.name!, { cpu: '120m', memory: '300Mi' });
    const list = (await c.custom.listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace: ns, plural: 'pods', labelSelector: 'app=logger' })) as {
      items: Array<{ metadata: { name: string }; containers: Array<{ name: string; usage: { cpu: string; memory: string } }> }>;
    };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.containers).toEqual([{ name: 'logger', usage: { cpu: '120m', memory: '300Mi' } }]);
    const metricsApi = new k8s.Metrics(c.kc);
    const typed = await metricsApi.getPodMetrics(ns);
    expect(typed.items.find((m) => m.metadata.name === pod.metadata!.name)?.containers[0]?.usage.memory).toBe('300Mi');
  });
});
