import { Deployment, Event } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import {
  createWebDeployment,
  getDeployment,
  replicaSetAtRevision,
  replicaSetsOf,
  setImage,
  setReplicas,
  settleReplicaSets,
} from './replicaSetStandIn';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function sizes(store: Store): Promise<number[]> {
  return (await replicaSetsOf(store)).map((rs) => rs.spec.replicas);
}

/** 10 replicas at 25%/25% in the middle of a rollout: old 8, new 5, both sized for 13. */
async function midRollout(): Promise<WorkloadHarness> {
  harness = await startWorkloads([deploymentController()]);
  const { store, advance } = harness;
  await createWebDeployment(store, { replicas: 10 });
  await advance();
  await settleReplicaSets(store);
  await advance(1000);
  await setImage(store, 'nginx:1.26');
  await advance();
  expect(await sizes(store)).toEqual([8, 5]);
  return harness;
}

async function setPaused(store: Store, paused: boolean): Promise<void> {
  await store.patch(
    Deployment,
    'web',
    (draft) => {
      draft.spec.paused = paused;
      return undefined;
    },
    { namespace: 'default' },
  );
}

describe('proportional scaling', () => {
  it('shares 12 more replicas between old and new in proportion when scaled from 10 to 20 mid-rollout', async () => {
    const { store, advance } = await midRollout();
    await advance(1000);
    await setReplicas(store, 20);
    await advance();
    // New total 20 + 5 surge = 25: old 8 × 25/13 = 15.4 → 15, new 5 × 25/13 = 9.6 → 10.
    expect(await sizes(store)).toEqual([15, 10]);
    for (const rs of await replicaSetsOf(store)) {
      expect(rs.metadata.annotations).toMatchObject({
        'deployment.kubernetes.io/desired-replicas': '20',
        'deployment.kubernetes.io/max-replicas': '25',
      });
    }
    const [old, fresh] = await replicaSetsOf(store);
    const { items } = await store.list(Event, { namespace: 'default' });
    const messages = items.map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${old?.metadata.name} from 8 to 15`);
    expect(messages).toContain(`Scaled up replica set ${fresh?.metadata.name} from 5 to 10`);
  });

  it('takes 6 replicas away in proportion when scaled from 10 to 5 mid-rollout', async () => {
    const { store, advance } = await midRollout();
    await advance(1000);
    await setReplicas(store, 5);
    await advance();
    // New total 5 + 2 surge (1.25 rounds up) = 7: old 8 × 7/13 = 4.3 → 4, new 5 × 7/13 = 2.7 → 3.
    expect(await sizes(store)).toEqual([4, 3]);
  });

  it('scales the only ReplicaSet straight to the new size when no rollout is under way', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await createWebDeployment(store, { replicas: 3 });
    await advance();
    await settleReplicaSets(store);
    await advance(1000);
    await setReplicas(store, 7);
    await advance();
    expect(await sizes(store)).toEqual([7]);
  });
});

describe('paused Deployments', () => {
  it('still scale, do not roll out a new template, and roll it out once resumed', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await createWebDeployment(store, { replicas: 3 });
    await advance();
    await settleReplicaSets(store);
    await advance(1000);

    await setPaused(store, true);
    await advance();
    expect((await getDeployment(store)).status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    await setImage(store, 'nginx:1.26');
    await setReplicas(store, 5);
    await advance(1000);
    expect(await sizes(store)).toEqual([5]);
    expect(await replicaSetsOf(store)).toHaveLength(1);
    expect((await getDeployment(store)).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');

    await advance(1000);
    await setPaused(store, false);
    await advance();
    const v2 = await replicaSetAtRevision(store, 2);
    expect(v2.spec.template.spec.containers[0]?.image).toBe('nginx:1.26');
    const reasons: string[] = [];
    for await (const entry of store.history(Deployment, 'web', { namespace: 'default' })) {
      const reason = entry.object?.status?.conditions?.find((c) => c.type === 'Progressing')?.reason;
      if (reason !== undefined && reasons.at(-1) !== reason) reasons.push(reason);
    }
    expect(reasons).toEqual([
      'NewReplicaSetCreated',
      'NewReplicaSetAvailable',
      'DeploymentPaused',
      'DeploymentResumed',
      'NewReplicaSetCreated',
    ]);
  });
});
