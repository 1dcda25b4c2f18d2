import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore } from './normalize';

describe('defaultNormalizeScore', () => {
  it('scales onto 0..maxPriority with int64 truncation', () => {
    const scores = [2, 11, 4];
    defaultNormalizeScore(100, false, scores);
    expect(scores).toEqual([18, 100, 36]);
  });

  it('reverses: the smallest raw score gets maxPriority', () => {
    const scores = [0, 1, 2];
    defaultNormalizeScore(100, true, scores);
    expect(scores).toEqual([100, 50, 0]);
  });

  it('truncates, never rounds (100 × 2 / 3 = 66)', () => {
    const scores = [2, 3];
    defaultNormalizeScore(100, false, scores);
    expect(scores).toEqual([66, 100]);
    const reversed = [2, 3];
    defaultNormalizeScore(100, true, reversed);
    expect(reversed).toEqual([34, 0]);
  });

  it('truncates before reversing (100 - trunc(100 × 1 / 3))', () => {
    const scores = [1, 3, 0];
    defaultNormalizeScore(100, true, scores);
    expect(scores).toEqual([67, 0, 100]);
  });

  it('leaves all-zero scores at 0, or sets them all to maxPriority when reversed', () => {
    const plain = [0, 0];
    defaultNormalizeScore(100, false, plain);
    expect(plain).toEqual([0, 0]);
    const reversed = [0, 0, 0];
    defaultNormalizeScore(100, true, reversed);
    expect(reversed).toEqual([100, 100, 100]);
  });

  it('honours another maxPriority', () => {
    const scores = [1, 3];
    defaultNormalizeScore(10, false, scores);
    expect(scores).toEqual([3, 10]);
  });
});
