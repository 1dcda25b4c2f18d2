import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pod } from '@keelson/api';
import { createMemoryLog, type EventLog, openFileLog } from '@keelson/eventlog';
import { POD } from './eventlog.bench';
import { type HeapCost, retained, settledHeap } from './heap';
import { progress, type Row } from './measure';
import { openBenchStore, writePodHistory } from './store.bench';

/**
 * Heap retained per stored object and per log entry, on 1,000 keys × 100
 * versions. Every entry carries its own parsed copy of the data, as entries
 * read back from a file or decoded from the network do; the baseline is the
 * same copies held in a bare array, so the ratio is the structure's overhead
 * over the data itself.
 */
const KEYS = 1_000;
const VERSIONS = 100;
const ENTRIES = KEYS * VERSIONS;
const POD_JSON = JSON.stringify(POD);

/** A distinct copy of the fixed 1 KB pod for key `i`, version `v`. */
function podCopy(i: number, v: number): typeof POD {
  const pod = JSON.parse(POD_JSON) as typeof POD;
  pod.metadata.name = `pod-${i}`;
  pod.metadata.resourceVersion = String(v * KEYS + i + 1);
  return pod;
}

function copies(make: (i: number, v: number) => unknown): unknown[] {
  const all: unknown[] = [];
  for (let v = 0; v < VERSIONS; v++) for (let i = 0; i < KEYS; i++) all.push(make(i, v));
  return all;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const cpuNote = (cost: HeapCost<unknown>, extra = '') =>
  `built in ${(cost.ms / 1000).toFixed(1)} s wall, ${(cost.cpuMs / 1000).toFixed(1)} CPU-s${extra}`;
const input = `${ENTRIES.toLocaleString('en-US')} entries (${KEYS.toLocaleString('en-US')} keys × ${VERSIONS})`;

async function appendCopies(log: EventLog): Promise<void> {
  let time = 0;
  for (let v = 0; v < VERSIONS; v++) {
    for (let i = 0; i < KEYS; i++) {
      await log.append({ key: `pods/default/pod-${i}`, type: 'Pod', time: time++, data: podCopy(i, v) });
    }
  }
}

/** Heap per retained entry of the memory log and of a reopened file log, beside the bare data. */
export async function eventlogMemoryBenchmarks(): Promise<Row[]> {
  progress(`eventlog memory: heap per retained entry, ${input}, ${POD_JSON.length} B of JSON each`);
  const bare = await retained(() => copies(podCopy));
  const bytesPerCopy = bare.heapBytes / ENTRIES;
  bare.kept.length = 0;
  const rows: Row[] = [];
  const memory = await retained(async () => {
    const log = createMemoryLog();
    await appendCopies(log);
    return log;
  });
  rows.push({
    name: 'memory log: heap per retained entry (lower is better)',
    input,
    value: memory.heapBytes / ENTRIES,
    unit: 'B/entry',
    baselineName: 'the same parsed data in an array',
    baselineValue: bytesPerCopy,
    note: cpuNote(memory),
  });
  await memory.kept.close();

  const root = await mkdtemp(join(tmpdir(), 'keelson-bench-heap-'));
  try {
    const dir = join(root, 'log');
    const writer = await openFileLog(dir, { fsync: 'never' });
    await appendCopies(writer);
    await writer.close();
    const opened = await retained(() => openFileLog(dir, { fsync: 'never' }));
    const total = opened.heapBytes + opened.externalBytes;
    rows.push({
      name: 'file log reopened: heap + Buffer bytes per entry',
      input,
      value: total / ENTRIES,
      unit: 'B/entry',
      baselineName: 'the same parsed data in an array',
      baselineValue: bytesPerCopy,
      note: cpuNote(opened, `; ${kb(opened.heapBytes / ENTRIES)} heap + ${kb(opened.externalBytes / ENTRIES)} Buffer`),
    });
    const decoded = await retained(async () => {
      for await (const entry of opened.kept.read()) if (entry.data === undefined) throw new Error('no data');
    });
    rows.push({
      name: 'file log: more heap per entry once every entry was read',
      input,
      value: decoded.heapBytes / ENTRIES,
      unit: 'B/entry',
      baselineName: 'the same parsed data in an array',
      baselineValue: bytesPerCopy,
      note: cpuNote(decoded),
    });
    await opened.kept.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

/** Heap per retained entry and per stored object of a store, written through the store and rebuilt from a file. */
export async function storeMemoryBenchmarks(): Promise<Row[]> {
  progress(`store memory: heap per retained entry and per object, ${input}`);
  const rows: Row[] = [];
  // What a store costs before it holds anything (schemas, indexes, the log): taken off the per-object figure.
  const empty = await retained(async () => {
    const store = await openBenchStore();
    await writePodHistory(store, 10, 2);
    return store;
  });
  await empty.kept.close();
  const base = settledHeap().heap;
  const written = await retained(async () => {
    const store = await openBenchStore();
    await writePodHistory(store, KEYS, VERSIONS);
    return store;
  });
  const store = written.kept;
  const sample = await store.get(Pod, 'pod-0', { namespace: 'default' });
  const sampleJson = JSON.stringify(sample);
  const bare = await retained(() => copies(() => JSON.parse(sampleJson)));
  const bytesPerCopy = bare.heapBytes / ENTRIES;
  bare.kept.length = 0;
  const note = `stored pods are ${sampleJson.length} B of JSON`;
  rows.push({
    name: 'store (memory log, written through the store): heap per retained entry',
    input,
    value: written.heapBytes / ENTRIES,
    unit: 'B/entry',
    baselineName: 'parsed copies of a stored pod in an array',
    baselineValue: bytesPerCopy,
    note: `${note}; ${cpuNote(written)}`,
  });
  await store.compact(store.revision);
  const compacted = settledHeap().heap - base - empty.heapBytes;
  rows.push({
    name: 'store compacted to the head: heap per stored object',
    input: `${KEYS.toLocaleString('en-US')} objects`,
    value: compacted / KEYS,
    unit: 'B/object',
    baselineName: 'parsed copies of a stored pod in an array',
    baselineValue: bytesPerCopy,
    note: `${note}; less ${kb(empty.heapBytes)} for a store of 10 pods × 2 versions (fixed costs, warm code)`,
  });
  await store.close();
  // Per object without fixed costs: a store of 2,000 pods less one of 1,000, each pod written once.
  const sized = async (pods: number) => {
    const cost = await retained(async () => {
      const one = await openBenchStore();
      await writePodHistory(one, pods, 1);
      return one;
    });
    await cost.kept.close();
    return cost;
  };
  await sized(KEYS);
  const [small, large] = [await sized(KEYS), await sized(2 * KEYS)];
  rows.push({
    name: 'store, each pod written once: heap per stored object',
    input: '2,000 objects less 1,000',
    value: (large.heapBytes - small.heapBytes) / KEYS,
    unit: 'B/object',
    baselineName: 'parsed copies of a stored pod in an array',
    baselineValue: bytesPerCopy,
    note,
  });

  const root = await mkdtemp(join(tmpdir(), 'keelson-bench-heap-'));
  try {
    const dir = join(root, 'log');
    const log = await openFileLog(dir, { fsync: 'never' });
    await writePodHistory(await openBenchStore(log), KEYS, VERSIONS);
    await log.close();
    const rebuilt = await retained(async () => {
      const reopened = await openFileLog(dir, { fsync: 'never' });
      return { log: reopened, store: await openBenchStore(reopened) };
    });
    rows.push({
      name: 'store rebuilt from a file log: heap + Buffer bytes per entry',
      input,
      value: (rebuilt.heapBytes + rebuilt.externalBytes) / ENTRIES,
      unit: 'B/entry',
      baselineName: 'parsed copies of a stored pod in an array',
      baselineValue: bytesPerCopy,
      note: cpuNote(
        rebuilt,
        `; ${kb(rebuilt.heapBytes / ENTRIES)} heap + ${kb(rebuilt.externalBytes / ENTRIES)} Buffer`,
      ),
    });
    await rebuilt.kept.store.close();
    await rebuilt.kept.log.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}
