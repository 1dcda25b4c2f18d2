import { type FileHandle, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@keelson/clock';
import type { EventLog, FsyncMode, NewLogEntry } from '@keelson/eventlog';
import { createMemoryLog, openFileLog } from '@keelson/eventlog';
import { Subject } from 'rxjs';
import { median, perSecond, progress, type Row, type Timing, time } from './measure';

/**
 * Fixed inputs, so figures compare across runs: every entry carries the same
 * pod-like object (about 1 KB of JSON), keys cycle over 1,000 pods, times
 * count up from a fixed epoch.
 */
/** The fixed pod-like object every entry carries (1,042 bytes of JSON); the etcd suite uses it too. */
export const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-7d4b9c8f6d-x2kqp',
    namespace: 'default',
    uid: '3f1c2a9e-5b7d-4e0a-9c61-8a2f4d7b1e90',
    resourceVersion: '1048576',
    creationTimestamp: '2024-01-01T00:00:00Z',
    labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '7d4b9c8f6d' },
  },
  spec: {
    nodeName: 'node-03',
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: 'web',
        image: 'registry.example.com/web:1.24.3',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'CACHE_TTL_SECONDS', value: '300' },
        ],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.244.3.17',
    startTime: '2024-01-01T00:00:05Z',
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:09Z' },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: '2024-01-01T00:00:09Z' },
    ],
    containerStatuses: [{ name: 'web', ready: true, restartCount: 0, started: true }],
  },
};

type Pod = typeof POD;
type Entry = NewLogEntry<Pod>;

/** A fixed epoch (2024-01-01T00:00:00Z), not the wall clock. */
const TIME0 = 1_704_067_200_000;

function makeEntries(count: number): Entry[] {
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ key: `pods/default/pod-${i % 1000}`, type: 'Pod', time: TIME0 + i, data: POD });
  }
  return entries;
}

/** The bytes the file log writes for an entry (format 2: a 36-byte binary header, key, type, data JSON): the baselines write these. */
function recordBytes(entry: Entry, revision: number): Buffer {
  const key = Buffer.from(entry.key);
  const type = Buffer.from(entry.type);
  const data = Buffer.from(JSON.stringify(entry.data));
  const record = Buffer.alloc(36 + key.length + type.length + data.length);
  record.writeDoubleLE(revision, 0);
  record.writeDoubleLE(entry.time, 8);
  record.writeUInt32LE(key.length, 16);
  record.writeUInt32LE(type.length, 20);
  record.writeUInt32LE(data.length, 28);
  Buffer.concat([key, type, data]).copy(record, 36);
  return record;
}

/** The file log writes each write's records as one block behind a 16-byte header (its CRCs left zero here). */
const BLOCK_HEADER = Buffer.alloc(16);

function records(entries: readonly Entry[]): Buffer[] {
  return entries.map((entry, i) => recordBytes(entry, i + 1));
}

function totalBytes(buffers: readonly Buffer[]): number {
  let sum = 0;
  for (const buffer of buffers) sum += buffer.length;
  return sum;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`benchmark self-check failed: ${message}`);
}

const count = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------
// Memory log

async function appendAll(log: EventLog<Pod>, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) await log.append(entry);
}

/** Baseline: the same awaited per-item call, doing nothing but an array push. */
async function pushAll(target: Entry[], entries: readonly Entry[]): Promise<void> {
  const push = async (entry: Entry) => {
    target.push(entry);
    return entry;
  };
  for (const entry of entries) await push(entry);
}

/** Subscribes `subscribers` times from 0, appends every entry, and returns the deliveries counted. */
async function liveDeliveries(entries: readonly Entry[], subscribers: number): Promise<Timing> {
  const log = createMemoryLog<Pod>();
  let delivered = 0;
  const subscriptions = Array.from({ length: subscribers }, () =>
    log.subscribe(0).subscribe(() => {
      delivered++;
    }),
  );
  const timing = await time(entries.length * subscribers, () => appendAll(log, entries));
  for (const subscription of subscriptions) subscription.unsubscribe();
  await log.close();
  check(delivered === entries.length * subscribers, `delivered ${delivered} of ${entries.length * subscribers}`);
  return timing;
}

