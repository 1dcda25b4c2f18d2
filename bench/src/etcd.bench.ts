import type { NewLogEntry } from '@keelson/eventlog';
import { openEtcdLog } from '@keelson/eventlog-etcd';
import { type EtcdServer, findEtcd, startEtcd } from '@keelson/eventlog-etcd/testing';
import { Etcd3 } from 'etcd3';
import { POD } from './eventlog.bench';
import { median, perSecond, progress, type Row, RUNS, type Timing, time } from './measure';

/**
 * Fixed inputs, so figures compare across runs: every append carries the same
 * pod-like object (about 1 KB of JSON) under a key of its own, times count up
 * from a fixed epoch. The raw baseline puts the same JSON the log stores.
 */
const DATA = POD;

/** A fixed epoch (2024-01-01T00:00:00Z), not the wall clock. */
const TIME0 = 1_704_067_200_000;
/** Appends per timed run, split evenly across the writers. */
const APPENDS = 4_000;
const WRITERS = [1, 16] as const;
/** What the log stores per entry (type, time, data, a requestId): the raw puts write the same bytes. */
const STORED = JSON.stringify({
  type: 'Pod',
  time: TIME0,
  data: DATA,
  meta: { requestId: '00000000-0000-4000-8000-000000000000' },
});

const count = (n: number) => n.toLocaleString('en-US');

/** `writers` concurrent loops, each performing its share of `total` operations one after another. */
async function concurrently(writers: number, total: number, op: (writer: number, i: number) => Promise<unknown>) {
  const each = total / writers;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; i < each; i++) await op(writer, i);
    }),
  );
}

/** Every run writes keys of its own (a fresh prefix), so each append creates its key. */
let runs = 0;

/** `APPENDS` creates (expectedRevision 0) through one `openEtcdLog`, `writers` at a time. */
async function logAppends(endpoints: string[], writers: number): Promise<Timing> {
  const log = await openEtcdLog({ hosts: endpoints, prefix: `bench/log-${++runs}` });
  try {
    return await time(APPENDS, () =>
      concurrently(writers, APPENDS, (writer, i) => {
        const entry: NewLogEntry = { key: `pods/w${writer}/p${i}`, type: 'Pod', time: TIME0 + i, data: DATA };
        return log.append(entry, { expectedRevision: 0 });
      }),
    );
  } finally {
    await log.close();
  }
}

/** Baseline: the same number of plain `etcd3` puts of the same bytes, `writers` at a time. */
async function rawPuts(endpoints: string[], writers: number): Promise<Timing> {
  const client = new Etcd3({ hosts: endpoints });
  const prefix = `bench/raw-${++runs}`;
  try {
    await client.get(`${prefix}/none`).string(); // connected before the clock starts, as the log is once open
    return await time(APPENDS, () =>
      concurrently(writers, APPENDS, (writer, i) => client.put(`${prefix}/w${writer}/p${i}`).value(STORED).exec()),
    );
  } finally {
    client.close();
  }
}

/**
 * §14 "etcd log appends": one etcd member on loopback, appends per second
 * through `openEtcdLog` beside raw `etcd3` puts in the same run, with 1 and
 * 16 concurrent writers. Without an etcd binary it says why and returns no rows.
 */
export async function etcdBenchmarks(): Promise<Row[]> {
  if (!findEtcd()) {
    progress('etcd: skipped, no etcd binary found (Debian/Ubuntu: apt-get install etcd-server)');
    return [];
  }
  let etcd: EtcdServer | undefined;
  const rows: Row[] = [];
  try {
    etcd = await startEtcd();
    const { endpoints } = etcd;
    progress(`etcd: one member on loopback (${endpoints.join(', ')}), ${count(APPENDS)} appends per run`);
    await logAppends(endpoints, 16);
    await rawPuts(endpoints, 16);
    for (const writers of WRITERS) {
      progress(`etcd: ${writers} concurrent writer${writers === 1 ? '' : 's'}`);
      // Alternate the two, so drift in etcd (its growing database) hits both alike.
      const log: Timing[] = [];
      const raw: Timing[] = [];
      for (let run = 0; run < RUNS; run++) {
        log.push(await logAppends(endpoints, writers));
        raw.push(await rawPuts(endpoints, writers));
      }
      const appended = await median(async (run) => log[run] as Timing);
      const put = await median(async (run) => raw[run] as Timing);
      rows.push({
        name: `etcd log appends, ${writers} writer${writers === 1 ? '' : 's'}`,
        input: `${count(APPENDS)} creates × ${count(Buffer.byteLength(STORED))} B`,
        value: perSecond(appended),
        unit: 'appends/s',
        baselineName: `raw etcd3 put, ${writers} writer${writers === 1 ? '' : 's'}`,
        baselineValue: perSecond(put),
      });
    }
  } finally {
    await etcd?.stop();
  }
  return rows;
}
