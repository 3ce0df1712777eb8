/** Time limits of the Runtime Truth Pass. A leaf module: `verify --help` prints them without loading the checks. */
export const CLUSTER_TRUTH_DEFAULTS = {
  budgetMs: 300_000,
  /** The Sealos plugin's minimum: long enough for a crash loop's first back-off and a probe failure to show. */
  stabilityWindowMs: 60_000,
} as const;
