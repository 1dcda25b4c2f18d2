import { describe, expect, it } from 'vitest';
import { formatIndexes, parseIndexes } from './indexes';
import { nextBackoffRecord, remainingBackoff } from './jobPods';

describe('the pod failure backoff', () => {
  it('waits 10 s after a failure, doubling per failure since the last success, at most 10 minutes', () => {
    const after = (failures: number) =>
      remainingBackoff({ failuresAfterLastSuccess: failures, lastFailureAt: 1_000 }, 1_000);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(after)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000,
    ]);
    expect(remainingBackoff({ failuresAfterLastSuccess: 2, lastFailureAt: 1_000 }, 16_000)).toBe(5_000);
    expect(remainingBackoff({ failuresAfterLastSuccess: 0, lastFailureAt: 1_000 }, 1_000)).toBe(0);
  });

  it('a success resets the count; failures are folded in the order they finished', () => {
    const start = { failuresAfterLastSuccess: 2, lastFailureAt: 50 };
    expect(nextBackoffRecord(start, [{ failed: false, at: 60 }])).toEqual({
      failuresAfterLastSuccess: 0,
      lastFailureAt: 50,
    });
    expect(
      nextBackoffRecord(start, [
        { failed: true, at: 90 },
        { failed: false, at: 70 },
      ]),
    ).toEqual({ failuresAfterLastSuccess: 1, lastFailureAt: 90 });
  });
});

describe('completedIndexes', () => {
  it('writes ascending indexes with runs as ranges, and reads them back within completions', () => {
    expect(formatIndexes([5, 0, 1, 2, 7, 8, 9])).toBe('0-2,5,7-9');
    expect(formatIndexes([])).toBe('');
    expect([...parseIndexes('0-2,5,7-9', 8)].sort()).toEqual([0, 1, 2, 5, 7]);
    expect([...parseIndexes('x,3', 10)]).toEqual([3]);
  });
});
