import type { ScoreContext } from '../context.js';
import { RowBuilder } from '../row-builder.js';
import type { ScorecardRow } from '../schema.js';
import { CHECK_PATTERNS } from '../truth-map.js';
import { RUN } from './fixes.js';

/** Findings the Process model row owns although the analyzer files them under build-and-image. */
export const PROCESS_FINDINGS = ['start-script', 'start-foreground', 'reads-port', 'bind-all-interfaces', 'plain-http', 'graceful-shutdown'] as const;

/** Section 1: the image builds from a clean checkout and is deployable (linux/amd64, unique tag, digest). */
export function buildRow(ctx: ScoreContext): ScorecardRow {
  const b = new RowBuilder('Build and image');
  const { a } = ctx;
  const ids = [...new Set(a.findings.filter((f) => f.section === 'build-and-image' && !(PROCESS_FINDINGS as readonly string[]).includes(f.id)).map((f) => f.id))];
  b.findings(a, ids);
  b.checks(ctx.rehearsal, 'rehearsal', CHECK_PATTERNS['Build and image']!, 'Make install and build succeed from a clean checkout');

  const build = b.need(ctx.inputs.build, 'build-result', '.sealos/build/build-result.json', RUN.build);
  if (!build) return b.done();
  if (build.outcome === 'failed') {
    b.block('build-result', 'outcome', `the last build failed: ${build.error ?? 'no error recorded'}`, 'Fix the build error and run `sealos-deploy build` again');
    return b.done();
  }
  b.add('build-result', 'platform', 'pass', `${build.image} targets ${build.platform}`);
  const tag = build.image.slice(build.image.lastIndexOf('/')).split('@')[0]!.split(':')[1] ?? null;
  if (tag === null || tag === 'latest') b.block('build-result', 'image', `${build.image} has no unique tag`, 'Tag the image uniquely (never latest) and build again');
  else b.add('build-result', 'image', 'pass', `unique tag ${tag}`);
  if (build.digest) b.add('build-result', 'digest', 'pass', `registry digest ${build.digest}`);
  else if (build.source === 'built' && !build.pushed) b.block('build-result', 'pushed', 'the image was built but not pushed, so the cluster cannot pull it', 'Push the image: run `sealos-deploy build` with a registry login');
  else b.add('build-result', 'digest', 'warn', 'no registry digest recorded, so the exact image content is not pinned');
  const commit = a.project.git?.commit ?? null;
  if (build.git_commit && commit && build.git_commit !== commit) {
    b.add('build-result', 'git_commit', 'warn', `image built from ${build.git_commit.slice(0, 12)}, checkout is at ${commit.slice(0, 12)}: rebuild to ship the current code`);
  }
  if (build.git_dirty) b.add('build-result', 'git_dirty', 'warn', 'image built from a checkout with uncommitted changes');
  for (const w of build.accepted_warnings) b.add('build-result', 'accepted_warnings', 'warn', `accepted when reusing the image: ${w}`);
  b.checks(ctx.truth, 'runtime-truth', CHECK_PATTERNS['Build and image']!, 'Fix the image the cluster runs');
  return b.done();
}
