import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubeApi } from '../cluster/api.js';
import { resolveKubeconfig } from '../cluster/kubeconfig.js';
import { Resources } from '../cluster/resources.js';
import { DeployError } from '../core/errors.js';
import type { Clock, Http, ProgressFn } from '../core/ports.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { AnalysisSchema, type Analysis } from '../core/state/analysis-schema.js';
import type { RuntimeTruthReport } from '../core/state/runtime-truth-schema.js';
import { parseStateText } from '../core/state/store.js';
import { runClusterTruthPass } from '../core/truth/cluster/pass.js';
import type { LaunchpadProbe } from '../core/truth/cluster/ports.js';
import { checkLaunchpad } from '../sealos/launchpad.js';
import { homeFrom, readAuthFile, sealosPaths } from '../sealos/home-files.js';
import { readTextIfExists, writeFileAtomic } from '../system/atomic-file.js';
import { nodeHttp } from '../system/http.js';
import { readDeployResultIfAny } from './deploy-result-file.js';
import { DEPLOY_RESULT_PATH } from './deploy-result-schema.js';
import { ARTIFACTS, artifactPath } from './paths.js';


export interface VerifyOptions {
  /** The deployed unit's directory (holds `.sealos/`). */
  dir: string;
  kubeconfig?: string;
  /** App name; default: deploy-result.json, then state.json `last_deploy`. */
  app?: string;
  /** Expected running image; default: deploy-result.json, then state.json `last_deploy` (same app only). */
  image?: string;
  /** Sealos region for the Launchpad check; default: ~/.sealos/auth.json. */
  region?: string;
  budgetMs?: number;
  windowMs?: number;
  healthPath?: string;
  readWritePath?: string;
  smokePaths?: string[];
  routeTo?: { host: string; port: number };
  caFile?: string;
  /** Secret input values to search the logs for (never printed). */
  secrets?: string[];
  /** Write `.sealos/runtime-truth.json` (default true). */
  write?: boolean;
  env?: NodeJS.ProcessEnv;
  home?: string;
  http?: Http;
  redactor?: Redactor;
  progress?: ProgressFn;
  signal?: AbortSignal;
  clock?: Clock;
}

export interface VerifyResult {
  report: RuntimeTruthReport;
  artifact: string | null;
  /** Where app name and image came from. */
  sources: { app: 'option' | 'deploy-result' | 'state'; image: 'option' | 'deploy-result' | 'state' | 'none' };
}

async function readJson(path: string, what: string): Promise<unknown | null> {
  const text = await readTextIfExists(path);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DeployError('ARTIFACT_INVALID', `${path} is not valid JSON: ${(err as Error).message}`, `Re-run the step that writes ${what}, or delete the file.`, { path });
  }
}

async function readAnalysis(dir: string): Promise<Analysis | null> {
  const path = artifactPath(dir, 'analysis');
  const raw = await readJson(path, 'it (sealos-deploy analyze)');
  if (raw === null) return null;
  const parsed = AnalysisSchema.safeParse(raw);
  if (!parsed.success) throw new DeployError('ARTIFACT_INVALID', `${path} does not match the analysis schema.`, 'Re-run `sealos-deploy analyze`.', { path });
  return parsed.data;
}

async function launchpadFor(opts: VerifyOptions, kubeconfigPath: string, http: Http, redactor: Redactor): Promise<LaunchpadProbe | null> {
  let region = opts.region ?? null;
  if (!region) {
    try {
      region = (await readAuthFile(sealosPaths(homeFrom(opts.env, opts.home))))?.region ?? null;
    } catch {
      region = null; // An unreadable auth file only means the optional Launchpad check is skipped.
    }
  }
  if (!region) return null;
  const regionName = region;
  return {
    region: regionName,
    async check(input) {
      const kubeconfigYaml = readFileSync(kubeconfigPath, 'utf8');
      redactor.add(kubeconfigYaml);
      const r = await checkLaunchpad({ region: regionName, kubeconfigYaml, http, ...input, ...(opts.env ? { env: opts.env } : {}) });
      return { status: r.status, summary: r.summary, evidence: { ...r.evidence, finding_codes: r.finding_codes } };
    },
  };
}

