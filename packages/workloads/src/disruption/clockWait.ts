/** Waiting on the injected clock, never on real time, so a virtual clock drives evictions and drains in tests. */
import type { Clock } from '@keelson/clock';

/** Resolves after `ms` of `clock` time (at once for `ms <= 0`). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}
