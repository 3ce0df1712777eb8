import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/** A persistent volume when the service keeps files; not needed when it keeps none. */
export function storageRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Storage');
  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  if (!t) return b.done();
  const w = t.workload;
  const claims = (w?.claimNames.length ?? 0) + t.pvcs;
  const sqlite = ctx.a.databases.some((d) => d.engine === 'sqlite') || ctx.a.database.engine === 'sqlite';
  if (claims === 0) {
    if (sqlite) {
      b.block('analysis', 'database.engine', 'SQLite keeps its data in a file, and the template has no persistent volume: data is lost on every restart', 'Render with --volume <data dir>:1Gi so the database file survives restarts');
      return b.done();
    }
    const uploads = ctx.a.findings.find((f) => f.id === 'local-uploads' && f.status !== 'pass');
    if (uploads) {
      b.block('analysis', 'findings.local-uploads', `${uploads.message.replace(/\.$/, '')}, and the template has no persistent volume`, uploads.fix ?? 'Render with --volume <uploads dir>:1Gi, or store uploads in object storage');
      return b.done();
    }
    return b.notNeeded('template', 'volumeClaimTemplates', 'the template declares no persistent volume');
  }
  const mounted = w?.volumeMounts.filter((m) => w.claimNames.includes(m.name)) ?? [];
  if (w && w.claimNames.length && mounted.length === 0) b.block('template', 'volumeMounts', 'a volume claim is declared but the app container does not mount it', 'Re-render with `sealos-deploy render --volume <path>:<size>`');
  for (const m of mounted) b.add('template', 'volumeMounts', 'pass', `persistent volume ${m.name} mounted at ${m.mountPath}`);
  if (w?.kind === 'StatefulSet') b.add('template', 'kind', 'pass', 'a StatefulSet keeps the volume attached to its pod');
  b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS.Storage!, 'Fix the volume (claim bound, mounted, writable)');
  return b.done();
}
