import { bindPod, Pod, type ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { podFromTemplate } from '../shared/index';
import { addReadyNode, setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import {
  createWebDeployment,
  replicaSetAtRevision,
  replicaSetsOf,
  reportReplicaSet,
  setImage,
} from './replicaSetStandIn';
import { oldPodsRunning } from './rolloutRecreate';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** What the ReplicaSet controller and a kubelet would do for `rs`: `count` running, ready pods on node-1. */
async function runPods(store: Store, rs: ReplicaSet, count: number): Promise<Pod[]> {
  const pods: Pod[] = [];
  for (let i = 0; i < count; i++) {
    const manifest = podFromTemplate(rs.spec.template, rs, { name: `${rs.metadata.name}-${i}` });
    const pod = await store.create(Pod, manifest);
    await bindPod(store, pod, 'node-1');
    await setPodStatus(store, pod, { ready: true });
    pods.push(pod);
  }
  await reportReplicaSet(store, rs, { replicas: count });
  return pods;
}

describe('Recreate', () => {
  it('scales the old ReplicaSet to 0, waits until its pods are gone, then scales the new one up', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await addReadyNode(store, 'node-1');
    await createWebDeployment(store, { replicas: 2, strategy: { type: 'Recreate' } });
    await advance();
    const v1 = await replicaSetAtRevision(store, 1);
    expect(v1.spec.replicas).toBe(2);
    const pods = await runPods(store, v1, 2);
    await advance(1000);

    await setImage(store, 'nginx:1.26');
    await advance();
    // Old first: v1 goes to 0 and no new ReplicaSet exists yet.
    expect((await replicaSetsOf(store)).map((rs) => [rs.metadata.name, rs.spec.replicas])).toEqual([
      [v1.metadata.name, 0],
    ]);

    // The ReplicaSet controller deletes the pods; bound pods terminate gracefully (30 s) and still count.
    for (const pod of pods) await store.delete(Pod, pod.metadata.name, { namespace: 'default' });
    await reportReplicaSet(store, v1, { replicas: 0 });
    await advance(10_000);
    expect(await replicaSetsOf(store)).toHaveLength(1);

    // The first pod is gone; one still terminates.
    await store.delete(Pod, pods[0]?.metadata.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 });
    await advance(1000);
    expect(await replicaSetsOf(store)).toHaveLength(1);

    // The last one is gone: its deletion wakes the Deployment, which creates the new set at full size.
    await store.delete(Pod, pods[1]?.metadata.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 });
    await advance();
    const v2 = await replicaSetAtRevision(store, 2);
    expect(v2.spec.replicas).toBe(2);
    expect((await replicaSetAtRevision(store, 1)).spec.replicas).toBe(0);
  });
});

describe('oldPodsRunning', () => {
  const rs = (uid: string, replicas = 0) => ({
    metadata: { name: uid, uid },
    spec: { replicas },
    status: { replicas },
  });
  const pod = (phase: 'Running' | 'Pending' | 'Unknown' | 'Succeeded' | 'Failed') =>
    ({ metadata: { name: `p-${phase}` }, status: { phase } }) as unknown as Pod;

  it('counts old ReplicaSets that still report pods', () => {
    expect(oldPodsRunning(rs('new'), [rs('old', 1)], new Map())).toBe(true);
  });

  it('counts every unfinished pod of another ReplicaSet, Unknown included, and ignores the new set and finished pods', () => {
    const finished = new Map([['old', [pod('Succeeded'), pod('Failed')]]]);
    expect(oldPodsRunning(rs('new'), [rs('old')], finished)).toBe(false);
    for (const phase of ['Running', 'Pending', 'Unknown'] as const) {
      expect(oldPodsRunning(rs('new'), [rs('old')], new Map([['old', [pod(phase)]]]))).toBe(true);
    }
    expect(oldPodsRunning(rs('new'), [rs('old')], new Map([['new', [pod('Running')]]]))).toBe(false);
  });
});
