import { join, resolve } from 'node:path';
import { readAppStatus, type AppStatusView } from '../cluster/status-view.js';
import { discoverApps, type DiscoveredApp } from '../core/mode/discover.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import type { HistoryEntry } from '../core/state/state-schema.js';
import { readState } from '../core/state/store.js';
import { nodeStateIo } from '../system/atomic-file.js';
import { openCluster, type ClusterOptions } from './cluster-context.js';
import { readDeployResultIfAny } from './deploy-result-file.js';

export interface StatusOptions extends ClusterOptions {
  /** List every app in the namespace by label instead of this checkout's app. */
  apps?: boolean;
  /** Show this app instead of the one state.json names. */
  app?: string;
  redactor?: Redactor;
  logLines?: number;
}

export type StatusOutcome =
  | { outcome: 'app'; source: 'state' | 'argument' | 'deploy-result'; note: string | null; recorded: { image: string; url: string | null; last_updated_at: string } | null; history: HistoryEntry[]; status: AppStatusView; drift: string[] }
  | { outcome: 'no-state'; namespace: string; apps: DiscoveredApp[]; message: string };

/**
 * The live state of this checkout's app (the one state.json records), or, without state, the apps in
 * the namespace found by the exact label `cloud.sealos.io/app-deploy-manager`.
 */
export async function status(dirArg: string, opts: StatusOptions = {}): Promise<StatusOutcome> {
  const dir = resolve(dirArg);
  const cluster = openCluster(opts);
  const redactor = opts.redactor ?? createRedactor();
  const state = opts.apps ? null : await readState(join(dir, '.sealos'), nodeStateIo());
  // Deployed but not yet verified and recorded: the app the last deploy from this checkout applied.
  const unrecorded = opts.apps || opts.app || state ? null : await readDeployResultIfAny(dir);
  const fromDeploy = unrecorded && unrecorded.recorded_at === null && unrecorded.namespace === cluster.namespace ? unrecorded : null;
  const appName = opts.app ?? (opts.apps ? undefined : (state?.last_deploy.app_name ?? fromDeploy?.app_name));
  if (!appName) {
    const apps = await discoverApps(cluster.live, cluster.namespace);
    const message = opts.apps
      ? `${apps.length} app(s) in ${cluster.namespace} labelled cloud.sealos.io/app-deploy-manager.`
      : `No .sealos/state.json in ${dir}: nothing is recorded for this checkout. ${apps.length ? `Apps in ${cluster.namespace} by label: ${apps.map((a) => a.app_name).join(', ')}.` : `No app in ${cluster.namespace} carries the label cloud.sealos.io/app-deploy-manager.`}`;
    return { outcome: 'no-state', namespace: cluster.namespace, apps, message };
  }
  const view = await readAppStatus(cluster.res, appName, { redactor, ...(opts.logLines ? { logLines: opts.logLines } : {}) });
  const ld = state && state.last_deploy.app_name === appName ? state.last_deploy : null;
  const drift: string[] = [];
  if (ld) {
    if (ld.namespace !== cluster.namespace) drift.push(`state.json records namespace ${ld.namespace}, the kubeconfig context is ${cluster.namespace}`);
    if (!view.workload) drift.push(`no Deployment or StatefulSet named ${appName} exists in ${cluster.namespace}`);
    else if (view.workload.image !== ld.image) drift.push(`live image ${view.workload.image ?? '(none)'} differs from the recorded ${ld.image} (an unrecorded release, or a change made outside sealos-deploy)`);
  }
  const note = fromDeploy
    ? `Deployed from this checkout at ${fromDeploy.finished_at} (${fromDeploy.image}) and not recorded yet: verify it, then record it.`
    : null;
  return {
    outcome: 'app',
    source: opts.app ? 'argument' : fromDeploy ? 'deploy-result' : 'state',
    note,
    recorded: ld ? { image: ld.image, url: ld.url ?? null, last_updated_at: ld.last_updated_at } : null,
    history: ld && state ? state.history.slice(-5) : [],
    status: view,
    drift,
  };
}
