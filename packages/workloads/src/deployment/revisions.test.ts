import { Deployment, type ReplicaSet } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import {
  createWebDeployment,
  getDeployment,
  replicaSetsOf,
  reportReplicaSet,
  setImage,
  settleReplicaSets,
} from './replicaSetStandIn';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Changes the image and plays the ReplicaSet controller until the rollout is complete. */
async function rollOut(h: WorkloadHarness, image: string): Promise<void> {
  await h.advance(1000);
  await setImage(h.store, image);
  await h.advance();
  for (let i = 0; i < 6; i++) {
    await h.advance(1000);
    await settleReplicaSets(h.store);
    await h.advance();
  }
}

async function start(options: { revisionHistoryLimit?: number } = {}): Promise<WorkloadHarness> {
  harness = await startWorkloads([deploymentController()]);
  await createWebDeployment(harness.store, { replicas: 2, ...options });
  await harness.advance();
  await settleReplicaSets(harness.store);
  await harness.advance(1000);
  return harness;
}

function imageOf(rs: ReplicaSet): string | undefined {
  return rs.spec.template.spec.containers[0]?.image;
}

describe('revisions', () => {
  it('number each new template max + 1, and give a reused old ReplicaSet the new number', async () => {
    const h = await start();
    await rollOut(h, 'nginx:1.26');
    await rollOut(h, 'nginx:1.27');
    let sets = await replicaSetsOf(h.store);
    expect(sets.map((rs) => [imageOf(rs), rs.metadata.annotations?.['deployment.kubernetes.io/revision']])).toEqual([
      ['nginx:1.25', '1'],
      ['nginx:1.26', '2'],
      ['nginx:1.27', '3'],
    ]);

    // Back to the first template: its ReplicaSet is reused (no new one) and becomes revision 4.
    await rollOut(h, 'nginx:1.25');
    sets = await replicaSetsOf(h.store);
    expect(sets).toHaveLength(3);
    const reused = sets.find((rs) => imageOf(rs) === 'nginx:1.25');
    expect(reused?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '4',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(reused?.spec.replicas).toBe(2);
    expect((await getDeployment(h.store)).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('4');

    // And again: the history grows to "1,4".
    await rollOut(h, 'nginx:1.26');
    await rollOut(h, 'nginx:1.25');
    const again = (await replicaSetsOf(h.store)).find((rs) => imageOf(rs) === 'nginx:1.25');
    expect(again?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '6',
      'deployment.kubernetes.io/revision-history': '1,4',
    });
  });
});

describe('revisionHistoryLimit', () => {
  it('deletes the oldest empty ReplicaSets beyond the limit once a rollout is complete', async () => {
    const h = await start({ revisionHistoryLimit: 1 });
    await rollOut(h, 'nginx:1.26');
    // One old ReplicaSet is allowed: revision 1 stays.
    expect((await replicaSetsOf(h.store)).map(imageOf)).toEqual(['nginx:1.25', 'nginx:1.26']);
    await rollOut(h, 'nginx:1.27');
    expect((await replicaSetsOf(h.store)).map(imageOf)).toEqual(['nginx:1.26', 'nginx:1.27']);
  });

  it('never deletes an old ReplicaSet that still has pods', async () => {
    const h = await start({ revisionHistoryLimit: 0 });
    await h.advance(1000);
    await setImage(h.store, 'nginx:1.26');
    await h.advance();
    for (let i = 0; i < 6; i++) {
      await h.advance(1000);
      for (const rs of await replicaSetsOf(h.store)) {
        // The old set's last pod is slow to go: it still reports one.
        const lingering = imageOf(rs) === 'nginx:1.25' ? 1 : 0;
        await reportReplicaSet(h.store, rs, { replicas: rs.spec.replicas + lingering, available: rs.spec.replicas });
      }
      await h.advance();
    }
    // Paused, the Deployment cleans up its history on every sync, complete or not: the set with a pod stays.
    await h.store.patch(
      Deployment,
      'web',
      (draft) => {
        draft.spec.paused = true;
        return undefined;
      },
      { namespace: 'default' },
    );
    await h.advance(1000);
    const old = (await replicaSetsOf(h.store)).find((rs) => imageOf(rs) === 'nginx:1.25');
    expect(old?.spec.replicas).toBe(0);
    expect(old?.status?.replicas).toBe(1);
    // The pod is gone now: the next sync deletes the set.
    if (!old) throw new Error('old ReplicaSet missing');
    await reportReplicaSet(h.store, old, { replicas: 0 });
    await h.advance();
    expect((await replicaSetsOf(h.store)).map(imageOf)).toEqual(['nginx:1.26']);
  });
});