/**
 * The launch gate for a deployed app: resolve who is deployed (options, deploy-result.json, state.json),
 * run the cluster Runtime Truth Pass against the kubeconfig's namespace, and write
 * `.sealos/runtime-truth.json` atomically. Never records state: that is record_state's job, after this.
 */
export async function verifyDeployment(opts: VerifyOptions): Promise<VerifyResult> {
  const dir = resolve(opts.dir);
  const redactor = opts.redactor ?? createRedactor();
  const progress = opts.progress ?? (() => {});
  const analysis = await readAnalysis(dir);
  if (!analysis) progress(`no ${ARTIFACTS.analysis}: health path and database unknown (run \`sealos-deploy analyze\` for a complete pass)`);
  // With --app and --image the files are not needed (and a stale one must not block the pass).
  const deploy = opts.app && opts.image ? null : await readDeployResultIfAny(dir);
  const stateText = await readTextIfExists(artifactPath(dir, 'state'));
  const stateParsed = stateText === null ? null : parseStateText(stateText);
  const last = stateParsed?.ok ? stateParsed.state.last_deploy : null;

  const appName = opts.app ?? deploy?.app_name ?? last?.app_name;
  if (!appName) throw new DeployError('USAGE', `No app to verify: no --app, no ${DEPLOY_RESULT_PATH} and no ${ARTIFACTS.state} in ${dir}.`, 'Pass --app <name> (the Deployment/StatefulSet name), or run it in the directory you deployed from.');
  const appSource: VerifyResult['sources']['app'] = opts.app ? 'option' : deploy?.app_name ? 'deploy-result' : 'state';
  let expectedImage: string | null = opts.image ?? null;
  let imageSource: VerifyResult['sources']['image'] = opts.image ? 'option' : 'none';
  if (!expectedImage && deploy && deploy.app_name === appName) [expectedImage, imageSource] = [deploy.image, 'deploy-result'];
  if (!expectedImage && last && last.app_name === appName) [expectedImage, imageSource] = [last.image, 'state'];

  const cfg = resolveKubeconfig({ ...(opts.kubeconfig ? { path: opts.kubeconfig } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}) });
  const token = cfg.kc.getCurrentUser()?.token;
  if (token) redactor.add(token);
  const expectedNs = deploy?.app_name === appName ? deploy.namespace : last?.app_name === appName ? last.namespace : undefined;
  if (expectedNs && expectedNs !== cfg.namespace)
    throw new DeployError('TRUTH_IDENTITY_MISMATCH', `${appName} was deployed to namespace ${expectedNs}, but the kubeconfig (${cfg.path}) points at ${cfg.namespace}.`, `Pass --kubeconfig for the workspace ${expectedNs}, or switch workspace (sealos-deploy workspace switch).`, { expected: expectedNs, actual: cfg.namespace });

  const res = new Resources(new KubeApi(cfg, { timeoutMs: 15_000 }));
  const http = opts.http ?? nodeHttp;
  const launchpad = await launchpadFor(opts, cfg.path, http, redactor);
  progress(`verifying ${appName} in ${cfg.namespace}${expectedImage ? ` (expecting ${expectedImage})` : ''}`);
  const report = await runClusterTruthPass({
    res,
    http,
    analysis,
    appName,
    namespace: cfg.namespace,
    expectedImage,
    redactor,
    progress,
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.budgetMs !== undefined ? { budgetMs: opts.budgetMs } : {}),
    ...(opts.windowMs !== undefined ? { stabilityWindowMs: opts.windowMs } : {}),
    ...(opts.healthPath ? { healthPath: opts.healthPath } : {}),
    ...(opts.readWritePath ? { readWritePath: opts.readWritePath } : {}),
    ...(opts.smokePaths?.length ? { smokePaths: opts.smokePaths } : {}),
    ...(opts.routeTo ? { routeTo: opts.routeTo } : {}),
    ...(opts.caFile ? { caFile: opts.caFile } : {}),
    ...(launchpad ? { launchpad } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  let artifact: string | null = null;
  if (opts.write !== false) {
    artifact = artifactPath(dir, 'runtimeTruth');
    await writeFileAtomic(artifact, JSON.stringify(report, null, 2) + '\n');
  }
  return { report, artifact, sources: { app: appSource, image: imageSource } };
}
