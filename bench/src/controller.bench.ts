import { createRandom, VirtualClock } from '@keelson/clock';
import { createManager, defineController, generationChanged } from '@keelson/controller';
import { createStore, defineResource, type Store } from '@keelson/core';
import { z } from 'zod';
import { type EndToEnd, percentile, statusPipeline } from './controllerBaseline';
import { median, progress, type Row, type Timing, time, until } from './measure';

/** A small custom kind, as a controller author would define one. */
export const Widget = defineResource({
  group: 'bench.keelson.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  spec: z.object({ size: z.number().int().min(0).default(1), image: z.string() }),
  status: z.object({ observedSize: z.number().int().optional() }),
});

const COUNT = 10_000;

async function emptyStore(): Promise<Store> {
  return createStore({
    types: [Widget],
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    random: createRandom(1, 'bench-controller'),
    logger: { warn: () => undefined },
  });
}

async function filledStore(): Promise<Store> {
  const store = await emptyStore();
  for (let i = 0; i < COUNT; i++) {
    await store.create(Widget, { metadata: { name: `w-${i}`, namespace: 'default' }, spec: { image: 'web:1' } });
  }
  return store;
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

/**
 * The whole controller path: `count` creates through the store, each seen by
 * the manager's informer, queued, reconciled, and its status written back by
 * the reconcile. Latency runs from just before the create to the reconcile
 * reading the object from its cache (wall clock, for measurement only; the
 * cluster runs on a VirtualClock).
 */
export async function statusRoundTrips(count: number, paced: boolean): Promise<EndToEnd> {
  const store = await emptyStore();
  const writtenAt = new Map<string, number>();
  const latencies: number[] = [];
  let statusWrites = 0;
  const manager = createManager({ store });
  manager.add(
    defineController({
      name: 'status-writer',
      for: Widget,
      predicates: [generationChanged()],
      async reconcile({ name, namespace }, { cache, client }) {
        const widget = cache.get(Widget, name, namespace);
        if (widget === undefined || widget.status?.observedSize === widget.spec.size) return;
        latencies.push(performance.now() - (writtenAt.get(name) as number));
        await client.updateStatus({ ...widget, status: { observedSize: widget.spec.size } });
        statusWrites++;
      },
    }),
  );
  await manager.start();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const name = `w-${i}`;
    writtenAt.set(name, performance.now());
    await store.create(Widget, { metadata: { name, namespace: 'default' }, spec: { image: 'web:1' } });
    if (paced) await until(() => statusWrites > i);
  }
  await until(() => statusWrites >= count);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await manager.stop();
  const last = await store.get(Widget, `w-${count - 1}`, { namespace: 'default' });
  if (last.status?.observedSize !== 1) throw new Error('benchmark self-check failed: status not written back');
  return { count, ms, cpuMs: (used.user + used.system) / 1000, latencies };
}

export async function controllerBenchmarks(): Promise<Row[]> {
  progress('controller: 10,000 objects reconciled through informer + work queue');
  await initialReconciles();
  const initial = await median(initialReconciles);
  const writes = await median(() => updateReconciles(false));
  const updates = await median(() => updateReconciles(true));
  const rate = (t: Timing) => t.count / (t.ms / 1000);
  const rows: Row[] = [
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
  progress('controller: 10,000 creates → informer → queue → reconcile → updateStatus, beside a bare rxjs pipeline');
  for (const paced of [false, true]) {
    await statusRoundTrips(1_000, paced);
    await statusPipeline(1_000, paced);
    const keelson = await median(() => statusRoundTrips(COUNT, paced));
    const bare = await median(() => statusPipeline(COUNT, paced));
    rows.push(...endToEndRows(keelson, bare, paced));
  }
  return rows;
}

function endToEndRows(keelson: EndToEnd, bare: EndToEnd, paced: boolean): Row[] {
  const how = paced ? 'one at a time' : 'back to back';
  const input = `10,000 creates ${how}, each status written back`;
  const baselineName = 'rxjs Subject → concatMap → Map write';
  const seconds = (run: EndToEnd) => `${(run.ms / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} CPU-s`;
  const rows: Row[] = [
    {
      name: `controller path (${how}): create → reconcile → updateStatus`,
      input,
      value: keelson.count / (keelson.ms / 1000),
      unit: 'reconciles/s',
      baselineName,
      baselineValue: bare.count / (bare.ms / 1000),
      note: `${seconds(keelson)}; baseline ${seconds(bare)}`,
    },
    {
      name: `controller path (${how}): per CPU-second`,
      input,
      value: keelson.count / (keelson.cpuMs / 1000),
      unit: 'reconciles/CPU-s',
      baselineName,
      baselineValue: bare.count / (bare.cpuMs / 1000),
    },
  ];
  const scale = paced ? 1000 : 1;
  for (const p of [50, 99]) {
    rows.push({
      name: `controller path (${how}): p${p} latency, write → reconcile reads it`,
      input,
      value: percentile(keelson.latencies, p) * scale,
      unit: paced ? 'µs' : 'ms',
      baselineName,
      baselineValue: percentile(bare.latencies, p) * scale,
    });
  }
  return rows;
}
