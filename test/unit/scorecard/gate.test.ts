import { describe, expect, it } from 'vitest';
import { buildScorecard, ROW_NAMES, ScorecardSchema, type Scorecard } from '../../../src/core/scorecard/index.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { acceptedTruth, fullInputs, IMAGE, missing, ok, report } from './helpers.js';

const status = (card: Scorecard, row: (typeof ROW_NAMES)[number]) => card.rows.find((r) => r.row === row)!.status;

describe('scorecard launch gate', () => {
  it('is launchable when every artifact is good and the Truth Pass of this release is accepted', async () => {
    const card = buildScorecard(await fullInputs());
    expect(ScorecardSchema.parse(card)).toEqual(card);
    expect(card.rows.map((r) => r.row)).toEqual([...ROW_NAMES]);
    expect(card.rows.filter((r) => r.status === 'not-ready' || r.status === 'unknown').map((r) => [r.row, r.fix])).toEqual([]);
    expect(card.overall.launchable).toBe(true);
    expect(card.overall.truth).toEqual({ verdict: 'accepted', finished_at: '2026-09-05T12:02:00Z', image: IMAGE, fresh: true });
  });

  it('is not launchable without a Truth Pass, and the rows that need live proof are unknown, never ready', async () => {
    const card = buildScorecard({ ...(await fullInputs()), truth: missing });
    expect(card.overall.launchable).toBe(false);
    expect(card.overall.reason).toMatch(/no Runtime Truth Pass/);
    for (const row of ['Domain and HTTPS', 'Monitoring and logs'] as const) expect(status(card, row)).toBe('unknown');
    // The rehearsal still proves the process and the health endpoint before a deploy.
    expect(status(card, 'Process model')).toBe('ready');
    expect(status(card, 'Health and readiness')).toBe('ready');
  });

  it('is not launchable when the Truth Pass was rejected, and the failing check makes its row not ready', async () => {
    const truth = acceptedTruth(IMAGE, [{ id: 'tls-redirect', status: 'fail', summary: 'http:// answered 200 instead of redirecting' }]);
    const card = buildScorecard({ ...(await fullInputs()), truth: ok(truth) });
    expect(card.overall.truth.verdict).toBe('rejected');
    expect(card.overall.launchable).toBe(false);
    const domain = card.rows.find((r) => r.row === 'Domain and HTTPS')!;
    expect(domain.status).toBe('not-ready');
    expect(domain.fix).toContain('tls-redirect');
    expect(card.overall.not_ready).toEqual(['Domain and HTTPS']);
  });

  it('is not launchable when a row is not ready even with an accepted Truth Pass', async () => {
    const inputs = await fullInputs({ findings: [{ id: 'secret-logging', section: 'security', status: 'fail', message: 'logs process.env', fix: 'Stop logging the environment.', evidence: [] }] });
    const card = buildScorecard(inputs);
    expect(card.overall.truth.verdict).toBe('accepted');
    expect(card.overall.launchable).toBe(false);
    expect(card.overall.not_ready).toEqual(['Security']);
    expect(card.rows.find((r) => r.row === 'Security')!.fix).toBe('Stop logging the environment.');
  });

  it('treats an accepted Truth Pass of another image as stale: not launchable, live rows unknown', async () => {
    const card = buildScorecard({ ...(await fullInputs()), truth: ok(acceptedTruth('ghcr.io/acme/demo-api:20260820-a1')) });
    expect(card.overall.truth.fresh).toBe(false);
    expect(card.overall.launchable).toBe(false);
    expect(card.overall.reason).toMatch(/stale: it verified ghcr.io\/acme\/demo-api:20260820-a1, not the current release/);
    expect(status(card, 'Domain and HTTPS')).toBe('unknown');
    expect(card.rows.find((r) => r.row === 'Domain and HTTPS')!.fix).toMatch(/verify/);
  });

  it('with only the analysis, no row is ready that needs another artifact', () => {
    const card = buildScorecard({ analysis: buildAnalysis(), template: missing, build: missing, state: missing, truth: missing, rehearsal: missing, runbook: 'missing' });
    const byRow = Object.fromEntries(card.rows.map((r) => [r.row, r.status]));
    expect(byRow).toEqual({
      'Build and image': 'unknown',
      'Process model': 'unknown',
      'Sealos generated resources': 'unknown',
      'Environment variables': 'unknown',
      'Health and readiness': 'unknown',
      'Database and migrations': 'not-needed',
      'Domain and HTTPS': 'unknown',
      Storage: 'unknown',
      Scaling: 'unknown',
      'Monitoring and logs': 'unknown',
      Backups: 'not-needed',
      'Rollback path': 'unknown',
      Security: 'ready',
      Runbook: 'not-ready',
    });
    expect(card.rows.find((r) => r.row === 'Sealos generated resources')!.fix).toMatch(/sealos-deploy render/);
    expect(card.rows.find((r) => r.row === 'Build and image')!.fix).toMatch(/sealos-deploy build/);
    expect(card.artifacts.filter((a) => a.status === 'missing').map((a) => a.artifact)).toEqual(['template', 'build-result', 'state', 'runtime-truth', 'rehearsal']);
  });

  it('turns an invalid artifact into unknown rows that say so', async () => {
    const card = buildScorecard({ ...(await fullInputs()), state: { state: 'invalid', reason: 'history[0].at: Invalid ISO datetime' } });
    const rollback = card.rows.find((r) => r.row === 'Rollback path')!;
    expect(rollback.status).toBe('unknown');
    expect(rollback.fix).toMatch(/^artifact invalid: \.sealos\/state\.json \(history\[0\]\.at/);
    expect(card.artifacts.find((a) => a.artifact === 'state')).toEqual({ artifact: 'state', path: '.sealos/state.json', status: 'invalid', detail: 'history[0].at: Invalid ISO datetime' });
  });

  it('lists Truth Pass checks that no row claims, and names their failures in the reason', async () => {
    const truth = acceptedTruth(IMAGE, [{ id: 'quota-headroom', status: 'fail', required: false }]);
    const card = buildScorecard({ ...(await fullInputs()), truth: ok(truth) });
    expect(card.overall.unmapped_checks).toEqual([{ id: 'quota-headroom', status: 'fail', required: false }]);
    expect(card.overall.reason).toMatch(/Other failed Truth Pass checks: quota-headroom/);
    expect(card.overall.launchable).toBe(true);
  });

  it('never lets a local rehearsal make Domain and HTTPS ready', async () => {
    const rehearsal = report('local', [{ id: 'tls-local' }, { id: 'health' }, { id: 'start' }], { commit: '0123456789abcdef0123456789abcdef01234567' });
    const card = buildScorecard({ ...(await fullInputs()), truth: missing, rehearsal: ok(rehearsal) });
    expect(status(card, 'Domain and HTTPS')).toBe('unknown');
  });
});
