/**
 * The scheduling queue (kube-scheduler's `PriorityQueue`): pods wait in
 * activeQ (QueueSort order: priority, then age), in backoffQ after a failed
 * attempt (1 s × 2^(attempts−1), at most 10 s), or in the unschedulable
 * pool until a cluster event that could help them — or 5 minutes — moves
 * them back. Pods a PreEnqueue plugin rejects (SchedulingGates: a pod with
 * `spec.schedulingGates`) wait in the gated set, never attempted, until an
 * update of their spec lets PreEnqueue pass.
 */
import type { Clock, TimerHandle } from '@keelson/clock';
import type { PodInfo } from '../framework/podInfo';
import type { ClusterEventKind, QueuedPodInfo } from '../framework/types';
import { BackoffQueue } from './backoffQueue';
import { KeyedHeap } from './heap';
import {
  DEFAULT_POD_INITIAL_BACKOFF_MS,
  DEFAULT_POD_MAX_BACKOFF_MS,
  DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS,
  type Entry,
  type QueueLength,
  type QueueName,
  type SchedulingQueueOptions,
  UNSCHEDULABLE_FLUSH_INTERVAL_MS,
} from './queueTypes';

export {
  DEFAULT_POD_INITIAL_BACKOFF_MS,
  DEFAULT_POD_MAX_BACKOFF_MS,
  DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS,
  type QueueLength,
  type QueueName,
  type SchedulingQueueOptions,
  UNSCHEDULABLE_FLUSH_INTERVAL_MS,
} from './queueTypes';

export class SchedulingQueue {
  readonly #clock: Clock;
  readonly #options: SchedulingQueueOptions;
  readonly #active: KeyedHeap<Entry>;
  readonly #backoff: BackoffQueue;
  readonly #unschedulable = new Map<string, Entry>();
  /** Pods a PreEnqueue plugin rejected, by key: only an update of the pod lets them out. */
  readonly #gated = new Map<string, Entry>();
  /** Pods popped and not yet requeued or done, by key: updates while in flight are remembered. */
  readonly #inFlight = new Map<string, Entry>();
  #seq = 0;
  #closed = false;
  #waiters: Array<(entry: Entry | undefined) => void> = [];
  #flushTimer: TimerHandle | undefined;
  /** Incremented per pop: an event newer than a pod's cycle sends it to backoff, not the pool. */
  schedulingCycle = 0;
  #moveRequestCycle = -1;

