import { Deployment, Pod, PodDisruptionBudget, ReplicaSet } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { controllerRefTo } from '../shared/index';
import { setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { disruptionController } from './disruptionController';
import { budgetStatus, createBudget, createPod, createWebReplicaSet } from './testFixtures';

let h: WorkloadHarness;
afterEach(() => h?.stop());

async function fourPodsThreeReady(): Promise<ReplicaSet> {
  h = await startWorkloads([disruptionController()]);
  const rs = await createWebReplicaSet(h.store, 5);
  for (const [i, ready] of [true, true, true, false].entries())
    await createPod(h.store, `web-${i}`, { owner: rs, ready });
  return rs;
}

describe('disruptionController', () => {
  it('integer minAvailable counts the selected pods, no controller needed', async () => {
    h = await startWorkloads([disruptionController()]);
    for (const i of [0, 1, 2]) await createPod(h.store, `bare-${i}`);
    await createBudget(h.store, { minAvailable: 2 });
    await h.advance();
    const status = await budgetStatus(h.store);
    expect(status).toMatchObject({ expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(status?.observedGeneration).toBe(1);
    expect(status?.conditions?.[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: 'True',
      reason: 'SufficientPods',
    });
  });

  it('percentage minAvailable rounds up of the controller scale', async () => {
    await fourPodsThreeReady();
    await createBudget(h.store, { minAvailable: '50%' });
    await h.advance();
    // expected 5 (replicas), desired ceil(2.5) = 3, healthy 3 (one not ready).
    expect(await budgetStatus(h.store)).toMatchObject({
      expectedPods: 5,
      desiredHealthy: 3,
      currentHealthy: 3,
      disruptionsAllowed: 0,
    });
    expect((await budgetStatus(h.store))?.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'InsufficientPods',
    });
  });

  it('maxUnavailable: expected minus the rounded-up percentage, and follows the scale', async () => {
    const rs = await fourPodsThreeReady();
    await createBudget(h.store, { maxUnavailable: '30%' });
    await h.advance();
    // ceil(1.5) = 2 may go: desired 5 - 2 = 3.
    expect(await budgetStatus(h.store)).toMatchObject({ expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 0 });
    await h.store.patch(ReplicaSet, rs.metadata.name, (d) => ({ ...d, spec: { ...d.spec, replicas: 3 } }), {
      namespace: 'default',
    });
    await h.advance();
    // 3 expected, ceil(0.9) = 1 may go: desired 2, healthy 3 -> 1 allowed.
    expect(await budgetStatus(h.store)).toMatchObject({ expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
  });

  it('integer maxUnavailable with a Deployment above the ReplicaSet uses the Deployment scale', async () => {
    h = await startWorkloads([disruptionController()]);
    const d = await h.store.create(Deployment, {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    });
    const rs = await h.store.patch(
      ReplicaSet,
      (await createWebReplicaSet(h.store, 2)).metadata.name,
      (draft) => ({ ...draft, metadata: { ...draft.metadata, ownerReferences: [controllerRefTo(d)] } }),
      { namespace: 'default' },
    );
    for (const i of [0, 1]) await createPod(h.store, `web-${i}`, { owner: rs });
    await createBudget(h.store, { maxUnavailable: 1 });
    await h.advance();
    expect(await budgetStatus(h.store)).toMatchObject({ expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 0 });
  });

  it('a pod whose controller is missing fails safe: SyncFailed, nothing allowed', async () => {
    h = await startWorkloads([disruptionController()]);
    const rs = await createWebReplicaSet(h.store, 2);
    await createPod(h.store, 'web-0', { owner: { ...rs, metadata: { ...rs.metadata, uid: 'gone' } } });
    await createPod(h.store, 'web-1', { owner: rs });
    await createBudget(h.store, { maxUnavailable: 1 });
    await h.advance();
    const status = await budgetStatus(h.store);
    expect(status?.disruptionsAllowed).toBe(0);
    expect(status?.conditions?.[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'SyncFailed',
      message: 'found no controllers for pod "web-0"',
    });
  });

  it('terminating pods are not healthy; readiness changes recount', async () => {
    h = await startWorkloads([disruptionController()]);
    for (const i of [0, 1, 2]) await createPod(h.store, `web-${i}`, { node: 'node-1' });
    await createBudget(h.store, { minAvailable: 1 });
    await h.advance();
    expect((await budgetStatus(h.store))?.currentHealthy).toBe(3);
    await h.store.delete(Pod, 'web-0', { namespace: 'default', gracePeriodSeconds: 30 });
    await setPodStatus(h.store, { metadata: { name: 'web-1', namespace: 'default' } }, { ready: false });
    await h.advance();
    expect(await budgetStatus(h.store)).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });
  });

  it('a pod relabelled out of the budget is no longer counted', async () => {
    h = await startWorkloads([disruptionController()]);
    for (const i of [0, 1]) await createPod(h.store, `web-${i}`);
    await createBudget(h.store, { minAvailable: 1 });
    await h.advance();
    expect((await budgetStatus(h.store))?.disruptionsAllowed).toBe(1);
    await h.store.patch(Pod, 'web-1', (d) => ({ ...d, metadata: { ...d.metadata, labels: { app: 'other' } } }), {
      namespace: 'default',
    });
    await h.advance();
    expect(await budgetStatus(h.store)).toMatchObject({ expectedPods: 1, currentHealthy: 1, disruptionsAllowed: 0 });
  });

  it('an evicted pod not deleted within 2 minutes counts again', async () => {
    h = await startWorkloads([disruptionController()]);
    for (const i of [0, 1]) await createPod(h.store, `web-${i}`);
    await createBudget(h.store, { minAvailable: 0 });
    await h.advance();
    // What the eviction subresource writes when it lets web-0 go.
    const fresh = await h.store.get(PodDisruptionBudget, 'web', { namespace: 'default' });
    const since = `${new Date(h.clock.now()).toISOString().slice(0, 19)}Z`;
    await h.store.updateStatus({ ...fresh, status: { ...fresh.status, disruptedPods: { 'web-0': since } } });
    await h.advance();
    expect(await budgetStatus(h.store)).toMatchObject({
      currentHealthy: 1,
      disruptedPods: { 'web-0': expect.any(String) },
    });
    await h.advance(2 * 60_000);
    const status = await budgetStatus(h.store);
    expect(status?.currentHealthy).toBe(2);
    expect(status?.disruptedPods ?? {}).toEqual({});
  });
});
