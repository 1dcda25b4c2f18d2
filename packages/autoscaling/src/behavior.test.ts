import { describe, expect, it } from 'vitest';
import {
  emptyHistory,
  limit,
  limitWithBehavior,
  recordScaleEvent,
  type ScalingRules,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  stabilizeWithBehavior,
} from './behavior';

const UP_DEFAULT: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DOWN_DEFAULT: ScalingRules = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

describe('without behavior', () => {
  it('scales up at most to max(2 × current, 4), within min and max', () => {
    expect(limit({ current: 1, desired: 13, min: 1, max: 10 })).toMatchObject({ replicas: 4, reason: 'ScaleUpLimit' });
    expect(limit({ current: 3, desired: 13, min: 1, max: 10 })).toMatchObject({ replicas: 6, reason: 'ScaleUpLimit' });
    expect(limit({ current: 8, desired: 13, min: 1, max: 10 })).toMatchObject({
      replicas: 10,
      reason: 'TooManyReplicas',
    });
    expect(limit({ current: 3, desired: 1, min: 2, max: 10 })).toMatchObject({ replicas: 2, reason: 'TooFewReplicas' });
    expect(limit({ current: 3, desired: 5, min: 2, max: 10 })).toMatchObject({
      replicas: 5,
      reason: 'DesiredWithinRange',
    });
  });

  it('holds a scale-down at the highest recommendation of the last 5 minutes; a scale-up goes at once', () => {
    const history = emptyHistory();
    expect(stabilize(history, 8, 0).replicas).toBe(8);
    expect(stabilize(history, 3, 60_000)).toMatchObject({ replicas: 8, reason: 'ScaleDownStabilized' });
    expect(stabilize(history, 3, 299_999).replicas).toBe(8);
    expect(stabilize(history, 3, 300_000)).toMatchObject({ replicas: 3, reason: 'ReadyForNewScale' });
    expect(stabilize(history, 9, 310_000).replicas).toBe(9);
  });
});

describe('with behavior', () => {
  it('scale-up policies: Max picks the policy allowing most, per period, counting recent scale-ups', () => {
    const history = emptyHistory();
    // From 2: +4 pods or +100 % → 6 (Max); Min → 4.
    expect(scaleUpLimit(history, 2, UP_DEFAULT, 0)).toBe(6);
    expect(scaleUpLimit(history, 2, { ...UP_DEFAULT, selectPolicy: 'Min' }, 0)).toBe(4);
    expect(scaleUpLimit(history, 2, { ...UP_DEFAULT, selectPolicy: 'Disabled' }, 0)).toBe(2);
    // After scaling 2 → 6 at t=0, the period started at 2: still at most 6 until 15 s have passed.
    recordScaleEvent(history, 2, 6, 0, { scaleUp: UP_DEFAULT });
    expect(scaleUpLimit(history, 6, UP_DEFAULT, 10_000)).toBe(6);
    expect(scaleUpLimit(history, 6, UP_DEFAULT, 15_000)).toBe(12);
  });

  it('scale-down policies: 1 pod per minute, or 10 % per minute, whichever allows more', () => {
    const rules: ScalingRules = {
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 1, periodSeconds: 60 },
        { type: 'Percent', value: 10, periodSeconds: 60 },
      ],
    };
    const history = emptyHistory();
    expect(scaleDownLimit(history, 40, rules, 0)).toBe(36); // 10 % of 40 = 4 > 1
    expect(scaleDownLimit(history, 5, rules, 0)).toBe(4); // 1 pod > 10 % of 5 (truncated to 4.5 → 4)
    expect(
      limitWithBehavior(history, {
        current: 40,
        desired: 10,
        min: 1,
        max: 50,
        now: 0,
        scaleUp: UP_DEFAULT,
        scaleDown: rules,
      }),
    ).toMatchObject({ replicas: 36, reason: 'ScaleDownLimit' });
    recordScaleEvent(history, 40, 36, 0, { scaleDown: rules });
    // Within the minute, the period still started at 40.
    expect(scaleDownLimit(history, 36, rules, 30_000)).toBe(36);
    expect(scaleDownLimit(history, 36, rules, 60_000)).toBe(32);
  });

  it('stabilization windows: scale-up to the lowest, scale-down to the highest recent recommendation', () => {
    const history = emptyHistory();
    const rules = {
      scaleUp: { ...UP_DEFAULT, stabilizationWindowSeconds: 60 },
      scaleDown: { ...DOWN_DEFAULT, stabilizationWindowSeconds: 120 },
    };
    expect(stabilizeWithBehavior(history, { current: 5, desired: 5, now: 0, ...rules }).replicas).toBe(5);
    expect(stabilizeWithBehavior(history, { current: 5, desired: 9, now: 30_000, ...rules })).toMatchObject({
      replicas: 5,
      reason: 'ScaleUpStabilized',
    });
    expect(stabilizeWithBehavior(history, { current: 5, desired: 9, now: 61_000, ...rules }).replicas).toBe(9);
    expect(stabilizeWithBehavior(history, { current: 9, desired: 2, now: 90_000, ...rules })).toMatchObject({
      replicas: 9,
      reason: 'ScaleDownStabilized',
    });
  });
});
