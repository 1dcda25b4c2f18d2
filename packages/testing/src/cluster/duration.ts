/**
 * Durations as tests write them: `'2m'`, `'30s'`, `'1h30m'`, `'250ms'` or a
 * number of milliseconds.
 */
import { InvalidError } from '@keelson/core';

/** A duration: milliseconds, or text such as `'90s'`, `'2m'`, `'1h30m'`, `'500ms'`, `'1d'`. */
export type Duration = number | string;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds of `duration`; `field` names it in the error for bad input. */
export function toMs(duration: Duration, field: string): number {
  if (typeof duration === 'number') {
    if (Number.isFinite(duration) && duration >= 0) return duration;
    throw new InvalidError(`${field}: expected milliseconds >= 0 or text such as '30s' or '2m', got ${duration}`);
  }
  if (typeof duration === 'string' && WHOLE.test(duration.trim())) {
    let total = 0;
    for (const [, amount, unit] of duration.trim().matchAll(PART))
      total += Number(amount) * (UNITS[unit as string] ?? 0);
    return Math.round(total);
  }
  throw new InvalidError(
    `${field}: expected milliseconds >= 0 or text such as '30s', '2m' or '1h30m', got ${JSON.stringify(duration)}`,
  );
}
