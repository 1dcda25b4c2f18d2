import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import type { Clock, TimerHandle } from './Clock';

class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      if (this.closed) return;
      this.work.call(this, state);
    }, delay);
    return this;
  }

  override unsubscribe(): void {
    if (this.handle !== undefined) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
    }
    super.unsubscribe();
  }
}

/**
 * An rxjs scheduler on `clock`, for every time-based operator (`delay`,
 * `timer`, `debounceTime`, `bufferTime`, …): rxjs' default scheduler uses real
 * time, so Keelson never runs one without passing this.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * timer(5_000, schedulerFor(clock)).subscribe(() => console.log('at', clock.now()));
 * await clock.advance(5_000);
 * ```
 */
export function schedulerFor(clock: Clock): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new ClockAction<T>(clock, work).schedule(state, delay);
    },
  };
}
