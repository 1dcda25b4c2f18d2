import { describe, expect, it } from 'vitest';
import { type DeploymentCondition, newDeploymentCondition, setDeploymentCondition } from './conditions';
import {
  calculateStatus,
  type DeploymentStatus,
  deploymentTimedOut,
  type ProgressDeployment,
  progressCheckAfter,
  rolloutProgressStatus,
} from './progress';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;
const rs = (name: string, replicas: number, available: number, ready = available) => ({
  metadata: { name },
  spec: { replicas },
  status: { replicas, readyReplicas: ready, availableReplicas: available },
});
const emptyStatus: DeploymentStatus = {
  replicas: 0,
  updatedReplicas: 0,
  readyReplicas: 0,
  availableReplicas: 0,
  unavailableReplicas: 0,
};
const deployment = (status: Partial<DeploymentStatus> = {}, replicas = 10): ProgressDeployment => ({
  metadata: { name: 'web', generation: 2 },
  spec: {
    replicas,
    progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  },
  status: { ...emptyStatus, ...status },
});
const progressingAt = (reason: string, at: number): DeploymentCondition =>
  newDeploymentCondition('Progressing', 'True', reason, 'x', at);

describe('setDeploymentCondition', () => {
  it('changes nothing for the same status and reason, not even lastUpdateTime', () => {
    const before = [newDeploymentCondition('Available', 'True', 'MinimumReplicasAvailable', 'a', T0)];
    const after = setDeploymentCondition(
      before,
      newDeploymentCondition('Available', 'True', 'MinimumReplicasAvailable', 'b', T0 + S),
    );
    expect(after).toEqual(before);
  });

  it('keeps lastTransitionTime while the status holds, and moves the condition to the end', () => {
    const before = [
      progressingAt('NewReplicaSetCreated', T0),
      newDeploymentCondition('Available', 'True', 'R', 'a', T0),
    ];
    const after = setDeploymentCondition(before, progressingAt('ReplicaSetUpdated', T0 + 5 * S));
    expect(after.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(after[1]).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastTransitionTime: '2026-01-01T00:00:00Z',
      lastUpdateTime: '2026-01-01T00:00:05Z',
    });
  });
});

describe('calculateStatus', () => {
  it('sums the ReplicaSets and judges Available against replicas − maxUnavailable', () => {
    const status = calculateStatus(deployment(), [rs('old', 5, 5), rs('new', 8, 3, 4)], rs('new', 8, 3, 4), T0);
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 13,
      updatedReplicas: 8,
      readyReplicas: 9,
      availableReplicas: 8,
      unavailableReplicas: 5,
    });
    expect(status.conditions?.[0]).toMatchObject({
      type: 'Available',
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    const short = calculateStatus(deployment(), [rs('old', 5, 4), rs('new', 8, 3)], rs('new', 8, 3), T0);
    expect(short.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('never reports negative unavailable replicas', () => {
    expect(
      calculateStatus(deployment(), [{ ...rs('a', 2, 2), spec: { replicas: 1 } }], undefined, T0).unavailableReplicas,
    ).toBe(0);
  });
});

describe('deploymentTimedOut and progressCheckAfter', () => {
  const status = (condition: DeploymentCondition): DeploymentStatus => ({ ...emptyStatus, conditions: [condition] });

  it('times out at exactly lastUpdateTime + progressDeadlineSeconds', () => {
    const stalled = status(progressingAt('ReplicaSetUpdated', T0));
    expect(deploymentTimedOut(deployment(), stalled, T0 + 600 * S - 1)).toBe(false);
    expect(deploymentTimedOut(deployment(), stalled, T0 + 600 * S)).toBe(true);
    expect(progressCheckAfter(deployment(), stalled, T0 + 100 * S)).toBe(500 * S);
  });

  it('never times out a completed rollout, and never checks one again', () => {
    const done = status(progressingAt('NewReplicaSetAvailable', T0));
    expect(deploymentTimedOut(deployment(), done, T0 + 10_000 * S)).toBe(false);
    expect(progressCheckAfter(deployment(), done, T0 + 10 * S)).toBeUndefined();
  });

  it('does not check without a deadline', () => {
    const d = { ...deployment(), spec: { ...deployment().spec, progressDeadlineSeconds: 2_147_483_647 } };
    expect(progressCheckAfter(d, status(progressingAt('ReplicaSetUpdated', T0)), T0)).toBeUndefined();
  });
});

describe('rolloutProgressStatus', () => {
  it('marks progress with ReplicaSetUpdated when more pods are updated or available than before', () => {
    const d = deployment({ replicas: 10, updatedReplicas: 3, conditions: [progressingAt('NewReplicaSetCreated', T0)] });
    const status = rolloutProgressStatus(d, [rs('old', 8, 8), rs('new', 5, 0)], rs('new', 5, 0), T0 + 7 * S);
    expect(status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "new" is progressing.',
      lastUpdateTime: '2026-01-01T00:00:07Z',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
  });

  it('does not estimate progress again once the rollout completed', () => {
    const complete = progressingAt('NewReplicaSetAvailable', T0);
    const d = deployment({ replicas: 10, updatedReplicas: 10, availableReplicas: 10, conditions: [complete] });
    // A pod is lost later: still NewReplicaSetAvailable, never ProgressDeadlineExceeded.
    const status = rolloutProgressStatus(d, [rs('new', 10, 9)], rs('new', 10, 9), T0 + 10_000 * S);
    expect(status.conditions?.find((c) => c.type === 'Progressing')).toEqual(complete);
  });
});
