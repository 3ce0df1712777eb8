import { looksSecretName } from '../../redact.js';
import type { ClusterReader, LiveObject, WorkloadView } from './ports.js';

/**
 * The secret values in play for an app: the data of the Secrets its workload references (env, envFrom,
 * image pull) or that carry its label, and the KubeBlocks credential Secret. Only values that are
 * secrets are kept: a Secret also holds host names, ports and user names, and redacting "5432" or
 * "postgres" would shred every log line and make the leak check cry wolf.
 */

interface SecretObject extends LiveObject {
  type?: string;
  data?: Record<string, string>;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** Random-looking: long, no spaces, letters and digits mixed (a generated password or token). */
function looksGenerated(v: string): boolean {
  return v.length >= 16 && !/\s/.test(v) && /[A-Za-z]/.test(v) && /[0-9]/.test(v) && !/^[a-z0-9.-]+\.(svc|local|com|io|net|org|run|app)(:\d+)?$/i.test(v);
}

function dockerConfigSecrets(json: string): string[] {
  try {
    const cfg = JSON.parse(json) as { auths?: Record<string, { password?: string; auth?: string; identitytoken?: string }> };
    return Object.values(cfg.auths ?? {}).flatMap((a) => [a.password, a.auth, a.identitytoken].filter((x): x is string => typeof x === 'string'));
  } catch {
    return [];
  }
}

export interface SecretsInPlay {
  values: Array<{ source: string; value: string }>;
  read: Array<{ secret: string; keys: string[] }>;
  unreadable: Array<{ secret: string; reason: string }>;
}

export async function collectSecrets(res: ClusterReader, appName: string, workload: WorkloadView, labelKey: string): Promise<SecretsInPlay> {
  const podSpec = workload.spec?.template?.spec;
  const containers = [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])];
  /** secret → key → env names reading it */
  const refs = new Map<string, Map<string, string[]>>();
  const ref = (secret: string | undefined, key?: string, env?: string) => {
    if (!secret) return;
    const keys = refs.get(secret) ?? new Map<string, string[]>();
    refs.set(secret, keys);
    if (key) keys.set(key, [...(keys.get(key) ?? []), ...(env ? [env] : [])]);
  };
  for (const c of containers) {
    for (const e of c.env ?? []) ref(e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key, e.name);
    for (const e of c.envFrom ?? []) ref(e.secretRef?.name);
  }
  for (const s of podSpec?.imagePullSecrets ?? []) ref(s.name);
  ref(`${appName}-pg-conn-credential`);

  const out: SecretsInPlay = { values: [], read: [], unreadable: [] };
  let labelled: SecretObject[] = [];
  try {
    labelled = (await res.list('v1', 'Secret', { labelSelector: `${labelKey}=${appName}` })) as SecretObject[];
  } catch (err) {
    out.unreadable.push({ secret: `(label ${labelKey}=${appName})`, reason: (err as Error).message });
  }
  const byName = new Map(labelled.map((s) => [s.metadata.name, s]));
  for (const name of refs.keys()) {
    if (byName.has(name)) continue;
    try {
      const s = (await res.get('v1', 'Secret', name)) as SecretObject | null;
      if (s) byName.set(name, s);
    } catch (err) {
      out.unreadable.push({ secret: name, reason: (err as Error).message });
    }
  }
  for (const [name, secret] of byName) {
    const envByKey = refs.get(name) ?? new Map<string, string[]>();
    const keys: string[] = [];
    for (const [key, b64] of Object.entries(secret.data ?? {})) {
      keys.push(key);
      const value = decode(b64);
      const source = `Secret ${name} key ${key}`;
      if (secret.type === 'kubernetes.io/dockerconfigjson' || key === '.dockerconfigjson') {
        for (const v of dockerConfigSecrets(value)) out.values.push({ source, value: v });
        continue;
      }
      const envNames = envByKey.get(key) ?? [];
      if (looksSecretName(key) || envNames.some(looksSecretName) || looksGenerated(value)) out.values.push({ source, value });
    }
    out.read.push({ secret: name, keys: keys.sort() });
  }
  return out;
}
