import { describe, expect, it } from 'vitest';
import { buildReadiness, buildScorecard, type RowName, type ScorecardInputs, type ScorecardRow } from '../../../src/core/scorecard/index.js';
import { migrationsDigest } from '../../../src/core/rollback/migrations-digest.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { renderTemplate } from '../../../src/core/template/index.js';
import { readTemplateFacts } from '../../../src/core/scorecard/index.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';
import { acceptedTruth, buildResult, fullInputs, IMAGE, localRehearsal, missing, ok, report, stateOf, templateOf } from './helpers.js';

function row(inputs: ScorecardInputs, name: RowName): ScorecardRow {
  return buildScorecard(inputs).rows.find((r) => r.row === name)!;
}

const M1 = migrationsDigest([{ path: 'prisma/migrations/001/migration.sql', content: 'create table a(id int);' }]);
const M2 = migrationsDigest([
  { path: 'prisma/migrations/001/migration.sql', content: 'create table a(id int);' },
  { path: 'prisma/migrations/002/migration.sql', content: 'alter table a add b text;' },
]);

const POSTGRES: DeepPartial<Analysis> = {
  database: { engine: 'postgres', driver: 'pg', orm: 'prisma', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] },
  databases: [{ engine: 'postgres', driver: 'pg', orm: 'prisma', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'], evidence: [] }],
  migrations: { tool: 'prisma', command: 'npx prisma migrate deploy', directory: 'prisma/migrations', files: ['prisma/migrations/001/migration.sql'], evidence: [] },
  env_vars: [{ name: 'DATABASE_URL', class: 'database', required: true, default: null, sources: ['code'], public: false, evidence: [] }],
};
const DB_TRUTH = acceptedTruth(IMAGE, [{ id: 'database-read-write' }]);

describe('Build and image', () => {
  it('is ready for a pushed linux/amd64 image with a unique tag and digest', async () => {
    const r = row(await fullInputs(), 'Build and image');
    expect(r.status).toBe('ready');
    expect(r.evidence.map((e) => e.key)).toEqual(expect.arrayContaining(['platform', 'image', 'digest']));
  });
  it('is not ready when the last build failed, with its error', async () => {
    const r = row({ ...(await fullInputs()), build: ok(buildResult({ outcome: 'failed', error: 'npm ci exited 1', pushed: false, digest: null, push: { remote_image: IMAGE, pushed_at: null } })) }, 'Build and image');
    expect(r.status).toBe('not-ready');
    expect(r.evidence.some((e) => e.result === 'fail' && e.text.includes('npm ci exited 1'))).toBe(true);
  });
  it('is not ready when the image was built but never pushed', async () => {
    const r = row({ ...(await fullInputs()), build: ok(buildResult({ pushed: false, digest: null, push: { remote_image: IMAGE, pushed_at: null } })) }, 'Build and image');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toMatch(/Push the image/);
  });
  it('warns when the image was built from another commit', async () => {
    const r = row({ ...(await fullInputs()), build: ok(buildResult({ git_commit: 'ffffffffffffffffffffffffffffffffffffffff' })) }, 'Build and image');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'git_commit')).toMatchObject({ result: 'warn' });
  });
  it('maps a failing build-and-image finding to not ready with its fix', async () => {
    const r = row(await fullInputs({ findings: [{ id: 'lockfile-committed', section: 'build-and-image', status: 'fail', message: 'no lockfile', fix: 'Commit package-lock.json.', evidence: [] }] }), 'Build and image');
    expect(r).toMatchObject({ status: 'not-ready', fix: 'Commit package-lock.json.' });
  });
});

