import { describe, expect, it } from 'vitest';
import { AjvJsonSchemaValidator } from '../../../src/mcp/lazy-ajv-provider.js';

// The bundle swaps the SDK's eager Ajv provider for this lazy one: elicitation answers must still be checked.
describe('lazy Ajv provider', () => {
  it('validates like the SDK provider, loading Ajv on first use', () => {
    const validate = new AjvJsonSchemaValidator().getValidator({ type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] });
    expect(validate({ confirm: true })).toMatchObject({ valid: true, data: { confirm: true } });
    const bad = validate({ confirm: 'yes' });
    expect(bad.valid).toBe(false);
    expect(bad.errorMessage).toMatch(/boolean/);
  });
});
