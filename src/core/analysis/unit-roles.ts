import type { Unit } from '../state/analysis-schema.js';
import type { PackageJson, RepoView } from './context.js';
import { startScriptName } from './commands.js';
import { SERVER_FRAMEWORKS } from './framework.js';
import { joinPath } from './source/modules.js';

const DEP_GROUPS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const;

/**
 * Workspace units as they use each other, beyond what each manifest says alone. maildev's packages/api lists fastify
 * but has no start of its own: packages/cli (`bin: maildev`, no framework) runs it. The root suggested the library and
 * called the service not deployable.
 *   - a package another unit depends on, with no start script and no Dockerfile of its own, is a library that unit runs:
 *     not deployable (etherpad's `src`, with a `prod` script, and dittofeed's `packages/api`, with a Dockerfile, stay);
 *   - a package with a `bin` and no server of its own that depends on such a server, which nothing else depends on, is
 *     the service, with its framework (not vendure's cli beside @vendure/core, which its plugins depend on too; nor, so,
 *     saltcorn-cli beside @saltcorn/server).
 */
export function unitRoles(repo: RepoView, units: readonly Unit[]): Unit[] {
  const pkgOf = new Map<string, PackageJson | null>();
  for (const u of units) {
    let pkg: PackageJson | null = null;
    try {
      const parsed: unknown = JSON.parse(repo.read(joinPath(u.path, 'package.json')) ?? 'null');
      pkg = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PackageJson) : null;
    } catch {
      pkg = null;
    }
    pkgOf.set(u.path, pkg);
  }
  const byName = new Map(units.filter((u) => u.name).map((u) => [u.name!, u]));
  const depsOf = (u: Unit) => {
    const pkg = pkgOf.get(u.path);
    const out: Unit[] = [];
    for (const g of DEP_GROUPS) for (const name of Object.keys((pkg?.[g] as object | undefined) ?? {})) if (byName.has(name) && byName.get(name) !== u) out.push(byName.get(name)!);
    return out;
  };
  const consumers = new Map<Unit, Unit[]>();
  for (const u of units) for (const d of depsOf(u)) consumers.set(d, [...(consumers.get(d) ?? []), u]);
  // A start of its own: "start" or a production one (etherpad's src: `"prod": "… node/server.ts"`, run by the root's prod).
  const hasStart = (u: Unit) => startScriptName((pkgOf.get(u.path)?.scripts ?? {}) as Record<string, unknown>) !== null;
  // Nor one with a Dockerfile of its own (dittofeed's packages/api, which packages/lite also bundles).
  const ownImage = (u: Unit) => repo.files.includes(joinPath(u.path, 'Dockerfile'));
  const runByAnother = (u: Unit) => u.kind === 'server' && !hasStart(u) && !ownImage(u) && (consumers.get(u)?.length ?? 0) > 0;
  return units.map((u) => {
    if (runByAnother(u)) return { ...u, kind: 'not-deployable' };
    const bin = pkgOf.get(u.path)?.bin;
    if (u.kind === 'not-deployable' && bin && (typeof bin === 'string' || Object.keys(bin).length > 0)) {
      // The server it runs: listed as a server, or already a library by its manifest (no start, built main), and run by
      // this package alone. A framework's core that plugins and tools depend on (vendure's @vendure/core beside its cli
      // and create) is no program's own server.
      const server = depsOf(u).find((d) => (runByAnother(d) || (d.kind === 'not-deployable' && SERVER_FRAMEWORKS.has(d.framework))) && consumers.get(d)?.length === 1);
      if (server) return { ...u, kind: 'server', framework: server.framework };
    }
    return u;
  });
}
