/** Kubernetes resource quantities ("500m", "1.5", "64Mi", "1G") as numbers and back. */

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = q.trim().match(/^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${q}`);
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

export function isQuantity(q: unknown): boolean {
  if (typeof q === 'number') return true;
  if (typeof q !== 'string') return false;
  try {
    parseQuantity(q);
    return true;
  } catch {
    return false;
  }
}

/** Canonical-ish formatting: cpu in cores or millicores, bytes in the largest exact binary unit. */
export function formatQuantity(resource: string, value: number): string {
  if (resource.endsWith('cpu')) {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (resource.endsWith('memory') || resource.endsWith('storage')) {
    for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
      const size = SUFFIX[unit]!;
      if (value >= size && value % size === 0) return `${value / size}${unit}`;
    }
  }
  return String(Math.round(value));
}
