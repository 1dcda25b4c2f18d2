import { bufferTime, debounceTime, delay, interval, of, Subject, take, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { schedulerFor } from './schedulerFor';
import { VirtualClock } from './VirtualClock';

describe('schedulerFor', () => {
  it('runs timer and delay on virtual time', async () => {
    const clock = new VirtualClock();
    const scheduler = schedulerFor(clock);
    const seen: Array<[string, number]> = [];
    timer(5_000, scheduler).subscribe(() => seen.push(['timer', clock.now()]));
    of('x')
      .pipe(delay(2_000, scheduler))
      .subscribe((v) => seen.push([v, clock.now()]));
    await clock.advance(1_999);
    expect(seen).toEqual([]);
    await clock.advance(10_000);
    expect(seen).toEqual([
      ['x', 2_000],
      ['timer', 5_000],
    ]);
  });

  it('reschedules periodic work and stops on unsubscribe', async () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    const sub = interval(1_000, schedulerFor(clock)).subscribe(() => ticks.push(clock.now()));
    await clock.advance(3_500);
    sub.unsubscribe();
    await clock.advance(10_000);
    expect(ticks).toEqual([1_000, 2_000, 3_000]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('debounces and buffers on the clock', async () => {
    const clock = new VirtualClock();
    const scheduler = schedulerFor(clock);
    const input = new Subject<number>();
    const debounced: number[] = [];
    const buffered: number[][] = [];
    input.pipe(debounceTime(100, scheduler)).subscribe((v) => debounced.push(v));
    input.pipe(bufferTime(250, scheduler), take(2)).subscribe((b) => buffered.push(b));
    input.next(1);
    await clock.advance(50);
    input.next(2);
    await clock.advance(250);
    input.next(3);
    await clock.advance(400);
    expect(debounced).toEqual([2, 3]);
    expect(buffered).toEqual([[1, 2], [3]]);
  });
});
