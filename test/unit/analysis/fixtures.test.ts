import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../../src/core/analysis/index.js';
import { AnalysisSchema } from '../../../src/core/state/analysis-schema.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { partialMismatches } from '../../support/partial-match.js';

const APPS = join(import.meta.dirname, '../../fixtures/apps');
const fixtures = readdirSync(APPS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(APPS, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

interface Expected {
  description: string;
  options?: { path?: string };
  expect?: Record<string, unknown>;
  findings?: Record<string, 'pass' | 'warn' | 'fail'>;
}

describe('analysis of every fixture app matches its expected facts', () => {
  it('has at least 30 fixture apps', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s', async (name) => {
    const dir = join(APPS, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const view = await openRepoView(dir, execaRunner);
    const analysis = analyzeRepo(view, expected.options ?? {});
    // Every analysis is a valid document, whatever the repo looks like.
    AnalysisSchema.parse(analysis);
    const problems = partialMismatches(analysis, expected.expect ?? {});
    for (const [id, status] of Object.entries(expected.findings ?? {})) {
      const got = analysis.findings.filter((f) => f.id === id).map((f) => f.status);
      if (!got.includes(status)) problems.push(`finding ${id}: expected ${status}, got ${got.length ? got.join(',') : 'none'}`);
    }
    expect(problems, `${name}: ${expected.description}`).toEqual([]);
  });
});
