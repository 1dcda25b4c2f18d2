/**
 * When a pod worker syncs: one sync at a time, a sync asked for during one
 * runs right after it, and a sync can be asked for at a time on the clock
 * (the earliest asked for wins), as the kubelet's pod worker queue does.
 */
import type { Clock, TimerHandle } from '@keelson/clock';

export class SyncLoop {
  private syncing = false;
  private dirty = false;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  /**
   * @param sync one sync of the pod
   * @param finished whether the pod is done with (no sync runs after that)
   */
  constructor(
    private readonly clock: Clock,
    private readonly sync: () => Promise<void>,
    private readonly finished: () => boolean,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Asks for a sync (now, or right after the running one). */
  request(): void {
    if (this.stopped || this.finished()) return;
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = true;
    void this.loop();
  }

  /** Asks for a sync at `at` on the clock, unless one is due earlier. */
  at(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.request();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  /** No sync runs or is asked for any more; a running one ends, its error unreported. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async loop(): Promise<void> {
    do {
      this.dirty = false;
      try {
        await this.sync();
      } catch (error) {
        if (!this.stopped) this.onError(error);
      }
    } while (this.dirty && !this.stopped && !this.finished());
    this.syncing = false;
  }
}