describe('Process model', () => {
  it('needs a rehearsal or a live pass: analysis alone is unknown', async () => {
    const r = row({ ...(await fullInputs()), truth: missing, rehearsal: missing }, 'Process model');
    expect(r.status).toBe('unknown');
    expect(r.fix).toMatch(/rehearse/);
  });
  it('is not ready when the start command runs a dev tool', async () => {
    const r = row(await fullInputs({ commands: { start_issues: ['nodemon restarts on file changes'] } }), 'Process model');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toContain('nodemon');
  });
  it('is not ready when the rehearsal saw the process exit', async () => {
    const rehearsal = localRehearsal([{ id: 'start' }, { id: 'stays-up', status: 'fail', summary: 'exited with code 1 after 2s' }]);
    const r = row({ ...(await fullInputs()), truth: missing, rehearsal: ok(rehearsal) }, 'Process model');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toContain('stays-up');
  });
  it('ignores a rehearsal of another commit as proof', async () => {
    const stale = report('local', [{ id: 'start' }, { id: 'stays-up' }], { commit: 'ffffffffffffffffffffffffffffffffffffffff' });
    const r = row({ ...(await fullInputs()), truth: missing, rehearsal: ok(stale) }, 'Process model');
    expect(r.status).toBe('unknown');
  });
});

describe('Sealos generated resources', () => {
  it('is ready for a rendered template that matches the analysis and the build', async () => {
    expect(row(await fullInputs(), 'Sealos generated resources').status).toBe('ready');
  });
  it('is not ready when the template port differs from the service port', async () => {
    const inputs = await fullInputs();
    inputs.analysis = buildAnalysis({ port: { value: 8080, default: 8080 } });
    const r = row(inputs, 'Sealos generated resources');
    expect(r.status).toBe('not-ready');
    expect(r.evidence.find((e) => e.key === 'containerPort')?.text).toMatch(/exposes 3000 but the service listens on 8080/);
  });
  it('is not ready when the template deploys another image than the last build', async () => {
    const r = row({ ...(await fullInputs()), build: ok(buildResult({ image: 'ghcr.io/acme/demo-api:20260902-d4', push: { remote_image: 'ghcr.io/acme/demo-api:20260902-d4', pushed_at: '2026-09-01T10:03:00Z' } })) }, 'Sealos generated resources');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toMatch(/Re-render/);
  });
  it('is not ready when a private image has no pull Secret', async () => {
    const r = row({ ...(await fullInputs()), build: ok(buildResult({ requires_image_pull_secret: true })) }, 'Sealos generated resources');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toMatch(/--private-image/);
  });
  it('reports resource problems of a hand-edited template', async () => {
    const a = buildAnalysis();
    const yaml = renderTemplate(a, { image: IMAGE }).yaml.replace(/requests:\n {14}cpu: 50m\n/, 'requests:\n');
    const r = row({ ...(await fullInputs()), template: await readTemplateFacts(yaml) }, 'Sealos generated resources');
    expect(r.status).toBe('not-ready');
    expect(r.evidence.find((e) => e.key === 'resources')?.text).toMatch(/resources\.requests\.cpu/);
  });
  it('treats an unparsable template as invalid, so the row is unknown', async () => {
    const r = row({ ...(await fullInputs()), template: await readTemplateFacts('kind: [unclosed') }, 'Sealos generated resources');
    expect(r.status).toBe('unknown');
    expect(r.fix).toMatch(/^artifact invalid: \.sealos\/template\/index\.yaml/);
  });
});

describe('Environment variables', () => {
  it('is not ready when a required variable is not set by the template', async () => {
    const inputs = await fullInputs();
    inputs.analysis = buildAnalysis({ env_vars: [{ name: 'STRIPE_SECRET_KEY', class: 'third-party-key', required: true, default: null, sources: ['code'], public: false, evidence: [] }] });
    const r = row(inputs, 'Environment variables');
    expect(r.status).toBe('not-ready');
    expect(r.evidence.find((e) => e.key === 'env')?.text).toContain('STRIPE_SECRET_KEY');
  });
  it('is ready when every required variable is a template input, and lists input names', async () => {
    const over: DeepPartial<Analysis> = { env_vars: [{ name: 'SESSION_SECRET', class: 'server-secret', required: true, default: null, sources: ['code'], public: false, evidence: [] }] };
    const r = row(await fullInputs(over), 'Environment variables');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'spec.inputs')?.text).toContain('SESSION_SECRET');
  });
  it('is not ready when env files with values are committed', async () => {
    const r = row(await fullInputs({ env_files: { committed_env_files: ['.env.production'] } }), 'Environment variables');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toContain('.env.production');
  });
});

