import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';
import { shellWord } from '../../shell-word.js';

/** Section 3: every variable the service needs is wired into the container; env files stay out of git. */
export function environmentRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Environment variables');
  const { a } = ctx;
  b.findings(a, [...new Set(a.findings.filter((f) => f.section === 'environment').map((f) => f.id))]);
  for (const file of a.env_files.committed_env_files) {
    b.block('analysis', 'env_files.committed_env_files', `${file} with real values is tracked by git`, `Remove ${file} from git (git rm --cached ${shellWord(file)}), rotate its secrets and add it to .gitignore`);
  }
  const needed = a.env_vars.filter((v) => v.required && !v.public && v.class !== 'runtime-port').map((v) => v.name);
  if (a.database.env_key && !needed.includes(a.database.env_key)) needed.push(a.database.env_key);
  const publicVars = a.env_vars.filter((v) => v.public).map((v) => v.name);
  if (publicVars.length) b.add('analysis', 'env_vars.public', 'info', `build-time browser variables (never secrets): ${publicVars.join(', ')}`);

  const t = b.need(ctx.inputs.template, 'template', '.sealos/template/index.yaml', RUN.render);
  if (t?.workload) {
    const w = t.workload;
    const missing = needed.filter((n) => !w.envNames.includes(n));
    if (missing.length && !w.hasEnvFrom) {
      b.block('template', 'env', `the container does not set ${missing.join(', ')}`, 'Re-render with `sealos-deploy render` so every required variable is a template input or generated value');
    } else if (needed.length) b.add('template', 'env', 'pass', `the container sets every required variable: ${needed.join(', ')}`);
    else b.add('template', 'env', 'pass', 'the service needs no variable beyond the generated ones');
    if (t.inputs.length) b.add('template', 'spec.inputs', 'info', `given at deploy time (names only): ${t.inputs.join(', ')}`);
  } else if (t) b.gap('Re-render the template with `sealos-deploy render` (it has no app workload)');
  b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS['Environment variables']!, 'Provide the missing variables at deploy time');
  return b.done();
}
