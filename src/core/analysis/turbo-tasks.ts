import { evidence, lineMatching, type Evidence } from '../evidence.js';
import type { AnalysisContext } from './context.js';
import { parseJsonc } from './source/modules.js';

const CHECKS = /^(lint|typecheck|type-check|types|check|test|format|prettier)(:|$)/;

type TurboJson = { tasks?: Record<string, { dependsOn?: unknown }>; pipeline?: Record<string, { dependsOn?: unknown }> };

/**
 * Scripts of the unit itself that turbo runs before its build (nodejs.org's apps/site/turbo.json: `"build": {
 * "dependsOn": ["build:blog-data", …] }`, which writes the public/blog-data.json `next build` imports). A filtered
 * `run build` runs none of them: the image runs them first, in order. Another package's (`^build`, `pkg#task`) are not
 * these: the workspace build builds dependencies itself.
 */
export function turboBuildFirst(ctx: AnalysisContext): { scripts: string[]; evidence: Evidence[] } {
  const scripts = (ctx.pkg?.scripts ?? {}) as Record<string, unknown>;
  const name = typeof ctx.pkg?.name === 'string' ? ctx.pkg.name : null;
  // The unit's own turbo.json overrides the root's task; the root may name the task for this package (`web#build`).
  for (const [file, keys] of [[ctx.unitPath('turbo.json'), ['build']], ['turbo.json', [...(name ? [`${name}#build`] : []), 'build']]] as const) {
    if (!ctx.repo.files.includes(file)) continue;
    const text = ctx.repo.read(file) ?? '';
    const json = parseJsonc(text) as TurboJson | null;
    const tasks = json?.tasks ?? json?.pipeline;
    const key = keys.find((k) => tasks?.[k]);
    const deps = key ? tasks?.[key]?.dependsOn : undefined;
    if (!Array.isArray(deps)) continue;
    const own = deps
      .filter((d): d is string => typeof d === 'string')
      .map((d) => (name && d.startsWith(`${name}#`) ? d.slice(name.length + 1) : d))
      // Checks write nothing the build needs (novel's `typecheck`): an image build need not repeat them.
      .filter((d) => !d.startsWith('^') && !d.includes('#') && d !== 'build' && !CHECKS.test(d) && typeof scripts[d] === 'string');
    if (own.length) return { scripts: own, evidence: [evidence(file, lineMatching(text, /"dependsOn"/), 'turbo-depends-on', own.join(', '))] };
    return { scripts: [], evidence: [] };
  }
  return { scripts: [], evidence: [] };
}
