import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInMemoryEventStore } from '@event-driven-io/emmett';
import { builtinTypes, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, type Store } from '@keelson/core';
import { createMemoryLog, type NewLogEntry, openFileLog } from '@keelson/eventlog';
import { Subject } from 'rxjs';
import { median, progress, type Row, type Timing, time } from './measure';

/**
 * Fixed inputs: pods with two containers (requests, limits, a probe, env),
 * names pod-<i>, nodes node-<i % nodes>. Everything runs on a virtual clock
 * and a seeded random source, so every run writes the same log.
 */
export function podInput(i: number, nodes = 0) {
  return {
    metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${i % 10}`, tier: 'web' } },
    spec: {
      ...(nodes > 0 ? { nodeName: `node-${i % nodes}` } : {}),
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:1.24.3',
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        },
        {
          name: 'sidecar',
          image: 'registry.example.com/proxy:2.1.0',
          resources: { requests: { cpu: '50m', memory: '64Mi' } },
        },
      ],
    },
  };
}

export async function openBenchStore(log = createMemoryLog()): Promise<Store> {
  return createStore({
    types: builtinTypes,
    log,
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    random: createRandom(1, 'bench'),
    logger: { warn: () => undefined },
  });
}

/** Creates `pods` pods, then patches each `versions - 1` times (a label), 1,000 writes in flight: pods × versions entries. */
export async function writePodHistory(writer: Store, pods: number, versions: number): Promise<void> {
  for (let i = 0; i < pods; i++) await writer.create(Pod, podInput(i));
  for (let round = 0; round < versions - 1; round++) {
    for (let from = 0; from < pods; from += 1_000) {
      const batch = [];
      for (let i = from; i < Math.min(pods, from + 1_000); i++) {
        const label = { round: String(round) };
        batch.push(
          writer.patch(
            Pod,
            `pod-${i}`,
            (d) => {
              d.metadata.labels = { ...d.metadata.labels, ...label };
            },
            { namespace: 'default' },
          ),
        );
      }
      await Promise.all(batch);
    }
  }
}

/** Creates `count` pods, then updates each once (a new image): 2 × count validated writes. */
async function storeWrites(count: number): Promise<Timing> {
  const store = await openBenchStore();
  return time(2 * count, async () => {
    const created: Pod[] = [];
    for (let i = 0; i < count; i++) created.push(await store.create(Pod, podInput(i)));
    for (const pod of created) {
      const [web, ...rest] = pod.spec.containers;
      await store.update({
        ...pod,
        spec: { ...pod.spec, containers: [{ ...web, image: 'registry.example.com/web:1.25.0' }, ...rest] },
      } as Pod);
    }
  });
}

/** The same objects appended to a bare memory log (create, then update with expected revisions). */
async function bareLogWrites(count: number): Promise<Timing> {
  const log = createMemoryLog();
  const entries: NewLogEntry[] = Array.from({ length: count }, (_, i) => ({
    key: `core/pods/default/pod-${i}`,
    type: 'core/pods',
    time: 0,
    data: podInput(i),
  }));
  return time(2 * count, async () => {
    const revisions: number[] = [];
    for (const entry of entries) revisions.push((await log.append(entry, { expectedRevision: 0 })).revision);
    for (let i = 0; i < count; i++)
      await log.append(entries[i] as NewLogEntry, { expectedRevision: revisions[i] as number });
  });
}

/** Emmett's in-memory event store, appendToStream with expected versions, on the same objects. */
async function emmettWrites(count: number): Promise<Timing> {
  const events = getInMemoryEventStore();
  const inputs = Array.from({ length: count }, (_, i) => podInput(i));
  return time(2 * count, async () => {
    const versions: bigint[] = [];
    for (let i = 0; i < count; i++) {
      const result = await events.appendToStream(
        `pod-${i}`,
        [{ type: 'PodCreated', data: inputs[i] as Record<string, unknown> }],
        {
          expectedStreamVersion: 0n,
        },
      );
      versions.push(result.nextExpectedStreamVersion);
    }
    for (let i = 0; i < count; i++) {
      await events.appendToStream(`pod-${i}`, [{ type: 'PodUpdated', data: inputs[i] as Record<string, unknown> }], {
        expectedStreamVersion: versions[i] as bigint,
      });
    }
  });
}

/** `watchers` unfiltered watches, then `updates` pod updates; deliveries counted, writes in the time. */
async function fanOut(watchers: number, updates: number): Promise<Timing> {
  const store = await openBenchStore();
  const pods = 100;
  for (let i = 0; i < pods; i++) await store.create(Pod, podInput(i));
  let delivered = 0;
  const subs = Array.from({ length: watchers }, () =>
    store.watch(Pod, { resourceVersion: String(store.revision) }).subscribe(() => delivered++),
  );
  await new Promise((resolve) => setImmediate(resolve));
  const timing = await time(0, async () => {
    for (let i = 0; i < updates; i++) {
      await store.patch(
        Pod,
        `pod-${i % pods}`,
        (draft) => {
          draft.metadata.labels = { ...draft.metadata.labels, round: String(i) };
        },
        { namespace: 'default' },
      );
    }
  });
  for (const sub of subs) sub.unsubscribe();
  return { count: delivered, ms: timing.ms };
}

/** The bare minimum of the same fan-out: an rxjs Subject with `watchers` subscribers. */
async function subjectFanOut(watchers: number, updates: number): Promise<Timing> {
  const subject = new Subject<number>();
  let delivered = 0;
  for (let w = 0; w < watchers; w++) subject.subscribe(() => delivered++);
  const timing = await time(0, async () => {
    for (let i = 0; i < updates; i++) subject.next(i);
  });
  return { count: delivered, ms: timing.ms };
}

/** `watchers` node agents each watching spec.nodeName=<its node>, then `updates` pod updates. */
async function indexedWatch(watchers: number, updates: number): Promise<Timing> {
  const store = await openBenchStore();
  const pods = 1_000;
  for (let i = 0; i < pods; i++) await store.create(Pod, podInput(i, watchers));
  let delivered = 0;
  const subs = Array.from({ length: watchers }, (_, n) =>
    store
      .watch(Pod, { fieldSelector: `spec.nodeName=node-${n}`, resourceVersion: String(store.revision) })
      .subscribe(() => delivered++),
  );
  await new Promise((resolve) => setImmediate(resolve));
  const timing = await time(updates, async () => {
    for (let i = 0; i < updates; i++) {
      await store.patch(
        Pod,
        `pod-${i % pods}`,
        (draft) => {
          draft.metadata.labels = { ...draft.metadata.labels, round: String(i % 7) };
        },
        { namespace: 'default' },
      );
    }
  });
  for (const sub of subs) sub.unsubscribe();
  if (delivered !== updates) throw new Error(`indexed watch delivered ${delivered} events for ${updates} updates`);
  return timing;
}

/** Opens a store on a file log of `count` pod writes (1,000 pods): entries applied per second. */
async function rebuild(dir: string): Promise<Timing> {
  let entries = 0;
  let close: () => Promise<void> = async () => undefined;
  const timing = await time(0, async () => {
    const log = await openFileLog(dir, { fsync: 'never' });
    const store = await openBenchStore(log);
    entries = store.revision;
    close = () => log.close();
  });
  await close();
  return { count: entries, ms: timing.ms };
}

export async function storeBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const writes = 20_000;
  progress(`store: ${writes.toLocaleString('en-US')} pods created then updated (memory log)`);
  await storeWrites(2_000);
  const store = await median(() => storeWrites(writes));
  const bare = await median(() => bareLogWrites(writes));
  const emmett = await median(() => emmettWrites(writes));
  const input = `${writes.toLocaleString('en-US')} pods × (create + update)`;
  rows.push({
    name: 'store writes, memory log (validated)',
    input,
    value: store.count / (store.ms / 1000),
    unit: 'writes/s',
    baselineName: 'bare memory-log append',
    baselineValue: bare.count / (bare.ms / 1000),
  });
  rows.push({
    name: 'store writes, memory log (validated)',
    input,
    value: store.count / (store.ms / 1000),
    unit: 'writes/s',
    baselineName: 'Emmett in-memory appendToStream',
    baselineValue: emmett.count / (emmett.ms / 1000),
  });

  progress('store: watch fan-out, 100 watchers × 10,000 updates');
  await fanOut(10, 1_000);
  const fan = await median(() => fanOut(100, 10_000));
  const subject = await median(() => subjectFanOut(100, 10_000));
  rows.push({
    name: 'watch fan-out (writes in the time)',
    input: '100 watchers, 10,000 updates',
    value: fan.count / (fan.ms / 1000),
    unit: 'deliveries/s',
    baselineName: 'rxjs Subject, 100 subscribers',
    baselineValue: subject.count / (subject.ms / 1000),
  });

  progress('store: indexed watch on spec.nodeName, 500 vs 5,000 watchers, 100,000 updates');
  await indexedWatch(500, 5_000);
  const small = await median(() => indexedWatch(500, 100_000));
  const large = await median(() => indexedWatch(5_000, 100_000));
  rows.push({
    name: 'indexed watch: µs per update (lower is better)',
    input: '5,000 watchers, 100,000 updates',
    value: (large.ms * 1000) / large.count,
    unit: 'µs/update',
    baselineName: 'same with 500 watchers',
    baselineValue: (small.ms * 1000) / small.count,
  });

  const root = await mkdtemp(join(tmpdir(), 'keelson-bench-store-'));
  try {
    const dir = join(root, 'log');
    progress('store: writing a file log of 1,000 pods × 100 versions (not timed)');
    {
      const log = await openFileLog(dir, { fsync: 'never' });
      await writePodHistory(await openBenchStore(log), 1_000, 100);
      await log.close();
    }
    progress('store: rebuild from the file log');
    await rebuild(dir);
    const rebuilt = await median(() => rebuild(dir));
    const logOnly = await median(async () => {
      let n = 0;
      const t = await time(0, async () => {
        const log = await openFileLog(dir, { fsync: 'never' });
        for await (const _ of log.read()) n++;
        await log.close();
      });
      return { count: n, ms: t.ms };
    });
    rows.push({
      name: 'store rebuild from a file log',
      input: '100,000 entries (1,000 pods × 100 versions)',
      value: rebuilt.count / (rebuilt.ms / 1000),
      unit: 'entries/s',
      baselineName: 'opening the file log alone',
      baselineValue: logOnly.count / (logOnly.ms / 1000),
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}
