import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../src/cli/commands/build.js';
import type { CliIo } from '../../../src/cli/command.js';
import { buildImage } from '../../../src/core/image/build.js';
import { planImage, type ImagePlan } from '../../../src/core/image/plan.js';
import type { RegistryClient } from '../../../src/core/image/registry-port.js';
import { DeployError } from '../../../src/core/errors.js';
import { BuildResultSchema } from '../../../src/core/state/build-result-schema.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { createDocker, fsImageWorkTree } from '../../../src/system/docker.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { installFakeDocker, type FakeDocker } from '../../support/fake-docker/index.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const PASSWORD = 'ghp_s3cretT0kenValue1234567890';
const TAG_FORMAT = /^ghcr\.io\/acme\/demo-api:[0-9a-f]{7}-\d{14}(-dirty)?$/;

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function tmpRepo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sd-build-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const all = {
    'package.json': JSON.stringify({ name: 'demo-api', scripts: { start: 'node src/server.js' } }),
    'package-lock.json': '{"lockfileVersion":3}',
    'src/server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(process.env.PORT || 3000);\n',
    ...files,
  };
  for (const [p, text] of Object.entries(all)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

function fake(behaviour: Record<string, string> = {}): FakeDocker {
  const f = installFakeDocker(behaviour);
  cleanups.push(f.cleanup);
  return f;
}

/** A registry that reports the pushed image as private (anonymous access refused). */
const privateRegistry: RegistryClient = {
  getManifest: async (_ref, reference) => ({ digest: reference, mediaType: 'application/vnd.oci.image.index.v1+json', json: { manifests: [] }, authenticated: true }),
  getBlob: async () => '{}',
  listTags: async () => [],
};

const clock = { now: () => new Date('2026-03-04T14:30:08Z'), sleep: async () => {} };

async function plan(dir: string, analysis: Analysis = buildAnalysis(), dirty = false): Promise<ImagePlan> {
  const repo = await openRepoView(dir, execaRunner);
  return planImage({ analysis, repo, registry: privateRegistry, now: clock.now(), git: { commit: SHA, dirty, remote: 'git@github.com:Acme/demo-api.git' }, discover: false });
}

function ports(dir: string, f: FakeDocker | { env: Record<string, string> }) {
  return { docker: createDocker(execaRunner, { env: f.env }), tree: fsImageWorkTree(dir), registry: privateRegistry, clock };
}

function readResult(dir: string) {
  const text = readFileSync(join(dir, '.sealos/build/build-result.json'), 'utf8');
  return { text, result: BuildResultSchema.parse(JSON.parse(text)) };
}

describe('buildImage through the docker CLI (fake docker on PATH)', () => {
  it('logs in with the password on stdin only, builds linux/amd64 with a unique tag, and records success', async () => {
    const dir = tmpRepo();
    const docker = fake();
    const p = await plan(dir);
    expect(p.image).toMatch(TAG_FORMAT);
    expect(p.image).toBe('ghcr.io/acme/demo-api:0123456-20260304143008');
    const result = await buildImage(p, ports(dir, docker), { credentials: { username: 'acme-bot', password: PASSWORD } });

    const calls = docker.calls();
    expect(calls.map((c) => c.argv.slice(0, 2).join(' '))).toEqual(['version --format', 'buildx version', 'login ghcr.io', 'buildx build']);
    for (const c of calls) expect(c.argv.join(' ')).not.toContain(PASSWORD);
    const login = calls[2];
    expect(login?.argv).toEqual(['login', 'ghcr.io', '--username', 'acme-bot', '--password-stdin']);
    expect(login?.stdin).toBe(PASSWORD);
    const build = calls[3]?.argv ?? [];
    expect(build[build.indexOf('--platform') + 1]).toBe('linux/amd64');
    expect(build[build.indexOf('--tag') + 1]).toBe(p.image);
    expect(build).toContain('--push');
    expect(build).toContain(`org.opencontainers.image.revision=${SHA}`);
    expect(build).toContain('org.opencontainers.image.source=https://github.com/Acme/demo-api');
    expect(build[build.indexOf('--file') + 1]).toBe(join(dir, 'Dockerfile'));
    expect(build[build.length - 1]).toBe(dir);

    const { text, result: onDisk } = readResult(dir);
    expect(onDisk).toEqual(result);
    expect(text).not.toContain(PASSWORD);
    expect(result).toMatchObject({
      outcome: 'success',
      source: 'built',
      registry: 'ghcr',
      registry_host: 'ghcr.io/acme',
      image: p.image,
      platform: 'linux/amd64',
      pushed: true,
      git_commit: SHA,
      dockerfile: { path: 'Dockerfile', generated: true },
      requires_image_pull_secret: true,
      build: { image_name: 'demo-api' },
      push: { remote_image: p.image },
    });
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The generated files were written and are what the plan showed.
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(p.build?.dockerfile.text);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toContain('**/.env.*');
  });

  it('never overwrites an existing Dockerfile or .dockerignore', async () => {
    const mine = 'FROM node:22-bookworm-slim\nCOPY . .\nCMD ["node", "src/server.js"]\n';
    const dir = tmpRepo({ Dockerfile: mine, '.dockerignore': 'node_modules\n' });
    const docker = fake();
    const p = await plan(dir);
    expect(p.build?.dockerfile).toMatchObject({ path: 'Dockerfile', generated: false });
    expect(p.warnings.some((w) => w.includes('non-root-user'))).toBe(true);
    const result = await buildImage(p, ports(dir, docker));
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(mine);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('node_modules\n');
    expect(result.dockerfile).toEqual({ path: 'Dockerfile', generated: false });
    // No credentials given: no login call, the existing docker login is used.
    expect(docker.calls().some((c) => c.argv[0] === 'login')).toBe(false);
  });

  it('records a failed build with the last 40 log lines, redacted, and throws BUILD_FAILED', async () => {
    const dir = tmpRepo();
    const docker = fake({ FAKE_DOCKER_BUILD: 'fail', FAKE_DOCKER_FAIL_LINE: `npm ERR! 401 auth with ${PASSWORD} rejected` });
    const p = await plan(dir);
    const err = await buildImage(p, ports(dir, docker), { credentials: { username: 'acme-bot', password: PASSWORD } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect((err as DeployError).code).toBe('BUILD_FAILED');
    const tail = (err as DeployError).details?.log_tail as string[];
    expect(tail).toHaveLength(40);
    expect(tail.join('\n')).not.toContain(PASSWORD);
    expect(tail.some((l) => l.includes('[REDACTED]'))).toBe(true);
    expect(tail[tail.length - 1]).toContain('ERROR: failed to solve');
    const { text, result } = readResult(dir);
    expect(text).not.toContain(PASSWORD);
    expect(result).toMatchObject({ outcome: 'failed', source: 'built', digest: null, pushed: false, image: p.image });
    expect(result.error).toContain('exited with 1');
    expect(result.log_tail).toEqual(tail);
  });

  it('a refused login is REGISTRY_AUTH, recorded as failed, and nothing is built', async () => {
    const dir = tmpRepo();
    const docker = fake({ FAKE_DOCKER_LOGIN: 'deny' });
    const p = await plan(dir);
    await expect(buildImage(p, ports(dir, docker), { credentials: { username: 'u', password: PASSWORD } })).rejects.toMatchObject({ code: 'REGISTRY_AUTH' });
    expect(docker.calls().some((c) => c.argv[1] === 'build')).toBe(false);
    expect(readResult(dir).result.outcome).toBe('failed');
  });

  it.each([
    ['the daemon is down', { FAKE_DOCKER_DAEMON: 'down' }, 'daemon'],
    ['buildx is missing', { FAKE_DOCKER_BUILDX: 'missing' }, 'buildx'],
  ])('DOCKER_UNAVAILABLE when %s, naming what to fix', async (_name, behaviour, missing) => {
    const dir = tmpRepo();
    const docker = fake(behaviour);
    const err = (await buildImage(await plan(dir), ports(dir, docker)).catch((e: unknown) => e)) as DeployError;
    expect(err.code).toBe('DOCKER_UNAVAILABLE');
    expect(err.details?.missing).toBe(missing);
    expect(err.message).toMatch(missing === 'daemon' ? /daemon is not reachable/ : /buildx is not installed/);
    expect(existsSync(join(dir, '.sealos/build/build-result.json'))).toBe(false);
  });

  it('DOCKER_UNAVAILABLE with what to install when docker is not on PATH', async () => {
    const dir = tmpRepo();
    const empty = mkdtempSync(join(tmpdir(), 'no-docker-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    const err = (await buildImage(await plan(dir), ports(dir, { env: { PATH: empty } })).catch((e: unknown) => e)) as DeployError;
    expect(err.code).toBe('DOCKER_UNAVAILABLE');
    expect(err.details?.missing).toBe('docker');
    expect(err.message).toContain('not installed');
    expect(err.message).toContain('https://docs.docker.com/get-docker/');
  });

  it('tags are unique per build time, and a dirty tree is marked and not labelled with the commit', async () => {
    const dir = tmpRepo();
    const docker = fake();
    const a = await plan(dir);
    const repo = await openRepoView(dir, execaRunner);
    const b = await planImage({ analysis: buildAnalysis(), repo, registry: privateRegistry, now: new Date('2026-03-04T14:30:09Z'), git: { commit: SHA, dirty: true, remote: 'https://github.com/acme/demo-api' }, discover: false });
    expect(a.image).not.toBe(b.image);
    expect(b.image).toBe('ghcr.io/acme/demo-api:0123456-20260304143009-dirty');
    expect(b.image).toMatch(TAG_FORMAT);
    expect(b.build?.labels['org.opencontainers.image.revision']).toBeUndefined();
    await buildImage(b, ports(dir, docker));
    const build = docker.calls().find((c) => c.argv[1] === 'build')?.argv ?? [];
    expect(build.some((a) => a.startsWith('org.opencontainers.image.revision='))).toBe(false);
  });
});

describe('sealos-deploy build (CLI)', () => {
  function io(cwd: string, env: Record<string, string>, stdin?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const value: CliIo & { stdin?: () => Promise<string> } = {
      cwd,
      env: { ...process.env, ...env },
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      ...(stdin !== undefined ? { stdin: async () => stdin } : {}),
    };
    return { io: value, out, err };
  }

  it('ARTIFACT_MISSING tells to run analyze first', async () => {
    const dir = tmpRepo();
    const { io: cli } = io(dir, {});
    await expect(buildCommand.run({}, [dir], cli)).rejects.toMatchObject({ code: 'ARTIFACT_MISSING', next: expect.stringContaining('sealos-deploy analyze') });
  });

  it('builds a git checkout from .sealos/analysis.json and writes build-result.json', async () => {
    const dir = tmpRepo();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString().trim();
    git('init', '-q');
    git('remote', 'add', 'origin', 'https://github.com/acme/demo-api.git');
    git('add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init');
    const head = git('rev-parse', 'HEAD');
    mkdirSync(join(dir, '.sealos'));
    writeFileSync(join(dir, '.sealos/analysis.json'), JSON.stringify(buildAnalysis()));
    const docker = fake();
    const { io: cli, out } = io(dir, docker.env, `${PASSWORD}\n`);
    // A closed loopback port as the registry: the after-push visibility probe fails fast, offline.
    const code = await buildCommand.run({ json: true, registry: '127.0.0.1:9/acme', 'registry-user': 'acme-bot', 'registry-password-stdin': true }, [], cli);
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('')) as { result: { image: string; git_commit: string; outcome: string; requires_image_pull_secret: boolean } };
    // .sealos/ and the generated Dockerfile do not make the tree dirty.
    expect(printed.result.image).toMatch(new RegExp(`^127\\.0\\.0\\.1:9/acme/demo-api:${head.slice(0, 7)}-\\d{14}$`));
    expect(printed.result).toMatchObject({ outcome: 'success', git_commit: head, requires_image_pull_secret: true });
    const login = docker.calls().find((c) => c.argv[0] === 'login');
    expect(login?.argv.slice(0, 2)).toEqual(['login', '127.0.0.1:9']);
    expect(login?.stdin).toBe(PASSWORD);
    expect(readResult(dir).result.image).toBe(printed.result.image);
    expect(JSON.stringify(docker.calls().map((c) => c.argv))).not.toContain(PASSWORD);
  });
});
