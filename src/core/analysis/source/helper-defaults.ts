import { walk, type AstNode as Node } from '../parse.js';
import { args, child, children, memberPath, unwrap } from './ast.js';
import { literalText } from './scan.js';
import type { SourceRun } from './types.js';

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
      const fn = run.ev.eval(child(r.argOf, 'callee'), s);
      if (fn.k !== 'fn') continue;
      const shape = helperShape(fn.node);
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

/** How a function treats its first parameter: null unless it tests it for presence and never throws for its absence. */
export function helperShape(fn: Node): HelperShape | null {
  let shape = shapes.get(fn);
  if (shape === undefined) shapes.set(fn, (shape = readShape(fn)));
  return shape;
}

function readShape(fn: Node): HelperShape | null {
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
  let tested = first.type === 'AssignmentPattern';
  let validator = false;
  let returnsParam: number | null = null;
  const isParam = (n: Node | null) => {
    const u = unwrap(n);
    return u?.type === 'Identifier' && u.name === name;
  };
  walk(body, (n) => {
    // A nested function's parameters and tests are its own.
    if (n !== body && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression')) return false;
    switch (n.type) {
      case 'IfStatement': {
        const test = child(n, 'test');
        if (absenceTest(test, isParam) && throws(child(n, 'consequent'))) validator = true;
        else if (presenceTest(test, isParam)) tested = true;
        return;
      }
      case 'ConditionalExpression':
        if (presenceTest(child(n, 'test'), isParam)) tested = true;
        return;
      case 'LogicalExpression':
        if (isParam(child(n, 'left'))) tested = true;
        return;
      case 'ReturnStatement':
        returnsParam ??= returnedParam(child(n, 'argument'), others);
        return;
    }
    return;
  });
  // An arrow with an expression body: `(v, d) => v ?? d`.
  if (body.type !== 'BlockStatement') returnsParam ??= returnedParam(body, others);
  return tested && !validator ? { paramDefault, returnsParam } : null;
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

/** `v`, `!v`, `typeof v === 'string'`, `v == null`, `v === undefined`, or one of them combined with && / ||. */
function presenceTest(test: Node | null, isParam: (n: Node | null) => boolean): boolean {
  const u = unwrap(test);
  if (!u) return false;
  if (isParam(u)) return true;
  if (u.type === 'UnaryExpression' && (u.operator === '!' || u.operator === 'typeof')) return presenceTest(child(u, 'argument'), isParam);
  if (u.type === 'BinaryExpression') return presenceTest(child(u, 'left'), isParam) || presenceTest(child(u, 'right'), isParam);
  if (u.type === 'LogicalExpression') return presenceTest(child(u, 'left'), isParam) || presenceTest(child(u, 'right'), isParam);
  return false;
}

/** `!v`, `v == null`, `v === undefined`, `typeof v === 'undefined'` (alone or in an ||). */
function absenceTest(test: Node | null, isParam: (n: Node | null) => boolean): boolean {
  const u = unwrap(test);
  if (!u) return false;
  if (u.type === 'UnaryExpression' && u.operator === '!') return isParam(child(u, 'argument'));
  if (u.type === 'LogicalExpression' && u.operator === '||') return absenceTest(child(u, 'left'), isParam) || absenceTest(child(u, 'right'), isParam);
  if (u.type === 'BinaryExpression' && (u.operator === '==' || u.operator === '===')) {
    const l = unwrap(child(u, 'left'));
    const r = unwrap(child(u, 'right'));
    const nothing = (n: Node | null) => (n?.type === 'Literal' && n.value === null) || (n?.type === 'Identifier' && n.name === 'undefined') || (n?.type === 'Literal' && n.value === 'undefined');
    const typeofParam = (n: Node | null) => n?.type === 'UnaryExpression' && n.operator === 'typeof' && isParam(child(n, 'argument'));
    return ((isParam(l) || typeofParam(l)) && nothing(r)) || ((isParam(r) || typeofParam(r)) && nothing(l));
  }
  return false;
}

/** The branch throws or ends the process (`throw ...`, `process.exit(1)`). */
function throws(n: Node | null): boolean {
  if (!n) return false;
  if (n.type === 'BlockStatement') return children(n, 'body').some(throws);
  if (n.type === 'ThrowStatement') return true;
  const call = n.type === 'ExpressionStatement' ? unwrap(child(n, 'expression')) : null;
  return call?.type === 'CallExpression' && memberPath(child(call, 'callee'))?.join('.') === 'process.exit';
}

