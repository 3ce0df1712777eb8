import type { AnalysisContext } from './context.js';

/**
 * Another language's project beside a package.json that only holds its front-end tooling (a Rails app's
 * jsbundling, a Django app's webpack): not a Node.js service, however its package.json reads.
 * Checked in the order a mixed repository is most often described by.
 */
const RUNTIMES: Array<{ name: string; any: string[]; detail?: Array<[string, string]> }> = [
  { name: 'Ruby', any: ['Gemfile'], detail: [['config/application.rb', 'Ruby on Rails'], ['config.ru', 'Rack']] },
  { name: 'Python', any: ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py'], detail: [['manage.py', 'Django']] },
  { name: 'PHP', any: ['composer.json'], detail: [['artisan', 'Laravel']] },
  { name: 'Go', any: ['go.mod'] },
  { name: 'Rust', any: ['Cargo.toml'] },
  { name: 'Java', any: ['pom.xml', 'build.gradle', 'build.gradle.kts'] },
  { name: 'Elixir', any: ['mix.exs'] },
];

/** The other runtime of the unit's directory, with the files that say so; null for a Node.js project. */
export function otherRuntime(ctx: AnalysisContext): { name: string; files: string[] } | null {
  const has = (f: string) => ctx.repo.files.includes(ctx.unitPath(f));
  for (const r of RUNTIMES) {
    const marker = r.any.find(has);
    if (!marker) continue;
    const detail = r.detail?.find(([f]) => has(f));
    return { name: detail ? detail[1] : r.name, files: detail ? [marker, detail[0]] : [marker] };
  }
  // A project file directly in the unit's directory.
  const rel = (f: string) => f.slice(ctx.unit ? ctx.unit.length + 1 : 0);
  const dotnet = ctx.unitFiles.map(rel).find((f) => /\.(csproj|fsproj|sln)$/.test(f) && !f.includes('/'));
  return dotnet ? { name: '.NET', files: [dotnet] } : null;
}

/** A Meteor app: `meteor build` makes the Node bundle that runs; the package.json alone does not start it. */
export function meteorRelease(ctx: AnalysisContext): string | null {
  const path = ctx.unitPath('.meteor/release');
  if (!ctx.repo.files.includes(path)) return null;
  return ctx.repo.read(path)?.trim().split('\n')[0] ?? 'METEOR';
}
