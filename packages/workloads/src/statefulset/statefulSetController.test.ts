import { Pod, StatefulSet } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setPodStatus, type WorkloadHarness } from '../testSupport';
import {
  allPods,
  createWeb,
  finishDeletions,
  liveNames,
  patchWeb,
  ready,
  readyAll,
  settle,
  startStatefulSets,
  webEvents,
  webStatus,
} from './statefulSetTestSupport';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(): Promise<WorkloadHarness> {
  harness = await startStatefulSets();
  return harness;
}

describe('statefulSetController: OrderedReady', () => {
  it('creates web-0, web-1, web-2 one at a time, each once the one before is running and ready', async () => {
    const { store, advance, errors } = await start();
    const set = await createWeb(store);
    await advance();
    expect(await liveNames(store)).toEqual(['web-0']);
    await advance(60_000);
    expect(await liveNames(store)).toEqual(['web-0']);
    await ready(store, 'web-0');
    await advance();
    expect(await liveNames(store)).toEqual(['web-0', 'web-1']);
    await ready(store, 'web-1');
    await advance();
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2']);
    const pod = (await allPods(store))[1] as Pod;
    expect(pod.metadata.labels).toMatchObject({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    expect(pod.spec.hostname).toBe('web-1');
    expect(pod.spec.subdomain).toBe('web');
    expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'StatefulSet',
      uid: set.metadata.uid,
      controller: true,
    });
    expect(await webEvents(store)).toContain('SuccessfulCreate: create Pod web-0 in StatefulSet web successful');
    expect(errors).toEqual([]);
  });

  it('waits minReadySeconds after ready before the next ordinal', async () => {
    const { store, advance } = await start();
    await createWeb(store, { replicas: 2, minReadySeconds: 30 });
    await advance();
    await ready(store, 'web-0');
    await advance(29_000);
    expect(await liveNames(store)).toEqual(['web-0']);
    expect(await webStatus(store)).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    await advance(1_000);
    expect(await liveNames(store)).toEqual(['web-0', 'web-1']);
    expect(await webStatus(store)).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
  });

  it('scales down one pod at a time from the highest ordinal, and halts while a pod is unhealthy', async () => {
    const h = await start();
    const { store, advance } = h;
    await createWeb(store, { replicas: 4 });
    await settle(h, 6);
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
    await setPodStatus(store, { metadata: { name: 'web-0', namespace: 'default' } }, { ready: false });
    await patchWeb(store, (spec) => {
      spec.replicas = 1;
    });
    await advance(10_000);
    // web-0 is not ready: nothing is removed.
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
    await ready(store, 'web-0');
    await advance();
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2']);
    // web-3 is still terminating: web-2 waits for it.
    await advance(10_000);
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2']);
    await finishDeletions(store);
    await advance();
    expect(await liveNames(store)).toEqual(['web-0', 'web-1']);
    await finishDeletions(store);
    await advance();
    expect(await liveNames(store)).toEqual(['web-0']);
    expect(await webStatus(store)).toMatchObject({ replicas: 2, readyReplicas: 2 });
    await finishDeletions(store);
    await advance();
    expect(await webStatus(store)).toMatchObject({ replicas: 1, readyReplicas: 1, currentReplicas: 1 });
  });

  it('respects spec.ordinals.start', async () => {
    const h = await start();
    await createWeb(h.store, { replicas: 2, ordinals: { start: 5 } });
    await settle(h, 3);
    expect(await liveNames(h.store)).toEqual(['web-5', 'web-6']);
  });
});

describe('statefulSetController: Parallel', () => {
  it('creates and deletes every pod at once, without waiting for readiness', async () => {
    const { store, advance } = await start();
    await createWeb(store, { replicas: 3, podManagementPolicy: 'Parallel' });
    await advance();
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2']);
    await patchWeb(store, (spec) => {
      spec.replicas = 0;
    });
    await advance();
    expect(await liveNames(store)).toEqual([]);
  });
});

describe('statefulSetController: failed pods', () => {
  it('deletes a failed pod and makes it again with the same name once it is gone', async () => {
    const h = await start();
    const { store, advance } = h;
    await createWeb(store, { replicas: 2 });
    await settle(h, 4);
    const before = (await allPods(store))[0] as Pod;
    await setPodStatus(store, before, { phase: 'Failed' });
    await advance();
    // A finished pod is removed at once (no grace period), and made again under its name.
    const again = await store.get(Pod, 'web-0', { namespace: 'default' });
    expect(again.metadata.uid).not.toBe(before.metadata.uid);
    expect(again.metadata.deletionTimestamp).toBeUndefined();
    expect(await webEvents(store)).toContain(
      'RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0',
    );
  });
});

describe('statefulSetController: pods being deleted', () => {
  it('waits for a terminating pod to be gone before making it again', async () => {
    const h = await start();
    const { store, advance } = h;
    await createWeb(store, { replicas: 2 });
    await settle(h, 4);
    const before = await store.get(Pod, 'web-1', { namespace: 'default' });
    await store.delete(Pod, 'web-1', { namespace: 'default' });
    await advance(5_000);
    const terminating = await store.get(Pod, 'web-1', { namespace: 'default' });
    expect(terminating.metadata.uid).toBe(before.metadata.uid);
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    await finishDeletions(store);
    await advance();
    const again = await store.get(Pod, 'web-1', { namespace: 'default' });
    expect(again.metadata.uid).not.toBe(before.metadata.uid);
  });
});

describe('statefulSetController: status', () => {
  it('reports counts, revisions and the observed generation', async () => {
    const h = await start();
    await createWeb(h.store);
    await settle(h, 5);
    await readyAll(h.store);
    await h.advance();
    const status = await webStatus(h.store);
    const set = await h.store.get(StatefulSet, 'web', { namespace: 'default' });
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: set.metadata.generation,
      collisionCount: 0,
    });
    expect(status?.currentRevision).toBe(status?.updateRevision);
    expect(status?.updateRevision).toMatch(/^web-[a-z0-9]+$/);
  });
});
