import { isDeployError } from '../errors.js';
import { planRollback, type RollbackPlan } from '../rollback/plan.js';
import { imageLeftRunning, successfulReleases } from '../state/history.js';
import type { ScoreContext } from './context.js';
import type { Scorecard } from './schema.js';
import { shellWord } from '../shell-word.js';

/**
 * `.sealos/RUNBOOK.md`: how to launch, update, roll back and debug this app, from its artifacts.
 * Deterministic: the same artifacts give the same bytes (the only times in it come from artifacts).
 * Inputs appear by name only; no value of any kind is read from the template inputs.
 */

const STATUS_TEXT = { ready: 'Ready', 'not-ready': 'Not ready', 'not-needed': 'Not needed', unknown: 'Unknown' } as const;

function code(lines: string[]): string[] {
  return ['```sh', ...lines, '```'];
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

interface Names {
  app: string;
  ns: string;
  known: boolean;
}

function names(ctx: ScoreContext): Names {
  const ld = ctx.state?.last_deploy;
  const id = ctx.truth?.report.identity;
  const app = ld?.app_name ?? id?.app_name ?? null;
  const ns = ld?.namespace ?? id?.namespace ?? null;
  return { app: app ?? '<app-name>', ns: ns ?? '<namespace>', known: app !== null && ns !== null };
}

function describe(ctx: ScoreContext): string[] {
  const { a } = ctx;
  const t = ctx.template;
  const health = t?.workload?.probes.readiness?.path ?? a.config?.health_path ?? a.health.paths[0] ?? null;
  const db = a.database.engine ? `${a.database.engine}${a.database.orm ? ` (${a.database.orm})` : ''}, connection from ${a.database.env_key ?? (a.database.env_keys.join(', ') || 'unknown')}` : 'none';
  const out = [
    `- Framework: ${a.framework.name}${a.framework.version ? ` ${a.framework.version}` : ''}; kind: ${a.kind}; Node.js ${a.node.version}; package manager: ${a.package_manager.name}`,
    `- Start: ${a.commands.start ? `\`${a.commands.start}\`` : 'none found'}${a.commands.build ? `; build: \`${a.commands.build}\`` : ''}`,
    `- Port: ${ctx.expectedPort ?? 'none'}; health path: ${health ?? 'none (TCP probe only)'}`,
    `- Database: ${db}`,
    `- Migrations: ${a.migrations.command ? `\`${a.migrations.command}\` (runs in the \`migrate\` init container before the app starts)` : a.migrations.at_start ? `applied by the service itself when it starts (${a.migrations.at_start.file}:${a.migrations.at_start.line})` : 'none'}`,
  ];
  const ld = ctx.state?.last_deploy;
  if (ld) {
    out.push(`- Deployed as \`${ld.app_name}\` in namespace \`${ld.namespace}\` (region ${ld.region}), first deployed ${ld.deployed_at}, last updated ${ld.last_updated_at}`);
    out.push(`- Running image: \`${ld.image}\`${ld.url ? `; URL: ${ld.url}` : ''}`);
  } else out.push('- Not deployed yet: no `.sealos/state.json` (it is recorded after the first accepted Truth Pass).');
  if (ctx.build?.outcome === 'success' && ctx.build.image !== ld?.image) out.push(`- Built, not yet recorded as running: \`${ctx.build.image}\``);
  return out;
}

function requiredInputs(ctx: ScoreContext): string[] {
  const fromTemplate = ctx.template?.inputs ?? null;
  const names = fromTemplate ?? ctx.a.env_vars.filter((v) => v.required && !v.public && v.class !== 'runtime-port').map((v) => v.name).sort();
  if (names.length === 0) return ['None: the template needs no deploy-time input.'];
  return [
    `Give these at deploy time (the agent asks for them, or the Sealos console form); never write their values into files, commands or commits${fromTemplate ? '' : ' (from the analysis; render the template for the final list)'}:`,
    '',
    ...names.map((n) => `- \`${n}\``),
  ];
}

function launch(ctx: ScoreContext, cli: (cmd: string) => string): string[] {
  const pg = ctx.a.database.engine === 'postgres' ? ' with PostgreSQL' : '';
  return [
    'From the repository root:',
    '',
    ...code([
      `${cli('analyze')}              # how the service runs → .sealos/analysis.json`,
      `${cli('build')}                # linux/amd64 image with a unique tag → .sealos/build/build-result.json`,
      `${cli('render')}               # Sealos template → .sealos/template/index.yaml`,
      `${cli('preflight')}            # kubeconfig, namespace, region, registry`,
      `${cli('deploy')} --confirm     # DEPLOY or UPDATE, decided from state.json + live truth`,
      `${cli('verify')}               # Runtime Truth Pass, the launch gate → .sealos/runtime-truth.json`,
      `${cli('record')}               # only after acceptance → .sealos/state.json`,
    ]),
    '',
    `Optional before the first deploy: \`${cli('rehearse')}\` (clean checkout, install, build, start, health).`,
    '',
    `From an agent: Claude Code \`/sealos deploy this Node.js service to Sealos${pg}\`; Codex CLI \`$sealos deploy this Node.js service to Sealos${pg}\`; Codex App: + → Plugins → Sealos.`,
    '',
    'The release counts only when the Truth Pass is accepted; then record it.',
  ];
}

