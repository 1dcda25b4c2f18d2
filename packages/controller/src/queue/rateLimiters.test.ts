import { VirtualClock } from '@keelson/clock';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import {
  bucketRateLimiter,
  defaultControllerRateLimiter,
  exponentialFailureRateLimiter,
  itemFastSlowRateLimiter,
  maxOfRateLimiter,
  type RateLimiter,
} from './index';

const times = <T>(limiter: RateLimiter<T>, item: T, n: number): number[] =>
  Array.from({ length: n }, () => limiter.when(item));

describe('exponentialFailureRateLimiter', () => {
  it('doubles from 5 ms per failure by default and counts requeues per item', () => {
    const limiter = exponentialFailureRateLimiter<string>();
    expect(times(limiter, 'a', 6)).toEqual([5, 10, 20, 40, 80, 160]);
    expect(limiter.numRequeues('a')).toBe(6);
    expect(times(limiter, 'b', 2)).toEqual([5, 10]);
    expect(limiter.numRequeues('b')).toBe(2);
    expect(limiter.numRequeues('never')).toBe(0);
  });

  it('caps at 1000 s by default, even after enough failures to overflow 2^n', () => {
    const limiter = exponentialFailureRateLimiter<string>();
    const delays = times(limiter, 'a', 30);
    // 5 ms × 2^17 = 655.36 s is the last uncapped step; 5 ms × 2^18 > 1000 s.
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    times(limiter, 'a', 2000);
    expect(limiter.when('a')).toBe(1_000_000);
  });

  it('forget resets the backoff of that item only', () => {
    const limiter = exponentialFailureRateLimiter<string>(1, 1000);
    times(limiter, 'a', 5);
    times(limiter, 'b', 2);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(1);
    expect(limiter.when('b')).toBe(4);
  });

  it('follows client-go for other bases and caps', () => {
    const limiter = exponentialFailureRateLimiter<string>(60_000, 3_600_000_000);
    times(limiter, 'two', 2);
    expect(limiter.when('two')).toBe(240_000);
    expect(times(exponentialFailureRateLimiter<string>(1, 1000), 'x', 12).slice(9)).toEqual([512, 1000, 1000]);
  });

  it('refuses bad delays', () => {
    expect(() => exponentialFailureRateLimiter(-1)).toThrow(InvalidError);
    expect(() => exponentialFailureRateLimiter(5, Number.NaN)).toThrow(/maxDelayMs must be a finite number/);
  });
});

describe('bucketRateLimiter', () => {
  it('lets a burst of 100 through at once, then reserves future tokens 100 ms apart', () => {
    const clock = new VirtualClock();
    const limiter = bucketRateLimiter<string>(10, 100, { clock });
    expect(times(limiter, 'x', 100)).toEqual(new Array(100).fill(0));
    expect(times(limiter, 'x', 5)).toEqual([100, 200, 300, 400, 500]);
    expect(limiter.numRequeues('x')).toBe(0);
    limiter.forget('x');
    expect(limiter.when('y')).toBe(600);
  });

  it('refills with time on the clock, never beyond the burst', async () => {
    const clock = new VirtualClock();
    const limiter = bucketRateLimiter<string>(10, 100, { clock });
    times(limiter, 'x', 102); // owes 2 tokens: the 102nd waits 200 ms
    await clock.advance(200);
    expect(limiter.when('x')).toBe(100); // debt repaid, bucket empty
    await clock.advance(1000); // 10 tokens, minus the 1 reserved above
    expect(times(limiter, 'x', 9)).toEqual(new Array(9).fill(0));
    expect(limiter.when('x')).toBe(100);
    await clock.advance(60_000); // far more than the burst
    expect(times(limiter, 'x', 100)).toEqual(new Array(100).fill(0));
    expect(limiter.when('x')).toBe(100);
  });

  it('handles other rates and bursts, and Infinity as no limit', () => {
    const clock = new VirtualClock();
    expect(times(bucketRateLimiter<string>(2, 1, { clock }), 'x', 4)).toEqual([0, 500, 1000, 1500]);
    expect(times(bucketRateLimiter<string>(Number.POSITIVE_INFINITY, 1, { clock }), 'x', 3)).toEqual([0, 0, 0]);
  });

  it('refuses a qps that is not positive and a burst that is not a whole number >= 1', () => {
    expect(() => bucketRateLimiter(-1)).toThrow(InvalidError);
    expect(() => bucketRateLimiter(0)).toThrow(/qps must be/);
    expect(() => bucketRateLimiter(Number.NaN)).toThrow(/qps must be/);
    expect(() => bucketRateLimiter(10, 0)).toThrow(/burst must be a whole number >= 1, got 0/);
    expect(() => bucketRateLimiter(10, 1.5)).toThrow(InvalidError);
  });
});

describe('itemFastSlowRateLimiter', () => {
  it('is fast for maxFastAttempts requeues, then slow; forget resets', () => {
    const limiter = itemFastSlowRateLimiter<string>(5, 10_000, 3);
    expect(times(limiter, 'one', 5)).toEqual([5, 5, 5, 10_000, 10_000]);
    expect(limiter.numRequeues('one')).toBe(5);
    expect(times(limiter, 'two', 2)).toEqual([5, 5]);
    limiter.forget('one');
    expect(limiter.numRequeues('one')).toBe(0);
    expect(limiter.when('one')).toBe(5);
  });

  it('refuses bad arguments', () => {
    expect(() => itemFastSlowRateLimiter(-5, 10, 3)).toThrow(InvalidError);
    expect(() => itemFastSlowRateLimiter(5, 10, -1)).toThrow(/maxFastAttempts must be a whole number/);
  });
});

describe('maxOfRateLimiter', () => {
  it('returns the worst delay and count, and forgets in every limiter', () => {
    const limiter = maxOfRateLimiter<string>(
      itemFastSlowRateLimiter(5, 3000, 3),
      exponentialFailureRateLimiter(1, 1000),
    );
    expect(times(limiter, 'one', 5)).toEqual([5, 5, 5, 3000, 3000]);
    expect(limiter.numRequeues('one')).toBe(5);
    expect(times(limiter, 'two', 2)).toEqual([5, 5]);
    limiter.forget('one');
    expect(limiter.numRequeues('one')).toBe(0);
    expect(limiter.when('one')).toBe(5);
    expect(maxOfRateLimiter<string>().when('x')).toBe(0);
  });

  it('asks every limiter on each call, so each records the requeue', () => {
    const slow = exponentialFailureRateLimiter<string>(100, 1000);
    const fast = exponentialFailureRateLimiter<string>(1, 1000);
    const limiter = maxOfRateLimiter(slow, fast);
    times(limiter, 'a', 3);
    expect([slow.numRequeues('a'), fast.numRequeues('a')]).toEqual([3, 3]);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('backs one item off exponentially from 5 ms up to 1000 s', () => {
    const limiter = defaultControllerRateLimiter<string>({ clock: new VirtualClock() });
    expect(times(limiter, 'a', 5)).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.numRequeues('a')).toBe(5);
    times(limiter, 'a', 20);
    expect(limiter.when('a')).toBe(1_000_000);
    limiter.forget('a');
    expect(limiter.when('a')).toBe(5);
  });

  it('holds many failing items to 10 per second after a burst of 100', () => {
    const limiter = defaultControllerRateLimiter<string>({ clock: new VirtualClock() });
    const first = Array.from({ length: 103 }, (_, i) => limiter.when(`item-${i}`));
    expect(first.slice(0, 100)).toEqual(new Array(100).fill(5));
    expect(first.slice(100)).toEqual([100, 200, 300]);
  });
});
