import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { constantLoad, dailyLoad, rampLoad, stepLoad } from './loadProfile';

describe('load profiles', () => {
  it('steps, ramps and a daily curve give their rates at each time since the load started', () => {
    expect(constantLoad(7)(123_456)).toBe(7);
    const steps = stepLoad([
      { at: '2m', rps: 200 },
      { at: 0, rps: 20 },
    ]);
    expect([steps(0), steps(119_999), steps(120_000)]).toEqual([20, 20, 200]);
    const ramp = rampLoad({ from: 10, to: 110, over: '100s', after: '10s' });
    expect([ramp(0), ramp(10_000), ramp(60_000), ramp(110_000), ramp(1e9)]).toEqual([10, 10, 60, 110, 110]);
    const day = dailyLoad({ min: 10, max: 100, peakAt: '12h' });
    expect(day(12 * 3_600_000)).toBeCloseTo(100);
    expect(day(0)).toBeCloseTo(10);
    expect(day(6 * 3_600_000)).toBeCloseTo(55);
    expect(day(36 * 3_600_000)).toBeCloseTo(100);
  });

  it('refuse bad input with an InvalidError naming the field', () => {
    expect(() => constantLoad(-1)).toThrow(InvalidError);
    expect(() => rampLoad({ from: 1, to: Number.NaN, over: '1m' })).toThrow('rampLoad: to must be');
    expect(() => dailyLoad({ min: 50, max: 10 })).toThrow('dailyLoad: max (10) must be >= min (50)');
    expect(() => stepLoad([])).toThrow('stepLoad: steps must be a non-empty list');
    expect(() => stepLoad([{ at: 'soon', rps: 1 }])).toThrow('stepLoad: steps[0].at');
  });
});
