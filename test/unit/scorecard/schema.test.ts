import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildScorecard, ScorecardSchema } from '../../../src/core/scorecard/index.js';
import { fullInputs } from './helpers.js';

describe('ScorecardSchema', () => {
  it('accepts a built scorecard and converts to JSON Schema for schemas/', async () => {
    const card = buildScorecard(await fullInputs());
    expect(ScorecardSchema.safeParse(card).success).toBe(true);
    const json = z.toJSONSchema(ScorecardSchema, { target: 'draft-2020-12', io: 'output' }) as { properties: Record<string, unknown> };
    expect(Object.keys(json.properties)).toEqual(['schema_version', 'project', 'artifacts', 'rows', 'overall']);
  });

  it('rejects rows out of checklist order and a ready row that carries a fix', async () => {
    const card = buildScorecard(await fullInputs());
    const swapped = { ...card, rows: [card.rows[1]!, card.rows[0]!, ...card.rows.slice(2)] };
    expect(ScorecardSchema.safeParse(swapped).success).toBe(false);
    const withFix = { ...card, rows: card.rows.map((r, i) => (i === 0 ? { ...r, status: 'ready' as const, fix: 'do something' } : r)) };
    expect(ScorecardSchema.safeParse(withFix).success).toBe(false);
  });
});
