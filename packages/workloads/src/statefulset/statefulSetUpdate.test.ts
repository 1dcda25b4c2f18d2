import { ControllerRevision, Pod, StatefulSet } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkloadHarness } from '../testSupport';
import {
  allPods,
  createWeb,
  finishDeletions,
  images,
  patchWeb,
  readyAll,
  revisions,
  setImage,
  settle,
  startStatefulSets,
  webStatus,
} from './statefulSetTestSupport';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(spec: Record<string, unknown> = {}): Promise<WorkloadHarness> {
  harness = await startStatefulSets();
  await createWeb(harness.store, spec);
  await settle(harness, 6);
  return harness;
}

/** The names of the pods being deleted. */
async function terminating(h: WorkloadHarness): Promise<string[]> {
  return (await allPods(h.store)).filter((p) => p.metadata.deletionTimestamp !== undefined).map((p) => p.metadata.name);
}

/** Plays one update step: finishes deletions, lets the controller recreate, readies the new pods. */
async function step(h: WorkloadHarness): Promise<void> {
  await finishDeletions(h.store);
  await h.advance();
  await readyAll(h.store);
  await h.advance();
}

describe('statefulSetController: RollingUpdate', () => {
  it('replaces pods one at a time from the highest ordinal, and then makes the update revision current', async () => {
    const h = await start();
    const first = (await webStatus(h.store))?.currentRevision;
    await setImage(h.store, 'web:2');
    await h.advance();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const deleting = await terminating(h);
      expect(deleting).toHaveLength(1);
      order.push(...deleting);
      const mid = await webStatus(h.store);
      expect(mid?.currentRevision).toBe(first);
      expect(mid?.updateRevision).not.toBe(first);
      await step(h);
    }
    expect(order).toEqual(['web-2', 'web-1', 'web-0']);
    expect(await images(h.store)).toEqual({ 'web-0': 'web:2', 'web-1': 'web:2', 'web-2': 'web:2' });
    const status = await webStatus(h.store);
    expect(status?.currentRevision).toBe(status?.updateRevision);
    expect(status).toMatchObject({ currentReplicas: 3, updatedReplicas: 3, readyReplicas: 3 });
    const pod = await h.store.get(Pod, 'web-0', { namespace: 'default' });
    expect(pod.metadata.labels?.['controller-revision-hash']).toBe(status?.updateRevision);
  });

  it('keeps ordinals below the partition at the current revision', async () => {
    const h = await start({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    await setImage(h.store, 'web:2');
    await settle(h, 6);
    expect(await images(h.store)).toEqual({ 'web-0': 'web:1', 'web-1': 'web:1', 'web-2': 'web:2' });
    const status = await webStatus(h.store);
    expect(status).toMatchObject({ currentReplicas: 2, updatedReplicas: 1 });
    expect(status?.currentRevision).not.toBe(status?.updateRevision);
    // A pod below the partition deleted by hand comes back at the current revision.
    await h.store.delete(Pod, 'web-0', { namespace: 'default' });
    await settle(h, 4);
    expect((await images(h.store))['web-0']).toBe('web:1');
    await patchWeb(h.store, (spec) => {
      spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    });
    await settle(h, 10);
    expect(await images(h.store)).toEqual({ 'web-0': 'web:2', 'web-1': 'web:2', 'web-2': 'web:2' });
  });

  it('takes down up to maxUnavailable pods at once', async () => {
    const h = await start({
      replicas: 4,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
    });
    await setImage(h.store, 'web:2');
    await h.advance();
    expect(await terminating(h)).toEqual(['web-2', 'web-3']);
    await step(h);
    expect(await terminating(h)).toEqual(['web-0', 'web-1']);
    await step(h);
    expect(Object.values(await images(h.store))).toEqual(['web:2', 'web:2', 'web:2', 'web:2']);
  });
});

describe('statefulSetController: OnDelete', () => {
  it('gives the update revision only to pods deleted and made again', async () => {
    const h = await start({ updateStrategy: { type: 'OnDelete' } });
    await setImage(h.store, 'web:2');
    await settle(h, 4);
    expect(await images(h.store)).toEqual({ 'web-0': 'web:1', 'web-1': 'web:1', 'web-2': 'web:1' });
    await h.store.delete(Pod, 'web-1', { namespace: 'default' });
    await settle(h, 4);
    expect(await images(h.store)).toEqual({ 'web-0': 'web:1', 'web-1': 'web:2', 'web-2': 'web:1' });
    expect(await webStatus(h.store)).toMatchObject({ currentReplicas: 2, updatedReplicas: 1 });
  });
});

describe('statefulSetController: revisions', () => {
  it('records a ControllerRevision per template, reuses one on rollback, and trims the history', async () => {
    const h = await start({ revisionHistoryLimit: 1 });
    const [first] = await revisions(h.store);
    expect(first).toMatchObject({ revision: 1, metadata: { labels: { app: 'web' } } });
    expect(first?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
    await setImage(h.store, 'web:2');
    await settle(h, 10);
    await setImage(h.store, 'web:1');
    await settle(h, 10);
    // web:1's revision is numbered again (3) rather than copied; web:2's (2) is history.
    const names = (await revisions(h.store)).map((r) => [r.metadata.name, r.revision]);
    expect(names).toEqual([
      [expect.any(String), 2],
      [first?.metadata.name, 3],
    ]);
    await setImage(h.store, 'web:3');
    await settle(h, 10);
    // Limit 1: of the two revisions no pod uses (1 and 2), only the newer stays.
    expect((await revisions(h.store)).map((r) => r.revision)).toEqual([3, 4]);
    expect((await webStatus(h.store))?.updateRevision).toBe((await revisions(h.store))[1]?.metadata.name);
  });

  it('refuses a revision whose data changes, and bad stateful sets, writing nothing', async () => {
    const h = await start({ replicas: 1 });
    const [revision] = await revisions(h.store);
    const before = (await h.store.list(StatefulSet, { namespace: 'default' })).items.length;
    const error = await h.store
      .patch(
        ControllerRevision,
        revision?.metadata.name ?? '',
        (draft) => {
          draft.data = { spec: {} };
          return draft;
        },
        { namespace: 'default' },
      )
      .catch((e: unknown) => e);
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect((error as Error).message).toContain('data: Invalid value: field is immutable');
    const bad = await createWeb(h.store, { replicas: -1 }).catch((e: unknown) => e);
    expect(isKeelsonError(bad, 'Validation')).toBe(true);
    expect((bad as Error).message).toContain('spec.replicas');
    expect((await h.store.list(StatefulSet, { namespace: 'default' })).items.length).toBe(before);
    expect((await revisions(h.store))[0]?.data).toEqual(revision?.data);
  });
});
