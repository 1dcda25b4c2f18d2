import { type Clock, systemClock } from '@keelson/clock';
import { InvalidError } from '@keelson/core';

/**
 * Decides how long an item waits before it is retried, as client-go's
 * `workqueue.TypedRateLimiter`. A work queue calls {@link RateLimiter.when}
 * from `addRateLimited` after a failed reconcile, and {@link RateLimiter.forget}
 * once the item succeeded, so that failures back off without hot-looping.
 *
 * Items are compared with `===`: use string keys such as `namespace/name`.
 */
export interface RateLimiter<T> {
  /** Records one more requeue of `item` and returns how long it should wait, in milliseconds (>= 0). */
  when(item: T): number;
  /** Stops tracking `item` (it succeeded or was given up on); its next `when` starts from scratch. */
  forget(item: T): void;
  /** How many times `item` has been requeued through `when` since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Options for rate limiters that read time. */
export interface RateLimiterClockOptions {
  /** Where time comes from; {@link systemClock} by default, a `VirtualClock` in tests. */
  clock?: Clock;
}

const checkDelay = (fn: string, name: string, value: number): void => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidError(`${fn}: ${name} must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
};

/** Failure counts per item, shared by the per-item limiters. */
class FailureCounts<T> {
  private readonly failures = new Map<T, number>();

  /** Returns the count before this failure, then increments it. */
  record(item: T): number {
    const previous = this.failures.get(item) ?? 0;
    this.failures.set(item, previous + 1);
    return previous;
  }

  get(item: T): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }
}

/**
 * Per-item exponential backoff: the n-th consecutive requeue of an item waits
 * `baseDelayMs × 2^(n-1)`, capped at `maxDelayMs` (client-go's
 * `ItemExponentialFailureRateLimiter`). The defaults, 5 ms and 1000 s, are
 * the per-item half of client-go's `DefaultControllerRateLimiter`: a broken
 * object is retried quickly at first, then ever more rarely, without ever
 * being dropped. Call `forget` on success so the next failure starts at the base.
 *
 * @param baseDelayMs delay of the first requeue, in ms (>= 0).
 * @param maxDelayMs cap on any delay, in ms (>= 0).
 * @throws InvalidError if a delay is negative or not finite.
 */
export function exponentialFailureRateLimiter<T>(baseDelayMs = 5, maxDelayMs = 1_000_000): RateLimiter<T> {
  checkDelay('exponentialFailureRateLimiter', 'baseDelayMs', baseDelayMs);
  checkDelay('exponentialFailureRateLimiter', 'maxDelayMs', maxDelayMs);
  const failures = new FailureCounts<T>();
  return {
    when(item) {
      const backoff = baseDelayMs * 2 ** failures.record(item);
      // After ~1000 failures 2^n overflows to Infinity; the cap still applies.
      return backoff > maxDelayMs || !Number.isFinite(backoff) ? maxDelayMs : backoff;
    },
    forget: (item) => failures.forget(item),
    numRequeues: (item) => failures.get(item),
  };
}

/**
 * One token bucket shared by all items (client-go's `BucketRateLimiter` over
 * `golang.org/x/time/rate`): it holds up to `burst` tokens, starts full and
 * refills at `qps` tokens per second. Every `when` reserves one token, even a
 * future one, and returns how long until that token exists, so with the
 * defaults the first 100 calls at one instant return 0, then 100 ms, 200 ms,
 * and so on. This bounds the overall retry rate when many items fail at once.
 * It tracks no items: `numRequeues` is always 0 and `forget` does nothing.
 *
 * @param qps tokens added per second (> 0; `Infinity` means no limit).
 * @param burst bucket size, a whole number >= 1.
 * @throws InvalidError if `qps` is not positive or `burst` is not a positive integer.
 */
export function bucketRateLimiter<T>(qps = 10, burst = 100, options: RateLimiterClockOptions = {}): RateLimiter<T> {
  if (typeof qps !== 'number' || Number.isNaN(qps) || qps <= 0) {
    throw new InvalidError(
      `bucketRateLimiter: qps must be a number of tokens per second > 0 (Infinity for no limit), got ${String(qps)}`,
    );
  }
  if (!Number.isSafeInteger(burst) || burst < 1) {
    throw new InvalidError(`bucketRateLimiter: burst must be a whole number >= 1, got ${String(burst)}`);
  }
  const clock = options.clock ?? systemClock;
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      if (qps === Number.POSITIVE_INFINITY) return 0;
      const now = clock.now();
      // Like x/time/rate's advance(): a clock that went back counts as no time passed.
      const elapsed = now - Math.min(last, now);
      tokens = Math.min(burst, tokens + (elapsed * qps) / 1000) - 1;
      last = now;
      return tokens < 0 ? (-tokens * 1000) / qps : 0;
    },
    forget() {},
    numRequeues: () => 0,
  };
}

/**
 * Combines limiters by taking the worst case: `when` asks every limiter (so
 * each records the requeue) and returns the longest delay, `numRequeues` the
 * largest count, and `forget` forgets in all of them (client-go's
 * `MaxOfRateLimiter`). This is how per-item backoff and an overall bucket are
 * applied together. With no limiters, every delay is 0.
 */
export function maxOfRateLimiter<T>(...limiters: RateLimiter<T>[]): RateLimiter<T> {
  const all = [...limiters];
  return {
    when(item) {
      let delay = 0;
      for (const limiter of all) delay = Math.max(delay, limiter.when(item));
      return delay;
    },
    forget(item) {
      for (const limiter of all) limiter.forget(item);
    },
    numRequeues(item) {
      let count = 0;
      for (const limiter of all) count = Math.max(count, limiter.numRequeues(item));
      return count;
    },
  };
}

/**
 * Retries an item quickly for its first `maxFastAttempts` requeues, then
 * slowly (client-go's `ItemFastSlowRateLimiter`): for work that usually
 * succeeds after a short wait but should not be hammered when it keeps failing.
 *
 * @param fastDelayMs delay of the first `maxFastAttempts` requeues, in ms (>= 0).
 * @param slowDelayMs delay of every later requeue, in ms (>= 0).
 * @param maxFastAttempts how many requeues are fast, a whole number >= 0.
 * @throws InvalidError on a negative or non-finite delay or a bad attempt count.
 */
export function itemFastSlowRateLimiter<T>(
  fastDelayMs: number,
  slowDelayMs: number,
  maxFastAttempts: number,
): RateLimiter<T> {
  checkDelay('itemFastSlowRateLimiter', 'fastDelayMs', fastDelayMs);
  checkDelay('itemFastSlowRateLimiter', 'slowDelayMs', slowDelayMs);
  if (!Number.isSafeInteger(maxFastAttempts) || maxFastAttempts < 0) {
    throw new InvalidError(
      `itemFastSlowRateLimiter: maxFastAttempts must be a whole number >= 0, got ${String(maxFastAttempts)}`,
    );
  }
  const failures = new FailureCounts<T>();
  return {
    when: (item) => (failures.record(item) < maxFastAttempts ? fastDelayMs : slowDelayMs),
    forget: (item) => failures.forget(item),
    numRequeues: (item) => failures.get(item),
  };
}

/**
 * The rate limiter controllers use unless told otherwise, as client-go's
 * `DefaultControllerRateLimiter` and controller-runtime's default: the max of
 * per-item exponential backoff (5 ms doubling up to 1000 s) and an overall
 * token bucket (10 qps, burst 100). A single failing item is retried after
 * 5, 10, 20, … ms; a storm of failures is held to 10 retries per second.
 */
export function defaultControllerRateLimiter<T>(options: RateLimiterClockOptions = {}): RateLimiter<T> {
  return maxOfRateLimiter<T>(exponentialFailureRateLimiter<T>(5, 1_000_000), bucketRateLimiter<T>(10, 100, options));
}
