import { afterEach, describe, expect, it } from 'vitest';
import { PlanStore } from '../../../src/mcp/confirmation.js';
import { applyTool } from './fixture-tools.js';
import { connect, textOf, type Connected } from './harness.js';

let conn: Connected | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

function planIdOf(text: string): string {
  const id = /"plan_id":"(plan_[0-9a-f-]+)"/.exec(text)?.[1];
  if (!id) throw new Error(`no plan_id in: ${text}`);
  return id;
}

const args = { project_dir: '/work/app', image: 'ghcr.io/me/app:v2' };

describe('confirmation without elicitation (plan id)', () => {
  it('returns CONFIRMATION_REQUIRED with the plan, then proceeds on confirm with that plan_id', async () => {
    const applied: string[] = [];
    conn = await connect({ tools: [applyTool({ image: 'ghcr.io/me/app:v1' }, applied)] });
    const first = await conn.client.callTool({ name: 'fixture_apply', arguments: args });
    expect(first.isError).toBe(true);
    const text = textOf(first);
    expect(text).toMatch(/^CONFIRMATION_REQUIRED: /);
    expect(text).toContain('replace ghcr.io/me/app:v1 with ghcr.io/me/app:v2');
    expect(text).toContain('Deployment web: image ghcr.io/me/app:v1 → ghcr.io/me/app:v2');
    expect(applied).toEqual([]);

    const second = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, confirm: true, plan_id: planIdOf(text) } });
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ applied: 'ghcr.io/me/app:v2' });
    expect(applied).toEqual(['ghcr.io/me/app:v2']);
  });

  it('refuses with PLAN_MISMATCH when the live state changed after the plan was shown', async () => {
    const live = { image: 'ghcr.io/me/app:v1' };
    const applied: string[] = [];
    conn = await connect({ tools: [applyTool(live, applied)] });
    const planId = planIdOf(textOf(await conn.client.callTool({ name: 'fixture_apply', arguments: args })));
    live.image = 'ghcr.io/me/app:hotfix';
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, confirm: true, plan_id: planId } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^PLAN_MISMATCH: /);
    expect(textOf(res)).toContain('hotfix');
    expect(planIdOf(textOf(res))).not.toBe(planId);
    expect(applied).toEqual([]);
  });

  it('refuses a plan_id confirmed with other arguments, and a plan_id used twice', async () => {
    const applied: string[] = [];
    conn = await connect({ tools: [applyTool({ image: 'v1' }, applied)] });
    const planId = planIdOf(textOf(await conn.client.callTool({ name: 'fixture_apply', arguments: args })));
    const swapped = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, image: 'ghcr.io/me/app:evil', confirm: true, plan_id: planId } });
    expect(textOf(swapped)).toMatch(/^PLAN_MISMATCH: /);

    const fresh = planIdOf(textOf(swapped));
    const ok = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, image: 'ghcr.io/me/app:evil', confirm: true, plan_id: fresh } });
    expect(ok.isError).toBeFalsy();
    const replay = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, image: 'ghcr.io/me/app:evil', confirm: true, plan_id: fresh } });
    expect(textOf(replay)).toMatch(/^PLAN_MISMATCH: .*unknown or expired/);
    expect(applied).toEqual(['ghcr.io/me/app:evil']);
  });

  it('does not proceed on confirm: true without a plan_id', async () => {
    const applied: string[] = [];
    conn = await connect({ tools: [applyTool({ image: 'v1' }, applied)] });
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: { ...args, confirm: true } });
    expect(textOf(res)).toMatch(/^CONFIRMATION_REQUIRED/);
    expect(applied).toEqual([]);
  });
});

describe('confirmation with elicitation', () => {
  it('asks the user with the plan and proceeds when they accept', async () => {
    const applied: string[] = [];
    const asked: string[] = [];
    conn = await connect({ tools: [applyTool({ image: 'v1' }, applied)] }, (message) => {
      asked.push(message);
      return { action: 'accept', content: { confirm: true } };
    });
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: args });
    expect(res.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('Deployment web: image v1 → ghcr.io/me/app:v2');
    expect(applied).toEqual(['ghcr.io/me/app:v2']);
  });

  it('changes nothing when the user declines, or accepts with the box unchecked', async () => {
    const applied: string[] = [];
    const answers = [{ action: 'decline' as const }, { action: 'accept' as const, content: { confirm: false } }];
    conn = await connect({ tools: [applyTool({ image: 'v1' }, applied)] }, () => answers.shift() ?? { action: 'cancel' });
    for (let i = 0; i < 2; i++) {
      const res = await conn.client.callTool({ name: 'fixture_apply', arguments: args });
      expect(res.isError).toBe(true);
      expect(textOf(res)).toMatch(/^CANCELLED: The confirmation for fixture_apply was declined; nothing was changed\./);
    }
    expect(applied).toEqual([]);
  });

  it('falls back to the plan id when the client fails the elicitation request', async () => {
    const applied: string[] = [];
    conn = await connect({ tools: [applyTool({ image: 'v1' }, applied)] }, () => {
      throw new Error('host cannot show forms');
    });
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: args });
    expect(textOf(res)).toMatch(/^CONFIRMATION_REQUIRED/);
    expect(applied).toEqual([]);
  });
});

describe('PlanStore', () => {
  it('forgets plans after their time to live', () => {
    let now = 1_000;
    const store = new PlanStore(60_000, () => now);
    const { planId } = store.issue('fp');
    now += 60_001;
    expect(store.take(planId, 'fp')).toBe('unknown');
  });

  it('keeps at most maxPlans, dropping the oldest', () => {
    const store = new PlanStore(60_000, () => 0, 2);
    const a = store.issue('a').planId;
    const b = store.issue('b').planId;
    const c = store.issue('c').planId;
    expect(store.take(a, 'a')).toBe('unknown');
    expect(store.take(b, 'b')).toBe('ok');
    expect(store.take(c, 'x')).toBe('mismatch');
  });
});
