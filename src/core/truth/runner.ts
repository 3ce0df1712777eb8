import { DeployError, isDeployError } from '../errors.js';
import { systemClock, noProgress, type Clock, type ProgressFn } from '../ports.js';
import { createRedactor, type Redactor } from '../redact.js';
import type { CheckResult, CheckStatus, Verdict } from '../state/runtime-truth-schema.js';

/**
 * Generic Truth Pass runner: checks run concurrently unless ordered, all under one time budget.
 * Used by the local rehearsal and the cluster Truth Pass; `T` is whatever shared context the checks need.
 */

export interface CheckOutcome {
  status: CheckStatus;
  summary: string;
  evidence?: Record<string, unknown>;
  /** Why the check did not run (status skip); defaults to the summary. */
  skipReason?: string;
}

export interface CheckContext<T> {
  /** Fires at the time budget or when the caller cancels; pass it to every wait and request. */
  signal: AbortSignal;
  data: T;
  clock: Clock;
  redactor: Redactor;
  /** Result of a check that already finished (a dependency or an `after` check). */
  result(id: string): CheckResult | undefined;
  progress: ProgressFn;
}

export interface TruthCheck<T> {
  id: string;
  /** A required check must pass or warn for the verdict to be accepted. */
  required: boolean;
  /** Runs after these pass (or warn); skipped when one fails or is skipped. */
  dependsOn?: string[];
  /** Runs after these finish, whatever their status (ordering without gating). */
  after?: string[];
  run(ctx: CheckContext<T>): Promise<CheckOutcome>;
}

export interface RunChecksOptions<T> {
  budgetMs: number;
  data: T;
  signal?: AbortSignal;
  progress?: ProgressFn;
  clock?: Clock;
  redactor?: Redactor;
}

export interface RunChecksResult {
  /** In the order the checks were given. */
  checks: CheckResult[];
  verdict: Verdict;
  verdict_reason: string;
  blocking: string[];
  started_at: string;
  finished_at: string;
  duration_ms: number;
  /** The budget ran out (or the caller cancelled) before every check finished on its own. */
  interrupted: boolean;
}

const passed = (s: CheckStatus) => s === 'pass' || s === 'warn';

/** accepted only when every required check passed or warned. */
export function decideVerdict(checks: CheckResult[]): { verdict: Verdict; verdict_reason: string; blocking: string[] } {
  const blocking = checks.filter((c) => c.required && !passed(c.status)).map((c) => c.id);
  if (checks.length === 0) return { verdict: 'rejected', verdict_reason: 'no checks ran', blocking };
  if (blocking.length === 0) {
    const warned = checks.filter((c) => c.status === 'warn').map((c) => c.id);
    const tail = warned.length ? `; warnings: ${warned.join(', ')}` : '';
    return { verdict: 'accepted', verdict_reason: `every required check passed${tail}`, blocking };
  }
  return { verdict: 'rejected', verdict_reason: `required checks did not pass: ${blocking.join(', ')}`, blocking };
}

function validate<T>(checks: TruthCheck<T>[]): void {
  const ids = new Set<string>();
  for (const c of checks) {
    if (ids.has(c.id)) throw new DeployError('INTERNAL', `Duplicate truth check id "${c.id}".`, 'Give every check a unique id.');
    ids.add(c.id);
  }
  for (const c of checks)
    for (const d of [...(c.dependsOn ?? []), ...(c.after ?? [])])
      if (!ids.has(d)) throw new DeployError('INTERNAL', `Truth check "${c.id}" waits for unknown check "${d}".`, 'Fix the check list.');
  // Cycle detection (depth-first, colouring).
  const byId = new Map(checks.map((c) => [c.id, c]));
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw new DeployError('INTERNAL', `Truth checks wait for each other: ${[...path, id].join(' → ')}.`, 'Fix the check order.');
    state.set(id, 1);
    const c = byId.get(id);
    for (const d of [...(c?.dependsOn ?? []), ...(c?.after ?? [])]) visit(d, [...path, id]);
    state.set(id, 2);
  };
  for (const c of checks) visit(c.id, []);
}

