import { ExpiredError } from '@keelson/core';
import { from, mergeMap, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { harness, settle, Widget, widget } from '../../test/harness';
import { createInformer, type InformerEvent } from './informer';

describe('informer', () => {
  it('lists then watches, calling handlers in order per object', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const informer = createInformer(store, Widget);
    const seen: string[] = [];
    informer.on('add', (o, initial) => seen.push(`add ${o.metadata.name} ${initial}`));
    informer.on('update', (o, n) => seen.push(`update ${n.metadata.name} ${o.spec.size}->${n.spec.size}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata.name}`));
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    await store.create(Widget, widget('b'));
    await store.patch(
      Widget,
      'a',
      (d) => {
        d.spec.size = 3;
      },
      { namespace: 'default' },
    );
    await store.delete(Widget, 'b', { namespace: 'default' });
    await settle(clock);
    expect(seen).toEqual(['add a true', 'add b false', 'update a 1->3', 'delete b']);
    expect(informer.get('a', 'default')).toBe(await store.get(Widget, 'a', { namespace: 'default' }));
    expect(informer.list().map((w) => w.metadata.name)).toEqual(['a']);
    informer.stop();
  });

  it('gives a late add handler synthetic adds, and streams the same events on events$', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    await store.create(Widget, widget('b'));
    const informer = createInformer(store, Widget);
    const streamed: InformerEvent<Widget>[] = [];
    informer.events$.subscribe((e) => streamed.push(e));
    informer.start();
    await informer.waitForSync();
    const late: string[] = [];
    informer.on('add', (o, initial) => late.push(`${o.metadata.name} ${initial}`));
    expect(late).toEqual(['a true', 'b true']);
    await store.create(Widget, widget('c'));
    await settle(clock);
    expect(late).toEqual(['a true', 'b true', 'c false']);
    expect(streamed.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['add a', 'add b', 'add c']);
    informer.stop();
  });

  it('keeps indexes and filters by selector', async () => {
    const { clock, store } = await harness();
    const informer = createInformer(store, Widget, {
      labelSelector: 'team=blue',
      indexers: { bySize: (w) => [String(w.spec.size)] },
    });
    informer.start();
    await informer.waitForSync();
    await store.create(Widget, widget('a', 1, { labels: { team: 'blue' } }));
    await store.create(Widget, widget('b', 2, { labels: { team: 'blue', tier: 'x' } }));
    await store.create(Widget, widget('c', 2, { labels: { team: 'red' } }));
    await settle(clock);
    expect(informer.byIndex('bySize', '2').map((w) => w.metadata.name)).toEqual(['b']);
    await store.patch(
      Widget,
      'a',
      (d) => {
        d.spec.size = 2;
      },
      { namespace: 'default' },
    );
    await settle(clock);
    expect(informer.byIndex('bySize', '2').map((w) => w.metadata.name)).toEqual(['a', 'b']);
    expect(informer.byIndex('bySize', '1')).toEqual([]);
    expect(informer.list('tier=x').map((w) => w.metadata.name)).toEqual(['b']);
    expect(() => informer.byIndex('nope', 'x')).toThrow(/has no index "nope"/);
    informer.stop();
  });

  it('resyncs every resyncPeriod with update(obj, obj)', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const informer = createInformer(store, Widget, { resyncPeriod: 30_000 });
    const updates: boolean[] = [];
    informer.on('update', (o, n) => updates.push(o === n));
    informer.start();
    await informer.waitForSync();
    await clock.advance(29_999);
    expect(updates).toEqual([]);
    await clock.advance(1);
    expect(updates).toEqual([true]);
    await clock.advance(30_000);
    expect(updates).toEqual([true, true]);
    informer.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('relists after its watch expires and deletes what vanished meanwhile', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    await store.create(Widget, widget('b'));
    // A store whose first watch falls behind a compaction: meanwhile b goes, c comes, a changes.
    let watches = 0;
    const flaky = Object.create(store, {
      watch: {
        value: (...args: Parameters<typeof store.watch>) => {
          watches++;
          if (watches > 1) return store.watch(...args);
          const meanwhile = async () => {
            await store.delete(Widget, 'b', { namespace: 'default' });
            await store.create(Widget, widget('c'));
            await store.patch(
              Widget,
              'a',
              (d) => {
                d.spec.size = 9;
              },
              { namespace: 'default' },
            );
            await store.compact(store.revision);
          };
          return from(meanwhile()).pipe(mergeMap(() => throwError(() => new ExpiredError('too old resource version'))));
        },
      },
    }) as typeof store;
    const informer = createInformer(flaky, Widget);
    const seen: string[] = [];
    informer.on('add', (o, initial) => seen.push(`add ${o.metadata.name} ${initial}`));
    informer.on('update', (_o, n) => seen.push(`update ${n.metadata.name} ${n.spec.size}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata.name}`));
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    expect(watches).toBe(2);
    expect(seen).toEqual(['add a true', 'add b true', 'update a 9', 'add c false', 'delete b']);
    expect(informer.list().map((w) => w.metadata.name)).toEqual(['a', 'c']);
    // The second watch is live.
    await store.create(Widget, widget('d'));
    await settle(clock);
    expect(seen.at(-1)).toBe('add d false');
    informer.stop();
  });
});
