import { walk, type AstNode as Node } from '../parse.js';
import { args, child, children, identName, isFunction, memberProp, unwrap } from './ast.js';
import { nameTests } from './presence.js';
import type { Evaluator } from './modules.js';
import { literalText, type FileScan } from './scan.js';
import type { SourceRun } from './types.js';

// A predicate on the value (grist's `isAffirmative(process.env.GRIST_TRUST_PLUGINS)`, `toBoolean(...)`): unset is false.
// Not a presence test (`isEmpty`, `isNil`): what follows it decides whether the variable is needed.
const PREDICATE = /^(is|to|parse|as|get)?(Affirmative|Truthy|True|Bool|Boolean|Enabled|Flag|Yes|On)$/i;

/**
 * Env reads handed to a helper of the service's own that supplies the default:
 *
 *   export function parseEnvVarNumber(envVar, defaultVal) { if (!envVar) return defaultVal; ... }
 *   port: parseEnvVarNumber(process.env.HTTP_PORT || process.env.PORT, 4242)
 *
 * Such a read is optional, and its default is the argument the helper returns when the variable is unset
 * (4242 above), or the helper parameter's own default (`function toInt(v = '3000')`). A helper that throws
 * when the value is missing (`if (!v) throw ...`) is a validator: the variable stays required.
 */
export function applyHelperDefaults(run: SourceRun): void {
  for (const s of run.astScans)
    for (const r of s.envReads) {
      if (!r.argOf || r.def !== null) continue;
      const callee = unwrap(child(r.argOf, 'callee'));
      if (PREDICATE.test(identName(callee) ?? memberProp(callee) ?? '')) {
        r.optional = true;
        continue;
      }
      const fn = run.ev.eval(child(r.argOf, 'callee'), s);
      if (fn.k !== 'fn') continue;
      const shape = helperShapeIn(run.ev, fn.node, fn.mod);
      if (!shape) continue;
      r.optional = true;
      r.def = literalText(helperDefault(shape, args(r.argOf)));
    }
}

/** The expression a helper call falls back to when its first argument is unset. */
export function helperDefault(shape: HelperShape, callArgs: Node[]): Node | null {
  return shape.paramDefault ?? (shape.returnsParam !== null ? (callArgs[shape.returnsParam] ?? null) : null);
}

export interface HelperShape {
  /** The default of the first parameter (`v = 3000`). */
  paramDefault: Node | null;
  /** Index of another parameter the helper returns as it is (its default value). */
  returnsParam: number | null;
}

const shapes = new WeakMap<Node, HelperShape | null>();

/**
 * How a function treats its first parameter: null unless it tests it for presence, directly or by handing it
 * to another helper that does (`authTypeFromString(s)` → `safeToUpper(s)`, one level, resolved in the
 * function's own module `mod`), and never throws for its absence.
 */
export function helperShapeIn(ev: Evaluator, fn: Node, mod: FileScan, depth = 0): HelperShape | null {
  let shape = shapes.get(fn);
  if (shape === undefined) {
    const resolve = (callee: Node | null) => {
      const v = ev.eval(callee, mod, depth + 1);
      return v.k === 'fn' ? v.node : null;
    };
    shapes.set(fn, (shape = readShape(fn, resolve)));
  }
  return shape;
}

function readShape(fn: Node, resolve: ((callee: Node | null) => Node | null) | null): HelperShape | null {
  const params = children(fn, 'params');
  const first = params[0] ?? null;
  if (!first) return null;
  let name: string | null = null;
  let paramDefault: Node | null = null;
  if (first.type === 'Identifier') name = first.name as string;
  else if (first.type === 'AssignmentPattern' && child(first, 'left')?.type === 'Identifier') {
    name = child(first, 'left')!.name as string;
    paramDefault = child(first, 'right');
  }
  if (!name) return null;
  const others = params.map((p) => (p.type === 'Identifier' ? (p.name as string) : null));
  const body = child(fn, 'body');
  if (!body) return null;
  const tests = nameTests(body, new Set([name]), false);
  if (tests.validated.has(name)) return null;
  // A parameter default (`v = 3000`) is a presence test of its own.
  const tested = first.type === 'AssignmentPattern' || tests.tested.has(name) || (resolve !== null && passedToHelper(body, name, resolve));
  if (!tested) return null;
  let returnsParam: number | null = null;
  walk(body, (n) => {
    if (n !== body && isFunction(n)) return false;
    if (n.type === 'ReturnStatement') returnsParam ??= returnedParam(child(n, 'argument'), others);
    return;
  });
  // An arrow with an expression body: `(v, d) => v ?? d`.
  if (body.type !== 'BlockStatement') returnsParam ??= returnedParam(body, others);
  return { paramDefault, returnsParam };
}

/** Whether the body hands the parameter, as a first argument, to a function that is a helper itself. */
function passedToHelper(body: Node, name: string, resolve: (callee: Node | null) => Node | null): boolean {
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type !== 'CallExpression') return;
    const a = unwrap(args(n)[0] ?? null);
    if (a?.type !== 'Identifier' || a.name !== name) return;
    const inner = resolve(child(n, 'callee'));
    if (inner && readShape(inner, null)) found = true;
    return;
  });
  return found;
}

/** Index of a parameter other than the first that an expression returns as it is (`d`, `v ?? d`, `v === undefined ? d : v`). */
function returnedParam(expr: Node | null, params: Array<string | null>): number | null {
  const u = unwrap(expr);
  if (!u) return null;
  if (u.type === 'Identifier') {
    const i = params.indexOf(u.name as string);
    return i > 0 ? i : null;
  }
  if (u.type === 'ConditionalExpression') return returnedParam(child(u, 'consequent'), params) ?? returnedParam(child(u, 'alternate'), params);
  if (u.type === 'LogicalExpression' && u.operator !== '&&') return returnedParam(child(u, 'right'), params);
  return null;
}