/** Baseline: an awaited array push plus an rxjs Subject fanning each item out to the same number of observers. */
async function subjectDeliveries(entries: readonly Entry[], subscribers: number): Promise<Timing> {
  const subject = new Subject<Entry>();
  const target: Entry[] = [];
  let delivered = 0;
  for (let i = 0; i < subscribers; i++) {
    subject.subscribe(() => {
      delivered++;
    });
  }
  const publish = async (entry: Entry) => {
    target.push(entry);
    subject.next(entry);
  };
  const timing = await time(entries.length * subscribers, async () => {
    for (const entry of entries) await publish(entry);
  });
  subject.complete();
  check(delivered === entries.length * subscribers, `baseline delivered ${delivered}`);
  return timing;
}

/** One subscriber replaying a whole existing log from revision 0. */
async function replay(log: EventLog<Pod>, size: number): Promise<Timing> {
  let delivered = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let subscription: { unsubscribe(): void } | undefined;
  const timing = await time(size, () => {
    subscription = log.subscribe(0).subscribe(() => {
      if (++delivered === size) done();
    });
    return finished;
  });
  subscription?.unsubscribe();
  check(delivered === size, `replayed ${delivered} of ${size}`);
  return timing;
}

/** Baseline: iterating an array, one callback per item. */
async function iterate(entries: readonly Entry[]): Promise<Timing> {
  let delivered = 0;
  let keyChars = 0;
  const next = (entry: Entry) => {
    delivered++;
    keyChars += entry.key.length;
  };
  const timing = await time(entries.length, () => {
    for (const entry of entries) next(entry);
  });
  check(delivered === entries.length && keyChars > 0, `iterated ${delivered}`);
  return timing;
}

async function memoryBenchmarks(rows: Row[]): Promise<void> {
  const appends = 200_000;
  const entries = makeEntries(appends);
  const warmup = entries.slice(0, 5_000);

  progress(`memory log: ${count(appends)} sequential appends`);
  await appendAll(createMemoryLog<Pod>(), warmup);
  let full: EventLog<Pod> | undefined;
  const appended = await median(async () => {
    const log = createMemoryLog<Pod>();
    const timing = await time(appends, () => appendAll(log, entries));
    await full?.close();
    full = log;
    return timing;
  });
  await pushAll([], warmup);
  const pushed = await median(() => time(appends, () => pushAll([], entries)));
  rows.push({
    name: 'memory log append (sequential, awaited)',
    input: `${count(appends)} × 1 KB`,
    value: perSecond(appended),
    unit: 'appends/s',
    baselineName: 'awaited async array push',
    baselineValue: perSecond(pushed),
  });

  const liveAppends = 50_000;
  const subscribers = 10;
  progress(`memory log: ${subscribers} subscribers, ${count(liveAppends)} appends`);
  const live = entries.slice(0, liveAppends);
  await liveDeliveries(warmup, subscribers);
  const delivered = await median(() => liveDeliveries(live, subscribers));
  await subjectDeliveries(warmup, subscribers);
  const fannedOut = await median(() => subjectDeliveries(live, subscribers));
  rows.push({
    name: `memory log live subscribe (${subscribers} subscribers, writes timed)`,
    input: `${count(liveAppends)} appends`,
    value: perSecond(delivered),
    unit: 'deliveries/s',
    baselineName: `array push + rxjs Subject, ${subscribers} observers`,
    baselineValue: perSecond(fannedOut),
  });

  progress(`memory log: replay subscribe(0) over ${count(appends)} entries`);
  const small = createMemoryLog<Pod>();
  await appendAll(small, warmup);
  await replay(small, warmup.length);
  await small.close();
  const log = full as EventLog<Pod>;
  const replayed = await median(() => replay(log, appends));
  await log.close();
  await iterate(warmup);
  const iterated = await median(() => iterate(entries));
  rows.push({
    name: 'memory log replay subscribe(0)',
    input: `${count(appends)} entries`,
    value: perSecond(replayed),
    unit: 'deliveries/s',
    baselineName: 'for-of over array, callback per item',
    baselineValue: perSecond(iterated),
  });
}

