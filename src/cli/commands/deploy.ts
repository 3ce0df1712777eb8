import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DeployError, isDeployError, toErrorPayload } from '../../core/errors.js';
import type { ModeDecision } from '../../core/mode/decide.js';
import { createRedactor, type Redactor } from '../../core/redact.js';
import type { DeployPlanView } from '../../ops/deploy.js';
import { EXIT, type CliIo, type Command } from '../command.js';
import { printError, printJson, repairOptionLines, table } from '../output.js';

/** Options every cluster command takes. */
export const CLUSTER_OPTIONS = {
  kubeconfig: { type: 'string' },
} as const;

export function clusterOpts(values: Record<string, unknown>, io: CliIo): { kubeconfig?: string; env: NodeJS.ProcessEnv } {
  return { ...(typeof values.kubeconfig === 'string' ? { kubeconfig: resolve(io.cwd, values.kubeconfig) } : {}), env: io.env };
}

export async function readStdin(io: CliIo): Promise<string> {
  const injected = (io as CliIo & { stdin?: () => Promise<string> }).stdin;
  if (injected) return injected();
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Progress goes to stderr, redacted, one line each. */
export function progressTo(io: CliIo, redactor: Redactor, json: boolean) {
  return (message: string) => {
    if (!json) io.stderr(`  … ${redactor.redact(message)}\n`);
  };
}

export function parseSeconds(raw: unknown, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new DeployError('USAGE', `${flag} "${String(raw)}" is not a positive number of seconds.`, `Pass ${flag} 300.`);
  return Math.round(n * 1000);
}

export function printStop(io: CliIo, decision: ModeDecision, json: boolean, next: string): number {
  if (json) {
    printJson(io, { outcome: 'stopped', mode: 'STOP', reasons: decision.reasons, mismatches: decision.mismatches, repair_options: decision.repair_options, next });
    return EXIT.rejected;
  }
  const lines = ['STOP: the live cluster does not match .sealos/state.json; nothing was changed.', ...decision.reasons.map((r) => `  ${r}`)];
  if (decision.mismatches.length) {
    lines.push('', 'Mismatches:');
    lines.push(table([['field', 'recorded', 'live'], ...decision.mismatches.map((m) => [m.field, m.recorded ?? '(none)', m.live ?? '(none)'])]).trimEnd().replace(/^/gm, '  '));
  }
  lines.push('', 'Ways out:', ...repairOptionLines(decision.repair_options));
  io.stdout(lines.join('\n') + '\n');
  return EXIT.rejected;
}

function printPlan(io: CliIo, plan: DeployPlanView): void {
  const lines = [
    `${plan.mode} ${plan.app_name} in ${plan.namespace}${plan.via === 'template-api' ? ' (through the Template API)' : ''}`,
    ...plan.reasons.map((r) => `  ${r}`),
    `  image:       ${plan.image}${plan.running_image ? ` (running now: ${plan.running_image}; last good: ${plan.previous_image})` : plan.previous_image && plan.previous_image !== plan.image ? ` (was ${plan.previous_image})` : ''}`,
  ];
  if (plan.app_domain) lines.push(`  app domain:  ${plan.app_domain.domain} (TLS ${plan.app_domain.cert_secret_name}; ${plan.app_domain.source})`);
  lines.push(`  plan:        ${plan.summary}`);
  const rows = plan.changes.filter((c) => c.action !== 'unchanged').map((c) => [c.action, `${c.kind}/${c.name}`, c.changed.slice(0, 6).join(', ') + (c.changed.length > 6 ? `, +${c.changed.length - 6}` : '')]);
  if (rows.length) lines.push(table(rows).trimEnd().replace(/^/gm, '    '));
  if (plan.quota.length) lines.push(`  quota:       ${plan.quota.map((q) => `${q.resource} ${q.planned} (${q.used} of ${q.hard} used)${q.ok ? '' : ' OVER'}`).join('; ')}`);
  lines.push(`  backup:      ${plan.backup.required ? (plan.backup.skipped ? 'skipped (acknowledged)' : `a KubeBlocks Backup (${plan.backup.name ?? "pre-release"}, stamped at apply time) before applying`) : 'not needed'}: ${plan.backup.reason}`);
  if (plan.pull_secret_status !== 'not-needed') lines.push(`  pull secret: ${plan.pull_secret_status}`);
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  plan id:     ${plan.plan_id}`);
  io.stdout(lines.join('\n') + '\n');
}

async function registryCredential(values: Record<string, unknown>, io: CliIo): Promise<{ username: string; password: string } | undefined> {
  const user = values['registry-user'] as string | undefined;
  const fromStdin = values['registry-password-stdin'] === true;
  const file = values['registry-password-file'] as string | undefined;
  if (!user && !fromStdin && !file) return undefined;
  if (!user) throw new DeployError('USAGE', 'A registry password needs --registry-user.', 'Pass --registry-user <name> too.');
  if (fromStdin && file) throw new DeployError('USAGE', 'Give the registry password once: --registry-password-stdin or --registry-password-file.', 'Drop one of the two.');
  let password: string;
  if (file) {
    const path = resolve(io.cwd, file);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new DeployError('USAGE', `The password file ${path} does not exist.`, 'Pass a file that holds only the registry token (mode 0600).');
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw new DeployError('USAGE', `The password file ${path} is readable by other users.`, `Run \`chmod 600 ${path}\` and retry.`);
    password = (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } else if (fromStdin) {
    password = (await readStdin(io)).replace(/\r?\n$/, '');
  } else {
    throw new DeployError('USAGE', '--registry-user needs the password on stdin or in a file.', 'Pipe the token: echo "$TOKEN" | sealos-deploy deploy --registry-user <u> --registry-password-stdin');
  }
  if (!password) throw new DeployError('USAGE', 'The registry password is empty.', 'Pipe the token into the command, or put it in the password file.');
  return { username: user, password };
}

