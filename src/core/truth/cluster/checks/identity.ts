import type { TruthCheck } from '../../runner.js';
import type { ClusterTruthData, LiveFacts } from '../context.js';
import type { ContainerSpecView, LiveObject, PodView, WorkloadView } from '../ports.js';
import { collectSecrets } from '../secrets-in-play.js';

export const APP_LABEL = 'cloud.sealos.io/app-deploy-manager';
const CONN_SUFFIX = '-conn-credential';

interface IngressView extends LiveObject {
  spec?: { rules?: Array<{ host?: string }>; tls?: Array<{ hosts?: string[] }> };
}

function mainContainer(appName: string, containers: ContainerSpecView[]): ContainerSpecView | undefined {
  return containers.find((c) => c.name === appName) ?? containers[0];
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Who is live: the workload named like the app (exact name, never a prefix), its pods and the image
 * they run, the App URL (App CR) and Ingress host, the Service port. Also reads the Secrets in play
 * and registers their values with the redactor before any other check can print evidence.
 */
export function identityCheck(): TruthCheck<ClusterTruthData> {
  return {
    id: 'identity',
    required: true,
    async run({ data, redactor }) {
      const { res, appName } = data;
      let kind: LiveFacts['kind'] = 'Deployment';
      let workload = (await res.get('apps/v1', 'Deployment', appName)) as WorkloadView | null;
      if (!workload) {
        kind = 'StatefulSet';
        workload = (await res.get('apps/v1', 'StatefulSet', appName)) as WorkloadView | null;
      }
      if (!workload)
        return { status: 'fail', summary: `no Deployment or StatefulSet named ${appName} in namespace ${data.namespace}`, evidence: { app_name: appName, namespace: data.namespace } };

      const matchLabels = workload.spec?.selector?.matchLabels ?? { app: appName };
      const selector = Object.entries(matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const containers = workload.spec?.template?.spec?.containers ?? [];
      const main = mainContainer(appName, containers);
      const image = main?.image ?? '';
      const port = main?.ports?.find((p) => typeof p.containerPort === 'number')?.containerPort ?? null;

      const [pods, ingresses, service, appServed] = await Promise.all([
        res.list('v1', 'Pod', { labelSelector: selector }) as Promise<PodView[]>,
        res.list('networking.k8s.io/v1', 'Ingress', { labelSelector: `${APP_LABEL}=${appName}` }) as Promise<IngressView[]>,
        res.get('v1', 'Service', appName) as Promise<(LiveObject & { spec?: { ports?: Array<{ port?: number }> } }) | null>,
        res.served('app.sealos.io/v1'),
      ]);
      const appCr = appServed?.some((r) => r.kind === 'App') ? ((await res.get('app.sealos.io/v1', 'App', appName)) as (LiveObject & { spec?: { data?: { url?: string } } }) | null) : null;

      const ingressHosts = [...new Set(ingresses.flatMap((i) => (i.spec?.rules ?? []).map((r) => r.host?.toLowerCase()).filter((h): h is string => !!h)))];
      const tlsHosts = new Set(ingresses.flatMap((i) => (i.spec?.tls ?? []).flatMap((t) => t.hosts ?? []).map((h) => h.toLowerCase())));
      const appUrl = appCr?.spec?.data?.url ?? null;
      let url: string | null = appUrl;
      let host = appUrl ? hostOf(appUrl) : null;
      if (!url && ingressHosts[0]) {
        host = ingressHosts[0];
        url = `${tlsHosts.has(host) ? 'https' : 'http'}://${host}`;
      }

      const running = pods.map((p) => {
        const st = p.status?.containerStatuses?.find((s) => s.name === main?.name);
        return { pod: p.metadata.name, phase: p.status?.phase ?? null, spec_image: p.spec?.containers?.find((c) => c.name === main?.name)?.image ?? null, image_id: st?.imageID || null };
      });
      const dbClusters = [
        ...new Set(
          containers
            .flatMap((c) => c.env ?? [])
            .map((e) => e.valueFrom?.secretKeyRef?.name ?? '')
            .filter((n) => n.endsWith(CONN_SUFFIX))
            .map((n) => n.slice(0, -CONN_SUFFIX.length)),
        ),
      ];

      data.live = {
        kind,
        workload,
        selector,
        container: main?.name ?? appName,
        port,
        image,
        pods,
        url,
        host,
        servicePort: service?.spec?.ports?.[0]?.port ?? null,
        dbClusters,
      };

      const found = await collectSecrets(res, appName, workload, APP_LABEL);
      for (const s of found.values) redactor.add(s.value);
      data.secretValues.push(...found.values);
      data.secretsUnreadable.push(...found.unreadable);

      const evidence = {
        workload: { kind, name: appName, replicas: workload.spec?.replicas ?? 1, selector },
        container: main?.name ?? null,
        image,
        expected_image: data.expectedImage,
        pods: running,
        app_url: appUrl,
        url,
        ingress_hosts: ingressHosts,
        service_port: service?.spec?.ports?.[0]?.port ?? null,
        container_port: port,
        database_clusters: dbClusters,
        secrets_read: found.read,
        secrets_unreadable: found.unreadable,
        secret_values_registered: found.values.length + data.inputSecrets.length,
      };
      const problems: string[] = [];
      if (!main) problems.push(`${kind} ${appName} has no containers`);
      if (data.expectedImage && image !== data.expectedImage) problems.push(`${kind} ${appName} runs ${image}, expected ${data.expectedImage}`);
      if (appUrl && host && ingressHosts.length > 0 && !ingressHosts.includes(host)) problems.push(`the App URL host ${host} is not served by the app's Ingress (${ingressHosts.join(', ')})`);
      if (appUrl && !host) problems.push(`the App URL "${appUrl}" is not a URL`);
      if (pods.length === 0) problems.push(`no pods match ${selector}`);
      if (problems.length) return { status: 'fail', summary: problems.join('; '), evidence };
      const where = url ? `at ${url}` : 'with no public URL (no App CR or Ingress)';
      return { status: 'pass', summary: `${kind} ${appName} (${pods.length} pod(s)) runs ${image} ${where}`, evidence };
    },
  };
}
