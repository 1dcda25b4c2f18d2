import { describe, expect, it } from 'vitest';
import {
  maxSurgeOf,
  maxUnavailableOf,
  minAvailableOf,
  newRSNewReplicas,
  type RolloutSpec,
  resolveFenceposts,
} from './surge';

const rolling = (replicas: number, maxSurge: number | string, maxUnavailable: number | string): RolloutSpec => ({
  replicas,
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
});
const rs = (replicas: number) => ({ metadata: { name: `rs-${replicas}` }, spec: { replicas } });

describe('resolveFenceposts', () => {
  it.each([
    // maxSurge, maxUnavailable, desired → surge (rounded up), unavailable (rounded down)
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    ['30%', 0, 10, 3, 0],
    [0, '30%', 10, 0, 3],
    // 30% of 3 rounds down to 0 and surge is 0: one pod may be unavailable, or nothing could move.
    [0, '30%', 3, 0, 1],
    [0, 0, 5, 0, 1],
    ['0%', '0%', 10, 0, 1],
    [2, 3, 10, 2, 3],
    ['100%', '100%', 3, 3, 3],
    ['1%', '99%', 10, 1, 9],
    ['25%', '25%', 0, 0, 1],
  ] as const)(
    'maxSurge %s, maxUnavailable %s of %d → surge %d, unavailable %d',
    (surge, unavailable, desired, s, u) => {
      expect(resolveFenceposts(surge, unavailable, desired)).toEqual({ maxSurge: s, maxUnavailable: u });
    },
  );

  it('treats a missing bound as 0', () => {
    expect(resolveFenceposts(undefined, undefined, 4)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });
});

describe('a Deployment’s bounds', () => {
  it('caps maxUnavailable at spec.replicas and gives 0 for 0 replicas', () => {
    expect(maxUnavailableOf(rolling(3, 0, 5))).toBe(3);
    expect(maxUnavailableOf(rolling(0, '25%', '25%'))).toBe(0);
    expect(minAvailableOf(rolling(10, '25%', '25%'))).toBe(8);
  });

  it('gives a Recreate Deployment no surge and no availability floor', () => {
    const recreate: RolloutSpec = { replicas: 5, strategy: { type: 'Recreate' } };
    expect(maxSurgeOf(recreate)).toBe(0);
    expect(maxUnavailableOf(recreate)).toBe(0);
    expect(minAvailableOf(recreate)).toBe(0);
  });
});

describe('newRSNewReplicas', () => {
  const spec = rolling(10, '25%', '25%');

  it.each([
    // old, new → new's next size (10 replicas + 3 surge = at most 13 pods)
    [10, 0, 3],
    [10, 3, 3],
    [8, 3, 5],
    [8, 5, 5],
    [3, 8, 10],
    [1, 9, 10],
    [0, 10, 10],
  ])('old %d, new %d → new %d', (oldSize, newSize, expected) => {
    const fresh = rs(newSize);
    expect(newRSNewReplicas(spec, [rs(oldSize), fresh], fresh)).toBe(expected);
  });

  it('never grows the new set when there is no surge and every pod is taken', () => {
    const fresh = rs(0);
    expect(newRSNewReplicas(rolling(10, 0, 1), [rs(10), fresh], fresh)).toBe(0);
    expect(newRSNewReplicas(rolling(10, 0, 1), [rs(9), fresh], fresh)).toBe(1);
  });

  it('scales a Recreate new set to spec.replicas at once', () => {
    const fresh = rs(0);
    expect(newRSNewReplicas({ replicas: 4, strategy: { type: 'Recreate' } }, [rs(4), fresh], fresh)).toBe(4);
  });
});
