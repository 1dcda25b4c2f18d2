import { Lease } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { harness, memoryLogger, settle, Widget, widget } from '../../test/harness';
import { createManager } from '../manager/createManager';
import { type Client, defineController, type Request, TerminalError, watchSource } from './defineController';
import { generationChanged } from './predicates';

const key = (r: Request) => `${r.namespace}/${r.name}`;

describe('controllers', () => {
  it('reconciles each object once caches are synced, level-triggered by key', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const seen: string[] = [];
    const manager = createManager({ store });
    manager.add(
      defineController({
        name: 'sizer',
        for: Widget,
        async reconcile(request, { client }) {
          const current = await client.get(Widget, request.name, { namespace: request.namespace });
          seen.push(`${key(request)} size ${current.spec.size}`);
          if (current.status?.observedSize !== current.spec.size) {
            await client.updateStatus({ ...current, status: { observedSize: current.spec.size } });
          }
        },
      }),
    );
    await manager.start();
    await settle(clock);
    await store.patch(
      Widget,
      'a',
      (d) => {
        d.spec.size = 5;
      },
      { namespace: 'default' },
    );
    await settle(clock);
    expect((await store.get(Widget, 'a', { namespace: 'default' })).status?.observedSize).toBe(5);
    // Each write (spec, then the status it caused) is one more reconcile of the same key.
    expect(seen).toEqual(['default/a size 1', 'default/a size 1', 'default/a size 5', 'default/a size 5']);
    await manager.stop();
  });

  it('drops status-only updates with generationChanged()', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    let runs = 0;
    const manager = createManager({ store });
    manager.add(
      defineController({ name: 'gen', for: Widget, predicates: [generationChanged()], reconcile: () => void runs++ }),
    );
    await manager.start();
    await settle(clock);
    const current = await store.get(Widget, 'a', { namespace: 'default' });
    await store.updateStatus({ ...current, status: { observedSize: 1 } });
    await settle(clock);
    expect(runs).toBe(1);
    await store.patch(
      Widget,
      'a',
      (d) => {
        d.spec.size = 2;
      },
      { namespace: 'default' },
    );
    await settle(clock);
    expect(runs).toBe(2);
    await manager.stop();
  });

  it('requeues after requeueAfter at the exact virtual time', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const at: number[] = [];
    const manager = createManager({ store });
    manager.add(
      defineController({
        name: 'poller',
        for: Widget,
        reconcile: () => {
          at.push(clock.now() - Date.UTC(2026, 0, 1));
          return at.length < 3 ? { requeueAfter: 30_000 } : undefined;
        },
      }),
    );
    await manager.start();
    await clock.advance(100_000);
    expect(at).toEqual([0, 30_000, 60_000]);
    await manager.stop();
  });

  it('retries errors with the rate limiter’s exact delays and gives up on a TerminalError', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('flaky'));
    await store.create(Widget, widget('doomed'));
    const attempts: Record<string, number[]> = { flaky: [], doomed: [] };
    const logger = memoryLogger();
    const manager = createManager({ store, logger });
    manager.add(
      defineController({
        name: 'retry',
        for: Widget,
        reconcile: ({ name }) => {
          attempts[name]?.push(clock.now() - Date.UTC(2026, 0, 1));
          if (name === 'doomed') throw new TerminalError('cannot ever work');
          if ((attempts[name]?.length ?? 0) < 5) throw new Error('not yet');
          return undefined;
        },
      }),
    );
    await manager.start();
    await clock.advance(10_000);
    // 5 ms, 10 ms, 20 ms, 40 ms: per-item exponential backoff (the bucket allows this burst).
    expect(attempts.flaky).toEqual([0, 5, 15, 35, 75]);
    expect(attempts.doomed).toEqual([0]);
    expect(manager.stats().retry).toEqual({ reconciles: 6, errors: 4, terminal: 1, queued: 0 });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'reconciler error: giving up on default/doomed',
      fields: {
        component: 'controller-manager',
        controller: 'retry',
        namespace: 'default',
        name: 'doomed',
        terminal: true,
        error: 'cannot ever work',
        code: 'Terminal',
      },
    });
    await manager.stop();
  });

  it('never reconciles one key in two workers, even with maxConcurrentReconciles 4', async () => {
    const { clock, store } = await harness();
    for (let i = 0; i < 6; i++) await store.create(Widget, widget(`w${i}`));
    const active = new Set<string>();
    let overlap = false;
    let maxParallel = 0;
    const manager = createManager({ store });
    manager.add(
      defineController({
        name: 'slow',
        for: Widget,
        maxConcurrentReconciles: 4,
        reconcile: async ({ name }) => {
          if (active.has(name)) overlap = true;
          active.add(name);
          maxParallel = Math.max(maxParallel, active.size);
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 1_000));
          active.delete(name);
        },
      }),
    );
    await manager.start();
    await settle(clock);
    // Hammer the same keys while they are being reconciled.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 6; i++) {
        await store.patch(
          Widget,
          `w${i}`,
          (d) => {
            d.spec.size += 1;
          },
          { namespace: 'default' },
        );
      }
      await clock.advance(300);
    }
    await clock.advance(20_000);
    expect(overlap).toBe(false);
    expect(maxParallel).toBe(4);
    await manager.stop();
  });

  it('maps owned objects to their controller owner and watched objects through map', async () => {
    const { clock, store } = await harness();
    const parent = await store.create(Widget, widget('parent'));
    const got: string[] = [];
    const manager = createManager({ store });
    manager.add(
      defineController({
        name: 'owner',
        for: Widget,
        owns: [Lease],
        watches: [
          watchSource(Lease, (lease) =>
            lease.spec.holderIdentity ? [{ name: lease.spec.holderIdentity, namespace: 'default' }] : [],
          ),
        ],
        predicates: [{ create: (w) => w.metadata.name !== 'parent' }],
        reconcile: (request) => void got.push(key(request)),
      }),
    );
    await manager.start();
    await settle(clock);
    expect(got).toEqual([]);
    await store.create(Lease, {
      metadata: {
        name: 'child',
        namespace: 'default',
        ownerReferences: [
          {
            apiVersion: 'test.keelson.dev/v1',
            kind: 'Widget',
            name: 'parent',
            uid: parent.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: { holderIdentity: 'holder' },
    });
    await settle(clock);
    expect(got.sort()).toEqual(['default/holder', 'default/parent']);
    await manager.stop();
  });

  it('keeps running when a reconcile throws something odd, and stop() drains', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    let finished = 0;
    const manager = createManager({ store, logger: memoryLogger() });
    manager.add(
      defineController({
        name: 'odd',
        for: Widget,
        reconcile: async ({ name }) => {
          if (name === 'a') throw 'a string, not an Error';
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 5_000));
          finished++;
        },
      }),
    );
    await manager.start();
    await settle(clock);
    await store.create(Widget, widget('b'));
    await settle(clock);
    const stopping = manager.stop();
    await clock.advance(5_000);
    await stopping;
    expect(finished).toBe(1);
    expect(manager.stats().odd?.errors).toBeGreaterThan(0);
  });

  it('shares one informer per (kind, namespace, selectors) across controllers', async () => {
    const { store } = await harness();
    const manager = createManager({ store });
    manager.add(defineController({ name: 'one', for: Widget, reconcile: () => undefined }));
    manager.add(defineController({ name: 'two', for: Widget, reconcile: () => undefined }));
    expect(manager.informerFor(Widget)).toBe(manager.informerFor(Widget));
    expect(manager.informerFor(Widget, { namespace: 'other' })).not.toBe(manager.informerFor(Widget));
    expect(manager.informerFor(Widget, { labelSelector: 'a=b' })).not.toBe(manager.informerFor(Widget));
  });

  it('refuses writes through ctx.client once the manager has stopped', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    let client: Client | undefined;
    let signal: AbortSignal | undefined;
    const manager = createManager({ store });
    manager.add(
      defineController({
        name: 'keeper',
        for: Widget,
        reconcile: (_request, ctx) => {
          client = ctx.client;
          signal = ctx.signal;
        },
      }),
    );
    await manager.start();
    await settle(clock);
    await manager.stop();
    expect(signal?.aborted).toBe(true);
    const error = await client?.create(Widget, widget('b')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKeelsonError(error, 'Forbidden')).toBe(true);
    expect((await client?.get(Widget, 'a', { namespace: 'default' }))?.metadata.name).toBe('a');
    expect((await store.list(Widget)).items.map((w) => w.metadata.name)).toEqual(['a']);
  });
});
