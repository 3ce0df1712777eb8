import { walk } from '../parse.js';
import { args, child, children, covers, functionName, identName, isFunction, memberPath, memberProp, objectProp, paramName, propName, unwrap, type Node } from './ast.js';
import type { Val } from './modules.js';
import type { FileScan } from './scan.js';
import type { SourceRun } from './types.js';

/** The name a function is called by: `function bootHTTP()`, `const start = () => …`, `{ start() {} }`, `internals.init = function () {}`. */
function calledName(fn: Node, parent: Node | null): string | null {
  return (
    functionName(fn, parent) ??
    (parent && (parent.type === 'Property' || parent.type === 'MethodDefinition') ? propName(child(parent, 'key')) : null) ??
    (parent?.type === 'AssignmentExpression' && child(parent, 'right') === fn ? (memberProp(child(parent, 'left')) ?? identName(child(parent, 'left'))) : null)
  );
}

/** The innermost function around `at` that takes a parameter `name`: its name, the parameter's position and default. */
function enclosingParam(scan: FileScan, name: string, at: number): { fn: string; index: number; def: Node | null } | null {
  let found: { fn: string; index: number; def: Node | null } | null = null;
  walk(scan.parsed.program, (n, parent) => {
    if (!covers(n, at)) return false;
    if (!isFunction(n)) return;
    const params = children(n, 'params');
    const index = params.findIndex((p) => paramName(p) === name);
    if (index < 0) return;
    const p = params[index]!;
    const fn = calledName(n, parent);
    if (fn) found = { fn, index, def: p.type === 'AssignmentPattern' ? child(p, 'right') : null };
    return;
  });
  return found;
}

/** The name of the innermost named function around `at`, or null at the top level of the file. */
export function enclosingFunction(scan: FileScan, at: number): string | null {
  let found: string | null = null;
  walk(scan.parsed.program, (n, parent) => {
    if (!covers(n, at)) return false;
    if (isFunction(n)) found = calledName(n, parent) ?? found;
    return;
  });
  return found;
}

/** Calls of a function by name in its own file and in the files importing it (their import lists are known without reading them again). */
export function callersOf(run: SourceRun, scan: FileScan, fn: string): Array<{ scan: FileScan; call: Node }> {
  const out: Array<{ scan: FileScan; call: Node }> = [];
  for (const s of run.matterScans) {
    if (s.file !== scan.file && ![...s.importSources].some((spec) => run.index.resolve(s.file, spec) === scan.file)) continue;
    if (!s.parsed.text.includes(fn)) continue;
    const parsed = run.index.scan(s.file);
    for (const call of parsed?.callsByName.get(fn) ?? []) out.push({ scan: parsed!, call });
  }
  return out;
}

/**
 * What a parameter holds: what the function's callers pass (`bootHTTP(app, process.env.SERVER_PORT || 3001)` for a
 * `listen(port)` inside it), else the parameter's own default (`function bootSSL(app, port = 3001)`). Callers are
 * looked for in the files either tier reads (each parsed on demand), so both tiers find the same.
 */
export function paramValue(run: SourceRun, scan: FileScan, node: Node | null): Val | null {
  const u = unwrap(node);
  // `configs.server.port` inside `function init(configs)`: that property of the object the callers pass.
  const path = u?.type === 'MemberExpression' ? memberPath(u) : u?.type === 'Identifier' ? [u.name as string] : null;
  if (!u || !path) return null;
  const param = enclosingParam(scan, path[0]!, u.start);
  if (!param) return null;
  const member = (v: Val): Val | null => {
    let cur: Val = v;
    for (const key of path.slice(1)) {
      if (cur.k !== 'obj') return null;
      const prop = objectProp(cur.node, key);
      if (!prop) return null;
      cur = run.ev.eval(prop, cur.mod);
    }
    return cur;
  };
  for (const c of callersOf(run, scan, param.fn)) {
    const arg = args(c.call)[param.index];
    const v = arg ? member(run.ev.eval(arg, c.scan)) : null;
    if (v && v.k !== 'unknown') return v;
  }
  return param.def ? member(run.ev.eval(param.def, scan)) : null;
}
