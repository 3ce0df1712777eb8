import { walk, type AstNode as Node } from '../parse.js';
import { child, children, covers, stringValue, unwrap } from './ast.js';
import { EQUALITY } from './presence.js';

/**
 * What an operand is when the operator sets nothing beyond what the deployment does: `{ value }` for a setting
 * (NODE_ENV 'production', as the image and the template set it; another variable its literal fallback in code, or
 * undefined when unset); null when the operand is not a setting.
 */
export type DefaultOf = (n: Node) => { value: string | undefined } | null;

/** Whether a comparison with a constant holds: null when the test compares no setting with a constant. */
export function holdsByDefault(test: Node | null, defaultOf: DefaultOf, held?: (name: Node) => Node | null): boolean | null {
  const u = unwrap(test);
  if (!u) return null;
  // A name bound once to a comparison (TypeScript-Node-Starter's `const prod = ENVIRONMENT === "production"`).
  if (u.type === 'Identifier' && held) {
    const init = held(u);
    return init ? holdsByDefault(init, defaultOf) : null;
  }
  if (u.type === 'UnaryExpression' && u.operator === '!') {
    const inner = holdsByDefault(child(u, 'argument'), defaultOf, held);
    return inner === null ? null : !inner;
  }
  if (u.type === 'LogicalExpression' && (u.operator === '&&' || u.operator === '||')) {
    const l = holdsByDefault(child(u, 'left'), defaultOf, held);
    const r = holdsByDefault(child(u, 'right'), defaultOf, held);
    // One side decides alone only when it settles the whole test (`isTest && x` is false when not testing).
    if (u.operator === '&&') return l === false || r === false ? false : l === true && r === true ? true : null;
    return l === true || r === true ? true : l === false && r === false ? false : null;
  }
  if (u.type !== 'BinaryExpression' || !EQUALITY.has(u.operator as string)) return null;
  const l = unwrap(child(u, 'left'));
  const r = unwrap(child(u, 'right'));
  if (!l || !r) return null;
  const [setting, constant] = defaultOf(l) ? [defaultOf(l), r] : [defaultOf(r), l];
  const literal = stringValue(constant);
  if (!setting || literal === null) return null;
  const equal = setting.value === literal;
  return u.operator === '===' || u.operator === '==' ? equal : !equal;
}

/** NODE_ENV as deployed, for an evaluator that knows which operands read it. */
export function productionMode(isNodeEnv: (n: Node) => boolean): DefaultOf {
  return (n) => (isNodeEnv(n) ? { value: 'production' } : null);
}

/**
 * The parts of `test ? a : b`, `if (test) a else b` or `switch (setting) { case … }` that do not run by default: what
 * they read the service runs without (`NODE_ENV === 'test' ? TEST_DB : DB`; `case 'postgres':` of a switch on
 * DATABASE_TYPE that defaults to SQLite). An operator may choose such a branch; then its settings are theirs to give.
 */
export function branchesOffByDefault(n: Node, defaultOf: DefaultOf, held?: (name: Node) => Node | null): Node[] {
  if (n.type === 'SwitchStatement') return casesOffByDefault(n, defaultOf);
  const holds = holdsByDefault(child(n, 'test'), defaultOf, held);
  if (holds === null) return [];
  const off = child(n, holds ? 'alternate' : 'consequent');
  return off ? [off] : [];
}

/** Keys of an environment-keyed config other than production. */
const NOT_PRODUCTION = new Set(['development', 'dev', 'test', 'testing', 'local']);

/**
 * The entries of a config keyed by environment (`{ development: {…}, test: {…}, production: {…} }`, the shape of every
 * sequelize-cli `config/config.js`) other than production: the service picks its entry by NODE_ENV, which is
 * 'production' as deployed, so what the others read it runs without (chartbrew's CB_DB_HOST_DEV).
 */
export function entriesOffByDefault(obj: Node): Node[] {
  const props = children(obj, 'properties').filter((p) => p.type === 'Property' && !p.computed);
  const keyOf = (p: Node) => {
    const k = unwrap(child(p, 'key'));
    return k?.type === 'Identifier' ? (k.name as string) : stringValue(k);
  };
  if (!props.some((p) => keyOf(p) === 'production')) return [];
  const off = props.filter((p) => NOT_PRODUCTION.has(keyOf(p) ?? ''));
  return off.map((p) => child(p, 'value')).filter((v): v is Node => v !== null);
}

function casesOffByDefault(n: Node, defaultOf: DefaultOf): Node[] {
  const d = child(n, 'discriminant');
  const setting = d ? defaultOf(d) : null;
  if (!setting) return [];
  const cases = children(n, 'cases');
  const running = cases.find((c) => child(c, 'test') !== null && stringValue(child(c, 'test')) === setting.value) ?? cases.find((c) => child(c, 'test') === null) ?? null;
  // Every case a literal; the one that runs falls through the cases after it until one ends (`case 'local': default:
  // return new Local()`, postiz's storage): what the others hold does not run by default.
  if (cases.some((c) => child(c, 'test') !== null && stringValue(child(c, 'test')) === null)) return [];
  const runs = new Set<Node>();
  for (let i = running ? cases.indexOf(running) : cases.length; i < cases.length; i++) {
    runs.add(cases[i]!);
    if (endsCase(cases[i]!)) break;
  }
  return cases.filter((c) => !runs.has(c) && children(c, 'consequent').length > 0);
}

/** A case that does not fall through into the next one. */
function endsCase(c: Node): boolean {
  const body = children(c, 'consequent');
  let last = body[body.length - 1];
  while (last?.type === 'BlockStatement') last = children(last, 'body').at(-1);
  return !!last && (last.type === 'BreakStatement' || last.type === 'ReturnStatement' || last.type === 'ThrowStatement' || last.type === 'ContinueStatement');
}

/**
 * The setting whose value chooses the branch holding `at`: the innermost `case 'postgres':` of a switch on a variable,
 * or `if (process.env.DATABASE_TYPE === 'postgres') { … }`. `envName` names the variable an operand reads.
 */
export function selectorAt(program: Node, at: number, envName: (n: Node | null) => string | null): { env_name: string; value: string } | null {
  let found: { env_name: string; value: string } | null = null;
  const inside = (n: Node | null) => covers(n, at);
  walk(program, (n) => {
    if (!inside(n)) return false;
    if (n.type === 'SwitchStatement') {
      const name = envName(child(n, 'discriminant'));
      const c = children(n, 'cases').find((x) => children(x, 'consequent').some(inside));
      const value = c ? stringValue(child(c, 'test')) : null;
      if (name && name !== 'NODE_ENV' && value !== null) found = { env_name: name, value };
    } else if (n.type === 'IfStatement' && inside(child(n, 'consequent'))) {
      const t = unwrap(child(n, 'test'));
      if (t?.type === 'BinaryExpression' && (t.operator === '===' || t.operator === '==')) {
        const [l, r] = [child(t, 'left'), child(t, 'right')];
        const name = envName(l) ?? envName(r);
        const value = stringValue(envName(l) ? r : l);
        if (name && name !== 'NODE_ENV' && value !== null) found = { env_name: name, value };
      }
    }
    return;
  });
  return found;
}
