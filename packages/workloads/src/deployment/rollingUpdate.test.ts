import { ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import { podTemplateHash } from './podTemplateHash';
import {
  createWebDeployment,
  getDeployment,
  replicaSetAtRevision,
  replicaSetsOf,
  reportReplicaSet,
  setImage,
  settleReplicaSets,
} from './replicaSetStandIn';

let harness: WorkloadHarness | undefined;
let watching: Subscription | undefined;
afterEach(async () => {
  watching?.unsubscribe();
  await harness?.stop();
  harness = undefined;
});

/**
 * One beat of the ReplicaSet controller and the kubelets: every set runs
 * `spec.replicas` pods; pods that existed at the last beat are available now,
 * new ones only at the next beat (pods of `neverAvailable` sets never).
 */
async function beat(store: Store, neverAvailable: ReadonlySet<string> = new Set()): Promise<void> {
  for (const rs of await replicaSetsOf(store)) {
    const existed = rs.status?.replicas ?? 0;
    const available = neverAvailable.has(rs.metadata.name) ? 0 : Math.min(existed, rs.spec.replicas);
    await reportReplicaSet(store, rs, { replicas: rs.spec.replicas, available });
  }
}

/** Checks the rolling-update bounds on every ReplicaSet change the store sees. */
function watchBounds(
  store: Store,
  bounds: { maxTotal: number; minAvailable: number },
): { violations: string[]; changes: number } {
  const seen = new Map<string, ReplicaSet>();
  const checked = { violations: [] as string[], changes: 0 };
  const violations = checked.violations;
  watching = store.watch(ReplicaSet, { namespace: 'default' }).subscribe((event) => {
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') seen.delete(event.object.metadata.name);
    else seen.set(event.object.metadata.name, event.object);
    checked.changes++;
    const sets = [...seen.values()];
    const total = sets.reduce((n, rs) => n + rs.spec.replicas, 0);
    // Pods of a set being scaled down are going away: count at most spec.replicas of them as available.
    const available = sets.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec.replicas), 0);
    if (total > bounds.maxTotal)
      violations.push(`${total} pods asked for at revision ${event.object.metadata.resourceVersion}`);
    if (available < bounds.minAvailable)
      violations.push(`${available} available at ${event.object.metadata.resourceVersion}`);
  });
  return checked;
}

async function sizes(store: Store): Promise<number[]> {
  return (await replicaSetsOf(store)).map((rs) => rs.spec.replicas);
}

describe('RollingUpdate', () => {
  it('rolls 10 replicas at 25%/25% step by step, never above 13 pods nor below 8 available', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await createWebDeployment(store, { replicas: 10 });
    await advance();
    await settleReplicaSets(store);
    await advance(1000);
    // maxSurge 25% of 10 = 2.5 → 3 (rounds up); maxUnavailable 2.5 → 2 (rounds down).
    const bounds = watchBounds(store, { maxTotal: 13, minAvailable: 8 });

    await setImage(store, 'nginx:1.26');
    await advance();
    const steps = [await sizes(store)];
    for (let i = 0; i < 5; i++) {
      await advance(1000);
      await beat(store);
      await advance();
      steps.push(await sizes(store));
    }
    // [old, new] after each beat, by the rules of rolling.go (each write wakes the controller again):
    // the change: new at 13 − 10 = 3, old down to 8 available (10 − 2), then new fills the room: 5;
    // beat 1: the 5 new pods exist but are not available: 13 − 8 − 5 = 0, nothing moves;
    // beat 2: they are: old goes down by 13 − 8 = 5 to 3, new grows to 10;
    // beat 3: 5 of the 10 are available: 13 − 8 − 5 = 0 again; beat 4: all are, the old 3 go.
    expect(steps).toEqual([
      [8, 5],
      [8, 5],
      [3, 10],
      [3, 10],
      [0, 10],
      [0, 10],
    ]);
    expect(bounds.violations).toEqual([]);
    // Every scale and every status report was checked, not just the end state.
    expect(bounds.changes).toBeGreaterThan(10);

    const d = await getDeployment(store);
    const newRS = await replicaSetAtRevision(store, 2);
    expect(newRS.metadata.name).toBe(`web-${podTemplateHash(d.spec.template)}`);
    expect(d.status).toMatchObject({ replicas: 10, updatedReplicas: 10, availableReplicas: 10, observedGeneration: 2 });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('resolves 0 surge and 30% unavailability of 3 to one pod at a time (the fencepost)', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await createWebDeployment(store, {
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '30%' } },
    });
    await advance();
    await settleReplicaSets(store);
    await advance(1000);
    const bounds = watchBounds(store, { maxTotal: 3, minAvailable: 2 });
    await setImage(store, 'nginx:1.26');
    await advance();
    // No room to surge, so the new set starts at 0 and one old pod goes first.
    expect(await sizes(store)).toEqual([2, 1]);
    for (let i = 0; i < 8; i++) {
      await advance(1000);
      await beat(store);
      await advance();
    }
    expect(await sizes(store)).toEqual([0, 3]);
    expect(bounds.violations).toEqual([]);
  });

  it('scales unhealthy old replicas down first when rolling over a stuck rollout', async () => {
    harness = await startWorkloads([deploymentController()]);
    const { store, advance } = harness;
    await createWebDeployment(store, {
      replicas: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
    });
    await advance();
    await settleReplicaSets(store);
    await advance(1000);
    await setImage(store, 'broken:1');
    await advance();
    const broken = (await replicaSetAtRevision(store, 2)).metadata.name;
    for (let i = 0; i < 3; i++) {
      await advance(1000);
      await beat(store, new Set([broken]));
      await advance();
    }
    // Stuck: the broken set's 5 pods never become available, so 13 − 8 − 5 = 0 old pods may go.
    expect(await sizes(store)).toEqual([8, 5]);

    await setImage(store, 'nginx:1.27');
    await advance();
    // Budget 13 − 8 − 0 = 5: all of it goes to the 5 unavailable broken pods, none to v1's available ones,
    // and then the new set grows into the room they left.
    expect(await sizes(store)).toEqual([8, 0, 5]);
  });
});