  constructor(options: SchedulingQueueOptions) {
    this.#clock = options.clock;
    this.#options = options;
    this.#active = new KeyedHeap<Entry>(
      (e) => e.podInfo.key,
      (a, b) => options.less(a, b) || (!options.less(b, a) && a.seq < b.seq),
    );
    this.#backoff = new BackoffQueue(options.clock, (entry) => this.#toActive(entry));
  }

  /** Where the pod with this key is, if queued. */
  where(key: string): QueueName | undefined {
    if (this.#active.has(key)) return 'active';
    if (this.#backoff.has(key)) return 'backoff';
    if (this.#unschedulable.has(key)) return 'unschedulable';
    if (this.#gated.has(key)) return 'gated';
    return undefined;
  }

  /** Pods per queue; `gated` counts the pods a PreEnqueue plugin holds (e.g. `schedulingGates`). */
  get length(): QueueLength {
    return {
      active: this.#active.size,
      backoff: this.#backoff.size,
      unschedulable: this.#unschedulable.size,
      gated: this.#gated.size,
    };
  }

  /** A new pending pod. */
  add(podInfo: PodInfo): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const entry: Entry = {
      podInfo,
      timestamp: now,
      initialAttemptTimestamp: now,
      attempts: 0,
      unschedulablePlugins: new Set(),
      seq: this.#seq++,
      backoffUntil: 0,
    };
    this.#toActive(entry);
  }

  /**
   * A queued pod changed: update it in place. When what scheduling reads
   * changed (`inputsChanged`: spec, labels, annotations), an unschedulable
   * pod gets another chance and a gated pod goes through PreEnqueue again
   * (to activeQ once its last scheduling gate is gone); a status-only change
   * leaves it waiting.
   */
  update(podInfo: PodInfo, inputsChanged = true): void {
    const key = podInfo.key;
    const inFlight = this.#inFlight.get(key);
    if (inFlight !== undefined) {
      (inFlight as { podInfo: PodInfo }).podInfo = podInfo;
      return;
    }
    const active = this.#active.get(key);
    if (active !== undefined) {
      (active as { podInfo: PodInfo }).podInfo = podInfo;
      this.#active.push(active);
      return;
    }
    if (this.#backoff.update({ podInfo })) return;
    for (const pool of [this.#gated, this.#unschedulable]) {
      const pooled = pool.get(key);
      if (pooled === undefined) continue;
      (pooled as { podInfo: PodInfo }).podInfo = podInfo;
      if (!inputsChanged) return;
      pool.delete(key);
      if (pool === this.#gated) this.#toActive(pooled);
      else this.#activeOrBackoff(pooled);
      return;
    }
    this.add(podInfo);
  }

  /** The pod is gone (deleted, or bound by someone else). */
  delete(key: string): void {
    this.#active.delete(key);
    this.#backoff.delete(key);
    this.#unschedulable.delete(key);
    this.#gated.delete(key);
    this.#inFlight.delete(key);
  }
  /** The next pod to schedule; waits while activeQ is empty; `undefined` once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const entry = this.#active.pop();
    if (entry !== undefined) return Promise.resolve(this.#popped(entry));
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push((e) => resolve(e === undefined ? undefined : this.#popped(e))));
  }

  /** Pops without waiting (for a synchronous drain loop). */
  tryPop(): QueuedPodInfo | undefined {
    const entry = this.#active.pop();
    return entry === undefined ? undefined : this.#popped(entry);
  }

  #popped(entry: Entry): QueuedPodInfo {
    entry.attempts++;
    this.schedulingCycle++;
    this.#inFlight.set(entry.podInfo.key, entry);
    return entry;
  }

  /** The popped pod was scheduled (or given up on): forget it. */
  done(key: string): void {
    this.#inFlight.delete(key);
  }

  /**
   * The popped pod failed. Rejected by plugins (`unschedulable`): to the
   * pool — or to backoff if a cluster event arrived while it was being
   * scheduled. Failed with an error: to backoff.
   */
  requeue(pod: QueuedPodInfo, options: { unschedulable: boolean; plugins?: Iterable<string>; cycle: number }): void {
    const entry = pod as Entry;
    const key = entry.podInfo.key;
    if (this.#closed || this.#inFlight.get(key) !== entry) return;
    this.#inFlight.delete(key);
    entry.unschedulablePlugins = new Set(options.plugins ?? []);
    entry.timestamp = this.#clock.now();
    entry.backoffUntil = entry.timestamp + this.backoffMs(entry.attempts);
    if (!options.unschedulable || this.#moveRequestCycle >= options.cycle) {
      this.#backoff.push(entry);
      return;
    }
    this.#unschedulable.set(key, entry);
    this.#armFlushTimer();
  }

  /** Backoff after `attempts` attempts: initial × 2^(attempts−1), capped. */
  backoffMs(attempts: number): number {
    const initial = this.#options.initialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    const max = this.#options.maxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    let duration = initial;
    for (let i = 1; i < attempts && duration < max; i++) duration *= 2;
    return Math.min(duration, max);
  }

  /** A cluster event: unschedulable pods it may help go back to activeQ (or backoffQ if still backing off). */
  moveOnEvent(event: ClusterEventKind): void {
    this.#moveRequestCycle = this.schedulingCycle;
    if (this.#unschedulable.size === 0) return;
    const interested = this.#options.interestedIn;
    for (const [key, entry] of this.#unschedulable) {
      if (interested !== undefined && entry.unschedulablePlugins.size > 0) {
        let helps = false;
        for (const plugin of entry.unschedulablePlugins) {
          if (interested(event, plugin)) {
            helps = true;
            break;
          }
        }
        if (!helps) continue;
      }
      this.#unschedulable.delete(key);
      this.#activeOrBackoff(entry);
    }
  }

  /** Wakes every waiting `pop` with `undefined` without closing the queue (a scheduler pausing). */
  interrupt(): void {
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  /** Stops the queue: waiting `pop`s resolve `undefined`, timers are cleared. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    this.#backoff.stop();
    if (this.#flushTimer !== undefined) this.#clock.clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
  }

  #toActive(entry: Entry): void {
    const gate = this.#options.preEnqueue?.(entry.podInfo);
    if (gate !== undefined && gate.code !== 'Success') {
      this.#gated.set(entry.podInfo.key, entry);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(entry);
    else this.#active.push(entry);
  }

  #activeOrBackoff(entry: Entry): void {
    if (entry.backoffUntil > this.#clock.now()) this.#backoff.push(entry);
    else this.#toActive(entry);
  }

  #armFlushTimer(): void {
    if (this.#flushTimer !== undefined || this.#closed) return;
    this.#flushTimer = this.#clock.setTimeout(
      () => {
        this.#flushTimer = undefined;
        this.#flushUnschedulable();
        if (this.#unschedulable.size > 0) this.#armFlushTimer();
      },
      UNSCHEDULABLE_FLUSH_INTERVAL_MS,
      { background: true },
    );
  }

  #flushUnschedulable(): void {
    const limit = this.#options.maxInUnschedulableMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS;
    const now = this.#clock.now();
    for (const [key, entry] of this.#unschedulable) {
      if (now - entry.timestamp < limit) continue;
      this.#unschedulable.delete(key);
      this.#activeOrBackoff(entry);
    }
  }
}
