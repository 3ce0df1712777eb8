import { imageSetBy, type DeployState, type HistoryEntry } from './state-schema.js';

/** Same bound as the plugin: the first deploy plus the newest 49 entries. */
export const HISTORY_LIMIT = 50;
/** Rollback must stay possible to each of this many distinct earlier images, whatever the bound says. */
export const KEEP_DISTINCT_IMAGES = 5;

export interface Release {
  index: number;
  entry: HistoryEntry;
  image: string;
}

/** Successful entries that left an image running, oldest first. */
export function successfulReleases(history: readonly HistoryEntry[]): Release[] {
  const out: Release[] = [];
  history.forEach((entry, index) => {
    const image = imageSetBy(entry);
    if (entry.status === 'success' && image !== null) out.push({ index, entry, image });
  });
  return out;
}

/**
 * The image the cluster is expected to run, from state alone. An update that failed in its rollout was
 * applied and is never rolled back on its own, so its image runs; otherwise the recorded release's.
 */
export function imageLeftRunning(state: DeployState): string {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const e = state.history[i]!;
    if (e.status === 'success') break;
    if (e.action === 'update' && /^rollout\b/.test(e.note ?? '')) return e.image;
  }
  return state.last_deploy.image;
}

export function latestRelease(history: readonly HistoryEntry[]): Release | null {
  const all = successfulReleases(history);
  return all[all.length - 1] ?? null;
}

/**
 * Trim history to the first entry plus the newest `limit - 1`, but never drop the newest entry that
 * set each of the last `keepImages` distinct successful images: rollback needs those entries (image,
 * migrations digest, backup). The result can therefore exceed `limit` by up to `keepImages`.
 */
export function boundHistory(
  history: readonly HistoryEntry[],
  limit = HISTORY_LIMIT,
  keepImages = KEEP_DISTINCT_IMAGES,
): HistoryEntry[] {
  if (history.length <= limit) return [...history];
  const keep = new Set<number>([0]);
  for (let i = history.length - (limit - 1); i < history.length; i++) keep.add(i);
  const seen = new Set<string>();
  const releases = successfulReleases(history);
  for (let r = releases.length - 1; r >= 0 && seen.size < keepImages; r--) {
    const rel = releases[r]!;
    if (seen.has(rel.image)) continue;
    seen.add(rel.image);
    keep.add(rel.index);
  }
  return history.filter((_, i) => keep.has(i));
}

function sameUrl(a: string | undefined, b: string | undefined): boolean {
  const norm = (u: string | undefined) => (u === undefined ? undefined : u.replace(/\/+$/, ''));
  return norm(a) === norm(b);
}

/**
 * Rules a schema cannot express. Each problem names the exact field so a user can fix a hand edit.
 * Mirrors the plugin's `validateStateSemantics`, except the ≥60 s stability window (our Truth Pass
 * records its own window and acceptance rules).
 */
export function semanticProblems(state: DeployState): string[] {
  const problems: string[] = [];
  const { history, last_deploy: ld } = state;
  const first = history[0];
  if (first && (first.action !== 'deploy' || first.status !== 'success')) {
    problems.push(`history[0] must be a successful "deploy" entry (found action "${first.action}", status "${first.status}")`);
  }
  for (let i = 1; i < history.length; i++) {
    const prev = Date.parse(history[i - 1]!.at);
    const cur = Date.parse(history[i]!.at);
    if (cur < prev) {
      problems.push(`history[${i}].at (${history[i]!.at}) is earlier than history[${i - 1}].at (${history[i - 1]!.at}); history must be in chronological order`);
    }
  }
  history.forEach((e, i) => {
    if (e.action === 'set-image' && e.image === e.previous_image) {
      problems.push(`history[${i}] set-image has image equal to previous_image (${e.image})`);
    }
    if (e.action === 'rollback' && e.from_image === e.to_image) {
      problems.push(`history[${i}] rollback has from_image equal to to_image (${e.to_image})`);
    }
  });
  const latest = latestRelease(history);
  if (!latest) {
    problems.push('history has no successful entry that set an image, so last_deploy.image cannot be trusted');
  } else if (latest.image !== ld.image) {
    problems.push(
      `last_deploy.image (${ld.image}) differs from the image of the latest successful release history[${latest.index}] (${latest.image})`,
    );
  }
  if (Date.parse(ld.last_updated_at) < Date.parse(ld.deployed_at)) {
    problems.push(`last_deploy.last_updated_at (${ld.last_updated_at}) is earlier than deployed_at (${ld.deployed_at})`);
  }
  const rt = state.runtime_truth;
  if (rt) {
    const id = rt.identity;
    for (const key of ['app_name', 'namespace', 'image'] as const) {
      if (id[key] !== ld[key]) problems.push(`runtime_truth.identity.${key} (${id[key]}) differs from last_deploy.${key} (${ld[key]})`);
    }
    if (id.url !== undefined && ld.url !== undefined && !sameUrl(id.url, ld.url)) {
      problems.push(`runtime_truth.identity.url (${id.url}) differs from last_deploy.url (${ld.url})`);
    }
  }
  return problems;
}

/** The entries that released `image` successfully, newest first. */
export function releasesOf(history: readonly HistoryEntry[], image: string): Release[] {
  return successfulReleases(history)
    .filter((r) => r.image === image)
    .reverse();
}

export { sameUrl };
