// Writes schemas/<artifact>.schema.json from the zod schemas (a test fails when they are stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchemas } from '../src/core/state/json-schemas.js';

const out = join(import.meta.dirname, '..', 'schemas');
mkdirSync(out, { recursive: true });
for (const { file, text } of renderJsonSchemas()) {
  writeFileSync(join(out, file), text);
  process.stdout.write(`wrote schemas/${file}\n`);
}
