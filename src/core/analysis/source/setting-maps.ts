import { walk } from '../parse.js';
import { child, children, propName, unwrap, type Node } from './ast.js';
import { indexedIn } from './cached-scan.js';
import { constInit } from './modules.js';
import { envReadName, settingOf } from './scan.js';
import type { SourceRun } from './types.js';

/**
 * Parts of an object a setting picks one entry of, that the setting left unset does not pick:
 *
 *   const client = env('DATABASE_CLIENT', 'sqlite');
 *   const connections = { mysql: {…}, postgres: { connectionString: env('DATABASE_URL') }, sqlite: {…} };
 *   return { connection: { client, ...connections[client] } };
 *
 * (every Strapi project's config/database.js): DATABASE_URL is read only when the operator chooses PostgreSQL.
 * Ranges by file. Both tiers find the same: the files whose text can matter, each parsed on demand.
 */
export function entriesNotChosen(run: SourceRun): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  const { maps, tables } = indexedObjects(run);
  for (const m of maps) {
    const off = m.entries.filter((e) => e.key !== m.chosen).map((e) => e.node);
    if (off.length) out.set(m.file, [...(out.get(m.file) ?? []), ...off]);
  }
  for (const t of tables) out.set(t.file, [...(out.get(t.file) ?? []), ...t.values]);
  return out;
}

export interface SettingMap {
  file: string;
  /** The variable that picks the entry, and the key it picks when unset. */
  setting: string;
  chosen: string | undefined;
  entries: Array<{ key: string; node: Node }>;
}

/**
 * A table of variables the code looks up by what it is handed, not by a setting (tiledesk's
 * `RAG_CONTEXT_ENV_OVERRIDES[modelName]` over `{ 'gpt-4': process.env.GPT_4_CONTEXT, … }`): an entry is read when a
 * request names its key, and the code makes do with what is missing. No entry is one the service needs to start.
 */
interface LookupTable {
  file: string;
  values: Node[];
}

const memo = new WeakMap<SourceRun, { maps: SettingMap[]; tables: LookupTable[] }>();

/** Object literals indexed by a setting (`connections[client]`), with the entry each key holds; found once per run. */
export function settingMaps(run: SourceRun): SettingMap[] {
  return indexedObjects(run).maps;
}

/**
 * The object literals the code indexes by a name (`obj[key]`), in one walk of each file that indexes anything: by a
 * setting, a map it picks an entry of; by anything else, a lookup table when every entry is a variable as it is.
 */
function indexedObjects(run: SourceRun): { maps: SettingMap[]; tables: LookupTable[] } {
  const known = memo.get(run);
  if (known) return known;
  const found = { maps: [] as SettingMap[], tables: [] as LookupTable[] };
  memo.set(run, found);
  for (const s of run.matterScans) {
    if (!indexedIn(s)) continue;
    const p = run.index.scan(s.file);
    if (!p) continue;
    const seen = new Set<Node>();
    walk(p.parsed.program, (n) => {
      if (n.type !== 'MemberExpression' || !n.computed) return;
      const obj = unwrap(child(n, 'object'));
      const key = unwrap(child(n, 'property'));
      if (obj?.type !== 'Identifier' || key?.type !== 'Identifier') return;
      const literal = unwrap(constInit(p, obj));
      if (literal?.type !== 'ObjectExpression') return;
      const setting = settingOf(constInit(p, key));
      if (setting) {
        if (setting.name === 'NODE_ENV') return;
        const entries = children(literal, 'properties').filter((x) => x.type === 'Property');
        // Only a map of literal keys, one of which the unset setting picks: else it is not a choice among entries.
        if (entries.some((x) => x.computed) || !entries.some((x) => propName(child(x, 'key')) === setting.value)) return;
        const list = entries.map((x) => ({ key: propName(child(x, 'key')) ?? '', node: child(x, 'value')! })).filter((e) => e.node);
        found.maps.push({ file: p.file, setting: setting.name, chosen: setting.value, entries: list });
        return;
      }
      if (seen.has(literal)) return;
      const entries = children(literal, 'properties');
      const values = entries.map((x) => (x.type === 'Property' ? child(x, 'value') : null));
      // Every entry a variable as it is, under a key written as text: a table of settings, not a config object.
      if (entries.length < 3 || !entries.every((x) => x.type === 'Property' && !x.computed && unwrap(child(x, 'key'))?.type === 'Literal') || !values.every((v) => v && envReadName(v) !== null)) return;
      seen.add(literal);
      found.tables.push({ file: p.file, values: values as Node[] });
    });
  }
  return found;
}
