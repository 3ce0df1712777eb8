import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnvFile } from '../core/analysis/source/env-vars.js';
import { DeployError } from '../core/errors.js';
import type { ProgressFn } from '../core/ports.js';
import { createRedactor, looksSecretName } from '../core/redact.js';
import type { RuntimeTruthReport } from '../core/state/runtime-truth-schema.js';
import { REHEARSAL_DEFAULTS, rehearse } from '../core/truth/local/rehearse.js';
import { writeFileAtomic } from '../system/atomic-file.js';
import { nodeHttp } from '../system/http.js';
import { processSupervisor } from '../system/process-supervisor.js';
import { execaRunner } from '../system/runner.js';
import { systemSockets } from '../system/sockets.js';
import { gitWorktree } from '../system/worktree.js';
import { analyzeProject } from './analyze.js';
import { artifactPath } from './paths.js';
import { unitRelPath } from '../core/unit-path.js';

export interface RehearseProjectOptions {
  path?: string;
  budgetMs?: number;
  stabilityMs?: number;
  inFlightPath?: string;
  /** The caller's environment: secret-looking values in it are redacted from every output. */
  env?: NodeJS.ProcessEnv;
  /**
   * A dotenv file of values for the service (a local database's DATABASE_URL, a test key), read here so they never
   * travel on a command line; they override the placeholders and are redacted from every output.
   */
  envFile?: string;
  signal?: AbortSignal;
  progress?: ProgressFn;
}

/** Rehearse the committed service locally (the launch gate's local twin) and write `.sealos/rehearsal.json`. */
export async function rehearseProject(dir: string, opts: RehearseProjectOptions = {}): Promise<{ report: RuntimeTruthReport; artifact: string }> {
  const root = resolve(dir);
  // Refused before the committed tree is exported.
  unitRelPath(opts.path);
  const env = opts.env ?? process.env;
  const values = opts.envFile ? readEnvFile(resolve(opts.envFile)) : {};
  // Secret-looking host variables (tokens in the shell) must not surface through install or build output.
  // Short values ("true", "1") under secret-looking names are flags, not secrets: redacting them would shred the output.
  const redactor = createRedactor([...Object.entries(env), ...Object.entries(values)].flatMap(([k, v]) => (v && v.length >= 8 && looksSecretName(k) ? [v] : [])));
  const report = await rehearse(root, {
    ...(opts.path ? { path: opts.path } : {}),
    ...(opts.inFlightPath ? { inFlightPath: opts.inFlightPath } : {}),
    budgetMs: opts.budgetMs ?? REHEARSAL_DEFAULTS.budgetMs,
    stabilityMs: opts.stabilityMs ?? REHEARSAL_DEFAULTS.stabilityMs,
    analyze: async (d, o) => (await analyzeProject(d, { ...o, write: false })).analysis,
    runner: execaRunner,
    http: nodeHttp,
    system: { worktree: gitWorktree(execaRunner), supervisor: processSupervisor, sockets: systemSockets },
    hostEnv: env,
    env: values,
    redactor,
    ...(opts.signal ? { signal: opts.signal } : {}),
    progress: (m, n, t) => opts.progress?.(redactor.redact(m), n, t),
  });
  const artifact = artifactPath(join(root, report.identity.path ?? ''), 'rehearsal');
  await writeFileAtomic(artifact, JSON.stringify(report, null, 2) + '\n');
  return { report, artifact };
}

/** NAME=value lines of a dotenv file; an unreadable one is refused before anything runs. */
function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DeployError('CONFIG_INVALID', `Cannot read the env file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, 'Give the path of a dotenv file (NAME=value per line), e.g. --env-file .env.rehearsal.');
  }
  return Object.fromEntries(parseEnvFile(text).map((v) => [v.name, v.value]));
}
