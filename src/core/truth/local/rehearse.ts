import { join } from 'node:path';
import { DeployError } from '../../errors.js';
import { noProgress, systemClock, type Clock, type Http, type ProgressFn, type Runner } from '../../ports.js';
import { createRedactor, looksSecretName, type Redactor } from '../../redact.js';
import type { Analysis, EnvVar } from '../../state/analysis-schema.js';
import type { RuntimeTruthReport } from '../../state/runtime-truth-schema.js';
import { packageBuilds } from '../../analysis/local-packages.js';
import { buildTruthReport } from '../report.js';
import { runChecks, type TruthCheck } from '../runner.js';
import { picksPort, setPortEnv, type LocalRehearsalData } from './context.js';
import { mustSetEnv } from '../../bind-env.js';
import type { LocalSystem } from './ports.js';
import { gracefulShutdownCheck } from './checks/graceful-shutdown.js';
import { healthCheck, rootCheck } from './checks/http-probes.js';
import { listensAllInterfacesCheck } from './checks/listens.js';
import { noSecretInLogsCheck } from './checks/no-secret.js';
import { buildCheck, installCheck, workingTreeCheck } from './checks/setup.js';
import { migrateCheck } from './checks/migrate.js';
import { startCheck } from './checks/start.js';
import { startupLogCheck } from './checks/startup-log.js';
import { staysUpCheck } from './checks/stays-up.js';
import { REHEARSAL_DEFAULTS } from './rehearse-defaults.js';

/** Where a local rehearsal writes its report: never `runtime-truth.json`, which only the cluster pass writes. */
export const REHEARSAL_ARTIFACT = '.sealos/rehearsal.json';

export { REHEARSAL_DEFAULTS };

/** Host variables a started service may see; everything else (the user's tokens, cloud keys) stays out. */
const HOST_ENV_ALLOWED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'COMSPEC', 'PATHEXT', 'WINDIR'];

