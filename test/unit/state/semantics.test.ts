import { describe, expect, it } from 'vitest';
import { parseStateText } from '../../../src/core/state/store.js';
import { pluginV1State } from './helpers.js';

function problemsOf(mutate: (s: Record<string, any>) => void): string[] {
  const s = pluginV1State() as Record<string, any>;
  mutate(s);
  const r = parseStateText(JSON.stringify(s));
  return r.ok ? [] : r.problems;
}

describe('state semantic validation', () => {
  it('flags history out of chronological order with both timestamps', () => {
    const p = problemsOf((s) => {
      s.history[3].at = '2026-07-29T00:00:00Z';
    });
    expect(p).toContainEqual(expect.stringMatching(/^history\[3\]\.at \(2026-07-29T00:00:00Z\) is earlier than history\[2\]\.at/));
  });

  it('compares instants, not strings, across offsets', () => {
    // "…T08:00:00+08:00" sorts after "…T01:00:00Z" as a string but is 00:00Z: earlier.
    const p = problemsOf((s) => {
      s.history[5].at = '2026-08-01T08:00:00+08:00';
    });
    expect(p).toContainEqual(expect.stringMatching(/^history\[5\]\.at .* is earlier than history\[4\]\.at/));
  });

  it('flags last_deploy.image that is not the latest successful image-changing entry (a failed one does not count)', () => {
    const p = problemsOf((s) => {
      s.last_deploy.image = 'ghcr.io/acme/evershop:20260801-bad';
      s.runtime_truth.identity.image = 'ghcr.io/acme/evershop:20260801-bad';
    });
    expect(p).toEqual([
      'last_deploy.image (ghcr.io/acme/evershop:20260801-bad) differs from the image of the latest successful release history[5] (ghcr.io/acme/evershop:20260801-b2)',
    ]);
  });

  it('requires the first entry to be a successful deploy', () => {
    const p = problemsOf((s) => {
      s.history[0].status = 'failed';
    });
    expect(p.join('\n')).toMatch(/history\[0\] must be a successful "deploy"/);
  });

  it('flags a set-image that did not change the image', () => {
    const p = problemsOf((s) => {
      s.history[5].previous_image = s.history[5].image;
    });
    expect(p.join('\n')).toMatch(/history\[5\] set-image has image equal to previous_image/);
  });

  it('flags runtime_truth identity that does not describe last_deploy', () => {
    const p = problemsOf((s) => {
      s.runtime_truth.identity.namespace = 'ns-other';
      s.runtime_truth.identity.url = 'https://other.usw-1.sealos.app';
    });
    expect(p).toContain('runtime_truth.identity.namespace (ns-other) differs from last_deploy.namespace (ns-qiqovyrm)');
    expect(p.join('\n')).toMatch(/runtime_truth\.identity\.url/);
  });
});
