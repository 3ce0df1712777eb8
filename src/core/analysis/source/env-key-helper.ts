// A function of the service's own that reads the variable its first parameter names (`getOsEnv('APP_NAME')`, nightscout's
// `readENV('PORT', 1337)`): env-vars.ts lists what its callers name, and the evaluator follows such a call to the variable.
import { walk } from '../parse.js';
import { args, child, children, identName, isFunction, paramName, unwrap, type Node } from './ast.js';
import { refuses } from './presence.js';
import { isProcessEnv } from './scan.js';

export interface EnvKeyHelper {
  /** It throws or exits when the variable is unset (`if (typeof process.env[key] === 'undefined') throw …`). */
  throws: boolean;
  /** Position of the parameter whose value stands in when unset (`process.env[key] ?? fallback`), if any. */
  fallback: number | null;
}

/**
 * `process.env[key]` (or a copy's `env[key]`, `aliases`) for the function's first parameter `key`, and how the function
 * treats it unset.
 */
export function envKeyHelper(fn: Node, aliases: ReadonlySet<string>, known: ReadonlyMap<string, EnvKeyHelper> = new Map()): EnvKeyHelper | null {
  const params = children(fn, 'params');
  const key = paramName(params[0]);
  if (!key) return null;
  const body = child(fn, 'body');
  let reads = false;
  let delegate: EnvKeyHelper | null = null;
  let fallback: number | null = null;
  let throws = false;
  const isKey = (n: Node | null) => unwrap(n)?.type === 'Identifier' && unwrap(n)!.name === key;
  walk(body, (n) => {
    if (n !== body && isFunction(n)) return false;
    if (n.type === 'MemberExpression' && n.computed && isKey(child(n, 'property'))) {
      const obj = child(n, 'object');
      if (isProcessEnv(obj) || aliases.has(identName(obj) ?? '')) reads = true;
    }
    // `getOsPath(key)` → `getPath(getOsEnv(key))`: a helper handing its key to another is one too.
    if (n.type === 'CallExpression' && isKey(args(n)[0] ?? null)) {
      const callee = unwrap(child(n, 'callee'));
      const h = callee?.type === 'Identifier' ? known.get(callee.name as string) : undefined;
      if (h) delegate = h;
    }
    if (n.type === 'LogicalExpression' && (n.operator === '??' || n.operator === '||')) {
      const right = unwrap(child(n, 'right'));
      const at = right?.type === 'Identifier' ? params.findIndex((p) => paramName(p) === right.name) : -1;
      if (at > 0) fallback = at;
    }
    // `return value != null ? value : defaultValue` (nightscout's readENV).
    if (n.type === 'ConditionalExpression')
      for (const side of [child(n, 'consequent'), child(n, 'alternate')]) {
        const at = params.findIndex((p) => p !== params[0] && paramName(p) === identName(side));
        if (at > 0) fallback = at;
      }
    if (n.type === 'IfStatement' && refuses(child(n, 'consequent'))) throws = true;
    return;
  });
  if (!reads && !delegate) return null;
  return delegate && !reads ? delegate : { throws, fallback };
}
