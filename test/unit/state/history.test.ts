import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, boundHistory } from '../../../src/core/state/history.js';
import type { HistoryEntry } from '../../../src/core/state/state-schema.js';

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

function deploy(image: string): HistoryEntry {
  return { at: at(0), action: 'deploy', image, method: 'template-api', status: 'success' };
}
function update(i: number, previous: string, image: string, status: 'success' | 'failed' = 'success'): HistoryEntry {
  return { at: at(i), action: 'update', previous_image: previous, image, template_digest: `sha256:t${i}`, method: 'server-side-apply', status };
}
function restart(i: number): HistoryEntry {
  return { at: at(i), action: 'restart', method: 'kubectl-rollout-restart', status: 'success' };
}

describe('history bounding', () => {
  it('keeps everything up to the limit', () => {
    const h = [deploy('img:0'), ...Array.from({ length: 49 }, (_, i) => restart(i + 1))];
    expect(boundHistory(h)).toHaveLength(50);
  });

  it('keeps the first deploy and the newest 49 when nothing else matters', () => {
    const h: HistoryEntry[] = [deploy('img:0')];
    for (let i = 1; i <= 80; i++) h.push(update(i, `img:${i - 1}`, `img:${i}`));
    const b = boundHistory(h);
    expect(b).toHaveLength(HISTORY_LIMIT);
    expect(b[0]).toBe(h[0]);
    expect(b[1]).toBe(h[32]);
    expect(b[49]).toBe(h[80]);
  });

  it('never drops the entries needed to roll back to each of the last 5 distinct successful images', () => {
    // 5 image releases long ago, then 70 restarts and failed updates that would push them out.
    const h: HistoryEntry[] = [deploy('img:a')];
    const imgs = ['img:b', 'img:c', 'img:d', 'img:e', 'img:f'];
    imgs.forEach((img, k) => h.push(update(k + 1, k === 0 ? 'img:a' : imgs[k - 1]!, img)));
    for (let i = 6; i < 76; i++) h.push(i % 2 ? restart(i) : update(i, 'img:f', 'img:broken', 'failed'));
    const b = boundHistory(h);
    const kept = b.filter((e) => e.action === 'update' && e.status === 'success').map((e) => (e as { image: string }).image);
    // f is current, b..e are the four previous; a is the first deploy (always kept).
    expect(kept).toEqual(['img:b', 'img:c', 'img:d', 'img:e', 'img:f']);
    expect(b[0]).toBe(h[0]);
    expect(b.length).toBe(HISTORY_LIMIT + 5);
    // Order is preserved.
    const times = b.map((e) => Date.parse(e.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('keeps only the newest entry per image and stops at 5 distinct images', () => {
    const h: HistoryEntry[] = [deploy('img:0')];
    for (let i = 1; i <= 7; i++) h.push(update(i, `img:${i - 1}`, `img:${i}`));
    for (let i = 8; i < 70; i++) h.push(restart(i));
    const b = boundHistory(h);
    const images = b.filter((e) => e.action === 'update').map((e) => (e as { image: string }).image);
    expect(images).toEqual(['img:3', 'img:4', 'img:5', 'img:6', 'img:7']);
  });
});
