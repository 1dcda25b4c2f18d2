import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration } from './humanDuration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it('follows apimachinery duration.HumanDuration', () => {
    const cases: Array<[number, string]> = [
      [-2 * s, '<invalid>'],
      [-1 * s, '0s'],
      [0, '0s'],
      [5 * s, '5s'],
      [119 * s, '119s'],
      [2 * m, '2m'],
      [2 * m + 30 * s, '2m30s'],
      [9 * m + 59 * s, '9m59s'],
      [10 * m + 30 * s, '10m'],
      [179 * m, '179m'],
      [3 * h, '3h'],
      [3 * h + 20 * m, '3h20m'],
      [8 * h + 20 * m, '8h'],
      [47 * h, '47h'],
      [2 * d, '2d'],
      [2 * d + 4 * h, '2d4h'],
      [8 * d + 4 * h, '8d'],
      [400 * d, '400d'],
      [2 * 365 * d + 40 * d, '2y40d'],
      [9 * 365 * d, '9y'],
    ];
    for (const [ms, text] of cases) expect(humanDuration(ms), text).toBe(text);
  });

  it('ages RFC 3339 timestamps', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(ageOf('2024-05-01T11:55:00Z', now)).toBe('5m');
    expect(ageOf(undefined, now)).toBe('<unknown>');
  });
});