describe('Health and readiness', () => {
  it('is not needed for a worker', async () => {
    expect(row(await fullInputs({ kind: 'worker' }), 'Health and readiness').status).toBe('not-needed');
  });
  it('is ready from a rehearsal before the first deploy', async () => {
    const r = row({ ...(await fullInputs()), truth: missing, state: missing }, 'Health and readiness');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.artifact === 'rehearsal' && e.key === 'checks.health')?.result).toBe('pass');
  });
  it('is not ready when the live health check failed', async () => {
    const truth = acceptedTruth(IMAGE, [{ id: 'health-latency', status: 'fail', summary: '/healthz took 4.2s' }]);
    const r = row({ ...(await fullInputs()), truth: ok(truth) }, 'Health and readiness');
    expect(r.status).toBe('not-ready');
  });
  it('is unknown when neither a rehearsal nor a Truth Pass probed it', async () => {
    expect(row({ ...(await fullInputs()), truth: missing, rehearsal: missing }, 'Health and readiness').status).toBe('unknown');
  });
});

describe('Database and migrations', () => {
  it('is not needed without a database', async () => {
    expect(row(await fullInputs(), 'Database and migrations').status).toBe('not-needed');
  });
  it('is ready with the PostgreSQL cluster, the migrate init container and a live read/write check', async () => {
    const r = row({ ...(await fullInputs(POSTGRES)), truth: ok(DB_TRUTH) }, 'Database and migrations');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'initContainers.migrate')?.text).toContain('npx prisma migrate deploy');
  });
  it('is unknown when the Truth Pass has no database check', async () => {
    const r = row(await fullInputs(POSTGRES), 'Database and migrations');
    expect(r.status).toBe('unknown');
    expect(r.fix).toMatch(/no database check/);
  });
  it('is ready when the service applies its migrations itself at start: no init container, and the runbook says where', async () => {
    const atStart = { ...POSTGRES, migrations: { tool: 'typeorm' as const, command: null, directory: 'src/migrations', files: ['src/migrations/1-init.ts'], evidence: [], at_start: { file: 'src/index.ts', line: 90, rule: 'migrate-at-start' } } };
    const inputs = { ...(await fullInputs(atStart)), truth: ok(DB_TRUTH) };
    expect(inputs.template.state === 'ok' && inputs.template.value.workload?.initContainers.map((c) => c.name)).toEqual(['wait-for-db']);
    const r = row(inputs, 'Database and migrations');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'migrations')?.text).toContain('src/index.ts:90');
    expect(buildReadiness(inputs).runbook).toContain('applied by the service itself when it starts (src/index.ts:90)');
  });
  it('is not ready when migrations exist but the template does not run them first', async () => {
    const inputs = { ...(await fullInputs(POSTGRES)), truth: ok(DB_TRUTH) };
    inputs.template = await templateOf(buildAnalysis({ ...POSTGRES, migrations: { tool: null, command: null, directory: null, files: [] } }));
    const r = row(inputs, 'Database and migrations');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toMatch(/migrate init container/);
  });
});

describe('Domain and HTTPS', () => {
  it('is ready only with a live TLS check', async () => {
    expect(row(await fullInputs(), 'Domain and HTTPS').status).toBe('ready');
    const noTls = acceptedTruth(IMAGE).checks.filter((c) => !c.id.startsWith('tls'));
    const truth = report('cluster', noTls, acceptedTruth(IMAGE).identity);
    expect(row({ ...(await fullInputs()), truth: ok(truth) }, 'Domain and HTTPS').status).toBe('unknown');
  });
  it('is not needed for a worker', async () => {
    expect(row(await fullInputs({ kind: 'worker' }), 'Domain and HTTPS').status).toBe('not-needed');
  });
});

