import { DeployError } from '../core/errors.js';
import { regionFacts } from '../sealos/region-facts.js';
import { readAuthFile, sealosPaths } from '../sealos/home-files.js';
import type { KubeObject, Resources } from './resources.js';

export const DEFAULT_CERT_SECRET = 'wildcard-cert';

export interface AppDomain {
  /** SEALOS_CLOUD_DOMAIN: public apps live on `<sub>.<app_domain>`. */
  app_domain: string;
  cert_secret_name: string;
  source: 'namespace-ingress' | 'region-facts' | 'override';
  /** How it was found, in words. */
  detail: string;
}

interface IngressObject extends KubeObject {
  spec?: { rules?: Array<{ host?: string }>; tls?: Array<{ hosts?: string[]; secretName?: string }> };
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The wildcard domain the namespace's own Ingresses use: a host `<label>.<domain>` whose TLS entry
 * names a secret other than a per-app certificate (custom domains have their own `<app>-domain` cert).
 * The most common (domain, secret) pair wins.
 */
export function domainFromIngresses(ingresses: IngressObject[]): { app_domain: string; cert_secret_name: string } | null {
  const counts = new Map<string, number>();
  for (const ing of ingresses) {
    for (const tls of ing.spec?.tls ?? []) {
      if (!tls.secretName || /-domain$/.test(tls.secretName)) continue;
      for (const host of tls.hosts ?? []) {
        const h = host.toLowerCase();
        const dot = h.indexOf('.');
        const domain = dot > 0 ? h.slice(dot + 1) : '';
        if (!DOMAIN.test(domain) || !domain.includes('.')) continue;
        const key = `${domain} ${tls.secretName}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!best) return null;
  const [app_domain, cert_secret_name] = best[0].split(' ') as [string, string];
  return { app_domain, cert_secret_name };
}

export interface AppDomainOptions {
  /** `--domain`: used only when neither the namespace nor the region tells us. */
  override?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Region facts lookup; injectable for tests. */
  regionFacts?: typeof regionFacts;
}

/**
 * The app domain and certificate secret for direct apply, in this order: what the namespace's
 * existing Ingresses use; the region's own platform endpoints when signed in (~/.sealos/auth.json has a
 * region); the `--domain` override. Never the API server host: `usw-1.sealos.io` serves the API while
 * apps live on `usw-1.sealos.app`.
 */
export async function discoverAppDomain(res: Resources, opts: AppDomainOptions = {}): Promise<AppDomain> {
  const fromNs = domainFromIngresses(await res.list<IngressObject>('networking.k8s.io/v1', 'Ingress'));
  if (fromNs) return { ...fromNs, source: 'namespace-ingress', detail: `from the Ingresses already in namespace ${res.namespace}` };

  const failures: string[] = [];
  const auth = await readAuthFile(sealosPaths(opts.home ?? opts.env?.HOME)).catch(() => null);
  if (auth?.region) {
    try {
      const facts = await (opts.regionFacts ?? regionFacts)({ ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}) });
      return { app_domain: facts.app_domain, cert_secret_name: facts.cert_secret_name, source: 'region-facts', detail: `from the region ${facts.region_host} (${facts.source}${facts.cached ? ', cached' : ''})` };
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (opts.override) {
    const d = opts.override.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/^\*\./, '');
    if (!DOMAIN.test(d)) throw new DeployError('USAGE', `--domain "${opts.override}" is not a domain name.`, 'Pass the app domain of your region, e.g. --domain usw-1.sealos.app.');
    return { app_domain: d, cert_secret_name: DEFAULT_CERT_SECRET, source: 'override', detail: 'from --domain' };
  }
  throw new DeployError(
    'INPUT_MISSING',
    `Cannot tell the public app domain of namespace ${res.namespace}: it has no Ingress yet${auth?.region ? ` and the region did not answer (${failures.join('; ')})` : ' and you are not signed in to a region'}.`,
    'Run `sealos-deploy login` (the region reports its app domain), or pass --domain <app domain> (e.g. usw-1.sealos.app; not the API server host).',
    { failures },
  );
}
