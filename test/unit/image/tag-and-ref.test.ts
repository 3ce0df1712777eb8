import { describe, expect, it } from 'vitest';
import type { RepoView } from '../../../src/core/analysis/context.js';
import { chooseTag, findDocumentedImages } from '../../../src/core/image/documented-images.js';
import { assertDeployableRef, parseImageRef } from '../../../src/core/image/image-ref.js';
import { appImageName, imageRefFor, imageTag, registryFromRemote } from '../../../src/core/image/tag.js';
import { buildAnalysis } from '../../support/analysis-builder.js';

describe('image tags', () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef01';
  it('is <sha7>-<UTC yyyymmddHHMMss>, -dirty for a dirty tree, nogit outside git', () => {
    const at = new Date('2026-12-31T23:59:58.900+00:00');
    expect(imageTag({ commit: sha, dirty: false }, at)).toBe('abcdef0-20261231235958');
    expect(imageTag({ commit: sha, dirty: true }, at)).toBe('abcdef0-20261231235958-dirty');
    expect(imageTag(null, at)).toBe('nogit-20261231235958');
    // UTC, not local time.
    expect(imageTag({ commit: sha, dirty: false }, new Date('2026-01-01T08:00:00+08:00'))).toBe('abcdef0-20260101000000');
  });

  it('image references: registry + owner + app, lowercased, never latest', () => {
    expect(imageRefFor('ghcr.io/Acme', '@acme/Web API', 'abcdef0-20260101000000')).toBe('ghcr.io/acme/web-api:abcdef0-20260101000000');
    expect(imageRefFor('docker.io/me/', 'api', 't1')).toBe('docker.io/me/api:t1');
    expect(() => imageRefFor('ghcr.io/acme', 'api', 'latest')).toThrow(expect.objectContaining({ code: 'IMAGE_TAG_LATEST' }));
    expect(() => imageRefFor('-x', 'api', 't')).toThrow(expect.objectContaining({ code: 'IMAGE_REF_INVALID' }));
    expect(registryFromRemote('git@github.com:Acme-Org/api.git')).toBe('ghcr.io/acme-org');
    expect(registryFromRemote('https://github.com/acme/api')).toBe('ghcr.io/acme');
    expect(registryFromRemote('https://gitlab.com/acme/api.git')).toBeNull();
    expect(appImageName(buildAnalysis({ project: { path: 'apps/api' }, units: [{ path: 'apps/api', name: '@acme/api', kind: 'server', framework: 'express' }] }))).toBe('api');
    // A single service is named after its package, as its app is, not after the checkout directory.
    expect(appImageName(buildAnalysis({ project: { name: 'tmp-checkout-3', path: '', package_name: '@acme/catalog-api' } }))).toBe('catalog-api');
    expect(appImageName(buildAnalysis({ project: { name: 'my-service', path: '', package_name: null }, units: [] }))).toBe('my-service');
  });

  it('normalises references for the registry API and enforces the deploy policy', () => {
    expect(parseImageRef('node:22')).toEqual({ registry: 'docker.io', repository: 'library/node', tag: '22', digest: null });
    expect(parseImageRef('localhost:5000/a/b@sha256:' + 'a'.repeat(64))).toMatchObject({ registry: 'localhost:5000', repository: 'a/b', tag: null });
    expect(() => assertDeployableRef('ghcr.io/acme/api')).toThrow(expect.objectContaining({ code: 'IMAGE_TAG_LATEST' }));
    expect(() => assertDeployableRef('ghcr.io/acme/api:latest')).toThrow(expect.objectContaining({ code: 'IMAGE_TAG_LATEST' }));
    expect(() => parseImageRef('GHCR.io/Acme/Api:1')).toThrow(expect.objectContaining({ code: 'IMAGE_REF_INVALID' }));
  });
});

function repoOf(files: Record<string, string>, remote: string | null): RepoView {
  return {
    root: '/repo',
    files: Object.keys(files).sort(),
    read: (p) => files[p] ?? null,
    isTracked: () => true,
    skipped: [],
    readCount: 0,
    git: { commit: null, branch: 'main', dirty: false, remote },
  };
}

describe('documented images', () => {
  it('finds the app image in README, compose and workflows (github.repository resolved), ignoring infra images', () => {
    const repo = repoOf(
      {
        'README.md': 'Run it:\n\n    docker run -p 3000:3000 ghcr.io/acme/demo-api:1.4.2\n\nNeeds docker.io/library/postgres:16.\n',
        'docker-compose.yml': 'services:\n  api:\n    image: acmeinc/demo-api:2.0.0\n  db:\n    image: postgres:16\n',
        '.github/workflows/release.yml': 'env:\n  IMAGE: ghcr.io/${{ github.repository }}\n',
        'src/index.ts': 'ghcr.io/acme/demo-api:9.9.9',
      },
      'git@github.com:acme/demo-api.git',
    );
    const found = findDocumentedImages(repo, ['demo-api']);
    expect(found.map((f) => [f.image, f.file, f.line])).toEqual([
      ['docker.io/acmeinc/demo-api:2.0.0', 'docker-compose.yml', 3],
      ['ghcr.io/acme/demo-api:1.4.2', 'README.md', 3],
      ['ghcr.io/acme/demo-api', '.github/workflows/release.yml', 2],
    ]);
  });

  it('chooses the tag built from HEAD, else the highest release', () => {
    const head = 'abcdef0123456789abcdef0123456789abcdef01';
    expect(chooseTag(['latest', '1.2.0', 'sha-abcdef0', 'main'], head)).toBe('sha-abcdef0');
    expect(chooseTag(['latest', 'v1.10.0', '1.9.3', '2.0.0-rc.1', 'main'], head)).toBe('v1.10.0');
    expect(chooseTag(['latest', 'main'], head)).toBeNull();
  });
});