// ---------------------------------------------------------------------------
// File log

async function fileAppends(dir: string, fsync: FsyncMode, entries: readonly Entry[], inFlight: number) {
  const log = await openFileLog<Pod>(dir, { fsync, clock: systemClock });
  try {
    return await time(entries.length, async () => {
      if (inFlight === 1) {
        for (const entry of entries) await log.append(entry);
      } else {
        for (let i = 0; i < entries.length; i += inFlight) {
          await Promise.all(entries.slice(i, i + inFlight).map((entry) => log.append(entry)));
        }
      }
    });
  } finally {
    await log.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Baseline: the same bytes appended with `FileHandle.write`, `group` records per write, optionally fdatasync after each write. */
async function fsAppends(path: string, buffers: readonly Buffer[], group: number, sync: boolean): Promise<Timing> {
  const handle = await open(path, 'w+');
  try {
    let position = 0;
    return await time(buffers.length, async () => {
      for (let i = 0; i < buffers.length; i += group) {
        const bytes = Buffer.concat([BLOCK_HEADER, ...buffers.slice(i, i + group)]);
        await writeAll(handle, bytes, position);
        position += bytes.length;
        if (sync) await handle.datasync();
      }
    });
  } finally {
    await handle.close();
  }
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .map((name) => join(dir, name));
}

async function logBytes(dir: string): Promise<number> {
  let sum = 0;
  for (const file of await segmentFiles(dir)) sum += (await stat(file)).size;
  return sum;
}

interface FileCase {
  name: string;
  fsync: FsyncMode;
  entries: number;
  inFlight: number;
  baselineName: string;
}

const FILE_CASES: readonly FileCase[] = [
  {
    name: "file log append, fsync 'never' (sequential)",
    fsync: 'never',
    entries: 50_000,
    inFlight: 1,
    baselineName: 'FileHandle.write per record',
  },
  {
    name: "file log append, fsync 'batch' (64 in flight)",
    fsync: 'batch',
    entries: 20_000,
    inFlight: 64,
    baselineName: 'write of 64 records + 1 fdatasync',
  },
  {
    name: "file log append, fsync 'batch' (sequential)",
    fsync: 'batch',
    entries: 2_000,
    inFlight: 1,
    baselineName: 'write + fdatasync per record',
  },
  {
    name: "file log append, fsync 'always' (sequential)",
    fsync: 'always',
    entries: 2_000,
    inFlight: 1,
    baselineName: 'write + fdatasync per record',
  },
];

async function fileAppendBenchmarks(root: string, rows: Row[]): Promise<void> {
  for (const [n, c] of FILE_CASES.entries()) {
    progress(`${c.name}: ${count(c.entries)} appends`);
    const entries = makeEntries(c.entries);
    const warmup = entries.slice(0, Math.min(500, c.entries / 4));
    const buffers = records(entries);
    const sync = c.fsync !== 'never';
    await fileAppends(join(root, `append-${n}-warmup`), c.fsync, warmup, c.inFlight);
    const logged = await median(async (run) => {
      const dir = join(root, `append-${n}-${run}`);
      const timing = await fileAppends(dir, c.fsync, entries, c.inFlight);
      // The baseline must write exactly what the log wrote (less the 8-byte segment header): one block per write.
      const blockHeaders = 16 * Math.ceil(buffers.length / c.inFlight);
      check(
        (await logBytes(dir)) - 8 === totalBytes(buffers) + blockHeaders,
        `${c.name}: baseline bytes differ from the log's`,
      );
      await rm(dir, { recursive: true, force: true });
      return timing;
    });
    await fsAppends(join(root, `baseline-${n}-warmup`), records(warmup), c.inFlight, sync);
    const written = await median(async (run) => {
      const file = join(root, `baseline-${n}-${run}`);
      const timing = await fsAppends(file, buffers, c.inFlight, sync);
      await rm(file, { force: true });
      return timing;
    });
    rows.push({
      name: c.name,
      input: `${count(c.entries)} × 1 KB`,
      value: perSecond(logged),
      unit: 'appends/s',
      baselineName: c.baselineName,
      baselineValue: perSecond(written),
    });
  }
}

/** Opens a log and reads every entry: what a process restart costs. */
async function rebuild(dir: string): Promise<Timing> {
  let entries = 0;
  let closeLog: () => Promise<void> = async () => undefined;
  const timing = await time(0, async () => {
    const log = await openFileLog<Pod>(dir, { fsync: 'never', clock: systemClock });
    closeLog = () => log.close();
    for await (const entry of log.read()) if (entry.revision > 0) entries++;
  });
  await closeLog();
  return { count: entries, ms: timing.ms };
}

/** Baseline: `fs.readFile` of the same segment files. */
async function readSegments(dir: string): Promise<Timing> {
  const files = await segmentFiles(dir);
  let bytes = 0;
  const timing = await time(0, async () => {
    for (const file of files) bytes += (await readFile(file)).length;
  });
  return { count: bytes, ms: timing.ms };
}

/** Writes a log of `size` entries quickly (not timed): `never`, 1,000 appends in flight. */
async function writeLog(dir: string, size: number): Promise<void> {
  const log = await openFileLog<Pod>(dir, { fsync: 'never', clock: systemClock });
  const entries = makeEntries(size);
  for (let i = 0; i < size; i += 1_000) {
    await Promise.all(entries.slice(i, i + 1_000).map((entry) => log.append(entry)));
  }
  await log.close();
}

async function rebuildBenchmark(root: string, rows: Row[]): Promise<void> {
  const size = 200_000;
  progress(`file log rebuild: writing ${count(size)} entries (not timed)`);
  const dir = join(root, 'rebuild');
  const warmupDir = join(root, 'rebuild-warmup');
  await writeLog(dir, size);
  await writeLog(warmupDir, 20_000);

  progress(`file log rebuild: openFileLog + read all of ${count(size)} entries`);
  await rebuild(warmupDir);
  const rebuilt = await median(async () => {
    const timing = await rebuild(dir);
    check(timing.count === size, `rebuilt ${timing.count} of ${size} entries`);
    return timing;
  });
  await readSegments(warmupDir);
  const read = await median(() => readSegments(dir));
  const bytes = read.count;
  const mb = bytes / 1e6;
  rows.push({
    name: 'file log rebuild (openFileLog + read all)',
    input: `${count(size)} × 1 KB (${mb.toFixed(0)} MB)`,
    value: perSecond(rebuilt),
    unit: 'entries/s',
    baselineName: 'fs.readFile of the segments',
    baselineValue: size / (read.ms / 1000),
  });
  rows.push({
    name: 'file log rebuild (openFileLog + read all)',
    input: `${count(size)} × 1 KB (${mb.toFixed(0)} MB)`,
    value: mb / (rebuilt.ms / 1000),
    unit: 'MB/s',
    baselineName: 'fs.readFile of the segments',
    baselineValue: mb / (read.ms / 1000),
  });
}

/** Runs every event log benchmark and returns its rows. Temp files live under `os.tmpdir()` and are removed. */
export async function eventlogBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  await memoryBenchmarks(rows);
  const root = await mkdtemp(join(tmpdir(), 'keelson-bench-'));
  try {
    await fileAppendBenchmarks(root, rows);
    await rebuildBenchmark(root, rows);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

/** Size of one entry's data as JSON, for the report. */
export const ENTRY_DATA_BYTES = Buffer.byteLength(JSON.stringify(POD));
