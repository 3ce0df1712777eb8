import { describe, expect, it } from 'vitest';
import { currentRevisionPods } from '../../../src/cluster/rollout.js';
import type { KubeObject, PodView, WorkloadView } from '../../../src/core/kube-types.js';
import type { Resources } from '../../../src/cluster/resources.js';

const pod = (name: string, labels: Record<string, string>): PodView => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels } });
const rs = (name: string, revision: string, hash: string, owner = 'api'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, labels: { app: 'api', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ kind: 'Deployment', name: owner, uid: 'u' }] },
});
const deployment = (revision: string): WorkloadView => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', annotations: { 'deployment.kubernetes.io/revision': revision } } });
const resWith = (sets: KubeObject[] | Error): Resources => ({ list: async () => (sets instanceof Error ? Promise.reject(sets) : sets) }) as unknown as Resources;

const oldCrashing = pod('api-aaa-1', { app: 'api', 'pod-template-hash': 'aaa' });
const newStarting = pod('api-bbb-1', { app: 'api', 'pod-template-hash': 'bbb' });

describe('currentRevisionPods: the rollout judges only the revision it is rolling out', () => {
  it('keeps the pods of the ReplicaSet that carries the Deployment revision, not the ones it replaces', async () => {
    const sets = [rs('api-aaa', '1', 'aaa'), rs('api-bbb', '2', 'bbb'), rs('other-ccc', '2', 'ccc', 'other')];
    expect(await currentRevisionPods(resWith(sets), 'Deployment', deployment('2'), 'app=api', [oldCrashing, newStarting])).toEqual([newStarting]);
  });

  it('falls back to every pod when the revision cannot be told (ReplicaSets not listable, no revision yet)', async () => {
    expect(await currentRevisionPods(resWith(new Error('403 forbidden')), 'Deployment', deployment('2'), 'app=api', [oldCrashing, newStarting])).toEqual([oldCrashing, newStarting]);
    expect(await currentRevisionPods(resWith([]), 'Deployment', deployment('2'), 'app=api', [oldCrashing, newStarting])).toEqual([oldCrashing, newStarting]);
    const noRevision: WorkloadView = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } };
    expect(await currentRevisionPods(resWith([]), 'Deployment', noRevision, 'app=api', [oldCrashing])).toEqual([oldCrashing]);
  });

  it('uses the update revision of a StatefulSet', async () => {
    const sts: WorkloadView = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'api' }, status: { updateRevision: 'api-2' } };
    const a = pod('api-0', { 'controller-revision-hash': 'api-1' });
    const b = pod('api-1', { 'controller-revision-hash': 'api-2' });
    expect(await currentRevisionPods(resWith([]), 'StatefulSet', sts, 'app=api', [a, b])).toEqual([b]);
  });
});