/** Install and build run with the host environment plus these: no audit/fund/update network chatter. */
const SETUP_ENV = { CI: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

export type AnalyzeFn = (dir: string, opts: { path?: string }) => Promise<Analysis>;

export interface RehearseOptions {
  /** The unit inside dir (monorepos). */
  path?: string;
  budgetMs?: number;
  stabilityMs?: number;
  startupTimeoutMs?: number;
  shutdownGraceMs?: number;
  /** Request kept in flight across SIGTERM; default: the health path, else "/". */
  inFlightPath?: string;
  /** Values for the service's env vars (override the placeholders); secret-looking ones are redacted and must not be printed. */
  env?: Record<string, string>;
  /** The host environment: the allowed variables (PATH, HOME...) are passed to the service. */
  hostEnv?: Record<string, string | undefined>;
  analyze: AnalyzeFn;
  runner: Runner;
  http: Http;
  system: LocalSystem;
  progress?: ProgressFn;
  clock?: Clock;
  signal?: AbortSignal;
  /** The shared redactor; the rehearsal registers every secret value it hands out. */
  redactor?: Redactor;
}

const SECRET_CLASSES = new Set<EnvVar['class']>(['server-secret', 'database', 'third-party-key']);
const isSecretVar = (v: Pick<EnvVar, 'name' | 'class'>) => SECRET_CLASSES.has(v.class) || looksSecretName(v.name);

/**
 * The value a required variable gets when none is given. Shaped like what the name asks for, so start-up
 * validation (`z.string().url()`, `isEmail`) passes and the rehearsal reaches the checks that matter: a URL on a
 * host that cannot resolve (`.invalid`, RFC 2606), an address there, else a plain marker. Each is unique to its
 * name, and a secret's is registered as a secret, so a service that prints it is caught.
 */
export function placeholderFor(name: string): string {
  const slug = name.toLowerCase().replace(/_/g, '-');
  if (/(^|_)(URL|URI|ENDPOINT|ORIGIN|ORIGINS|WEBHOOK)$|_(URL|URI)_/.test(name)) return `https://rehearsal-placeholder-${slug}.invalid/`;
  if (/(^|_)(EMAIL|MAIL_FROM|FROM_EMAIL|SENDER)$/.test(name)) return `rehearsal-placeholder-${slug}@example.invalid`;
  return `rehearsal-placeholder-${name}`;
}

/** The service's environment: allowed host vars, production mode, the port, placeholders for required vars, given values. */
export function buildAppEnv(
  analysis: Analysis,
  port: number,
  given: Record<string, string>,
  hostEnv: Record<string, string | undefined>,
): { env: Record<string, string>; secrets: Array<{ name: string; value: string }>; placeholders: string[] } {
  const env: Record<string, string> = {};
  for (const k of HOST_ENV_ALLOWED) {
    const v = hostEnv[k];
    if (v !== undefined) env[k] = v;
  }
  env.NODE_ENV = 'production';
  setPortEnv(env, analysis, port);
  const secrets: Array<{ name: string; value: string }> = [];
  const placeholders: string[] = [];
  // As the template does: a variable validated at start gets the example file's value.
  for (const [name, value] of Object.entries(mustSetEnv(analysis))) if (!(name in env) && !(name in given)) env[name] = value;
  for (const v of analysis.env_vars) {
    if (!v.required || v.class === 'runtime-port' || v.name in env || v.name in given) continue;
    env[v.name] = placeholderFor(v.name);
    placeholders.push(v.name);
    // A secret's or a connection string's stand-in must never be printed; a setting's (APP_NAME, a logger's name on
    // every line) may be.
    if (isSecretVar(v) || (v.class === 'database' && /(URL|URI|DSN|PASSWORD|PASS)$/.test(v.name))) secrets.push({ name: v.name, value: env[v.name] as string });
  }
  const classOf = new Map(analysis.env_vars.map((v) => [v.name, v.class]));
  for (const [name, value] of Object.entries(given)) {
    env[name] = value;
    if (isSecretVar({ name, class: classOf.get(name) ?? 'other' })) secrets.push({ name, value });
  }
  return { env, secrets, placeholders };
}

/**
 * Local rehearsal: exports the committed tree of `dir`, analyzes it, installs, builds, starts the service
 * with PORT and placeholders, and runs the local Truth checks under one time budget. Always kills the
 * process group and removes the copy. Returns the sealed report (`target: "local"`); the caller writes it
 * to REHEARSAL_ARTIFACT.
 */
export async function rehearse(dir: string, opts: RehearseOptions): Promise<RuntimeTruthReport> {
  const clock = opts.clock ?? systemClock;
  const progress = opts.progress ?? noProgress;
  const redactor = opts.redactor ?? createRedactor();
  const budgetMs = opts.budgetMs ?? REHEARSAL_DEFAULTS.budgetMs;
  const stabilityMs = opts.stabilityMs ?? REHEARSAL_DEFAULTS.stabilityMs;
  const started = clock.now();

  progress('exporting the committed tree');
  const copy = await opts.system.worktree.checkoutCommitted(dir);
  let data: LocalRehearsalData | null = null;
  try {
    progress(`analyzing commit ${copy.commit.slice(0, 12)}`);
    const analysis = await opts.analyze(copy.dir, opts.path === undefined ? {} : { path: opts.path });
    if (analysis.kind === 'static' || analysis.kind === 'not-deployable' || analysis.kind === 'worker')
      throw new DeployError(
        'NOT_DEPLOYABLE',
        `The local rehearsal starts an HTTP service; this unit is ${analysis.kind === 'static' ? 'a static site (served by the image, not by a Node process)' : analysis.kind === 'worker' ? 'a background worker (no HTTP port)' : `not deployable: ${analysis.kind_reason}`}.`,
        analysis.kind === 'not-deployable' ? 'See the analysis findings for what is missing.' : 'Skip the rehearsal for this unit; the cluster Truth Pass verifies it.',
      );
    const unitDir = analysis.project.path ? join(copy.dir, analysis.project.path) : copy.dir;
    const port = picksPort(analysis) ? await opts.system.sockets.freePort() : (analysis.port.value as number);
    const app = buildAppEnv(analysis, port, opts.env ?? {}, opts.hostEnv ?? {});
    for (const s of app.secrets) redactor.add(s.value);

    data = {
      analysis,
      rootDir: copy.dir,
      unitDir,
      port,
      appEnv: app.env,
      setupEnv: SETUP_ENV,
      secrets: app.secrets,
      placeholders: app.placeholders,
      system: opts.system,
      runner: opts.runner,
      http: opts.http,
      startupTimeoutMs: opts.startupTimeoutMs ?? REHEARSAL_DEFAULTS.startupTimeoutMs,
      stabilityMs,
      shutdownGraceMs: opts.shutdownGraceMs ?? REHEARSAL_DEFAULTS.shutdownGraceMs,
      inFlightPath: opts.inFlightPath ?? analysis.health.paths[0] ?? '/',
      setupOutput: [],
      proc: null,
      startedCommand: null,
    };

    const build = analysis.commands.build;
    // The start (and the migrate step before it) follows the last setup step there is.
    const setupDone = build === null && packageBuilds(analysis).length === 0 ? 'install' : 'build';
    const runtime = ['stays-up', 'listens-all-interfaces', 'health', 'root', 'startup-log-port'];
    const checks: TruthCheck<LocalRehearsalData>[] = [
      workingTreeCheck(copy.uncommitted, copy.commit),
      installCheck(),
      buildCheck(build, packageBuilds(analysis)),
      migrateCheck(analysis.migrations.command, setupDone),
      startCheck(analysis.commands.start, setupDone, ['migrate']),
      staysUpCheck(),
      listensAllInterfacesCheck(),
      healthCheck(analysis.health.paths.length > 0),
      rootCheck(),
      startupLogCheck(),
      gracefulShutdownCheck(runtime),
      noSecretInLogsCheck(app.secrets.length > 0, ['committed-tree', 'install', 'build', 'migrate', 'start', ...runtime, 'graceful-shutdown']),
    ];
    const remaining = Math.max(0, budgetMs - (clock.now().getTime() - started.getTime()));
    const outcome = await runChecks(checks, { budgetMs: remaining, data, progress, clock, redactor, ...(opts.signal ? { signal: opts.signal } : {}) });

    const command = data.startedCommand ?? analysis.commands.start;
    return buildTruthReport(outcome, {
      target: 'local',
      // The port the service really got (the start check picks another when the first was taken meanwhile).
      identity: { dir: copy.prefix || '.', path: analysis.project.path, commit: copy.commit, port: data.port, ...(command ? { command } : {}) },
      startedAt: started,
      budgetMs,
      stabilityWindowSeconds: stabilityMs / 1000,
      redactor,
    });
  } finally {
    // Nothing keeps running: not on failure, not when a check threw, not when the budget ran out.
    await data?.proc?.killGroup();
    await copy.cleanup();
  }
}

