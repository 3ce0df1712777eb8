import { createRedactor } from '../../../redact.js';
import type { TruthCheck } from '../../runner.js';
import type { LocalRehearsalData } from '../context.js';

/** No secret value the service was given (placeholders included) appears in its output or in install/build output. */
export function noSecretInLogsCheck(required: boolean, after: string[]): TruthCheck<LocalRehearsalData> {
  return {
    id: 'no-secret-in-logs',
    required,
    after,
    async run({ data }) {
      if (data.secrets.length === 0) return { status: 'skip', summary: 'no secret values in play', skipReason: 'the service was given no secret values to look for' };
      const detectors = data.secrets.map((s) => ({ name: s.name, r: createRedactor([s.value]) }));
      const lines = [
        ...data.setupOutput.map((l) => ({ source: l.step, stream: l.stream, text: l.text })),
        ...(data.proc?.lines() ?? []).map((l) => ({ source: 'service', stream: l.stream, text: l.text })),
      ];
      const leaks: Array<{ source: string; stream: string; line_number: number; env: string[]; line: string }> = [];
      lines.forEach((l, i) => {
        const names = detectors.filter((d) => d.r.redact(l.text) !== l.text).map((d) => d.name);
        // The runner redacts `line` before it reaches the report.
        if (names.length) leaks.push({ source: l.source, stream: l.stream, line_number: i + 1, env: names, line: l.text.slice(0, 300) });
      });
      const checked = data.secrets.map((s) => s.name).sort();
      if (leaks.length === 0) return { status: 'pass', summary: `none of ${checked.length} secret value(s) appeared in ${lines.length} output line(s)`, evidence: { env_checked: checked, lines_scanned: lines.length } };
      const names = [...new Set(leaks.flatMap((l) => l.env))].sort();
      return {
        status: 'fail',
        summary: `the value of ${names.join(', ')} was printed (${leaks.length} line(s)): never log secrets`,
        evidence: { env_checked: checked, lines_scanned: lines.length, leaks: leaks.slice(0, 10) },
      };
    },
  };
}
