import { parse as parseYaml } from 'yaml';
import type { AnalysisContext } from '../context.js';
import { lineOf } from '../../evidence.js';
import type { Node } from './ast.js';
import type { ConfigEnvVar } from './types.js';

/**
 * node-config (the `config` package): `config.get('server.port')` returns what `config/default.*`
 * says, overridden by `config/production.*` (the container runs with NODE_ENV=production), overridden
 * in turn by the environment variables `config/custom-environment-variables.*` maps onto keys. The
 * evaluator reads that merged configuration as an object expression, with each mapped key written as
 * `process.env.NAME ?? <file value>`, so ports, hosts and connection strings resolve like code does.
 */
export interface NodeConfig {
  /** The merged configuration as an ObjectExpression the evaluator can walk. */
  node: Node;
  /** Variables the mapping file names, with where: the service reads each of them. */
  envVars: ConfigEnvVar[];
}

const EXTENSIONS = ['json', 'yaml', 'yml'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function readConfigFile(ctx: AnalysisContext, stem: string): { file: string; text: string; value: Json } | null {
  for (const ext of EXTENSIONS) {
    const file = ctx.unitPath(`config/${stem}.${ext}`);
    if (!ctx.unitFiles.includes(file)) continue;
    const text = ctx.repo.read(file);
    if (text === null) continue;
    try {
      return { file, text, value: (ext === 'json' ? JSON.parse(text) : parseYaml(text)) as Json };
    } catch {
      // A config file that does not parse: node-config would fail at start; nothing to read here.
      return null;
    }
  }
  return null;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: { [key: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k]!, v) : v;
  return out;
}

const ident = (name: string): Node => ({ type: 'Identifier', name, start: 0, end: 0 });
const member = (object: Node, name: string): Node => ({ type: 'MemberExpression', computed: false, object, property: ident(name), start: 0, end: 0 });

function literal(v: Json): Node {
  if (isObject(v)) return objectExpression(v, null);
  if (Array.isArray(v)) return { type: 'ArrayExpression', elements: v.map(literal), start: 0, end: 0 };
  return { type: 'Literal', value: v, start: 0, end: 0 };
}

/** `{ key: value }` with each key the mapping names read from its variable, the file value as the fallback. */
function objectExpression(values: { [key: string]: Json }, mapping: Json | undefined): Node {
  const keys = new Set([...Object.keys(values), ...(isObject(mapping) ? Object.keys(mapping) : [])]);
  const properties: Node[] = [];
  for (const key of keys) {
    if (key.startsWith('__')) continue;
    const m = isObject(mapping) ? mapping[key] : undefined;
    const envName = typeof m === 'string' ? m : isObject(m) && typeof m.__name === 'string' ? m.__name : null;
    const fileValue = values[key];
    let value: Node;
    if (envName) {
      const read = member(member(ident('process'), 'env'), envName);
      value = fileValue === undefined || isObject(fileValue) ? read : { type: 'LogicalExpression', operator: '??', left: read, right: literal(fileValue), start: 0, end: 0 };
    } else if (isObject(fileValue) || (isObject(m) && fileValue === undefined)) value = objectExpression(isObject(fileValue) ? fileValue : {}, m);
    else if (fileValue === undefined) continue;
    else value = literal(fileValue);
    properties.push({ type: 'Property', key: ident(key), value, kind: 'init', computed: false, start: 0, end: 0 });
  }
  return { type: 'ObjectExpression', properties, start: 0, end: 0 };
}

/** Every variable name in the mapping, with the line that names it. */
function mappedVars(mapping: Json, file: string, text: string, out: NodeConfig['envVars']): void {
  if (!isObject(mapping)) return;
  for (const [key, v] of Object.entries(mapping)) {
    const name = typeof v === 'string' && key !== '__format' ? v : isObject(v) && typeof v.__name === 'string' ? v.__name : null;
    if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      const quoted = text.indexOf(`"${name}"`);
      out.push({ name, file, line: lineOf(text, quoted !== -1 ? quoted : text.indexOf(name)) });
    } else if (isObject(v)) mappedVars(v, file, text, out);
  }
}

/** The unit's node-config configuration, when it depends on `config` and has a config directory. */
export function loadNodeConfig(ctx: AnalysisContext): NodeConfig | null {
  if (!ctx.hasDep('config')) return null;
  const base = readConfigFile(ctx, 'default');
  const prod = readConfigFile(ctx, 'production');
  const env = readConfigFile(ctx, 'custom-environment-variables');
  if (!base && !prod && !env) return null;
  const merged = merge(base?.value ?? {}, prod?.value ?? {});
  const envVars: NodeConfig['envVars'] = [];
  if (env) mappedVars(env.value, env.file, env.text, envVars);
  return {
    node: { ...objectExpression(isObject(merged) ? merged : {}, env?.value), nodeConfig: true },
    envVars,
  };
}
