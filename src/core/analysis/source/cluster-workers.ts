import { evidence, lineOf, type Evidence } from '../../evidence.js';
import { PM2_ECOSYSTEM } from '../commands.js';
import type { Finding } from '../../state/analysis-schema.js';
import { calleeLast, calleeRoot } from './ast.js';
import { callsNamed, localsOf } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

const CLUSTER = (src: string) => src === 'cluster' || src === 'node:cluster';

/**
 * `for (let i = 0; i < os.cpus().length; i++) cluster.fork()`: inside a container `os.cpus()` (and
 * `availableParallelism()`) report the node's CPUs, not the pod's limit, so a 0.5-CPU pod with 512 MiB forks
 * one worker per host core and is OOM-killed. Replicas are the platform's way to use more CPUs.
 */
export function clusterWorkerFindings(run: SourceRun): Finding[] {
  const pm2 = pm2PerCpu(run);
  if (pm2) return [pm2];
  for (const s of run.astScans) {
    const clusters = localsOf(s, CLUSTER);
    if (clusters.length === 0) continue;
    const forks = callsNamed(s, 'fork').filter((c) => clusters.includes(calleeRoot(c) ?? ''));
    if (forks.length === 0) continue;
    const perCpu = [...callsNamed(s, 'cpus'), ...callsNamed(s, 'availableParallelism')].filter((c) => calleeLast(c) === 'cpus' || calleeLast(c) === 'availableParallelism');
    if (perCpu.length === 0) {
      return [finding('cluster-workers', 'scaling', 'pass', `Forks a fixed number of cluster workers (${s.file}).`, null, [nodeEvidence(s, forks[0]!.start, 'cluster-fork')])];
    }
    return [
      finding(
        'cluster-workers',
        'scaling',
        'warn',
        `Forks one cluster worker per CPU the machine reports (${s.file}): in a container that is the node's CPU count, not the pod's limit, so a 0.5-CPU pod with 512 MiB can fork dozens of workers and be OOM-killed.`,
        'Fork a number read from the environment (e.g. WEB_CONCURRENCY, default 1) and scale with replicas; or run one process per pod.',
        [nodeEvidence(s, perCpu[0]!.start, 'cluster-per-cpu'), nodeEvidence(s, forks[0]!.start, 'cluster-fork')],
      ),
    ];
  }
  return [];
}

/** pm2 in cluster mode with an instance per CPU (`pm2-runtime start app.js -i max`, `instances: "max"` in its ecosystem file): the same trap. */
function pm2PerCpu(run: SourceRun): Finding | null {
  const start = run.hints.startCommand ?? '';
  if (!/(^|\s)pm2(-runtime)?\s/.test(start)) return null;
  const PER_CPU = /^(max|0|-1)$/;
  const words = start.split(/\s+/);
  const i = words.findIndex((w) => w === '-i' || w === '--instances');
  const flag = i >= 0 ? words[i + 1] : words.find((w) => w.startsWith('--instances='))?.slice('--instances='.length);
  let where: Evidence | null = flag && PER_CPU.test(flag) ? evidence(run.ctx.pkgFile ?? run.ctx.unitPath('package.json'), 1, 'pm2-instances', start) : null;
  const eco = words.find((w) => PM2_ECOSYSTEM.test(w));
  if (!where && eco) {
    const file = run.ctx.unitPath(eco.replace(/^\.\//, ''));
    const text = run.ctx.repo.read(file) ?? '';
    const m = /["']?instances["']?\s*:\s*["']?(max|0|-1)["']?\s*[,}\n]/.exec(text);
    if (m) where = evidence(file, lineOf(text, m.index), 'pm2-instances', m[0].trim());
  }
  if (!where) return null;
  return finding(
    'cluster-workers',
    'scaling',
    'warn',
    "pm2 starts one instance per CPU the machine reports: in a container that is the node's CPU count, not the pod's limit, so a 0.5-CPU pod with 512 MiB can start dozens of processes and be OOM-killed.",
    'Run one process per pod (the generated Dockerfile runs node directly) and scale with replicas; or give pm2 a fixed `instances` from the environment.',
    [where],
  );
}
