import type { TruthCheck } from '../../runner.js';
import { LOOPBACK, seconds, within, type LocalRehearsalData } from '../context.js';
import { describeExit } from './start.js';

/** The service keeps running as one foreground process for the whole stability window. */
export function staysUpCheck(): TruthCheck<LocalRehearsalData> {
  return {
    id: 'stays-up',
    required: true,
    dependsOn: ['start'],
    async run({ data, signal, clock }) {
      const proc = data.proc!;
      const exitedEarly = (await within(proc.exited, data.stabilityMs, clock, signal)) !== null;
      if (exitedEarly) {
        const exit = await describeExit(proc, data.analysis.database);
        return { status: 'fail', summary: `${exit.summary}, inside the ${seconds(data.stabilityMs)} stability window`, evidence: { window_ms: data.stabilityMs, ...exit.evidence } };
      }
      const members = await proc.groupMembers();
      const accepting = await data.system.sockets.canConnect(LOOPBACK, data.port, 1000);
      const evidence = { window_ms: data.stabilityMs, pid: proc.pid, processes_in_group: members?.length ?? null, accepting_at_end: accepting };
      if (!accepting) return { status: 'fail', summary: `still running but stopped accepting connections on port ${data.port} during the window`, evidence };
      return { status: 'pass', summary: `stayed up for ${seconds(data.stabilityMs)} and kept accepting connections`, evidence };
    },
  };
}
