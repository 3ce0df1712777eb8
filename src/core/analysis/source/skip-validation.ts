// t3-env's `createEnv({ ..., skipValidation })` validates the environment when a module imports it, and `next build`
// imports it (next.config, every page it prerenders): the values exist only at run time, so the image build sets what
// makes `skipValidation` true, as the project allows (langfuse: `process.env.DOCKER_BUILD === "1"`; most:
// `!!process.env.SKIP_ENV_VALIDATION`).
import { args, child, objectKeys, objectProp, stringEquality, unwrap, type Node } from './ast.js';
import { envMember } from './scan.js';
import type { EnvVar, Finding } from '../../state/analysis-schema.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/** An assignment that makes `e` true: `!!process.env.X`, `process.env.X`, `Boolean(process.env.X)`, `process.env.X === 'v'`. */
function truthy(e: Node | null): [string, string] | null {
  const n = unwrap(e);
  if (!n) return null;
  const env = envMember(n);
  // NODE_ENV is the build's own (`next build` wants production): a test-only switch is no switch for the image.
  if (env?.name === 'NODE_ENV') return null;
  if (env?.via === 'process.env') return [env.name, '1'];
  if (n.type === 'UnaryExpression' && n.operator === '!') {
    const inner = unwrap(child(n, 'argument'));
    return inner?.type === 'UnaryExpression' && inner.operator === '!' ? truthy(child(inner, 'argument')) : null;
  }
  if (n.type === 'CallExpression' && unwrap(child(n, 'callee'))?.name === 'Boolean') return truthy(args(n)[0] ?? null);
  const eq = stringEquality(n);
  const compared = eq ? envMember(unwrap(eq.operand))?.name : undefined;
  if (compared === 'NODE_ENV') return null;
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

/**
 * `next build` imports the module that calls createEnv (next.config, every page it collects), so a schema with
 * required variables and no skipValidation the build can turn on stops the image build at "Invalid environment
 * variables" (taxonomy): the values exist only in the pod.
 */
export function envValidationFindings(run: SourceRun, vars: EnvVar[]): Finding[] {
  if (run.hints.framework !== 'nextjs') return [];
  const needed = new Set(vars.filter((v) => v.required && v.default === null).map((v) => v.name));
  const out: Finding[] = [];
  for (const s of run.astScans) {
    // t3's own: a project's wrapper of the same name may set skipValidation itself (homarr's @homarr/core).
    if (!s.imports.get('createEnv')?.source.startsWith('@t3-oss/env-')) continue;
    for (const call of s.callsByName.get('createEnv') ?? []) {
      const opts = args(call)[0] ?? null;
      if (truthy(objectProp(opts, 'skipValidation'))) continue;
      const names = ['server', 'client', 'shared'].flatMap((part) => objectKeys(objectProp(opts, part))).filter((k) => needed.has(k));
      if (names.length === 0) continue;
      const at = nodeEvidence(s, call.start, 'create-env-build');
      out.push(
        finding(
          'build-env-validation',
          'build-and-image',
          'fail',
          `\`next build\` runs ${s.file}'s createEnv, which requires ${names.length} variable(s) (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) that exist only in the running pod, and nothing lets the build skip it: the image build stops at "Invalid environment variables".`,
          `Add \`skipValidation: !!process.env.SKIP_ENV_VALIDATION\` to createEnv in ${at.file}:${at.line}; sealos-deploy's image build then sets SKIP_ENV_VALIDATION=1 and the pod still validates at start.`,
          [at],
        ),
      );
    }
  }
  return out;
}
