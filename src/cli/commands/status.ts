import { resolve } from 'node:path';
import { createRedactor } from '../../core/redact.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';
import { CLUSTER_OPTIONS, clusterOpts } from './deploy.js';

export const statusCommand: Command = {
  name: 'status',
  summary: "Show the app's live resources: workload, pods, URL, database, backups, warning events and recent logs",
  usage: [
    'Usage: sealos-deploy status [dir] [--kubeconfig f] [--app name] [--apps] [--namespace ns] [--json]',
    '',
    '  --app name       show this app instead of the one .sealos/state.json records',
    '  --apps           list the apps in the namespace by the label cloud.sealos.io/app-deploy-manager',
    '  --namespace ns   look in another namespace than the kubeconfig context (read only)',
  ].join('\n'),
  options: {
    ...CLUSTER_OPTIONS,
    app: { type: 'string' },
    apps: { type: 'boolean' },
    namespace: { type: 'string' },
  },
  async run(values, positionals, io) {
    const redactor = createRedactor();
    const { status } = await import('../../ops/status.js');
    const out = await status(resolve(io.cwd, positionals[0] ?? '.'), {
      ...clusterOpts(values, io),
      ...(typeof values.app === 'string' ? { app: values.app } : {}),
      ...(typeof values.namespace === 'string' ? { namespace: values.namespace } : {}),
      apps: values.apps === true,
      redactor,
    });
    if (values.json) {
      printJson(io, out);
      return EXIT.ok;
    }
    if (out.outcome === 'no-state') {
      const lines = [out.message];
      if (out.apps.length) lines.push(table([['app', 'workloads', 'ready', 'host'], ...out.apps.map((a) => [a.app_name, a.workloads.map((w) => `${w.kind}/${w.name}`).join(' '), a.workloads.map((w) => `${w.readyReplicas}/${w.replicas}`).join(' '), a.workloads.find((w) => w.host)?.host ?? '-'])]).trimEnd());
      io.stdout(lines.join('\n') + '\n');
      return EXIT.ok;
    }
    const s = out.status;
    const w = s.workload;
    const lines = [
      `${s.app_name} in ${s.namespace}: ${w ? `${w.kind} ${w.status}, ${w.ready}/${w.replicas} ready, ${s.restarts} restart(s)` : 'no workload'}`,
      `  url:      ${s.url ?? '(none)'}`,
      `  image:    ${w?.image ?? '(none)'}${out.recorded && w?.image !== out.recorded.image ? ` (recorded ${out.recorded.image})` : ''}`,
    ];
    if (out.note) lines.push(`  note:     ${out.note}`);
    if (w?.condition) lines.push(`  condition: ${w.condition}`);
    if (s.services.length) lines.push(`  service:  ${s.services.map((x) => `${x.name} ${x.ports.join(', ')}`).join('; ')}`);
    if (s.database) lines.push(`  database: ${s.database.name} ${s.database.phase ?? 'unknown'}`);
    if (s.backups.length) lines.push(`  backups:  ${s.backups.slice(-3).map((b) => `${b.name} ${b.phase ?? '?'}`).join(', ')}`);
    if (s.pods.length) lines.push(table([['pod', 'phase', 'ready', 'restarts', 'state', 'last exit'], ...s.pods.map((p) => [p.name, p.phase, p.ready ? 'yes' : 'no', String(p.restarts), p.state, p.last_termination_reason ?? '-'])]).trimEnd().replace(/^/gm, '  '));
    for (const d of out.drift) lines.push(`  drift: ${d}`);
    if (s.warning_events.length) lines.push('  warning events:', ...s.warning_events.map((e) => `    ${e}`));
    if (s.log_tail?.lines.length) lines.push(`  last log lines (${s.log_tail.pod}):`, ...s.log_tail.lines.map((l) => `    ${l}`));
    io.stdout(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};
