import { describe, expect, it } from 'vitest';
import { planOldReplicaSetScaleDown } from './rollingPlan';
import type { RolloutSpec } from './surge';

/** A ReplicaSet created `second` seconds after midnight with `replicas` asked for and `available` of them up. */
const rs = (name: string, second: number, replicas: number, available: number) => ({
  metadata: { name, creationTimestamp: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z` },
  spec: { replicas },
  status: { replicas, availableReplicas: available },
});
// Kubernetes' own example in rolling.go: 10 replicas, maxUnavailable 2, maxSurge 3.
const spec: RolloutSpec = {
  replicas: 10,
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
};
const steps = (plan: ReturnType<typeof planOldReplicaSetScaleDown>) => ({
  cleanup: plan.cleanup.map((s) => `${s.replicaSet.metadata.name} ${s.from}→${s.to}`),
  scaleDown: plan.scaleDown.map((s) => `${s.replicaSet.metadata.name} ${s.from}→${s.to}`),
});

describe('planOldReplicaSetScaleDown', () => {
  it('scales available old pods down to spec.replicas − maxUnavailable', () => {
    const old = rs('v1', 0, 10, 10);
    const fresh = rs('v2', 1, 3, 0);
    expect(steps(planOldReplicaSetScaleDown(spec, [old, fresh], [old], fresh))).toEqual({
      cleanup: [],
      scaleDown: ['v1 10→8'],
    });
  });

  it('counts available new pods toward minAvailable', () => {
    const old = rs('v1', 0, 10, 10);
    const fresh = rs('v2', 1, 3, 3);
    // 13 − 8 − 0 = 5 may go, and 13 available − 8 = 5.
    expect(steps(planOldReplicaSetScaleDown(spec, [old, fresh], [old], fresh)).scaleDown).toEqual(['v1 10→5']);
  });

  it('scales nothing while the new set’s unavailable pods use up the budget (a crash loop never drains the old set)', () => {
    // Old at 8, new at 5 that never become available, and one old pod lost with its node: 13 − 8 − 5 = 0.
    const old = rs('v1', 0, 8, 7);
    const fresh = rs('v2', 1, 5, 0);
    expect(steps(planOldReplicaSetScaleDown(spec, [old, fresh], [old], fresh))).toEqual({ cleanup: [], scaleDown: [] });
  });

  it('rolling over a stuck rollout removes the unhealthy old pods first, within the budget', () => {
    const v1 = rs('v1', 0, 8, 8);
    const v2 = rs('v2', 1, 5, 0);
    const v3 = rs('v3', 2, 0, 0);
    // 13 − 8 − 0 = 5: all five of v2's unavailable pods; v1's 8 available are the floor.
    expect(steps(planOldReplicaSetScaleDown(spec, [v1, v2, v3], [v1, v2], v3))).toEqual({
      cleanup: ['v2 5→0'],
      scaleDown: [],
    });
  });

  it('takes the budget from the oldest ReplicaSets first', () => {
    const a = rs('a', 0, 4, 4);
    const b = rs('b', 1, 4, 4);
    const fresh = rs('c', 2, 4, 4);
    // 12 pods, 12 available, floor 8: four go, all from the oldest.
    expect(steps(planOldReplicaSetScaleDown(spec, [b, a, fresh], [b, a], fresh)).scaleDown).toEqual(['a 4→0']);
  });

  it('splits the budget between clean-up and scale-down', () => {
    const old = rs('v1', 0, 10, 9);
    const fresh = rs('v2', 1, 3, 3);
    // Budget 13 − 8 − 0 = 5: one unavailable old pod first, then 12 available − 8 = 4 more.
    expect(steps(planOldReplicaSetScaleDown(spec, [old, fresh], [old], fresh))).toEqual({
      cleanup: ['v1 10→9'],
      scaleDown: ['v1 9→5'],
    });
  });

  it('plans nothing without old pods', () => {
    const fresh = rs('v2', 1, 10, 10);
    expect(steps(planOldReplicaSetScaleDown(spec, [fresh], [], fresh))).toEqual({ cleanup: [], scaleDown: [] });
  });
});
