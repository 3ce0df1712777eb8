import type { AstNode } from '../parse.js';

/** Small, allocation-free helpers over oxc's ESTree nodes. */

export type Node = AstNode;

export function isNode(v: unknown): v is Node {
  return !!v && typeof v === 'object' && typeof (v as Node).type === 'string';
}

export function child(n: Node, key: string): Node | null {
  const v = n[key];
  return isNode(v) ? v : null;
}

export function children(n: Node, key: string): Node[] {
  const v = n[key];
  return Array.isArray(v) ? (v.filter(isNode) as Node[]) : [];
}

/** Strips TypeScript wrappers and parentheses: `(x as number)!` is `x`. */
export function unwrap(n: Node | null): Node | null {
  let cur = n;
  while (cur) {
    switch (cur.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'ParenthesizedExpression':
      case 'AwaitExpression':
      case 'ChainExpression':
        cur = child(cur, 'expression') ?? child(cur, 'argument');
        continue;
      default:
        return cur;
    }
  }
  return null;
}

export function identName(n: Node | null): string | null {
  const u = unwrap(n);
  return u && u.type === 'Identifier' && typeof u.name === 'string' ? u.name : null;
}

/** The string value of a literal or a template without expressions. */
export function stringValue(n: Node | null): string | null {
  const u = unwrap(n);
  if (!u) return null;
  if (u.type === 'Literal' && typeof u.value === 'string') return u.value;
  if (u.type === 'TemplateLiteral' && children(u, 'expressions').length === 0) {
    const q = children(u, 'quasis')[0];
    const cooked = q ? (q.value as { cooked?: string } | undefined)?.cooked : '';
    return typeof cooked === 'string' ? cooked : null;
  }
  return null;
}

/** Name of a non-computed property key, or a computed string literal key. */
export function propName(n: Node | null): string | null {
  if (!n) return null;
  if (n.type === 'Identifier' && typeof n.name === 'string') return n.name;
  return stringValue(n);
}

/** Property name of a member expression (`a.b` or `a['b']`). */
export function memberProp(n: Node | null): string | null {
  const u = unwrap(n);
  if (!u || u.type !== 'MemberExpression') return null;
  const p = child(u, 'property');
  if (!p) return null;
  if (u.computed) return stringValue(p);
  return p.type === 'Identifier' || p.type === 'PrivateIdentifier' ? (p.name as string) : null;
}

/** Dotted path of a member chain: `process.env.PORT` → ["process","env","PORT"]; `this.x` → ["this","x"]; calls break the chain. */
export function memberPath(n: Node | null): string[] | null {
  const out: string[] = [];
  let cur = unwrap(n);
  while (cur) {
    if (cur.type === 'MemberExpression') {
      const p = memberProp(cur);
      if (p === null) return null;
      out.unshift(p);
      cur = unwrap(child(cur, 'object'));
      continue;
    }
    if (cur.type === 'Identifier') out.unshift(cur.name as string);
    else if (cur.type === 'ThisExpression') out.unshift('this');
    else if (cur.type === 'MetaProperty') out.unshift('import', 'meta');
    else return null;
    return out;
  }
  return null;
}

// Every concern asks for callee names of the same calls: compute each once.
const nameCache = new WeakMap<Node, string | null>();

/** Dotted name of a callee, e.g. `app.listen`, `console.log`, `serve`; the last segment for chains through calls. */
export function calleeName(call: Node): string | null {
  const hit = nameCache.get(call);
  if (hit !== undefined) return hit;
  const c = unwrap(child(call, 'callee'));
  const path = memberPath(c);
  const name = path ? path.join('.') : c ? memberProp(c) : null;
  nameCache.set(call, name);
  return name;
}

/** Last segment of a callee: `a.b.listen` → `listen`; `serve` → `serve`. */
export function calleeLast(call: Node): string | null {
  const c = unwrap(child(call, 'callee'));
  if (!c) return null;
  if (c.type === 'Identifier') return c.name as string;
  return memberProp(c);
}

/** The root object of a member chain through calls: `app.route('/x').get` → `app`. */
export function calleeRoot(call: Node): string | null {
  let cur = unwrap(child(call, 'callee'));
  while (cur) {
    if (cur.type === 'Identifier') return cur.name as string;
    if (cur.type === 'ThisExpression') return 'this';
    if (cur.type === 'MemberExpression') cur = unwrap(child(cur, 'object'));
    else if (cur.type === 'CallExpression' || cur.type === 'NewExpression') cur = unwrap(child(cur, 'callee'));
    else return null;
  }
  return null;
}

export function args(call: Node): Node[] {
  return children(call, 'arguments');
}