describe('Storage', () => {
  it('is not needed without a volume', async () => {
    expect(row(await fullInputs(), 'Storage').status).toBe('not-needed');
  });
  it('is ready with a mounted persistent volume', async () => {
    const r = row(await fullInputs({}, { storage: { mountPath: '/app/data', size: '1Gi' } }), 'Storage');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'volumeMounts')?.text).toContain('/app/data');
  });
  it('is not ready for SQLite without a volume', async () => {
    const sqlite: DeepPartial<Analysis> = { database: { engine: 'sqlite', driver: 'better-sqlite3', orm: null, env_key: null, env_keys: [], evidence: [] } };
    expect(row(await fullInputs(sqlite), 'Storage').status).toBe('not-ready');
  });
  it('is not ready for uploads on the container disk without a volume, and ready with one', async () => {
    const uploads: DeepPartial<Analysis> = {
      findings: [{ id: 'local-uploads', section: 'scaling', status: 'warn', message: "Uploads are written to the container's disk ('uploads/'): they are lost on every restart.", fix: 'Render with --volume /app/uploads:1Gi.', evidence: [] }],
    };
    const without = row(await fullInputs(uploads), 'Storage');
    expect(without.status).toBe('not-ready');
    expect(without.fix).toBe('Render with --volume /app/uploads:1Gi.');
    expect(row(await fullInputs(uploads, { storage: { mountPath: '/app/uploads', size: '1Gi' } }), 'Storage').status).toBe('ready');
  });
});

describe('Scaling', () => {
  const cron: DeepPartial<Analysis> = { findings: [{ id: 'background-work', section: 'scaling', status: 'warn', message: 'node-cron runs in the web process', fix: 'Move the scheduled job to a separate worker.', evidence: [] }] };
  it('is ready (intentional) with explicit replicas and resources', async () => {
    const r = row(await fullInputs(), 'Scaling');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'resources')?.text).toMatch(/requests 50m\/51Mi, limits 500m\/512Mi/);
  });
  it('accepts background work on a single replica as acknowledged', async () => {
    const r = row(await fullInputs(cron), 'Scaling');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'findings.background-work')).toMatchObject({ result: 'warn' });
  });
  it('is not ready when background work would run on several replicas', async () => {
    const r = row(await fullInputs(cron, { replicas: 3 }), 'Scaling');
    expect(r).toMatchObject({ status: 'not-ready', fix: 'Move the scheduled job to a separate worker.' });
  });
  it('is not ready when the observed footprint check failed', async () => {
    const truth = acceptedTruth(IMAGE, [{ id: 'footprint-memory', status: 'fail', summary: 'memory at 98% of the limit' }]);
    expect(row({ ...(await fullInputs()), truth: ok(truth) }, 'Scaling').status).toBe('not-ready');
  });
});

describe('Monitoring and logs', () => {
  it('needs the Truth Pass logs check: a rehearsal is not enough', async () => {
    expect(row({ ...(await fullInputs()), truth: missing }, 'Monitoring and logs').status).toBe('unknown');
    expect(row(await fullInputs(), 'Monitoring and logs').status).toBe('ready');
  });
  it('is not ready when the logs after smoke show errors', async () => {
    const truth = report('cluster', [{ id: 'logs-after-smoke', status: 'fail', summary: 'UnhandledPromiseRejection x3' }], acceptedTruth().identity);
    expect(row({ ...(await fullInputs()), truth: ok(truth) }, 'Monitoring and logs').status).toBe('not-ready');
  });
});

