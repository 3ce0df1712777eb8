import { describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/core/errors.js';
import { databaseCheck } from '../../../src/core/truth/cluster/checks/database.js';
import { launchpadCheck } from '../../../src/core/truth/cluster/checks/launchpad.js';
import { certCovers, tlsCheck } from '../../../src/core/truth/cluster/checks/tls.js';
import { collectSecrets } from '../../../src/core/truth/cluster/secrets-in-play.js';
import type { PodView, WorkloadView } from '../../../src/core/truth/cluster/ports.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { fakeData, fakeHttp, fakeLive, fakeReader, runOne } from './fakes.js';

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const tlsFacts = (validTo: string, sans = ['*.example.com'], authorized = true) => ({ tls: { validTo, subjectAltNames: sans, authorized } });

describe('tls check (fake Http with certificate facts)', () => {
  it('passes a trusted certificate for the host with months left', async () => {
    const out = await runOne(tlsCheck(true), fakeData({ http: fakeHttp(() => tlsFacts(days(80.5))) }));
    expect(out).toMatchObject({ status: 'pass', evidence: { days_left: 80, host: 'web.example.com' } });
  });
  it('fails a certificate expiring within 14 days', async () => {
    const out = await runOne(tlsCheck(true), fakeData({ http: fakeHttp(() => tlsFacts(days(3.5))) }));
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(/expires in 3 day\(s\).*at least 14/);
  });
  it('fails a certificate that does not name the host', async () => {
    const out = await runOne(tlsCheck(true), fakeData({ http: fakeHttp(() => tlsFacts(days(80), ['other.example.org'])) }));
    expect(out.summary).toMatch(/does not name web\.example\.com/);
  });
  it('fails with the TLS error when the handshake is refused', async () => {
    const err = new DeployError('TLS_INVALID', 'TLS verification failed for web.example.com: certificate has expired', 'Check the certificate', { cause: 'CERT_HAS_EXPIRED' });
    const out = await runOne(tlsCheck(true), fakeData({ http: fakeHttp(() => err) }));
    expect(out).toMatchObject({ status: 'fail', evidence: { tls_error: 'CERT_HAS_EXPIRED' } });
  });
  it('warns on a plain http App URL and skips a private app', async () => {
    expect((await runOne(tlsCheck(true), fakeData({ live: fakeLive({ url: 'http://web.example.com' }) }))).status).toBe('warn');
    expect((await runOne(tlsCheck(true), fakeData({ live: fakeLive({ url: null, host: null }) }))).status).toBe('skip');
  });
  it('matches wildcards for exactly one label', () => {
    expect(certCovers('*.sealos.app', 'web.sealos.app')).toBe(true);
    expect(certCovers('*.sealos.app', 'a.b.sealos.app')).toBe(false);
    expect(certCovers('*.sealos.app', 'sealos.app')).toBe(false);
    expect(certCovers('WEB.sealos.app', 'web.sealos.app')).toBe(true);
  });
});

describe('secrets in play', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const workload: WorkloadView = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'web', env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'web-pg-conn-credential', key: 'password' } } }, { name: 'STRIPE', valueFrom: { secretKeyRef: { name: 'web-env', key: 'STRIPE' } } }] }],
          imagePullSecrets: [{ name: 'web' }],
        },
      },
    },
  };
  const secrets = [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-pg-conn-credential' }, data: { username: b64('postgres'), password: b64('pw-9f8e7d6c'), host: b64('web-pg-postgresql.ns-test.svc'), port: b64('5432') } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-env' }, data: { STRIPE: b64('sk_live_abc123def456ghi789') } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'ghcr.io': { username: 'bot', password: 'ghp_pulltoken123456', auth: b64('bot:ghp_pulltoken123456') } } })) } },
  ];
  it('keeps passwords, generated keys and registry tokens; not host, port or user names', async () => {
    const found = await collectSecrets(fakeReader(secrets), 'web', workload, 'cloud.sealos.io/app-deploy-manager');
    expect(found.values.map((v) => [v.source, v.value]).sort()).toEqual(
      [
        ['Secret web key .dockerconfigjson', 'ghp_pulltoken123456'],
        ['Secret web key .dockerconfigjson', b64('bot:ghp_pulltoken123456')],
        ['Secret web-env key STRIPE', 'sk_live_abc123def456ghi789'],
        ['Secret web-pg-conn-credential key password', 'pw-9f8e7d6c'],
      ].sort(),
    );
    expect(found.read.find((r) => r.secret === 'web-pg-conn-credential')?.keys).toEqual(['host', 'password', 'port', 'username']);
  });
  it('reports Secrets it may not read', async () => {
    const reader = fakeReader(secrets);
    reader.get = async () => {
      throw new DeployError('NAMESPACE_FORBIDDEN', 'forbidden: cannot get secrets', 'ask');
    };
    const found = await collectSecrets(reader, 'web', workload, 'cloud.sealos.io/app-deploy-manager');
    expect(found.unreadable.map((u) => u.secret).sort()).toEqual(['web', 'web-env', 'web-pg-conn-credential']);
  });
});

