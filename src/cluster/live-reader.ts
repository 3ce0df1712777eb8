import { LABEL_DEPLOY_MANAGER, type LiveReader, type LiveWorkload, type WorkloadKind } from '../core/mode/live.js';
import type { KubeObject, Resources } from './resources.js';

interface WorkloadObject extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
  status?: { readyReplicas?: number };
}

interface IngressObject extends KubeObject {
  spec?: { rules?: Array<{ host?: string }> };
}

/** The live-cluster side of mode decision, over exact labels and names (never prefixes). */
export class ClusterLiveReader implements LiveReader {
  constructor(private readonly res: Resources) {}

  private async host(name: string): Promise<string | null> {
    const ings = await this.res.list<IngressObject>('networking.k8s.io/v1', 'Ingress', { labelSelector: `${LABEL_DEPLOY_MANAGER}=${name}` });
    return ings.flatMap((i) => i.spec?.rules ?? []).find((r) => r.host)?.host?.toLowerCase() ?? null;
  }

  private async toLive(kind: WorkloadKind, obj: WorkloadObject): Promise<LiveWorkload> {
    const containers = obj.spec?.template?.spec?.containers ?? [];
    const main = containers.find((c) => c.name === obj.metadata.name) ?? containers[0];
    return {
      kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? this.res.namespace,
      labels: obj.metadata.labels ?? {},
      image: main?.image ?? '',
      containerName: main?.name ?? '',
      readyReplicas: obj.status?.readyReplicas ?? 0,
      replicas: obj.spec?.replicas ?? 0,
      host: await this.host(obj.metadata.name),
    };
  }

  async getWorkload(_namespace: string, name: string): Promise<LiveWorkload | null> {
    for (const kind of ['Deployment', 'StatefulSet'] as const) {
      const obj = await this.res.get<WorkloadObject>('apps/v1', kind, name);
      if (obj) return this.toLive(kind, obj);
    }
    return null;
  }

  async listAppsByLabel(): Promise<LiveWorkload[]> {
    const out: LiveWorkload[] = [];
    for (const kind of ['Deployment', 'StatefulSet'] as const) {
      for (const obj of await this.res.list<WorkloadObject>('apps/v1', kind, { labelSelector: LABEL_DEPLOY_MANAGER })) out.push(await this.toLive(kind, obj));
    }
    return out;
  }

  async getAppUrl(_namespace: string, name: string): Promise<string | null> {
    // A cluster without the Sealos App API has no App URL; any other failure is real and propagates.
    if (!(await this.res.served('app.sealos.io/v1'))?.some((r) => r.kind === 'App')) return null;
    const app = await this.res.get<KubeObject & { spec?: { data?: { url?: string } } }>('app.sealos.io/v1', 'App', name);
    return app?.spec?.data?.url ?? null;
  }
}
