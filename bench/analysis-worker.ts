// One measured job in a fresh process, so peak RSS belongs to that job alone. Prints one JSON line.
// bench/analysis.ts runs it bundled like the shipped CLI; the scan cache lives where
// SEALOS_DEPLOY_CACHE_DIR points (an empty directory for a first analysis).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRepo } from '../src/core/analysis/index.js';
import { openRepoView } from '../src/system/repo-view.js';
import { execaRunner } from '../src/system/runner.js';

const [mode, dir, unit] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: analysis-worker <analyze|floor> <dir> [unit]');
const started = performance.now();
let files = 0;
let detail: Record<string, unknown> = {};
if (mode === 'floor') {
  // The floor: list what git tracks and read every file once. Analysis cannot be faster than this
  // unless it knows, from an earlier analysis, what unchanged files hold.
  const r = await execaRunner.run('git', ['ls-files', '-z'], { cwd: dir });
  for (const f of r.stdout.split('\0').filter(Boolean)) {
    readFileSync(join(dir, f));
    files++;
  }
} else {
  const view = await openRepoView(dir, execaRunner);
  const a = analyzeRepo(view, unit ? { path: unit } : {});
  // As `sealos-deploy analyze` does: keep what was learned for the next analysis.
  view.scanCache?.save();
  files = view.files.length;
  detail = { port: a.port.value, framework: a.framework.name, env_vars: a.env_vars.length, files_read: a.stats.files_read, files_cached: a.stats.files_cached ?? 0 };
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, files, ms, peak_rss_mb: process.resourceUsage().maxRSS / 1024, ...detail }) + '\n');
