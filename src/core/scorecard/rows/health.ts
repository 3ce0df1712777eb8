import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/** Section 5: a cheap health endpoint, probes that use it, and a probe that actually answered. */
export function healthRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Health and readiness');
  const { a } = ctx;
  if (a.kind === 'worker') return b.notNeeded('analysis', 'kind', 'a background worker serves no HTTP traffic, so it has no health endpoint or readiness probe');
  b.findings(a, ['health-endpoint', 'health-fast']);
  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  const w = t?.workload;
  if (t && w) {
    const r = w.probes.readiness;
    if (!r) b.block('template', 'readinessProbe', 'the container has no readiness probe', 'Re-render with `sealos-deploy render` so traffic waits for readiness');
    else if (r.type === 'http') b.add('template', 'readinessProbe', 'pass', `readiness probes GET ${r.path ?? '/'} on port ${String(r.port)}`);
    else b.add('template', 'readinessProbe', 'warn', `readiness is a ${r.type} probe only; add GET /healthz and render again`);
    if (w.probes.startup) b.add('template', 'startupProbe', 'pass', 'a startup probe covers boot and migrations');
    else b.add('template', 'startupProbe', 'warn', 'no startup probe: slow boots may be restarted by liveness');
  } else if (t) b.gap('Re-render the template with `sealos-deploy render` (it has no app workload)');

  const pattern = CHECK_PATTERNS['Health and readiness']!;
  const local = b.checks(ctx.rehearsal, 'rehearsal', pattern, 'Make the health endpoint answer 200 quickly');
  const live = b.checks(ctx.truth, 'runtime-truth', pattern, 'Make the health endpoint answer 200 quickly in the cluster');
  if (local.passed === 0 && live.passed === 0) b.gap(RUN.rehearse);
  return b.done();
}
