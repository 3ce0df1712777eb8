import { describe, expect, it } from 'vitest';
import { analyze, findingOf, pkgJson } from './memory-repo.js';

describe("a platform's scheduled requests", () => {
  it("vercel.json crons (rallly's house-keeping) never run on Sealos: a warning names each path and schedule", () => {
    const vercel = JSON.stringify({ buildCommand: 'pnpm build', crons: [{ path: '/api/house-keeping/auto-close-polls', schedule: '30 5 * * *' }, { path: '/api/house-keeping/delete-inactive-polls', schedule: '0 6 * * *' }] }, null, 2);
    const r = analyze({ 'package.json': pkgJson(['next']), 'vercel.json': vercel });
    expect(findingOf(r, 'platform-crons')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('/api/house-keeping/auto-close-polls at "30 5 * * *", /api/house-keeping/delete-inactive-polls at "0 6 * * *"'),
      evidence: [{ file: 'vercel.json', line: 3, rule: 'vercel-crons' }],
    });
  });

  it('says nothing without crons, or with a vercel.json that is not JSON', () => {
    expect(findingOf(analyze({ 'package.json': pkgJson(['next']), 'vercel.json': '{ "buildCommand": "next build" }' }), 'platform-crons')).toBeUndefined();
    expect(findingOf(analyze({ 'package.json': pkgJson(['next']), 'vercel.json': '{ "crons": [' }), 'platform-crons')).toBeUndefined();
  });
});
