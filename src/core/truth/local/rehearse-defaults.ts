/** Time limits of a local rehearsal. A leaf module: `rehearse --help` prints them without loading the checks. */
export const REHEARSAL_DEFAULTS = {
  budgetMs: 300_000,
  stabilityMs: 10_000,
  startupTimeoutMs: 30_000,
  shutdownGraceMs: 10_000,
} as const;
