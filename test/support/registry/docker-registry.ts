import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A real OCI distribution registry (Debian's `docker-registry`, the CNCF distribution server) on a
 * loopback port with filesystem storage in a temp dir, plus helpers that push images through the
 * registry HTTP API (blobs, manifests, indexes) — no docker daemon needed.
 */
export interface LocalRegistry {
  /** host:port, usable as the registry part of an image reference. */
  host: string;
  stop(): Promise<void>;
}

function findBinary(): string | null {
  const fromEnv = process.env.DOCKER_REGISTRY_BIN;
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/local/bin']);
  for (const candidate of fromEnv ? [fromEnv] : dirs.flatMap((d) => [join(d, 'docker-registry'), join(d, 'registry')])) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startDockerRegistry(): Promise<LocalRegistry> {
  const bin = findBinary();
  if (!bin) {
    throw new Error('The docker-registry binary is not installed: these tests need a real OCI registry. Install it with `apt-get install -y docker-registry` (CI installs it in .ci/run), or set DOCKER_REGISTRY_BIN.');
  }
  const dir = mkdtempSync(join(tmpdir(), 'sd-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`, ''].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (exited) break;
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 200) return { host, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`docker-registry did not start on ${host}: ${stderr.trim() || 'no output'}`);
}

export const sha256 = (data: string | Buffer) => 'sha256:' + createHash('sha256').update(data).digest('hex');

/** Monolithic blob upload: POST an upload session, PUT the bytes with their digest. */
export async function pushBlob(host: string, repo: string, data: string | Buffer): Promise<{ digest: string; size: number }> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const digest = sha256(bytes);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  return { digest, size: bytes.length };
}

export async function pushManifest(host: string, repo: string, reference: string, body: string, mediaType: string): Promise<{ digest: string; size: number }> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body, headers: { 'content-type': mediaType } });
  if (res.status !== 201) throw new Error(`manifest ${repo}:${reference}: HTTP ${res.status} ${await res.text()}`);
  return { digest: res.headers.get('docker-content-digest') ?? sha256(body), size: Buffer.byteLength(body) };
}

export interface PushedImage {
  digest: string;
  size: number;
  configDigest: string;
}

/** Pushes a one-layer OCI image whose config says `os/architecture` and carries `labels`; tags it when `tag` is given. */
export async function pushImage(host: string, repo: string, tag: string | null, opts: { os?: string; architecture?: string; labels?: Record<string, string> } = {}): Promise<PushedImage> {
  const layer = await pushBlob(host, repo, Buffer.from(`layer for ${repo} ${opts.architecture ?? 'amd64'} ${JSON.stringify(opts.labels ?? {})}`));
  const config = JSON.stringify({
    architecture: opts.architecture ?? 'amd64',
    os: opts.os ?? 'linux',
    created: '2026-01-01T00:00:00Z',
    config: { Labels: opts.labels ?? {} },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  });
  const cfg = await pushBlob(host, repo, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg.digest, size: cfg.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
  });
  const pushed = await pushManifest(host, repo, tag ?? sha256(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json');
  return { ...pushed, configDigest: cfg.digest };
}

export interface IndexEntry {
  image: PushedImage;
  platform: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export async function pushIndex(host: string, repo: string, tag: string, entries: IndexEntry[]): Promise<{ digest: string }> {
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries.map((e) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: e.image.digest,
      size: e.image.size,
      platform: e.platform,
      ...(e.annotations ? { annotations: e.annotations } : {}),
    })),
  });
  return pushManifest(host, repo, tag, index, 'application/vnd.oci.image.index.v1+json');
}
