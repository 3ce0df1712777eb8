import type { ErrorCode } from '../core/errors.js';
import type { EventView, PodView } from '../core/kube-types.js';
import type { Resources } from './resources.js';

export type { EventView, PodView } from '../core/kube-types.js';

export interface Diagnosis {
  code: ErrorCode;
  /** One or two sentences a person can act on. */
  summary: string;
  next: string;
  pod: string | null;
  /** The last lines the app printed before it failed (already capped; redact before showing). */
  log_tail: string[];
  events: string[];
}

const lastLines = (text: string, n: number) => text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-n);

/** The line that most likely explains a crash: the last error-looking line, else the last line. */
export function crashLine(lines: string[]): string | null {
  const err = [...lines].reverse().find((l) => /error|exception|cannot|failed|refused|ECONN|EADDRINUSE|throw|fatal/i.test(l));
  return err ?? lines.at(-1) ?? null;
}

/**
 * A probe refused on the template's port while the app's own startup line names another one
 * ("Listening on 127.0.0.1:2368"): the service picks its port itself.
 */
export function refusedElsewhere(probeEvent: string, logs: string[]): { probed: number; logged: number; line: string } | null {
  const refused = /dial tcp \S*?:(\d{1,5}): connect: connection refused/.exec(probeEvent);
  if (!refused) return null;
  const probed = Number(refused[1]);
  for (const line of [...logs].reverse()) {
    // A line about listening, not about a connection the app made (`connected to db at 10.0.0.5:5432`).
    if (!/\blisten|\b(available|running|serving|ready|started(?: \w+)?|bound) (on|at|to)\b/i.test(line)) continue;
    const m = /(?:port\s*[:=]?\s*|(?:localhost|\d+\.\d+\.\d+\.\d+|\]|\*|::):)(\d{2,5})\b/i.exec(line);
    const logged = m ? Number(m[1]) : NaN;
    if (logged > 0 && logged < 65536 && logged !== probed) return { probed, logged, line: line.slice(0, 160) };
  }
  return null;
}

function imagePullWhy(message: string): { auth: boolean; text: string } {
  if (/unauthorized|authentication required|denied|403|401|no basic auth/i.test(message)) return { auth: true, text: 'the registry refused the credentials (private image without a valid pull secret)' };
  if (/not found|manifest unknown|404|does not exist/i.test(message)) return { auth: false, text: 'the image or tag does not exist in the registry' };
  return { auth: false, text: `the image could not be pulled (${message.slice(0, 160)})` };
}

/**
 * Explain why an app's pods are not becoming ready, in plain words, from pod states, events and
 * the last log lines. Returns null when nothing is wrong yet (still starting).
 */
