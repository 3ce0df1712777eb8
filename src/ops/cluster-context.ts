import { KubeApi } from '../cluster/api.js';
import { resolveKubeconfig, type ResolvedKubeconfig } from '../cluster/kubeconfig.js';
import { ClusterLiveReader } from '../cluster/live-reader.js';
import { Resources } from '../cluster/resources.js';

export interface ClusterOptions {
  /** `--kubeconfig`; else SEALOS_KUBECONFIG, KUBECONFIG, ~/.sealos/kubeconfig, ~/.kube/config. */
  kubeconfig?: string;
  /** Override the context namespace (preflight only; deploys act in the context's namespace). */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Per-request timeout for API calls. */
  requestTimeoutMs?: number;
}

export interface ClusterContext {
  config: ResolvedKubeconfig;
  api: KubeApi;
  res: Resources;
  live: ClusterLiveReader;
  namespace: string;
}

/** One resolved kubeconfig and the adapters every cluster operation shares. */
export function openCluster(opts: ClusterOptions = {}): ClusterContext {
  const env = opts.env ?? process.env;
  const config = resolveKubeconfig({
    ...(opts.kubeconfig ? { path: opts.kubeconfig } : {}),
    env,
    ...(opts.home ?? env.HOME ? { home: opts.home ?? env.HOME } : {}),
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
  });
  const api = new KubeApi(config, { timeoutMs: opts.requestTimeoutMs ?? 30_000 });
  const res = new Resources(api);
  return { config, api, res, live: new ClusterLiveReader(res), namespace: config.namespace };
}

/** The control-plane host of the kubeconfig server (`usw-1.sealos.io`): what state.json calls the region. */
export function regionHost(server: string): string {
  try {
    return new URL(server).hostname.toLowerCase();
  } catch {
    return 'unknown';
  }
}
