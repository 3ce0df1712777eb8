import { walk } from '../parse.js';
import { args, child, children, covers, functionName, isFunction, paramName, propName, unwrap, type Node } from './ast.js';
import type { Val } from './modules.js';
import type { FileScan } from './scan.js';
import type { SourceRun } from './types.js';

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
    // `function bootHTTP(app, port)`, `const start = (port) => …`, `{ start(port) { … } }`.
    const fn = functionName(n, parent) ?? (parent && (parent.type === 'Property' || parent.type === 'MethodDefinition') ? propName(child(parent, 'key')) : null);
    if (fn) found = { fn, index, def: p.type === 'AssignmentPattern' ? child(p, 'right') : null };
    return;
  });
  return found;
}

/**
 * What a parameter holds: what the function's callers pass (`bootHTTP(app, process.env.SERVER_PORT || 3001)` for a
 * `listen(port)` inside it), else the parameter's own default (`function bootSSL(app, port = 3001)`). Callers are
 * looked for in the files either tier reads (each parsed on demand), so both tiers find the same.
 */
export function paramValue(run: SourceRun, scan: FileScan, node: Node | null): Val | null {
  const u = unwrap(node);
  if (u?.type !== 'Identifier') return null;
  const param = enclosingParam(scan, u.name as string, u.start);
  if (!param) return null;
  // Callers are in this file or in files importing it: their import lists are known without reading them again.
  const callers = run.matterScans.filter((s) => s.file === scan.file || [...s.importSources].some((spec) => run.index.resolve(s.file, spec) === scan.file));
  for (const s of callers) {
    if (!s.parsed.text.includes(param.fn)) continue;
    const parsed = run.index.scan(s.file);
    for (const call of parsed?.callsByName.get(param.fn) ?? []) {
      const arg = args(call)[param.index];
      const v = arg ? run.ev.eval(arg, parsed!) : null;
      if (v && v.k !== 'unknown') return v;
    }
  }
  return param.def ? run.ev.eval(param.def, scan) : null;
}
