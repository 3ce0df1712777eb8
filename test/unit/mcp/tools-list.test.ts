import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from './harness.js';

let conn: Connected | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

type Hints = { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
const h = (readOnlyHint: boolean, destructiveHint: boolean, idempotentHint: boolean, openWorldHint: boolean): Hints => ({ readOnlyHint, destructiveHint, idempotentHint, openWorldHint });

/** The contract hosts rely on: names, order and hints. Hosts auto-approve read-only tools and warn on destructive ones. */
const EXPECTED: Record<string, Hints> = {
  preflight: h(true, false, true, true),
  analyze_repo: h(false, false, true, false),
  rehearse: h(false, false, true, false),
  decide_deploy_mode: h(true, false, true, true),
  build_image: h(false, false, false, true),
  render_template: h(false, false, true, false),
  deploy: h(false, true, false, true),
  runtime_truth_pass: h(false, false, true, true),
  record_state: h(false, false, false, false),
  rollback: h(false, true, false, true),
  status: h(true, false, true, true),
  readiness_scorecard: h(false, false, true, false),
  login: h(false, false, false, true),
  workspace_list: h(true, false, true, true),
  workspace_switch: h(false, false, true, true),
};
const MUTATING = ['build_image', 'deploy', 'record_state', 'rollback', 'login', 'workspace_switch'];
const CLUSTER = ['preflight', 'decide_deploy_mode', 'deploy', 'runtime_truth_pass', 'record_state', 'rollback', 'status'];

describe('tools/list', () => {
  it('lists every tool in release order with its four hints, a flat input with project_dir, and an output schema', async () => {
    conn = await connect();
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(Object.keys(EXPECTED));
    for (const t of tools) {
      expect({ name: t.name, ...t.annotations }).toMatchObject({ name: t.name, ...EXPECTED[t.name] });
      expect(t.inputSchema.type).toBe('object');
      expect(t.inputSchema.required, t.name).toContain('project_dir');
      expect(t.outputSchema?.properties, t.name).toHaveProperty('summary');
      expect(t.description!.length, t.name).toBeLessThan(1024);
      const props = Object.keys(t.inputSchema.properties ?? {});
      expect(props.includes('confirm') && props.includes('plan_id'), t.name).toBe(MUTATING.includes(t.name));
      if (CLUSTER.includes(t.name)) expect(props, t.name).toEqual(expect.arrayContaining(['kubeconfig', 'namespace']));
      // Secrets only travel as paths of private files.
      expect(props.filter((p) => /password|token|secret/.test(p) && !p.endsWith('_file')), t.name).toEqual([]);
    }
  });

  it('--read-only registers no mutating tool', async () => {
    conn = await connect({ readOnly: true });
    const names = (await conn.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(Object.keys(EXPECTED).filter((n) => !MUTATING.includes(n)));
  });
});
