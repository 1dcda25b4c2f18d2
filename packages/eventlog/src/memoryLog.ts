import { EntryIndex } from './EntryIndex';
import { checkEntry, DEFAULT_MAX_ENTRY_BYTES, sealEntry } from './entry';
import type { AppendOptions, EventLog, LogEntry, NewLogEntry, ReadOptions, Revision } from './types';

/** Options for {@link createMemoryLog}. */
export interface MemoryLogOptions {
  /** Largest encoded entry accepted, in bytes (default 2 MiB). */
  maxEntryBytes?: number;
}

/**
 * The embedded default log: entries live in memory, appends commit at once.
 * Entries keep `data` by reference (checked to be JSON-safe): do not mutate
 * it after appending.
 *
 * @example
 * ```ts
 * const log = createMemoryLog();
 * const first = await log.append({ key: 'pods/a', type: 'Pod', time: 0, data: { phase: 'Pending' } });
 * await log.append({ key: 'pods/a', type: 'Pod', time: 1, data: { phase: 'Running' } },
 *   { expectedRevision: first.revision });
 * ```
 */
export function createMemoryLog<T = unknown>(options: MemoryLogOptions = {}): EventLog<T> {
  const maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const index = new EntryIndex<T>();
  return {
    async append(entry: NewLogEntry<T>, appendOptions?: AppendOptions): Promise<LogEntry<T>> {
      index.assertOpen();
      checkEntry(entry, maxEntryBytes, false);
      const sealed = sealEntry(entry, index.assign(entry, appendOptions));
      index.commit(sealed);
      return sealed;
    },
    read: (readOptions?: ReadOptions) => index.read(readOptions),
    subscribe: (from: Revision) => index.subscribe(from),
    async head() {
      index.assertOpen();
      return index.head;
    },
    async compact(before: Revision) {
      index.assertOpen();
      if (index.checkCompact(before)) index.applyCompaction(before, index.survivors(before));
    },
    async close() {
      index.close();
    },
  };
}
