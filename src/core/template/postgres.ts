import type { DatabaseFacts } from '../state/analysis-schema.js';
import type { EnvEntry } from './env.js';
import { DB_PROVIDER_CR, APP_DEPLOY_MANAGER, type K8sObject } from './labels.js';
import { APP } from './types.js';

/**
 * PostgreSQL through KubeBlocks as Sealos templates write it (reference §5): ServiceAccount, Role,
 * RoleBinding, Cluster `<app>-pg`, and an init Job that creates the app's database. The app reads
 * credentials from the `<app>-pg-conn-credential` Secret (keys username, password, host, port).
 */

export const PG_VERSION = 'postgresql-16.4.0';
export const PG_INIT_IMAGE = 'postgres:16.4-alpine';
export const PG = `${APP}-pg`;
export const PG_SECRET = `${APP}-pg-conn-credential`;

type Role = 'url' | 'host' | 'port' | 'user' | 'password' | 'database';
const SECRET_KEY: Record<'host' | 'port' | 'user' | 'password', string> = { user: 'username', password: 'password', host: 'host', port: 'port' };
const HELPER: Record<'host' | 'port' | 'user' | 'password', string> = { user: 'PG_USERNAME', password: 'PG_PASSWORD', host: 'PG_HOST', port: 'PG_PORT' };

/** What a connection env key means, from its name (DATABASE_URL, POSTGRES_URL, PGHOST, DB_PASSWORD...). */
export function connectionRole(key: string): Role | null {
  const k = key.toUpperCase();
  if (/APP_?NAME$/.test(k)) return null;
  if (/(URL|URI|DSN|CONNECTION_STRING|CONN_STRING|CONNECTION)$/.test(k)) return 'url';
  if (/HOST(NAME)?$/.test(k)) return 'host';
  if (/PORT$/.test(k)) return 'port';
  if (/(USER|USERNAME)$/.test(k)) return 'user';
  if (/(PASSWORD|PASSWD|PASS|PWD)$/.test(k)) return 'password';
  if (/(DATABASE|DB|DBNAME|DB_NAME|NAME)$/.test(k)) return 'database';
  return null;
}

/** Env entries that give the service the connection under the exact keys it reads. */
export function postgresEnv(db: DatabaseFacts, databaseName: string): { env: EnvEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const keys: string[] = [];
  for (const k of [db.env_key, ...db.env_keys]) if (k && !keys.includes(k) && connectionRole(k)) keys.push(k);
  if (keys.length === 0) {
    keys.push('DATABASE_URL');
    warnings.push('No database env key was found in the code; the template sets DATABASE_URL. Check that the service reads it.');
  }
  const byRole = new Map<Role, string[]>();
  for (const k of keys) {
    const r = connectionRole(k) as Role;
    byRole.set(r, [...(byRole.get(r) ?? []), k]);
  }
  const urls = byRole.get('url') ?? [];
  const env: EnvEntry[] = [];
  const part = {} as Record<'host' | 'port' | 'user' | 'password', string>;
  for (const role of ['user', 'password', 'host', 'port'] as const) {
    const own = byRole.get(role) ?? [];
    part[role] = own[0] ?? HELPER[role];
    const names = own.length > 0 ? own : urls.length > 0 ? [HELPER[role]] : [];
    for (const name of names) env.push({ name, valueFrom: { secretKeyRef: { name: PG_SECRET, key: SECRET_KEY[role] } } });
  }
  for (const name of byRole.get('database') ?? []) env.push({ name, value: databaseName });
  const url = `postgresql://$(${part.user}):$(${part.password})@$(${part.host}):$(${part.port})/${databaseName}`;
  for (const name of urls) env.push({ name, value: url });
  // The service opens PostgreSQL only when a setting chooses it (Flowise's DATABASE_TYPE, SQLite otherwise): choose it.
  if (db.selector && !env.some((e) => e.name === db.selector!.env_name)) env.push({ name: db.selector.env_name, value: db.selector.value });
  return { env, warnings };
}

function dbLabels(): Record<string, string> {
  return { [DB_PROVIDER_CR]: PG, 'app.kubernetes.io/instance': PG, 'app.kubernetes.io/managed-by': 'kbcli' };
}

