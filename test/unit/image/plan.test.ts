import { describe, expect, it } from 'vitest';
import type { RepoView } from '../../../src/core/analysis/context.js';
import { DeployError } from '../../../src/core/errors.js';
import type { ImageRef } from '../../../src/core/image/image-ref.js';
import { planImage } from '../../../src/core/image/plan.js';
import type { RegistryClient } from '../../../src/core/image/registry-port.js';
import type { Analysis } from '../../../src/core/state/analysis-schema.js';
import { buildAnalysis, type DeepPartial } from '../../support/analysis-builder.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const NOW = new Date('2026-05-06T07:08:09Z');

function repoOf(files: Record<string, string>, remote: string | null = 'https://github.com/acme/demo-api.git'): RepoView {
  return {
    root: '/repo',
    files: Object.keys(files).sort(),
    read: (p) => files[p] ?? null,
    isTracked: () => true,
    skipped: [],
    readCount: 0,
    git: { commit: HEAD, branch: 'main', dirty: false, remote },
  };
}

/** An in-memory registry: `images` maps repository → tag → the revision label of a linux/amd64 image. */
function memoryRegistry(images: Record<string, Record<string, string | null>>): RegistryClient & { requests: string[] } {
  const requests: string[] = [];
  const digest = (s: string) => `sha256:${Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  const notFound = () => new DeployError('IMAGE_NOT_FOUND', 'not found', 'check');
  return {
    requests,
    async getManifest(ref: ImageRef, reference: string) {
      requests.push(`${ref.registry}/${ref.repository}:${reference}`);
      const tags = images[`${ref.registry}/${ref.repository}`];
      const tag = tags && Object.keys(tags).find((t) => t === reference || digest(t) === reference);
      if (!tag) throw notFound();
      return { digest: digest(tag), mediaType: 'application/vnd.oci.image.manifest.v1+json', json: { config: { digest: `cfg:${tag}` } }, authenticated: false };
    },
    async getBlob(ref: ImageRef, d: string) {
      const rev = images[`${ref.registry}/${ref.repository}`]?.[d.slice(4)];
      return JSON.stringify({ os: 'linux', architecture: 'amd64', config: { Labels: rev ? { 'org.opencontainers.image.revision': rev } : {} } });
    },
    async listTags(ref: ImageRef) {
      return Object.keys(images[`${ref.registry}/${ref.repository}`] ?? {});
    },
  };
}

function input(files: Record<string, string>, registry: RegistryClient, analysis: DeepPartial<Analysis> = {}, git = { commit: HEAD, dirty: false, remote: 'https://github.com/acme/demo-api.git' as string | null }) {
  return { analysis: buildAnalysis(analysis), repo: repoOf(files, git.remote), registry, now: NOW, git };
}

describe('planImage', () => {
  it('builds with a generated Dockerfile and .dockerignore when the repo has none, pushing to ghcr.io/<owner>', async () => {
    const plan = await planImage(input({ 'package.json': '{}', 'package-lock.json': '{}' }, memoryRegistry({})));
    expect(plan).toMatchObject({ action: 'build', image: 'ghcr.io/acme/demo-api:0123456-20260506070809', requires_acceptance: false, alternatives: [] });
    expect(plan.build).toMatchObject({ context: '', platform: 'linux/amd64', push: true, registry_namespace: 'ghcr.io/acme', dockerfile: { path: 'Dockerfile', generated: true }, dockerignore: { path: '.dockerignore', generated: true } });
    expect(plan.build?.labels).toMatchObject({ 'org.opencontainers.image.revision': HEAD, 'org.opencontainers.image.source': 'https://github.com/acme/demo-api' });
    expect(plan.warnings).toEqual([]);
    // An analysis from another commit is flagged (the build trusts it only so far).
    const stale = await planImage(input({ 'package.json': '{}', 'package-lock.json': '{}' }, memoryRegistry({}), { project: { git: { commit: 'f'.repeat(40) } } }));
    expect(stale.warnings).toEqual([expect.stringContaining('re-run sealos-deploy analyze')]);
  });

  it('without a GitHub remote it needs --registry (or --no-push)', async () => {
    const args = input({ 'package.json': '{}' }, memoryRegistry({}), {}, { commit: HEAD, dirty: false, remote: null });
    await expect(planImage(args)).rejects.toMatchObject({ code: 'INPUT_MISSING', next: expect.stringContaining('--registry') });
    expect((await planImage({ ...args, push: false })).image).toBe('localhost/demo-api:0123456-20260506070809');
    expect((await planImage({ ...args, registryNamespace: 'docker.io/me' })).image).toBe('docker.io/me/demo-api:0123456-20260506070809');
  });

  it('a workspace Dockerfile that copies root files gets the repo root as context; a self-contained one its own directory', async () => {
    const analysis = { project: { path: 'apps/api' }, units: [{ path: 'apps/api', name: 'api', kind: 'server' as const, framework: 'express' as const }] };
    const rootStyle = await planImage(
      input({ 'pnpm-lock.yaml': '', 'apps/api/package.json': '{}', 'apps/api/Dockerfile': 'FROM node:22\nCOPY pnpm-lock.yaml apps/api/package.json ./\nCMD ["node","a.js"]' }, memoryRegistry({}), analysis),
    );
    expect(rootStyle.build).toMatchObject({ context: '', dockerfile: { path: 'apps/api/Dockerfile', generated: false, text: null } });
    // Quoted paths are paths, and a RUN's bind mount reads the context too (openstatus's apps/server/Dockerfile).
    const mounted = await planImage(
      input({ 'pnpm-lock.yaml': '', 'apps/api/package.json': '{}', 'apps/api/Dockerfile': 'FROM node:22\nRUN --mount=type=bind,target=pnpm-lock.yaml,source=pnpm-lock.yaml pnpm fetch\nCOPY "." "/app/"\nCMD ["node","a.js"]' }, memoryRegistry({}), analysis),
    );
    expect(mounted.build?.context).toBe('');
    const quoted = await planImage(input({ 'pnpm-lock.yaml': '', 'apps/api/package.json': '{}', 'apps/api/Dockerfile': 'FROM node:22\nCOPY "pnpm-lock.yaml" "apps/api/package.json" ./\nCMD ["node","a.js"]' }, memoryRegistry({}), analysis));
    expect(quoted.build?.context).toBe('');
    const local = await planImage(input({ 'apps/api/package.json': '{}', 'apps/api/src/a.js': '', 'apps/api/Dockerfile': 'FROM node:22\nCOPY package.json ./\nCOPY src ./src\nCMD ["node","src/a.js"]' }, memoryRegistry({}), analysis));
    expect(local.build?.context).toBe('apps/api');
    expect(local.build?.dockerignore).toMatchObject({ path: 'apps/api/Dockerfile.dockerignore', generated: true });
    // The user's Dockerfile is linted; its problems become warnings, not edits.
    expect(local.warnings.some((w) => w.startsWith('Dockerfile non-root-user'))).toBe(true);
  });

  it("a Dockerfile that copies a build output git does not have (Nx's generated `COPY dist/api api`) warns before building", async () => {
    const nxDockerfile = 'FROM node:22-slim\nWORKDIR /app\nCOPY dist/api api\nRUN npm --prefix api --omit=dev -f install\nUSER node\nEXPOSE 3000\nCMD ["node", "api"]\n';
    const plan = await planImage(input({ 'package.json': '{}', 'src/main.ts': '', Dockerfile: nxDockerfile, '.dockerignore': 'node_modules\n.git\n.env*\n' }, memoryRegistry({})));
    expect(plan.warnings).toEqual([expect.stringMatching(/^Dockerfile copy-source-missing: COPY dist\/api \(line 3\): not in the repository/)]);
    expect(plan.build?.lint.find((f) => f.id === 'copy-source-missing')).toMatchObject({ status: 'warn', line: 3 });
    // The generated Dockerfile copies only what the repository has.
    const generated = await planImage(input({ 'package.json': '{}', 'package-lock.json': '{}', '.npmrc': '' }, memoryRegistry({})));
    expect(generated.build?.lint.find((f) => f.id === 'copy-source-missing')?.status).toBe('pass');
  });

  it('a documented image built from HEAD is reused without building or asking', async () => {
    const registry = memoryRegistry({ 'ghcr.io/acme/demo-api': { 'sha-0123456': HEAD, '1.0.0': 'aaaaaaa' } });
    const plan = await planImage(input({ 'README.md': 'docker pull ghcr.io/acme/demo-api', 'package.json': '{}' }, registry));
    expect(plan).toMatchObject({ action: 'reuse', image: 'ghcr.io/acme/demo-api:sha-0123456', requires_acceptance: false, build: null });
    expect(plan.reuse?.built_from_head).toBe(true);
    // Asked for a local build or another registry: build anyway.
    const files = { 'README.md': 'docker pull ghcr.io/acme/demo-api', 'package.json': '{}' };
    expect((await planImage({ ...input(files, registry), push: false })).action).toBe('build');
    expect((await planImage({ ...input(files, registry), registryNamespace: 'docker.io/me' })).action).toBe('build');
  });

  it('a documented upstream image from another commit is only an alternative (acceptance needed); the plan builds', async () => {
    const registry = memoryRegistry({ 'ghcr.io/acme/demo-api': { '1.2.0': 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' } });
    const plan = await planImage(input({ 'README.md': 'Image: `ghcr.io/acme/demo-api:1.2.0`', 'package.json': '{}' }, registry));
    expect(plan.action).toBe('build');
    expect(plan.alternatives).toEqual([
      { image: 'ghcr.io/acme/demo-api:1.2.0', file: 'README.md', line: 1, usable: true, requires_acceptance: true, reason: expect.stringContaining('not from this checkout') },
    ]);
  });

  it('a named image is checked for reuse; one not built from this checkout requires acceptance', async () => {
    const registry = memoryRegistry({ 'docker.io/acme/demo-api': { '3.0.0': 'cccccccccccccccccccccccccccccccccccccccc' } });
    const plan = await planImage({ ...input({}, registry), image: 'acme/demo-api:3.0.0' });
    expect(plan).toMatchObject({ action: 'reuse', image: 'docker.io/acme/demo-api:3.0.0', requires_acceptance: true });
    expect(plan.warnings[0]).toContain('built from commit cccccccccccc');
    await expect(planImage({ ...input({}, registry), image: 'acme/demo-api:4.0.0' })).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it('offline: one unreachable registry stops further discovery calls to it, and the plan still builds', async () => {
    let calls = 0;
    const down: RegistryClient = {
      getManifest: async () => {
        calls++;
        throw new DeployError('REGISTRY_UNREACHABLE', 'Cannot reach the registry ghcr.io: ENOTFOUND.', 'check');
      },
      getBlob: async () => '{}',
      listTags: async () => {
        calls++;
        throw new DeployError('REGISTRY_UNREACHABLE', 'Cannot reach the registry ghcr.io: ENOTFOUND.', 'check');
      },
    };
    const plan = await planImage(input({ 'README.md': 'ghcr.io/acme/demo-api:1.0.0 and ghcr.io/acme/demo-api:0.9.0', 'package.json': '{}' }, down));
    expect(plan.action).toBe('build');
    expect(calls).toBe(1);
    expect(plan.alternatives.map((a) => [a.usable, a.reason.split(':')[0]])).toEqual([
      [false, 'REGISTRY_UNREACHABLE'],
      [false, 'REGISTRY_UNREACHABLE'],
    ]);
  });
});
