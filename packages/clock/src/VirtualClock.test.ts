import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './VirtualClock';

describe('VirtualClock', () => {
  it('starts at the given time and only moves when told', async () => {
    const clock = new VirtualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('fires timers in due order, with now() equal to each due time', async () => {
    const clock = new VirtualClock();
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    await clock.advance(250);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
    ]);
    await clock.advance(50);
    expect(fired.at(-1)).toEqual(['c', 300]);
  });

  it('fires timers due at the same instant in the order they were set', async () => {
    const clock = new VirtualClock();
    const order: number[] = [];
    for (let i = 0; i < 50; i++) clock.setTimeout(() => order.push(i), 10);
    await clock.advance(10);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('fires a zero-delay timer set while firing at the same instant', async () => {
    const clock = new VirtualClock();
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => {
      seen.push(['outer', clock.now()]);
      clock.setTimeout(() => seen.push(['inner', clock.now()]), 0);
    }, 5);
    clock.setTimeout(() => seen.push(['sibling', clock.now()]), 5);
    await clock.advance(5);
    expect(seen).toEqual([
      ['outer', 5],
      ['sibling', 5],
      ['inner', 5],
    ]);
  });

  it('does not fire cleared timers and counts what is pending', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const handle = clock.setTimeout(() => fired++, 10);
    clock.setTimeout(() => fired++, 20);
    expect(clock.pendingTimers()).toBe(2);
    clock.clearTimeout(handle);
    clock.clearTimeout(handle);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(100);
    expect(fired).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('settles promise chains several awaits deep before the next instant', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const deep = async (depth: number): Promise<void> => {
      if (depth === 0) return;
      await Promise.resolve();
      await deep(depth - 1);
    };
    clock.setTimeout(async () => {
      await deep(25);
      log.push(`chain done at ${clock.now()}`);
      clock.setTimeout(() => log.push(`follow-up at ${clock.now()}`), 0);
    }, 10);
    clock.setTimeout(() => log.push(`next instant at ${clock.now()}`), 11);
    await clock.advance(20);
    expect(log).toEqual(['chain done at 10', 'follow-up at 10', 'next instant at 11']);
  });

  it('waits for a tracked real fs call before moving time on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-clock-'));
    try {
      const file = join(dir, 'data.txt');
      await writeFile(file, 'from disk');
      const clock = new VirtualClock();
      const log: string[] = [];
      clock.setTimeout(async () => {
        const text = await clock.track(readFile(file, 'utf8'));
        log.push(`${text} at ${clock.now()}`);
        // A second, dependent I/O step: the clock must wait for it too.
        await clock.track(writeFile(join(dir, 'copy.txt'), text));
        log.push(`copied at ${clock.now()}`);
      }, 5);
      clock.setTimeout(() => log.push(`later timer at ${clock.now()}`), 6);
      await clock.advance(10);
      expect(log).toEqual(['from disk at 5', 'copied at 5', 'later timer at 6']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runUntilIdle fires chains of timers and returns when only background timers remain', async () => {
    const clock = new VirtualClock();
    let renewals = 0;
    const renew = () => {
      renewals++;
      clock.setTimeout(renew, 10_000, { background: true });
    };
    clock.setTimeout(renew, 10_000, { background: true });
    let steps = 0;
    const step = () => {
      steps++;
      if (steps < 5) clock.setTimeout(step, 15_000);
    };
    clock.setTimeout(step, 15_000);
    await clock.runUntilIdle();
    expect(steps).toBe(5);
    expect(clock.now()).toBe(75_000);
    // Background timers fired as time passed but did not keep the clock running.
    expect(renewals).toBe(7);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('runUntilIdle with only background timers returns at once', async () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimeout(
      () => {
        fired = true;
      },
      1,
      { background: true },
    );
    await clock.runUntilIdle();
    expect(fired).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it('runUntilIdle stops at maxMs when timers keep coming', async () => {
    const clock = new VirtualClock();
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimeout(tick, 1_000);
    };
    clock.setTimeout(tick, 1_000);
    await clock.runUntilIdle({ maxMs: 10_500 });
    expect(ticks).toBe(10);
    expect(clock.now()).toBe(10_500);
  });

  it('rethrows an error from a timer after firing the rest of the instant', async () => {
    const clock = new VirtualClock();
    let other = false;
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    clock.setTimeout(() => {
      other = true;
    }, 1);
    await expect(clock.advance(5)).rejects.toThrow('boom');
    expect(other).toBe(true);
    // The clock stays usable.
    await clock.advance(5);
    expect(clock.now()).toBe(6);
  });

  it('refuses bad arguments and overlapping runs', async () => {
    const clock = new VirtualClock();
    await expect(clock.advance(-1)).rejects.toThrow(/finite number >= 0/);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
    await expect(clock.runUntilIdle({ maxMs: -5 })).rejects.toThrow(/maxMs/);
    expect(() => new VirtualClock(Number.POSITIVE_INFINITY)).toThrow(/startMs/);
    const first = clock.advance(10);
    await expect(clock.advance(10)).rejects.toThrow(/already running/);
    await first;
    expect(clock.now()).toBe(10);
  });

  it('gives the same sequence on every run', async () => {
    const run = async () => {
      const clock = new VirtualClock(0);
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        clock.setTimeout(
          async () => {
            await Promise.resolve();
            out.push(`${i}@${clock.now()}`);
            if (i % 3 === 0) clock.setTimeout(() => out.push(`re${i}@${clock.now()}`), (i * 7) % 11);
          },
          (i * 13) % 17,
        );
      }
      await clock.runUntilIdle();
      return out;
    };
    expect(await run()).toEqual(await run());
  });
});