export async function runChecks<T>(checks: TruthCheck<T>[], opts: RunChecksOptions<T>): Promise<RunChecksResult> {
  validate(checks);
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const redactor = opts.redactor ?? createRedactor();
  const started = clock.now();
  const ms = (from: Date) => Math.max(0, clock.now().getTime() - from.getTime());

  const budget = new AbortController();
  const timerStop = new AbortController();
  let cancelled = false;
  const onCancel = () => {
    cancelled = true;
    budget.abort(new DeployError('CANCELLED', 'The Truth Pass was cancelled.', 'Re-run it when ready.'));
  };
  if (opts.signal?.aborted) onCancel();
  else opts.signal?.addEventListener('abort', onCancel, { once: true });
  clock
    .sleep(Math.max(0, opts.budgetMs), timerStop.signal)
    .then(() => {
      budget.abort(new DeployError('TIMEOUT', `The ${opts.budgetMs} ms time budget ran out.`, 'Raise the budget or fix the slow step.'));
    })
    .catch(() => {});
  const aborted = new Promise<void>((resolve) => {
    if (budget.signal.aborted) resolve();
    else budget.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  const results = new Map<string, CheckResult>();
  const done = new Map<string, Promise<CheckResult>>();
  const total = checks.length;
  let finished = 0;

  const finish = (id: string, required: boolean, t0: Date, o: CheckOutcome): CheckResult => {
    const status = o.status;
    const summary = redactor.redact(o.summary);
    const r: CheckResult = {
      id,
      status,
      required,
      summary,
      evidence: redactor.redactDeep(o.evidence ?? {}),
      duration_ms: ms(t0),
      skip_reason: status === 'skip' ? redactor.redact(o.skipReason ?? o.summary) : null,
    };
    results.set(id, r);
    finished++;
    progress(`${status.toUpperCase().padEnd(4)} ${id}: ${summary} (${r.duration_ms} ms)`, finished, total);
    return r;
  };

  const interruptedOutcome = (): CheckOutcome =>
    cancelled ? { status: 'skip', summary: 'cancelled before it could run', skipReason: 'cancelled' } : { status: 'skip', summary: 'the time budget ran out before it could run', skipReason: 'time budget exhausted' };

  const byId = new Map(checks.map((c) => [c.id, c]));
  const schedule = (check: TruthCheck<T>): Promise<CheckResult> => {
    const existing = done.get(check.id);
    if (existing) return existing;
    const p = (async () => {
      const waits = [...(check.dependsOn ?? []), ...(check.after ?? [])].map((d) => schedule(byId.get(d) as TruthCheck<T>));
      await Promise.all(waits);
      const t0 = clock.now();
      if (budget.signal.aborted) return finish(check.id, check.required, t0, interruptedOutcome());
      for (const d of check.dependsOn ?? []) {
        const dep = results.get(d);
        if (dep && !passed(dep.status)) {
          const why = `needs ${d}, which ${dep.status === 'fail' ? 'failed' : 'was skipped'}`;
          return finish(check.id, check.required, t0, { status: 'skip', summary: why, skipReason: why });
        }
      }
      progress(`RUN  ${check.id}`, finished, total);
      const ctx: CheckContext<T> = { signal: budget.signal, data: opts.data, clock, redactor, result: (id) => results.get(id), progress };
      // Settles either way, so a check that finishes (or throws) after the budget is never an unhandled rejection.
      const running = Promise.resolve()
        .then(() => check.run(ctx))
        .then(
          (o) => ({ ok: true as const, o }),
          (err: unknown) => ({ ok: false as const, err }),
        );
      const raced = await Promise.race([running, aborted.then(() => null)]);
      const timedOut: CheckOutcome = { status: 'fail', summary: `timed out: still running when the ${opts.budgetMs} ms budget ran out` };
      let outcome: CheckOutcome;
      if (raced === null || (!raced.ok && budget.signal.aborted)) {
        outcome = cancelled ? { status: 'fail', summary: 'cancelled while running' } : timedOut;
      } else if (raced.ok) {
        outcome = raced.o;
      } else {
        const err = raced.err;
        const message = err instanceof Error ? err.message : String(err);
        outcome = {
          status: 'fail',
          summary: `check failed: ${message}`,
          evidence: isDeployError(err) ? { error: { code: err.code, message: err.message, next: err.next } } : { error: { message } },
        };
      }
      if (outcome.status === 'skip' && !outcome.skipReason) outcome = { ...outcome, skipReason: outcome.summary };
      return finish(check.id, check.required, t0, outcome);
    })();
    done.set(check.id, p);
    return p;
  };

  try {
    await Promise.all(checks.map(schedule));
  } finally {
    timerStop.abort();
    opts.signal?.removeEventListener('abort', onCancel);
  }
  const ordered = checks.map((c) => results.get(c.id) as CheckResult);
  return {
    checks: ordered,
    ...decideVerdict(ordered),
    started_at: started.toISOString(),
    finished_at: clock.now().toISOString(),
    duration_ms: ms(started),
    interrupted: budget.signal.aborted,
  };
}
