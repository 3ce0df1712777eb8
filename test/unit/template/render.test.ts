import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { renderTemplate } from '../../../src/core/template/render.js';
import { instantiate } from '../../../src/core/template/instantiate.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { catchError, envOf, fixedRandom, IMAGE, mainContainer, platform, podSpec, roundTrip, type Any } from './helpers.js';
import { drizzlePostgresUrl, express, expressPostgres, fastifyPrisma, nextSsr, pgParts, staticSpa, worker } from './scenarios.js';

const APP = 'demo-api-qqqqqqqq';
const HOST = 'https://demo-api-qqqqqqqq.usw-1.sealos.app';

/** Every `$(VAR)` in a container's env refers to a variable declared before it. */
function expectDeclaredEarlier(env: Array<{ name: string; value?: string }>): void {
  env.forEach((e, i) => {
    for (const m of (e.value ?? '').matchAll(/\$\(([A-Z_0-9]+)\)/g)) {
      expect(env.slice(0, i).map((x) => x.name)).toContain(m[1]);
    }
  });
}

describe('renderTemplate → instantiate → validate', () => {
  it('express + PostgreSQL via DATABASE_URL: KubeBlocks objects in Sealos order, URL composed from the credential Secret', async () => {
    const { rendered, inst, byKind } = await roundTrip(expressPostgres());
    expect(rendered.documents[0]?.kind).toBe('Template');
    expect(inst.objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Cluster', 'Job', 'Deployment', 'Service', 'Ingress', 'App']);
    const cluster = byKind('Cluster')[0] as Any;
    expect(cluster.metadata.name).toBe(`${APP}-pg`);
    expect(cluster.metadata.labels['sealos-db-provider-cr']).toBe(`${APP}-pg`);
    expect(cluster.spec.componentSpecs[0].serviceAccountName).toBe(`${APP}-pg`);
    const job = byKind('Job')[0] as Any;
    expect(job.spec.template.spec.containers[0].command.join(' ')).toContain('CREATE DATABASE "demo_api"');

    const env = envOf(mainContainer(byKind('Deployment')[0]!));
    const url = env.find((e) => e.name === 'DATABASE_URL');
    expect(url?.value).toBe('postgresql://$(PG_USERNAME):$(PG_PASSWORD)@$(PG_HOST):$(PG_PORT)/demo_api');
    expect(env.find((e) => e.name === 'PG_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: `${APP}-pg-conn-credential`, key: 'password' } });
    expectDeclaredEarlier(env);
    expect(env.find((e) => e.name === 'PORT')?.value).toBe('3000');
    expect(env.find((e) => e.name === 'NODE_ENV')?.value).toBe('production');
    expect(env.find((e) => e.name === 'PUBLIC_URL')?.value).toBe(HOST);
    // A host list takes the host, not a URL (homepage's HOMEPAGE_ALLOWED_HOSTS, Django-style ALLOWED_HOSTS).
    expect(env.find((e) => e.name === 'HOMEPAGE_ALLOWED_HOSTS')?.value).toBe(HOST.replace('https://', ''));
    expect(env.find((e) => e.name === 'SESSION_SECRET')?.value).toBe('value-of-session_secret');
    // Optional settings with code defaults keep those defaults.
    expect(env.map((e) => e.name)).not.toContain('LOG_LEVEL');
    expect(env.map((e) => e.name)).not.toContain('FEATURE_FLAG');
    expect(rendered.inputs).toEqual(['SESSION_SECRET', 'STRIPE_API_KEY']);
    const tpl = rendered.documents[0] as Any;
    expect(tpl.spec.inputs.SESSION_SECRET).toMatchObject({ type: 'string', required: true, default: '' });
    expect(tpl.spec.inputs.SESSION_SECRET.description).toContain('src/session.js:8');
    expect(inst.url).toBe(HOST);
  });

  it('drizzle: sets POSTGRES_URL, the key the service actually reads, and runs its migrations first', async () => {
    const { byKind } = await roundTrip(drizzlePostgresUrl());
    const dep = byKind('Deployment')[0]!;
    const names = envOf(mainContainer(dep)).map((e) => e.name);
    expect(names).toContain('POSTGRES_URL');
    expect(names).not.toContain('DATABASE_URL');
    expect(podSpec(dep).initContainers.map((c: Any) => c.name)).toEqual(['wait-for-db', 'migrate']);
    expect(podSpec(dep).initContainers[1].command).toEqual(['npx', 'drizzle-kit', 'migrate']);
    expectDeclaredEarlier(envOf(mainContainer(dep)));
  });

  it('PG* parts: each part comes from its Secret key, the database name is literal, no URL is invented', async () => {
    const { byKind } = await roundTrip(pgParts());
    const env = envOf(mainContainer(byKind('Deployment')[0]!));
    const ref = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.key;
    expect([ref('PGHOST'), ref('PGPORT'), ref('PGUSER'), ref('PGPASSWORD')]).toEqual(['host', 'port', 'username', 'password']);
    expect(env.find((e) => e.name === 'PGDATABASE')?.value).toBe('demo_api');
    expect(env.map((e) => e.name).filter((n) => /URL|^PG_/.test(n))).toEqual([]);
  });

  it('a service that opens PostgreSQL only when a setting chooses it gets that setting beside the wiring', async () => {
    const base = pgParts();
    const { byKind, rendered } = await roundTrip({ ...base, database: { ...base.database, selector: { env_name: 'DATABASE_TYPE', value: 'postgres' } } });
    const env = envOf(mainContainer(byKind('Deployment')[0]!));
    expect(env.find((e) => e.name === 'DATABASE_TYPE')?.value).toBe('postgres');
    expect(rendered.inputs).not.toContain('DATABASE_TYPE');
  });

  it('URL and parts of one connection (DATABASE_URL, DATABASE_PASSWORD...): all wired from the database, none asked for', async () => {
    const base = expressPostgres();
    const part = (name: string) => ({ name, class: 'database' as const, required: true, default: null, sources: ['code' as const], public: false, evidence: [] });
    const analysis = { ...base, database: { ...base.database, env_keys: ['DATABASE_URL', 'DATABASE_HOST', 'DATABASE_PASSWORD', 'DATABASE_USERNAME'] }, env_vars: [...base.env_vars, part('DATABASE_HOST'), part('DATABASE_PASSWORD'), part('DATABASE_USERNAME'), part('DATABASE_SCHEMA')] };
    const { rendered, byKind } = await roundTrip(analysis);
    const env = envOf(mainContainer(byKind('Deployment')[0]!));
    const ref = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.key;
    expect([ref('DATABASE_HOST'), ref('DATABASE_USERNAME'), ref('DATABASE_PASSWORD')]).toEqual(['host', 'username', 'password']);
    expect(env.find((e) => e.name === 'DATABASE_URL')?.value).toBe('postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@$(DATABASE_HOST):$(PG_PORT)/demo_api');
    expect(rendered.inputs.filter((n) => n.startsWith('DATABASE_'))).toEqual([]);
    // A database setting outside the connection is left to the service, and said so.
    expect(env.some((e) => e.name === 'DATABASE_SCHEMA')).toBe(false);
    expect(rendered.warnings.join('\n')).toMatch(/DATABASE_SCHEMA is a database setting without a default .*; the template leaves it unset/);
    // A connection part only the example file lists (DB_NAME for a `db:create` script) is not asked for either.
    const example = { ...part('DB_NAME'), sources: ['env-example' as const] };
    const withExample = await roundTrip({ ...analysis, env_vars: [...analysis.env_vars, example] });
    expect(withExample.rendered.inputs).not.toContain('DB_NAME');
    expect(withExample.rendered.warnings.join('\n')).toMatch(/DB_NAME/);
  });

  it('fastify + prisma: the migration init container uses the same image and the database env, before the app starts', async () => {
    const { rendered, byKind } = await roundTrip(fastifyPrisma());
    const dep = byKind('Deployment')[0]!;
    const [wait, migrate] = podSpec(dep).initContainers;
    expect(podSpec(dep).initContainers).toHaveLength(2);
    // First the database must answer and hold the app's database (the init Job creates it)...
    expect(wait.name).toBe('wait-for-db');
    expect(wait.command.join(' ')).toContain("datname = 'fastify_prisma_postgres'");
    expect(envOf(wait).find((e) => e.name === 'PGPASSWORD')?.valueFrom.secretKeyRef).toEqual({ name: 'fastify-prisma-postgres-qqqqqqqq-pg-conn-credential', key: 'password' });
    // ...then the migration runs with the app's image and environment.
    expect(migrate.image).toBe(IMAGE);
    expect(migrate.command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
    expect(envOf(migrate).map((e) => e.name)).toContain('DATABASE_URL');
    expect(migrate.resources).toEqual(mainContainer(dep).resources);
    expect((dep as Any).metadata.annotations['sealos-deploy/migration-command']).toBe('npx prisma migrate deploy');
    expect(rendered.yaml).toMatch(/# Migrations: init container "migrate" runs `npx prisma migrate deploy` with the app's environment once "wait-for-db" sees the database/);
    const main = mainContainer(dep);
    expect(main.startupProbe.failureThreshold * main.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
    // /health waits on the database: liveness must not restart pods for a slow dependency.
    expect(main.readinessProbe.httpGet).toEqual({ path: '/health', port: 8080 });
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(rendered.warnings.join('\n')).toMatch(/\/health waits on the database/);
    expect((rendered.documents[0] as Any).metadata.name).toBe('fastify-prisma-postgres');
    expect((rendered.documents[0] as Any).spec.gitRepo).toBe('https://github.com/acme/fastify-prisma-postgres');
  });

  it('Next.js SSR: binds 0.0.0.0, public URL env, browser-bundle vars are not deploy inputs', async () => {
    const { rendered, byKind } = await roundTrip(nextSsr());
    const main = mainContainer(byKind('Deployment')[0]!);
    const env = envOf(main);
    expect(env.find((e) => e.name === 'HOSTNAME')?.value).toBe('0.0.0.0');
    expect(env.find((e) => e.name === 'NEXTAUTH_URL')?.value).toBe('https://next-shop-qqqqqqqq.usw-1.sealos.app');
    expect(rendered.inputs).toEqual(['NEXTAUTH_SECRET']);
    expect(rendered.warnings.join('\n')).toMatch(/NEXT_PUBLIC_ANALYTICS_ID .*build time/);
    expect(main.startupProbe.failureThreshold * main.startupProbe.periodSeconds).toBeGreaterThanOrEqual(120);
    expect(main.livenessProbe.httpGet.path).toBe('/api/health');
    expect((rendered.documents[0] as Any).spec.categories).toEqual(['frontend']);
  });

  it('static SPA: nginx-unprivileged port 8080 end to end, probes on /, no env and no inputs', async () => {
    const { rendered, byKind } = await roundTrip(staticSpa());
    const main = mainContainer(byKind('Deployment')[0]!);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(main.env).toBeUndefined();
    expect(main.readinessProbe.httpGet).toEqual({ path: '/', port: 8080 });
    expect((byKind('Service')[0] as Any).spec.ports[0].port).toBe(8080);
    expect((byKind('Ingress')[0] as Any).spec.rules[0].http.paths[0].backend.service.port.number).toBe(8080);
    expect(rendered.inputs).toEqual([]);
  });

  it('worker: a Deployment without Service, Ingress, App, ports or probes; its non-Postgres store is an input', async () => {
    const { rendered, inst } = await roundTrip(worker());
    expect(inst.objects.map((o) => o.kind)).toEqual(['Deployment']);
    const main = mainContainer(inst.objects[0]!);
    expect(main.ports).toBeUndefined();
    expect(main.startupProbe ?? main.readinessProbe ?? main.livenessProbe).toBeUndefined();
    expect(envOf(main).map((e) => e.name)).not.toContain('PORT');
    expect(rendered.inputs).toEqual(['REDIS_URL']);
    expect(rendered.warnings.join('\n')).toMatch(/provisions PostgreSQL only, so REDIS_URL is a required input/);
    expect(inst.url).toBeNull();
  });

  it('a second store the template does not provision: its loopback host is an input, with a warning (automatisch: Redis beside PostgreSQL)', async () => {
    const base = expressPostgres();
    const redisVar = (name: string, def: string | null): Analysis['env_vars'][number] => ({ name, class: 'database', required: false, default: def, sources: ['code'], public: false, evidence: [{ file: 'src/config/app.js', line: 68, rule: 'env.read' }] });
    const analysis: Analysis = {
      ...base,
      databases: [base.database, { engine: 'redis', driver: 'ioredis', orm: null, env_key: null, env_keys: ['REDIS_PASSWORD'], evidence: [] }],
      env_vars: [...base.env_vars, redisVar('REDIS_HOST', '127.0.0.1'), redisVar('REDIS_PORT', '6379'), redisVar('REDIS_PASSWORD', null)],
    };
    const { rendered } = await roundTrip(analysis);
    expect(rendered.inputs).toContain('REDIS_HOST');
    expect(rendered.inputs).not.toContain('REDIS_PORT');
    expect(rendered.warnings).toContain('The service also uses redis (ioredis), which this template does not provision: REDIS_HOST is an input pointing at an existing server.');
    // A store whose address has no default is already a required input; the warning still says it is not provisioned.
    const url: Analysis = { ...analysis, env_vars: [...base.env_vars, { ...redisVar('REDIS_URL', null), required: true }] };
    const second = await roundTrip(url);
    expect(second.rendered.inputs).toContain('REDIS_URL');
    expect(second.rendered.warnings).toContain('The service also uses redis (ioredis), which this template does not provision: point its connection settings at an existing server (.sealos/config.json env_overrides).');
  });

  it('custom domain: a second Ingress with a cert-manager Issuer and Certificate, App still last', async () => {
    const { inst, byKind } = await roundTrip(express(), { customDomain: 'API.Example.com' });
    expect(inst.objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Ingress', 'Ingress', 'Issuer', 'Certificate', 'App']);
    const [root, custom] = byKind('Ingress') as Any[];
    expect(root.spec.rules[0].host).toBe('demo-api-qqqqqqqq.usw-1.sealos.app');
    expect(root.spec.tls[0].secretName).toBe('wildcard-cert');
    expect(custom.spec.rules[0].host).toBe('api.example.com');
    expect(custom.spec.tls[0]).toEqual({ hosts: ['api.example.com'], secretName: `${APP}-domain` });
    const cert = byKind('Certificate')[0] as Any;
    expect(cert.spec).toEqual({ secretName: `${APP}-domain`, dnsNames: ['api.example.com'], issuerRef: { name: `${APP}-domain`, kind: 'Issuer' } });
    expect(catchError(() => renderTemplate(express(), { image: IMAGE, customDomain: '*.example.com' })).code).toBe('USAGE');
  });

  it('private image: pods pull with the Secret named after the instance', async () => {
    const { rendered, byKind } = await roundTrip(express(), { imagePullSecret: true });
    expect(podSpec(byKind('Deployment')[0]!).imagePullSecrets).toEqual([{ name: APP }]);
    expect(rendered.warnings.join('\n')).toMatch(/Private image/);
    const { byKind: publicKinds } = await roundTrip(express());
    expect(podSpec(publicKinds('Deployment')[0]!).imagePullSecrets).toBeUndefined();
  });

  it('volume: a StatefulSet with an App Launchpad volume claim, labelled for the instance', async () => {
    const { inst, byKind } = await roundTrip(express(), { storage: { mountPath: '/app/data', size: '2Gi' } });
    expect(inst.objects.map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'Ingress', 'App']);
    const sts = byKind('StatefulSet')[0] as Any;
    expect(sts.spec.serviceName).toBe(APP);
    expect(sts.spec.volumeClaimTemplates[0].metadata).toEqual({
      name: 'vn-appvn-data',
      annotations: { path: '/app/data', value: '2' },
      labels: { 'cloud.sealos.io/deploy-on-sealos': APP },
    });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    expect(mainContainer(sts).volumeMounts).toEqual([{ name: 'vn-appvn-data', mountPath: '/app/data' }]);
    expect(sts.spec.strategy).toBeUndefined();
  });

  it('no health path: TCP probes on the port, with a warning', async () => {
    const { rendered, byKind } = await roundTrip(buildAnalysis({ health: { paths: [], routes: [], module: null } }));
    const main = mainContainer(byKind('Deployment')[0]!);
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(main[p].tcpSocket).toEqual({ port: 3000 });
      expect(main[p].httpGet).toBeUndefined();
    }
    expect(rendered.warnings.join('\n')).toMatch(/No health endpoint/);
  });

  it('App Launchpad conventions on the workload, Service, Ingress and App', async () => {
    const { byKind } = await roundTrip(express(), { replicas: 2, cpu: '1', memory: '1Gi' });
    const dep = byKind('Deployment')[0] as Any;
    expect(dep.metadata.labels).toMatchObject({ app: APP, 'cloud.sealos.io/app-deploy-manager': APP });
    expect(dep.metadata.annotations).toMatchObject({ originImageName: IMAGE, 'deploy.cloud.sealos.io/minReplicas': '2', 'deploy.cloud.sealos.io/maxReplicas': '2' });
    expect(dep.spec).toMatchObject({ replicas: 2, revisionHistoryLimit: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    expect(podSpec(dep).automountServiceAccountToken).toBe(false);
    const main = mainContainer(dep);
    expect(main).toMatchObject({ name: APP, image: IMAGE, imagePullPolicy: 'IfNotPresent' });
    expect(main.resources).toEqual({ requests: { cpu: '100m', memory: '102Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    const ing = byKind('Ingress')[0] as Any;
    expect(ing.metadata.labels['cloud.sealos.io/app-deploy-manager-domain']).toBe('demo-api-qqqqqqqq');
    expect(ing.metadata.annotations['kubernetes.io/ingress.class']).toBe('nginx');
    expect(ing.spec.rules[0].http.paths[0]).toMatchObject({ path: '/', pathType: 'Prefix' });
    const app = byKind('App')[0] as Any;
    expect(Object.keys(app.spec).sort()).toEqual(['data', 'displayType', 'icon', 'name', 'type']);
    expect(app.spec.data).toEqual({ url: HOST });
  });

  it('defaults: 500m/512Mi limits with 10 % requests, app name from the package, capped and DNS-safe', () => {
    const r = renderTemplate(
      buildAnalysis({ units: [{ path: '', name: '@Acme/My_Super.Long-Service-Name-That-Goes-On-And-On', kind: 'server', framework: 'express' }] }),
      { image: IMAGE },
    );
    const tpl = r.documents[0] as Any;
    expect(tpl.metadata.name).toBe('my-super-long-service-name-that-goes-on');
    expect(tpl.metadata.name.length).toBeLessThanOrEqual(40);
    expect(tpl.spec.defaults.app_name.value).toBe('my-super-long-service-name-that-goes-on-${{ random(8) }}');
    const dep = r.documents.find((d) => d.kind === 'Deployment') as Any;
    expect(dep.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '51Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(renderTemplate(express(), { image: IMAGE, appName: '42 Things!' }).documents[0]?.metadata.name).toBe('app-42-things');
  });

  it('caps the base name at 24 characters with PostgreSQL, so KubeBlocks-derived names fit in 63', () => {
    const long = expressPostgres();
    long.units = [{ path: '', name: 'customer-billing-reconciliation-service', kind: 'server', framework: 'express' }];
    const r = renderTemplate(long, { image: IMAGE });
    const base = (r.documents[0] as Any).metadata.name as string;
    expect(base).toBe('customer-billing-reconci');
    // The longest name KubeBlocks derives: <cluster>-postgresql-headless.
    expect(`${base}-qqqqqqqq-pg-postgresql-headless`.length).toBeLessThanOrEqual(63);
    const warned = renderTemplate(long, { image: IMAGE, appName: 'customer-billing-reconciliation-service' });
    expect(warned.warnings.join('\n')).toMatch(/became "customer-billing-reconci"/);
  });

  it('never copies credentials from the git remote into the template', () => {
    const a = buildAnalysis({ project: { git: { commit: null, branch: null, dirty: false, remote: 'https://x-access-token:ghp_T0KEN@github.com/acme/app.git' } } });
    const r = renderTemplate(a, { image: IMAGE });
    expect((r.documents[0] as Any).spec.gitRepo).toBe('https://github.com/acme/app');
    expect(r.yaml).not.toContain('ghp_T0KEN');
  });

  it('private apps carry no catalog-only fields', () => {
    const tpl = renderTemplate(express(), { image: IMAGE }).documents[0] as Any;
    expect(tpl.spec).not.toHaveProperty('i18n');
    expect(tpl.spec).not.toHaveProperty('readme');
    expect(tpl.spec).not.toHaveProperty('icon');
    expect(JSON.stringify(tpl)).not.toContain('raw.githubusercontent.com');
    expect(tpl.spec).toMatchObject({ templateType: 'inline', locale: 'en', title: 'demo-api' });
  });

  it('is deterministic: same analysis and inputs give the same bytes, whatever the order of env facts', () => {
    const a = renderTemplate(fastifyPrisma(), { image: IMAGE, customDomain: 'x.example.com' });
    const b = renderTemplate(fastifyPrisma(), { image: IMAGE, customDomain: 'x.example.com' });
    expect(b.yaml).toBe(a.yaml);
    const shuffled = fastifyPrisma();
    shuffled.env_vars.reverse();
    const withoutDigest = (y: string) => y.replace(/sha256:[0-9a-f]{16}/, '');
    expect(withoutDigest(renderTemplate(shuffled, { image: IMAGE, customDomain: 'x.example.com' }).yaml)).toBe(withoutDigest(a.yaml));
  });

  it('names the generator and the analysis in a header comment, and the YAML has one Template first', () => {
    const r = renderTemplate(fastifyPrisma(), { image: IMAGE });
    expect(r.yaml.split('\n')[0]).toMatch(/^# Sealos template generated by sealos-deploy \d+\.\d+\.\d+/);
    expect(r.yaml).toMatch(/# Analysis: \.sealos\/analysis\.json sha256:[0-9a-f]{16}, project fastify-prisma-postgres, unit \., commit fedcba987654/);
    const docs = YAML.parseAllDocuments(r.yaml).map((d) => d.toJS() as Any);
    expect(docs[0].kind).toBe('Template');
    expect(docs.filter((d) => d.kind === 'Template')).toHaveLength(1);
    expect(docs.at(-1).kind).toBe('App');
  });

  it.each(['ghcr.io/acme/api:latest', 'ghcr.io/acme/api', 'acme/api'])('refuses %s with IMAGE_TAG_LATEST', (image) => {
    expect(catchError(() => renderTemplate(express(), { image })).code).toBe('IMAGE_TAG_LATEST');
  });

  it('accepts a digest-pinned image', async () => {
    const image = `ghcr.io/acme/api@sha256:${'b'.repeat(64)}`;
    const { byKind } = await roundTrip(express(), { image });
    expect(mainContainer(byKind('Deployment')[0]!).image).toBe(image);
  });

  it('refuses a not-deployable project with NOT_DEPLOYABLE', () => {
    const err = catchError(() => renderTemplate(buildAnalysis({ kind: 'not-deployable', kind_reason: 'a library with no start script' }), { image: IMAGE }));
    expect(err.code).toBe('NOT_DEPLOYABLE');
    expect(err.message).toContain('a library with no start script');
    const root = catchError(() =>
      renderTemplate(
        buildAnalysis({ kind: 'not-deployable', kind_reason: 'monorepo root', units: [{ path: 'packages/db', name: 'db', kind: 'not-deployable', framework: 'none' }, { path: 'apps/api', name: 'api', kind: 'server', framework: 'fastify' }] }),
        { image: IMAGE },
      ),
    );
    expect(root.next).toBe('Analyze the unit from the root (sealos-deploy analyze . --path apps/api), then render it from its directory (sealos-deploy render apps/api).');
  });

  it('refuses bad sizes with USAGE', () => {
    expect(catchError(() => renderTemplate(express(), { image: IMAGE, cpu: 'lots' })).code).toBe('USAGE');
    expect(catchError(() => renderTemplate(express(), { image: IMAGE, memory: '512' })).code).toBe('USAGE');
    expect(catchError(() => renderTemplate(express(), { image: IMAGE, replicas: 0 })).code).toBe('USAGE');
    expect(catchError(() => renderTemplate(express(), { image: IMAGE, storage: { mountPath: 'data', size: '1Gi' } })).code).toBe('USAGE');
  });

  it('uses the same port number for container, Service, Ingress backend and probes, for many analyses', async () => {
    const cases = [
      { a: buildAnalysis({ port: { value: 4000 } }), port: 4000 },
      { a: buildAnalysis({ port: { value: null, default: 5173 } }), port: 5173 },
      { a: buildAnalysis({ port: { value: null, default: null }, dockerfile: { expose: [9090] } }), port: 9090 },
      { a: buildAnalysis({ port: { value: 3000 }, config: { path: '.sealos/config.json', port: 7000 } }), port: 7000 },
      { a: buildAnalysis({ port: { value: null, default: null } }), port: 3000 },
      { a: buildAnalysis({ port: { value: 8081 }, health: { paths: [], routes: [], module: null } }), port: 8081 },
      { a: fastifyPrisma(), port: 8080 },
      { a: nextSsr(), port: 3000 },
      { a: staticSpa(), port: 8080 },
      { a: expressPostgres(), port: 3000 },
    ];
    for (const { a, port } of cases) {
      const { byKind } = await roundTrip(a, { customDomain: 'example.org' });
      const main = mainContainer(byKind('Deployment')[0]!);
      const seen = new Set<number>([
        ...main.ports.map((p: Any) => p.containerPort),
        ...['startupProbe', 'readinessProbe', 'livenessProbe'].map((p) => (main[p].httpGet ?? main[p].tcpSocket).port),
        ...byKind('Service').flatMap((s: Any) => s.spec.ports.flatMap((p: Any) => [p.port, p.targetPort])),
        ...byKind('Ingress').flatMap((i: Any) => i.spec.rules.flatMap((r: Any) => r.http.paths.map((p: Any) => p.backend.service.port.number))),
        Number(envOf(main).find((e) => e.name === 'PORT')?.value ?? port),
      ]);
      expect([...seen]).toEqual([port]);
    }
  });

  it('never writes a secret value: not code fallbacks, not deploy-time inputs', async () => {
    const marker = 'MARKER-s3cr3t-91c2';
    const analysis = buildAnalysis({
      env_vars: [
        { name: 'API_TOKEN', class: 'server-secret', required: true, default: marker, sources: ['code'], public: false, evidence: [{ file: 'a.js', line: 1, rule: 'env.read' }] },
        { name: 'SIGNING_KEY', class: 'server-secret', required: false, default: marker, sources: ['code'], public: false, evidence: [] },
        { name: 'VENDOR_KEY', class: 'third-party-key', required: true, default: null, sources: ['env-example'], public: false, evidence: [] },
      ],
    });
    const r = renderTemplate(analysis, { image: IMAGE });
    expect(r.yaml).not.toContain(marker);
    expect(JSON.stringify(r.documents)).not.toContain(marker);
    expect(r.inputs).toEqual(['API_TOKEN', 'VENDOR_KEY']);
    // The value reaches the pod only at instantiate time.
    const inst = instantiate(r.yaml, { ...platform, inputs: { API_TOKEN: marker, VENDOR_KEY: 'k' }, random: fixedRandom });
    expect(envOf(mainContainer(inst.objects[0]!)).find((e) => e.name === 'API_TOKEN')?.value).toBe(marker);
  });

  it('keeps the YAML free of anchors and aliases (the provider substitutes text)', () => {
    const r = renderTemplate(fastifyPrisma(), { image: IMAGE });
    expect(r.yaml).not.toMatch(/[&*]a\d+\b/);
    expect(r.yaml).toContain('value: "${{ inputs.JWT_SECRET }}"');
  });
});
