import { Observable, type Subscriber } from 'rxjs';
import { checkAppendOptions } from './entry';
import { AppendConflictError, CompactedError, InvalidError, LogClosedError } from './errors';
import type { AppendOptions, LogEntry, NewLogEntry, ReadOptions, Revision } from './types';

interface Subscription<T> {
  subscriber: Subscriber<LogEntry<T>>;
  /** Index into `entries` of the next entry to deliver. */
  cursor: number;
}

/** First index whose revision is >= `revision`. */
function lowerBound(entries: readonly LogEntry<unknown>[], revision: Revision): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as LogEntry<unknown>).revision < revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkRevisionArg(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
    throw new InvalidError(`${field} must be an integer >= 0, got ${String(value)}`);
  }
}

/**
 * @internal The part every backend shares: committed entries in revision
 * order, the per-key index that decides conflicts, subscriptions that replay
 * then go live, and compaction. A backend decides when an entry is committed.
 */
export class EntryIndex<T> {
  /** Committed entries. Replaced, never shrunk in place, so running reads keep a consistent snapshot. */
  private entries: LogEntry<T>[] = [];
  /** Revision of each live key's last entry, pending appends included. */
  private readonly liveKeys = new Map<string, Revision>();
  private readonly subscriptions = new Set<Subscription<T>>();
  private delivering = false;
  private lastAssigned = 0;
  /** Entries before this revision may have been dropped by compaction. */
  compactedBefore = 0;
  closed: LogClosedError | undefined;

  /** Loads entries read back from storage (already in revision order). */
  load(entries: LogEntry<T>[], compactedBefore: Revision): void {
    this.entries = entries;
    this.compactedBefore = compactedBefore;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as LogEntry<T>;
      this.track(entry.key, entry.revision, entry.tombstone === true);
    }
    this.lastAssigned = Math.max(this.lastAssigned, entries.at(-1)?.revision ?? 0);
  }

  assertOpen(): void {
    if (this.closed) throw this.closed;
  }

  /** Compaction never drops the head entry (`before` is at most the head), so the last entry is the head. */
  get head(): Revision {
    return this.entries.at(-1)?.revision ?? 0;
  }

  /**
   * Checks `expectedRevision` and gives the entry the next revision, as one
   * synchronous step, so concurrent appends to one key can never both pass.
   */
  assign(entry: NewLogEntry<T>, options: AppendOptions | undefined): Revision {
    checkAppendOptions(options);
    const actual = this.liveKeys.get(entry.key) ?? 0;
    const expected = options?.expectedRevision;
    if (expected !== undefined && expected !== actual) throw new AppendConflictError(entry.key, expected, actual);
    if (entry.tombstone && actual === 0) {
      throw new AppendConflictError(
        entry.key,
        expected ?? 0,
        0,
        `cannot append a tombstone to key "${entry.key}": it is absent`,
      );
    }
    const revision = ++this.lastAssigned;
    this.track(entry.key, revision, entry.tombstone === true);
    return revision;
  }

  private track(key: string, revision: Revision, tombstone: boolean): void {
    if (tombstone) this.liveKeys.delete(key);
    else this.liveKeys.set(key, revision);
  }

  /** Makes an assigned entry visible: readable and delivered to subscribers, in revision order. */
  commit(entry: LogEntry<T>): void {
    this.entries.push(entry);
    if (this.subscriptions.size > 0) this.deliver();
  }

  private deliver(): void {
    // A subscriber may append from inside next(); the guard keeps every subscriber in revision order.
    if (this.delivering) return;
    this.delivering = true;
    try {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const sub of this.subscriptions) {
          const entries = this.entries;
          while (sub.cursor < entries.length && !sub.subscriber.closed) {
            const entry = entries[sub.cursor++] as LogEntry<T>;
            sub.subscriber.next(entry);
            progressed = true;
            if (this.entries !== entries) break;
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private checkFrom(from: Revision): void {
    if (from > 0 && from < this.compactedBefore) throw new CompactedError(from, this.compactedBefore);
  }

  read(options: ReadOptions = {}): AsyncIterable<LogEntry<T>> {
    checkRevisionArg(options.from, 'read options.from');
    checkRevisionArg(options.to, 'read options.to');
    checkRevisionArg(options.limit, 'read options.limit');
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        self.assertOpen();
        const from = options.from ?? 0;
        self.checkFrom(from);
        const entries = self.entries;
        const end = entries.length;
        const to = options.to ?? Number.POSITIVE_INFINITY;
        let remaining = options.limit ?? Number.POSITIVE_INFINITY;
        for (let i = lowerBound(entries, from); i < end && remaining > 0; i++, remaining--) {
          const entry = entries[i] as LogEntry<T>;
          if (entry.revision > to) return;
          yield entry;
        }
      },
    };
  }

  subscribe(from: Revision): Observable<LogEntry<T>> {
    checkRevisionArg(from, 'subscribe from');
    return new Observable<LogEntry<T>>((subscriber) => {
      if (this.closed) {
        subscriber.error(this.closed);
        return undefined;
      }
      if (from > 0 && from < this.compactedBefore) {
        subscriber.error(new CompactedError(from, this.compactedBefore));
        return undefined;
      }
      const sub: Subscription<T> = { subscriber, cursor: lowerBound(this.entries, from) };
      this.subscriptions.add(sub);
      this.deliver();
      return () => {
        this.subscriptions.delete(sub);
      };
    });
  }

  /** Checks a compaction bound; false when there is nothing new to compact. */
  checkCompact(before: Revision): boolean {
    checkRevisionArg(before, 'compact before');
    if (before > this.head) {
      throw new InvalidError(`compact before must be at most the head revision ${this.head}, got ${before}`);
    }
    return before > this.compactedBefore;
  }

  /** The entries compaction keeps: each live key's last entry before `before`, then everything from `before` on. */
  survivors(before: Revision): LogEntry<T>[] {
    const split = lowerBound(this.entries, before);
    const seen = new Set<string>();
    const base: LogEntry<T>[] = [];
    for (let i = split - 1; i >= 0; i--) {
      const entry = this.entries[i] as LogEntry<T>;
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      if (!entry.tombstone) base.push(entry);
    }
    base.reverse();
    return base.concat(this.entries.slice(split));
  }

  /** Swaps in the survivors; subscribers still behind `before` fail with `CompactedError`. */
  applyCompaction(before: Revision, survivors: LogEntry<T>[]): void {
    const old = this.entries;
    this.entries = survivors;
    this.compactedBefore = before;
    for (const sub of this.subscriptions) {
      const next = old[sub.cursor];
      if (next !== undefined && next.revision < before) {
        this.subscriptions.delete(sub);
        sub.subscriber.error(new CompactedError(next.revision, before));
      } else {
        sub.cursor = next === undefined ? survivors.length : lowerBound(survivors, next.revision);
      }
    }
  }

  /** Refuses further use and completes every subscription. */
  close(error: LogClosedError = new LogClosedError()): void {
    if (this.closed) return;
    this.closed = error;
    for (const sub of this.subscriptions) sub.subscriber.complete();
    this.subscriptions.clear();
  }
}
