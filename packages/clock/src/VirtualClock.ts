import type { Clock, TimerHandle, TimerOptions } from './Clock';
import { type ScheduledTimer, TimerHeap } from './TimerHeap';

/** Options for {@link VirtualClock.runUntilIdle}. */
export interface RunUntilIdleOptions {
  /** Stop after this much virtual time even if timers are still pending. No bound by default. */
  maxMs?: number;
}

// A real macrotask turn: every queued microtask (however many awaits deep) runs before it.
const realSetImmediate = globalThis.setImmediate;
const nextMacrotask = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * A clock whose time moves only when a test says so. Timers live in a binary
 * heap; those due at one instant fire in the order they were set, with `now()`
 * equal to their due time. After each instant the clock settles: it yields a
 * real macrotask so promise chains finish, and keeps yielding while promises
 * passed to {@link VirtualClock.track} (real I/O) are in flight. The same
 * inputs therefore always produce the same sequence of events.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * clock.setTimeout(() => console.log('30 s later', clock.now()), 30_000);
 * await clock.advance(60_000);   // fires the timer, at now() === 30_000
 * ```
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly heap = new TimerHeap();
  private readonly live = new Set<ScheduledTimer>();
  private foreground = 0;
  private seq = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private running = false;

  /** @param startMs the initial `now()`, in epoch milliseconds (default 0). */
  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) {
      throw new RangeError(`VirtualClock: startMs must be a finite number of milliseconds, got ${String(startMs)}`);
    }
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Negative, NaN or infinite delays count as 0, as they fire "soon" on Node's timers. */
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    const delay = ms > 0 && Number.isFinite(ms) ? ms : 0;
    const timer: ScheduledTimer = {
      due: this.current + delay,
      seq: this.seq++,
      fn,
      background: options?.background === true,
      cancelled: false,
    };
    this.heap.push(timer);
    this.live.add(timer);
    if (!timer.background) this.foreground++;
    return timer as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as unknown as ScheduledTimer;
    if (!this.live.delete(timer)) return;
    timer.cancelled = true;
    if (!timer.background) this.foreground--;
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight++;
    return promise.finally(() => {
      this.inFlight--;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Timers set and not yet fired or cleared, background ones included. */
  pendingTimers(): number {
    return this.live.size;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`VirtualClock.advance: ms must be a finite number >= 0, got ${String(ms)}`);
    }
    await this.run(this.current + ms, false);
  }

  /**
   * Fires timers in order until only background timers remain. Without
   * `maxMs` there is no bound: a timer that always sets another keeps it going.
   * With `maxMs`, time stops at `now() + maxMs` even if timers remain.
   */
  async runUntilIdle(options: RunUntilIdleOptions = {}): Promise<void> {
    const { maxMs } = options;
    if (maxMs !== undefined && (!(maxMs >= 0) || !Number.isFinite(maxMs))) {
      throw new RangeError(`VirtualClock.runUntilIdle: maxMs must be a finite number >= 0, got ${String(maxMs)}`);
    }
    await this.run(maxMs === undefined ? Number.POSITIVE_INFINITY : this.current + maxMs, true);
  }

  private async run(target: number, untilIdle: boolean): Promise<void> {
    if (this.running) {
      throw new Error(
        'VirtualClock: advance() or runUntilIdle() is already running; await the first call before starting another',
      );
    }
    this.running = true;
    try {
      await this.settle();
      for (;;) {
        if (untilIdle && this.foreground === 0) return;
        const next = this.nextLive();
        if (next === undefined || next.due > target) break;
        this.current = next.due;
        this.fireInstant();
        await this.settle();
      }
      if (Number.isFinite(target)) this.current = target;
    } finally {
      this.running = false;
    }
  }

  private nextLive(): ScheduledTimer | undefined {
    let top = this.heap.peek();
    while (top?.cancelled) {
      this.heap.pop();
      top = this.heap.peek();
    }
    return top;
  }

  /** Fires every timer due now, including ones set for now while firing. */
  private fireInstant(): void {
    const errors: unknown[] = [];
    for (let next = this.nextLive(); next !== undefined && next.due <= this.current; next = this.nextLive()) {
      this.heap.pop();
      this.live.delete(next);
      if (!next.background) this.foreground--;
      try {
        next.fn();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} timers threw at ${this.current}`);
  }

  /** Lets microtasks run, then waits out tracked I/O, yielding a real macrotask each time. */
  private async settle(): Promise<void> {
    for (;;) {
      await nextMacrotask();
      if (this.inFlight === 0) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
