// A service that applies its own migrations when it starts (Flowise's `AppDataSource.runMigrations()`, docmost's
// `migrator.migrateToLatest()` on bootstrap, actual-server's `runMigrations().then(start)`, hedgedoc's app-init): a
// separate migrate step before it is redundant at best, and at worst runs a development command that fails the pod
// (hedgedoc's migrate script targets its development SQLite file; Flowise's needs ts-node, pruned from the image).
import { walk } from '../parse.js';
import type { Evidence } from '../../evidence.js';
import { TOOLING_DIR } from '../context.js';
import { child, functionName, isFunction, memberPath, memberProp, propName, unwrap, type Node } from './ast.js';
import { nodeEvidence, type SourceRun } from './types.js';
import { callsNamed, helperRead, localsOf, type FileScan } from './scan.js';
import { findBinding } from './modules.js';
import { MIGRATE_CALLS } from './light-scan.js';
import { loadedFrom } from './loaded-files.js';

// What a file must say to be parsed for it: a migrate call by name, TypeORM's option, knex's migrate.latest().
const MENTION = new RegExp(`\\b(${MIGRATE_CALLS.join('|')}|migrationsRun|migrate\\s*\\.\\s*latest|Umzug|migrator|getMigrator)\\b|drizzle-orm\\/[\\w-]+\\/migrator`);

const DRIZZLE_MIGRATOR = /^drizzle-orm\/.+\/migrator$/;

/** Calls of drizzle's `migrate(db, { migrationsFolder })`, imported from drizzle-orm/<driver>/migrator. */
export function drizzleMigrateCalls(s: FileScan): Node[] {
  return callsNamed(s, ...localsOf(s, (src) => DRIZZLE_MIGRATOR.test(src))).filter((c) => {
    const name = (unwrap(child(c, 'callee'))?.name as string | undefined) ?? memberProp(child(c, 'callee'));
    return DRIZZLE_MIGRATOR.test((name && s.imports.get(name)?.source) || '');
  });
}

/** Files a package.json script runs by path (`tsx src/db/migrate.ts`): a migrate CLI of the project's, not its start. */
function scriptFiles(run: SourceRun): Set<string> {
  const out = new Set<string>();
  const unit = run.ctx.unit ? run.ctx.unit + '/' : '';
  for (const body of Object.values(run.hints.scripts))
    for (const m of body.matchAll(/(?:^|\s)(?:\.\/)?([\w@.-]+(?:\/[\w@.-]+)+\.[cm]?[jt]s)\b/g)) out.add(unit + m[1]!);
  return out;
}

/**
 * Whether the call runs when the service starts as far as the code shows: at module level, in a class method (a
 * framework calls Nest's onApplicationBootstrap), or in a named function something loaded calls. A function only a
 * migrate script calls (`export async function migrate() { await migrator.migrateToLatest() }`) does not.
 */
function runsOnLoad(call: Node, s: FileScan, loaded: readonly FileScan[], hook: string | null): boolean {
  let fn: Node | null = null;
  let name: string | null = null;
  walk(s.parsed.program, (n, parent) => {
    if (n.start > call.start || n.end < call.end) return false;
    if (isFunction(n)) {
      fn = n;
      // A class method's caller is the framework (null, like an anonymous function's).
      name = parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition' ? null : functionName(n, parent);
    }
    return;
  });
  if (!fn || name === null || name === hook) return true;
  const f = fn as Node;
  return loaded.some((x) => (x.callsByName.get(name!) ?? []).some((c) => x !== s || c.start < f.start || c.end > f.end));
}

