/**
 * backoffQ: pods that failed an attempt wait here until their backoff ends
 * (ordered by that time, then by arrival), then are handed back by `onReady`.
 * One timer, on the injected clock, is armed for the earliest end.
 */
import type { Clock, TimerHandle } from '@keelson/clock';
import { KeyedHeap } from './heap';
import type { Entry } from './queueTypes';

export class BackoffQueue {
  readonly #heap = new KeyedHeap<Entry>(
    (e) => e.podInfo.key,
    (a, b) => a.backoffUntil < b.backoffUntil || (a.backoffUntil === b.backoffUntil && a.seq < b.seq),
  );
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onReady: (entry: Entry) => void,
  ) {}

  get size(): number {
    return this.#heap.size;
  }

  has(key: string): boolean {
    return this.#heap.has(key);
  }

  /** Replaces a waiting entry's pod in place (its backoff end is kept); false when not here. */
  update(entry: Pick<Entry, 'podInfo'>): boolean {
    const waiting = this.#heap.get(entry.podInfo.key);
    if (waiting === undefined) return false;
    (waiting as { podInfo: Entry['podInfo'] }).podInfo = entry.podInfo;
    this.#heap.push(waiting);
    return true;
  }

  push(entry: Entry): void {
    this.#heap.push(entry);
    this.#arm();
  }

  delete(key: string): void {
    this.#heap.delete(key);
  }

  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #arm(): void {
    const head = this.#heap.peek();
    if (head === undefined || head.backoffUntil >= this.#timerAt) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timerAt = head.backoffUntil;
    this.#timer = this.clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#flush();
      },
      Math.max(0, head.backoffUntil - this.clock.now()),
    );
  }

  #flush(): void {
    const now = this.clock.now();
    for (let head = this.#heap.peek(); head !== undefined && head.backoffUntil <= now; head = this.#heap.peek()) {
      this.#heap.pop();
      this.onReady(head);
    }
    this.#arm();
  }
}
