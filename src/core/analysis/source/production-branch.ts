import type { AstNode as Node } from '../parse.js';
import { child, stringValue, unwrap } from './ast.js';
import { EQUALITY } from './presence.js';

const PRODUCTION = new Set(['production', 'prod']);

/**
 * Whether a test holds when the service runs as deployed (the image and the template set NODE_ENV=production):
 * `NODE_ENV === 'test' ? TEST_DB : DB` connects with DB; `if (NODE_ENV !== 'production') { … }` never runs.
 * `isMode` says whether an operand is the mode variable. Null when the test is not about the mode.
 */
export function holdsInProduction(test: Node | null, isMode: (n: Node) => boolean): boolean | null {
  const u = unwrap(test);
  if (!u) return null;
  if (u.type === 'UnaryExpression' && u.operator === '!') {
    const inner = holdsInProduction(child(u, 'argument'), isMode);
    return inner === null ? null : !inner;
  }
  if (u.type === 'LogicalExpression' && (u.operator === '&&' || u.operator === '||')) {
    const l = holdsInProduction(child(u, 'left'), isMode);
    const r = holdsInProduction(child(u, 'right'), isMode);
    // One side decides alone only when it settles the whole test (`isTest && x` is false when not testing).
    if (u.operator === '&&') return l === false || r === false ? false : l === true && r === true ? true : null;
    return l === true || r === true ? true : l === false && r === false ? false : null;
  }
  if (u.type !== 'BinaryExpression' || !EQUALITY.has(u.operator as string)) return null;
  const l = unwrap(child(u, 'left'));
  const r = unwrap(child(u, 'right'));
  if (!l || !r) return null;
  const value = isMode(l) ? stringValue(r) : isMode(r) ? stringValue(l) : null;
  if (value === null) return null;
  const equal = PRODUCTION.has(value);
  return u.operator === '===' || u.operator === '==' ? equal : !equal;
}

/** The branch of `test ? a : b` / `if (test) a else b` that does not run in production, if the test is about the mode. */
export function branchOffInProduction(n: Node, isMode: (n: Node) => boolean): Node | null {
  const holds = holdsInProduction(child(n, 'test'), isMode);
  if (holds === null) return null;
  return child(n, holds ? 'alternate' : 'consequent');
}