function update(ctx: ScoreContext, cli: (cmd: string) => string): string[] {
  const out = [
    'Same sequence: `build` makes a new unique tag, `deploy` chooses UPDATE only when `.sealos/state.json` and the live resources agree (otherwise it stops with repair options).',
    '',
    ...code([cli('build'), cli('render'), `${cli('deploy')} --confirm`, cli('verify'), cli('record')]),
  ];
  if (ctx.state) out.push('', `The running image \`${ctx.state.last_deploy.image}\` stays in history as the rollback target.`);
  if (ctx.a.migrations.command) {
    out.push('', `Migrations: \`${ctx.a.migrations.command}\` runs in the \`migrate\` init container before new pods take traffic; if it fails, the rollout stops and the old pods keep serving.`);
    if (ctx.a.database.engine === 'postgres') out.push('When a release changes the migrations, `deploy` first takes a KubeBlocks backup of the database and records it on the release.');
  } else if (ctx.a.migrations.at_start) {
    out.push('', `Migrations: the service applies them itself when a new pod starts (${ctx.a.migrations.at_start.file}:${ctx.a.migrations.at_start.line}); a failed migration keeps that pod from becoming ready, and the old pods keep serving.`);
    if (ctx.a.database.engine === 'postgres') out.push('When a release changes the migrations, `deploy` first takes a KubeBlocks backup of the database and records it on the release.');
  }
  return out;
}

function dbRecovery(ctx: ScoreContext, plan: RollbackPlan | null, needsAck: string | null, cluster: string): string[] {
  if (!ctx.hasDatabase) return [];
  if (needsAck) {
    return [
      `Database: ${needsAck}`,
      '',
      `- Restore: restore a backup of \`${cluster}\` taken before that release (Sealos console → Database → ${cluster} → Backups), then roll back.`,
      `- Or forward repair: roll back with \`--ack-forward-repair\`, then write a new migration that makes the schema work for both versions and release it with the update sequence${ctx.a.migrations.command ? ` (migration command \`${ctx.a.migrations.command}\`)` : ''}.`,
    ];
  }
  if (!plan) return [];
  if (plan.backup) return [`Database: migrations changed since \`${plan.to}\`. Restore point: backup \`${plan.backup.name}\` of \`${cluster}\` taken ${plan.backup.created_at}. Restore it if the old code cannot work with the newer schema; otherwise repair forward with a new migration.`];
  if (plan.migrations === 'unchanged') return [`Database: no migration changed since \`${plan.to}\`; the database needs no recovery.`];
  return [`Database: ${plan.warnings.join(' ') || 'check by hand whether the schema changed since that release.'} If it did, restore a backup of \`${cluster}\` taken before the change, or repair forward with a new migration.`];
}

function rollback(ctx: ScoreContext, cli: (cmd: string) => string, n: Names): string[] {
  const state = ctx.state;
  if (!state) return ['No release is recorded yet (`.sealos/state.json` is missing), so there is no previous image. A failed first release is fixed forward; after the first recorded release, re-run `sealos-deploy scorecard` to list the rollback targets here.'];
  const current = imageLeftRunning(state);
  const releases = successfulReleases(state.history).reverse();
  const seen = new Set<string>();
  const rows: string[] = ['| image | released | action | commit | backup |', '| --- | --- | --- | --- | --- |'];
  for (const r of releases) {
    if (seen.has(r.image)) continue;
    seen.add(r.image);
    const bk = r.entry.backup ? `${r.entry.backup.name} (${r.entry.backup.phase})` : '';
    rows.push(`| \`${cell(r.image)}\`${r.image === current ? ' (running)' : ''} | ${r.entry.at} | ${r.entry.action} | ${r.entry.git_commit?.slice(0, 12) ?? ''} | ${cell(bk)} |`);
  }
  const previous = [...seen].filter((i) => i !== current);
  const out = ['Recorded images, newest first:', '', ...rows, ''];
  if (previous.length === 0) {
    out.push(`There is no earlier image yet: \`${current}\` is the first release. Fix forward; it becomes the rollback target of the next update.`);
    return out;
  }
  let plan: RollbackPlan | null = null;
  let needsAck: string | null = null;
  try {
    plan = planRollback(state, { running: current });
  } catch (err) {
    if (!isDeployError(err)) throw err;
    const details = err.details as { plan?: RollbackPlan } | undefined;
    plan = details?.plan ?? null;
    needsAck = err.message;
  }
  const to = plan?.to ?? previous[0]!;
  out.push(
    `Roll back to the previous image \`${to}\`:`,
    '',
    ...code([`${cli('rollback')} --to ${to}             # shows the plan, changes nothing`, `${cli('rollback')} --to ${to} --confirm   # applies it`, `${cli('verify')}                                # Truth Pass on the rolled-back release`, `${cli('record')}                                # records the "rollback" entry after acceptance`]),
  );
  const others = previous.filter((i) => i !== to);
  if (others.length) out.push('', `Any other recorded image works the same way with \`--to\`: ${others.map((i) => `\`${i}\``).join(', ')}.`);
  const db = dbRecovery(ctx, plan, needsAck, `${n.app}-pg`);
  if (db.length) out.push('', ...db);
  out.push('', 'After a rollback, check the public URL, the health endpoint, the logs and the resource footprint (the Truth Pass does), and the database recovery status.');
  return out;
}

function logs(ctx: ScoreContext, cli: (cmd: string) => string, n: Names): string[] {
  const lines = [`${cli('status')}                                  # recorded state next to the live truth`, `kubectl logs -l app=${n.app} -n ${n.ns} --tail=200 --prefix`];
  if (ctx.a.migrations.command) lines.push(`kubectl logs -l app=${n.app} -n ${n.ns} -c migrate     # migration output`);
  lines.push(`kubectl get events -n ${n.ns} --sort-by=.lastTimestamp`);
  return [
    ...code(lines),
    '',
    `${n.known ? '' : 'The app name and namespace are known after the first recorded deploy; re-run `sealos-deploy scorecard` to fill them in. '}Sealos console: App Launchpad → ${n.app} → Logs. The last Truth Pass keeps its log excerpts (redacted) in \`.sealos/runtime-truth.json\`.`,
  ];
}

