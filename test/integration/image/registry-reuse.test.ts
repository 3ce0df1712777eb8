import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../src/cli/commands/build.js';
import { EXIT } from '../../../src/cli/command.js';
import { buildImage } from '../../../src/core/image/build.js';
import type { Docker } from '../../../src/core/image/docker-port.js';
import { parseImageRef } from '../../../src/core/image/image-ref.js';
import { planImage } from '../../../src/core/image/plan.js';
import { checkImageReuse } from '../../../src/core/image/reuse.js';
import { BuildResultSchema } from '../../../src/core/state/build-result-schema.js';
import { fsImageWorkTree } from '../../../src/system/docker.js';
import { createRegistryClient } from '../../../src/system/registry-client.js';
import { openRepoView } from '../../../src/system/repo-view.js';
import { execaRunner } from '../../../src/system/runner.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { pushImage, pushIndex, startDockerRegistry, type LocalRegistry } from '../../support/registry/docker-registry.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const REVISION = 'org.opencontainers.image.revision';

let registry: LocalRegistry;
let host: string;
const pushed: Record<string, string> = {};

beforeAll(async () => {
  registry = await startDockerRegistry();
  host = registry.host;
  const single = await pushImage(host, 'acme/api', '1.0.0', { labels: { [REVISION]: HEAD } });
  pushed.single = single.digest;
  const amd = await pushImage(host, 'acme/multi', null, { architecture: 'amd64' });
  const arm = await pushImage(host, 'acme/multi', null, { architecture: 'arm64' });
  const attestation = await pushImage(host, 'acme/multi', null, { os: 'unknown', architecture: 'unknown' });
  pushed.amd = amd.digest;
  pushed.multi = (
    await pushIndex(host, 'acme/multi', '2.1.0', [
      { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
      { image: attestation, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest } },
    ])
  ).digest;
  const armOnly = await pushImage(host, 'acme/armonly', null, { architecture: 'arm64' });
  await pushIndex(host, 'acme/armonly', '1.0.0', [{ image: armOnly, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }]);
  await pushImage(host, 'acme/armsingle', '1.0.0', { architecture: 'arm64' });
});
afterAll(async () => {
  await registry?.stop();
});

