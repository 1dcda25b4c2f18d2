import { Pod, StatefulSet } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkloadHarness } from '../testSupport';
import {
  claim,
  claimNames,
  createWeb,
  DATA_TEMPLATE,
  liveNames,
  patchWeb,
  settle,
  startStatefulSets,
  webEvents,
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

function scaleTo(h: WorkloadHarness, replicas: number): Promise<void> {
  return patchWeb(h.store, (spec) => {
    spec.replicas = replicas;
  });
}

describe('statefulSetController: volumeClaimTemplates', () => {
  it('creates a claim per ordinal before its pod and points the pod volume at it', async () => {
    const h = await start();
    const { store } = h;
    await createWeb(store, { replicas: 2, volumeClaimTemplates: [DATA_TEMPLATE] });
    await settle(h, 4);
    expect(await claimNames(store)).toEqual(['data-web-0', 'data-web-1']);
    const data = await claim(store, 'data-web-1');
    expect(data.metadata.labels).toEqual({ tier: 'storage', app: 'web' });
    expect(data.spec.resources?.requests?.storage).toBe('1Gi');
    // Retain/Retain: the claim has no owner, so it outlives pods and the set.
    expect(data.metadata.ownerReferences ?? []).toEqual([]);
    const pod = await store.get(Pod, 'web-1', { namespace: 'default' });
    expect(pod.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } });
    const events = await webEvents(store);
    const claimEvent = events.indexOf('SuccessfulCreate: create Claim data-web-1 Pod web-1 in StatefulSet web success');
    const podEvent = events.indexOf('SuccessfulCreate: create Pod web-1 in StatefulSet web successful');
    expect(claimEvent).toBeGreaterThanOrEqual(0);
    expect(podEvent).toBeGreaterThan(claimEvent);
  });

  it('keeps claims on scale-down and gives the same claim back on scale-up', async () => {
    const h = await start();
    const { store } = h;
    await createWeb(store, { replicas: 3, volumeClaimTemplates: [DATA_TEMPLATE] });
    await settle(h, 6);
    const uid = (await claim(store, 'data-web-2')).metadata.uid;
    await scaleTo(h, 1);
    await settle(h, 6);
    expect(await liveNames(store)).toEqual(['web-0']);
    expect(await claimNames(store)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    await scaleTo(h, 3);
    await settle(h, 6);
    expect(await liveNames(store)).toEqual(['web-0', 'web-1', 'web-2']);
    expect((await claim(store, 'data-web-2')).metadata.uid).toBe(uid);
  });
});

describe('statefulSetController: persistentVolumeClaimRetentionPolicy', () => {
  it('whenDeleted: Delete makes the set own its claims, so deleting the set deletes them', async () => {
    const h = await start();
    const { store } = h;
    const set = await createWeb(store, {
      replicas: 2,
      volumeClaimTemplates: [DATA_TEMPLATE],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    });
    await settle(h, 4);
    expect((await claim(store, 'data-web-0')).metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid },
    ]);
    // Scaling down keeps the claim (whenScaled: Retain).
    await scaleTo(h, 1);
    await settle(h, 4);
    expect(await claimNames(store)).toEqual(['data-web-0', 'data-web-1']);
    await store.delete(StatefulSet, 'web', { namespace: 'default' });
    await settle(h, 6);
    expect(await claimNames(store)).toEqual([]);
  });

  it('whenScaled: Delete hands a condemned pod its claims, so the claims go with it and come back fresh', async () => {
    const h = await start();
    const { store } = h;
    await createWeb(store, {
      replicas: 2,
      volumeClaimTemplates: [DATA_TEMPLATE],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    });
    await settle(h, 4);
    const old = await claim(store, 'data-web-1');
    expect(old.metadata.ownerReferences ?? []).toEqual([]);
    await scaleTo(h, 1);
    await settle(h, 6);
    expect(await claimNames(store)).toEqual(['data-web-0']);
    await scaleTo(h, 2);
    await settle(h, 6);
    expect(await liveNames(store)).toEqual(['web-0', 'web-1']);
    expect((await claim(store, 'data-web-1')).metadata.uid).not.toBe(old.metadata.uid);
    // The set being deleted keeps its claims (whenDeleted: Retain).
    await store.delete(StatefulSet, 'web', { namespace: 'default' });
    await settle(h, 6);
    expect(await liveNames(store)).toEqual([]);
    expect(await claimNames(store)).toEqual(['data-web-0', 'data-web-1']);
  });
});
