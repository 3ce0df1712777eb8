import type { Analysis } from './state/analysis-schema.js';

/** The port a service runs on when its own default is one a non-root container may not bind (below 1024). */
export const UNPRIVILEGED_PORT = 8080;

/**
 * The port the deployment gives the service: the user's (`.sealos/config.json`), else what the code listens on
 * (its PORT default, a framework default, the Dockerfile's EXPOSE). The generated image runs as a non-root user,
 * which may not bind ports below 1024: a service that takes its port from PORT gets 8080 instead of its default 80.
 */
export function deployPort(a: Pick<Analysis, 'config' | 'port' | 'dockerfile'>): number | null {
  if (a.config?.port !== undefined) return a.config.port;
  const p = a.port.value ?? a.port.default ?? a.dockerfile?.expose[0] ?? null;
  return p !== null && p < 1024 && a.port.reads_env ? UNPRIVILEGED_PORT : p;
}
