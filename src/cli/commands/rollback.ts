import { resolve } from 'node:path';
import { createRedactor } from '../../core/redact.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { CLUSTER_OPTIONS, clusterOpts, parseSeconds, printStop, progressTo, releaseFailure } from './deploy.js';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Roll back to an earlier image from history: plan first, apply with --confirm, then verify and record',
  usage: [
    'Usage: sealos-deploy rollback [dir] [--to image] [--acknowledge-forward-repair] [--confirm] [--plan-id id]',
    '                              [--kubeconfig f] [--input K=V]... [--inputs-file f] [--reason text] [--timeout s] [--json]',
    '',
    '  --to image                    an image from .sealos/state.json history (default: the previous one)',
    '  --acknowledge-forward-repair  roll back across a database migration without a completed backup;',
    '                                the database keeps the newer schema and you fix it forward',
    '  --input / --inputs-file       the template inputs (secrets) the app runs with',
    'Exit codes: 0 rolled out (then verify and record), 1 STOP / needs DB acknowledgment / rollout failed, 3 plan shown.',
  ].join('\n'),
  options: {
    ...CLUSTER_OPTIONS,
    to: { type: 'string' },
    'acknowledge-forward-repair': { type: 'boolean' },
    confirm: { type: 'boolean' },
    'plan-id': { type: 'string' },
    input: { type: 'string', multiple: true },
    'inputs-file': { type: 'string' },
    reason: { type: 'string' },
    domain: { type: 'string' },
    timeout: { type: 'string' },
  },
  async run(values, positionals, io) {
    const json = Boolean(values.json);
    const redactor = createRedactor();
    const [{ collectInputs }, { rollback }] = await Promise.all([import('../../ops/inputs.js'), import('../../ops/rollback.js')]);
    const inputs = await collectInputs({ pairs: (values.input as string[] | undefined) ?? [], ...(typeof values['inputs-file'] === 'string' ? { file: resolve(io.cwd, values['inputs-file']) } : {}), redactor });
    let out;
    try {
      out = await rollback(resolve(io.cwd, positionals[0] ?? '.'), {
        ...clusterOpts(values, io),
        ...(typeof values.to === 'string' ? { to: values.to } : {}),
        acknowledgeForwardRepair: values['acknowledge-forward-repair'] === true,
        confirm: values.confirm === true,
        ...(typeof values['plan-id'] === 'string' ? { planId: values['plan-id'] } : {}),
        ...(typeof values.reason === 'string' ? { reason: values.reason } : {}),
        ...(typeof values.domain === 'string' ? { domain: values.domain } : {}),
        ...(values.timeout !== undefined ? { timeoutMs: parseSeconds(values.timeout, '--timeout')! } : {}),
        inputs,
        redactor,
        progress: progressTo(io, redactor, json),
      });
    } catch (err) {
      return releaseFailure(io, err, json);
    }
    if (out.outcome === 'stopped') return printStop(io, out.decision, json, out.next);
    if (json) {
      printJson(io, out);
      return out.outcome === 'planned' ? EXIT.planOnly : EXIT.ok;
    }
    if (out.outcome === 'planned') {
      const p = out.plan;
      const lines = [
        `ROLLBACK ${p.app_name} in ${p.namespace}: ${p.from} → ${p.to}`,
        `  target:     release of ${p.target.image} at ${p.target.at}${p.target.git_commit ? ` (commit ${p.target.git_commit.slice(0, 12)})` : ''}`,
        `  undoes:     ${p.entries.map((e) => `${e.action} ${e.image} (${e.at})`).join('; ') || 'nothing'}`,
        `  migrations: ${p.migrations}${p.needs_db_ack ? (p.backup ? `; restore backup ${p.backup.name} first` : '; forward repair acknowledged') : ''}`,
        `  plan:       ${p.summary}`,
      ];
      const rows = p.changes.filter((c) => c.action !== 'unchanged').map((c) => [c.action, `${c.kind}/${c.name}`, c.changed.slice(0, 6).join(', ')]);
      if (rows.length) lines.push(table(rows).trimEnd().replace(/^/gm, '    '));
      for (const w of p.warnings) lines.push(`  warning: ${w}`);
      lines.push(`  plan id:    ${p.plan_id}`, `Nothing changed. ${out.next}`);
      io.stdout(lines.join('\n') + '\n');
      return EXIT.planOnly;
    }
    io.stdout(`Rolled back ${out.app_name} in ${out.namespace} to ${out.to} (${out.rollout.ready}/${out.rollout.desired} ready); url ${out.url ?? '(none)'}.\nNext: ${out.next}.\n`);
    return EXIT.ok;
  },
};
