import { describe, expect, it } from 'vitest';
import { DeployStateSchema } from '../../../src/core/state/state-schema.js';
import { parseStateText } from '../../../src/core/state/store.js';
import { pluginV1State, pluginV2State } from './helpers.js';

const parse = (v: unknown) => parseStateText(JSON.stringify(v));

describe('state.json compatibility', () => {
  it('reads a plugin v1.0 state with deploy, set-env, patch, restart and set-image (failed + success) entries', () => {
    const r = parse(pluginV1State());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.last_deploy.app_name).toBe('evershop-uvbp0n0n');
    expect(r.state.history.map((e) => e.action)).toEqual(['deploy', 'set-env', 'patch', 'restart', 'set-image', 'set-image']);
    expect(r.state.runtime_truth?.checks).toContain('footprint');
  });

  it('reads the v2.0.0 variant: no url, last_deploy.services, no runtime_truth/provenance', () => {
    const r = parse(pluginV2State());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.last_deploy.url).toBeUndefined();
    expect(r.state.last_deploy.services?.worker?.workload).toBe('statefulset/shop-worker');
  });

  it('keeps keys it does not know, so rewriting a newer plugin state does not drop them', () => {
    const s = pluginV1State();
    (s as { future_key?: unknown }).future_key = { a: 1 };
    (s.last_deploy as Record<string, unknown>).canvas_id = 'c-1';
    const parsed = DeployStateSchema.parse(s);
    expect((parsed as Record<string, unknown>).future_key).toEqual({ a: 1 });
    expect((parsed.last_deploy as Record<string, unknown>).canvas_id).toBe('c-1');
  });

  it('names the exact field of a schema violation', () => {
    const s = pluginV1State();
    (s.last_deploy as Record<string, unknown>).url = 'http://evershop.usw-1.sealos.app';
    (s.history as Array<Record<string, unknown>>)[1]!.changes = [];
    const r = parse(s);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.some((p) => p.startsWith('last_deploy.url:') && p.includes('https://'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('history[1].changes:'))).toBe(true);
  });

  it('refuses an unknown history action and a newer major version', () => {
    const s = pluginV1State();
    (s.history as Array<Record<string, unknown>>).push({ at: '2026-08-02T00:00:00Z', action: 'scale', status: 'success' });
    const r1 = parse(s);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.problems.join('\n')).toMatch(/^history\[6\]/m);

    const r2 = parse({ ...pluginV1State(), version: '3.0' });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.problems.join('\n')).toMatch(/^version: unsupported state version/m);
  });

  it('reports invalid JSON as a problem, not an exception', () => {
    const r = parseStateText('{"version": "1.0", "last_deploy": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatch(/^not valid JSON/);
  });

  it('accepts our rollback and update entries with release metadata', () => {
    const s = pluginV1State();
    const h = s.history as Array<Record<string, unknown>>;
    h.push(
      {
        at: '2026-08-02T00:00:00Z',
        action: 'update',
        previous_image: 'ghcr.io/acme/evershop:20260801-b2',
        image: 'ghcr.io/acme/evershop:20260802-c3',
        template_digest: 'sha256:aa',
        migrations_digest: 'sha256:m2',
        git_commit: 'abc123',
        backup: { name: 'evershop-pg-pre-1', created_at: '2026-08-01T23:59:00Z', phase: 'Completed' },
        method: 'server-side-apply',
        status: 'success',
      },
      {
        at: '2026-08-03T00:00:00Z',
        action: 'rollback',
        from_image: 'ghcr.io/acme/evershop:20260802-c3',
        to_image: 'ghcr.io/acme/evershop:20260801-b2',
        reason: 'checkout errors',
        backup_ref: 'evershop-pg-pre-1',
        status: 'success',
      },
    );
    const r = parse(s);
    expect(r.ok).toBe(true);
  });
});
