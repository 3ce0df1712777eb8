import type { Analysis } from '../../core/state/analysis-schema.js';
import { EXIT, type Command } from '../command.js';
import { printJson, table } from '../output.js';

const ICON = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** Short lists in full (`*` = required); a long one as the required names first and a count of the rest. */
function envVarsLine(vars: Analysis['env_vars']): string {
  if (vars.length === 0) return 'none';
  if (vars.length <= 15) return vars.map((e) => `${e.name}${e.required ? '*' : ''}`).join(' ');
  const required = vars.filter((e) => e.required).map((e) => e.name);
  const shown = required.slice(0, 30);
  const more = required.length - shown.length;
  return `${vars.length} read, ${required.length} required${shown.length ? `: ${shown.join(' ')}${more ? ` … (+${more})` : ''}` : ''} (all in .sealos/analysis.json)`;
}

function facts(a: Analysis): string[][] {
  const key = a.database.env_key ?? (a.database.env_keys.join(', ') || null);
  const where = key ? ` via ${key}` : a.database.engine === 'sqlite' ? ', a file in the container' : ' via an env key not found in the code';
  const db = a.database.engine ? `${a.database.engine}${a.database.orm ? ` (${a.database.orm})` : ''}${where}` : 'none';
  return [
    ['unit', a.project.path || '.'],
    ['kind', `${a.kind} — ${a.kind_reason}`],
    ['framework', `${a.framework.name}${a.framework.version ? ` ${a.framework.version}` : ''}`],
    ['package manager', `${a.package_manager.name}${a.package_manager.lockfile ? ` (${a.package_manager.lockfile})` : ' (no lockfile)'}`],
    ['node', `${a.node.version} (from ${a.node.source}${a.node.requested ? `: ${a.node.requested}` : ''})`],
    ['install', a.commands.install],
    ['build', a.commands.build ?? '—'],
    ['start', a.commands.start ?? '—'],
    ['entrypoint', a.entrypoint ?? '—'],
    ['port', a.port.value === null ? 'unknown' : `${a.port.value}${a.port.reads_env ? ` (reads ${a.port.env_name ?? 'PORT'})` : ''} [${a.port.source}]`],
    ['bind', a.bind.host ?? 'all interfaces (default)'],
    ['health', a.health.paths.join(', ') || 'none'],
    ['database', db],
    ['migrations', a.migrations.tool ? `${a.migrations.tool}: ${a.migrations.command ?? '?'}` : 'none'],
    ['env vars', envVarsLine(a.env_vars)],
    ...(a.units.length ? [['units', a.units.map((u) => `${u.path} (${u.kind}, ${u.framework})`).join('; ')]] : []),
  ];
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Read the code: runtime, commands, port, env vars, health, database; checklist findings',
  usage: [
    'Usage: sealos-deploy analyze [dir] [--path <unit>] [--json] [--no-write]',
    '',
    '  dir            the service checkout (default: current directory)',
    '  --path <unit>  a workspace unit of a monorepo, relative to dir (e.g. apps/api)',
    '  --json         print the analysis document (.sealos/analysis.json)',
    '  --no-write     do not write .sealos/analysis.json',
    '  --strict       exit 1 when any finding fails',
  ].join('\n'),
  options: { path: { type: 'string' }, 'no-write': { type: 'boolean' }, strict: { type: 'boolean' } },
  async run(values, positionals, io) {
    const dir = positionals[0] ?? io.cwd;
    const { analyzeProject } = await import('../../ops/analyze.js');
    const { analysis, artifact } = await analyzeProject(dir, { path: values.path as string | undefined, write: !values['no-write'] });
    const failing = analysis.findings.filter((f) => f.status === 'fail');
    if (values.json) printJson(io, analysis);
    else {
      io.stdout(table(facts(analysis)));
      io.stdout('\nFindings:\n');
      io.stdout(table(analysis.findings.map((f) => [ICON[f.status], f.id, f.message + (f.fix ? `\n${' '.repeat(6)}fix: ${f.fix}` : '')])));
      if (artifact) io.stderr(`wrote ${artifact}\n`);
    }
    return values.strict && failing.length ? EXIT.rejected : EXIT.ok;
  },
};
