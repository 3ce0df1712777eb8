import type { RowName } from './schema.js';

/**
 * Which Truth Pass / rehearsal check ids are evidence for which row. Cluster check ids are matched by
 * prefix so new checks in a family (`health-endpoint`, `tls-certificate`, `logs-after-smoke`) land in
 * the right row without a change here; a check no row claims is reported in `overall.unmapped_checks`.
 */
export const CHECK_PATTERNS: Partial<Record<RowName, RegExp>> = {
  'Build and image': /^(committed-tree|install|build|image)/,
  'Process model': /^(start(-|$)|stays-up|listens|graceful|rollout|pods?(-|$)|restart|stability|crash)/,
  'Sealos generated resources': /^(identity|template|labels?|owner|apply|resources-applied)/,
  'Environment variables': /^env/,
  'Health and readiness': /^(health|readiness|liveness|probe|root)/,
  'Database and migrations': /^(database|db(-|$)|postgres|pg(-|$)|migrat)/,
  'Domain and HTTPS': /^(tls|https|cert|domain|url|public|dns|ingress)/,
  Storage: /^(storage|volume|pvc)/,
  Scaling: /^(footprint|resource-usage|resources-used|metrics|usage|replica)/,
  'Monitoring and logs': /^(logs?(-|$)|startup-log|request-log)/,
  Security: /^(no-secret|secret|redact)/,
};

/** The row a check id belongs to, or null. */
export function rowOfCheck(id: string): RowName | null {
  for (const [row, re] of Object.entries(CHECK_PATTERNS)) if (re.test(id)) return row as RowName;
  return null;
}
