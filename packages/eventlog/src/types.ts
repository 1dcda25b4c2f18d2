import type { Observable } from 'rxjs';

/**
 * A log position: > 0, unique and strictly increasing, but not contiguous
 * (compaction and some backends leave gaps): never compute `revision + 1`.
 */
export type Revision = number;

/** One entry of the log. */
export interface LogEntry<T = unknown> {
  revision: Revision;
  key: string;
  type: string;
  /** Epoch milliseconds, from the writer's clock. */
  time: number;
  /** Must be JSON-encodable: plain objects, arrays, strings, finite numbers, booleans, null. */
  data: T;
  /** The key's object is gone after this entry. */
  tombstone?: true;
  /** Small string annotations: actor, reason, requestId … */
  meta?: Record<string, string>;
}

/** What `append` takes: an entry before the log gives it a revision. */
export type NewLogEntry<T = unknown> = Omit<LogEntry<T>, 'revision'>;

/** Options for {@link EventLog.append}. */
export interface AppendOptions {
  /**
   * Append only if the key's last entry has this revision; 0 means the key
   * is absent (no entries, or its last entry is a tombstone). On a mismatch
   * the append fails with `AppendConflictError` and writes nothing.
   */
  expectedRevision?: Revision;
}

/** Options for {@link EventLog.read}. */
export interface ReadOptions {
  /** First revision to yield (inclusive). 0 or omitted: from the start, compacted base included. */
  from?: Revision;
  /** Last revision to yield (inclusive). */
  to?: Revision;
  /** At most this many entries. */
  limit?: number;
}

/**
 * Keelson's append-only event log: every change to every object is one entry.
 * Writers stay linearizable per key through `expectedRevision`, without
 * serialising unrelated keys.
 */
export interface EventLog<T = unknown> {
  /** Appends one entry; resolves once it is durable (per the backend) and delivered to subscribers. */
  append(entry: NewLogEntry<T>, options?: AppendOptions): Promise<LogEntry<T>>;
  /** Entries in revision order, as of the head when iteration starts. */
  read(options?: ReadOptions): AsyncIterable<LogEntry<T>>;
  /** Entries with revision >= `from` (0: from the start), then live ones: no gap, no duplicate. */
  subscribe(from: Revision): Observable<LogEntry<T>>;
  /** The highest revision; 0 when empty. */
  head(): Promise<Revision>;
  /**
   * Drops every entry older than `before` except each key's last such entry
   * when it is not a tombstone: the state as of `before`.
   */
  compact(before: Revision): Promise<void>;
  /** Finishes pending appends, completes subscriptions and releases resources. */
  close(): Promise<void>;
}
