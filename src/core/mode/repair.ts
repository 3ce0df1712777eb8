import { DeployError } from '../errors.js';
import { boundHistory } from '../state/history.js';
import { DeployStateSchema, STATE_VERSION, type DeployState, type HistoryEntry, type LastDeploy } from '../state/state-schema.js';
import { loadState, type StateIo } from '../state/store.js';
import type { Mismatch } from './decide.js';
import { LABEL_APP, LABEL_DEPLOY_MANAGER, hostOf, type LiveReader, type LiveWorkload } from './live.js';

export interface RepairContext {
  /** Control-plane host, e.g. `usw-1.sealos.io`. */
  region: string;
  repo_name: string;
  docker_hub_user?: string | null;
  now: Date;
}

/**
 * The repaired state for "rebuild last_deploy from live truth": shown to the user first, written by
 * `replaceState` only after confirmation. History is kept; an `adopted` deploy entry records the live
 * image so last_deploy.image equals the latest successful release. The Runtime Truth summary is dropped
 * because it described a different identity; the next Truth Pass records a fresh one.
 */
export function rebuildStateFromLive(prev: DeployState | null, live: LiveWorkload, appUrl: string | null, ctx: RepairContext): DeployState {
  if (live.labels[LABEL_DEPLOY_MANAGER] !== live.name || live.labels[LABEL_APP] !== live.name) {
    throw new DeployError(
      'STATE_LIVE_MISMATCH',
      `${live.kind} ${live.name} does not carry ${LABEL_APP}=${live.name} and ${LABEL_DEPLOY_MANAGER}=${live.name}; it is not an app this tool can adopt.`,
      'Pick an app from discovery whose workload has both labels, or deploy as a new instance.',
      { labels: live.labels },
    );
  }
  const lastAt = prev?.history[prev.history.length - 1]?.at;
  // Never earlier than the last entry: a skewed clock must not break chronological order.
  const at = lastAt && Date.parse(lastAt) > ctx.now.getTime() ? lastAt : ctx.now.toISOString();
  const url = appUrl ?? (live.host ? `https://${live.host}` : null);
  const host = hostOf(url);
  if (url !== null && !url.startsWith('https://')) {
    throw new DeployError('STATE_LIVE_MISMATCH', `The live URL ${url} is not https.`, 'Fix the App CR or Ingress so the app is served over https, then repair again.');
  }
  const sameApp = prev?.last_deploy.app_name === live.name && prev.last_deploy.namespace === live.namespace;
  const last: LastDeploy = {
    ...(sameApp ? prev.last_deploy : {}),
    app_name: live.name,
    // app_host is the subdomain label: `evershop-4ha6b4mh` of `evershop-4ha6b4mh.usw-1.sealos.app`.
    app_host: host?.split('.')[0] ?? (sameApp ? prev.last_deploy.app_host : live.name),
    namespace: live.namespace,
    region: ctx.region,
    image: live.image,
    docker_hub_user: ctx.docker_hub_user ?? (sameApp ? prev.last_deploy.docker_hub_user : null),
    repo_name: ctx.repo_name,
    deployed_at: sameApp ? prev.last_deploy.deployed_at : at,
    last_updated_at: at,
    workload_kind: live.kind,
  };
  delete last.url;
  if (url !== null) last.url = url;
  delete last.services;

  const entry: HistoryEntry = {
    at,
    action: 'deploy',
    image: live.image,
    method: 'adopted',
    status: 'success',
    note: `state repaired from the live cluster (${live.kind} ${live.name} in ${live.namespace}); not deployed by sealos-deploy`,
  };
  // A different app's history would describe releases that never ran here: start over.
  const history = sameApp && prev ? boundHistory([...prev.history, entry]) : [entry];
  const { runtime_truth: _drop, ...rest } = prev ?? ({} as Partial<DeployState>);
  const next = {
    ...rest,
    version: prev?.version ?? STATE_VERSION,
    last_deploy: last,
    history,
    provenance: { source: 'sealos-deploy/state-repair', owner: 'sealos-deploy', artifact_paths: ['.sealos/state.json'], redaction_status: 'not_applicable' as const },
  };
  return DeployStateSchema.parse(next);
}

export interface StateRepairPreview {
  /** The state as it is now: null when missing or unreadable (then `current_problems` says why). */
  current: DeployState | null;
  current_problems: string[];
  next: DeployState;
  /** last_deploy fields that change: recorded → live. */
  changes: Mismatch[];
}

/**
 * Compute (never write) the repaired state for `appName` (default: the app state.json records) from
 * the live cluster. Show `changes`, then write `next` with `replaceState(..., { confirm: true })`.
 */
export async function previewStateRepair(args: {
  sealosDir: string;
  io: StateIo;
  live: LiveReader;
  namespace: string;
  appName?: string;
  context: RepairContext;
}): Promise<StateRepairPreview> {
  const loaded = await loadState(args.sealosDir, args.io);
  const current = loaded.status === 'ok' ? loaded.state : null;
  const appName = args.appName ?? current?.last_deploy.app_name;
  if (!appName) {
    throw new DeployError(
      'USAGE',
      loaded.status === 'corrupt' ? 'state.json is unreadable, so it does not say which app to repair from.' : 'There is no state.json naming an app to repair from.',
      'Run discovery and pass the app name (--app <name>).',
    );
  }
  const w = await args.live.getWorkload(args.namespace, appName);
  if (!w || w.name !== appName || w.namespace !== args.namespace) {
    throw new DeployError(
      'STATE_LIVE_MISMATCH',
      `No Deployment or StatefulSet named exactly ${appName} in namespace ${args.namespace}; there is nothing live to rebuild the state from.`,
      'Run discovery to find the app by its cloud.sealos.io/app-deploy-manager label, or deploy as a new instance.',
    );
  }
  const next = rebuildStateFromLive(current, w, await args.live.getAppUrl(args.namespace, appName), args.context);
  const changes: Mismatch[] = [];
  const before = (current?.last_deploy ?? {}) as Record<string, unknown>;
  for (const key of ['app_name', 'app_host', 'namespace', 'image', 'url', 'workload_kind'] as const) {
    const was = before[key];
    const now = next.last_deploy[key];
    if (was !== now) changes.push({ field: `last_deploy.${key}`, recorded: typeof was === 'string' ? was : null, live: now ?? null });
  }
  return { current, current_problems: loaded.status === 'corrupt' ? loaded.problems : [], next, changes };
}
