import { walk, type AstNode as Node } from '../parse.js';
import { child, children, isFunction, memberPath, throughNumber, unwrap } from './ast.js';

/**
 * How a block of code treats some names (a parameter, a `const` holding an env var): which it tests for
 * presence, so the code runs without them, and which it refuses to run without (`if (!x) throw`).
 */
export interface NameTests {
  tested: Set<string>;
  validated: Set<string>;
}

export const EQUALITY = new Set(['==', '===', '!=', '!==']);

/** Tests of `names` in `body`; nested functions are looked into only when `intoFunctions` (closures over a module constant). */
export function nameTests(body: Node, names: ReadonlySet<string>, intoFunctions: boolean): NameTests {
  const out: NameTests = { tested: new Set(), validated: new Set() };
  const nameOf = (n: Node | null): string | null => {
    const u = unwrap(n);
    return u?.type === 'Identifier' && names.has(u.name as string) ? (u.name as string) : null;
  };
  const mark = (set: Set<string>, n: Node | null) => {
    const name = nameOf(n);
    if (name) set.add(name);
  };
  walk(body, (n, parent) => {
    if (!intoFunctions && n !== body && isFunction(n)) return false;
    switch (n.type) {
      case 'IfStatement': {
        const test = child(n, 'test');
        if (refuses(child(n, 'consequent'))) for (const name of absenceOf(test, nameOf)) out.validated.add(name);
        for (const name of presenceOf(test, nameOf)) out.tested.add(name);
        return;
      }
      case 'ConditionalExpression':
        for (const name of presenceOf(child(n, 'test'), nameOf)) (refusesExpr(child(n, 'alternate')) ? out.validated : out.tested).add(name);
        return;
      case 'LogicalExpression':
        // `v || missing('V')` refuses to go on without it; `v || fallback` does not.
        mark(n.operator !== '&&' && refusesExpr(child(n, 'right')) ? out.validated : out.tested, child(n, 'left'));
        return;
      case 'UnaryExpression':
        if (n.operator === '!') mark(out.tested, child(n, 'argument'));
        return;
      case 'BinaryExpression':
        // `v === 'x'`, `v != null`, `typeof v === 'string'`; asserted (`invariant(typeof v === 'string')`), required.
        if (EQUALITY.has(n.operator as string)) {
          const set = isAssertionOf(parent, n) ? out.validated : out.tested;
          if (isConstant(child(n, 'right'))) mark(set, typeofArgument(child(n, 'left')));
          if (isConstant(child(n, 'left'))) mark(set, typeofArgument(child(n, 'right')));
        }
        return;
      case 'MemberExpression':
        if (n.optional) mark(out.tested, child(n, 'object'));
        return;
    }
    return;
  });
  return out;
}

/** `test` is the condition an assertion refuses to go on without (`invariant(test, 'msg')`, `assert(test)`). */
export function isAssertionOf(call: Node | null, test: Node): boolean {
  if (call?.type !== 'CallExpression' || children(call, 'arguments')[0] !== test) return false;
  const callee = unwrap(child(call, 'callee'));
  const name = callee?.type === 'Identifier' ? (callee.name as string) : (memberPath(callee)?.at(-1) ?? null);
  return name !== null && /assert|invariant|^(ok|ensure|strictEqual)$/i.test(name);
}

/** `typeof v` → `v`; anything else as it is. */
function typeofArgument(n: Node | null): Node | null {
  const u = unwrap(n);
  return u?.type === 'UnaryExpression' && u.operator === 'typeof' ? child(u, 'argument') : n;
}

/** A literal, `undefined`, or a template without substitutions. */
export function isConstant(n: Node | null): boolean {
  const u = unwrap(n);
  return u?.type === 'Literal' || (u?.type === 'Identifier' && u.name === 'undefined') || (u?.type === 'TemplateLiteral' && children(u, 'expressions').length === 0);
}

/** Names a test depends on: `v`, `!v`, `typeof v === 'string'`, `v == null`, combined with && / ||. */
function presenceOf(test: Node | null, nameOf: (n: Node | null) => string | null): string[] {
  const u = unwrap(test);
  if (!u) return [];
  const own = nameOf(u);
  if (own) return [own];
  if (u.type === 'UnaryExpression' && (u.operator === '!' || u.operator === 'typeof')) return presenceOf(child(u, 'argument'), nameOf);
  if (u.type === 'BinaryExpression' || u.type === 'LogicalExpression') return [...presenceOf(child(u, 'left'), nameOf), ...presenceOf(child(u, 'right'), nameOf)];
  return [];
}

