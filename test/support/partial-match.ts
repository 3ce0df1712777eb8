/**
 * Recursive partial matching for fixture expectations: objects match by the keys given, arrays
 * match when every expected element matches some actual element. Returns the mismatches.
 */
export function partialMismatches(actual: unknown, expected: unknown, path = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const out: string[] = [];
    for (const [i, e] of expected.entries()) {
      if (!actual.some((a) => partialMismatches(a, e).length === 0)) {
        out.push(`${path}[${i}]: no element matches ${JSON.stringify(e)}; actual: ${JSON.stringify(actual).slice(0, 400)}`);
      }
    }
    return out;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => partialMismatches((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k));
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