describe('Backups', () => {
  it('is not needed without a database', async () => {
    expect(row(await fullInputs(), 'Backups').status).toBe('not-needed');
  });
  it('is ready when each schema-changing release has a completed backup', async () => {
    const backup = { name: 'demo-api-abcdefgh-pg-pre-20260902', created_at: '2026-09-01T23:50:00Z', phase: 'Completed' };
    const state = stateOf([{ image: 'ghcr.io/acme/demo-api:20260820-a1', migrations: M1 }, { image: IMAGE, migrations: M2, backup }]);
    const r = row({ ...(await fullInputs(POSTGRES)), state: ok(state) }, 'Backups');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.result === 'pass')?.text).toContain('demo-api-abcdefgh-pg-pre-20260902');
  });
  it('is not ready when a release changed migrations without a backup', async () => {
    const state = stateOf([{ image: 'ghcr.io/acme/demo-api:20260820-a1', migrations: M1 }, { image: IMAGE, migrations: M2 }]);
    const r = row({ ...(await fullInputs(POSTGRES)), state: ok(state) }, 'Backups');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toContain('demo-api-abcdefgh-pg');
  });
  it('is unknown before anything is recorded', async () => {
    expect(row({ ...(await fullInputs(POSTGRES)), state: missing }, 'Backups').status).toBe('unknown');
  });
});

describe('Rollback path', () => {
  it('is ready with a previous image in history', async () => {
    const r = row(await fullInputs(), 'Rollback path');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'rollback')?.text).toContain('sealos-deploy rollback --to ghcr.io/acme/demo-api:20260820-a1');
  });
  it('is not needed on the first release', async () => {
    expect(row({ ...(await fullInputs()), state: ok(stateOf([{ image: IMAGE }])) }, 'Rollback path').status).toBe('not-needed');
  });
  it('after an update that failed in its rollout (its image still runs): the recorded release is the target', async () => {
    const broken = 'ghcr.io/acme/demo-api:20260905-b2';
    const state = stateOf([{ image: IMAGE }, { image: broken, status: 'failed', note: 'rollout: ROLLOUT_CRASHLOOP' }]);
    const r = row({ ...(await fullInputs()), state: ok(state) }, 'Rollback path');
    expect(r.status).toBe('ready');
    expect(r.evidence.find((e) => e.key === 'rollback')?.text).toContain(`sealos-deploy rollback --to ${IMAGE}`);
    // Failed before anything was applied (the backup stage): the recorded release still runs, nothing to roll back.
    const notApplied = stateOf([{ image: IMAGE }, { image: broken, status: 'failed', note: 'backup: BACKUP_FAILED' }]);
    expect(row({ ...(await fullInputs()), state: ok(notApplied) }, 'Rollback path').status).toBe('not-needed');
  });

  it('is not ready when rolling back crosses a migration without a backup', async () => {
    const state = stateOf([{ image: 'ghcr.io/acme/demo-api:20260820-a1', migrations: M1 }, { image: IMAGE, migrations: M2 }]);
    const r = row({ ...(await fullInputs(POSTGRES)), state: ok(state) }, 'Rollback path');
    expect(r.status).toBe('not-ready');
    expect(r.fix).toMatch(/ack-forward-repair/);
  });
});

describe('Security and Runbook', () => {
  it('Security is not ready when the rehearsal saw a secret in the logs', async () => {
    const rehearsal = localRehearsal([{ id: 'start' }, { id: 'health' }, { id: 'no-secret-in-logs', status: 'fail', summary: 'a secret value appeared in stdout' }]);
    expect(row({ ...(await fullInputs()), rehearsal: ok(rehearsal) }, 'Security').status).toBe('not-ready');
  });
  it('Runbook is not ready when it was neither written nor kept', async () => {
    expect(row({ ...(await fullInputs()), runbook: 'missing' }, 'Runbook').status).toBe('not-ready');
    expect(row({ ...(await fullInputs()), runbook: 'exists' }, 'Runbook').status).toBe('ready');
  });
});
