import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BuildResultSchema } from '../../../src/core/state/build-result-schema.js';
import { execaRunner } from '../../../src/system/runner.js';
import { installFakeDocker, type FakeDocker } from '../../support/fake-docker/index.js';
import { pushImage, startDockerRegistry, type LocalRegistry } from '../../support/registry/docker-registry.js';
import { connect, textOf, type Connected } from './harness.js';
import { fails, ok, planIdOf } from './tools-support.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/apps/plain-http-good');
const temps: string[] = [];
let conn: Connected | undefined;
let registry: LocalRegistry;
let docker: FakeDocker;

/** A committed copy of the fixture (rehearse and build read the git HEAD). */
async function gitCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-local-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
  const git = (...args: string[]) => execaRunner.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'fixture');
  return dir;
}

beforeAll(async () => {
  registry = await startDockerRegistry();
  docker = installFakeDocker();
  // The tools run docker from the server's PATH: the fake one first.
  vi.stubEnv('PATH', docker.env.PATH);
  vi.stubEnv('FAKE_DOCKER_LOG', docker.env.FAKE_DOCKER_LOG);
}, 30_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  docker?.cleanup();
  await registry?.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

interface Built {
  source: string;
  image: string;
  pushed: boolean;
  dockerfile: { path: string; generated: boolean } | null;
  accepted_warnings: string[];
  artifact: string;
}

describe('local tools', { timeout: 60_000 }, () => {
  it('analyze_repo → build_image (fake docker, no push) → render_template uses the built image', async () => {
    const dir = await gitCopy();
    conn = await connect();
    await ok(conn, 'analyze_repo', { project_dir: dir });
    const built = await ok<Built>(conn, 'build_image', { project_dir: dir, registry: 'ghcr.io/acme', push: false });
    expect(built).toMatchObject({ source: 'built', pushed: false, dockerfile: { path: 'Dockerfile', generated: true }, artifact: join(dir, '.sealos/build/build-result.json') });
    // Named after the package, as the app is (not after the temp checkout directory).
    expect(built.image).toMatch(/^ghcr\.io\/acme\/plain-http-good:[0-9a-f]{7}-\d{14}$/);
    const build = docker.calls().find((c) => c.argv[0] === 'buildx' && c.argv[1] === 'build')?.argv ?? [];
    expect(build[build.indexOf('--tag') + 1]).toBe(built.image);
    expect(build).toContain('--load');
    expect(BuildResultSchema.parse(JSON.parse(readFileSync(built.artifact, 'utf8'))).image).toBe(built.image);

    const r = await ok<{ path: string; image: string; resources: string[]; missing_inputs: string[] }>(conn, 'render_template', { project_dir: dir });
    expect(r).toMatchObject({ path: join(dir, '.sealos/template/index.yaml'), image: built.image, missing_inputs: [] });
    expect(r.resources).toEqual(expect.arrayContaining(['Template', 'Deployment', 'Service', 'Ingress']));
    expect(readFileSync(r.path, 'utf8')).toContain(built.image);
  });

  it('render_template refuses latest and needs an analysis first', async () => {
    const dir = await gitCopy();
    conn = await connect();
    expect(await fails(conn, 'render_template', { project_dir: dir, image: 'ghcr.io/acme/x:1.0.0' })).toMatch(/^ARTIFACT_MISSING: /);
    await ok(conn, 'analyze_repo', { project_dir: dir });
    expect(await fails(conn, 'render_template', { project_dir: dir, image: 'ghcr.io/acme/x:latest' })).toMatch(/^IMAGE_TAG_LATEST: /);
  });

  it('build_image: reusing an image not built from this checkout is plan-only until the user confirms', async () => {
    const dir = await gitCopy();
    await pushImage(registry.host, 'acme/plain', '1.0.0');
    const image = `${registry.host}/acme/plain:1.0.0`;
    conn = await connect();
    await ok(conn, 'analyze_repo', { project_dir: dir });
    const calls = docker.calls().length;
    const text = await fails(conn, 'build_image', { project_dir: dir, image });
    expect(text).toMatch(/^CONFIRMATION_REQUIRED: .*Reuse 127\.0\.0\.1:\d+\/acme\/plain:1\.0\.0/);
    expect(text).toContain('org.opencontainers.image.revision');
    expect(existsSync(join(dir, '.sealos/build/build-result.json'))).toBe(false);

    const built = await ok<Built>(conn, 'build_image', { project_dir: dir, image, confirm: true, plan_id: planIdOf(text) });
    expect(built).toMatchObject({ source: 'reused', image, dockerfile: null });
    expect(built.accepted_warnings.join(' ')).toContain('org.opencontainers.image.revision');
    // Reuse never runs docker.
    expect(docker.calls().length).toBe(calls);
  });

  it('build_image never takes a registry password from a readable file', async () => {
    const dir = await gitCopy();
    conn = await connect();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'token'), 'ghp_secret0123456789', { mode: 0o644 });
    const text = await fails(conn, 'build_image', { project_dir: dir, registry_user: 'bot', registry_password_file: 'token' });
    expect(text).toMatch(/^USAGE: The registry password file .* is readable by other users/);
    expect(text).not.toContain('ghp_secret0123456789');
  });

  it('rehearse runs the committed fixture, sends progress, and accepts it', async () => {
    const dir = await gitCopy();
    conn = await connect();
    const progress: string[] = [];
    const res = await conn.client.callTool(
      { name: 'rehearse', arguments: { project_dir: dir, budget_seconds: 60, stability_seconds: 1 } },
      undefined,
      { onprogress: (p) => progress.push(p.message ?? ''), timeout: 60_000 },
    );
    expect(res.isError, textOf(res)).toBeFalsy();
    const r = res.structuredContent as { verdict: string; blocking: string[]; checks: Array<{ id: string; status: string }>; artifact: string; port: number };
    expect({ verdict: r.verdict, blocking: r.blocking }, JSON.stringify(r.checks)).toEqual({ verdict: 'accepted', blocking: [] });
    expect(r.checks.find((c) => c.id === 'health')?.status).toBe('pass');
    expect(r.artifact).toBe(join(dir, '.sealos', 'rehearsal.json'));
    expect(existsSync(r.artifact)).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('read-only mode: render_template and rehearse refuse to write; build_image is not offered', async () => {
    const dir = await gitCopy();
    conn = await connect({ readOnly: true });
    expect(await fails(conn, 'render_template', { project_dir: dir })).toMatch(/^USAGE: This server runs --read-only/);
    expect(await fails(conn, 'rehearse', { project_dir: dir })).toMatch(/^USAGE: This server runs --read-only/);
    expect(existsSync(join(dir, '.sealos'))).toBe(false);
    const res = await conn.client.callTool({ name: 'build_image', arguments: { project_dir: dir } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/build_image not found/);
  });

  it('readiness_scorecard says once why a release is not launchable yet', async () => {
    const dir = await gitCopy();
    conn = await connect();
    await ok(conn, 'analyze_repo', { project_dir: dir });
    const r = await ok<{ summary: string; launchable: boolean }>(conn, 'readiness_scorecard', { project_dir: dir });
    expect(r.launchable).toBe(false);
    expect(r.summary).toMatch(/^Not launchable: no Runtime Truth Pass yet/);
    expect(r.summary).not.toMatch(/launchable:.*launchable:/i);
  });
});
