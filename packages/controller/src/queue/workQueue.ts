import { type Clock, systemClock, type TimerHandle } from '@keelson/clock';
import { InvalidError, type MetricsRegistry } from '@keelson/core';
import { WorkQueueMetrics } from './queueMetrics';
import { defaultControllerRateLimiter, type RateLimiter } from './rateLimiters';

/** What {@link WorkQueue.get} resolves to: an item to process, or word that the queue is shut down and empty. */
export type WorkQueueGetResult<T> = { item: T; shutdown: false } | { shutdown: true };

/** Options for {@link createWorkQueue}. */
export interface WorkQueueOptions<T> {
  /** Where delayed adds get their timers; {@link systemClock} by default, a `VirtualClock` in tests. */
  clock?: Clock;
  /** Used by `addRateLimited`, `forget` and `numRequeues`; {@link defaultControllerRateLimiter} on `clock` by default. */
  rateLimiter?: RateLimiter<T>;
  /** A label for the queue (e.g. the controller's name), used in error messages. */
  name?: string;
  /** Registers client-go's workqueue metrics (`keelson_workqueue_*`, labelled by `name`) here; none without it. */
  metricsRegistry?: MetricsRegistry;
}

/**
 * A work queue with client-go's contract (`workqueue.TypedRateLimitingInterface`).
 * Items are keys compared with `===`, so use strings such as `namespace/name`,
 * never freshly built objects. The queue guarantees that:
 * - an item added many times before it is taken is processed once (dedup);
 * - an item is never held by two workers: one added again while being
 *   processed is queued again only when its holder calls {@link WorkQueue.done};
 * - items are handed out first in, first out, to waiting `get` callers in call order.
 */
export interface WorkQueue<T> {
  /** The name given in the options, or `''`. */
  readonly name: string;
  /** Items queued and not yet taken (items being processed are not counted); informational only. */
  readonly length: number;
  /** Marks `item` as needing processing. Ignored once the queue is shutting down. */
  add(item: T): void;
  /**
   * Waits for the next item and marks it as being processed; call `done(item)`
   * when finished. After shut down it still returns queued items, then
   * `{ shutdown: true }` once none are left: the worker should then stop.
   */
  get(): Promise<WorkQueueGetResult<T>>;
  /** Ends processing of `item`; if it was added meanwhile it is queued again. Does nothing for an item not being processed. */
  done(item: T): void;
  /**
   * Adds `item` after `ms` milliseconds on the clock (now if `ms <= 0`). If the
   * item is already waiting, the earlier of the two times wins.
   * @throws InvalidError if `ms` is NaN or infinite.
   */
  addAfter(item: T, ms: number): void;
  /** Adds `item` after the rate limiter's `when(item)`: the way to retry after a failure. */
  addRateLimited(item: T): void;
  /** Tells the rate limiter the item succeeded (or was given up on), resetting its backoff. Does not dequeue it. */
  forget(item: T): void;
  /** How many times the rate limiter has seen `item` requeued since it was last forgotten. */
  numRequeues(item: T): number;
  /**
   * Stops accepting items, drops delayed adds and lets waiting `get` callers
   * return `{ shutdown: true }`; queued items are still handed out. Also ends
   * the wait of a pending {@link WorkQueue.shutDownWithDrain}.
   */
  shutDown(): void;
  /** Like {@link WorkQueue.shutDown}, but resolves only once every item being processed is `done`. */
  shutDownWithDrain(): Promise<void>;
  /** Whether `shutDown` or `shutDownWithDrain` has been called. */
  shuttingDown(): boolean;
}

