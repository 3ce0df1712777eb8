import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { renderTemplate } from '../../../src/core/template/render.js';
import type { RenderInputs } from '../../../src/core/template/types.js';
import { express, fastifyPrisma, nextSsr } from './scenarios.js';

/** Byte-for-byte snapshots of whole templates; regenerate with UPDATE_GOLDEN=1 and review the diff. */
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../golden/template');

const cases: Array<[string, () => Analysis, RenderInputs]> = [
  ['express', express, { image: 'ghcr.io/acme/demo-api:20260101-abc1234' }],
  ['nextjs', nextSsr, { image: 'ghcr.io/acme/next-shop:20260101-def5678', memory: '1Gi', cpu: '1' }],
  ['fastify-prisma-postgres', fastifyPrisma, { image: 'ghcr.io/acme/fastify-prisma-postgres:20260101-0a1b2c3', imagePullSecret: true, customDomain: 'api.acme.dev' }],
];

describe('golden templates', () => {
  it.each(cases)('%s.yaml matches byte for byte', (name, analysis, inputs) => {
    const file = join(GOLDEN_DIR, `${name}.yaml`);
    const yaml = renderTemplate(analysis(), inputs).yaml;
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, yaml);
    }
    expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/unit/template`).toBe(true);
    expect(yaml).toBe(readFileSync(file, 'utf8'));
  });
});
