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
