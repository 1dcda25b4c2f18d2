/**
 * Backoff per operation (Kubernetes' goroutinemap exponentialbackoff): a
 * provision, delete or resize that failed is not tried again before its
 * delay has passed — 500 ms, doubling to 2 min 2 s — however many events
 * arrive meanwhile (its own failure writes one).
 */
import type { Clock } from '@keelson/clock';
import { OPERATION_BACKOFF_INITIAL_MS, OPERATION_BACKOFF_MAX_MS } from './constants';

interface Failure {
  failures: number;
  retryAt: number;
}

/** Failed operations by key, and when each may run again. */
export class OperationBackoff {
  private readonly failed = new Map<string, Failure>();

  constructor(private readonly clock: Clock) {}

  /** Ms until `key` may run again (0: now). */
  remaining(key: string): number {
    const failure = this.failed.get(key);
    return failure === undefined ? 0 : Math.max(0, failure.retryAt - this.clock.now());
  }

  /** Records a failure of `key`; returns the delay before it may run again. */
  fail(key: string): number {
    const failures = (this.failed.get(key)?.failures ?? 0) + 1;
    const delay = Math.min(OPERATION_BACKOFF_INITIAL_MS * 2 ** (failures - 1), OPERATION_BACKOFF_MAX_MS);
    this.failed.set(key, { failures, retryAt: this.clock.now() + delay });
    return delay;
  }

  /** Forgets `key`'s failures. */
  succeed(key: string): void {
    this.failed.delete(key);
  }

  /**
   * Runs `operation` unless `key` is backing off; a failure is recorded
   * (not thrown). Returns the ms after which to look again, or undefined
   * when the operation ran and succeeded.
   */
  async run(key: string, signal: AbortSignal, operation: () => Promise<void>): Promise<number | undefined> {
    const wait = this.remaining(key);
    if (wait > 0) return wait;
    try {
      await operation();
    } catch (error) {
      if (signal.aborted) throw error;
      return this.fail(key);
    }
    this.succeed(key);
    return undefined;
  }
}
