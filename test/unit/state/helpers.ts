import { sealReport, type RuntimeTruthReport, type TruthIdentity, type UnsealedReport } from '../../../src/core/state/runtime-truth-schema.js';
import type { Clock } from '../../../src/core/ports.js';

/** A state as the Sealos plugin (main, v1.0) writes it, with every plugin history action. */
export function pluginV1State(): Record<string, unknown> {
  return {
    version: '1.0',
    last_deploy: {
      app_name: 'evershop-uvbp0n0n',
      app_host: 'evershop-4ha6b4mh',
      namespace: 'ns-qiqovyrm',
      region: 'usw-1.sealos.io',
      image: 'ghcr.io/acme/evershop:20260801-b2',
      docker_hub_user: null,
      repo_name: 'evershop',
      url: 'https://evershop-4ha6b4mh.usw-1.sealos.app',
      deployed_at: '2026-07-30T10:00:00Z',
      last_updated_at: '2026-08-01T09:30:00+08:00',
    },
    history: [
      { at: '2026-07-30T10:00:00Z', action: 'deploy', image: 'ghcr.io/acme/evershop:20260730-a1', method: 'template-api', status: 'success' },
      { at: '2026-07-31T08:00:00Z', action: 'set-env', changes: ['LOG_LEVEL=info'], method: 'kubectl-set-env', status: 'success' },
      { at: '2026-07-31T09:00:00Z', action: 'patch', changes: ['resources.limits.memory=1Gi'], method: 'kubectl-patch', status: 'success', note: 'more memory' },
      { at: '2026-07-31T09:10:00Z', action: 'restart', method: 'kubectl-rollout-restart', status: 'success' },
      {
        at: '2026-08-01T01:00:00Z',
        action: 'set-image',
        previous_image: 'ghcr.io/acme/evershop:20260730-a1',
        image: 'ghcr.io/acme/evershop:20260801-bad',
        method: 'kubectl-set-image',
        status: 'failed',
        note: 'rollout timed out; kubectl rollout undo',
      },
      {
        at: '2026-08-01T01:30:00Z',
        action: 'set-image',
        previous_image: 'ghcr.io/acme/evershop:20260730-a1',
        image: 'ghcr.io/acme/evershop:20260801-b2',
        method: 'kubectl-set-image',
        status: 'success',
      },
    ],
    runtime_truth: {
      status: 'verified',
      captured_at: '2026-08-01T01:35:00Z',
      identity: {
        app_name: 'evershop-uvbp0n0n',
        namespace: 'ns-qiqovyrm',
        image: 'ghcr.io/acme/evershop:20260801-b2',
        url: 'https://evershop-4ha6b4mh.usw-1.sealos.app',
      },
      evidence_paths: ['.sealos/runtime-truth.json'],
      redaction_status: 'complete',
      stability_window_seconds: 75,
      checks: ['network', 'app-url', 'auth', 'logs', 'events', 'footprint'],
    },
    provenance: {
      source: 'sealos-deploy/runtime-truth',
      owner: 'sealos-deploy',
      artifact_paths: ['.sealos/runtime-truth.json'],
      redaction_status: 'complete',
    },
  };
}

/** The plugin's v2.0.0 branch variant: no url, per-service records, no runtime_truth/provenance. */
export function pluginV2State(): Record<string, unknown> {
  return {
    version: '1.0',
    last_deploy: {
      app_name: 'shop-abcdefgh',
      app_host: 'shop-qwertyui',
      namespace: 'ns-abc12345',
      region: 'hzh.sealos.run',
      image: 'ghcr.io/acme/shop:v2',
      docker_hub_user: null,
      repo_name: 'shop',
      deployed_at: '2026-08-10T00:00:00Z',
      last_updated_at: '2026-08-11T00:00:00Z',
      services: {
        web: { workload: 'deployment/shop-abcdefgh', container: 'shop-abcdefgh', image: 'ghcr.io/acme/shop:v2' },
        worker: { workload: 'statefulset/shop-worker', image: 'ghcr.io/acme/shop-worker:v1' },
      },
    },
    history: [
      { at: '2026-08-10T00:00:00Z', action: 'deploy', image: 'ghcr.io/acme/shop:v1', method: 'template-api', status: 'success' },
      { at: '2026-08-11T00:00:00Z', action: 'set-image', previous_image: 'ghcr.io/acme/shop:v1', image: 'ghcr.io/acme/shop:v2', method: 'kubectl-set-image', status: 'success' },
    ],
  };
}

/** A real, sealed cluster Truth Pass report about `identity`. */
export function truthFor(identity: TruthIdentity, over: Partial<UnsealedReport> = {}): RuntimeTruthReport {
  return sealReport({
    schema_version: 1,
    tool: { name: 'sealos-deploy', version: '0.1.0' },
    target: 'cluster',
    verdict: 'accepted',
    verdict_reason: 'all required checks passed',
    blocking: [],
    identity,
    started_at: '2026-09-01T10:00:00Z',
    finished_at: '2026-09-01T10:01:30Z',
    duration_ms: 90_000,
    budget_ms: 300_000,
    stability_window_seconds: 60,
    checks: [
      { id: 'url', status: 'pass', required: true, summary: 'ok', evidence: {}, duration_ms: 10, skip_reason: null },
      { id: 'rollout', status: 'pass', required: true, summary: 'ok', evidence: {}, duration_ms: 10, skip_reason: null },
    ],
    ...over,
  });
}

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return {
    now: () => new Date(t),
    sleep: async () => {},
    set(next: string) {
      t = new Date(next);
    },
  };
}
