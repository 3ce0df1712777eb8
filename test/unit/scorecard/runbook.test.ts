import { describe, expect, it } from 'vitest';
import { buildReadiness, readTemplateFacts, type ScorecardInputs } from '../../../src/core/scorecard/index.js';
import { migrationsDigest } from '../../../src/core/rollback/migrations-digest.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { renderTemplate } from '../../../src/core/template/index.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';
import { acceptedTruth, fullInputs, IMAGE, missing, ok, stateOf } from './helpers.js';

const PREV = 'ghcr.io/acme/demo-api:20260820-a1';
const M1 = migrationsDigest([{ path: 'prisma/migrations/001/migration.sql', content: 'create table a(id int);' }]);
const M2 = migrationsDigest([
  { path: 'prisma/migrations/001/migration.sql', content: 'create table a(id int);' },
  { path: 'prisma/migrations/002/migration.sql', content: 'alter table a add b text;' },
]);
const POSTGRES: DeepPartial<Analysis> = {
  database: { engine: 'postgres', driver: 'pg', orm: 'prisma', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] },
  databases: [{ engine: 'postgres', driver: 'pg', orm: 'prisma', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] }],
  migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', files: ['prisma/migrations/001/migration.sql'], evidence: [] },
  env_vars: [
    { name: 'DATABASE_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: [] },
    { name: 'SESSION_SECRET', class: 'server-secret', required: true, default: null, sources: ['code'], public: false, evidence: [] },
  ],
};

describe('RUNBOOK.md', () => {
  it('is deterministic: the same artifacts give the same bytes, and every time in it comes from an artifact', async () => {
    const first = buildReadiness(await fullInputs(POSTGRES)).runbook;
    const second = buildReadiness(structuredClone(await fullInputs(POSTGRES))).runbook;
    expect(second).toBe(first);
    const inputs = await fullInputs(POSTGRES);
    const known = JSON.stringify([inputs.state, inputs.truth, inputs.build]);
    const times = first.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g) ?? [];
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(known).toContain(t);
  });

  it('has the launch sequence, the agent prompts and the real rollback command with the previous image', async () => {
    const { runbook } = buildReadiness(await fullInputs());
    const order = ['analyze', 'build', 'render', 'preflight', 'deploy . --confirm', 'verify', 'record'].map((c) => runbook.indexOf(`sealos-deploy ${c}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(runbook).toContain('/sealos deploy this Node.js service to Sealos');
    expect(runbook).toContain('$sealos deploy this Node.js service to Sealos');
    expect(runbook).toContain(`sealos-deploy rollback . --to ${PREV} --confirm`);
    expect(runbook).toMatch(new RegExp(`\\| \`${IMAGE.replace(/[.]/g, '\\.')}\` \\(running\\) \\| 2026-09-02T00:00:00.000Z \\| update`));
    expect(runbook).toContain('kubectl logs -l app=demo-api-abcdefgh -n ns-team42');
    expect(runbook).toContain('sealos-deploy status .');
    expect(runbook).toContain('- Verdict: **accepted**, finished 2026-09-05T12:02:00Z (cluster)');
    expect(runbook).toContain('- Port: 3000; health path: /healthz');
  });

  it('passes --path for a workspace unit and uses placeholders before the first deploy', async () => {
    const analysis = buildAnalysis({ project: { name: 'mono', path: 'apps/api' } });
    const { runbook } = buildReadiness({ analysis, template: missing, build: missing, state: missing, truth: missing, rehearsal: missing, runbook: 'written' });
    expect(runbook).toContain('# Runbook: mono (apps/api)');
    expect(runbook).toContain('sealos-deploy deploy . --path apps/api --confirm');
    expect(runbook).toContain('kubectl logs -l app=<app-name> -n <namespace>');
    expect(runbook).toContain('No Runtime Truth Pass yet');
  });

  it('names the backup to restore when rolling back across a migration', async () => {
    const backup = { name: 'demo-api-abcdefgh-pg-pre-20260902', created_at: '2026-09-01T23:50:00Z', phase: 'Completed' };
    const inputs = { ...(await fullInputs(POSTGRES)), truth: ok(acceptedTruth(IMAGE, [{ id: 'database-read-write' }])) };
    inputs.state = ok(stateOf([{ image: PREV, migrations: M1 }, { image: IMAGE, migrations: M2, backup }]));
    const { runbook } = buildReadiness(inputs);
    expect(runbook).toContain('Restore point: backup `demo-api-abcdefgh-pg-pre-20260902` of `demo-api-abcdefgh-pg` taken 2026-09-01T23:50:00Z');
    expect(runbook).toContain('`npx prisma migrate deploy` (runs in the `migrate` init container');
    expect(runbook).toContain('kubectl logs -l app=demo-api-abcdefgh -n ns-team42 -c migrate');
  });

  it('gives restore or forward-repair steps when no backup covers the migration', async () => {
    const inputs = await fullInputs(POSTGRES);
    inputs.state = ok(stateOf([{ image: PREV, migrations: M1 }, { image: IMAGE, migrations: M2 }]));
    const { runbook, scorecard } = buildReadiness(inputs);
    expect(runbook).toContain('--ack-forward-repair');
    expect(runbook).toContain('Or forward repair');
    expect(runbook).toMatch(/- \*\*Rollback path\*\* \(Not ready\): /);
    expect(scorecard.overall.not_ready).toContain('Rollback path');
  });

  it('lists required inputs by name and never a value, even one typed into the template or state', async () => {
    const marker = 'sk_live_MARKER_9f8e7d6c5b4a';
    const base = await fullInputs(POSTGRES);
    const yaml = renderTemplate(base.analysis, { image: IMAGE }).yaml.replace(/(SESSION_SECRET:\n(?:.*\n)*?\s+default: )""/, `$1"${marker}"`);
    expect(yaml).toContain(marker);
    const inputs: ScorecardInputs = {
      ...base,
      template: await readTemplateFacts(yaml),
      state: ok(stateOf([{ image: PREV, note: `rotated ${marker}` }, { image: IMAGE }])),
    };
    const { runbook, scorecard } = buildReadiness(inputs);
    expect(runbook).toContain('- `SESSION_SECRET`');
    expect(runbook).not.toContain(marker);
    expect(JSON.stringify(scorecard)).not.toContain(marker);
  });
});
