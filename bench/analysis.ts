// Benchmark: analysis of a generated 20,000-file service and a 20-package monorepo of the same size.
// Targets (issue #2): under 2 s and under 300 MB, and within 2x of the floor (git ls-files + reading every file).
// Measured as it ships: the worker is bundled and minified like dist/cli.js. Each case is measured as a
// first analysis (empty scan cache: every file read and scanned, the cache written) and as a repeated
// one (the cache from an earlier analysis of the same commit).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { commonBuildOptions, ESM_REQUIRE_BANNER } from '../scripts/build-options.mjs';
import { execaRunner } from '../src/system/runner.js';
import { generateMonorepo, generateService } from './gen-service.js';

interface Sample { mode: string; files: number; ms: number; peak_rss_mb: number; port?: number | null; env_vars?: number; files_read?: number; files_cached?: number }

/** The worker bundled next to node_modules, so its external packages resolve as dist's do. */
async function bundleWorker(): Promise<string> {
  const outdir = resolve('node_modules/.cache/sealos-deploy-bench');
  mkdirSync(outdir, { recursive: true });
  await build({ ...commonBuildOptions(outdir), sourcemap: false, entryPoints: { 'analysis-worker': join(import.meta.dirname, 'analysis-worker.ts') }, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: ESM_REQUIRE_BANNER } });
  return join(outdir, 'analysis-worker.mjs');
}

async function measure(worker: string, args: string[], cacheDir: string): Promise<Sample> {
  const r = await execaRunner.run(process.execPath, [worker, ...args], { env: { ...process.env, SEALOS_DEPLOY_CACHE_DIR: cacheDir } });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Sample;
}

const fastest = (runs: Sample[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

export async function benchAnalysis(): Promise<{ ok: boolean; lines: string[] }> {
  const root = mkdtempSync(join(tmpdir(), 'bench-analysis-'));
  const lines: string[] = [];
  let ok = true;
  try {
    const worker = await bundleWorker();
    const svc = join(root, 'service');
    const mono = join(root, 'mono');
    await generateService(svc, 20_000);
    await generateMonorepo(mono, 20, 20_000);
    let n = 0;
    for (const [label, dir, unit] of [['service (20,000 files)', svc, undefined], ['monorepo (20 packages, unit packages/svc-7)', mono, 'packages/svc-7'], ['monorepo root', mono, undefined]] as const) {
      const args = ['analyze', dir, ...(unit ? [unit] : [])];
      // Best of 3 (the machine is shared: the minimum is the least disturbed run), each first
      // analysis in an empty cache; each repeated one after a first in its own cache.
      const first: Sample[] = [];
      const again: Sample[] = [];
      for (let i = 0; i < 3; i++) {
        const cache = join(root, `cache-${n++}`);
        first.push(await measure(worker, args, cache));
        again.push(await measure(worker, args, cache));
      }
      const floorRuns: Sample[] = [];
      for (let i = 0; i < 3; i++) floorRuns.push(await measure(worker, ['floor', dir], join(root, 'unused')));
      const floor = fastest(floorRuns);
      for (const [kind, a] of [['first analysis', fastest(first)], ['repeated', fastest(again)]] as const) {
        const ratio = a.ms / floor.ms;
        const pass = a.ms < 2000 && a.peak_rss_mb < 300 && ratio <= 2;
        ok &&= pass;
        lines.push(
          `analysis ${label}, ${kind}: ${a.ms.toFixed(0)} ms, ${Math.round(a.files / (a.ms / 1000))} files/s, peak RSS ${a.peak_rss_mb.toFixed(0)} MB (port ${a.port ?? 'none'}, ${a.env_vars ?? 0} env vars; read ${a.files_read ?? 0} files, ${a.files_cached ?? 0} from the scan cache); floor ${floor.ms.toFixed(0)} ms (${ratio.toFixed(2)}x) ${pass ? 'PASS' : 'FAIL'} (target < 2000 ms, < 300 MB, <= 2x floor)`,
        );
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { ok, lines };
}
