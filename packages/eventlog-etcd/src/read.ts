import type { LogEntry, ReadOptions } from '@keelson/eventlog';
import type { Feed, FeedSink } from './feed';

/** Entries buffered before a read pauses its watch (resumed below half of it). */
const HIGH_WATER = 4_096;

interface ReadContext<T> {
  head(): Promise<number>;
  feed(from: number, sink: FeedSink<T>): Feed<T>;
  /** The read is over: stop the feed and forget it. */
  release(feed: Feed<T>): void;
}

/**
 * @internal `read` as an async generator over a feed: up to the head as of
 * the first `next()`, honouring `to` and `limit`, pausing the watch while the
 * reader lags so a long history is never all in memory.
 */
export async function* readEntries<T>(options: ReadOptions, context: ReadContext<T>): AsyncGenerator<LogEntry<T>> {
  const head = await context.head();
  const end = Math.min(options.to ?? Number.POSITIVE_INFINITY, head);
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  const from = options.from ?? 0;
  if (head === 0 || remaining <= 0 || from > end) return;

  let buffer: LogEntry<T>[] = [];
  let index = 0;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const feed = context.feed(from, {
    deliver(entries) {
      buffer = index === 0 && buffer.length === 0 ? [...entries] : buffer.slice(index).concat(entries);
      index = 0;
      if (buffer.length >= HIGH_WATER) feed.pause();
      wake?.();
    },
    fail(error) {
      failure = { error };
      wake?.();
    },
  });
  feed.start();
  try {
    for (;;) {
      while (index >= buffer.length) {
        if (failure) throw failure.error;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      const entry = buffer[index++] as LogEntry<T>;
      if (buffer.length - index < HIGH_WATER / 2) feed.resume();
      if (entry.revision > end) return;
      yield entry;
      if (--remaining <= 0 || entry.revision >= end) return;
    }
  } finally {
    context.release(feed);
  }
}
