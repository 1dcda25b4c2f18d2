import type { Random } from '@keelson/clock';
import {
  type AppendOptions,
  type EventLog,
  InvalidError,
  LogClosedError,
  type LogEntry,
  type NewLogEntry,
  type ReadOptions,
  type Revision,
} from '@keelson/eventlog';
import { Observable } from 'rxjs';
import { Appender } from './append';
import { Connection } from './connection';
import { Deliveries } from './deliveries';
import { Feed, type FeedSink } from './feed';
import { KeyLayout } from './layout';
import { compactLog, readHead } from './maintenance';
import { type EtcdLogOptions, resolveOptions } from './options';
import { readEntries } from './read';

function checkRevisionArg(value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
    throw new InvalidError(`${field} must be an integer >= 0, got ${String(value)}`);
  }
}

/** The {@link EventLog} on etcd that {@link openEtcdLog} returns. */
class EtcdLog<T> implements EventLog<T> {
  private readonly layout: KeyLayout;
  private readonly appender: Appender;
  private readonly deliveries = new Deliveries();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Open feeds and what closing the log does to each (subscriptions complete, reads fail). */
  private readonly feeds = new Map<Feed<T>, () => void>();
  private closed: LogClosedError | undefined;
  private readonly requestIds: Random;

  constructor(private readonly connection: Connection) {
    this.layout = new KeyLayout(connection.options.root);
    this.appender = new Appender(connection, this.layout);
    this.requestIds = connection.options.random.fork('etcd-request-id');
  }

  private assertOpen(): void {
    if (this.closed) throw this.closed;
  }

  append(entry: NewLogEntry<T>, options?: AppendOptions): Promise<LogEntry<T>> {
    if (this.closed) return Promise.reject(this.closed);
    const appending = this.appendAndDeliver(entry, options);
    this.inFlight.add(appending);
    const forget = () => this.inFlight.delete(appending);
    appending.then(forget, forget);
    return appending;
  }

  private async appendAndDeliver(entry: NewLogEntry<T>, options?: AppendOptions): Promise<LogEntry<T>> {
    const appended = await this.appender.append(entry, options, () => this.requestIds.uuid());
    await this.delivered(appended.revision);
    return appended;
  }

  /** Waits (at most the request timeout) until this log's subscriptions have delivered `revision`. */
  private async delivered(revision: number): Promise<void> {
    let cancel: (() => void) | undefined;
    const timeout = new Promise<void>((resolve) => {
      cancel = this.connection.timer(resolve, this.connection.options.requestTimeoutMs);
    });
    await this.deliveries.until(revision, timeout);
    cancel?.();
  }

  read(options: ReadOptions = {}): AsyncIterable<LogEntry<T>> {
    checkRevisionArg(options.from, 'read options.from');
    checkRevisionArg(options.to, 'read options.to');
    checkRevisionArg(options.limit, 'read options.limit');
    return {
      [Symbol.asyncIterator]: () => {
        this.assertOpen();
        return readEntries<T>(options, {
          head: () => this.head(),
          feed: (from, sink) => this.openFeed(from, sink, () => sink.fail(this.closed)),
          release: (feed) => this.forget(feed),
        });
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
      const feed: Feed<T> = this.openFeed(
        from,
        {
          deliver: (entries) => {
            for (const entry of entries) {
              if (subscriber.closed) break;
              subscriber.next(entry);
            }
            this.deliveries.advanced();
          },
          fail: (error) => {
            this.forget(feed);
            subscriber.error(error);
          },
        },
        () => subscriber.complete(),
      );
      this.deliveries.add(feed);
      feed.start();
      return () => this.forget(feed);
    });
  }

  private openFeed(from: number, sink: FeedSink<T>, onClose: () => void): Feed<T> {
    const feed = new Feed<T>(this.connection, this.layout, from, sink);
    this.feeds.set(feed, onClose);
    return feed;
  }

  private forget(feed: Feed<T>): void {
    feed.close();
    this.feeds.delete(feed);
    this.deliveries.remove(feed);
  }

  async head(): Promise<Revision> {
    this.assertOpen();
    return readHead(this.connection, this.layout);
  }

  async compact(before: Revision): Promise<void> {
    this.assertOpen();
    checkRevisionArg(before, 'compact before');
    await compactLog(this.connection, this.layout, before);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = new LogClosedError();
    await Promise.allSettled([...this.inFlight]);
    for (const [feed, onClose] of [...this.feeds]) {
      this.forget(feed);
      onClose();
    }
    this.connection.close();
  }
}

/**
 * Opens the event log kept under `prefix` on an etcd 3 cluster: several
 * processes (each with its own log object on the same prefix) share one
 * history. One etcd transaction per entry, conditional on the key's
 * `mod_revision`; revisions are etcd's (increasing, with gaps). Resolves once
 * etcd answered a first read; bad options fail with `InvalidError` before
 * anything connects.
 *
 * @example
 * ```ts
 * const log = await openEtcdLog({ hosts: ['http://127.0.0.1:2379'], prefix: 'keelson/prod' });
 * const store = await createStore({ log, types: builtinTypes, admission: builtinAdmission() });
 * ```
 */
export async function openEtcdLog<T = unknown>(options: EtcdLogOptions): Promise<EventLog<T>> {
  const resolved = resolveOptions(options);
  const connection = new Connection(resolved);
  const log = new EtcdLog<T>(connection);
  try {
    await log.head();
  } catch (error) {
    await log.close();
    throw error;
  }
  return log;
}
