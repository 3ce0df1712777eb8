import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/**
 * "Intentional" capacity: replicas and requests/limits are explicit, and work that must not run twice
 * (background jobs, in-memory sessions) is either fine or acknowledged by a single replica.
 */
export function scalingRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Scaling');
  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  const w = t?.workload ?? null;
  if (t && !w) b.gap('Re-render the template with `sealos-deploy render` (it has no app workload)');
  const max = w ? Math.max(w.replicas ?? 0, Number(w.maxReplicas ?? 0)) : null;
  if (w) {
    if (w.replicas === null) b.block('template', 'spec.replicas', 'replicas are not set explicitly', 'Render with --replicas <n>');
    else b.add('template', 'spec.replicas', 'pass', `${w.replicas} replica(s), scaling between ${w.minReplicas ?? '?'} and ${w.maxReplicas ?? '?'}`);
    const r = w.resources;
    const unset = [
      ['requests.cpu', r.requests.cpu],
      ['requests.memory', r.requests.memory],
      ['limits.cpu', r.limits.cpu],
      ['limits.memory', r.limits.memory],
    ].filter(([, v]) => v === null);
    if (unset.length) b.block('template', 'resources', `unset: ${unset.map(([k]) => k).join(', ')}`, 'Render with --cpu and --memory so requests and limits are explicit');
    else b.add('template', 'resources', 'pass', `requests ${r.requests.cpu}/${r.requests.memory}, limits ${r.limits.cpu}/${r.limits.memory}`);
  }

  for (const f of ctx.a.findings.filter((x) => x.id === 'background-work' || x.id === 'memory-sessions')) {
    if (f.status === 'pass') b.add('analysis', `findings.${f.id}`, 'pass', f.message);
    else if (max === null) b.add('analysis', `findings.${f.id}`, f.status, f.message);
    else if (max <= 1) b.add('analysis', `findings.${f.id}`, 'warn', `acknowledged by a single replica: ${f.message} Before scaling out: ${f.fix ?? 'make it safe for several replicas'}`);
    else b.block('analysis', `findings.${f.id}`, `${f.message} (up to ${max} replicas)`, f.fix ?? 'Make this safe for several replicas, or render with --replicas 1');
  }
  if (ctx.a.database.engine === 'postgres' && max !== null && max > 1) {
    b.add('analysis', 'database', 'warn', 'several replicas share PostgreSQL: size the connection pool so replicas × pool stays under the server limit');
  }
  b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS.Scaling!, 'Set requests and limits from the observed footprint (render --cpu/--memory)');
  return b.done();
}
