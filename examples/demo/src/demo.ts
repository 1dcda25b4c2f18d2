import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, VirtualClock } from '@keelson/clock';
import { isKeelsonError, type LogEntry, openFileLog } from '@keelson/eventlog';
import { firstValueFrom, take, toArray } from 'rxjs';
import { runClusterDemo } from './clusterDemo';
import { runControllerDemo } from './controllerDemo';
import { runStoreDemo } from './storeDemo';

interface PodRecord {
  name: string;
  node: string | null;
  phase: string;
}

/** Runs the demo, printing progress through `print`; returns what was written and what replay gave back. */
export async function runDemo(print: (line: string) => void = console.log) {
  const step = (title: string) => print(`\n== ${title}`);

  step('1. Time and chance: a VirtualClock and a seeded random source');
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const random = createRandom(42, 'demo');
  const nodes = ['node-1', 'node-2', 'node-3'];
  const placements: string[] = [];
  for (const [i, pod] of ['web-1', 'web-2', 'web-3', 'web-4'].entries()) {
    clock.setTimeout(
      () => {
        const node = random.pick(nodes);
        placements.push(`${pod}->${node}`);
        print(`  t=+${(clock.now() - Date.UTC(2026, 0, 1)) / 1000}s  ${pod} placed on ${node}`);
      },
      5_000 * (4 - i),
    );
  }
  await clock.runUntilIdle();
  print(`  ${placements.length} timers fired in order; seed 42 always gives ${placements.join(', ')}`);

  const dir = await mkdtemp(join(tmpdir(), 'keelson-demo-'));
  try {
    step(`2. An append-only event log on disk (${dir})`);
    let log = await openFileLog<PodRecord>(dir, { fsync: 'batch' });
    const written: LogEntry<PodRecord>[] = [];
    const latest = new Map<string, number>();
    const write = async (key: string, data: PodRecord, tombstone = false) => {
      const entry = await log.append(
        { key, type: 'Pod', time: clock.now(), data, ...(tombstone ? { tombstone: true as const } : {}) },
        { expectedRevision: latest.get(key) ?? 0 },
      );
      latest.set(key, tombstone ? 0 : entry.revision);
      written.push(entry);
      print(`  rev ${entry.revision}  ${tombstone ? 'DELETE' : 'PUT   '} ${key}  ${JSON.stringify(data)}`);
    };
    for (const name of ['web-1', 'web-2', 'web-3'])
      await write(`pods/default/${name}`, { name, node: null, phase: 'Pending' });
    await write('pods/default/web-1', { name: 'web-1', node: 'node-2', phase: 'Running' });
    await write('pods/default/web-3', { name: 'web-3', node: null, phase: 'Pending' }, true);
    try {
      await log.append(
        {
          key: 'pods/default/web-1',
          type: 'Pod',
          time: clock.now(),
          data: { name: 'web-1', node: 'node-9', phase: 'Running' },
        },
        { expectedRevision: written[0]?.revision ?? 0 },
      );
    } catch (error) {
      if (!isKeelsonError(error, 'AppendConflict')) throw error;
      print(`  a stale write was refused: ${error.message}`);
    }
    await write('pods/default/web-2', { name: 'web-2', node: 'node-1', phase: 'Running' });
    await log.close();

    step('3. Reopen the log and replay it from revision 0');
    log = await openFileLog<PodRecord>(dir, { fsync: 'batch' });
    const replayed = await firstValueFrom(log.subscribe(0).pipe(take(written.length), toArray()));
    for (const entry of replayed)
      print(`  replayed rev ${entry.revision}  ${entry.key}${entry.tombstone ? ' (deleted)' : ''}`);
    const same = JSON.stringify(replayed) === JSON.stringify(written);
    print(`  ${replayed.length} entries came back; identical to what was written: ${same ? 'yes' : 'NO'}`);
    await log.close();

    step('4. Crash recovery: a torn write at the end of the log');
    const segment = (await readdir(dir))
      .filter((name) => name.endsWith('.seg'))
      .sort()
      .at(-1) as string;
    await appendFile(join(dir, segment), Buffer.from([0xff, 0x00, 0x00, 0x00, 0xde, 0xad]));
    log = await openFileLog<PodRecord>(dir, { fsync: 'batch' });
    const report = log.recovery;
    print(
      report
        ? `  recovery cut ${report.droppedBytes} bytes at byte ${report.offset} of ${segment} (${report.reason})`
        : '  nothing to recover',
    );
    print(`  head is still revision ${await log.head()}`);

    step('5. Compaction keeps the state, drops the history');
    const head = await log.head();
    await log.compact(head);
    print(`  compacted before rev ${head}: each live key's last entry before it, then rev ${head} itself`);
    const kept: LogEntry<PodRecord>[] = [];
    for await (const entry of log.read()) kept.push(entry);
    for (const entry of kept) print(`  kept rev ${entry.revision}  ${entry.key}  ${JSON.stringify(entry.data)}`);
    await log.close();

    step('6. The API store: typed objects on the same kind of log');
    const storeLog = await openFileLog(join(dir, 'store'), { fsync: 'batch', clock });
    const storeRun = await runStoreDemo(storeLog, clock, print);
    await storeLog.close();

    step('7. A controller: level-triggered reconciles on virtual time');
    const controllerRun = await runControllerDemo(print);

    step('8. A small cluster: two mock nodes, the scheduler, node agents, health checking');
    const clusterRun = await runClusterDemo(print);
    print('\nDone.');
    return {
      written,
      replayed,
      recovered: report,
      kept,
      store: storeRun,
      controller: controllerRun,
      cluster: clusterRun,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
