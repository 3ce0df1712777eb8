import { createRedactor } from '../../../redact.js';
import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { excerpt, type ClusterTruthData, type Snapshot } from '../context.js';

function logLines(snap: Snapshot, label: string): Array<{ source: string; text: string }> {
  const out: Array<{ source: string; text: string }> = [];
  for (const [key, lines] of snap.logs) for (const text of lines) out.push({ source: `${key} (${label})`, text });
  for (const [key, lines] of snap.previous) for (const text of lines) out.push({ source: `${key} (previous run)`, text });
  for (const [key, lines] of snap.init) for (const text of lines) out.push({ source: `${key} (init)`, text });
  return out;
}

/**
 * No secret value in play (inputs, the app's Secret data, the database password) appears in any log
 * line of any container (current, previous run, init/migration) or in a smoke response body. The
 * leaking lines go into evidence only after the runner redacted them.
 */
export function secretsCheck(after: string[]): TruthCheck<ClusterTruthData> {
  return {
    id: 'secrets',
    required: true,
    dependsOn: ['identity'],
    after,
    async run({ data, signal }): Promise<CheckOutcome> {
      const values = [...data.inputSecrets.map((value, i) => ({ source: `input value #${i + 1}`, value })), ...data.secretValues];
      const unreadable = data.secretsUnreadable;
      const before = await data.baseline();
      const final = await data.afterWindow(signal);
      const lines = [...logLines(before, 'at baseline'), ...logLines(final, 'after window')];
      const bodies = data.smoke.filter((s) => s.body).map((s) => ({ source: `response body of GET ${s.path}`, text: s.body }));
      const detectors = values.map((v) => ({ source: v.source, r: createRedactor([v.value]) })).filter((d) => d.r.size > 0);
      const leaks: Array<{ where: string; secret: string[]; line: string }> = [];
      const seen = new Set<string>();
      for (const l of [...lines, ...bodies]) {
        const hits = detectors.filter((d) => d.r.redact(l.text) !== l.text).map((d) => d.source);
        const key = `${l.source.replace(/ \((at baseline|after window)\)$/, '')}\u0000${l.text}`;
        if (hits.length === 0 || seen.has(key)) continue;
        seen.add(key);
        leaks.push({ where: l.source, secret: hits, line: excerpt(l.text) });
      }
      const evidence = {
        secret_values_checked: detectors.length,
        secret_sources: [...new Set(values.map((v) => v.source))].sort(),
        lines_scanned: lines.length,
        bodies_scanned: bodies.length,
        leaks: leaks.slice(0, 10),
        unreadable,
      };
      if (leaks.length) {
        const names = [...new Set(leaks.flatMap((l) => l.secret))].sort();
        return { status: 'fail', summary: `${leaks.length} log line(s) or response(s) print a secret value (${names.join('; ')}): never log secrets; rotate the exposed value`, evidence };
      }
      if (unreadable.length)
        return { status: 'warn', summary: `no leak among ${detectors.length} secret value(s), but Secret(s) ${unreadable.map((u) => u.secret).join(', ')} could not be read, so their values were not checked`, evidence };
      if (detectors.length === 0) return { status: 'pass', summary: `no secret values in play, nothing could leak (${lines.length} log line(s) read)`, evidence };
      return { status: 'pass', summary: `none of ${detectors.length} secret value(s) appears in ${lines.length} log line(s) or ${bodies.length} response(s)`, evidence };
    },
  };
}
