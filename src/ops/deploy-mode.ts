import { decideDeployMode, type ModeDecision } from '../core/mode/decide.js';
import type { LiveReader } from '../core/mode/live.js';
import type { DeployState, HistoryEntry } from '../core/state/state-schema.js';

/** Images of failed update/rollback attempts recorded after the last successful release, newest first. */
function failedAttemptImages(state: DeployState): Array<{ image: string; entry: HistoryEntry }> {
  const out: Array<{ image: string; entry: HistoryEntry }> = [];
  for (let i = state.history.length - 1; i >= 0; i--) {
    const e = state.history[i]!;
    if (e.status === 'success') break;
    if (e.action === 'update') out.push({ image: e.image, entry: e });
    if (e.action === 'rollback') out.push({ image: e.to_image, entry: e });
  }
  return out;
}

/**
 * `decideDeployMode`, plus one explicit rule: when the only difference is the image, and that image is
 * the one a failed update/rollback recorded in history after the last success, the live app is still
 * ours (our own failed attempt left it there; we never roll back automatically), so it is an UPDATE.
 * Any other mismatch still STOPs.
 */
export async function decideMode(args: { state: DeployState | null; live: LiveReader; namespace: string }): Promise<ModeDecision> {
  const decision = await decideDeployMode(args);
  if (decision.mode !== 'STOP' || !args.state) return decision;
  const onlyImage = decision.mismatches.length > 0 && decision.mismatches.every((m) => m.field === 'image' || /^services\.[^.]+\.image$/.test(m.field));
  const live = decision.mismatches.find((m) => m.field === 'image')?.live;
  if (!onlyImage || !live) return decision;
  const failed = failedAttemptImages(args.state).find((f) => f.image === live);
  if (!failed) return decision;
  const ld = args.state.last_deploy;
  return {
    mode: 'UPDATE',
    reasons: [
      `The live image ${live} was left by the failed ${failed.entry.action} recorded at ${failed.entry.at} (never rolled back automatically); the recorded release is ${ld.image}. This release replaces it.`,
      ...decision.reasons.slice(1),
    ],
    mismatches: [],
    repair_options: [],
    identity: { ...(decision.identity ?? { app_name: ld.app_name, namespace: ld.namespace, kind: ld.workload_kind ?? null, url: ld.url ?? null, host: null }), image: live },
  };
}
