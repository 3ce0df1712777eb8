import { z } from 'zod';
import { ARTIFACT_SCHEMAS } from './artifact-schemas.js';

/** JSON Schema text for every artifact, deterministic so a test can compare with the committed files. */
export function renderJsonSchemas(): Array<{ file: string; text: string }> {
  return ARTIFACT_SCHEMAS.map(({ name, title, schema }) => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
    return { file: `${name}.schema.json`, text: JSON.stringify({ $id: `urn:sealos-deploy:schema:${name}`, title, ...json }, null, 2) + '\n' };
  });
}
