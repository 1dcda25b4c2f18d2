/**
 * Pods a Permit plugin asked to `Wait`: held between the scheduling and the
 * binding cycle until allowed, rejected, or timed out (at most 15 minutes,
 * as Kubernetes caps it).
 */
import type { Clock, TimerHandle } from '@keelson/clock';

/** Kubernetes' cap on a Permit wait. */
export const MAX_PERMIT_WAIT_MS = 15 * 60_000;

/** A pod waiting on Permit. */
export interface WaitingPod {
  /** Lets the pod go on to binding. */
  allow(): void;
  /** Sends the pod back to the queue with `message`. */
  reject(message: string): void;
}

interface Waiter {
  timer: TimerHandle;
  settle: (verdict: string | undefined) => void;
}

export class PermitGate {
  readonly #waiting = new Map<string, Waiter>();

  constructor(private readonly clock: Clock) {}

  /** Resolves `undefined` when allowed, or the rejection message. */
  wait(key: string, timeoutMs: number): Promise<string | undefined> {
    const ms = Math.min(Math.max(0, timeoutMs), MAX_PERMIT_WAIT_MS);
    return new Promise((resolve) => {
      const settle = (verdict: string | undefined) => {
        if (this.#waiting.get(key) !== waiter) return;
        this.#waiting.delete(key);
        this.clock.clearTimeout(waiter.timer);
        resolve(verdict);
      };
      const waiter: Waiter = {
        settle,
        timer: this.clock.setTimeout(() => settle(`rejected due to timeout after waiting ${ms / 1000}s at Permit`), ms),
      };
      this.#waiting.set(key, waiter);
    });
  }

  /** How many pods are waiting. */
  get size(): number {
    return this.#waiting.size;
  }

  get(key: string): WaitingPod | undefined {
    const waiter = this.#waiting.get(key);
    if (waiter === undefined) return undefined;
    return { allow: () => waiter.settle(undefined), reject: (message) => waiter.settle(message) };
  }

  rejectAll(message: string): void {
    for (const waiter of [...this.#waiting.values()]) waiter.settle(message);
  }
}
