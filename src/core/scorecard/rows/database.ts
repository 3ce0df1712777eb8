import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/**
 * Section 4: the service reads the generated key, migrations run before traffic (init container), and
 * the Truth Pass proved a read/write from the service. Local rehearsal cannot prove the database path.
 */
export function databaseRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Database and migrations');
  const { a } = ctx;
  if (!ctx.hasDatabase) return b.notNeeded('analysis', 'database', 'no database driver, ORM or connection variable was found');
  const db = a.database;
  b.add('analysis', 'database', 'info', `${db.engine ?? 'database'}${db.orm ? ` via ${db.orm}` : db.driver ? ` via ${db.driver}` : ''}, connection ${db.env_key ?? (db.env_keys.join(', ') || 'not found')}`);
  b.findings(a, [...new Set(a.findings.filter((f) => f.section === 'database').map((f) => f.id))]);

  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  const w = t?.workload;
  if (t && w) {
    if (db.engine === 'postgres' && !t.postgresCluster) b.block('template', 'Cluster', 'the template has no PostgreSQL cluster', 'Re-render with `sealos-deploy render`');
    if (db.engine !== null && db.engine !== 'postgres') {
      const external = db.env_key ?? db.env_keys[0] ?? null;
      if (external && (t.inputs.includes(external) || w.envNames.includes(external))) b.add('template', `env.${external}`, 'info', `${db.engine} is external: its connection comes from ${external}`);
      else b.block('template', 'env', `${db.engine} is not provisioned by the template and no connection variable is wired`, 'Re-render so the connection variable is a template input');
    }
    if (a.migrations.at_start) {
      b.add('template', 'migrations', 'pass', `the service applies its migrations itself when it starts (${a.migrations.at_start.file}:${a.migrations.at_start.line}): no migrate init container`);
    } else if (a.migrations.tool !== null) {
      const migrate = w.initContainers.find((c) => c.name === 'migrate');
      if (migrate || w.migrationAnnotation) {
        b.add('template', 'initContainers.migrate', 'pass', `migrations run before the app starts: ${w.migrationAnnotation ?? migrate?.command ?? a.migrations.command ?? a.migrations.tool}`);
      } else {
        b.block('template', 'initContainers', `${a.migrations.tool} migrations are not run before traffic reaches the new code`, 'Re-render with `sealos-deploy render` so a migrate init container runs first');
      }
    }
  }
  const live = b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS['Database and migrations']!, 'Fix the service-to-database path');
  if (ctx.truth && !ctx.truth.fresh) b.gap(RUN.reverify);
  else if (!ctx.truth) b.gap(`${RUN.verify}: only the live pass proves a service-to-database read/write`);
  else if (live.passed === 0 && live.failed === 0) b.gap('The last Truth Pass has no database check; run `sealos-deploy verify` again');
  return b.done();
}