/** Names a test finds missing: `!v`, `v == null`, `v === undefined`, `typeof v === 'undefined'` (alone or in an ||), each of `!(a && b)`. */
export function absenceOf(test: Node | null, nameOf: (n: Node | null) => string | null): string[] {
  const u = unwrap(test);
  if (!u) return [];
  if (u.type === 'UnaryExpression' && u.operator === '!') {
    const arg = throughNumber(child(u, 'argument'));
    // `!(a && b)`: true when either is missing.
    if (arg?.type === 'LogicalExpression' && arg.operator === '&&') return [...presentIn(child(arg, 'left'), nameOf), ...presentIn(child(arg, 'right'), nameOf)];
    return [nameOf(arg)].filter((x): x is string => x !== null);
  }
  if (u.type === 'LogicalExpression' && u.operator === '||') return [...absenceOf(child(u, 'left'), nameOf), ...absenceOf(child(u, 'right'), nameOf)];
  if (u.type === 'BinaryExpression' && (u.operator === '==' || u.operator === '===')) {
    const l = unwrap(child(u, 'left'));
    const r = unwrap(child(u, 'right'));
    const nothing = (n: Node | null) => (n?.type === 'Literal' && (n.value === null || n.value === 'undefined')) || (n?.type === 'Identifier' && n.name === 'undefined');
    const subject = (n: Node | null) => nameOf(n) ?? (n?.type === 'UnaryExpression' && n.operator === 'typeof' ? nameOf(child(n, 'argument')) : null);
    const name = nothing(r) ? subject(l) : nothing(l) ? subject(r) : null;
    return name ? [name] : [];
  }
  return [];
}

/** Names an `&&` chain needs present (`a && b && c`). */
function presentIn(n: Node | null, nameOf: (n: Node | null) => string | null): string[] {
  const u = unwrap(n);
  if (u?.type === 'LogicalExpression' && u.operator === '&&') return [...presentIn(child(u, 'left'), nameOf), ...presentIn(child(u, 'right'), nameOf)];
  const name = nameOf(u);
  return name ? [name] : [];
}

/**
 * Errors that exist only while answering a request (Nest's `HttpException` family, `HttpError`, Hono's
 * `HTTPException`, `TRPCError`, http-errors' `createError`): `if (!X) throw new HttpException('not configured', 400)`
 * turns one request away when a feature is not set up; the service runs without X.
 */
export const HTTP_ERROR = /^(Http\w*|HTTP\w*|TRPC|NotFound|BadRequest|Unauthorized|Forbidden|Conflict|Gone|ServiceUnavailable|InternalServer|NotImplemented|UnprocessableEntity|PayloadTooLarge|TooManyRequests|NotAcceptable|MethodNotAllowed|PreconditionFailed|RequestTimeout|BadGateway|GatewayTimeout|UnsupportedMediaType)(Exception|Error)$|^createError$|^createHttpError$/;

/** The name of what a throw throws: `throw new HttpException(…)` → HttpException, `throw createError(404)` → createError. */
function thrownName(n: Node): string | null {
  const arg = unwrap(child(n, 'argument'));
  if (arg?.type !== 'NewExpression' && arg?.type !== 'CallExpression') return null;
  const callee = unwrap(child(arg, 'callee'));
  return callee?.type === 'Identifier' ? (callee.name as string) : (memberPath(callee)?.at(-1) ?? null);
}

/** The branch throws (other than a request's error) or ends the process (`throw ...`, `process.exit(1)`). */
export function refuses(n: Node | null): boolean {
  if (!n) return false;
  if (n.type === 'BlockStatement') return children(n, 'body').some(refuses);
  if (n.type === 'ThrowStatement') return !HTTP_ERROR.test(thrownName(n) ?? '');
  const call = n.type === 'ExpressionStatement' ? unwrap(child(n, 'expression')) : null;
  return call?.type === 'CallExpression' && memberPath(child(call, 'callee'))?.join('.') === 'process.exit';
}

const REFUSING_CALL = /^(throw|fail|panic|abort|die|raise)|required|missing|must|assert|invariant/i;

/** A fallback that refuses to go on (`X || throwMissing('X')`, `X ?? (() => { throw … })()`, `X || process.exit(1)`): not a default. */
export function refusesExpr(n: Node | null): boolean {
  const u = unwrap(n);
  if (u?.type !== 'CallExpression') return false;
  const callee = unwrap(child(u, 'callee'));
  if (!callee) return false;
  if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') {
    const body = child(callee, 'body');
    return body?.type === 'BlockStatement' ? refuses(body) : false;
  }
  const path = memberPath(callee);
  if (path?.join('.') === 'process.exit') return true;
  const name = callee.type === 'Identifier' ? (callee.name as string) : (path?.at(-1) ?? null);
  return name !== null && REFUSING_CALL.test(name);
}