/** FIFO of items with O(1) push and shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the oldest item; only call when `length > 0`. */
  shift(): T {
    const item = this.items[this.head] as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface Delayed {
  readyAt: number;
  timer: TimerHandle;
}

type Waiter<T> = (result: WorkQueueGetResult<T>) => void;

class RateLimitingWorkQueue<T> implements WorkQueue<T> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  /** Order of work: every queued item is dirty and not processing. */
  private readonly queue = new Fifo<T>();
  /** Items that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  /** Items handed out by `get` and not yet `done`. */
  private readonly processing = new Set<T>();
  /** Pending `get` callers, oldest first; non-empty only while the queue is empty. */
  private waiters: Waiter<T>[] = [];
  private readonly delayed = new Map<T, Delayed>();
  private drainWaiters: Array<() => void> = [];
  private stopping = false;
  private readonly metrics: WorkQueueMetrics<T> | undefined;

  constructor(options: WorkQueueOptions<T>) {
    this.name = options.name ?? '';
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>({ clock: this.clock });
    const registry = options.metricsRegistry;
    this.metrics = registry === undefined ? undefined : new WorkQueueMetrics<T>(registry, this.name, this.clock);
  }

  get length(): number {
    return this.queue.length;
  }

  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.dirty.add(item);
    this.metrics?.added(item);
    if (this.processing.has(item)) return;
    this.enqueue(item);
  }

  get(): Promise<WorkQueueGetResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ item: this.take(), shutdown: false });
    if (this.stopping) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    if (!this.processing.delete(item)) return;
    this.metrics?.finished(item);
    if (this.dirty.has(item)) this.enqueue(item);
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  addAfter(item: T, ms: number): void {
    if (typeof ms !== 'number' || Number.isNaN(ms) || ms === Number.POSITIVE_INFINITY) {
      throw new InvalidError(
        `${this.label()}addAfter: ms must be a finite number of milliseconds (<= 0 adds now), got ${String(ms)}`,
      );
    }
    if (this.stopping) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.delayed.get(item);
    if (existing !== undefined) {
      if (existing.readyAt <= readyAt) return;
      this.clock.clearTimeout(existing.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(item);
      this.add(item);
    }, ms);
    this.delayed.set(item, { readyAt, timer });
  }

  addRateLimited(item: T): void {
    // Ask the limiter even when stopping, as client-go does: the requeue is counted either way.
    this.metrics?.retried();
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  shutDown(): void {
    this.stop();
    // A later shutDown ends a shutDownWithDrain's wait, as in client-go.
    this.releaseDrainWaiters();
  }

  shutDownWithDrain(): Promise<void> {
    this.stop();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private label(): string {
    return this.name === '' ? 'workQueue.' : `workQueue "${this.name}": `;
  }

  private stop(): void {
    this.stopping = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    // Waiters exist only while nothing is queued, so they all get the shutdown signal.
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake({ shutdown: true });
  }

  /** Queues a dirty item that is not being processed, handing it straight to the oldest waiter if any. */
  private enqueue(item: T): void {
    this.queue.push(item);
    this.metrics?.setDepth(this.queue.length);
    const wake = this.waiters.shift();
    if (wake !== undefined) wake({ item: this.take(), shutdown: false });
  }

  /** Moves the oldest queued item to processing. */
  private take(): T {
    const item = this.queue.shift();
    this.processing.add(item);
    this.dirty.delete(item);
    this.metrics?.taken(item);
    this.metrics?.setDepth(this.queue.length);
    return item;
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Creates a rate-limited, delaying work queue with client-go's semantics, the
 * heart of a controller: event handlers `add` object keys, workers loop on
 * `get` / reconcile / `done`, and failures are retried with `addRateLimited`.
 * Because keys are deduplicated and never held by two workers at once, a
 * controller may run several workers without reconciling one object twice
 * concurrently, and a burst of events for one object costs one reconcile.
 * Keys are compared with `===`: use strings such as `namespace/name`.
 *
 * @example
 * ```ts
 * const queue = createWorkQueue<string>({ name: 'deployments' });
 * queue.add('default/web');
 * for (;;) {
 *   const next = await queue.get();
 *   if (next.shutdown) break;
 *   try {
 *     await reconcile(next.item);
 *     queue.forget(next.item);          // success: reset its backoff
 *   } catch {
 *     queue.addRateLimited(next.item);  // retry after 5 ms, 10 ms, 20 ms, …
 *   } finally {
 *     queue.done(next.item);
 *   }
 * }
 * ```
 */
export function createWorkQueue<T>(options: WorkQueueOptions<T> = {}): WorkQueue<T> {
  return new RateLimitingWorkQueue<T>(options);
}
