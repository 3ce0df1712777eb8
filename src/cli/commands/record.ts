import { resolve } from 'node:path';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { CLUSTER_OPTIONS, clusterOpts } from './deploy.js';

export const recordCommand: Command = {
  name: 'record',
  summary: 'Record the verified release in .sealos/state.json (only with an accepted Runtime Truth report), or repair state from live',
  usage: [
    'Usage: sealos-deploy record [dir] [--json]',
    '       sealos-deploy record [dir] --repair-from-live [--app name] [--kubeconfig f] [--confirm] [--json]',
    '',
    '  record                  writes the last deploy/update/rollback after `sealos-deploy verify` accepted it',
    '  --repair-from-live      rebuild last_deploy from the live cluster (shown first; written with --confirm)',
    '  --app name              the app to adopt (default: the one state.json names)',
  ].join('\n'),
  options: {
    ...CLUSTER_OPTIONS,
    'repair-from-live': { type: 'boolean' },
    app: { type: 'string' },
    confirm: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const { recordState } = await import('../../ops/record.js');
    const out = await recordState(resolve(io.cwd, positionals[0] ?? '.'), {
      ...clusterOpts(values, io),
      repairFromLive: values['repair-from-live'] === true,
      ...(typeof values.app === 'string' ? { app: values.app } : {}),
      confirm: values.confirm === true,
    });
    if (values.json) printJson(io, out);
    if (out.outcome === 'repair-planned') {
      if (!values.json) {
        const p = out.preview;
        const lines = [`State repair from the live cluster${p.current_problems.length ? ` (current state.json is unreadable: ${p.current_problems.join('; ')})` : ''}:`];
        lines.push(p.changes.length ? table([['field', 'recorded', 'live'], ...p.changes.map((c) => [c.field, c.recorded ?? '(none)', c.live ?? '(none)'])]).trimEnd().replace(/^/gm, '  ') : '  no change to last_deploy (an "adopted" history entry is added)');
        lines.push(`Nothing written. ${out.next}`);
        io.stdout(lines.join('\n') + '\n');
      }
      return EXIT.planOnly;
    }
    if (!values.json) {
      if (out.outcome === 'repaired') io.stdout(`Repaired ${out.path}${out.archived_path ? ` (previous file kept as ${out.archived_path})` : ''}: ${out.state.last_deploy.app_name} ${out.state.last_deploy.image}\n`);
      else io.stdout(`Recorded the ${out.action} of ${out.app_name} (${out.image}) in ${out.path}${out.url ? `; url ${out.url}` : ''}.\n`);
    }
    return EXIT.ok;
  },
};
