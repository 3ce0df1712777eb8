import type { TruthCheck } from '../../runner.js';
import type { LocalRehearsalData } from '../context.js';

/** Startup logs name the port: the first thing an operator looks for when a probe fails. */
export function startupLogCheck(): TruthCheck<LocalRehearsalData> {
  return {
    id: 'startup-log-port',
    required: false,
    dependsOn: ['start'],
    after: ['stays-up'],
    async run({ data }) {
      const lines = data.proc?.lines() ?? [];
      const re = new RegExp(`(^|[^0-9])${data.port}([^0-9]|$)`);
      const idx = lines.findIndex((l) => re.test(l.text));
      if (idx >= 0) {
        const line = lines[idx]!;
        return { status: 'pass', summary: `startup log names port ${data.port}`, evidence: { line_number: idx + 1, stream: line.stream, line: line.text.slice(0, 300), at_ms: line.at_ms } };
      }
      return {
        status: 'warn',
        summary: `no log line names port ${data.port}: log "listening on port <PORT>" once the server is ready`,
        evidence: { lines_seen: lines.length, first_lines: lines.slice(0, 5).map((l) => l.text.slice(0, 300)) },
      };
    },
  };
}
