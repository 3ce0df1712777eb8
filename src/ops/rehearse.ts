import { join, resolve } from 'node:path';
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
  signal?: AbortSignal;
  progress?: ProgressFn;
}

/** Rehearse the committed service locally (the launch gate's local twin) and write `.sealos/rehearsal.json`. */
export async function rehearseProject(dir: string, opts: RehearseProjectOptions = {}): Promise<{ report: RuntimeTruthReport; artifact: string }> {
  const root = resolve(dir);
  // Refused before the committed tree is exported.
  unitRelPath(opts.path);
  const env = opts.env ?? process.env;
  // Secret-looking host variables (tokens in the shell) must not surface through install or build output.
  // Short values ("true", "1") under secret-looking names are flags, not secrets: redacting them would shred the output.
  const redactor = createRedactor(Object.entries(env).flatMap(([k, v]) => (v && v.length >= 8 && looksSecretName(k) ? [v] : [])));
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
    redactor,
    ...(opts.signal ? { signal: opts.signal } : {}),
    progress: (m, n, t) => opts.progress?.(redactor.redact(m), n, t),
  });
  const artifact = artifactPath(join(root, report.identity.path ?? ''), 'rehearsal');
  await writeFileAtomic(artifact, JSON.stringify(report, null, 2) + '\n');
  return { report, artifact };
}
