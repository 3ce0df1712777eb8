import type { Analysis, EnvVar } from '../state/analysis-schema.js';
import { connectionRole, postgresEnv } from './postgres.js';
import { input, PUBLIC_HOST, PUBLIC_URL } from './types.js';
import { bindEnv, mustSetEnv } from '../bind-env.js';

export interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface TemplateInput {
  name: string;
  description: string;
}

export interface EnvPlan {
  env: EnvEntry[];
  inputs: TemplateInput[];
  warnings: string[];
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** The variables of a store the template does not provision, by engine. */
const STORE_VARS: Partial<Record<string, RegExp>> = { redis: /^(REDIS|KV|VALKEY)_/, mongodb: /^MONGO(DB)?_/, mysql: /^(MYSQL|MARIADB)_/ };
/**
 * A default that reaches no server from a pod: loopback (`127.0.0.1`, `redis://localhost:6379`) or a Compose service
 * name (`redis`, `mongo`).
 */
const NOWHERE_HOST = /^(?:[a-z+]+:\/\/(?:[^@/]*@)?)?(?:localhost|127\.0\.0\.1|\[::1\]|redis|valkey|mongo|mongodb|mysql|mariadb|db)(?::\d+)?(?:\/.*)?$/i;

function where(v: EnvVar): string {
  const e = v.evidence[0];
  return e ? ` (read in ${e.file}:${e.line})` : '';
}

function describeInput(v: EnvVar): string {
  const what =
    v.class === 'server-secret'
      ? 'Server secret'
      : v.class === 'third-party-key'
        ? 'Third-party API key'
        : v.class === 'database'
          ? 'Database connection setting'
          : 'Setting';
  return `${what} ${v.name}${where(v)}. Required by the service; given at deploy time and never stored in the template.`;
}

function needsInput(v: EnvVar, wired: Set<string>): boolean {
  if (v.public || wired.has(v.name) || !VALID_NAME.test(v.name)) return false;
  if (v.class === 'server-secret' || v.class === 'third-party-key') return v.required;
  if (v.class === 'other' || v.class === 'database') return v.required && v.default === null;
  return false;
}

/**
 * The container environment, in dependency order: runtime facts, the database wiring (Secret refs
 * before the `$(VAR)` compositions that use them), public URLs, then deploy-time inputs.
 */
export function planEnv(analysis: Analysis, port: number | null, databaseName: string): EnvPlan {
  const warnings: string[] = [];
  const env: EnvEntry[] = [];
  const byName = new Map<string, EnvEntry>();
  const push = (e: EnvEntry) => {
    if (byName.has(e.name)) return;
    byName.set(e.name, e);
    env.push(e);
  };

  if (port !== null) {
    push({ name: 'PORT', value: String(port) });
    const named = analysis.port.env_name;
    if (named && named !== 'PORT' && VALID_NAME.test(named)) push({ name: named, value: String(port) });
  }
  push({ name: 'NODE_ENV', value: 'production' });
  if (port !== null) for (const [name, value] of Object.entries(bindEnv(analysis))) push({ name, value });

  if (analysis.database.engine === 'postgres') {
    const pg = postgresEnv(analysis.database, databaseName);
    pg.env.forEach(push);
    warnings.push(...pg.warnings);
  } else if (analysis.database.engine && analysis.database.engine !== 'sqlite') {
    warnings.push(
      `The service uses ${analysis.database.engine}; this template provisions PostgreSQL only, so ${analysis.database.env_key ?? 'its connection setting'} is a required input pointing at an existing ${analysis.database.engine} server.`,
    );
  } else if (analysis.database.engine === 'sqlite') {
    warnings.push('The service uses SQLite: its file is lost on every restart unless it lives on a persistent volume (pass storage with the directory of the database file).');
  }

  const vars = [...analysis.env_vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Validated at start, with the example file's value to go on (LOG_LEVEL=info): set, not asked for.
  for (const [name, value] of Object.entries(mustSetEnv(analysis))) push({ name, value });
  const wired = new Set(byName.keys());
  for (const v of vars) {
    if (v.class !== 'public-url' || !VALID_NAME.test(v.name) || wired.has(v.name)) continue;
    // A worker has no public host; its code default (or an override in .sealos/config.json) applies.
    if (port === null) warnings.push(`${v.name} is a public URL, but a worker has no public address: set it in .sealos/config.json env_overrides if the worker needs it.`);
    // A host or domain list (ALLOWED_HOSTS, DOMAIN, homepage's HOMEPAGE_ALLOWED_HOSTS) takes the host, not a URL.
    else push({ name: v.name, value: /(HOSTS?|DOMAINS?)$/.test(v.name) ? PUBLIC_HOST : PUBLIC_URL });
  }

  const inputs: TemplateInput[] = [];
  const declared = new Set<string>();
  const addInput = (name: string, description: string) => {
    if (declared.has(name) || byName.has(name)) return;
    declared.add(name);
    inputs.push({ name, description });
  };
  // With a provisioned PostgreSQL the connection is wired; database settings that are not part of it
  // (DB_SCHEMA, DATABASE_SSL_CA_FILE) are tuning the service has its own answer for: not deploy inputs.
  // So are connection parts only the example file lists (DB_NAME for a `db:create` script): the code never reads them.
  const exampleOnly = (v: (typeof vars)[number]) => v.sources.length === 1 && v.sources[0] === 'env-example';
  const tuning = analysis.database.engine === 'postgres' ? vars.filter((v) => v.class === 'database' && v.required && v.default === null && !wired.has(v.name) && !v.public && (connectionRole(v.name) === null || exampleOnly(v))) : [];
  if (tuning.length)
    warnings.push(
      `${tuning.map((v) => v.name).join(', ')} ${tuning.length === 1 ? 'is a database setting' : 'are database settings'} without a default (the code reads, or only the example file lists); the template leaves ${tuning.length === 1 ? 'it' : 'them'} unset beside the PostgreSQL connection it wires. Set ${tuning.length === 1 ? 'it' : 'them'} in .sealos/config.json env_overrides if the service needs ${tuning.length === 1 ? 'it' : 'them'}.`,
    );
  const skip = new Set(tuning.map((v) => v.name));
  for (const v of vars) {
    if (skip.has(v.name)) continue;
    if (needsInput(v, wired)) addInput(v.name, describeInput(v));
    else if (v.public && v.required && (v.class === 'server-secret' || v.class === 'third-party-key' || v.class === 'other')) {
      warnings.push(`${v.name} is exposed to the browser bundle, so it is fixed at build time: set it when building the image, not at deploy time.`);
    }
  }
  const dbKey = analysis.database.env_key;
  if (analysis.database.engine && analysis.database.engine !== 'postgres' && analysis.database.engine !== 'sqlite' && dbKey && VALID_NAME.test(dbKey)) {
    addInput(dbKey, `Connection string for the existing ${analysis.database.engine} server the service reads from ${dbKey}. Given at deploy time and never stored in the template.`);
  }
  for (const store of analysis.databases) {
    // The primary store was dealt with above; PostgreSQL is provisioned, SQLite is a file.
    if (store.engine === analysis.database.engine || store.engine === 'postgres' || store.engine === 'sqlite') continue;
    const names = store.engine ? STORE_VARS[store.engine] : undefined;
    const local = names ? vars.filter((v) => names.test(v.name) && /_(URL|URI|HOST|CONNECTION_STRING)$/.test(v.name) && v.default !== null && NOWHERE_HOST.test(v.default) && VALID_NAME.test(v.name) && !wired.has(v.name)) : [];
    for (const v of local)
      addInput(v.name, `Where the ${store.engine} server is${where(v)}: the code's default ${v.default} is the pod itself (or a Compose service), where none runs. Given at deploy time.`);
    warnings.push(
      `The service also uses ${store.engine}${store.driver ? ` (${store.driver})` : ''}, which this template does not provision: ${local.length ? `${local.map((v) => v.name).join(', ')} ${local.length === 1 ? 'is an input' : 'are inputs'} pointing at an existing server` : 'point its connection settings at an existing server (.sealos/config.json env_overrides)'}.`,
    );
  }
  inputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const i of inputs) push({ name: i.name, value: input(i.name) });

  const overrides = analysis.config?.env_overrides ?? {};
  for (const name of Object.keys(overrides).sort()) {
    if (!VALID_NAME.test(name)) continue;
    const entry = { name, value: overrides[name] as string };
    const existing = byName.get(name);
    if (existing) {
      delete existing.valueFrom;
      existing.value = entry.value;
    } else push(entry);
  }
  return { env, inputs: inputs.filter((i) => !(i.name in overrides)), warnings };
}
