/** Kubernetes resource quantities: "500m" CPU, "512Mi" memory, "1Gi" storage. */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value in base units (cores for CPU, bytes for memory), or null when it is not a quantity. */
export function parseQuantity(q: string | number | undefined | null): number | null {
  if (q === undefined || q === null) return null;
  if (typeof q === 'number') return q;
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * (BINARY[suffix] ?? 1);
  if (suffix in DECIMAL) return n * (DECIMAL[suffix] ?? 1);
  return null;
}

export function formatCpu(cores: number): string {
  return cores < 1 || !Number.isInteger(cores) ? `${Math.round(cores * 1000)}m` : String(cores);
}

export function formatMemory(bytes: number): string {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