describe('checkImageReuse against a real registry (docker-registry)', () => {
  const client = () => createRegistryClient();

  it('a single manifest: reads os/architecture and the revision label from the config blob', async () => {
    const check = await checkImageReuse(`${host}/acme/api:1.0.0`, client(), HEAD);
    expect(check).toMatchObject({
      image: `${host}/acme/api:1.0.0`,
      digest: pushed.single,
      platform_digest: pushed.single,
      platforms: ['linux/amd64'],
      revision: HEAD,
      built_from_head: true,
      requires_acceptance: false,
      requires_image_pull_secret: false,
    });
  });

  it('an image index: finds the linux/amd64 manifest, ignores attestations, and needs acceptance without a revision', async () => {
    const check = await checkImageReuse(`${host}/acme/multi:2.1.0`, client(), HEAD);
    expect(check.digest).toBe(pushed.multi);
    expect(check.platform_digest).toBe(pushed.amd);
    expect(check.platforms).toEqual(['linux/arm64/v8', 'linux/amd64']);
    expect(check.revision).toBeNull();
    expect(check.requires_acceptance).toBe(true);
    expect(check.warnings[0]).toContain('no org.opencontainers.image.revision label');
    // Pinned by digest works too.
    expect((await checkImageReuse(`${host}/acme/multi@${pushed.multi}`, client(), HEAD)).platform_digest).toBe(pushed.amd);
  });

  it('reports a missing linux/amd64 platform for an arm64-only index and an arm64 single manifest', async () => {
    await expect(checkImageReuse(`${host}/acme/armonly:1.0.0`, client(), HEAD)).rejects.toMatchObject({ code: 'IMAGE_PLATFORM_MISSING', details: { platforms: ['linux/arm64/v8'] } });
    await expect(checkImageReuse(`${host}/acme/armsingle:1.0.0`, client(), HEAD)).rejects.toMatchObject({ code: 'IMAGE_PLATFORM_MISSING', message: expect.stringContaining('linux/arm64 image') });
  });

  it('IMAGE_NOT_FOUND for a missing tag or repository; IMAGE_TAG_LATEST before any request for latest', async () => {
    await expect(checkImageReuse(`${host}/acme/api:9.9.9`, client(), HEAD)).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', details: { code: 'MANIFEST_UNKNOWN' } });
    await expect(checkImageReuse(`${host}/acme/nothing:1.0.0`, client(), HEAD)).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    await expect(checkImageReuse(`${host}/acme/api:latest`, client(), HEAD)).rejects.toMatchObject({ code: 'IMAGE_TAG_LATEST' });
  });

  it('lists tags (the client pages through tags/list)', async () => {
    expect(await client().listTags(parseImageRef(`${host}/acme/api:1.0.0`))).toEqual(['1.0.0']);
  });

  it('a reused image needs --confirm when not built from this checkout, then build-result records it as reused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-reuse-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"demo-api"}');
      const repo = await openRepoView(dir, execaRunner);
      const plan = await planImage({ analysis: buildAnalysis(), repo, registry: client(), now: new Date(), git: { commit: 'f'.repeat(40), dirty: false, remote: null }, image: `${host}/acme/api:1.0.0` });
      expect(plan).toMatchObject({ action: 'reuse', requires_acceptance: true, build: null });
      const noDocker: Docker = {
        status: async () => {
          throw new Error('a reuse must not touch docker');
        },
        login: async () => ({ ok: false, message: '' }),
        build: async () => {
          throw new Error('a reuse must not build');
        },
      };
      const ports = { docker: noDocker, tree: fsImageWorkTree(dir), registry: client(), clock: { now: () => new Date(), sleep: async () => {} } };
      await expect(buildImage(plan, ports)).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
      const result = await buildImage(plan, ports, { accept: true });
      const onDisk = BuildResultSchema.parse(JSON.parse(readFileSync(join(dir, '.sealos/build/build-result.json'), 'utf8')));
      expect(onDisk).toEqual(result);
      expect(result).toMatchObject({ outcome: 'success', source: 'reused', image: `${host}/acme/api:1.0.0`, digest: pushed.single, registry: 'other', dockerfile: null, requires_image_pull_secret: false });
      expect(result.accepted_warnings[0]).toContain('not from this checkout');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CLI: build --image shows the plan and exits 3 until --confirm, then records the reused image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-reuse-cli-'));
    try {
      mkdirSync(join(dir, '.sealos'));
      writeFileSync(join(dir, 'package.json'), '{"name":"demo-api"}');
      writeFileSync(join(dir, '.sealos/analysis.json'), JSON.stringify(buildAnalysis()));
      const out: string[] = [];
      const io = { cwd: dir, env: process.env, stdout: (t: string) => void out.push(t), stderr: () => {} };
      const image = `${host}/acme/multi:2.1.0`;
      expect(await buildCommand.run({ image }, [dir], io)).toBe(EXIT.planOnly);
      expect(out.join('')).toContain('re-run with --confirm');
      expect(existsSync(join(dir, '.sealos/build/build-result.json'))).toBe(false);
      out.length = 0;
      expect(await buildCommand.run({ image, confirm: true, json: true }, [dir], io)).toBe(EXIT.ok);
      const printed = JSON.parse(out.join('')) as { result: { source: string; digest: string; image: string } };
      expect(printed.result).toMatchObject({ source: 'reused', digest: pushed.multi, image });
      expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('REGISTRY_UNREACHABLE when the registry is down', async () => {
    const other = await startDockerRegistry();
    await other.stop();
    await expect(checkImageReuse(`${other.host}/acme/api:1.0.0`, client(), HEAD)).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
  });
});
