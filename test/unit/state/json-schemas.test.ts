import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from '../../../src/core/state/json-schemas.js';

describe('schemas/ JSON Schemas', () => {
  it.each(renderJsonSchemas().map((s) => [s.file, s.text]))('%s is up to date (run `npm run schemas`)', (file, text) => {
    expect(readFileSync(join(import.meta.dirname, '../../../schemas', file), 'utf8')).toBe(text);
  });
});
