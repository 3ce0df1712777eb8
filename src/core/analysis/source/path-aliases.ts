import type { Finding } from '../../state/analysis-schema.js';
import { evidence, lineOf } from '../../evidence.js';
import { finding, type SourceRun } from './types.js';

/** Builds that rewrite or bundle away path aliases, and start commands that resolve them at run time. */
const REWRITES = /\b(tsup|esbuild|webpack|rollup|vite|ncc|swc|parcel|rspack|tsc-alias|tspc|ts-patch|tscpaths|nest\s+build|next|nuxt|astro|remix|react-router|bun\s+build)\b/;
const RESOLVES_AT_RUN = /tsconfig-paths|module-alias|--import\s+tsx|\btsx\b|ts-node|@swc-node|\bbun\b/;

/**
 * `import { db } from '@/lib/db'` compiled by plain `tsc`: tsc leaves the alias in the JavaScript it emits, and Node
 * cannot resolve it, so the built service crashes at start (`Cannot find module '@/lib/db'`).
 */
export function pathAliasFindings(run: SourceRun): Finding[] {
  const { ctx, hints } = run;
  const build = hints.scripts.build ?? '';
  if (!/\btsc\b/.test(build) || REWRITES.test(build)) return [];
  const start = hints.startCommand ?? '';
  if (RESOLVES_AT_RUN.test(start) || '_moduleAliases' in (ctx.pkg ?? {}) || ctx.hasDep('module-alias')) return [];
  // Only a start that runs compiled output: a TypeScript runner resolves aliases itself.
  if (!/\b(dist|build|out|lib)\//.test(start) && !/\b(dist|build|out|lib)\//.test(hints.entrypoint ?? '')) return [];
  for (const s of run.scans) {
    if (ctx.unit && !s.file.startsWith(ctx.unit + '/')) continue;
    for (const spec of s.importSources) {
      if (!run.index.isAliased(s.file, spec)) continue;
      const text = s.parsed.text ?? ctx.repo.read(s.file) ?? '';
      const at = Math.max(0, text.indexOf(spec));
      return [
        finding(
          'path-aliases',
          'build-and-image',
          'fail',
          `The code imports through a tsconfig path alias (\`${spec}\` in ${s.file}), but the build is plain \`tsc\`, which leaves the alias in the JavaScript it emits: Node cannot resolve it and the service crashes at start (Cannot find module '${spec}').`,
          'Rewrite the aliases when building ("build": "tsc && tsc-alias"), bundle (tsup, esbuild), or resolve them at run time (node -r tsconfig-paths/register, with tsconfig-paths as a dependency).',
          [evidence(s.file, lineOf(text, at), 'tsconfig-path-alias', spec)],
        ),
      ];
    }
  }
  return [];
}