/** Property value of an object literal by key (last one wins, as at runtime). */
export function objectProp(obj: Node | null, key: string): Node | null {
  const o = unwrap(obj);
  if (!o || o.type !== 'ObjectExpression') return null;
  let found: Node | null = null;
  for (const p of children(o, 'properties')) {
    if (p.type !== 'Property') continue;
    if (propName(child(p, 'key')) === key) found = child(p, 'value');
  }
  return found;
}

export function objectKeys(obj: Node | null): string[] {
  const o = unwrap(obj);
  if (!o || o.type !== 'ObjectExpression') return [];
  const out: string[] = [];
  for (const p of children(o, 'properties')) {
    if (p.type !== 'Property') continue;
    const k = propName(child(p, 'key'));
    if (k !== null) out.push(k);
  }
  return out;
}

/** Calls that only convert a value (`Number(process.env.PORT)`): the value read is their first argument's. */
export const COERCE_CALLS: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'Boolean', 'BigInt']);
/** Coercions to a number: unset, they give NaN, which tests false. */
export const NUMERIC_PARSE: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat']);

/** What a test sees through `Number(…)`/`parseInt(…)`: `!Number(X)` is false exactly when `!X` is (NaN, 0 aside). */
export function throughNumber(n: Node | null): Node | null {
  let u = unwrap(n);
  while (u?.type === 'CallExpression' && NUMERIC_PARSE.has(identName(child(u, 'callee')) ?? '')) u = unwrap(args(u)[0] ?? null);
  return u;
}

export function isFunction(n: Node | null): boolean {
  const u = unwrap(n);
  return !!u && (u.type === 'ArrowFunctionExpression' || u.type === 'FunctionExpression' || u.type === 'FunctionDeclaration');
}

/** Whether the source offset `at` lies inside node `n`. */
export function covers(n: Node | null, at: number): boolean {
  return !!n && at >= n.start && at < n.end;
}

/** The name a function is called by: `function f()`, `const f = () => …`, `export const f = function () …`. */
export function functionName(fn: Node, parent: Node | null): string | null {
  const id = fn.type === 'FunctionDeclaration' ? child(fn, 'id') : parent?.type === 'VariableDeclarator' ? child(parent, 'id') : null;
  return id?.type === 'Identifier' ? (id.name as string) : null;
}

/** A parameter's name, with or without a default (`key`, `port = 3001`); null for a pattern. */
export function paramName(p: Node | undefined): string | null {
  const id = p?.type === 'AssignmentPattern' ? child(p, 'left') : p;
  return id?.type === 'Identifier' ? (id.name as string) : null;
}

export const SECRET_LOOKING = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9+/=_\-.]{24,}$|:\/\/[^/\s:@]+:[^/\s@]+@|-----BEGIN|^(sk|pk|rk)_(live|test)_|^gh[pousr]_|^xox[abp]-|^AKIA[0-9A-Z]{12,}/;

/** A literal that must never be copied into an artifact. */
export function looksSecret(value: string): boolean {
  return SECRET_LOOKING.test(value);
}

/** One source line, trimmed and shortened, with secret-looking string literals masked. */
const CREDENTIAL_SETTING = /(secret|passw(or)?d|passphrase|token|api[_-]?key|salt|private[_-]?key|credential)\w*['"`]?\s*[:=]/i;

export function lineSnippet(text: string, offset: number, maskAllStrings = false): string {
  let s = offset;
  while (s > 0 && text.charCodeAt(s - 1) !== 10) s--;
  let e = text.indexOf('\n', offset);
  if (e === -1) e = text.length;
  const raw = text.slice(s, Math.min(e, s + 400)).trim();
  // A line that sets a secret (`session({ secret: … || 'keyboard cat' })`, `password = '…'`) keeps none of its strings:
  // a key that is plain words does not look like one.
  const all = maskAllStrings || CREDENTIAL_SETTING.test(raw);
  const masked = raw.replace(/(['"`])((?:\\.|(?!\1).)*)\1/g, (m, q: string, body: string) => (all || looksSecret(body) ? `${q}***${q}` : m));
  return masked.slice(0, 160);
}

/** `x === 'v'` or `'v' == x`: the operand compared with a string literal, and the literal; null for anything else. */
export function stringEquality(n: Node): { operand: Node | null; value: string } | null {
  if (n.type !== 'BinaryExpression' || (n.operator !== '===' && n.operator !== '==')) return null;
  for (const [operand, other] of [[child(n, 'left'), child(n, 'right')], [child(n, 'right'), child(n, 'left')]] as const) {
    const value = stringValue(other);
    if (value !== null) return { operand, value };
  }
  return null;
}

/** The package a bare module specifier names: `@acme/db/client` → `@acme/db`, `pino/file` → `pino`. */
export function packageNameOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
