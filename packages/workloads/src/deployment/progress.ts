/**
 * A Deployment's status and progress, as Kubernetes' `calculateStatus` and
 * `syncRolloutStatus` (progress.go) compute them: counts summed over the
 * ReplicaSets, `Available` against `spec.replicas − maxUnavailable`, and
 * `Progressing` judged against `progressDeadlineSeconds` from the
 * condition's `lastUpdateTime`, which moves only when the rollout moves.
 */
import type { Deployment } from '@keelson/api';
import {
  type DeploymentCondition,
  getDeploymentCondition,
  newDeploymentCondition,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
} from './conditions';
import { DeploymentReason, UNLIMITED } from './constants';
import { actualReplicas, availableReplicas, type ReplicaSetLike, readyReplicas, specReplicas } from './replicaSets';
import { maxUnavailableOf, type RolloutSpec } from './surge';

/** A Deployment's status as stored. */
export type DeploymentStatus = NonNullable<Deployment['status']>;

/** What status and progress read of a Deployment. */
export interface ProgressDeployment {
  metadata: { name: string; generation?: number };
  spec: RolloutSpec & { progressDeadlineSeconds: number };
  status?: DeploymentStatus | undefined;
}

/** A ReplicaSet with the conditions its controller reports (`ReplicaFailure`). */
export interface ReplicaSetWithConditions extends ReplicaSetLike {
  status?: ReplicaSetLike['status'] & {
    conditions?: readonly {
      type: string;
      status: DeploymentCondition['status'];
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }[];
  };
}

/** `HasProgressDeadline`: a deadline is set and is not the "never" value. */
export function hasProgressDeadline(deployment: ProgressDeployment): boolean {
  return deployment.spec.progressDeadlineSeconds !== UNLIMITED;
}

/**
 * `calculateStatus`: the counts over all ReplicaSets (`updatedReplicas`
 * from the new one), `unavailableReplicas` as requested minus available
 * (never below 0), the `Available` condition, and the rest of the current
 * conditions kept.
 */
export function calculateStatus(
  deployment: ProgressDeployment,
  allRSs: readonly (ReplicaSetLike | undefined)[],
  newRS: ReplicaSetLike | undefined,
  now: number,
): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const unavailable = Math.max(0, specReplicas(allRSs) - available);
  const collisionCount = deployment.status?.collisionCount;
  const minimum = deployment.spec.replicas - maxUnavailableOf(deployment.spec);
  const availability =
    available >= minimum
      ? newDeploymentCondition(
          'Available',
          'True',
          DeploymentReason.MinimumReplicasAvailable,
          'Deployment has minimum availability.',
          now,
        )
      : newDeploymentCondition(
          'Available',
          'False',
          DeploymentReason.MinimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        );
  return {
    observedGeneration: deployment.metadata.generation ?? 0,
    replicas: actualReplicas(allRSs),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: setDeploymentCondition(deployment.status?.conditions, availability),
    ...(collisionCount === undefined ? {} : { collisionCount }),
  };
}

/** `DeploymentComplete`: every replica updated, no old one left, all available, latest spec observed. */
export function deploymentComplete(deployment: ProgressDeployment, status: DeploymentStatus): boolean {
  const replicas = deployment.spec.replicas;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
  );
}

/**
 * `DeploymentProgressing`: compared with the current status, more pods
 * updated, fewer old pods, or more ready or available pods.
 */
export function deploymentProgressing(deployment: ProgressDeployment, status: DeploymentStatus): boolean {
  const old = deployment.status;
  const oldOld = (old?.replicas ?? 0) - (old?.updatedReplicas ?? 0);
  const newOld = status.replicas - status.updatedReplicas;
  return (
    status.updatedReplicas > (old?.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    status.readyReplicas > (old?.readyReplicas ?? 0) ||
    status.availableReplicas > (old?.availableReplicas ?? 0)
  );
}

/** When the Progressing condition of `status` runs out (ms), if a deadline applies to it. */
export function progressDeadlineAt(deployment: ProgressDeployment, status: DeploymentStatus): number | undefined {
  if (!hasProgressDeadline(deployment)) return undefined;
  const condition = getDeploymentCondition(status.conditions, 'Progressing');
  if (condition?.lastUpdateTime === undefined) return undefined;
  return Date.parse(condition.lastUpdateTime) + deployment.spec.progressDeadlineSeconds * 1000;
}

/**
 * `DeploymentTimedOut`: the Progressing condition was last updated
 * `progressDeadlineSeconds` ago or more (a completed rollout never times
 * out; a timed-out one stays so). Upstream compares strictly and requeues a
 * second late to make up for it; on an exact clock the deadline instant
 * itself counts as passed, so the flip happens exactly at the deadline.
 */
export function deploymentTimedOut(deployment: ProgressDeployment, status: DeploymentStatus, now: number): boolean {
  const condition = getDeploymentCondition(status.conditions, 'Progressing');
  if (!hasProgressDeadline(deployment) || condition === undefined) return false;
  if (condition.reason === DeploymentReason.NewReplicaSetAvailable) return false;
  if (condition.reason === DeploymentReason.ProgressDeadlineExceeded) return true;
  const deadline = progressDeadlineAt(deployment, status);
  return deadline !== undefined && now >= deadline;
}

/**
 * The ReplicaFailure condition to carry: the new ReplicaSet's, else the
 * first old one's (`getReplicaFailures`).
 */
function replicaFailure(
  allRSs: readonly (ReplicaSetWithConditions | undefined)[],
  newRS: ReplicaSetWithConditions | undefined,
): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const failure = rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    if (failure !== undefined) return replicaSetToDeploymentCondition(failure);
  }
  return undefined;
}

