/**
 * Job controller: pods up to parallelism until completions succeed (Complete +
 * SuccessCriteriaMet), or Failed/FailureTarget with BackoffLimitExceeded once failures exceed
 * backoffLimit.
 */
import type { Ctx } from './context.js';
import { isControlledBy, isPodReady, isTerminal, omitZero } from './context.js';
import type { Json, KObject } from './store.js';

export class JobController {
  constructor(private readonly ctx: Ctx) {}

  reconcileJob(job: KObject): void {
    if (job.metadata.deletionTimestamp) return;
    const { ctx } = this;
    const ns: string = job.metadata.namespace;
    const now = ctx.clock.iso();
    const done = (job.status?.conditions ?? []).some((c: Json) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const pods = ctx.list('v1', 'Pod', ns).filter((p) => isControlledBy(p, job));
    const active = pods.filter((p) => !isTerminal(p));
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const next = structuredClone(job);
    const status: Json = structuredClone(job.status ?? {});
    status.startTime ??= now;
    status.uncountedTerminatedPods ??= {};
    const conditions: Json[] = status.conditions ?? [];
    const completions: number = job.spec.completions ?? 1;
    if (!done && !job.spec.suspend) {
      if (succeeded >= completions) {
        conditions.push(
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        );
        status.completionTime = now;
        ctx.events.record(job, 'Normal', 'Completed', 'Job completed', 'job-controller');
      } else if (failed > (job.spec.backoffLimit ?? 6)) {
        conditions.push(
          { type: 'FailureTarget', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
          { type: 'Failed', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        );
        for (const p of active) ctx.remove(p);
        active.length = 0;
        ctx.events.record(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller');
      } else {
        const parallel = Math.min(job.spec.parallelism ?? 1, completions - succeeded);
        for (let i = active.length; i < parallel; i++) {
          const name = `${job.metadata.name}-${ctx.nextSuffix(job.metadata.name)}`;
          const r = ctx.createPod(job, job.spec.template, name);
          if (r.forbidden) {
            ctx.events.recordOnce(job, 'Warning', 'FailedCreate', `Error creating: ${r.forbidden}`, 'job-controller');
            break;
          }
          ctx.usedSuffix(job.metadata.name);
          active.push(r.pod!);
          ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'job-controller');
        }
      }
    }
    status.active = active.length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.ready = active.filter(isPodReady).length;
    status.terminating = 0;
    if (conditions.length) status.conditions = conditions;
    omitZero(status, ['active', 'succeeded', 'failed']);
    next.status = status;
    ctx.save(job, next);
  }
}
