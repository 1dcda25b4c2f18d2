import { CompactedError, type LogEntry } from '@keelson/eventlog';
import type { IKeyValue } from 'etcd3';
import { type Connection, compactedError, transient } from './connection';
import { entriesOf } from './events';
import { decodeEntry, KeyLayout } from './layout';
import { openWatch, type WatchStream } from './watchStream';

/** @internal Where a feed sends what it reads. */
export interface FeedSink<T> {
  /** Entries in strictly increasing revision order, each exactly once. */
  deliver(entries: readonly LogEntry<T>[]): void;
  /** The feed cannot go on (compaction, a corrupt entry). Terminal. */
  fail(error: unknown): void;
}

const BASE_PAGE = 1_000;

/**
 * @internal The log's entries from a revision on, as an etcd watch: replayed
 * history, then live entries, with no gap and no duplicate across reconnects
 * (each new watch starts at the revision after the last one delivered).
 *
 * From the start (`from` 0) of a compacted log, it first reads the live keys
 * at the compaction revision (the state kept as of the bound), then watches
 * from the revision after it.
 */
export class Feed<T> {
  /** Every entry below this revision has been delivered. */
  private next: number;
  /** Whether `next` is known to be right to resume from (something was delivered, or the base read). */
  private anchored = false;
  private state: 'idle' | 'running' | 'paused' | 'closed' = 'idle';
  private stream: WatchStream | undefined;
  private cancelRetry: (() => void) | undefined;
  private generation = 0;
  private attempt = 0;

  constructor(
    private readonly connection: Connection,
    private readonly layout: KeyLayout,
    private readonly from: number,
    private readonly sink: FeedSink<T>,
  ) {
    this.next = Math.max(from, 1);
  }

  /** Every entry with a revision below this one has been delivered. */
  get position(): number {
    return this.next;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    void this.connect();
  }

  /** Stops watching until {@link resume}; nothing is lost (the watch starts again where it stopped). */
  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.disconnect();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    void this.connect();
  }

  close(): void {
    this.state = 'closed';
    this.disconnect();
  }

  private disconnect(): void {
    this.generation++;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.stream?.close();
    this.stream = undefined;
  }

  /**
   * Where the next watch starts. Resuming: at the revision after the last
   * delivered. First watch from `from` > 1: one revision earlier, so that
   * etcd refuses it exactly when `from` is below the log's compaction bound
   * (etcd compacts at bound − 1 and still serves a watch from there).
   */
  private startRevision(): number {
    if (this.anchored) return this.next;
    return this.from === 0 ? 1 : Math.max(1, this.from - 1);
  }

  private async connect(): Promise<void> {
    if (this.state !== 'running') return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && this.state !== 'closed';
    try {
      const stream = await openWatch(
        this.connection,
        { key: this.layout.liveRoot, end: this.layout.watchEnd },
        this.startRevision(),
        {
          events: (events) => {
            if (!current()) return;
            this.attempt = 0;
            let entries: LogEntry<T>[];
            try {
              entries = entriesOf<T>(events, this.layout);
            } catch (error) {
              this.fail(error);
              return;
            }
            this.deliver(entries);
          },
          compacted: (compactRevision) => {
            if (current()) void this.onCompacted(compactRevision);
          },
          broken: () => {
            if (current()) this.retryLater();
          },
          refused: (error) => {
            if (current()) this.fail(error);
          },
        },
      );
      if (current()) this.stream = stream;
      else stream.close();
    } catch (error) {
      if (!current()) return;
      if (this.connection.isClosed || !transient(error)) this.fail(error);
      else this.retryLater();
    }
  }

  private retryLater(): void {
    this.stream = undefined;
    if (this.state !== 'running') return;
    const generation = ++this.generation;
    this.cancelRetry = this.connection.timer(
      () => {
        if (generation === this.generation) void this.connect();
      },
      Math.min(1_000, 50 * 2 ** Math.min(this.attempt++, 5)),
    );
  }

  private deliver(entries: readonly LogEntry<T>[]): void {
    let fresh = entries;
    const first = entries[0];
    if (first !== undefined && first.revision < this.next) fresh = entries.filter((e) => e.revision >= this.next);
    const last = fresh.at(-1);
    if (last === undefined) return;
    this.next = last.revision + 1;
    this.anchored = true;
    this.sink.deliver(fresh);
  }

  private async onCompacted(compactRevision: number): Promise<void> {
    this.stream = undefined;
    if (this.from === 0 && !this.anchored) {
      await this.loadBase(compactRevision);
      return;
    }
    this.fail(new CompactedError(this.anchored ? this.next : this.from, compactRevision + 1));
  }

  /** Reads the live keys at the compaction revision, delivers them in revision order, then watches after it. */
  private async loadBase(compactRevision: number): Promise<void> {
    const generation = ++this.generation;
    let kvs: IKeyValue[];
    try {
      kvs = await this.rangeLiveKeys(compactRevision);
    } catch (error) {
      if (generation !== this.generation || this.state === 'closed') return;
      // A newer compaction overtook the read: nothing was delivered yet, so start over.
      if (compactedError(error)) void this.connect();
      else this.fail(error);
      return;
    }
    if (generation !== this.generation || this.state === 'closed') return;
    let base: LogEntry<T>[];
    try {
      base = kvs.map((kv) => {
        const where = this.layout.classify(kv.key);
        return decodeEntry<T>(kv, where?.key ?? '', false);
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    base.sort((a, b) => a.revision - b.revision);
    this.anchored = true;
    this.deliver(base);
    this.next = Math.max(this.next, compactRevision + 1);
    if (this.state === 'running') void this.connect();
  }

  private async rangeLiveKeys(revision: number): Promise<IKeyValue[]> {
    const kvs: IKeyValue[] = [];
    const end = KeyLayout.prefixEnd(this.layout.liveRoot);
    let start = this.layout.liveRoot;
    for (;;) {
      const response = await this.retryingForever(() =>
        this.connection.client.kv.range({ key: start, range_end: end, revision, limit: BASE_PAGE }),
      );
      for (const kv of response.kvs) kvs.push(kv);
      const last = response.kvs.at(-1);
      if (!response.more || last === undefined) return kvs;
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  /** A feed outlives etcd outages: it retries reads until they answer or the feed closes. */
  private async retryingForever<R>(call: () => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connection.timed(call);
      } catch (error) {
        if (this.state === 'closed' || this.connection.isClosed || !transient(error)) throw error;
        await this.connection.backoff(attempt);
      }
    }
  }

  private fail(error: unknown): void {
    if (this.state === 'closed') return;
    this.close();
    this.sink.fail(error);
  }
}
