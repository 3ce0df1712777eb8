import { AnalysisSchema, type Analysis } from '../../src/core/state/analysis-schema.js';

/** Objects merge key by key; arrays and scalars replace. */
export type DeepPartial<T> = T extends Array<infer _U> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/** An Express API on port 3000 with /healthz, no database: the baseline every test overrides. */
function baseline(): Analysis {
  return {
    schema_version: 1,
    generated_at: '2026-01-01T00:00:00.000Z',
    tool: { name: 'sealos-deploy', version: '0.1.0' },
    project: { name: 'demo-api', path: '', git: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: false, remote: 'https://github.com/acme/demo-api.git' } },
    package_manager: { name: 'npm', version: null, lockfile: 'package-lock.json', lockfile_committed: true, corepack: false, evidence: [] },
    node: { version: '22', requested: '>=20', source: 'engines', sources: [{ source: 'engines', value: '>=20', file: 'package.json', line: 5 }], evidence: [] },
    framework: { name: 'express', version: '4.21.0', details: {}, evidence: [{ file: 'package.json', line: 10, rule: 'framework.dependency' }] },
    kind: 'server',
    kind_reason: 'express listens on a port',
    commands: { install: 'npm ci', build: null, start: 'node src/server.js', start_source: 'script', start_issues: [], evidence: [] },
    entrypoint: 'src/server.js',
    entrypoint_evidence: [],
    static_site: null,
    port: { value: 3000, reads_env: true, env_name: 'PORT', default: 3000, source: 'code', evidence: [{ file: 'src/server.js', line: 20, rule: 'port.listen' }] },
    bind: { host: null, all_interfaces: true, evidence: [] },
    env_vars: [
      { name: 'PORT', class: 'runtime-port', required: false, default: '3000', sources: ['code'], public: false, evidence: [{ file: 'src/server.js', line: 20, rule: 'env.read' }] },
      { name: 'NODE_ENV', class: 'runtime-mode', required: false, default: null, sources: ['code'], public: false, evidence: [{ file: 'src/server.js', line: 3, rule: 'env.read' }] },
    ],
    env_files: { example: null, env_ignored: true, committed_env_files: [] },
    health: {
      paths: ['/healthz'],
      routes: [{ path: '/healthz', method: 'GET', slow: false, reveals: [], evidence: [{ file: 'src/server.js', line: 12, rule: 'health.route' }] }],
      module: null,
    },
    database: { engine: null, driver: null, orm: null, env_key: null, env_keys: [], evidence: [] },
    databases: [],
    migrations: { tool: null, command: null, directory: null, files: [], evidence: [] },
    process: { graceful_shutdown: true, signals: ['SIGTERM'], logger: null, logs_port_on_start: true, background_work: [], evidence: [] },
    dockerfile: null,
    config: null,
    workspace: null,
    units: [{ path: '', name: 'demo-api', kind: 'server', framework: 'express' }],
    findings: [],
    skipped: [],
    stats: { files_listed: 3, files_read: 3, duration_ms: 5 },
  };
}

/** Full values for sections that are null in the baseline, so an override can name only what it needs. */
const NULLABLE_DEFAULTS: Partial<Record<keyof Analysis, unknown>> = {
  dockerfile: { path: 'Dockerfile', expose: [], cmd: null, entrypoint: null, user: null, base_images: [], stages: 1, stage_names: [], evidence: [] },
  config: { path: '.sealos/config.json' },
  static_site: { output_dir: 'dist', spa: false },
  workspace: { tools: [], patterns: [], evidence: [] },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

/** A schema-valid Analysis: the baseline with `overrides` merged in (throws if the result is not valid). */
export function buildAnalysis(overrides: DeepPartial<Analysis> = {}): Analysis {
  const base = baseline() as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const fill = NULLABLE_DEFAULTS[key as keyof Analysis];
    if (fill !== undefined && base[key] === null && isPlainObject(value)) base[key] = structuredClone(fill);
  }
  return AnalysisSchema.parse(merge(base, overrides));
}
