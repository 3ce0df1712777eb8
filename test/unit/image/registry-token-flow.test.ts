import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image/image-ref.js';
import { checkImageReuse } from '../../../src/core/image/reuse.js';
import { createRegistryClient, parseChallenge } from '../../../src/system/registry-client.js';

const HEAD = 'feedfacefeedfacefeedfacefeedfacefeedface';
const sha = (b: string) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const config = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z', config: { Labels: { 'org.opencontainers.image.revision': HEAD } } });
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
  layers: [],
});

interface Seen {
  path: string;
  authorization: string | undefined;
  query: Record<string, string>;
}

let server: Server;
let host: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization;
    seen.push({ path: url.pathname, authorization: auth, query: Object.fromEntries(url.searchParams) });
    const challenge = (repo: string) => {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${repo}:pull"`,
        'content-type': 'application/json',
      });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    };
    if (url.pathname === '/token') {
      if (auth === 'Basic ' + Buffer.from('bot:s3cret-pass').toString('base64')) return res.end(JSON.stringify({ token: 'user-token' }));
      if (auth) {
        res.writeHead(401);
        return res.end();
      }
      return res.end(JSON.stringify({ access_token: 'anon-token' }));
    }
    const m = /^\/v2\/(acme\/(?:app|private))\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404);
      return res.end();
    }
    const [, repo, kind, ref] = m;
    const allowed = repo === 'acme/private' ? auth === 'Bearer user-token' : auth === 'Bearer anon-token' || auth === 'Bearer user-token';
    if (!allowed) return challenge(repo ?? '');
    if (kind === 'blobs' && ref === sha(config)) return res.end(config);
    if (kind === 'manifests' && (ref === '1.0' || ref === sha(manifest))) {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(manifest) });
      return res.end(manifest);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(`{"errors":[{"code":"${kind === 'manifests' ? 'MANIFEST_UNKNOWN' : 'BLOB_UNKNOWN'}"}]}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('registry client token flow', () => {
  it('401 + Bearer challenge → anonymous token from the realm (service, scope) → retried request; token reused', async () => {
    seen.length = 0;
    const client = createRegistryClient();
    const ref = parseImageRef(`${host}/acme/app:1.0`);
    const got = await client.getManifest(ref, '1.0');
    expect(got).toMatchObject({ digest: sha(manifest), mediaType: 'application/vnd.oci.image.manifest.v1+json', authenticated: false });
    expect(seen.map((s) => s.path)).toEqual(['/v2/acme/app/manifests/1.0', '/token', '/v2/acme/app/manifests/1.0']);
    expect(seen[1]).toMatchObject({ authorization: undefined, query: { service: 'test-registry', scope: 'repository:acme/app:pull' } });
    expect(seen[2]?.authorization).toBe('Bearer anon-token');
    expect(await client.getBlob(ref, sha(config))).toBe(config);
    expect(seen.filter((s) => s.path === '/token')).toHaveLength(1);
    expect(seen[seen.length - 1]?.authorization).toBe('Bearer anon-token');
  });

  it('private repository: anonymous first, then credentials (Basic to the token realm only)', async () => {
    seen.length = 0;
    const ref = parseImageRef(`${host}/acme/private:1.0`);
    await expect(createRegistryClient().getManifest(ref, '1.0')).rejects.toMatchObject({ code: 'REGISTRY_AUTH', next: expect.stringContaining('--registry-password-stdin') });
    seen.length = 0;
    const client = createRegistryClient({ credentials: (r) => (r === host ? { username: 'bot', password: 's3cret-pass' } : undefined) });
    const got = await client.getManifest(ref, '1.0');
    expect(got.authenticated).toBe(true);
    const tokenCalls = seen.filter((s) => s.path === '/token');
    expect(tokenCalls.map((s) => s.authorization?.split(' ')[0] ?? 'none')).toEqual(['none', 'Basic']);
    // The registry itself only ever sees bearer tokens, never the password.
    for (const s of seen.filter((x) => x.path.startsWith('/v2/'))) expect(s.authorization ?? '').not.toMatch(/^Basic/);
  });

  it('404 with MANIFEST_UNKNOWN is IMAGE_NOT_FOUND; a closed port is REGISTRY_UNREACHABLE', async () => {
    const client = createRegistryClient();
    await expect(client.getManifest(parseImageRef(`${host}/acme/app:2.0`), '2.0')).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', details: { code: 'MANIFEST_UNKNOWN' } });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(client.getManifest(parseImageRef(`127.0.0.1:${port}/acme/app:1.0`), '1.0')).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('checkImageReuse over the token flow: the revision label decides whether acceptance is needed', async () => {
    const client = createRegistryClient();
    const same = await checkImageReuse(`${host}/acme/app:1.0`, client, HEAD);
    expect(same).toMatchObject({ platforms: ['linux/amd64'], revision: HEAD, built_from_head: true, requires_acceptance: false, warnings: [], requires_image_pull_secret: false });
    const other = await checkImageReuse(`${host}/acme/app:1.0`, client, '0000000000000000000000000000000000000000');
    expect(other.requires_acceptance).toBe(true);
    expect(other.warnings[0]).toMatch(/built from commit feedfacefeed, not from this checkout/);
  });

  it('parseChallenge reads quoted and bare parameters', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm=registry')).toEqual({ scheme: 'basic', params: { realm: 'registry' } });
    expect(parseChallenge(null)).toBeNull();
  });
});
