/**
 * An opaque handle for a timer set on a {@link Clock}; pass it back to
 * {@link Clock.clearTimeout} to cancel the timer.
 */
export interface TimerHandle {
  /** Brand that keeps handles from different clocks apart at the type level. */
  readonly __timer: true;
}

/** Options for {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * Housekeeping timers (lease renewal, resync, relist, bookmarks, periodic
   * sweeps) are `background`: they fire as time passes but never keep
   * {@link VirtualClock.runUntilIdle} from returning, and on the system clock
   * they do not keep the Node process alive.
   */
  background?: boolean;
}

/**
 * Time as a dependency. Every Keelson component takes a `clock` option and
 * never reads wall time or sets a timer by itself, so that the same component
 * runs in production on {@link systemClock} and in tests on a
 * {@link VirtualClock}.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, like `Date.now()`. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; cancelling a fired or unknown timer does nothing. */
  clearTimeout(handle: TimerHandle): void;
  /**
   * Marks real I/O (file system, sockets) that a virtual clock must wait for
   * before it moves time on. Returns a promise settling like `promise`.
   */
  track<T>(promise: Promise<T>): Promise<T>;
}
