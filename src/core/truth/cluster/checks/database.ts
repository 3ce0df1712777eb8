import type { CheckOutcome, TruthCheck } from '../../runner.js';
import { noAnswer, probe, type ClusterTruthData, type LiveFacts } from '../context.js';
import type { LiveObject } from '../ports.js';

interface ClusterObject extends LiveObject {
  status?: { phase?: string; components?: Record<string, { phase?: string; message?: unknown }> };
}

/** Engines KubeBlocks runs for Sealos; sqlite lives in the app's volume and has no cluster. */
export const CLUSTER_ENGINES = new Set(['postgres', 'mysql', 'mongodb', 'redis']);

const MIGRATE = 'migrate';

type Part = { status: 'pass' | 'warn' | 'fail'; text: string };

/**
 * The database the analysis found is live: its KubeBlocks Cluster is Running, the app answers a
 * database-backed path (the given read/write path, or a health route that queries the database),
 * and the migration init container finished successfully in every pod.
 */
export function databaseCheck(required: boolean): TruthCheck<ClusterTruthData> {
  return {
    id: 'database',
    required,
    dependsOn: ['identity'],
    after: ['health'],
    async run({ data, signal, result }): Promise<CheckOutcome> {
      const db = data.analysis?.database;
      if (!db?.engine) return { status: 'skip', summary: 'the analysis found no database', skipReason: 'the app uses no database' };
      const live = data.live as LiveFacts;
      const parts: Part[] = [];
      const evidence: Record<string, unknown> = { engine: db.engine, orm: db.orm };

      // 1. The cluster.
      const names = live.dbClusters.length ? live.dbClusters : db.engine === 'postgres' ? [`${data.appName}-pg`] : [];
      const clusters: Array<Record<string, unknown>> = [];
      for (const name of names) {
        const c = (await data.res.get('apps.kubeblocks.io/v1alpha1', 'Cluster', name).catch((err: Error) => {
          clusters.push({ name, error: err.message });
          return undefined;
        })) as ClusterObject | null | undefined;
        if (c === undefined) {
          parts.push({ status: 'fail', text: `cannot read KubeBlocks cluster ${name}` });
          continue;
        }
        if (c === null) {
          clusters.push({ name, phase: null });
          parts.push(live.dbClusters.includes(name) ? { status: 'fail', text: `KubeBlocks cluster ${name} does not exist` } : { status: 'warn', text: `no KubeBlocks cluster ${name}: the database is external, only the app's answers prove it` });
          continue;
        }
        const phase = c.status?.phase ?? null;
        clusters.push({ name, phase, components: Object.fromEntries(Object.entries(c.status?.components ?? {}).map(([k, v]) => [k, v.phase ?? null])) });
        parts.push(phase === 'Running' ? { status: 'pass', text: `cluster ${name} Running` } : { status: 'fail', text: `KubeBlocks cluster ${name} is ${phase ?? 'without a phase'}, not Running` });
      }
      if (names.length === 0 && CLUSTER_ENGINES.has(db.engine)) parts.push({ status: 'warn', text: `no KubeBlocks cluster is referenced: the ${db.engine} database is external` });
      evidence.clusters = clusters;

      // 2. A database-backed answer.
      const healthRoute = data.analysis?.health.routes.find((r) => r.path === data.healthPath);
      if (data.readWritePath && live.url) {
        try {
          const { res, evidence: ev } = await probe(data, 'database', data.readWritePath, signal);
          evidence.read_write = ev;
          parts.push(res.status >= 200 && res.status < 300 ? { status: 'pass', text: `GET ${data.readWritePath} answered ${res.status}` } : { status: 'fail', text: `the database-backed path ${data.readWritePath} answered ${res.status}` });
        } catch (err) {
          if (signal.aborted) throw err;
          evidence.read_write = noAnswer(err);
          parts.push({ status: 'fail', text: `the database-backed path ${data.readWritePath} got no answer` });
        }
      } else if (healthRoute?.slow) {
        const h = result('health');
        evidence.db_backed_health = { path: healthRoute.path, status: h?.status ?? null };
        parts.push(h && (h.status === 'pass' || h.status === 'warn') ? { status: 'pass', text: `health ${healthRoute.path} (queries the database) answered` } : { status: 'fail', text: `health ${healthRoute.path}, which queries the database, did not pass` });
      } else {
        parts.push({ status: 'warn', text: 'no database-backed path was checked: pass --read-write-path <path that reads the database>' });
      }

      // 3. Migrations.
      const atStart = data.analysis?.migrations.at_start;
      if (db.engine !== 'redis' && atStart) {
        // The service migrates as it starts: a pod that became ready got past them.
        const ready = live.pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
        evidence.migrations = { tool: data.analysis!.migrations.tool, at_start: `${atStart.file}:${atStart.line}`, ready_pods: ready };
        parts.push(
          ready > 0
            ? { status: 'pass', text: `the service applies its migrations at start (${atStart.file}:${atStart.line}); ${ready} pod(s) started and are ready` }
            : { status: 'fail', text: `the service applies its migrations at start (${atStart.file}:${atStart.line}) and no pod became ready: read the pod logs for the migration error` },
        );
      } else if (db.engine !== 'redis' && (data.analysis?.migrations.tool || data.analysis?.migrations.command)) {
        const declared = (live.workload.spec?.template?.spec?.initContainers ?? []).some((c) => c.name === MIGRATE);
        const runs = live.pods.map((p) => {
          const st = p.status?.initContainerStatuses?.find((s) => s.name === MIGRATE);
          const t = st?.state?.terminated ?? st?.lastState?.terminated;
          return { pod: p.metadata.name, exit_code: st?.state?.terminated?.exitCode ?? null, reason: t?.reason ?? st?.state?.waiting?.reason ?? null };
        });
        evidence.migrations = { tool: data.analysis.migrations.tool, command: data.analysis.migrations.command, init_container: declared, pods: runs };
        if (!declared) parts.push({ status: 'warn', text: `migrations (${data.analysis.migrations.tool ?? 'script'}) are not run by a "${MIGRATE}" init container; applying them could not be verified` });
        else if (runs.every((r) => r.exit_code === 0)) parts.push({ status: 'pass', text: `migrations applied in ${runs.length} pod(s)` });
        else parts.push({ status: 'fail', text: `the migration init container did not succeed in ${runs.filter((r) => r.exit_code !== 0).map((r) => `${r.pod} (${r.reason ?? 'not finished'})`).join(', ')}` });
      }

      const worst = parts.find((p) => p.status === 'fail') ? 'fail' : parts.find((p) => p.status === 'warn') ? 'warn' : 'pass';
      const shown = worst === 'pass' ? parts : parts.filter((p) => p.status === worst);
      return { status: worst, summary: shown.map((p) => p.text).join('; '), evidence };
    },
  };
}
