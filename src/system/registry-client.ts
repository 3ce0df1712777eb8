import { createHash } from 'node:crypto';
import { DeployError } from '../core/errors.js';
import { registryApiHost, type ImageRef } from '../core/image/image-ref.js';
import { MANIFEST_ACCEPT, type RegistryClient, type RegistryManifest } from '../core/image/registry-port.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Credentials per registry host; used only after anonymous access is refused. */
  credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Talk plain HTTP to this host (default: loopback hosts only). */
  plainHttp?: (host: string) => boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

function unreachable(host: string, why: string): DeployError {
  return new DeployError('REGISTRY_UNREACHABLE', `Cannot reach the registry ${host}: ${why}.`, `Check the network and the registry name; try curl -sI https://${host}/v2/.`);
}

function basic(c: RegistryCredentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
}

/**
 * An OCI distribution client over fetch. Auth follows the registry token flow: a 401 with a Bearer
 * challenge sends us to the realm for a token (anonymously first; with credentials only when the
 * anonymous token is refused), then the request is retried with it. Basic challenges use the
 * credentials directly. Tokens are cached per host and scope; credentials are never logged.
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const plain = options.plainHttp ?? ((h: string) => LOOPBACK.test(h));
  const tokens = new Map<string, { header: string; authenticated: boolean }>();

  async function send(host: string, url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await doFetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const name = (err as Error).name;
      throw unreachable(host, name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message));
    }
  }

  async function fetchToken(host: string, challenge: Challenge, scope: string, creds: RegistryCredentials | undefined): Promise<string | null> {
    const realm = challenge.params.realm;
    if (!realm) throw new DeployError('REGISTRY_AUTH', `${host} asked for a token without a realm.`, 'The registry does not follow the token spec; pass credentials or use another registry.');
    const u = new URL(realm);
    if (challenge.params.service) u.searchParams.set('service', challenge.params.service);
    u.searchParams.set('scope', challenge.params.scope ?? scope);
    const res = await send(host, u.toString(), creds ? { authorization: basic(creds) } : {});
    if (res.status === 401 || res.status === 403) return null;
    if (!res.ok) throw unreachable(host, `token endpoint answered HTTP ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new DeployError('REGISTRY_AUTH', `${host}'s token endpoint returned no token.`, 'Check the registry credentials.');
    return `Bearer ${token}`;
  }

  /** GET with the token flow; returns the final response (any status) and whether credentials were used. */
  async function get(ref: ImageRef, path: string, accept?: string): Promise<{ res: Response; authenticated: boolean }> {
    const host = registryApiHost(ref.registry);
    const url = `${plain(host) ? 'http' : 'https'}://${host}/v2/${ref.repository}/${path}`;
    const scope = `repository:${ref.repository}:pull`;
    const key = `${host} ${scope}`;
    const base: Record<string, string> = accept ? { accept } : {};
    const cached = tokens.get(key);
    let res = await send(host, url, cached ? { ...base, authorization: cached.header } : base);
    if (res.status !== 401) return { res, authenticated: cached?.authenticated ?? false };
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    const creds = options.credentials?.(ref.registry);
    await res.body?.cancel();
    if (challenge?.scheme === 'bearer') {
      // Anonymous first: a public image must not need the user's credentials.
      for (const c of creds ? [undefined, creds] : [undefined]) {
        const header = await fetchToken(host, challenge, scope, c);
        if (!header) continue;
        res = await send(host, url, { ...base, authorization: header });
        if (res.status !== 401 && res.status !== 403) {
          tokens.set(key, { header, authenticated: c !== undefined });
          return { res, authenticated: c !== undefined };
        }
        await res.body?.cancel();
      }
    } else if (challenge?.scheme === 'basic' && creds) {
      res = await send(host, url, { ...base, authorization: basic(creds) });
      if (res.status !== 401 && res.status !== 403) {
        tokens.set(key, { header: basic(creds), authenticated: true });
        return { res, authenticated: true };
      }
    }
    throw new DeployError(
      'REGISTRY_AUTH',
      `${ref.registry}/${ref.repository} refused ${creds ? 'the given credentials' : 'anonymous access'}: the image is private or does not exist.`,
      creds
        ? 'Check the registry user and token (it needs read access to the package, e.g. read:packages on GHCR).'
        : 'Check the image name; if it is private, pass --registry-user and --registry-password-stdin.',
      { registry: ref.registry, repository: ref.repository },
    );
  }

  async function failOn(res: Response, ref: ImageRef, what: string): Promise<never> {
    const host = registryApiHost(ref.registry);
    const text = await res.text().catch(() => '');
    if (res.status === 404) {
      const code = /"code"\s*:\s*"(\w+)"/.exec(text)?.[1] ?? 'NOT_FOUND';
      throw new DeployError('IMAGE_NOT_FOUND', `${ref.registry}/${ref.repository}: ${what} not found (${code}).`, 'Check the image name and tag; list tags with: docker buildx imagetools inspect <image>.', { status: 404, code });
    }
    if (res.status === 403) throw new DeployError('REGISTRY_AUTH', `${ref.registry}/${ref.repository}: access to ${what} denied (HTTP 403).`, 'Check the credentials have pull access to this repository.');
    throw unreachable(host, `HTTP ${res.status} for ${what}`);
  }

  return {
    async getManifest(ref, reference): Promise<RegistryManifest> {
      const { res, authenticated } = await get(ref, `manifests/${reference}`, MANIFEST_ACCEPT);
      if (!res.ok) return failOn(res, ref, `manifest ${reference}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const digest = res.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw unreachable(registryApiHost(ref.registry), `manifest ${reference} is not JSON`);
      }
      const mediaType = (typeof json.mediaType === 'string' ? json.mediaType : null) ?? res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
      return { digest, mediaType, json, authenticated };
    },
    async getBlob(ref, digest): Promise<string> {
      const { res } = await get(ref, `blobs/${digest}`);
      if (!res.ok) return failOn(res, ref, `blob ${digest}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const [algo, hex] = digest.split(':');
      if (algo === 'sha256' && createHash('sha256').update(bytes).digest('hex') !== hex) {
        throw unreachable(registryApiHost(ref.registry), `blob ${digest} failed digest verification`);
      }
      return bytes.toString('utf8');
    },
    async listTags(ref): Promise<string[]> {
      const tags: string[] = [];
      let path = 'tags/list?n=1000';
      for (let page = 0; page < 10 && path; page++) {
        const { res } = await get(ref, path);
        if (!res.ok) return failOn(res, ref, 'tag list');
        const body = (await res.json().catch(() => ({}))) as { tags?: string[] | null };
        tags.push(...(body.tags ?? []));
        const next = /<[^>]*\/v2\/[^>]*?\/(tags\/list\?[^>]*)>;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
        path = next?.[1] ?? '';
      }
      return tags;
    },
  };
}
