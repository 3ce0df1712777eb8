import type { Analysis } from './state/analysis-schema.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Variables that make the service listen on every interface in a container, set alike by the template, the
 * generated image and the rehearsal: Next.js standalone binds $HOSTNAME (which Kubernetes sets to the pod name),
 * Astro's Node adapter and AdonisJS bind $HOST (localhost unless told), and a service that reads its bind address
 * from a variable defaulting to loopback (`process.env.HOST || '127.0.0.1'`) gets it set to 0.0.0.0.
 */
export function bindEnv(analysis: Pick<Analysis, 'framework' | 'bind'>): Record<string, string> {
  const env: Record<string, string> = {};
  if (analysis.framework.name === 'nextjs') env.HOSTNAME = '0.0.0.0';
  if (analysis.framework.name === 'astro' || analysis.framework.name === 'adonisjs') env.HOST = '0.0.0.0';
  const name = analysis.bind.env_name;
  if (name && !analysis.bind.all_interfaces && ENV_NAME.test(name)) env[name] = '0.0.0.0';
  return env;
}

/** Names of a service's own host setting: in a container it is every interface, whatever the example file says. */
const HOST_SETTING = /(^|_)(HOST|HOSTNAME|BIND|BIND_IP|BIND_ADDRESS|BIND_HOST|LISTEN_ADDRESS|LISTEN_HOST)$/;

/**
 * Variables the service validates at start whose only value is the example file's (`must_set`): the deployment and the
 * rehearsal set them, a host setting to 0.0.0.0 (an envalid `host()` that the example fills with localhost).
 */
export function mustSetEnv(analysis: Pick<Analysis, 'env_vars'>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of analysis.env_vars)
    if (v.must_set && v.default !== null && !v.public && ENV_NAME.test(v.name)) env[v.name] = v.class === 'runtime-port' && HOST_SETTING.test(v.name) ? '0.0.0.0' : v.default;
  return env;
}
