import { describe, expect, it } from 'vitest';
import { canonicalJson, computeDigest, RuntimeTruthReportSchema, sealReport, verifyDigest, type UnsealedReport } from '../../../src/core/state/runtime-truth-schema.js';

function unsealed(): UnsealedReport {
  return {
    schema_version: 1,
    tool: { name: 'sealos-deploy', version: '0.1.0' },
    target: 'cluster',
    verdict: 'accepted',
    verdict_reason: 'every required check passed',
    blocking: [],
    identity: { app_name: 'web', namespace: 'ns-abc', image: 'ghcr.io/o/web:1a2b3c', url: 'https://web.example.app', host: 'web.example.app' },
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:01:00.000Z',
    duration_ms: 60_000,
    budget_ms: 300_000,
    stability_window_seconds: 60,
    checks: [{ id: 'root', status: 'pass', required: true, summary: 'GET / answered 200', evidence: { status: 200, timing: { ms: 12 } }, duration_ms: 12, skip_reason: null }],
  };
}

describe('runtime truth report', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"x":0,"z":1}]},"b":1}');
  });

  it('the digest does not depend on key order and verifies', () => {
    const a = sealReport(unsealed());
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reordered = reverseKeys(a) as typeof a;
    expect(Object.keys(reordered)[0]).toBe('digest');
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(computeDigest(a)).toBe(a.digest);
    expect(verifyDigest(RuntimeTruthReportSchema.parse(a))).toBe(true);
    expect(verifyDigest(reordered)).toBe(true);
  });

  it('any edit after sealing breaks verification', () => {
    const a = sealReport(unsealed());
    expect(verifyDigest({ ...a, verdict: 'rejected' })).toBe(false);
    const edited = structuredClone(a);
    (edited.checks[0] as { evidence: Record<string, unknown> }).evidence.status = 500;
    expect(verifyDigest(edited)).toBe(false);
    expect(verifyDigest({ ...a, digest: 'sha256:' + '0'.repeat(64) })).toBe(false);
    expect(verifyDigest(unsealed())).toBe(false);
  });

  it('the schema requires a skip reason on skipped checks and a well-formed digest', () => {
    const skipped = sealReport({ ...unsealed(), checks: [{ id: 'health', status: 'skip', required: false, summary: 'no health path', evidence: {}, duration_ms: 0, skip_reason: null }] });
    expect(RuntimeTruthReportSchema.safeParse(skipped).success).toBe(false);
    expect(RuntimeTruthReportSchema.safeParse({ ...sealReport(unsealed()), digest: 'abc' }).success).toBe(false);
    expect(RuntimeTruthReportSchema.safeParse({ ...sealReport(unsealed()), target: 'staging' }).success).toBe(false);
  });

  it('one identity object serves both targets', () => {
    const local = sealReport({ ...unsealed(), target: 'local', identity: { dir: '.', path: '', commit: 'a'.repeat(40), port: 41000, command: 'npm start' } });
    expect(RuntimeTruthReportSchema.parse(local).identity).toEqual({ dir: '.', path: '', commit: 'a'.repeat(40), port: 41000, command: 'npm start' });
  });
});
