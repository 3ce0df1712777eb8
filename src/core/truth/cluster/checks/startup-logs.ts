import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { excerpt, mainKeys, type ClusterTruthData, type LiveFacts } from '../context.js';
import { portLine, readinessLine } from '../log-signals.js';

/** Startup output names the port and says the service is ready: what an operator looks for first. */
export function startupLogsCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'startup-logs',
    required: false,
    dependsOn: ['identity'],
    async run({ data }): Promise<CheckOutcome> {
      const live = data.live as LiveFacts;
      const port = live.port ?? data.analysis?.port.value ?? null;
      const snap = await data.baseline();
      const pods = mainKeys(live, snap.pods).map((key) => {
        const lines = snap.logs.get(key) ?? [];
        const p = port === null ? -1 : portLine(lines, port);
        const r = readinessLine(lines);
        return { key, lines: lines.length, port_line: p >= 0 ? excerpt(lines[p] as string) : null, ready_line: r >= 0 ? excerpt(lines[r] as string) : null, first_lines: p < 0 && r < 0 ? lines.slice(0, 5).map((l) => excerpt(l)) : undefined };
      });
      const evidence = { port, pods, log_errors: snap.logErrors };
      if (pods.length === 0) return { status: 'warn', summary: 'no pod logs to read', evidence };
      const noPort = pods.filter((p) => !p.port_line);
      const noReady = pods.filter((p) => !p.ready_line);
      if (noPort.length === 0 && noReady.length === 0) return { status: 'pass', summary: `startup logs name port ${port} and say the service is ready (${pods.length} pod(s))`, evidence };
      const gaps = [
        ...(noPort.length ? [port === null ? 'no container port is declared to look for' : `${noPort.length} pod(s) never log port ${port}`] : []),
        ...(noReady.length ? [`${noReady.length} pod(s) never log that they are listening/ready`] : []),
      ];
      return { status: 'warn', summary: `${gaps.join('; ')}: log "listening on port <PORT>" once the server is ready`, evidence };
    },
  };
}
