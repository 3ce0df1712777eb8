import type { BindFacts, Finding } from '../state/analysis-schema.js';
import { finding } from './source/types.js';

// A static site ships as files behind nginx (the generated image: nginx-unprivileged on 8080, which
// answers /healthz and writes an access log line per request to stdout). Whatever the build tooling
// binds or handles in development, the Node process concerns belong to nginx in production.
const SERVED_BY_NGINX: Record<string, [Finding['section'], string]> = {
  'bind-all-interfaces': ['build-and-image', 'Static site: nginx serves the files on 0.0.0.0:8080; the dev server’s address does not ship.'],
  'plain-http': ['build-and-image', 'Static site: nginx serves plain HTTP, which the ingress forwards to it.'],
  'reads-port': ['build-and-image', 'Static site: the static server listens on 8080.'],
  'graceful-shutdown': ['scaling', 'Static site: nginx serves the files and stops on SIGTERM; no Node process runs in production.'],
  'startup-log': ['monitoring', 'Static site: nginx logs its start.'],
  'request-logs': ['monitoring', 'Static site: nginx writes an access log line per request.'],
  'health-endpoint': ['health', 'Static site: probes GET / from the static server (the generated nginx also answers /healthz).'],
  'background-work': ['scaling', 'Static site: no server process, no background work.'],
};

export const STATIC_BIND: BindFacts = { host: '0.0.0.0', all_interfaces: true, evidence: [] };

/**
 * About routes a server registers: a static site's code registers none, and what reads like one is the browser calling
 * an API elsewhere (checkmate's `axiosInstance.post('/auth/login')` warned that its login had no rate limiter).
 */
const SERVER_ROUTES = new Set(['rate-limit', 'admin-auth', 'memory-sessions', 'cors-wildcard']);
/** About the Node.js process an image runs, which a static site's has none of (nginx serves the files). */
const NODE_PROCESS = new Set(['system-programs', 'dev-dependency-imports']);

/** Source findings of a static site with the server-process concerns answered for nginx. */
export function staticSiteFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => !SERVER_ROUTES.has(f.id) && !NODE_PROCESS.has(f.id)).map((f) => {
    const nginx = SERVED_BY_NGINX[f.id];
    return nginx ? finding(f.id, nginx[0], 'pass', nginx[1], null, []) : f;
  });
}
