import type { LogEntry } from '@keelson/eventlog';
import type { IEvent, IKeyValue } from 'etcd3';
import { decodeEntry, type KeyLayout } from './layout';

const isPut = (event: IEvent) => String(event.type).toLowerCase() === 'put';

/**
 * @internal The log entries in one watch response. Each entry is one txn:
 * a put of `P/k/<key>`, or a tombstone — the put of `P/t/<key>` beside the
 * delete of `P/k/<key>`. A delete of `P/k/<key>` without that put was done
 * around the log (etcdctl, a lease); it becomes a tombstone built from the
 * previous value, so followers still see the key go. Deletes under `P/t/`
 * are housekeeping and no entry.
 */
export function entriesOf<T>(events: readonly IEvent[], layout: KeyLayout): LogEntry<T>[] {
  const entries: LogEntry<T>[] = [];
  const tombstoneRevisions = new Set<number>();
  const bareDeletes: Array<{ key: string; kv: IKeyValue; prev: IKeyValue }> = [];
  for (const event of events) {
    const where = layout.classify(event.kv.key);
    if (!where) continue;
    if (isPut(event)) {
      const entry = decodeEntry<T>(event.kv, where.key, where.part === 'tomb');
      if (entry.tombstone) tombstoneRevisions.add(entry.revision);
      entries.push(entry);
    } else if (where.part === 'live' && event.prev_kv) {
      bareDeletes.push({ key: where.key, kv: event.kv, prev: event.prev_kv });
    }
  }
  for (const { key, kv, prev } of bareDeletes) {
    const revision = Number(kv.mod_revision);
    if (tombstoneRevisions.has(revision)) continue;
    const last = decodeEntry<T>(prev, key, false);
    entries.push(
      Object.freeze({
        revision,
        key,
        type: last.type,
        time: last.time,
        data: null as T,
        tombstone: true as const,
        meta: Object.freeze({ reason: 'deleted in etcd, outside the log' }),
      }),
    );
  }
  if (bareDeletes.length > 0) entries.sort((a, b) => a.revision - b.revision);
  return entries;
}
