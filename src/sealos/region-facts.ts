import { join } from 'node:path';
import { z } from 'zod';
import { DeployError, isDeployError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/ports.js';
import { readTextIfExists } from '../system/atomic-file.js';
import { callRegion, isObject, readJsonRes, type CallOptions } from './api-call.js';
import { endpointsFor, sealosContext, type SealosOptions } from './context.js';
import { readAuthFile, writePrivateFile, type SealosPaths } from './home-files.js';
import { parseRegion, type Region } from './region.js';

export const DEFAULT_REGION_FACTS_TTL_MS = 24 * 60 * 60_000;
/** Chart default and Launchpad fallback for the wildcard TLS secret. */
export const DEFAULT_CERT_SECRET = 'wildcard-cert';

export type RegionFactsSource = 'template-getEnv' | 'applaunchpad-getClientAppConfig';

export interface RegionFacts {
  region: string;
  /** The control plane host; never used as the app domain. */
  region_host: string;
  /** SEALOS_CLOUD_DOMAIN: public apps live on `<sub>.<app_domain>`. */
  app_domain: string;
  /** SEALOS_CERT_SECRET_NAME: the wildcard TLS secret Ingresses reference. */
  cert_secret_name: string;
  source: RegionFactsSource;
  fetched_at: string;
  expires_at: string;
  /** Served from ~/.sealos/cache without asking the region. */
  cached: boolean;
  /** A cached entry past its TTL, used because the region could not be reached. */
  stale?: boolean;
}

const cacheSchema = z.object({
  schema_version: z.literal(1),
  region: z.string(),
  region_host: z.string(),
  app_domain: z.string(),
  cert_secret_name: z.string(),
  source: z.enum(['template-getEnv', 'applaunchpad-getClientAppConfig']),
  fetched_at: z.string(),
  expires_at: z.string(),
});

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function regionCachePath(paths: SealosPaths, region: Region): string {
  return join(paths.cacheDir, `region-${region.host.toLowerCase().replace(/[^a-z0-9.-]/g, '_')}.json`);
}

function cleanDomain(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const d = v.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/^\*\./, '');
  return DOMAIN.test(d) ? d : null;
}

function cleanSecret(v: unknown): string {
  return typeof v === 'string' && SECRET_NAME.test(v) ? v : DEFAULT_CERT_SECRET;
}

interface Fetched {
  app_domain: string;
  cert_secret_name: string;
  source: RegionFactsSource;
}

async function fromTemplateEnv(template: string, call: CallOptions): Promise<Fetched> {
  const res = await callRegion(`${template}/api/platform/getEnv`, { what: 'read the region settings (template getEnv)' }, call);
  const out = readJsonRes(res);
  const data = isObject(out.data) ? out.data : {};
  const domain = cleanDomain(data.SEALOS_CLOUD_DOMAIN);
  if (out.code !== 200 || !domain) throw new Error(`template getEnv answered code ${out.code}${domain ? '' : ' without a valid SEALOS_CLOUD_DOMAIN'}`);
  return { app_domain: domain, cert_secret_name: cleanSecret(data.SEALOS_CERT_SECRET_NAME), source: 'template-getEnv' };
}

async function fromLaunchpadConfig(applaunchpad: string, call: CallOptions): Promise<Fetched> {
  const res = await callRegion(`${applaunchpad}/api/platform/getClientAppConfig`, { what: 'read the region settings (applaunchpad getClientAppConfig)' }, call);
  const out = readJsonRes(res);
  const data = isObject(out.data) ? out.data : {};
  // Launchpad puts public hosts on the first user domain; `domain` is the cloud domain fallback.
  const first = Array.isArray(data.userDomains) && isObject(data.userDomains[0]) ? data.userDomains[0] : {};
  const domain = cleanDomain(first.name) ?? cleanDomain(data.domain);
  if (out.code !== 200 || !domain) throw new Error(`applaunchpad getClientAppConfig answered code ${out.code}${domain ? '' : ' without a valid domain'}`);
  return { app_domain: domain, cert_secret_name: cleanSecret(first.secretName), source: 'applaunchpad-getClientAppConfig' };
}

async function readCache(path: string): Promise<z.infer<typeof cacheSchema> | null> {
  const text = await readTextIfExists(path);
  if (text === null) return null;
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface RegionFactsOptions extends SealosOptions {
  /** Default: the region of the current login (~/.sealos/auth.json). */
  region?: string;
  clock?: Clock;
  ttlMs?: number;
  /** Ignore a fresh cache entry and ask the region. */
  refresh?: boolean;
}

/**
 * App domain and certificate secret from the region's own platform endpoints (template getEnv, then
 * applaunchpad getClientAppConfig), cached per region with a TTL. Never guessed from the region host.
 */
export async function regionFacts(opts: RegionFactsOptions = {}): Promise<RegionFacts> {
  const ctx = sealosContext(opts);
  const clock = opts.clock ?? systemClock;
  const regionInput = opts.region ?? (await readAuthFile(ctx.paths))?.region;
  if (!regionInput) throw new DeployError('USAGE', 'No region given and not signed in.', 'Pass --region <url> or run `sealos-deploy login` first.');
  const region = parseRegion(regionInput);
  const cachePath = regionCachePath(ctx.paths, region);
  const now = clock.now().getTime();
  const cached = await readCache(cachePath);
  const usable = cached && cached.region === region.url ? cached : null;
  if (usable && !opts.refresh && Date.parse(usable.expires_at) > now) {
    const { schema_version: _v, ...facts } = usable;
    return { ...facts, cached: true };
  }

  const endpoints = endpointsFor(region, opts, ctx);
  const failures: string[] = [];
  let fetched: Fetched | null = null;
  for (const attempt of [() => fromTemplateEnv(endpoints.template, ctx.call), () => fromLaunchpadConfig(endpoints.applaunchpad, ctx.call)]) {
    try {
      fetched = await attempt();
      break;
    } catch (err) {
      if (isDeployError(err) && err.code === 'CANCELLED') throw err;
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (!fetched) {
    if (usable) {
      const { schema_version: _v, ...facts } = usable;
      return { ...facts, cached: true, stale: true };
    }
    throw new DeployError('REGION_API_ERROR', `Could not learn the app domain of ${region.host}: ${failures.join('; ')}.`, 'Retry in a minute. The region host is not the app domain, so nothing is guessed; pass the app domain explicitly if your tooling allows, or deliver through the Template API, which fills it server-side.', {
      failures,
    });
  }
  const ttl = opts.ttlMs ?? DEFAULT_REGION_FACTS_TTL_MS;
  const facts = {
    region: region.url,
    region_host: region.host,
    ...fetched,
    fetched_at: new Date(now).toISOString(),
    expires_at: new Date(now + ttl).toISOString(),
  };
  await writePrivateFile(ctx.paths, cachePath, JSON.stringify({ schema_version: 1, ...facts }, null, 2) + '\n');
  return { ...facts, cached: false };
}
