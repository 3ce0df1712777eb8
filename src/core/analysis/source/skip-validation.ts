// t3-env's `createEnv({ ..., skipValidation })` validates the environment when a module imports it, and `next build`
// imports it (next.config, every page it prerenders): the values exist only at run time, so the image build sets what
// makes `skipValidation` true, as the project allows (langfuse: `process.env.DOCKER_BUILD === "1"`; most:
// `!!process.env.SKIP_ENV_VALIDATION`).
import { args, child, objectProp, stringEquality, unwrap, type Node } from './ast.js';
import { envMember } from './scan.js';
import type { SourceRun } from './types.js';

/** An assignment that makes `e` true: `!!process.env.X`, `process.env.X`, `Boolean(process.env.X)`, `process.env.X === 'v'`. */
function truthy(e: Node | null): [string, string] | null {
  const n = unwrap(e);
  if (!n) return null;
  const env = envMember(n);
  if (env?.via === 'process.env') return [env.name, '1'];
  if (n.type === 'UnaryExpression' && n.operator === '!') {
    const inner = unwrap(child(n, 'argument'));
    return inner?.type === 'UnaryExpression' && inner.operator === '!' ? truthy(child(inner, 'argument')) : null;
  }
  if (n.type === 'CallExpression' && unwrap(child(n, 'callee'))?.name === 'Boolean') return truthy(args(n)[0] ?? null);
  const eq = stringEquality(n);
  const compared = eq ? envMember(unwrap(eq.operand))?.name : undefined;
  if (compared) return [compared, eq!.value];
  if (n.type === 'LogicalExpression' && n.operator === '||') return truthy(child(n, 'left')) ?? truthy(child(n, 'right'));
  return null;
}

/** What the image build sets so that the project's env validation stands aside; {} when it has none. */
export function skipValidationEnv(run: SourceRun): Record<string, string> {
  // A file that calls createEnv is always parsed (light-scan's AST_NAMES): no cached file is read again for this.
  for (const s of run.astScans) {
    for (const call of s.callsByName.get('createEnv') ?? []) {
      const found = truthy(objectProp(args(call)[0] ?? null, 'skipValidation'));
      if (found) return { [found[0]]: found[1] };
    }
  }
  // Read somewhere the parser could not tie to createEnv (a wrapper of the project's own): the conventional name.
  return run.scans.some((s) => s.envReads.some((r) => r.name === 'SKIP_ENV_VALIDATION')) ? { SKIP_ENV_VALIDATION: '1' } : {};
}
