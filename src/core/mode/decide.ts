import { readState, type StateIo } from '../state/store.js';
import type { DeployState } from '../state/state-schema.js';
import { LABEL_APP, LABEL_DEPLOY_MANAGER, hostOf, type LiveReader, type LiveWorkload, type WorkloadKind } from './live.js';
import { mismatchRepairOptions, type RepairOption } from './repair-options.js';

export type DeployMode = 'DEPLOY' | 'UPDATE' | 'STOP';

export interface Mismatch {
  field: string;
  recorded: string | null;
  live: string | null;
}

export interface DecisionIdentity {
  app_name: string;
  namespace: string;
  kind: WorkloadKind | null;
  image: string;
  url: string | null;
  host: string | null;
}

export interface ModeDecision {
  mode: DeployMode;
  reasons: string[];
  mismatches: Mismatch[];
  repair_options: RepairOption[];
  /** UPDATE: the identity confirmed live. STOP: what state.json recorded. DEPLOY: null. */
  identity: DecisionIdentity | null;
  /** DEPLOY only: apps already in the namespace (by label), so a duplicate deploy is a conscious choice. */
  existing_apps?: string[];
}

export interface DecideInput {
  /** Parsed, validated state (null = none). Read it with `readState`, which reports corruption. */
  state: DeployState | null;
  live: LiveReader;
  /** The kubeconfig context's namespace: the only one we may act in. */
  namespace: string;
}

/** `deployment/web` or `web` → `web`. */
function workloadName(ref: string): string {
  const slash = ref.lastIndexOf('/');
  return slash >= 0 ? ref.slice(slash + 1) : ref;
}

/**
 * DEPLOY when nothing is recorded; UPDATE only when the recorded app is live in the same namespace
 * with exactly its labels, image and URL host; STOP (with every mismatch and the repair paths)
 * otherwise. Never matches by name prefix or substring: `web2-x` is not `web`.
 */
export async function decideDeployMode(input: DecideInput): Promise<ModeDecision> {
  const { state, live, namespace } = input;
  if (!state) {
    const existing = [...new Set((await live.listAppsByLabel(namespace)).map((w) => w.labels[LABEL_DEPLOY_MANAGER] ?? w.name))].sort();
    const reasons = ['No .sealos/state.json: nothing is recorded for this checkout, so this is a first deploy.'];
    if (existing.length) {
      reasons.push(
        `Namespace ${namespace} already has ${existing.length} app(s) labelled ${LABEL_DEPLOY_MANAGER} (${existing.join(', ')}). If one of them is this checkout, adopt it with discovery instead of deploying a second copy.`,
      );
    }
    return { mode: 'DEPLOY', reasons, mismatches: [], repair_options: [], identity: null, existing_apps: existing };
  }

  const ld = state.last_deploy;
  const recordedHost = hostOf(ld.url);
  const recorded: DecisionIdentity = {
    app_name: ld.app_name,
    namespace: ld.namespace,
    kind: ld.workload_kind ?? null,
    image: ld.image,
    url: ld.url ?? null,
    host: recordedHost,
  };
  const stop = (reasons: string[], mismatches: Mismatch[]): ModeDecision => ({
    mode: 'STOP',
    reasons,
    mismatches,
    repair_options: mismatchRepairOptions(ld.app_name, namespace),
    identity: recorded,
  });

  if (ld.namespace !== namespace) {
    return stop(
      [`state.json records namespace ${ld.namespace}, but your kubeconfig context is namespace ${namespace}; this tool acts only in the context's namespace.`],
      [{ field: 'namespace', recorded: ld.namespace, live: namespace }],
    );
  }

  const w = await live.getWorkload(namespace, ld.app_name);
  // Trust only an exact name and namespace, even if an adapter returned something looser.
  if (!w || w.name !== ld.app_name || w.namespace !== namespace) {
    return stop(
      [`No Deployment or StatefulSet named exactly ${ld.app_name} in namespace ${namespace}: the recorded app was deleted, renamed, or never created here.`],
      [{ field: 'workload', recorded: `${ld.workload_kind ?? 'Deployment|StatefulSet'}/${ld.app_name}`, live: w ? `${w.kind}/${w.name} in ${w.namespace}` : null }],
    );
  }

  const mismatches: Mismatch[] = [];
  const reasons: string[] = [];
  if (ld.workload_kind && ld.workload_kind !== w.kind) mismatches.push({ field: 'kind', recorded: ld.workload_kind, live: w.kind });
  for (const key of [LABEL_APP, LABEL_DEPLOY_MANAGER]) {
    const value = w.labels[key];
    if (value !== ld.app_name) mismatches.push({ field: `labels.${key}`, recorded: ld.app_name, live: value ?? null });
  }
  if (w.image !== ld.image) mismatches.push({ field: 'image', recorded: ld.image, live: w.image });

  const appUrl = await live.getAppUrl(namespace, ld.app_name);
  const liveHosts = [...new Set([w.host?.toLowerCase() ?? null, hostOf(appUrl)].filter((h): h is string => h !== null))];
  if (recordedHost) {
    if (!liveHosts.includes(recordedHost)) {
      mismatches.push({ field: 'host', recorded: recordedHost, live: liveHosts.length ? liveHosts.join(', ') : null });
    }
  } else {
    reasons.push('state.json records no URL (private app or v2.0.0 state), so the host was not compared.');
  }

  for (const [key, svc] of Object.entries(ld.services ?? {})) {
    const name = workloadName(svc.workload);
    if (name === ld.app_name) {
      if (svc.image !== w.image) mismatches.push({ field: `services.${key}.image`, recorded: svc.image, live: w.image });
      continue;
    }
    const sw = await live.getWorkload(namespace, name);
    if (!sw || sw.name !== name) {
      mismatches.push({ field: `services.${key}.workload`, recorded: name, live: null });
    } else if ((svc.container === undefined || svc.container === sw.containerName) && sw.image !== svc.image) {
      mismatches.push({ field: `services.${key}.image`, recorded: svc.image, live: sw.image });
    }
  }

  if (mismatches.length) {
    return stop(
      [`The live ${w.kind} ${w.name} does not match what state.json recorded (${mismatches.map((m) => m.field).join(', ')}); updating it could overwrite a different app.`, ...reasons],
      mismatches,
    );
  }

  if (w.containerName !== ld.app_name) reasons.push(`The container is named ${w.containerName}, not ${ld.app_name}; its image was compared.`);
  if (w.readyReplicas < w.replicas) reasons.push(`Only ${w.readyReplicas}/${w.replicas} replicas are ready now; the update will replace them.`);
  reasons.unshift(`The recorded app ${ld.app_name} is live as ${w.kind} in ${namespace} with matching labels, image${recordedHost ? ' and host' : ''}.`);
  return {
    mode: 'UPDATE',
    reasons,
    mismatches: [],
    repair_options: [],
    identity: { app_name: w.name, namespace, kind: w.kind, image: w.image, url: ld.url ?? appUrl ?? null, host: recordedHost ?? liveHosts[0] ?? null },
  };
}

/** Read `.sealos/state.json` (STATE_CORRUPT on any problem, never overwritten) and decide. */
export async function decideFromStateDir(args: { sealosDir: string; io: StateIo; live: LiveReader; namespace: string }): Promise<ModeDecision> {
  const state = await readState(args.sealosDir, args.io);
  return decideDeployMode({ state, live: args.live, namespace: args.namespace });
}

export type { LiveWorkload };
