import { type Clock, createRandom, type Random, schedulerFor, systemClock, VirtualClock } from '@keelson/clock';
import { debounceTime, Subject } from 'rxjs';

// #region component
/** A component takes its clock and random source as options, never globals. */
export class Heartbeat {
  private readonly clock: Clock;
  readonly beats: number[] = [];

  constructor(options: { clock?: Clock; intervalMs: number }) {
    this.clock = options.clock ?? systemClock;
    this.schedule(options.intervalMs);
  }

  private schedule(intervalMs: number): void {
    // Housekeeping: a background timer never keeps runUntilIdle from returning.
    this.clock.setTimeout(
      () => {
        this.beats.push(this.clock.now());
        this.schedule(intervalMs);
      },
      intervalMs,
      { background: true },
    );
  }
}
// #endregion

export async function virtualTime(): Promise<{ beats: number[]; fired: string[] }> {
  // #region virtual-time
  const clock = new VirtualClock(0);
  const heartbeat = new Heartbeat({ clock, intervalMs: 10_000 });
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`deadline at ${clock.now()}`), 45_000);

  await clock.advance(30_000); // three beats, at 10 s, 20 s and 30 s
  await clock.runUntilIdle(); // fires the deadline at 45 s, then stops: only the heartbeat is left
  // heartbeat.beats: [10000, 20000, 30000, 40000]; fired: ['deadline at 45000']
  // #endregion
  return { beats: heartbeat.beats, fired };
}

export async function trackedIo(read: () => Promise<string>): Promise<string[]> {
  // #region track
  const clock = new VirtualClock();
  const log: string[] = [];
  clock.setTimeout(async () => {
    const text = await clock.track(read()); // real I/O: the clock waits for it
    log.push(`read ${text.length} chars at ${clock.now()}`);
  }, 1_000);
  clock.setTimeout(() => log.push(`next timer at ${clock.now()}`), 1_001);
  await clock.advance(2_000); // the read finishes before the 1 001 ms timer fires
  // #endregion
  return log;
}

export async function rxjsOnVirtualTime(): Promise<number[]> {
  // #region rxjs
  const clock = new VirtualClock();
  const changes = new Subject<number>();
  const settled: number[] = [];
  changes.pipe(debounceTime(500, schedulerFor(clock))).subscribe((v) => settled.push(v));
  changes.next(1);
  changes.next(2);
  await clock.advance(500); // settled: [2]
  // #endregion
  return settled;
}

export function seeded(): { first: number[]; forked: number } {
  // #region random
  const random: Random = createRandom(42, 'scheduler');
  const first = [random.int(100), random.int(100), random.int(100)]; // the same three on every run
  const tiebreak = random.fork('tiebreak'); // its own stream: drawing here never shifts `random`
  const forked = tiebreak.int(1_000);
  // #endregion
  return { first, forked };
}
