import { describe, expect, it } from 'vitest';
import { isExtendedResourceName, isQualifiedName, isScalarResourceName } from './resourceNames';
import {
  balancedResourceScorer,
  brokenLinearFunction,
  leastAllocatedScorer,
  leastRequestedScore,
  mostAllocatedScorer,
  mostRequestedScore,
  mulDiv,
  requestedToCapacityRatioScorer,
} from './resourceScoring';

const cpuAndMemory = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

describe('mulDiv', () => {
  it('truncates like int64 division', () => {
    expect(mulDiv(3, 100, 8)).toBe(37);
    expect(mulDiv(0, 100, 8)).toBe(0);
    expect(mulDiv(8, 100, 8)).toBe(100);
  });

  it('stays exact when the product passes 2^53', () => {
    expect(mulDiv(2 ** 52 - 1, 100, 2 ** 52)).toBe(99);
    expect(mulDiv(2 ** 52, 100, 2 ** 52)).toBe(100);
  });
});

describe('per-resource scores', () => {
  it('LeastAllocated: free share × 100, 0 when over capacity or without capacity', () => {
    expect(leastRequestedScore(3000, 4000)).toBe(25);
    expect(leastRequestedScore(5000, 10000)).toBe(50);
    expect(leastRequestedScore(6000, 4000)).toBe(0);
    expect(leastRequestedScore(0, 0)).toBe(0);
  });

  it('MostAllocated: used share × 100, requested capped at capacity', () => {
    expect(mostRequestedScore(3000, 4000)).toBe(75);
    expect(mostRequestedScore(300, 250)).toBe(100);
    expect(mostRequestedScore(1, 0)).toBe(0);
  });
});

describe('weighted averages', () => {
  it('LeastAllocated with weights memory 2, cpu 1 (upstream: 41 and 50)', () => {
    const scorer = leastAllocatedScorer([
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ]);
    expect(scorer([5000, 3000], [10000, 4000])).toBe(41);
    expect(scorer([5000, 3000], [10000, 6000])).toBe(50);
  });

  it('MostAllocated (upstream: 62 and 50), resources without capacity left out', () => {
    const scorer = mostAllocatedScorer(cpuAndMemory);
    expect(scorer([3000, 5000], [4000, 10000])).toBe(62);
    expect(scorer([3000, 5000], [6000, 10000])).toBe(50);
    expect(scorer([3000, 5000], [0, 10000])).toBe(50);
    expect(scorer([0, 0], [0, 0])).toBe(0);
  });
});

describe('brokenLinearFunction (upstream TestBrokenLinearFunction)', () => {
  it.each([
    [-10, 1],
    [0, 1],
    [9, 1],
    [10, 1],
    [15, 1],
    [19, 1],
    [20, 2],
    [89, 8],
    [90, 9],
    [99, 9],
    [100, 9],
    [110, 9],
  ])('rising shape (10,1)-(90,9) at %i → %i', (p, expected) => {
    const f = brokenLinearFunction([
      { utilization: 10, score: 1 },
      { utilization: 90, score: 9 },
    ]);
    expect(f(p)).toBe(expected);
  });

  it.each([
    [-10, 2],
    [0, 2],
    [20, 6],
    [30, 8],
    [40, 10],
    [70, 5],
    [100, 0],
    [110, 0],
  ])('peaked shape (0,2)-(40,10)-(100,0) at %i → %i', (p, expected) => {
    const f = brokenLinearFunction([
      { utilization: 0, score: 2 },
      { utilization: 40, score: 10 },
      { utilization: 100, score: 0 },
    ]);
    expect(f(p)).toBe(expected);
  });

  it('truncates toward zero on a falling segment, as Go does', () => {
    const f = brokenLinearFunction([
      { utilization: 0, score: 10 },
      { utilization: 3, score: 0 },
    ]);
    // 10 + (−10 × 1) / 3 = 10 + trunc(−3.33) = 7 (floor would give 6).
    expect(f(1)).toBe(7);
  });
});

describe('requestedToCapacityRatioScorer', () => {
  it('scales shape scores 0–10 to 0–100 and rounds the weighted average (upstream: 38 and 50)', () => {
    const scorer = requestedToCapacityRatioScorer(cpuAndMemory, [
      { utilization: 0, score: 10 },
      { utilization: 100, score: 0 },
    ]);
    // cpu 75% → 25, memory 50% → 50: 37.5 rounds to 38.
    expect(scorer([3000, 5000], [4000, 10000])).toBe(38);
    expect(scorer([3000, 5000], [6000, 10000])).toBe(50);
  });

  it('leaves resources scoring 0 out of the average', () => {
    const scorer = requestedToCapacityRatioScorer(cpuAndMemory, [
      { utilization: 0, score: 0 },
      { utilization: 100, score: 10 },
    ]);
    // cpu 50% → 50, memory 0% → 0 (left out): 50, not 25.
    expect(scorer([2000, 0], [4000, 10000])).toBe(50);
  });

  it('scores an over-capacity resource at utilization 100', () => {
    const scorer = requestedToCapacityRatioScorer(
      [{ name: 'cpu', weight: 1 }],
      [
        { utilization: 0, score: 0 },
        { utilization: 100, score: 10 },
      ],
    );
    expect(scorer([5000], [4000])).toBe(100);
  });
});

describe('balancedResourceScorer', () => {
  it('two resources: (1 − |f1 − f2| / 2) × 100, truncated (upstream: 87, 100, 82, 95)', () => {
    expect(balancedResourceScorer([3000, 5000], [4000, 10000])).toBe(87);
    expect(balancedResourceScorer([3000, 5000], [6000, 10000])).toBe(100);
    expect(balancedResourceScorer([6000, 5000], [10000, 20000])).toBe(82);
    expect(balancedResourceScorer([6000, 10000], [10000, 20000])).toBe(95);
  });

  it('caps each fraction at 1', () => {
    // cpu 9000/6000 → 1, memory 0 → std 0.5 → 50.
    expect(balancedResourceScorer([9000, 0], [6000, 10000])).toBe(50);
  });

  it('three resources: population std (upstream: 70 and 65)', () => {
    expect(balancedResourceScorer([3000, 5000, 4], [3500, 40000, 8])).toBe(70);
    expect(balancedResourceScorer([3000, 5000, 1], [3500, 40000, 8])).toBe(65);
  });

  it('one resource or none: perfectly balanced', () => {
    expect(balancedResourceScorer([3000, 7], [4000, 0])).toBe(100);
    expect(balancedResourceScorer([0, 0], [0, 0])).toBe(100);
  });
});

describe('resource names', () => {
  it('classifies names as kube-scheduler does', () => {
    expect(isExtendedResourceName('example.com/aaa')).toBe(true);
    expect(isExtendedResourceName('nvidia.com/gpu')).toBe(true);
    expect(isExtendedResourceName('cpu')).toBe(false);
    expect(isExtendedResourceName('kubernetes.io/something')).toBe(false);
    expect(isExtendedResourceName('hugepages-2Mi')).toBe(false);
    expect(isScalarResourceName('hugepages-2Mi')).toBe(true);
    expect(isScalarResourceName('subdomain.kubernetes.io/something')).toBe(true);
    expect(isScalarResourceName('attachable-volumes-csi-x')).toBe(true);
    expect(isScalarResourceName('memory')).toBe(false);
    expect(isQualifiedName('example.com/foo')).toBe(true);
    expect(isQualifiedName('Example.com/foo')).toBe(false);
    expect(isQualifiedName('foo/')).toBe(false);
  });
});
