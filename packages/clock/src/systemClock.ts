import type { Clock, TimerHandle, TimerOptions } from './Clock';

type NodeTimer = ReturnType<typeof globalThis.setTimeout>;

/**
 * The real clock: `Date.now()` and Node's timers. Background timers are
 * `unref`ed so they never keep the process alive on their own.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    const timer = globalThis.setTimeout(fn, ms);
    if (options?.background) timer.unref();
    return timer as unknown as TimerHandle;
  },
  clearTimeout(handle: TimerHandle): void {
    globalThis.clearTimeout(handle as unknown as NodeTimer);
  },
  track: <T>(promise: Promise<T>): Promise<T> => promise,
};
