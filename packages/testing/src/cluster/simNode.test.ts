import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { podCidrOf } from './simNode';

describe('podCidrOf', () => {
  it('hands out 10.244.0.0/24 onwards, then continues from 10.0.0.0/24 past 3,072 nodes', () => {
    expect(podCidrOf(0)).toBe('10.244.0.0/24');
    expect(podCidrOf(257)).toBe('10.245.1.0/24');
    expect(podCidrOf(3071)).toBe('10.255.255.0/24');
    expect(podCidrOf(3072)).toBe('10.0.0.0/24');
    expect(podCidrOf(4999)).toBe('10.7.135.0/24');
    expect(podCidrOf(65_535)).toBe('10.243.255.0/24');
  });

  it('gives 5,000 nodes 5,000 distinct ranges', () => {
    const cidrs = new Set(Array.from({ length: 5_000 }, (_, i) => podCidrOf(i)));
    expect(cidrs.size).toBe(5_000);
  });

  it('refuses a node past the 65,536 /24s of 10.0.0.0/8', () => {
    expect(() => podCidrOf(65_536)).toThrow(InvalidError);
    expect(() => podCidrOf(65_536)).toThrow(/65,536 nodes at most/);
  });
});