/** Coded failures of the release itself (not of the command line) are a negative verdict: exit 1. */
export function releaseFailure(io: CliIo, err: unknown, json: boolean): number {
  if (isDeployError(err) && /^(ROLLOUT_|BACKUP_FAILED|QUOTA_EXCEEDED|PLAN_MISMATCH|ROLLBACK_NEEDS_DB_ACK)/.test(err.code)) {
    printError(io, toErrorPayload(err), json);
    if (!json) {
      const d = err.details ?? {};
      const tail = Array.isArray(d.log_tail) ? (d.log_tail as string[]).slice(-10) : [];
      if (tail.length) io.stderr(`  last log lines:\n${tail.map((l) => `    ${l}`).join('\n')}\n`);
      const events = Array.isArray(d.events) ? (d.events as string[]).slice(-5) : [];
      if (events.length) io.stderr(`  events:\n${events.map((l) => `    ${l}`).join('\n')}\n`);
    }
    return EXIT.rejected;
  }
  throw err;
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Deploy or update the app on Sealos: plan (dry-run diff) first, apply with --confirm, wait for the rollout',
  usage: [
    'Usage: sealos-deploy deploy [dir] [--kubeconfig f] [--image ref] [--input K=V]... [--inputs-file f]',
    '                            [--confirm] [--plan-id id] [--new-instance] [--via template-api]',
    '                            [--registry-user u --registry-password-stdin | --registry-password-file f]',
    '                            [--domain d] [--timeout s] [--skip-backup --acknowledge-forward-repair] [--json]',
    '',
    '  Without --confirm the plan is shown and nothing changes (exit 3).',
    '  --image ref              the image to deploy (must match the rendered template; default build-result.json)',
    '  --input K=V              a template input (values are redacted everywhere; prefer --inputs-file for secrets)',
    '  --inputs-file f          JSON object of inputs, mode 0600',
    '  --plan-id id             apply only if the plan is still the one you reviewed',
    '  --new-instance           archive .sealos/state.json and deploy a second, fresh instance',
    '  --via template-api       create the instance through the region Template API (first deploy only)',
    '  --registry-user u        private image: create/refresh the pull Secret; password from stdin or a 0600 file',
    '  --domain d               app domain when the namespace and the region cannot tell (e.g. usw-1.sealos.app)',
    '  --timeout s              rollout timeout in seconds (default 300)',
    '  --skip-backup            skip the pre-release database backup (needs --acknowledge-forward-repair)',
    'Exit codes: 0 applied and rolled out, 1 STOP or release failed, 2 usage/environment error, 3 plan shown.',
  ].join('\n'),
  options: {
    ...CLUSTER_OPTIONS,
    image: { type: 'string' },
    input: { type: 'string', multiple: true },
    'inputs-file': { type: 'string' },
    confirm: { type: 'boolean' },
    'plan-id': { type: 'string' },
    'new-instance': { type: 'boolean' },
    via: { type: 'string' },
    'registry-user': { type: 'string' },
    'registry-password-stdin': { type: 'boolean' },
    'registry-password-file': { type: 'string' },
    domain: { type: 'string' },
    timeout: { type: 'string' },
    'skip-backup': { type: 'boolean' },
    'acknowledge-forward-repair': { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const json = Boolean(values.json);
    const via = values.via as string | undefined;
    if (via !== undefined && via !== 'template-api' && via !== 'direct') throw new DeployError('USAGE', `--via "${via}" is not known.`, 'Use --via template-api, or omit it for direct server-side apply.');
    const redactor = createRedactor();
    const { collectInputs } = await import('../../ops/inputs.js');
    const inputs = await collectInputs({ pairs: (values.input as string[] | undefined) ?? [], ...(typeof values['inputs-file'] === 'string' ? { file: resolve(io.cwd, values['inputs-file']) } : {}), redactor });
    const cred = await registryCredential(values, io);
    if (cred) redactor.add(cred.password);
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const { deploy } = await import('../../ops/deploy.js');
    let out;
    try {
      out = await deploy(dir, {
        ...clusterOpts(values, io),
        ...(typeof values.image === 'string' ? { image: values.image } : {}),
        inputs,
        confirm: values.confirm === true,
        ...(typeof values['plan-id'] === 'string' ? { planId: values['plan-id'] } : {}),
        newInstance: values['new-instance'] === true,
        via: via === 'template-api' ? 'template-api' : 'direct',
        ...(cred ? { registryCredential: cred } : {}),
        ...(typeof values.domain === 'string' ? { domain: values.domain } : {}),
        ...(values.timeout !== undefined ? { timeoutMs: parseSeconds(values.timeout, '--timeout')! } : {}),
        skipBackup: values['skip-backup'] === true,
        acknowledgeForwardRepair: values['acknowledge-forward-repair'] === true,
        redactor,
        progress: progressTo(io, redactor, json),
      });
    } catch (err) {
      return releaseFailure(io, err, json);
    }
    if (out.outcome === 'stopped') return printStop(io, out.decision, json, out.next);
    if (out.outcome === 'planned') {
      if (json) printJson(io, out);
      else {
        printPlan(io, out.plan);
        io.stdout(`Nothing changed. ${out.next}\n`);
      }
      return EXIT.planOnly;
    }
    if (json) {
      printJson(io, redactor.redactDeep(out));
      return EXIT.ok;
    }
    const lines = [
      `${out.mode === 'DEPLOY' ? 'Deployed' : 'Updated'} ${out.app_name} in ${out.namespace}${out.via === 'template-api' ? ' through the Template API' : ''}: ${out.rollout.ready}/${out.rollout.desired} ready in ${Math.round(out.rollout.durationMs / 1000)} s`,
      `  image:   ${out.image}`,
      `  url:     ${out.url ?? '(no public URL)'}`,
      `  applied: ${out.applied.map((a) => `${a.kind}/${a.name}`).join(', ')}`,
    ];
    if (out.backup) lines.push(`  backup:  ${out.backup.name} (${out.backup.phase})`);
    if (out.archived_state) lines.push(`  previous state archived to ${out.archived_state}`);
    for (const n of out.notes) lines.push(`  note: ${redactor.redact(n)}`);
    lines.push(`Next: ${out.next} (the release is recorded in state.json only after verify accepts it, by sealos-deploy record).`);
    io.stdout(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};
