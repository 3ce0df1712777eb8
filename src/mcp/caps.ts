/**
 * Output caps. Hosts truncate or reject tool results past ~25k tokens; we stay well under by
 * shortening long lists and strings (which keeps structured output schema-valid) and, as a last
 * resort, tightening the caps until the serialized result fits.
 */
export interface Caps {
  /** Longest array kept in structured output. */
  maxItems: number;
  /** Longest string kept in structured output (logs, messages). */
  maxString: number;
  /** Upper bound for the serialized structured output and for each text block, in characters (~4 chars a token). */
  maxChars: number;
}

/** 24k chars ≈ 6k tokens per block: a host that shows both the text and the structured copy stays near 12k. */
export const DEFAULT_CAPS: Caps = { maxItems: 50, maxString: 4_000, maxChars: 24_000 };

export interface Capped<T> {
  value: T;
  /** Where something was cut, e.g. `findings: 120 → 50 items`. */
  notes: string[];
}

function capDeep(value: unknown, caps: Caps, path: string, notes: string[]): unknown {
  if (typeof value === 'string') {
    if (value.length <= caps.maxString) return value;
    notes.push(`${path || 'value'}: ${value.length} → ${caps.maxString} chars`);
    return `${value.slice(0, caps.maxString)}…[${value.length - caps.maxString} more chars]`;
  }
  if (Array.isArray(value)) {
    const kept = value.length > caps.maxItems ? value.slice(0, caps.maxItems) : value;
    if (kept !== value) notes.push(`${path || 'list'}: ${value.length} → ${caps.maxItems} items`);
    return kept.map((item, i) => capDeep(item, caps, `${path}[${i}]`, notes));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = capDeep(item, caps, path ? `${path}.${key}` : key, notes);
    return out;
  }
  return value;
}

/** Caps lists and strings; halves the caps (at most 4 times) until the JSON fits `maxChars`. */
export function capStructured<T>(value: T, caps: Caps = DEFAULT_CAPS): Capped<T> {
  let current = caps;
  for (let round = 0; ; round++) {
    const notes: string[] = [];
    const capped = capDeep(value, current, '', notes) as T;
    if (JSON.stringify(capped).length <= caps.maxChars || round === 4) return { value: capped, notes: dedupeNotes(notes) };
    current = { ...current, maxItems: Math.max(1, Math.floor(current.maxItems / 2)), maxString: Math.max(200, Math.floor(current.maxString / 2)) };
  }
}

/** Per-element notes (`logs[3].line`) collapse to one line per list path so the summary stays short. */
function dedupeNotes(notes: string[]): string[] {
  const byPath = new Map<string, { note: string; count: number }>();
  for (const note of notes) {
    const path = note.slice(0, note.indexOf(':')).replace(/\[\d+\]/g, '[]');
    const seen = byPath.get(path);
    if (seen) seen.count++;
    else byPath.set(path, { note: path + note.slice(note.indexOf(':')), count: 1 });
  }
  return [...byPath.values()].slice(0, 10).map((e) => (e.count > 1 ? `${e.note} (and ${e.count - 1} more)` : e.note));
}

export function capText(text: string, maxChars: number = DEFAULT_CAPS.maxChars): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n…[truncated ${text.length - maxChars} chars]`;
}
