import type { Clock, TimerHandle } from '@keelson/clock';
import { HttpError } from './status';

/** The request's `timeout` parameter (`32s`, `1m`), capped by the server's own limit, in ms. */
export function requestTimeoutMs(query: URLSearchParams, limitSeconds: number): number {
  const given = query.get('timeout');
  const limit = limitSeconds * 1000;
  if (given === null || given === '') return limit;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(given);
  if (match === null)
    throw new HttpError(400, 'BadRequest', `timeout: must be a duration such as 30s or 1m, got "${given}"`);
  const ms =
    Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.min(ms, limit);
}

/** Runs `work`, or answers a 504 Timeout Status when it takes longer than `ms` of the store's clock. */
export async function withTimeout(clock: Clock, ms: number, work: Promise<void>): Promise<void> {
  let timer: TimerHandle | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(
      () =>
        reject(
          new HttpError(
            504,
            'Timeout',
            `the request did not complete within ${ms / 1000}s; it may still complete on its own`,
          ),
        ),
      ms,
    );
  });
  try {
    await Promise.race([work, expired]);
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}