/** Where the service itself applies its migrations at start, or null. */
export function startupMigration(run: SourceRun): Evidence | null {
  const unit = run.ctx.unit ? run.ctx.unit + '/' : '';
  // Next.js runs instrumentation's register() as its server starts; with no entry file of its own, nothing else is known to run.
  const entry = run.entry ?? [`${unit}instrumentation.ts`, `${unit}instrumentation.js`, `${unit}src/instrumentation.ts`, `${unit}src/instrumentation.js`].find((f) => run.index.has(f));
  if (!entry) return null;
  const loaded = loadedFrom(run, entry);
  // An entry that loads its code some other way (oclif's bin/run finds its commands by directory): any code of the
  // service's own, not its tooling or a file a script runs.
  const viaScripts = scriptFiles(run);
  // A file that names one of these is always parsed (light-scan's AST_NAMES): a cached token-level file is not read again.
  const fromEntry = loaded.size > 1 || !run.entry;
  const candidates = fromEntry
    ? run.astScans.filter((s) => loaded.has(s.file))
    : run.astScans.filter((s) => !viaScripts.has(s.file) && !TOOLING_DIR.test(s.file.startsWith(unit) ? s.file.slice(unit.length) : s.file) && !/(^|\/)scripts\//.test(s.file));
  // What the start loads, parsed (only once a file mentions a migration): where a function that migrates is called from.
  let parsedLoaded: FileScan[] | null = null;
  const inLoaded = (): FileScan[] =>
    (parsedLoaded ??= (fromEntry ? [...loaded] : candidates.map((c) => c.file)).map((f) => run.index.scan(f)).filter((x): x is FileScan => x !== null));
  // The file that also starts the server first (Flowise's index.ts before its worker command).
  const mentions = candidates.filter((c) => MENTION.test(c.parsed.text)).sort((a, b) => Number(b.parsed.text.includes('listen(')) - Number(a.parsed.text.includes('listen(')));
  for (const c of mentions) {
    const s = run.index.scan(c.file);
    if (!s) continue;
    // Next.js calls instrumentation's register() itself.
    const runs = (call: Node) => runsOnLoad(call, s, inLoaded(), run.entry ? null : 'register');
    for (const name of MIGRATE_CALLS) {
      const call = (s.callsByName.get(name) ?? []).find(runs);
      if (call) return nodeEvidence(s, call.start, 'migrate-at-start');
    }
    for (const call of s.callsByName.get('latest') ?? []) if (memberPath(child(call, 'callee'))?.at(-2) === 'migrate' && runs(call)) return nodeEvidence(s, call.start, 'migrate-at-start');
    const drizzle = drizzleMigrateCalls(s).find(runs);
    if (drizzle) return nodeEvidence(s, drizzle.start, 'migrate-at-start');
    // umzug: `const umzug = new Umzug({ migrations: … }); await umzug.up()` (flame's db/index.js).
    for (const call of s.callsByName.get('up') ?? []) {
      // MikroORM: `await this.orm.migrator.up()`, `orm.getMigrator().up()` (mikro-orm's realworld app, at module init).
      const object = unwrap(child(unwrap(child(call, 'callee'))!, 'object'));
      const viaMigrator = object?.type === 'MemberExpression' ? memberProp(object) === 'migrator' : object?.type === 'CallExpression' && memberProp(child(object, 'callee')) === 'getMigrator';
      if (viaMigrator && [...s.importSources].some((x) => x.startsWith('@mikro-orm/'))) {
        if (runs(call)) return nodeEvidence(s, call.start, 'migrate-at-start');
        continue;
      }
      const path = memberPath(child(call, 'callee'));
      const init = path?.length === 2 ? unwrap(findBinding(s, path[0]!, call.start)?.init ?? null) : null;
      if (init?.type === 'NewExpression' && unwrap(child(init, 'callee'))?.name === 'Umzug' && runs(call)) return nodeEvidence(s, call.start, 'migrate-at-start');
    }
    let option: Evidence | null = null;
    walk(s.parsed.program, (n) => {
      if (option) return false;
      // Also a setting that defaults to it (ohmyform's `migrationsRun: configService.get('DATABASE_MIGRATE', true)`).
      const value = unwrap(child(n, 'value'));
      if (n.type === 'Property' && propName(child(n, 'key')) === 'migrationsRun' && (value?.value === true || helperRead(value)?.def === 'true')) option = nodeEvidence(s, n.start, 'migrate-at-start');
      return;
    });
    if (option) return option;
  }
  return null;
}