describe('database check (fakes)', () => {
  const analysis = buildAnalysis({ database: { engine: 'postgres', driver: 'pg', env_key: 'DATABASE_URL', env_keys: ['DATABASE_URL'] }, migrations: { tool: 'prisma', command: 'prisma migrate deploy' } });
  const cluster = (phase: string) => ({ apiVersion: 'apps.kubeblocks.io/v1alpha1', kind: 'Cluster', metadata: { name: 'web-pg' }, status: { phase } });
  const pod = (exitCode: number | null): PodView => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1' },
    status: { initContainerStatuses: [{ name: 'migrate', state: exitCode === null ? { waiting: { reason: 'PodInitializing' } } : { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } } }] },
  });
  const withMigrate = (exitCode: number | null) =>
    fakeLive({
      dbClusters: ['web-pg'],
      pods: [pod(exitCode)],
      workload: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { initContainers: [{ name: 'migrate' }], containers: [{ name: 'web' }] } } } },
    });

  it('passes a Running cluster, an answering read/write path and applied migrations', async () => {
    const out = await runOne(databaseCheck(true), fakeData({ analysis, res: fakeReader([cluster('Running')]), live: withMigrate(0), readWritePath: '/api/items' }));
    expect(out).toMatchObject({ status: 'pass', summary: 'cluster web-pg Running; GET /api/items answered 200; migrations applied in 1 pod(s)' });
  });
  it('fails a failed migration init container', async () => {
    const out = await runOne(databaseCheck(true), fakeData({ analysis, res: fakeReader([cluster('Running')]), live: withMigrate(1), readWritePath: '/api/items' }));
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(/migration init container did not succeed in web-1 \(Error\)/);
  });
  it('a service that migrates at start: passes when its pods became ready, fails when none did (no init container to ask)', async () => {
    const atStart = buildAnalysis({ database: analysis.database, migrations: { tool: 'typeorm', command: null, at_start: { file: 'src/index.ts', line: 90, rule: 'migrate-at-start' } } });
    const live = (ready: boolean) =>
      fakeLive({ dbClusters: ['web-pg'], pods: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }] });
    const up = await runOne(databaseCheck(true), fakeData({ analysis: atStart, res: fakeReader([cluster('Running')]), live: live(true), readWritePath: '/api/items' }));
    expect(up).toMatchObject({ status: 'pass', summary: expect.stringContaining('applies its migrations at start (src/index.ts:90); 1 pod(s) started and are ready') });
    const down = await runOne(databaseCheck(true), fakeData({ analysis: atStart, res: fakeReader([cluster('Running')]), live: live(false), readWritePath: '/api/items' }));
    expect(down).toMatchObject({ status: 'fail', summary: expect.stringContaining('no pod became ready') });
  });
  it('accepts a DB-backed health route as the readiness proof, and warns without any', async () => {
    const slowHealth = buildAnalysis({ database: analysis.database, health: { paths: ['/healthz'], routes: [{ path: '/healthz', method: 'GET', slow: true, reveals: [], evidence: [] }] } });
    const viaHealth = await runOne(databaseCheck(true), fakeData({ analysis: slowHealth, res: fakeReader([cluster('Running')]), live: fakeLive({ dbClusters: ['web-pg'] }) }), { health: { status: 'pass' } });
    expect(viaHealth).toMatchObject({ status: 'pass', summary: expect.stringMatching(/health \/healthz \(queries the database\) answered/) });
    const none = await runOne(databaseCheck(true), fakeData({ analysis: buildAnalysis({ database: analysis.database }), res: fakeReader([cluster('Running')]), live: fakeLive({ dbClusters: ['web-pg'] }) }));
    expect(none).toMatchObject({ status: 'warn', summary: expect.stringMatching(/--read-write-path/) });
  });
  it('skips when the analysis found no database', async () => {
    expect((await runOne(databaseCheck(false), fakeData())).status).toBe('skip');
  });
});

describe('launchpad check', () => {
  it('skips with the reason when no region is known', async () => {
    expect(await runOne(launchpadCheck(), fakeData())).toMatchObject({ status: 'skip', skipReason: expect.stringMatching(/no Sealos region known/) });
  });
  it('asks Launchpad with the App URL and the Service port, and reports its findings', async () => {
    const calls: unknown[] = [];
    const data = fakeData({
      launchpad: {
        region: 'https://usw-1.sealos.io',
        check: async (input) => {
          calls.push(input);
          return { status: 'fail', summary: 'No public network on the expected port 3000; public ports: 8080.', evidence: { finding_codes: ['expected_port_missing'] } };
        },
      },
    });
    const out = await runOne(launchpadCheck(), data);
    expect(calls).toEqual([{ appName: 'web', appUrl: 'https://web.example.com', expectedPort: 3000 }]);
    expect(out).toMatchObject({ status: 'fail', evidence: { region: 'https://usw-1.sealos.io', finding_codes: ['expected_port_missing'] } });
  });
});
