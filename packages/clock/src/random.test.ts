import { describe, expect, it } from 'vitest';
import { createRandom, cryptoRandom } from './random';

const draw = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

describe('createRandom', () => {
  it('gives the same sequence for the same seed and stream', () => {
    const a = createRandom(42, 'scheduler');
    const b = createRandom(42, 'scheduler');
    expect(draw(100, () => a.next())).toEqual(draw(100, () => b.next()));
    expect(createRandom('seed', 's').uuid()).toBe(createRandom('seed', 's').uuid());
  });

  it('gives different sequences for different seeds, streams, and number vs string seeds', () => {
    const first = (seed: number | string, stream: string) => draw(4, () => createRandom(seed, stream).next());
    expect(first(1, 'x')).not.toEqual(first(2, 'x'));
    expect(first(1, 'x')).not.toEqual(first(1, 'y'));
    expect(first(1, 'x')).not.toEqual(first('1', 'x'));
  });

  it('keeps forks independent of draws on the parent', () => {
    const a = createRandom(7, 'root');
    const b = createRandom(7, 'root');
    b.next();
    b.next();
    expect(draw(10, () => a.fork('child').next())).toEqual(draw(10, () => b.fork('child').next()));
    expect(a.fork('one').next()).not.toBe(a.fork('two').next());
  });

  it('draws in range with a roughly uniform spread', () => {
    const random = createRandom(3, 'uniform');
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const v = random.next();
      expect(v >= 0 && v < 1).toBe(true);
      counts[random.int(10)]++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });

  it('picks from arrays and makes version 4 uuids', () => {
    const random = createRandom(5, 'pick');
    const items = ['a', 'b', 'c'] as const;
    const picked = new Set(draw(100, () => items.indexOf(random.pick(items))));
    expect(picked).toEqual(new Set([0, 1, 2]));
    const uuid = random.uuid();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(draw(1000, () => random.uuid())).size).toBe(1000);
  });

  it('refuses bad input with a message that names it', () => {
    const random = createRandom(1, 's');
    expect(() => random.int(0)).toThrow(/positive safe integer, got 0/);
    expect(() => random.int(2.5)).toThrow(RangeError);
    expect(() => random.pick([])).toThrow(/empty/);
    expect(() => createRandom(Number.NaN, 's')).toThrow(/seed must be/);
    expect(() => createRandom(1, 3 as unknown as string)).toThrow(/stream must be a string/);
  });
});

describe('cryptoRandom', () => {
  it('draws in range and makes distinct uuids', () => {
    const random = cryptoRandom();
    for (let i = 0; i < 1000; i++) {
      const n = random.int(6);
      expect(n >= 0 && n < 6).toBe(true);
    }
    expect(random.uuid()).not.toBe(random.uuid());
    expect(random.fork('x').next()).toBeLessThan(1);
  });
});
