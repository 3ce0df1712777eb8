import { z } from 'zod';
import { DeployError } from '../../../src/core/errors.js';
import { defineTool } from '../../../src/mcp/define-tool.js';

/** Test-only tools exercising the framework; product tools live in src/mcp/tools/. */

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const listTool = defineTool({
  name: 'fixture_list',
  title: 'List',
  description: 'Returns n items and one long string.',
  input: z.object({ project_dir: z.string(), n: z.number().int().max(100_000), long: z.number().int().max(1_000_000).default(0) }),
  output: z.object({ items: z.array(z.object({ i: z.number(), line: z.string() })), log: z.string() }),
  annotations: readOnly,
  mutating: false,
  async run(args) {
    const items = Array.from({ length: args.n }, (_, i) => ({ i, line: `line ${i}` }));
    return { summary: `${args.n} items`, structured: { items, log: 'x'.repeat(args.long) } };
  },
});

export const failTool = defineTool({
  name: 'fixture_fail',
  title: 'Fail',
  description: 'Throws.',
  input: z.object({ project_dir: z.string(), coded: z.boolean() }),
  output: z.object({ ok: z.boolean() }),
  annotations: readOnly,
  mutating: false,
  async run(args) {
    if (args.coded) throw new DeployError('KUBECONFIG_MISSING', 'No kubeconfig was found.', 'Log in with `sealos-deploy login`.', { looked_in: ['~/.kube/config'] });
    throw new TypeError('boom');
  },
});

export interface SlowProbe {
  sawAbort: boolean;
}

export function slowTool(probe: SlowProbe) {
  return defineTool({
    name: 'fixture_slow',
    title: 'Slow',
    description: 'Reports progress, then waits until cancelled or `steps` ticks pass.',
    input: z.object({ project_dir: z.string(), steps: z.number().int().max(1000) }),
    output: z.object({ done: z.number() }),
    annotations: readOnly,
    mutating: false,
    async run(args, ctx) {
      for (let i = 1; i <= args.steps; i++) {
        ctx.progress(`step ${i}`, i, args.steps);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (args.steps === 0) {
        // Wait for cancellation: the tool must notice it.
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        probe.sawAbort = ctx.signal.aborted;
        throw new Error('aborted');
      }
      return { summary: 'done', structured: { done: args.steps } };
    },
  });
}

/** A mutating tool whose plan depends on the arguments and on a mutable "live" value. */
export function applyTool(live: { image: string }, applied: string[]) {
  return defineTool({
    name: 'fixture_apply',
    title: 'Apply',
    description: 'Applies an image after confirmation.',
    input: z.object({ project_dir: z.string(), image: z.string(), namespace: z.string().optional() }),
    output: z.object({ applied: z.string(), namespace: z.string().nullable() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    mutating: true,
    async run(args, ctx) {
      await ctx.confirm({ summary: `replace ${live.image} with ${args.image}`, changes: [`Deployment web: image ${live.image} → ${args.image}`] });
      applied.push(args.image);
      return { summary: `applied ${args.image}`, structured: { applied: args.image, namespace: args.namespace ?? null } };
    },
  });
}
