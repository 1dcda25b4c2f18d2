import {
  type AppendConflictError,
  createMemoryLog,
  type EventLog,
  isKeelsonError,
  type LogEntry,
  openFileLog,
} from '@keelson/eventlog';

interface Counter {
  value: number;
}

export async function appendAndConflict(): Promise<{ entries: LogEntry<Counter>[]; conflict: AppendConflictError }> {
  // #region append
  const log = createMemoryLog<Counter>();
  const created = await log.append(
    { key: 'counters/a', type: 'Counter', time: Date.now(), data: { value: 1 } },
    { expectedRevision: 0 }, // 0: create only if the key is absent
  );
  const updated = await log.append(
    { key: 'counters/a', type: 'Counter', time: Date.now(), data: { value: 2 } },
    { expectedRevision: created.revision }, // compare-and-append on this key only
  );
  try {
    await log.append(
      { key: 'counters/a', type: 'Counter', time: Date.now(), data: { value: 99 } },
      { expectedRevision: created.revision }, // stale: someone wrote since
    );
  } catch (error) {
    if (!isKeelsonError(error, 'AppendConflict')) throw error;
    // error.key === 'counters/a', error.actualRevision === updated.revision; nothing was written
  }
  // #endregion
  const entries: LogEntry<Counter>[] = [];
  for await (const entry of log.read()) entries.push(entry);
  const conflict = (await log
    .append({ key: 'counters/a', type: 'Counter', time: 0, data: { value: 0 } }, { expectedRevision: created.revision })
    .catch((e: unknown) => e)) as AppendConflictError;
  void updated;
  return { entries, conflict };
}

// #region project
/** A projection: the current value of every live key, rebuilt from the log and kept up to date. */
export function followCounters(log: EventLog<Counter>, state: Map<string, number>) {
  return log.subscribe(0).subscribe((entry) => {
    if (entry.tombstone) state.delete(entry.key);
    else state.set(entry.key, entry.data.value);
  });
}
// #endregion

export async function fileLog(dir: string): Promise<{ state: Map<string, number>; reopenedHead: number }> {
  // #region file
  const log = await openFileLog<Counter>(dir, { fsync: 'batch' });
  await Promise.all(
    ['a', 'b', 'c'].map((name, i) =>
      log.append({ key: `counters/${name}`, type: 'Counter', time: Date.now(), data: { value: i } }),
    ),
  ); // three concurrent appends, one shared fsync
  await log.append({ key: 'counters/b', type: 'Counter', time: Date.now(), data: { value: 0 }, tombstone: true });
  await log.close();

  const reopened = await openFileLog<Counter>(dir); // recovers a torn tail, if a crash left one
  const state = new Map<string, number>();
  const following = followCounters(reopened, state); // state: counters/a → 0, counters/c → 2
  // #endregion
  const reopenedHead = await reopened.head();
  following.unsubscribe();
  await reopened.close();
  return { state, reopenedHead };
}

export async function compaction(): Promise<string[]> {
  // #region compact
  const log = createMemoryLog<Counter>();
  for (let value = 1; value <= 3; value++) {
    await log.append({ key: 'counters/a', type: 'Counter', time: Date.now(), data: { value } });
  }
  await log.append({ key: 'counters/b', type: 'Counter', time: Date.now(), data: { value: 1 } });
  const head = await log.head();
  await log.compact(head);
  // Kept: counters/a's last entry before `head` (value 3) and everything from `head` on (counters/b).
  // Reading from 0 yields that; reading from an older revision fails with CompactedError.
  // #endregion
  const kept: string[] = [];
  for await (const entry of log.read()) kept.push(`${entry.key}=${entry.data.value}`);
  return kept;
}
