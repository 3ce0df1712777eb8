import { z } from 'zod';
import { ChecklistSection, EnvClass, FindingStatus, FrameworkName, Kind, PackageManagerName, type Analysis } from '../../core/state/analysis-schema.js';
import { defineTool } from '../define-tool.js';
import { projectDirArg, resolveProjectDir } from './project-dir.js';

const input = z.object({
  project_dir: projectDirArg,
  path: z.string().max(1024).optional().describe('Sub-directory of the unit to analyze in a monorepo, relative to project_dir.'),
  write: z.boolean().default(true).describe('Write .sealos/analysis.json (ignored in read-only mode).'),
});

const output = z.object({
  project_dir: z.string(),
  unit_path: z.string(),
  artifact: z.string().nullable().describe('The analysis.json written, or null.'),
  kind: Kind,
  kind_reason: z.string(),
  framework: FrameworkName,
  package_manager: PackageManagerName,
  node_version: z.string(),
  commands: z.object({ install: z.string(), build: z.string().nullable(), start: z.string().nullable(), start_issues: z.array(z.string()) }),
  entrypoint: z.string().nullable(),
  port: z.object({ value: z.number().nullable(), reads_env: z.boolean(), env_name: z.string().nullable() }),
  binds_all_interfaces: z.boolean(),
  health_paths: z.array(z.string()),
  database: z.object({ engine: z.string().nullable(), env_key: z.string().nullable(), migrations: z.string().nullable() }),
  env_vars: z.array(z.object({ name: z.string(), class: EnvClass, required: z.boolean() })),
  units: z.array(z.object({ path: z.string(), kind: Kind, framework: FrameworkName })),
  findings: z.array(z.object({ id: z.string(), section: ChecklistSection, status: FindingStatus, message: z.string(), fix: z.string().nullable() })).describe('Failing and warning findings, failures first.'),
  counts: z.object({ pass: z.number(), warn: z.number(), fail: z.number() }),
});

export const analyzeRepoTool = defineTool({
  name: 'analyze_repo',
  title: 'Analyze repository',
  description:
    'Read a Node.js checkout and report how it really runs: package manager, Node version, framework, start command, entrypoint, port and bind address, env vars, health routes, database and migrations, with checklist findings (fail/warn) and their fixes. Writes .sealos/analysis.json. Changes nothing else.',
  input,
  output,
  // Writes only its own derived artifact: not read-only, never destructive, same result for the same tree.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  mutating: false,
  async run(args, ctx) {
    const dir = resolveProjectDir(args.project_dir);
    ctx.progress('Analyzing the repository', 0, 1);
    const { analyzeProject } = await import('../../ops/analyze.js');
    const { analysis: a, artifact } = await analyzeProject(dir, { ...(args.path ? { path: args.path } : {}), write: args.write && !ctx.readOnly });
    ctx.progress('Analysis complete', 1, 1);
    const rank = { fail: 0, warn: 1, pass: 2 } as const;
    const notPassing = a.findings.filter((f) => f.status !== 'pass').sort((x, y) => rank[x.status] - rank[y.status]);
    const counts = { pass: 0, warn: 0, fail: 0 };
    for (const f of a.findings) counts[f.status]++;
    const port = a.port.value === null ? 'port unknown' : `port ${a.port.value}${a.port.reads_env ? ` (from ${a.port.env_name ?? 'env'})` : ''}`;
    const summary = [
      `${a.framework.name} ${a.kind} (${a.package_manager.name}, Node ${a.node.version}): start ${a.commands.start ? `\`${a.commands.start}\`` : 'unknown'}, ${port}, ${a.bind.all_interfaces ? 'reachable on all interfaces' : `binds ${a.bind.host ?? 'unknown'} only`}.`,
      envLine(a.env_vars),
      `Findings: ${counts.fail} fail, ${counts.warn} warn, ${counts.pass} pass.${artifact ? ` Wrote ${artifact}.` : ''}`,
      // Which ones, so the next step (fix a fail, ask about a warn) needs no second look.
      ...(['fail', 'warn'] as const).flatMap((st) => {
        const ids = notPassing.filter((f) => f.status === st).map((f) => f.id);
        return ids.length ? [`${st}: ${ids.join(', ')}`] : [];
      }),
    ].join('\n');
    return {
      summary,
      structured: {
        project_dir: dir,
        unit_path: a.project.path,
        artifact,
        kind: a.kind,
        kind_reason: a.kind_reason,
        framework: a.framework.name,
        package_manager: a.package_manager.name,
        node_version: a.node.version,
        commands: { install: a.commands.install, build: a.commands.build, start: a.commands.start, start_issues: a.commands.start_issues },
        entrypoint: a.entrypoint,
        port: { value: a.port.value, reads_env: a.port.reads_env, env_name: a.port.env_name },
        binds_all_interfaces: a.bind.all_interfaces,
        health_paths: a.health.paths,
        database: { engine: a.database.engine, env_key: a.database.env_key, migrations: a.migrations.command },
        // Required ones first: a long list is shortened from the end, and those are what the deploy asks for.
        env_vars: [...a.env_vars.filter((v) => v.required), ...a.env_vars.filter((v) => !v.required)].map((v) => ({ name: v.name, class: v.class, required: v.required })),
        units: a.units.map((u) => ({ path: u.path, kind: u.kind, framework: u.framework })),
        findings: notPassing.map((f) => ({ id: f.id, section: f.section, status: f.status, message: f.message, fix: f.fix })),
        counts,
      },
    };
  },
});

/** How many variables the code reads, and the required ones by name (the deploy asks for them). */
function envLine(vars: Analysis['env_vars']): string {
  const required = vars.filter((v) => v.required).map((v) => v.name);
  const names = required.length > 20 ? `${required.slice(0, 20).join(', ')}, … (${required.length - 20} more)` : required.join(', ');
  return `Env vars: ${vars.length} read, ${required.length} required${required.length ? `: ${names}` : ''}.`;
}
