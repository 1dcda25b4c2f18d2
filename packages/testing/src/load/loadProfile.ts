/**
 * The shape of a Service's traffic over time: requests per second as a
 * pure function of the time since the load was applied — constant, steps,
 * a ramp, a daily curve — deterministic, so a run on virtual time repeats
 * exactly.
 */
import { InvalidError } from '@keelson/core';
import { type Duration, toMs } from '../cluster/duration';

/** Requests per second, `elapsedMs` after the load was applied. */
export type LoadProfile = (elapsedMs: number) => number;

const DAY_MS = 86_400_000;

/** @internal A rate a caller gave, checked: a finite number ≥ 0. */
export function checkRate(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidError(`${field} must be a number of requests per second >= 0, got ${String(value)}`);
  }
  return value;
}

/** The same rate all the time. */
export function constantLoad(requestsPerSecond: number): LoadProfile {
  const rate = checkRate(requestsPerSecond, 'constantLoad: requestsPerSecond');
  return () => rate;
}

/**
 * A rate that jumps at given times (0 before the first step).
 *
 * @example
 * ```ts
 * stepLoad([{ at: 0, rps: 20 }, { at: '2m', rps: 200 }, { at: '10m', rps: 20 }])
 * ```
 */
export function stepLoad(steps: readonly { at: Duration; rps: number }[]): LoadProfile {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new InvalidError('stepLoad: steps must be a non-empty list of { at, rps }');
  }
  const checked = steps
    .map((step, i) => ({
      at: toMs(step?.at, `stepLoad: steps[${i}].at`),
      rps: checkRate(step?.rps, `stepLoad: steps[${i}].rps`),
    }))
    .sort((a, b) => a.at - b.at);
  return (elapsed) => {
    let rate = 0;
    for (const step of checked) if (step.at <= elapsed) rate = step.rps;
    return rate;
  };
}

/** A straight line from `from` to `to` requests per second over `over`, starting `after` (default 0) in. */
export function rampLoad(options: { from: number; to: number; over: Duration; after?: Duration }): LoadProfile {
  const from = checkRate(options?.from, 'rampLoad: from');
  const to = checkRate(options?.to, 'rampLoad: to');
  const over = toMs(options.over, 'rampLoad: over');
  const after = toMs(options.after ?? 0, 'rampLoad: after');
  return (elapsed) => {
    if (elapsed <= after) return from;
    if (elapsed >= after + over) return to;
    return from + ((to - from) * (elapsed - after)) / over;
  };
}

/**
 * A day's curve: a cosine from `min` at the trough to `max` at `peakAt`
 * (default 12 h after the load starts, so a load applied at midnight peaks
 * at noon), repeating every `period` (default 1 day).
 */
export function dailyLoad(options: { min: number; max: number; peakAt?: Duration; period?: Duration }): LoadProfile {
  const min = checkRate(options?.min, 'dailyLoad: min');
  const max = checkRate(options?.max, 'dailyLoad: max');
  if (max < min) throw new InvalidError(`dailyLoad: max (${max}) must be >= min (${min})`);
  const peakAt = toMs(options.peakAt ?? '12h', 'dailyLoad: peakAt');
  const period = toMs(options.period ?? DAY_MS, 'dailyLoad: period');
  if (period <= 0) throw new InvalidError('dailyLoad: period must be > 0');
  return (elapsed) => min + ((max - min) * (1 + Math.cos((2 * Math.PI * (elapsed - peakAt)) / period))) / 2;
}
