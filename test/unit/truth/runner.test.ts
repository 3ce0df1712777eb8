import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact.js';
import { decideVerdict, runChecks, type CheckOutcome, type TruthCheck } from '../../../src/core/truth/runner.js';
import { FakeClock, flush } from './fake-clock.js';

type Ctx = { log: string[] };
const outcome = (status: CheckOutcome['status'], summary: string = status): CheckOutcome => ({ status, summary });

/** A check that sleeps `ms` on the test clock, then returns `result`. */
function sleeper(id: string, ms: number, result: CheckOutcome, extra: Partial<TruthCheck<Ctx>> = {}): TruthCheck<Ctx> {
  return {
    id,
    required: true,
    ...extra,
    async run({ clock, signal, data }) {
      data.log.push(`start ${id}`);
      if (ms > 0) await clock.sleep(ms, signal);
      data.log.push(`end ${id}`);
      return result;
    },
  };
}

describe('runChecks', () => {
  it('runs independent checks concurrently and dependent ones in order', async () => {
    const clock = new FakeClock();
    const data: Ctx = { log: [] };
    const p = runChecks([sleeper('a', 1000, outcome('pass')), sleeper('b', 1000, outcome('pass')), sleeper('c', 500, outcome('pass'), { dependsOn: ['a', 'b'] })], { budgetMs: 10_000, data, clock });
    await clock.advance(1000);
    expect(data.log).toEqual(['start a', 'start b', 'end a', 'end b', 'start c']);
    await clock.advance(500);
    const r = await p;
    expect(r.checks.map((c) => [c.id, c.status, c.duration_ms])).toEqual([
      ['a', 'pass', 1000],
      ['b', 'pass', 1000],
      ['c', 'pass', 500],
    ]);
    expect(r.duration_ms).toBe(1500);
    expect(r.verdict).toBe('accepted');
    expect(r.interrupted).toBe(false);
  });

  it('skips a check whose dependency failed, with the reason, but runs `after` checks anyway', async () => {
    const clock = new FakeClock();
    const r = await runChecks(
      [sleeper('a', 0, outcome('fail', 'broken')), sleeper('b', 0, outcome('pass'), { dependsOn: ['a'] }), sleeper('c', 0, outcome('pass'), { after: ['a'], required: false })],
      { budgetMs: 1000, data: { log: [] }, clock },
    );
    const b = r.checks.find((c) => c.id === 'b');
    expect(b).toMatchObject({ status: 'skip', skip_reason: 'needs a, which failed' });
    expect(r.checks.find((c) => c.id === 'c')?.status).toBe('pass');
    expect(r).toMatchObject({ verdict: 'rejected', blocking: ['a', 'b'] });
  });

  it('fails a check still running at the budget as timed out and aborts its signal, without hanging', async () => {
    const clock = new FakeClock();
    let sawAbort = false;
    const neverEnds: TruthCheck<Ctx> = {
      id: 'stuck',
      required: true,
      run: ({ signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (sawAbort = true));
        }),
    };
    const p = runChecks([neverEnds, sleeper('slow', 60_000, outcome('pass')), sleeper('later', 0, outcome('pass'), { after: ['slow'] })], { budgetMs: 5000, data: { log: [] }, clock });
    await clock.advance(5000);
    const r = await p;
    expect(sawAbort).toBe(true);
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['stuck', 'fail'],
      ['slow', 'fail'],
      ['later', 'skip'],
    ]);
    expect(r.checks[0]?.summary).toMatch(/timed out/);
    expect(r.checks[0]?.duration_ms).toBe(5000);
    expect(r.checks[2]?.skip_reason).toBe('time budget exhausted');
    expect(r.interrupted).toBe(true);
    expect(r.verdict).toBe('rejected');
  });

  it('turns a throwing check into a fail with its message redacted, and redacts evidence deeply', async () => {
    const redactor = createRedactor(['hunter2-secret']);
    const r = await runChecks(
      [
        { id: 'boom', required: true, run: async () => Promise.reject(new Error('login failed for postgres://app:hunter2-secret@db:5432/x')) },
        { id: 'ev', required: false, run: async () => ({ status: 'pass', summary: 'saw hunter2-secret', evidence: { lines: ['token=hunter2-secret'], headers: { authorization: 'Bearer abc' } } }) },
      ],
      { budgetMs: 1000, data: { log: [] }, clock: new FakeClock(), redactor },
    );
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2-secret');
    expect(r.checks[0]).toMatchObject({ status: 'fail', summary: 'check failed: login failed for postgres://app:[REDACTED]@db:5432/x' });
    expect(r.checks[1]?.summary).toBe('saw [REDACTED]');
    expect(r.checks[1]?.evidence).toEqual({ lines: ['token=[REDACTED]'], headers: { authorization: '[REDACTED]' } });
  });

  it('stops when the caller cancels', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = runChecks([sleeper('a', 10_000, outcome('pass')), sleeper('b', 0, outcome('pass'), { dependsOn: ['a'] })], { budgetMs: 60_000, data: { log: [] }, clock, signal: ac.signal });
    await flush();
    ac.abort();
    const r = await p;
    expect(r.checks.map((c) => [c.id, c.status, c.summary])).toEqual([
      ['a', 'fail', 'cancelled while running'],
      ['b', 'skip', 'cancelled before it could run'],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('reports progress once per finished check with counts', async () => {
    const seen: Array<[string, number | undefined, number | undefined]> = [];
    await runChecks([sleeper('a', 0, outcome('pass', 'fine')), sleeper('b', 0, outcome('warn', 'slow'))], {
      budgetMs: 1000,
      data: { log: [] },
      clock: new FakeClock(),
      progress: (m, done, total) => seen.push([m, done, total]),
    });
    const finished = seen.filter(([m]) => !m.startsWith('RUN '));
    expect(finished.map(([m, d, t]) => [m.replace(/\(\d+ ms\)/, ''), d, t])).toEqual([
      ['PASS a: fine ', 1, 2],
      ['WARN b: slow ', 2, 2],
    ]);
  });

  it('rejects malformed check lists', async () => {
    const opts = { budgetMs: 10, data: { log: [] }, clock: new FakeClock() };
    await expect(runChecks([sleeper('a', 0, outcome('pass')), sleeper('a', 0, outcome('pass'))], opts)).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(runChecks([sleeper('a', 0, outcome('pass'), { dependsOn: ['zz'] })], opts)).rejects.toThrow(/unknown check "zz"/);
    await expect(runChecks([sleeper('a', 0, outcome('pass'), { after: ['b'] }), sleeper('b', 0, outcome('pass'), { dependsOn: ['a'] })], opts)).rejects.toThrow(/wait for each other/);
  });
});

describe('decideVerdict', () => {
  const c = (id: string, status: 'pass' | 'fail' | 'warn' | 'skip', required: boolean) => ({ id, status, required, summary: '', evidence: {}, duration_ms: 0, skip_reason: status === 'skip' ? 'x' : null });
  it('accepts when every required check passed or warned; optional failures do not block', () => {
    expect(decideVerdict([c('a', 'pass', true), c('b', 'warn', true), c('o', 'fail', false), c('s', 'skip', false)])).toMatchObject({ verdict: 'accepted', blocking: [] });
  });
  it('rejects a skipped required check and an empty list', () => {
    expect(decideVerdict([c('a', 'pass', true), c('b', 'skip', true)])).toMatchObject({ verdict: 'rejected', blocking: ['b'] });
    expect(decideVerdict([]).verdict).toBe('rejected');
  });
});
