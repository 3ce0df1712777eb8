import type { AstNode as Node } from '../parse.js';
import { args, child, children, COERCE_CALLS, isFunction, isNode, unwrap } from './ast.js';
import { nameTests } from './presence.js';

/**
 * The env read a declaration copies as it is (`const key = process.env.KEY`, `const n = Number(process.env.N)`),
 * else null. The token tier recognises exactly these shapes (light-scan.ts `aliasTok`).
 */
export function aliasedRead(init: Node | null, isEnvRead: (n: Node) => boolean): Node | null {
  let u = unwrap(init);
  if (u && isEnvRead(u)) return u;
  if (u?.type === 'CallExpression') {
    const callee = unwrap(child(u, 'callee'));
    if (callee?.type !== 'Identifier' || !COERCE_CALLS.has(callee.name as string)) return null;
    u = unwrap(args(u)[0] ?? null);
  }
  return u && isEnvRead(u) ? u : null;
}

/** The reads of `A || B` / `A ?? B` when every alternative is an env read as it is; [] otherwise. */
function envAlternatives(init: Node | null, isEnvRead: (n: Node) => boolean): Node[] {
  const u = unwrap(init);
  if (u?.type !== 'LogicalExpression' || (u.operator !== '||' && u.operator !== '??')) return [];
  const out: Node[] = [];
  for (const side of [child(u, 'left'), child(u, 'right')]) {
    const s = unwrap(side);
    if (s && isEnvRead(s)) out.push(s);
    else {
      const inner = envAlternatives(s, isEnvRead);
      if (!inner.length) return [];
      out.push(...inner);
    }
  }
  return out;
}

/**
 * `const region = isLocalHost ? null : process.env.PRIMARY_REGION` (blues-stack): the name holds the variable or
 * nothing, so a test of the name tests it.
 */
function conditionalRead(init: Node | null, isEnvRead: (n: Node) => boolean): Node[] {
  const u = unwrap(init);
  if (u?.type !== 'ConditionalExpression') return [];
  const nothing = (x: Node | null) => {
    const v = unwrap(x);
    return (v?.type === 'Literal' && v.value === null) || (v?.type === 'Identifier' && v.name === 'undefined');
  };
  const [a, b] = [unwrap(child(u, 'consequent')), unwrap(child(u, 'alternate'))];
  if (a && isEnvRead(a) && nothing(b)) return [a];
  if (b && isEnvRead(b) && nothing(a)) return [b];
  return [];
}

/**
 * Starts of env reads held in a constant that its scope tests for presence and never requires:
 *
 *   const key = process.env.UNLEASH_ENCRYPTION_KEY;
 *   if (!key) return s;            // runs without it: optional
 *
 * `if (!key) throw ...` keeps it required. Tests inside functions of the scope count (a module constant
 * tested in a function that uses it).
 */
export function testedAliasReads(program: Node, isEnvRead: (n: Node) => boolean, isProcessEnv: (n: Node | null) => boolean): Set<number> {
  const byScope = new Map<Node, Map<string, number[]>>();
  const visit = (n: Node, scope: Node) => {
    if (isFunction(n)) scope = child(n, 'body') ?? scope;
    else if (n.type === 'VariableDeclarator') {
      const id = child(n, 'id');
      const add = (name: string, start: number) => {
        let names = byScope.get(scope);
        if (!names) byScope.set(scope, (names = new Map()));
        names.set(name, [...(names.get(name) ?? []), start]);
      };
      const read = id?.type === 'Identifier' ? aliasedRead(child(n, 'init'), isEnvRead) : null;
      if (read) add(id!.name as string, read.start);
      // `const smtpPassword = process.env.SMTP_PASS || process.env.SMTP_PASSWORD` (kener): the name holds the last
      // alternative when the first is unset, so a test of the name tests it.
      const alternatives = id?.type === 'Identifier' && !read ? [...envAlternatives(child(n, 'init'), isEnvRead), ...conditionalRead(child(n, 'init'), isEnvRead)] : [];
      for (const r of alternatives) add(id!.name as string, r.start);
      // `const { REDIS_URL } = process.env`: each property without a default holds its variable (the read is the property).
      if (id?.type === 'ObjectPattern' && isProcessEnv(child(n, 'init')))
        for (const p of children(id, 'properties')) {
          const value = child(p, 'value');
          if (p.type === 'Property' && value?.type === 'Identifier') add(value.name as string, p.start);
        }
    }
    for (const key in n) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = n[key];
      if (Array.isArray(v)) for (const c of v) isNode(c) && visit(c, scope);
      else if (isNode(v)) visit(v, scope);
    }
  };
  visit(program, program);
  const out = new Set<number>();
  for (const [scope, names] of byScope) {
    const t = nameTests(scope, new Set(names.keys()), true);
    for (const [name, starts] of names) if (t.tested.has(name) && !t.validated.has(name)) for (const s of starts) out.add(s);
  }
  return out;
}