/**
 * `syncRolloutStatus`'s new status: {@link calculateStatus}, then, while a
 * rollout is under way and a deadline is set, `Progressing` as
 * `NewReplicaSetAvailable` (complete), `ReplicaSetUpdated` (moved: its
 * `lastUpdateTime` restarts the deadline) or `ProgressDeadlineExceeded`
 * (stalled past the deadline); and `ReplicaFailure` copied from the
 * ReplicaSets.
 */
export function rolloutProgressStatus(
  deployment: ProgressDeployment,
  allRSs: readonly (ReplicaSetWithConditions | undefined)[],
  newRS: ReplicaSetWithConditions | undefined,
  now: number,
): DeploymentStatus {
  const status = calculateStatus(deployment, allRSs, newRS, now);
  let conditions = status.conditions ?? [];
  const deadline = hasProgressDeadline(deployment);
  if (!deadline) conditions = removeDeploymentCondition(conditions, 'Progressing');

  const current = getDeploymentCondition(deployment.status?.conditions, 'Progressing');
  const completeBefore =
    status.replicas === status.updatedReplicas && current?.reason === DeploymentReason.NewReplicaSetAvailable;
  const subject =
    newRS === undefined ? `Deployment "${deployment.metadata.name}"` : `ReplicaSet "${newRS.metadata.name}"`;
  const withConditions = { ...status, conditions };
  if (deadline && !completeBefore) {
    if (deploymentComplete(deployment, withConditions)) {
      conditions = setDeploymentCondition(
        conditions,
        newDeploymentCondition(
          'Progressing',
          'True',
          DeploymentReason.NewReplicaSetAvailable,
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(deployment, withConditions)) {
      // Unlike other conditions, Progressing is rewritten with the same reason: its lastUpdateTime
      // is what restarts the deadline.
      let progressing = newDeploymentCondition(
        'Progressing',
        'True',
        DeploymentReason.ReplicaSetUpdated,
        `${subject} is progressing.`,
        now,
      );
      if (current !== undefined) {
        if (current.status === 'True' && current.lastTransitionTime !== undefined) {
          progressing = { ...progressing, lastTransitionTime: current.lastTransitionTime };
        }
        conditions = removeDeploymentCondition(conditions, 'Progressing');
      }
      conditions = setDeploymentCondition(conditions, progressing);
    } else if (deploymentTimedOut(deployment, withConditions, now)) {
      conditions = setDeploymentCondition(
        conditions,
        newDeploymentCondition(
          'Progressing',
          'False',
          DeploymentReason.ProgressDeadlineExceeded,
          `${subject} has timed out progressing.`,
          now,
        ),
      );
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  conditions =
    failure === undefined
      ? removeDeploymentCondition(conditions, 'ReplicaFailure')
      : setDeploymentCondition(conditions, failure);
  return { ...status, conditions };
}

/**
 * `requeueStuckDeployment`: how long (ms) until a rollout that is still
 * under way reaches its progress deadline, so the controller can look
 * again exactly then; `undefined` when there is nothing to wait for
 * (no deadline, complete, already timed out, or no Progressing time).
 */
export function progressCheckAfter(
  deployment: ProgressDeployment,
  status: DeploymentStatus,
  now: number,
): number | undefined {
  const condition = getDeploymentCondition(status.conditions, 'Progressing');
  if (!hasProgressDeadline(deployment) || condition === undefined) return undefined;
  if (deploymentComplete(deployment, status) || condition.reason === DeploymentReason.ProgressDeadlineExceeded) {
    return undefined;
  }
  // A rollout once complete is not judged again (see deploymentTimedOut), so its old time is no deadline.
  if (condition.reason === DeploymentReason.NewReplicaSetAvailable) return undefined;
  const deadline = progressDeadlineAt(deployment, status);
  if (deadline === undefined || deadline <= now) return undefined;
  return deadline - now;
}
