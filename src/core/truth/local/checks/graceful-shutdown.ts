import type { HttpResponse } from '../../../ports.js';
import type { TruthCheck } from '../../runner.js';
import { LOOPBACK, seconds, within, type LocalRehearsalData } from '../context.js';

/** Give the in-flight request time to reach the handler before SIGTERM arrives. */
const IN_FLIGHT_HEAD_START_MS = 250;

/**
 * Kubernetes sends SIGTERM, then SIGKILL after the grace period: the service must finish the request
 * it is serving and exit (0, or 143 = killed by SIGTERM) well within it.
 */
export function gracefulShutdownCheck(after: string[]): TruthCheck<LocalRehearsalData> {
  return {
    id: 'graceful-shutdown',
    required: true,
    dependsOn: ['start'],
    after,
    async run({ data, signal, clock }) {
      const proc = data.proc!;
      if (proc.exitInfo()) return { status: 'skip', summary: 'the service had already exited (see stays-up)', skipReason: 'the process was no longer running' };
      const url = `http://${LOOPBACK}:${data.port}${data.inFlightPath}`;
      const reqStart = clock.now().getTime();
      let answeredAt: number | null = null;
      const inFlight = data.http.request(url, { timeoutMs: data.shutdownGraceMs + 2000, signal }).then(
        (res: HttpResponse) => {
          answeredAt = clock.now().getTime();
          return { ok: true as const, status: res.status, duration_ms: res.durationMs };
        },
        (err: { code?: string; message?: string }) => ({ ok: false as const, error: { code: err.code ?? null, message: err.message ?? String(err) } }),
      );
      await clock.sleep(IN_FLIGHT_HEAD_START_MS, signal);
      const sigtermAt = clock.now().getTime();
      proc.signalGroup('SIGTERM');

      // Wait for the leader and everything in its group to be gone.
      const deadline = sigtermAt + data.shutdownGraceMs;
      let members: number[] | null = null;
      let exited = (await within(proc.exited, data.shutdownGraceMs, clock, signal)) !== null;
      if (exited) {
        for (;;) {
          members = await proc.groupMembers();
          if (members === null || members.length === 0 || clock.now().getTime() >= deadline) break;
          await clock.sleep(100, signal);
        }
      }
      const stoppedAt = clock.now().getTime() - sigtermAt;
      const exit = proc.exitInfo();
      const request = await within(inFlight, Math.max(500, deadline - clock.now().getTime() + 1000), clock, signal);
      const evidence = {
        signal: 'SIGTERM to the process group',
        grace_ms: data.shutdownGraceMs,
        stopped_after_ms: exited ? stoppedAt : null,
        exit_code: exit?.code ?? null,
        exit_signal: exit?.signal ?? null,
        processes_left: members?.length ?? null,
        in_flight: {
          request: { method: 'GET', url },
          ...(request ? request.value : { ok: false, error: { message: 'no answer' } }),
          answered_before_sigterm: answeredAt !== null && answeredAt <= sigtermAt,
          started_before_sigterm_ms: sigtermAt - reqStart,
        },
        log_tail: proc.lines().slice(-10).map((l) => l.text.slice(0, 300)),
      };
      if (!exited) return { status: 'fail', summary: `still running ${seconds(data.shutdownGraceMs)} after SIGTERM: it ignores SIGTERM or never closes the server; handle SIGTERM with server.close() then exit`, evidence };
      if (members && members.length > 0)
        return { status: 'fail', summary: `the start command exited but ${members.length} process(es) were still running ${seconds(data.shutdownGraceMs)} after SIGTERM`, evidence };
      const cleanExit = exit?.code === 0 || exit?.code === 143 || exit?.signal === 'SIGTERM';
      if (!cleanExit) return { status: 'fail', summary: `exited with ${exit?.signal ?? `code ${exit?.code}`} after SIGTERM (expected 0 or 143)`, evidence };
      if (!request || !request.value.ok)
        return { status: 'fail', summary: `stopped after ${stoppedAt} ms but dropped the in-flight request to ${data.inFlightPath}: close the server and let requests finish before exiting`, evidence };
      return { status: 'pass', summary: `stopped ${stoppedAt} ms after SIGTERM; the in-flight request to ${data.inFlightPath} got ${request.value.status}`, evidence };
    },
  };
}
