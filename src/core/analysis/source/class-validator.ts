import type { Evidence } from '../../evidence.js';
import { walk } from '../parse.js';
import { child, children, identName, memberProp, propName, unwrap, type Node } from './ast.js';
import { literalText, uncoerce } from './scan.js';
import { nodeEvidence, type SourceRun } from './types.js';

/** Decorators under which a variable may be unset. */
const OPTIONAL = new Set(['IsOptional', 'ValidateIf']);
/** Modules whose decorators describe an API's payload: a class carrying them is a request body, not the environment. */
const API_SCHEMA_MODULES = new Set(['@nestjs/swagger', '@nestjs/graphql', 'type-graphql']);

export interface ValidatedVar {
  name: string;
  evidence: Evidence;
  optional: boolean;
  /** The value the property starts with when the variable is unset, if the validators accept it. */
  def: string | null;
}

function decoratorName(d: Node): string | null {
  const e = unwrap(child(d, 'expression'));
  return identName(e?.type === 'CallExpression' ? child(e, 'callee') : e);
}

/** Whether the expression reads a property named `key` (`environment.SMTP_HOST`, `env['SMTP_HOST']`). */
function readsKey(n: Node | null, key: string): boolean {
  let found = false;
  if (n)
    walk(n, (x) => {
      if (found) return false;
      if (x.type === 'MemberExpression' && memberProp(x) === key) found = true;
      return;
    });
  return found;
}

/**
 * A fallback's value: a literal, '' when one branch of a choice is '' (Outline's `environment.URL ??
 * (environment.HEROKU_APP_NAME ? `https://…` : "")`: off Heroku, the empty string), else 'computed'.
 */
function fallbackText(n: Node | null): string | 'computed' {
  const u = unwrap(n);
  const lit = u ? literalText(u) : null;
  if (lit !== null) return lit;
  if (u?.type === 'ConditionalExpression' && [child(u, 'consequent'), child(u, 'alternate')].some((b) => literalText(uncoerce(b)) === '')) return '';
  return 'computed';
}

/**
 * What the initializer gives when the variable is unset: `= 'info'`, the literal after `?? `/`||` in
 * `this.toBoolean(env.TELEMETRY ?? 'true')`, or 'computed' for a fallback of another kind (`?? os.totalmem()`).
 * '' only where the validators take it.
 */
function initialDefault(value: Node | null, key: string, validators: string[]): string | 'computed' | null {
  const u = unwrap(value);
  if (!u) return null;
  let def = literalText(u);
  if (def === null)
    walk(u, (x) => {
      if (def !== null) return false;
      if (x.type === 'LogicalExpression' && (x.operator === '??' || x.operator === '||') && readsKey(child(x, 'left'), key)) def = fallbackText(uncoerce(child(x, 'right')));
      return;
    });
  // `SECRET_KEY = env.SECRET_KEY ?? ''` under @IsHexadecimal() or @IsNotEmpty(): the empty string fails validation.
  if (def === '' && !validators.every((v) => v === 'IsString')) return null;
  return def;
}

/**
 * Environment classes checked with class-validator: Nest's `EnvironmentVariables` validated in ConfigModule
 * (`validateConfig(process.env, EnvironmentVariablesValidator)`), Outline's `Environment` whose properties read
 * the variables. Each decorated UPPER_CASE property is a variable: `@IsOptional()` (or `@ValidateIf`) lets it be
 * unset; any other validator makes the service refuse to start without it, unless the property's initializer
 * gives a value the validators accept.
 */
export function classValidatorVars(run: SourceRun): ValidatedVar[] {
  const out: ValidatedVar[] = [];
  for (const s of run.astScans) {
    if (!s.importSources.has('class-validator')) continue;
    walk(s.parsed.program, (n) => {
      if (n.type !== 'ClassBody') return;
      // homebridge-config-ui-x's HbServiceStartupSettings: `@IsBoolean() @ApiProperty() HOMEBRIDGE_DEBUG` is a field of a request.
      const members = children(n, 'body');
      if (members.some((m) => children(m, 'decorators').some((d) => API_SCHEMA_MODULES.has(s.imports.get(decoratorName(d) ?? '')?.source ?? '')))) return;
      for (const m of members) {
        if (m.type !== 'PropertyDefinition' || m.static === true) continue;
        const name = propName(child(m, 'key'));
        if (!name || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
        // class-validator's own decorators: the project's (`@Public`, a custom `@IsDatabaseUrl`) say nothing known.
        const validators = children(m, 'decorators')
          .map(decoratorName)
          .filter((d): d is string => d !== null && s.imports.get(d)?.source === 'class-validator');
        if (validators.length === 0) continue;
        // An initializer that never reads the variable (`EMAIL_ENABLED = !!(this.SMTP_HOST || …)`) computes a setting.
        const value = child(m, 'value');
        if (value && !readsKey(value, name)) continue;
        const optional = validators.some((d) => OPTIONAL.has(d));
        const def = optional ? null : initialDefault(value, name, validators);
        out.push({ name, evidence: nodeEvidence(s, m.start, 'class-validator-property'), optional: optional || def === 'computed', def: def === 'computed' ? null : def });
      }
    });
  }
  return out;
}
