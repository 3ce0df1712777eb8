import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../../src/mcp/define-tool.js';
import { applyTool, failTool, listTool, slowTool, type SlowProbe } from './fixture-tools.js';
import { connect, textOf, type Connected } from './harness.js';

let conn: Connected | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

describe('defineTool', () => {
  it('advertises all four annotations and the confirm arguments only on mutating tools', async () => {
    conn = await connect({ tools: [listTool, applyTool({ image: 'a' }, [])] });
    const { tools } = await conn.client.listTools();
    const list = tools.find((t) => t.name === 'fixture_list');
    const apply = tools.find((t) => t.name === 'fixture_apply');
    expect(list?.annotations).toEqual({ title: 'List', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(apply?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(Object.keys(apply?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['confirm', 'plan_id']));
    expect(Object.keys(list?.inputSchema.properties ?? {})).not.toContain('confirm');
    expect(list?.inputSchema.type).toBe('object');
    expect(list?.outputSchema?.properties).toHaveProperty('summary');
  });

  it('hides mutating tools in read-only mode', async () => {
    conn = await connect({ readOnly: true, tools: [listTool, applyTool({ image: 'a' }, [])] });
    const names = (await conn.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(['fixture_list']);
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: { project_dir: '/x', image: 'b' } });
    expect(res.isError).toBe(true);
  });

  it('turns a DeployError into an isError result with code, message, next step and no structuredContent', async () => {
    conn = await connect({ tools: [failTool] });
    const res = await conn.client.callTool({ name: 'fixture_fail', arguments: { project_dir: '/x', coded: true } });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toBeUndefined();
    const text = textOf(res);
    expect(text).toMatch(/^KUBECONFIG_MISSING: No kubeconfig was found\.\nnext: Log in with `sealos-deploy login`\./);
    expect(text).toContain('"looked_in"');
  });

  it('reports an unexpected exception as INTERNAL without a stack trace', async () => {
    conn = await connect({ tools: [failTool] });
    const res = await conn.client.callTool({ name: 'fixture_fail', arguments: { project_dir: '/x', coded: false } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^INTERNAL: Unexpected failure: boom\nnext: /);
    expect(textOf(res)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('returns structuredContent with the summary, plus the text blocks', async () => {
    conn = await connect({ tools: [listTool] });
    const res = await conn.client.callTool({ name: 'fixture_list', arguments: { project_dir: '/x', n: 3 } });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toEqual({ items: [0, 1, 2].map((i) => ({ i, line: `line ${i}` })), log: '', summary: '3 items' });
    expect(textOf(res)).toContain('3 items');
  });

  it('caps long lists and strings, keeps the result schema-valid and says what was cut', async () => {
    conn = await connect({ tools: [listTool] });
    const res = await conn.client.callTool({ name: 'fixture_list', arguments: { project_dir: '/x', n: 5000, long: 200_000 } });
    expect(res.isError).toBeFalsy();
    const out = res.structuredContent as { items: unknown[]; log: string; summary: string; truncated: string[] };
    expect(out.items.length).toBeLessThanOrEqual(50);
    expect(out.log.length).toBeLessThan(5_000);
    expect(out.truncated.join(' ')).toMatch(/items: 5000 → \d+ items/);
    expect(out.summary).toContain('shortened');
    // Well under the ~25k-token host limit, whatever the tool produced.
    expect(JSON.stringify(res).length).toBeLessThan(100_000);
  });

  it('sends increasing progress notifications when the caller passes a progress token', async () => {
    conn = await connect({ tools: [slowTool({ sawAbort: false })] });
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const res = await conn.client.callTool({ name: 'fixture_slow', arguments: { project_dir: '/x', steps: 3 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(res.isError).toBeFalsy();
    expect(seen.map((p) => p.message)).toEqual(['step 1', 'step 2', 'step 3']);
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(seen[0]?.total).toBe(3);
  });

  it('aborts the tool signal when the client cancels the call', async () => {
    const probe: SlowProbe = { sawAbort: false };
    conn = await connect({ tools: [slowTool(probe)] });
    const controller = new AbortController();
    const call = conn.client.callTool({ name: 'fixture_slow', arguments: { project_dir: '/x', steps: 0 } }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort('user stopped'), 20);
    await expect(call).rejects.toThrow();
    await expect.poll(() => probe.sawAbort).toBe(true);
  });

  it('pins the namespace: fills it in when absent, refuses another one', async () => {
    conn = await connect({ namespace: 'ns-pinned', tools: [applyTool({ image: 'a' }, [])] });
    const other = await conn.client.callTool({ name: 'fixture_apply', arguments: { project_dir: '/x', image: 'b', namespace: 'ns-other' } });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(/^NAMESPACE_FORBIDDEN: .*ns-pinned/);
    const res = await conn.client.callTool({ name: 'fixture_apply', arguments: { project_dir: '/x', image: 'b' } });
    // Reaches the confirmation step with the pinned namespace in the plan's arguments.
    expect(textOf(res)).toMatch(/^CONFIRMATION_REQUIRED/);
  });

  it('rejects inconsistent definitions at definition time', () => {
    const base = { name: 't', title: 'T', description: 'd', input: z.object({ project_dir: z.string() }), output: z.object({}), run: async () => ({ summary: '', structured: {} }) };
    expect(() => defineTool({ ...base, mutating: true, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } })).toThrow(/mutating/);
    expect(() => defineTool({ ...base, mutating: false, annotations: { readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: true } })).toThrow(/destructive/);
    expect(() => defineTool({ ...base, output: z.object({ summary: z.string() }), run: async () => ({ summary: '', structured: { summary: '' } }), mutating: false, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } })).toThrow(/reserved/);
    expect(() => defineTool({ ...base, input: z.object({}), mutating: false, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } })).toThrow(/project_dir/);
  });
});
