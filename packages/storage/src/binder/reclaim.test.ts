import { PersistentVolume, PersistentVolumeClaim, Pod } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { PVC_PROTECTION_FINALIZER } from '../constants';
import { createClaim, createClass, createVolume, type StorageHarness, storageStoppedAfterEach } from '../testSupport';

const start = storageStoppedAfterEach();

const exists = async (h: StorageHarness, name: string) =>
  h.store.get(PersistentVolume, name).then(
    () => true,
    (error: unknown) => {
      if (isKeelsonError(error, 'NotFound')) return false;
      throw error;
    },
  );

describe('reclaim', () => {
  it('Delete: deleting the claim deletes the storage (onDelete sees its handle), then the volume', async () => {
    const deleted: string[] = [];
    const h = await start({
      onDelete: (handle) => void deleted.push(handle),
      delayMs: { delete: 1_000 },
    });
    await createClass(h.store, 'fast');
    const claim = await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fast' });
    await h.advance();
    const name = `pvc-${claim.metadata.uid}`;
    expect((await h.volume(name)).status?.phase).toBe('Bound');
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance();
    expect((await h.volume(name)).status?.phase).toBe('Released');
    await h.advance(1_000);
    expect(deleted).toEqual([`mock-${claim.metadata.uid}`]);
    expect(h.mock.disks().size).toBe(0);
    expect(await exists(h, name)).toBe(false);
  });

  it('Retain: the volume stays Released with its claimRef, and a new claim of the same name does not get it', async () => {
    const h = await start();
    await createVolume(h.store, 'kept', '1Gi', { reclaimPolicy: 'Retain' });
    await h.advance();
    await createClaim(h.store, 'data', '1Gi');
    await h.advance();
    expect((await h.volume('kept')).status?.phase).toBe('Bound');
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance(60_000);
    const kept = await h.volume('kept');
    expect(kept.status?.phase).toBe('Released');
    expect(kept.spec.claimRef?.name).toBe('data');
    await createClaim(h.store, 'data', '1Gi');
    await h.advance(60_000);
    expect((await h.claim('data')).status?.phase).toBe('Pending');
    expect((await h.volume('kept')).status?.phase).toBe('Released');
  });

  it('a failed delete marks the volume Failed with VolumeFailedDelete and is retried', async () => {
    const h = await start();
    await createClass(h.store, 'fast');
    const claim = await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fast' });
    await h.advance();
    h.mock.failNext('delete', 'disk is busy');
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance();
    const name = `pvc-${claim.metadata.uid}`;
    const failed = await h.volume(name);
    expect(failed.status).toMatchObject({ phase: 'Failed', message: 'disk is busy' });
    expect(await h.events(name)).toEqual(['VolumeFailedDelete: disk is busy']);
    await h.advance(1_000);
    expect(await exists(h, name)).toBe(false);
  });

  it("a static volume with policy Delete and no deleter fails with Kubernetes' message", async () => {
    const h = await start();
    await createVolume(h.store, 'static', '1Gi', { reclaimPolicy: 'Delete' });
    await h.advance();
    await createClaim(h.store, 'data', '1Gi');
    await h.advance();
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance();
    expect((await h.volume('static')).status).toMatchObject({
      phase: 'Failed',
      message: 'error getting deleter volume plugin for volume "static": no deletable volume plugin matched',
    });
  });
});

describe('protection', () => {
  it('a claim used by a scheduled, unfinished pod stays (Terminating) until the pod is gone', async () => {
    const h = await start();
    await createVolume(h.store, 'pv', '1Gi');
    await h.advance();
    await createClaim(h.store, 'data', '1Gi');
    await h.store.create(Pod, {
      metadata: { name: 'user', namespace: 'default' },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'c', image: 'busybox:1.36' }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
      },
    } as never);
    await h.advance();
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance(60_000);
    const held = await h.claim('data');
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toEqual([PVC_PROTECTION_FINALIZER]);
    expect((await h.volume('pv')).status?.phase).toBe('Bound');

    await h.store.delete(Pod, 'user', { namespace: 'default', gracePeriodSeconds: 0 });
    await h.advance();
    await expect(h.claim('data')).rejects.toMatchObject({ code: 'NotFound' });
    expect((await h.volume('pv')).status?.phase).toBe('Released');
  });

  it('a Bound volume that is deleted stays until its claim lets it go', async () => {
    const h = await start();
    await createVolume(h.store, 'pv', '1Gi', { reclaimPolicy: 'Retain' });
    await h.advance();
    await createClaim(h.store, 'data', '1Gi');
    await h.advance();
    await h.store.delete(PersistentVolume, 'pv');
    await h.advance(60_000);
    expect((await h.volume('pv')).metadata.deletionTimestamp).toBeDefined();
    await h.store.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await h.advance();
    expect(await exists(h, 'pv')).toBe(false);
  });
});
