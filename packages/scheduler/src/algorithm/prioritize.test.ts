import { createRandom } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { selectHost } from './prioritize';

describe('selectHost', () => {
  it('picks the highest total', () => {
    expect(selectHost(Float64Array.from([3, 7, 5]), createRandom(1, 't'))).toBe(1);
  });

  it('picks among tied totals uniformly, with the seeded source', () => {
    const totals = Float64Array.from([5, 9, 9, 1, 9]);
    const random = createRandom(1, 'ties');
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const chosen = selectHost(totals, random);
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 4]);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
    // Same seed, same sequence of choices.
    const sequence = (seed: number) => {
      const r = createRandom(seed, 'x');
      return Array.from({ length: 20 }, () => selectHost(totals, r));
    };
    expect(sequence(4)).toEqual(sequence(4));
  });
});
