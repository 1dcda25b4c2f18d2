import { firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rejection, site, testStore, Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import type { WatchEvent } from '../store/types';

type Seen = Array<[string, string, string | undefined]>;

/** Collects events as [type, name, resourceVersion] until stopped. */
function record<T extends { metadata: { name?: string; resourceVersion: string } }>(events: Observable<WatchEvent<T>>) {
  const seen: Seen = [];
  const sub = events.subscribe((e) =>
    seen.push([e.type, (e.object.metadata as { name?: string }).name ?? '', e.object.metadata.resourceVersion]),
  );
  return { seen, stop: () => sub.unsubscribe() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('watch', () => {
  it('starts with ADDED per existing match, then delivers changes in revision order', async () => {
    const { store } = await testStore();
    await store.create(Website, site('b'));
    await store.create(Website, site('a'));
    const { seen, stop } = record(store.watch(Website));
    await settle();
    const c = await store.create(Website, site('c'));
    const c2 = await store.patch(Website, 'c', (d) => {
      d.spec.replicas = 2;
    });
    const gone = await store.delete(Website, 'a');
    stop();
    expect(seen.map(([t, n]) => `${t} ${n}`)).toEqual(['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED c', 'DELETED a']);
    expect(seen[2]?.[2]).toBe(c.metadata.resourceVersion);
    expect(seen[3]?.[2]).toBe(c2.metadata.resourceVersion);
    expect(Number(seen[4]?.[2])).toBe(store.revision);
    expect(gone.metadata.name).toBe('a');
  });

  it('sends ADDED when an object starts matching and DELETED when it stops', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a', {}, { labels: { app: 'web' } }));
    const { seen, stop } = record(store.watch(Website, { labelSelector: 'tier=front' }));
    await settle();
    await store.patch(Website, 'a', (d) => {
      d.metadata.labels = { app: 'web', tier: 'front' };
    });
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 5;
    });
    const left = await store.patch(Website, 'a', (d) => {
      d.metadata.labels = { app: 'web' };
    });
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 6;
    });
    stop();
    expect(seen.map(([t]) => t)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    // The DELETED for a watcher the object left carries the change's resourceVersion.
    expect(seen[2]?.[2]).toBe(left.metadata.resourceVersion);
  });

  it('filters by namespace and by field, indexed or not', async () => {
    const { store } = await testStore();
    const mine = record(store.watch(Website, { fieldSelector: 'spec.nodeName=n1' }));
    const byImage = record(store.watch(Website, { fieldSelector: 'spec.image=redis' }));
    const other = record(store.watch(Website, { namespace: 'other' }));
    await settle();
    await store.create(Website, site('a', { nodeName: 'n2' }));
    await store.patch(Website, 'a', (d) => {
      d.spec.nodeName = 'n1';
    });
    await store.create(Website, site('b', { nodeName: 'n1', image: 'redis' }, { namespace: 'other' }));
    await store.patch(Website, 'a', (d) => {
      d.spec.nodeName = 'n3';
    });
    expect(mine.seen.map(([t, n]) => `${t} ${n}`)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(byImage.seen.map(([t, n]) => `${t} ${n}`)).toEqual(['ADDED b']);
    expect(other.seen.map(([t, n]) => `${t} ${n}`)).toEqual(['ADDED b']);
  });

  it('resumes from a resourceVersion with no gap and no duplicate', async () => {
    const { store } = await testStore();
    const a = await store.create(Website, site('a'));
    await store.create(Website, site('b'));
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 2;
    });
    const events = firstValueFrom(
      store.watch(Website, { resourceVersion: a.metadata.resourceVersion }).pipe(take(3), toArray()),
    );
    await settle();
    await store.delete(Website, 'b');
    const list = (await events).map((e) => `${e.type} ${(e.object.metadata as { name: string }).name}`);
    expect(list).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b']);
  });

  it('fails with ExpiredError for a compacted resourceVersion', async () => {
    const { store, log } = await testStore();
    const a = await store.create(Website, site('a'));
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 2;
    });
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 3;
    });
    await store.compact(store.revision);
    const error = await rejection(
      firstValueFrom(store.watch(Website, { resourceVersion: a.metadata.resourceVersion })),
    );
    expect(isKeelsonError(error, 'Expired')).toBe(true);
    expect(error.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    expect(await log.head()).toBe(store.revision);
  });

  it('sends bookmarks on the store’s clock when asked', async () => {
    const { store, clock } = await testStore();
    await store.create(Website, site('a'));
    const { seen, stop } = record(store.watch(Website, { allowBookmarks: true }));
    await settle();
    await clock.advance(60_000);
    await store.create(Website, site('b'));
    await clock.advance(60_000);
    stop();
    expect(seen.map(([t]) => t)).toEqual(['ADDED', 'BOOKMARK', 'ADDED', 'BOOKMARK']);
    expect(seen[3]?.[2]).toBe(String(store.revision));
    expect(clock.pendingTimers()).toBe(0);
  });

  it('delivers one shared event object to every watcher', async () => {
    const { store } = await testStore();
    const got: Array<WatchEvent<unknown>> = [];
    const subs = [0, 1, 2].map(() => store.watch(Website).subscribe((e) => got.push(e)));
    await settle();
    await store.create(Website, site('a'));
    for (const s of subs) s.unsubscribe();
    expect(got).toHaveLength(3);
    expect(got[0]).toBe(got[1]);
    expect(got[1]).toBe(got[2]);
  });
});
