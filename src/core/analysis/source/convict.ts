import { args, child, objectKeys, objectProp, stringValue, unwrap, type Node } from './ast.js';
import { literalOf, type Evaluator, type Val } from './modules.js';
import { callsNamed, localsOf, type FileScan } from './scan.js';
import type { ConfigEnvVar } from './types.js';

/**
 * convict: `convict({ port: { default: 8080, env: 'PORT', format: 'port' }, db: { url: {...} } })`
 * declares each setting with its default and the variable that overrides it; `config.get('db.url')`
 * returns it. The evaluator resolves such a get as `process.env.NAME ?? default`.
 */

/** Marks the value of `require('convict')` / `import convict from 'convict'`. */
export const CONVICT_FACTORY: Node = { type: 'ConvictFactory', start: 0, end: 0 };

/** The configuration a `convict(schema)` call returns: the schema, kept for later `get`s. */
export function convictConfig(call: Node, schema: Node | null): Node {
  return { type: 'ConvictConfig', schema, start: call.start, end: call.end };
}

/** A schema leaf declares a default (convict requires one); anything else is a group of settings. */
function leaf(v: Val): Node | null {
  return v.k === 'obj' && v.node.type === 'ObjectExpression' && objectProp(v.node, 'default') !== null ? v.node : null;
}

/** What `config.get('a.b')` gives for a convict configuration. */
export function convictGet(ev: Evaluator, config: Extract<Val, { k: 'obj' }>, path: string, depth: number): Val {
  let cur = ev.eval(child(config.node, 'schema'), config.mod, depth + 1);
  for (const seg of path.split('.')) cur = ev.member(cur, seg, depth + 1);
  const node = leaf(cur);
  if (!node || cur.k !== 'obj') return cur;
  const def = ev.eval(objectProp(node, 'default'), cur.mod, depth + 1);
  const env = stringValue(objectProp(node, 'env'));
  return env ? { k: 'env', name: env, fallback: def.k === 'unknown' ? def.fallback : def } : def;
}

/** Every variable the unit's convict schemas name, with the default and the line that names it. */
export function convictEnvVars(ev: Evaluator, scans: readonly FileScan[]): ConfigEnvVar[] {
  const out: ConfigEnvVar[] = [];
  const visit = (v: Val, depth: number) => {
    if (v.k !== 'obj' || v.node.type !== 'ObjectExpression' || depth > 8) return;
    const node = leaf(v);
    if (node) {
      const envNode = objectProp(node, 'env');
      const name = stringValue(envNode);
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return;
      const defNode = unwrap(objectProp(node, 'default'));
      const lit = literalOf(ev.eval(defNode, v.mod));
      const def = lit === null ? null : String(lit);
      // A default that is not a plain value (a list, a path, another variable) still is one; only
      // `default: null` without `nullable: true` fails convict's validation when the variable is unset.
      const noDefault = !defNode || (defNode.type === 'Literal' && defNode.value === null) || (defNode.type === 'Identifier' && defNode.name === 'undefined');
      const nullable = unwrap(objectProp(node, 'nullable'))?.value === true;
      out.push({ name, file: v.mod.file, line: v.mod.parsed.line(envNode!.start), def, optional: def === null && (!noDefault || nullable), source: 'code', rule: 'convict-env' });
      return;
    }
    for (const key of objectKeys(v.node)) visit(ev.member(v, key, depth), depth + 1);
  };
  for (const s of scans) {
    const locals = localsOf(s, (src) => src === 'convict');
    if (locals.length === 0) continue;
    for (const c of callsNamed(s, ...locals)) visit(ev.eval(args(c)[0] ?? null, s), 0);
  }
  return out;
}
