import { args, child, children, objectKeys, objectProp, stringValue, unwrap, type Node } from './ast.js';
import type { ValidatedVar } from './class-validator.js';
import { findBinding, literalOf, type Val } from './modules.js';
import { callsNamed, moduleOf } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

const FASTIFY_ENV = new Set(['@fastify/env', 'fastify-env']);
export const JSON_SCHEMA_ENV_MODULES = [...FASTIFY_ENV, 'env-schema'];

/**
 * The environment validated at start by a JSON Schema (fastify-env / @fastify/env, env-schema):
 *
 *   fastify.register(require('@fastify/env'), { schema: { type: 'object', required: ['JWT_SECRET'],
 *     properties: { PORT: { type: 'number', default: 3000 }, JWT_SECRET: { type: 'string' } } } })
 *
 * Each property is a variable; one in `required` without a default stops the service at start when unset.
 */
export function jsonSchemaEnvVars(run: SourceRun): ValidatedVar[] {
  const out: ValidatedVar[] = [];
  const obj = (v: Val | null): Extract<Val, { k: 'obj' }> | null => (v?.k === 'obj' ? v : null);
  for (const s of run.astScans) {
    if (!JSON_SCHEMA_ENV_MODULES.some((m) => s.importSources.has(m))) continue;
    const optionObjects: Array<{ call: Node; opts: Node | null }> = [];
    for (const c of callsNamed(s, 'register')) if (FASTIFY_ENV.has(moduleOf(s, args(c)[0] ?? null) ?? '')) optionObjects.push({ call: c, opts: args(c)[1] ?? null });
    for (const c of s.calls) if (moduleOf(s, child(c, 'callee')) === 'env-schema') optionObjects.push({ call: c, opts: args(c)[0] ?? null });
    // @fastify/autoload registers a plugin file's default export with its `autoConfig` (fastify/demo:
    // `export const autoConfig = { schema, dotenv: true }; export default env`).
    const plugin = s.exports.get('default');
    const autoConfig = s.exports.get('autoConfig');
    const config = autoConfig ? (autoConfig.node ?? (autoConfig.local ? (findBinding(s, autoConfig.local, Number.MAX_SAFE_INTEGER)?.init ?? null) : null)) : null;
    const isEnvPlugin = FASTIFY_ENV.has(moduleOf(s, plugin?.node ?? null) ?? '') || (plugin?.local !== undefined && FASTIFY_ENV.has(s.imports.get(plugin.local)?.source ?? ''));
    if (config && isEnvPlugin) optionObjects.push({ call: config, opts: config });
    for (const { call, opts } of optionObjects) {
      const o = obj(opts ? run.ev.eval(opts, s) : null);
      const schemaProp = o ? objectProp(o.node, 'schema') : null;
      const schema = o && schemaProp ? obj(run.ev.eval(schemaProp, o.mod)) : null;
      const propsNode = schema ? objectProp(schema.node, 'properties') : null;
      const props = schema && propsNode ? obj(run.ev.eval(propsNode, schema.mod)) : null;
      if (!schema || !props) continue;
      const req = unwrap(objectProp(schema.node, 'required'));
      const required = new Set(req?.type === 'ArrayExpression' ? children(req, 'elements').map((e) => stringValue(e)).filter((x): x is string => x !== null) : []);
      for (const name of objectKeys(props.node)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
        const spec = objectProp(props.node, name);
        const defNode = objectProp(unwrap(spec), 'default');
        const def = defNode ? literalOf(run.ev.eval(defNode, props.mod)) : null;
        out.push({ name, evidence: nodeEvidence(props.mod, spec?.start ?? call.start, 'json-schema-env'), optional: !required.has(name) || def !== null, def: def === null ? null : String(def) });
      }
    }
  }
  return out;
}
