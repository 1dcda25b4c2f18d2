import { describe, expect, it } from 'vitest';
import { getProportion, isSaturated, proportionalScale, replicaSetFraction } from './proportion';
import type { RolloutSpec } from './surge';

const rs = (name: string, second: number, replicas: number, maxReplicas?: number, desired?: number) => ({
  metadata: {
    name,
    creationTimestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`,
    annotations: {
      ...(maxReplicas === undefined ? {} : { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) }),
      ...(desired === undefined ? {} : { 'deployment.kubernetes.io/desired-replicas': String(desired) }),
    },
  },
  spec: { replicas },
  status: { replicas, availableReplicas: replicas },
});
const deployment = (
  replicas: number,
  maxSurge: number | string = '25%',
  maxUnavailable: number | string = '25%',
  statusReplicas = 0,
) => ({
  spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } as RolloutSpec,
  status: { replicas: statusReplicas },
});
const sizes = (targets: ReturnType<typeof proportionalScale>) =>
  targets.map((t) => `${t.replicaSet.metadata.name}=${t.replicas}`);

describe('proportionalScale', () => {
  it('10 → 20 mid-rollout (old 8, new 5 sized for 13): old 15, new 10', () => {
    const old = rs('old', 0, 8, 13);
    const fresh = rs('new', 1, 5, 13);
    // Total 20 + 5 surge = 25; 8 × 25/13 = 15.38 → 15; 5 × 25/13 = 9.6 → 10.
    expect(sizes(proportionalScale(deployment(20), fresh, [old]))).toEqual(['old=15', 'new=10']);
  });

  it('10 → 5 mid-rollout: old 4, new 3 (the larger first when removing)', () => {
    const old = rs('old', 0, 8, 13);
    const fresh = rs('new', 1, 5, 13);
    expect(sizes(proportionalScale(deployment(5), fresh, [old]))).toEqual(['old=4', 'new=3']);
  });

  it('gives what rounding leaves over to the largest set', () => {
    const a = rs('a', 0, 3, 10);
    const b = rs('b', 1, 3, 10);
    const c = rs('c', 2, 4, 10);
    // 10 → 11 with no surge: 4.4 → 4, 3.3 → 3, 3.3 → 3; the one replica left over goes to the largest, c.
    expect(sizes(proportionalScale(deployment(11, 0, 1), c, [a, b]))).toEqual(['c=5', 'b=3', 'a=3']);
  });

  it('orders equal sizes newer first when adding and older first when removing', () => {
    const a = rs('a', 0, 2, 4);
    const b = rs('b', 1, 2, 4);
    expect(sizes(proportionalScale(deployment(5, 0, 1), b, [a])).map((s) => s[0])).toEqual(['b', 'a']);
    expect(sizes(proportionalScale(deployment(3, 0, 1), b, [a])).map((s) => s[0])).toEqual(['a', 'b']);
  });

  it('takes everything away when scaled to 0', () => {
    const old = rs('old', 0, 8, 13);
    const fresh = rs('new', 1, 5, 13);
    expect(sizes(proportionalScale(deployment(0), fresh, [old]))).toEqual(['old=0', 'new=0']);
  });

  it('falls back to status.replicas without a max-replicas annotation', () => {
    // 6 of 12 reported pods, scaled to a total of 24 + 6 surge = 30: 6 × 30/12 = 15, so +9.
    expect(replicaSetFraction(rs('x', 0, 6), deployment(24, '25%', '25%', 12))).toBe(9);
  });
});

describe('getProportion', () => {
  it('never hands out more than is left, and nothing to an empty set', () => {
    const d = deployment(20);
    expect(getProportion(rs('a', 0, 8, 13), d, 3, 0)).toBe(3);
    expect(getProportion(rs('a', 0, 8, 13), d, 12, 12)).toBe(0);
    expect(getProportion(rs('a', 0, 0, 13), d, 12, 0)).toBe(0);
    expect(getProportion(rs('a', 0, 8, 13), deployment(5), -2, 0)).toBe(-2);
  });
});

describe('isSaturated', () => {
  it('needs the size, the desired-replicas annotation and every replica available', () => {
    expect(isSaturated({ replicas: 5 }, rs('a', 0, 5, 7, 5))).toBe(true);
    expect(isSaturated({ replicas: 5 }, rs('a', 0, 5, 7, 4))).toBe(false);
    expect(isSaturated({ replicas: 5 }, rs('a', 0, 5))).toBe(false);
    expect(isSaturated({ replicas: 5 }, { ...rs('a', 0, 5, 7, 5), status: { availableReplicas: 4 } })).toBe(false);
    expect(isSaturated({ replicas: 5 }, undefined)).toBe(false);
  });
});
