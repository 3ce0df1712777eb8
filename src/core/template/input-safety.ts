/**
 * The Template API substitutes input values into the raw template text before parsing YAML, and the
 * renderer puts every input inside double quotes. A value with `"`, `\` or a line break would end that
 * string early (or fail to parse), so such values must be applied with `instantiate` instead, or rejected.
 * Returns the names of the unsafe inputs only, never their values.
 */
export function inputsUnsafeForTextSubstitution(values: Record<string, string>): string[] {
  return Object.keys(values)
    .filter((name) => /["\\\r\n]/.test(values[name] ?? '') || (values[name] ?? '').includes('${{'))
    .sort();
}
