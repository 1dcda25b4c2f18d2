import { createRandom, VirtualClock } from '@keelson/clock';
import { createManager, defineController } from '@keelson/controller';
import { createStore, defineResource, type Store } from '@keelson/core';
import { z } from 'zod';
import { median, progress, type Row, type Timing, time } from './measure';

/** A small custom kind, as a controller author would define one. */
const Widget = defineResource({
  group: 'bench.keelson.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  spec: z.object({ size: z.number().int().min(0).default(1), image: z.string() }),
  status: z.object({ observedSize: z.number().int().optional() }),
});

const COUNT = 10_000;

async function filledStore(): Promise<Store> {
  const store = await createStore({
    types: [Widget],
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    random: createRandom(1, 'bench-controller'),
    logger: { warn: () => undefined },
  });
  for (let i = 0; i < COUNT; i++) {
    await store.create(Widget, { metadata: { name: `w-${i}`, namespace: 'default' }, spec: { image: 'web:1' } });
  }
  return store;
}

/** Waits (yielding real macrotasks, since reconciles are promise chains) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** Starts a manager over 10,000 existing objects and times until each was reconciled once. */
async function initialReconciles(): Promise<Timing> {
  const store = await filledStore();
  let reconciles = 0;
  const manager = createManager({ store });
  manager.add(defineController({ name: 'trivial', for: Widget, reconcile: () => void reconciles++ }));
  const timing = await time(COUNT, async () => {
    await manager.start();
    await until(() => reconciles >= COUNT);
  });
  await manager.stop();
  return timing;
}

/** 10,000 spec updates, each reconciled: writes, watch, informer, queue and reconcile in the time. */
async function updateReconciles(withController: boolean): Promise<Timing> {
  const store = await filledStore();
  let reconciles = 0;
  const manager = createManager({ store });
  manager.add(defineController({ name: 'trivial', for: Widget, reconcile: () => void reconciles++ }));
  if (withController) {
    await manager.start();
    await until(() => reconciles >= COUNT);
    reconciles = 0;
  }
  const timing = await time(COUNT, async () => {
    for (let i = 0; i < COUNT; i++) {
      await store.patch(
        Widget,
        `w-${i}`,
        (d) => {
          d.spec.size = 2;
        },
        { namespace: 'default' },
      );
    }
    if (withController) await until(() => reconciles >= COUNT);
  });
  await manager.stop();
  return timing;
}

export async function controllerBenchmarks(): Promise<Row[]> {
  progress('controller: 10,000 objects reconciled through informer + work queue');
  await initialReconciles();
  const initial = await median(initialReconciles);
  const writes = await median(() => updateReconciles(false));
  const updates = await median(() => updateReconciles(true));
  const rate = (t: Timing) => t.count / (t.ms / 1000);
  return [
    {
      name: 'reconciles of existing objects (informer sync + queue)',
      input: '10,000 objects, trivial reconcile',
      value: rate(initial),
      unit: 'ops/s',
      baselineName: 'bare store writes (patch), no controller',
      baselineValue: rate(writes),
    },
    {
      name: 'reconciles of updates (writes in the time)',
      input: '10,000 patches, trivial reconcile',
      value: rate(updates),
      unit: 'ops/s',
      baselineName: 'bare store writes (patch), no controller',
      baselineValue: rate(writes),
    },
  ];
}
