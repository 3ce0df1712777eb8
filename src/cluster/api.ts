import http from 'node:http';
import https from 'node:https';
import { DeployError } from '../core/errors.js';
import { kubeHttpError, kubeNetworkError } from './errors.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';

export interface KubeRequest {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  /** Human words for error messages: "create Deployment web". */
  what?: string;
  /** Return null instead of throwing on 404. */
  allowNotFound?: boolean;
  /** Return the raw text body (pod logs). */
  text?: boolean;
  signal?: AbortSignal;
}

/**
 * Raw JSON access to the Kubernetes API with @kubernetes/client-node's KubeConfig doing the
 * authentication and TLS. Raw, not the typed models: those drop unknown fields, and plans and
 * diffs of custom resources (App, KubeBlocks Cluster) must see every field.
 */
export class KubeApi {
  readonly namespace: string;
  readonly server: string;

  constructor(
    readonly config: ResolvedKubeconfig,
    private readonly defaults: { timeoutMs: number } = { timeoutMs: 30_000 },
  ) {
    this.namespace = config.namespace;
    this.server = config.server.replace(/\/+$/, '');
  }

  async request<T = unknown>(method: string, path: string, req: KubeRequest = {}): Promise<T> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method, headers: { Accept: req.text ? '*/*' : 'application/json', 'User-Agent': 'sealos-deploy' } };
    await this.config.kc.applyToHTTPSOptions(opts);
    const payload = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (payload !== undefined) {
      opts.headers = { ...opts.headers, 'Content-Type': req.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) };
    }
    const what = req.what ?? `${method} ${path}`;
    const timeoutMs = req.timeoutMs ?? this.defaults.timeoutMs;
    const mod = url.protocol === 'https:' ? https : http;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = mod.request(url, { ...opts, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      if (payload !== undefined) r.write(payload);
      r.end();
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') throw new DeployError('CANCELLED', `Cancelled while trying to ${what}.`, 'Re-run when ready; the cluster may have applied the request.');
      throw kubeNetworkError(err, this.server, what);
    });
    if (status === 404 && req.allowNotFound) return null as T;
    if (status < 200 || status >= 300) throw kubeHttpError(status, body, what, this.namespace);
    if (req.text) return body as T;
    try {
      return (body ? JSON.parse(body) : null) as T;
    } catch {
      throw new DeployError('CLUSTER_ERROR', `The cluster answered ${what} with non-JSON content.`, 'Check that the kubeconfig server is a Kubernetes API server.');
    }
  }
}
