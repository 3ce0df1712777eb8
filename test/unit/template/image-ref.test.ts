import { describe, expect, it } from 'vitest';
import { assertDeployableImageRef, parseImageRef } from '../../../src/core/template/image-ref.js';
import { catchError } from './helpers.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('parseImageRef', () => {
  it('splits registry, repository, tag and digest', () => {
    expect(parseImageRef('ghcr.io/acme/api:1.2.3')).toMatchObject({ registry: 'ghcr.io', repository: 'acme/api', tag: '1.2.3', digest: null });
    expect(parseImageRef('localhost:5000/api:dev-1')).toMatchObject({ registry: 'localhost:5000', repository: 'api', tag: 'dev-1' });
    expect(parseImageRef('node:22-alpine')).toMatchObject({ registry: null, repository: 'node', tag: '22-alpine' });
    expect(parseImageRef(`acme/api@${DIGEST}`)).toMatchObject({ registry: null, repository: 'acme/api', tag: null, digest: DIGEST });
    expect(parseImageRef(`registry.example.com:443/a/b/c:v1@${DIGEST}`)).toMatchObject({ registry: 'registry.example.com:443', repository: 'a/b/c', tag: 'v1', digest: DIGEST });
  });

  it.each(['', 'Acme/API:1', 'acme/api:', 'acme/api:-x', 'acme//api:1', 'https://ghcr.io/a/b:1', 'a b:1', 'acme/api@sha256:123', 'acme/api:1:2'])(
    'refuses %j with IMAGE_REF_INVALID',
    (ref) => {
      expect(catchError(() => parseImageRef(ref)).code).toBe('IMAGE_REF_INVALID');
    },
  );
});

describe('assertDeployableImageRef', () => {
  it('accepts unique tags and digests', () => {
    expect(assertDeployableImageRef('ghcr.io/acme/api:20260101-abc1234').tag).toBe('20260101-abc1234');
    expect(assertDeployableImageRef(`ghcr.io/acme/api@${DIGEST}`).digest).toBe(DIGEST);
    expect(assertDeployableImageRef(`ghcr.io/acme/api:latest@${DIGEST}`).digest).toBe(DIGEST);
  });

  it.each(['ghcr.io/acme/api:latest', 'ghcr.io/acme/api', 'nginx', 'localhost:5000/api'])('refuses %s with IMAGE_TAG_LATEST', (ref) => {
    const err = catchError(() => assertDeployableImageRef(ref));
    expect(err.code).toBe('IMAGE_TAG_LATEST');
    expect(err.next).toMatch(/unique tag/);
  });
});