export function postgresResources(databaseName: string | null): K8sObject[] {
  const objects: K8sObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: PG, labels: dbLabels() } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: PG, labels: dbLabels() },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: PG, labels: dbLabels() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: PG },
      subjects: [{ kind: 'ServiceAccount', name: PG }],
    },
    {
      apiVersion: 'apps.kubeblocks.io/v1alpha1',
      kind: 'Cluster',
      metadata: {
        name: PG,
        labels: {
          'kb.io/database': PG_VERSION,
          'clusterdefinition.kubeblocks.io/name': 'postgresql',
          'clusterversion.kubeblocks.io/name': PG_VERSION,
          [DB_PROVIDER_CR]: PG,
          'app.kubernetes.io/instance': PG,
        },
      },
      spec: {
        affinity: { podAntiAffinity: 'Preferred', tenancy: 'SharedNode' },
        clusterDefinitionRef: 'postgresql',
        clusterVersionRef: PG_VERSION,
        componentSpecs: [
          {
            name: 'postgresql',
            componentDefRef: 'postgresql',
            replicas: 1,
            disableExporter: true,
            enabledLogs: ['running'],
            serviceAccountName: PG,
            switchPolicy: { type: 'Noop' },
            resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '50m', memory: '51Mi' } },
            volumeClaimTemplates: [
              { name: 'data', spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
            ],
          },
        ],
        terminationPolicy: 'Delete',
      },
    },
  ];
  if (databaseName !== null) objects.push(initJob(databaseName));
  return objects;
}

const secretEnv = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: PG_SECRET, key } } });
const PG_CLIENT_ENV = () => [secretEnv('PGHOST', 'host'), secretEnv('PGPORT', 'port'), secretEnv('PGUSER', 'username'), secretEnv('PGPASSWORD', 'password')];
const SMALL = () => ({ requests: { cpu: '10m', memory: '12Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
export const DATABASE_WAIT_SECONDS = 600;

/**
 * Init container that holds the pod until PostgreSQL answers and the app's database exists, so the
 * migration and the app never start against a cluster KubeBlocks is still creating. It gives up after
 * DATABASE_WAIT_SECONDS with a message in its log, which the rollout diagnosis can quote.
 */
export function waitForPostgres(databaseName: string | null): Record<string, unknown> {
  const ready =
    databaseName === null
      ? 'pg_isready -q'
      : `pg_isready -q && [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${databaseName}'")" = "1" ]`;
  const script = [
    'waited=0',
    `until ${ready}; do`,
    `  if [ "$waited" -ge ${DATABASE_WAIT_SECONDS} ]; then echo "PostgreSQL database ${databaseName ?? 'postgres'} is not ready after ${DATABASE_WAIT_SECONDS}s"; exit 1; fi`,
    `  echo "waiting for PostgreSQL database ${databaseName ?? 'postgres'}"; sleep 2; waited=$((waited + 2))`,
    'done',
  ].join('\n');
  return {
    name: 'wait-for-db',
    image: PG_INIT_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', '-c', script],
    env: PG_CLIENT_ENV(),
    resources: SMALL(),
    securityContext: { allowPrivilegeEscalation: false },
  };
}

/** Creates the app's database once PostgreSQL answers; idempotent, so re-applying is harmless. */
function initJob(databaseName: string): K8sObject {
  const script = [
    'until pg_isready -q; do echo "waiting for PostgreSQL"; sleep 2; done',
    `if [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${databaseName}'")" != "1" ]; then`,
    `  psql -d postgres -v ON_ERROR_STOP=1 -c 'CREATE DATABASE "${databaseName}"'`,
    'fi',
  ].join('\n');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${PG}-init`, labels: { [APP_DEPLOY_MANAGER]: APP } },
    spec: {
      backoffLimit: 10,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels: { [APP_DEPLOY_MANAGER]: APP } },
        spec: {
          automountServiceAccountToken: false,
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'pg-init',
              image: PG_INIT_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              env: PG_CLIENT_ENV(),
              command: ['sh', '-c', script],
              resources: SMALL(),
            },
          ],
        },
      },
    },
  };
}