function truthSection(ctx: ScoreContext): string[] {
  const view = ctx.truth;
  if (ctx.inputs.truth.state === 'invalid') return [`\`.sealos/runtime-truth.json\` is invalid (${ctx.inputs.truth.reason}); run \`sealos-deploy verify\` again.`];
  if (!view) return ['No Runtime Truth Pass yet. It is the launch gate: deploy, then run `sealos-deploy verify`.'];
  const r = view.report;
  const out = [
    `- Verdict: **${r.verdict}**, finished ${r.finished_at} (${r.target}); ${r.verdict_reason}`,
    `- Verified: ${r.identity.image ? `\`${r.identity.image}\`` : 'unknown image'}${r.identity.url ? ` at ${r.identity.url}` : ''}; stability window ${r.stability_window_seconds}s; ${r.checks.length} checks`,
  ];
  if (r.blocking.length) out.push(`- Blocking checks: ${r.blocking.join(', ')}`);
  if (!view.fresh) out.push(`- Stale: ${view.stale}. Run \`sealos-deploy verify\` for the current release.`);
  return out;
}

function scorecardSection(card: Scorecard): string[] {
  const rows = ['| row | status |', '| --- | --- |', ...card.rows.map((r) => `| ${r.row} | ${STATUS_TEXT[r.status]} |`)];
  const open = card.rows.filter((r) => r.status === 'not-ready' || r.status === 'unknown');
  return [
    `**${card.overall.reason}**`,
    '',
    ...rows,
    '',
    '### Open items',
    '',
    ...(open.length ? open.map((r) => `- **${r.row}** (${STATUS_TEXT[r.status]}): ${r.fix ?? ''}`) : ['None.']),
  ];
}

export function renderRunbook(ctx: ScoreContext, card: Scorecard): string {
  const unit = ctx.a.project.path;
  const cli = (cmd: string) => `sealos-deploy ${cmd} .${unit ? ` --path ${shellWord(unit)}` : ''}`;
  const n = names(ctx);
  const title = unit ? `${ctx.a.project.name} (${unit})` : ctx.a.project.name;
  const parts: string[][] = [
    [`# Runbook: ${title}`, '', 'Generated by `sealos-deploy scorecard` from `.sealos/`; re-run it after every release instead of editing this file.'],
    ['## What it is', '', ...describe(ctx)],
    ['## Required inputs', '', ...requiredInputs(ctx)],
    ['## Launch', '', ...launch(ctx, cli)],
    ['## Update', '', ...update(ctx, cli)],
    ['## Rollback', '', ...rollback(ctx, cli, n)],
    ['## Where the logs are', '', ...logs(ctx, cli, n)],
    ['## Last Runtime Truth Pass', '', ...truthSection(ctx)],
    ['## Readiness scorecard', '', ...scorecardSection(card)],
  ];
  return parts.map((p) => p.join('\n')).join('\n\n') + '\n';
}
