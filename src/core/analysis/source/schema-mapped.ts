import { args, child, children, covers, memberProp, objectProp, propName, stringValue, unwrap, type Node } from './ast.js';
import type { ValidatedVar } from './class-validator.js';
import { literalOf, specFacts } from './modules.js';
import { callsNamed, type FileScan } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

const PARSERS = ['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'validate', 'validateSync'];

/** The object literal a schema chain is built on: `z.object({...}).transform(fn)` → `{...}`. */
function shapeOf(n: Node | null, depth = 0): Node | null {
  const u = unwrap(n);
  if (!u || depth > 8) return null;
  if (u.type === 'ObjectExpression') return u;
  if (u.type !== 'CallExpression') return null;
  const callee = unwrap(child(u, 'callee'));
  const name = callee?.type === 'MemberExpression' ? memberProp(callee) : null;
  if (name === 'object' || name === 'strictObject' || name === 'looseObject' || name === 'keys') return shapeOf(args(u)[0] ?? null, depth + 1);
  return callee?.type === 'MemberExpression' ? shapeOf(child(callee, 'object'), depth + 1) : null;
}

/** `z.discriminatedUnion('type', [a, b])` → the discriminator and each variant's shape; null for anything else. */
function unionOf(run: SourceRun, s: FileScan, n: Node | null): { tag: string; variants: Array<Node | null> } | null {
  const u = unwrap(n);
  if (u?.type !== 'CallExpression') return null;
  const callee = unwrap(child(u, 'callee'));
  if (callee?.type !== 'MemberExpression' || memberProp(callee) !== 'discriminatedUnion') return null;
  const tag = stringValue(args(u)[0] ?? null);
  const list = unwrap(args(u)[1] ?? null);
  if (tag === null || list?.type !== 'ArrayExpression') return null;
  return { tag, variants: children(list, 'elements').map((e) => shapeOf(run.ev.schemaNodeOf(e, s))) };
}

/**
 * Configuration validated by a schema whose keys are the service's own names, filled from the environment:
 *
 *   const schema = z.object({ backendPort: z.number().default(3000), baseUrl: z.string() })
 *   schema.safeParse({ backendPort: parseOptionalNumber(process.env.HD_BACKEND_PORT), baseUrl: process.env.HD_BASE_URL })
 *
 * Each variable takes what the schema says of the key it fills (HedgeDoc: HD_BACKEND_PORT defaults to 3000,
 * HD_BASE_URL is required). In a discriminated union the discriminator is required, and another key only when every
 * variant requires it: the rest belong to a variant the operator may not choose (S3 settings when media is stored on
 * the file system). A fallback in the code (`process.env.X ?? null`) is what the schema sees when the variable is unset.
 */
export function schemaMappedVars(run: SourceRun): ValidatedVar[] {
  const out: ValidatedVar[] = [];
  for (const s of run.astScans) {
    if (s.envReads.length === 0) continue;
    for (const c of callsNamed(s, ...PARSERS)) {
      const data = unwrap(args(c)[0] ?? null);
      const callee = unwrap(child(c, 'callee'));
      if (data?.type !== 'ObjectExpression' || callee?.type !== 'MemberExpression') continue;
      mapValue(run, s, data, run.ev.schemaNodeOf(child(callee, 'object'), s), false, out);
    }
  }
  return out;
}

/** Maps one value of the data object onto its schema (`spec`: a validator chain, an object schema or a union). */
function mapValue(run: SourceRun, s: FileScan, value: Node, spec: Node | null, variant: boolean, out: ValidatedVar[]): void {
  const union = unionOf(run, s, spec);
  if (value.type === 'ObjectExpression') {
    const shape = union ? null : shapeOf(spec);
    for (const p of children(value, 'properties')) {
      const key = p.type === 'Property' ? propName(child(p, 'key')) : null;
      const v = unwrap(child(p, 'value'));
      if (!key || !v) continue;
      if (!union) {
        // A nested object whose schema is not an object (a record, a refinement that cannot be read): its keys are optional.
        mapValue(run, s, v, shape ? objectProp(shape, key) : null, variant || shape === null, out);
        continue;
      }
      const specs = union.variants.map((shape) => (shape ? objectProp(shape, key) : null));
      const everywhere = specs.every((x) => x !== null);
      mapValue(run, s, v, key === union.tag ? specs.find((x) => x !== null) ?? null : everywhere ? specs[0]! : null, variant || (key !== union.tag && (!everywhere || specs.some((x) => specFacts(x, run.ev, s).optional))), out);
    }
    return;
  }
  const facts = spec ? specFacts(spec, run.ev, s) : null;
  const lit = facts?.def ? literalOf(facts.def) : null;
  for (const r of readsIn(s, value)) {
    const optional = variant || !facts || facts.optional || r.def !== null || r.optional === true;
    out.push({ name: r.name, evidence: nodeEvidence(s, r.node.start, 'schema-mapped-key'), optional, def: lit === null ? r.def : String(lit) });
  }
}

function readsIn(s: FileScan, n: Node): FileScan['envReads'] {
  return s.envReads.filter((r) => covers(n, r.node.start));
}
