import { describe, expect, it } from 'vitest';
import { Job, rejection, site, testStore, Website, Zone } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';

describe('store: delete', () => {
  it('deletes at once without finalizers or grace', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const gone = await store.delete(Website, 'a');
    expect(gone.metadata.name).toBe('a');
    expect(isKeelsonError(await rejection(store.get(Website, 'a')), 'NotFound')).toBe(true);
    expect(isKeelsonError(await rejection(store.delete(Website, 'a')), 'NotFound')).toBe(true);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    const { store, clock } = await testStore();
    await store.create(Website, site('a', {}, { finalizers: ['example.dev/cleanup', 'other/x'] }));
    await clock.advance(10_000);
    const deleting = await store.delete(Website, 'a');
    expect(deleting.metadata.deletionTimestamp).toBe('2026-01-01T00:00:10Z');
    expect(deleting.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(deleting.metadata.generation).toBe(2);
    // Only removal of finalizers is allowed now.
    const adding = await rejection(
      store.update({
        ...deleting,
        metadata: { ...deleting.metadata, finalizers: ['example.dev/cleanup', 'other/x', 'new/one'] },
      }),
    );
    expect(adding.message).toMatch(/no new finalizers can be added if the object is being deleted/);
    // deletionTimestamp cannot be moved by an update.
    const one = await store.update({
      ...deleting,
      metadata: { ...deleting.metadata, finalizers: ['other/x'], deletionTimestamp: '2030-01-01T00:00:00Z' },
    });
    expect(one.metadata.deletionTimestamp).toBe('2026-01-01T00:00:10Z');
    await store.patch(Website, 'a', (d) => {
      d.metadata.finalizers = [];
    });
    expect(isKeelsonError(await rejection(store.get(Website, 'a')), 'NotFound')).toBe(true);
  });

  it('deletes gracefully with the strategy’s default, then for good on a final delete with grace 0', async () => {
    const { store, clock } = await testStore();
    await store.create(Job, { metadata: { name: 'j' }, spec: { command: 'run', graceSeconds: 30 } });
    const graceful = await store.delete(Job, 'j');
    expect(graceful.metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    expect(graceful.metadata.deletionGracePeriodSeconds).toBe(30);
    await clock.advance(5_000);
    // A shorter grace period moves deletionTimestamp earlier; a longer one never moves it later.
    const shorter = await store.delete(Job, 'j', { gracePeriodSeconds: 10 });
    expect(shorter.metadata.deletionTimestamp).toBe('2026-01-01T00:00:15Z');
    const longer = await store.delete(Job, 'j', { gracePeriodSeconds: 100 });
    expect(longer.metadata.deletionTimestamp).toBe('2026-01-01T00:00:15Z');
    expect((await store.get(Job, 'j')).metadata.deletionTimestamp).toBe('2026-01-01T00:00:15Z');
    await store.delete(Job, 'j', { gracePeriodSeconds: 0 });
    expect(isKeelsonError(await rejection(store.get(Job, 'j')), 'NotFound')).toBe(true);
  });

  it('adds the foregroundDeletion or orphan finalizer for those propagation policies', async () => {
    const { store } = await testStore();
    await store.create(Website, site('f'));
    await store.create(Website, site('o'));
    expect((await store.delete(Website, 'f', { propagationPolicy: 'Foreground' })).metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    expect((await store.delete(Website, 'o', { propagationPolicy: 'Orphan' })).metadata.finalizers).toEqual(['orphan']);
    const bad = await rejection(store.delete(Website, 'f', { propagationPolicy: 'Sometimes' as never }));
    expect(isKeelsonError(bad, 'Invalid')).toBe(true);
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const { store } = await testStore();
    const created = await store.create(Zone, { metadata: { name: 'z' }, spec: { region: 'eu' } });
    const uid = await rejection(store.delete(Zone, 'z', { preconditions: { uid: 'other' } }));
    expect(isKeelsonError(uid, 'Conflict')).toBe(true);
    expect(uid.message).toMatch(/Precondition failed: UID in precondition: other/);
    const rv = await rejection(store.delete(Zone, 'z', { preconditions: { resourceVersion: '999' } }));
    expect(rv.message).toMatch(/ResourceVersion in precondition: 999/);
    await store.delete(Zone, 'z', {
      preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion },
    });
  });

  it('lets a deleted name be created again, with a new uid', async () => {
    const { store } = await testStore();
    const first = await store.create(Website, site('a'));
    await store.delete(Website, 'a');
    const second = await store.create(Website, site('a'));
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    expect(second.metadata.generation).toBe(1);
  });
});
