import { PersistentVolumeClaim } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { createClaim, createClass, type StorageHarness, storageStoppedAfterEach } from '../testSupport';

const start = storageStoppedAfterEach();

async function grow(h: StorageHarness, name: string, storage: string) {
  const claim = await h.claim(name);
  return h.store.update({ ...claim, spec: { ...claim.spec, resources: { requests: { storage } } } });
}

describe('volume expansion', () => {
  it('grows the volume on the clock, then the claim, with the 1.32 resize status on the way', async () => {
    const h = await start({ delayMs: { expand: 5_000 } });
    await createClass(h.store, 'fast', { allowVolumeExpansion: true });
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fast' });
    await h.advance();
    const volumeName = (await h.claim('data')).spec.volumeName ?? '';
    await grow(h, 'data', '4Gi');
    await h.advance(1_000);

    const resizing = await h.claim('data');
    expect(resizing.status?.capacity).toEqual({ storage: '1Gi' });
    expect(resizing.status?.allocatedResources).toEqual({ storage: '4Gi' });
    expect(resizing.status?.allocatedResourceStatuses).toEqual({ storage: 'ControllerResizeInProgress' });
    expect(resizing.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['Resizing=True']);
    expect((await h.volume(volumeName)).spec.capacity).toEqual({ storage: '1Gi' });

    await h.advance(4_000);
    expect((await h.volume(volumeName)).spec.capacity).toEqual({ storage: '4Gi' });
    const done = await h.claim('data');
    expect(done.status?.capacity).toEqual({ storage: '4Gi' });
    expect(done.status?.allocatedResources).toEqual({ storage: '4Gi' });
    expect(done.status?.allocatedResourceStatuses).toBeUndefined();
    expect(done.status?.conditions).toBeUndefined();
    expect([...h.mock.disks().values()][0]?.capacity).toBe('4Gi');
    expect(await h.events('data')).toEqual(
      expect.arrayContaining([
        `Resizing: External resizer is resizing volume ${volumeName}`,
        'VolumeResizeSuccessful: Resize volume succeeded',
      ]),
    );
  });

  it('a failed expansion sets ControllerResizeError and is retried with backoff', async () => {
    const h = await start();
    await createClass(h.store, 'fast', { allowVolumeExpansion: true });
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fast' });
    await h.advance();
    const volumeName = (await h.claim('data')).spec.volumeName ?? '';
    h.mock.failNext('expand', 'quota exceeded');
    await grow(h, 'data', '2Gi');
    await h.advance();
    const failed = await h.claim('data');
    expect(failed.status?.capacity).toEqual({ storage: '1Gi' });
    expect(failed.status?.conditions?.map((c) => [c.type, c.message])).toEqual([
      [
        'ControllerResizeError',
        `resize volume "${volumeName}" by resizer "mock.csi.keelson.dev" failed: quota exceeded`,
      ],
    ]);
    await h.advance(500);
    expect((await h.claim('data')).status?.capacity).toEqual({ storage: '2Gi' });
  });

  it('a class without allowVolumeExpansion refuses the growth at admission', async () => {
    const h = await start();
    await createClass(h.store, 'fixed');
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fixed' });
    await h.advance();
    await expect(grow(h, 'data', '2Gi')).rejects.toMatchObject({ code: 'Forbidden' });
    const claim = await h.store.get(PersistentVolumeClaim, 'data', { namespace: 'default' });
    expect(claim.spec.resources.requests).toEqual({ storage: '1Gi' });
  });
});