export async function diagnosePods(res: Resources, pods: PodView[], events: EventView[], opts: { healthPath?: string | null } = {}): Promise<Diagnosis | null> {
  const eventLines = (name: string) =>
    events
      .filter((e) => e.involvedObject?.name === name && e.type === 'Warning')
      .map((e) => `${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`)
      .slice(-5);
  for (const pod of pods) {
    const name = pod.metadata.name;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const cs of statuses) {
      const waiting = cs.state?.waiting;
      const lastTerm = cs.lastState?.terminated;
      if (waiting?.reason === 'ImagePullBackOff' || waiting?.reason === 'ErrImagePull' || waiting?.reason === 'InvalidImageName') {
        const why = imagePullWhy(waiting.message ?? eventLines(name).join(' '));
        return {
          code: 'ROLLOUT_IMAGE_PULL',
          summary: `Pod ${name} cannot start: ${why.text} (${cs.image ?? 'image'}).`,
          next: why.auth ? 'Create or refresh the image pull Secret (sealos-deploy deploy --registry-password-stdin) or make the image public.' : 'Check the image reference and tag; build and push it again (sealos-deploy build).',
          pod: name,
          log_tail: [],
          events: eventLines(name),
        };
      }
      if (lastTerm?.reason === 'OOMKilled' || cs.state?.terminated?.reason === 'OOMKilled') {
        return {
          code: 'ROLLOUT_OOM',
          summary: `Pod ${name} was killed for using more memory than its limit (OOMKilled, restarts: ${cs.restartCount ?? 0}).`,
          next: 'Raise the memory limit (render --memory 1Gi) or reduce memory use (e.g. NODE_OPTIONS=--max-old-space-size below the limit).',
          pod: name,
          log_tail: [],
          events: eventLines(name),
        };
      }
      if (waiting?.reason === 'CrashLoopBackOff' || (lastTerm && (cs.restartCount ?? 0) >= 2) || waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'RunContainerError') {
        if (waiting?.reason === 'CreateContainerConfigError') {
          return { code: 'ROLLOUT_CRASHLOOP', summary: `Pod ${name} cannot be configured: ${waiting.message ?? 'a referenced Secret or ConfigMap key is missing'}.`, next: 'Create the missing Secret/ConfigMap key (for the database: wait for the PostgreSQL cluster to create its credential Secret).', pod: name, log_tail: [], events: eventLines(name) };
        }
        const logs = lastLines(await res.podLogs(name, { container: cs.name, previous: true, tailLines: 40 }).catch(() => ''), 20);
        const line = crashLine(logs);
        return {
          code: 'ROLLOUT_CRASHLOOP',
          summary: `The app keeps crashing in pod ${name} (exit code ${lastTerm?.exitCode ?? '?'}, restarts: ${cs.restartCount ?? 0})${line ? `; its last error: ${line}` : ''}.`,
          next: 'Fix the error shown (missing env var, database connection, wrong start command), rebuild and deploy again; run `sealos-deploy rehearse` to reproduce locally.',
          pod: name,
          log_tail: logs,
          events: eventLines(name),
        };
      }
    }
    const phase = pod.status?.phase;
    const sched = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (phase === 'Pending' && (sched || eventLines(name).some((e) => /FailedScheduling|exceeded quota|FailedCreate/.test(e)))) {
      const msg = sched?.message ?? eventLines(name).find((e) => /FailedScheduling|quota/.test(e)) ?? 'no node can run it';
      const quota = /quota/i.test(msg);
      return {
        code: 'ROLLOUT_UNSCHEDULABLE',
        summary: `Pod ${name} cannot be scheduled: ${msg}.`,
        next: quota ? 'The workspace quota is exhausted: lower CPU/memory/replicas or delete unused apps.' : 'Lower the CPU/memory requests, or retry when the cluster has capacity.',
        pod: name,
        log_tail: [],
        events: eventLines(name),
      };
    }
    const unhealthy = eventLines(name).filter((e) => /^Unhealthy/.test(e));
    if (unhealthy.length && !(pod.status?.containerStatuses ?? []).every((c) => c.ready)) {
      const logs = lastLines(await res.podLogs(name, { tailLines: 20 }).catch(() => ''), 10);
      const last = unhealthy.at(-1)!;
      const elsewhere = refusedElsewhere(last, logs);
      if (elsewhere)
        return {
          code: 'ROLLOUT_PROBE_FAILED',
          summary: `Pod ${name} runs but nothing answers on port ${elsewhere.probed}: the app says it listens on port ${elsewhere.logged} ("${elsewhere.line}"), so it does not take its port from PORT.`,
          next: `Make the app listen on process.env.PORT, or set "port": ${elsewhere.logged} in .sealos/config.json; then render and deploy again.`,
          pod: name,
          log_tail: logs,
          events: unhealthy,
        };
      return {
        code: 'ROLLOUT_PROBE_FAILED',
        summary: `Pod ${name} runs but fails its health checks: ${last}${opts.healthPath ? ` (probe path ${opts.healthPath})` : ''}.`,
        next: 'Make the health path answer 2xx quickly without slow dependencies, check the port the app listens on matches the template, and that it binds 0.0.0.0.',
        pod: name,
        log_tail: logs,
        events: unhealthy,
      };
    }
  }
  return null;
}
