import { createRequire } from 'node:module';

/**
 * Stands in for the SDK's `validation/ajv-provider.js` in the bundle (scripts/build.mjs aliases it).
 * The SDK only validates elicitation answers with Ajv, yet imports Ajv eagerly: about 40 % of the code
 * a server start parses. This loads the SDK's own provider (and Ajv) on the first validation instead.
 */
const load = createRequire(import.meta.url);

interface Validator {
  getValidator(schema: unknown): (input: unknown) => { valid: boolean; data: unknown; errorMessage: string | undefined };
}

export class AjvJsonSchemaValidator implements Validator {
  private real: Validator | undefined;

  constructor(private readonly ajv?: unknown) {}

  getValidator(schema: unknown) {
    if (!this.real) {
      const { AjvJsonSchemaValidator: Real } = load('@modelcontextprotocol/sdk/validation/ajv') as { AjvJsonSchemaValidator: new (ajv?: unknown) => Validator };
      this.real = new Real(this.ajv);
    }
    return this.real.getValidator(schema);
  }
}
