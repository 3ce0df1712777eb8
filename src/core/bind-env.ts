import type { Analysis } from './state/analysis-schema.js';

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
  if (name && !analysis.bind.all_interfaces && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) env[name] = '0.0.0.0';
  return env;
}
