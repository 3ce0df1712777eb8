import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisSchema, type Analysis } from '../../../src/core/state/analysis-schema.js';
import type { AnalyzeFn } from '../../../src/core/truth/local/rehearse.js';
import { execaRunner } from '../../../src/system/runner.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/apps');

export interface FixtureExpectation {
  description: string;
  expect: Record<string, unknown>;
  rehearsal: {
    verdict: 'accepted' | 'rejected';
    failing: string[];
    warnings?: string[];
    /** Facts the rehearsal depends on beyond `expect` (whose keys are limited to the analyzer's stable set). */
    analysis?: { env_vars?: Array<Record<string, unknown>> };
  };
}

export function readExpected(name: string): FixtureExpectation {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as FixtureExpectation;
}

const noEvidence = { evidence: [] };

/** A complete, schema-valid analysis of a plain node:http service; fixtures override facts. */
export function baseAnalysis(): Analysis {
  return AnalysisSchema.parse({
    schema_version: 1,
    generated_at: new Date(0).toISOString(),
    tool: { name: 'sealos-deploy', version: '0.0.0-test' },
    project: { name: 'app', path: '', git: null },
    package_manager: { name: 'npm', version: null, lockfile: 'package-lock.json', lockfile_committed: true, corepack: false, ...noEvidence },
    node: { version: '20', requested: '>=20', source: 'engines', sources: [], ...noEvidence },
    framework: { name: 'node-http', version: null, details: {}, ...noEvidence },
    kind: 'server',
    kind_reason: 'listens on a port',
    commands: { install: 'npm ci', build: null, start: 'npm start', start_source: 'script', start_issues: [], ...noEvidence },
    entrypoint: 'server.js',
    entrypoint_evidence: [],
    static_site: null,
    port: { value: 3000, reads_env: true, env_name: 'PORT', default: 3000, source: 'code', ...noEvidence },
    bind: { host: '0.0.0.0', all_interfaces: true, ...noEvidence },
    env_vars: [],
    env_files: { example: null, env_ignored: null, committed_env_files: [] },
    health: { paths: [], routes: [], module: null },
    database: { engine: null, driver: null, orm: null, env_key: null, env_keys: [], ...noEvidence },
    databases: [],
    migrations: { tool: null, command: null, directory: null, files: [], ...noEvidence },
    process: { graceful_shutdown: false, signals: [], logger: null, logs_port_on_start: false, background_work: [], ...noEvidence },
    dockerfile: null,
    config: null,
    workspace: null,
    units: [],
    findings: [],
    skipped: [],
    stats: { files_listed: 0, files_read: 0, duration_ms: 0 },
  });
}

/** The base analysis with a fixture's expected facts merged in (objects merged one level deep). */
export function analysisFrom(expect: Record<string, unknown>): Analysis {
  const a = baseAnalysis() as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(expect)) {
    const cur = a[k];
    if (k === 'env_vars' && Array.isArray(v))
      a[k] = v.map((e: Record<string, unknown>) => ({ required: false, default: null, sources: ['code'], public: false, evidence: [], class: 'other', ...e }));
    else if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) a[k] = { ...cur, ...v };
    else a[k] = v;
  }
  return AnalysisSchema.parse(a);
}

/** The analysis a fixture's rehearsal runs against: `expect`, plus `rehearsal.analysis` env facts merged by name. */
export function analysisForFixture(name: string): Analysis {
  const e = readExpected(name);
  const extra = new Map((e.rehearsal.analysis?.env_vars ?? []).map((v) => [v.name as string, v]));
  const envVars = ((e.expect.env_vars as Array<Record<string, unknown>> | undefined) ?? []).map((v) => ({ ...v, ...extra.get(v.name as string) }));
  return analysisFrom({ ...e.expect, env_vars: envVars });
}

/** An analyzer stand-in that returns fixed facts and records the directory it was asked about. */
export function fixedAnalyzer(analysis: Analysis, seen: string[] = []): AnalyzeFn {
  return async (dir) => {
    seen.push(dir);
    return analysis;
  };
}

/** Copies files into a fresh git repo and commits them, so tests never depend on the lead's commits. */
export async function makeRepo(fixture: string, files: Record<string, string> = {}): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-repo-'));
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const git = async (...args: string[]) => {
    const r = await execaRunner.run('git', args, { cwd: dir, env: { GIT_CONFIG_NOSYSTEM: '1' } });
    if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  await git('init', '-q');
  await git('add', '-A');
  await git('-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'fixture');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
