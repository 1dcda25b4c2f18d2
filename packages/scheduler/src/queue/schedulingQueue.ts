/**
 * The scheduling queue (kube-scheduler's `PriorityQueue`): pods wait in
 * activeQ (QueueSort order: priority, then age), in backoffQ after a failed
 * attempt (1 s × 2^(attempts−1), at most 10 s), or in the unschedulable
 * pool until a cluster event that could help them — or 5 minutes — moves
 * them back. Pods a PreEnqueue plugin rejects stay gated until updated.
 */
import type { Clock, TimerHandle } from '@keelson/clock';
import type { PodInfo } from '../framework/podInfo';
import type { PluginResult } from '../framework/status';
import type { ClusterEventKind, QueuedPodInfo } from '../framework/types';
import { KeyedHeap } from './heap';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
/** A pod left unschedulable this long is retried even without a helpful event. */
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
/** How often the unschedulable pool is checked for pods past that limit. */
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

export interface SchedulingQueueOptions {
  clock: Clock;
  /** The profile's QueueSort. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins of the pod's profile; a non-success status gates the pod. */
  preEnqueue?: (pod: PodInfo) => PluginResult;
  /** Which plugins care about an event (their rejections may be lifted by it). */
  interestedIn?: (event: ClusterEventKind, plugin: string) => boolean;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
}

interface Entry extends QueuedPodInfo {
  seq: number;
  gated: boolean;
  backoffUntil: number;
}

/** Where a pod sits. */
export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

/** How many pods wait in each part of the queue. */
export interface QueueLength {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

export class SchedulingQueue {
  readonly #clock: Clock;
  readonly #options: SchedulingQueueOptions;
  readonly #active: KeyedHeap<Entry>;
  readonly #backoff = new KeyedHeap<Entry>(
    (e) => e.podInfo.key,
    (a, b) => a.backoffUntil < b.backoffUntil || (a.backoffUntil === b.backoffUntil && a.seq < b.seq),
  );
  readonly #unschedulable = new Map<string, Entry>();
  /** Pods popped and not yet requeued or done, by key: updates while in flight are remembered. */
  readonly #inFlight = new Map<string, Entry>();
  #seq = 0;
  #closed = false;
  #waiters: Array<(entry: Entry | undefined) => void> = [];
  #backoffTimer: TimerHandle | undefined;
  #backoffTimerAt = Number.POSITIVE_INFINITY;
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
  }

  /** Where the pod with this key is, if queued. */
  where(key: string): QueueName | undefined {
    if (this.#active.has(key)) return 'active';
    if (this.#backoff.has(key)) return 'backoff';
    const pooled = this.#unschedulable.get(key);
    if (pooled !== undefined) return pooled.gated ? 'gated' : 'unschedulable';
    return undefined;
  }

  /** Pods per queue; `gated` counts the pods a PreEnqueue plugin holds (e.g. `schedulingGates`), `unschedulable` the rest of that pool. */
  get length(): QueueLength {
    let gated = 0;
    for (const entry of this.#unschedulable.values()) if (entry.gated) gated++;
    return {
      active: this.#active.size,
      backoff: this.#backoff.size,
      unschedulable: this.#unschedulable.size - gated,
      gated,
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
      gated: false,
      backoffUntil: 0,
    };
    this.#toActive(entry);
  }

  /**
   * A queued pod changed: update it in place. When what scheduling reads
   * changed (`inputsChanged`: spec, labels, annotations), an unschedulable or
   * gated pod gets another chance; a status-only change leaves it waiting.
   */
  update(podInfo: PodInfo, inputsChanged = true): void {
    const key = podInfo.key;
    const inFlight = this.#inFlight.get(key);
    if (inFlight !== undefined) {
      (inFlight as { podInfo: PodInfo }).podInfo = podInfo;
      return;
    }
    for (const heap of [this.#active, this.#backoff]) {
      const entry = heap.get(key);
      if (entry !== undefined) {
        (entry as { podInfo: PodInfo }).podInfo = podInfo;
        heap.push(entry);
        return;
      }
    }
    const pooled = this.#unschedulable.get(key);
    if (pooled !== undefined) {
      if (!inputsChanged) {
        (pooled as { podInfo: PodInfo }).podInfo = podInfo;
        return;
      }
      this.#unschedulable.delete(key);
      (pooled as { podInfo: PodInfo }).podInfo = podInfo;
      if (pooled.gated) this.#toActive(pooled);
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
      this.#armBackoffTimer();
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
      if (entry.gated) continue;
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
    if (this.#backoffTimer !== undefined) this.#clock.clearTimeout(this.#backoffTimer);
    if (this.#flushTimer !== undefined) this.#clock.clearTimeout(this.#flushTimer);
    this.#backoffTimer = undefined;
    this.#flushTimer = undefined;
  }

  #toActive(entry: Entry): void {
    const gate = this.#options.preEnqueue?.(entry.podInfo);
    if (gate !== undefined && gate.code !== 'Success') {
      entry.gated = true;
      this.#unschedulable.set(entry.podInfo.key, entry);
      return;
    }
    entry.gated = false;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(entry);
    else this.#active.push(entry);
  }

  #activeOrBackoff(entry: Entry): void {
    if (entry.backoffUntil > this.#clock.now()) {
      this.#backoff.push(entry);
      this.#armBackoffTimer();
    } else {
      this.#toActive(entry);
    }
  }

  #armBackoffTimer(): void {
    const head = this.#backoff.peek();
    if (head === undefined || head.backoffUntil >= this.#backoffTimerAt) return;
    if (this.#backoffTimer !== undefined) this.#clock.clearTimeout(this.#backoffTimer);
    this.#backoffTimerAt = head.backoffUntil;
    this.#backoffTimer = this.#clock.setTimeout(
      () => {
        this.#backoffTimer = undefined;
        this.#backoffTimerAt = Number.POSITIVE_INFINITY;
        this.#flushBackoff();
      },
      Math.max(0, head.backoffUntil - this.#clock.now()),
    );
  }

  #flushBackoff(): void {
    const now = this.#clock.now();
    for (let head = this.#backoff.peek(); head !== undefined && head.backoffUntil <= now; head = this.#backoff.peek()) {
      this.#backoff.pop();
      this.#toActive(head);
    }
    this.#armBackoffTimer();
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
      if (entry.gated || now - entry.timestamp < limit) continue;
      this.#unschedulable.delete(key);
      this.#activeOrBackoff(entry);
    }
  }
}
