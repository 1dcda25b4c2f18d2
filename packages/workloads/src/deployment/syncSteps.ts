/**
 * The steps of a Deployment sync that are not a rollout (sync.go): scaling
 * when `spec.replicas` changed or the Deployment is paused, the pause and
 * resume conditions, history clean-up, and plain status.
 */
import { type ReplicaSet, ReplicaSet as ReplicaSetKind } from '@keelson/api';
import type { Result } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { intAnnotation } from './annotations';
import { getDeploymentCondition, newDeploymentCondition, setDeploymentCondition } from './conditions';
import { DESIRED_REPLICAS_ANNOTATION, DeploymentReason } from './constants';
import type { DeploymentSync } from './deploymentSync';
import { replicaSetsToCleanUp } from './history';
import { calculateStatus, hasProgressDeadline, progressCheckAfter, rolloutProgressStatus } from './progress';
import { isSaturated, proportionalScale } from './proportion';
import { activeReplicaSets, findActiveOrLatest } from './replicaSets';

/**
 * `scale`: one active ReplicaSet (or none) takes `spec.replicas`; a
 * saturated new ReplicaSet means the old ones go to 0; otherwise, for a
 * RollingUpdate, every active ReplicaSet is resized proportionally.
 */
export async function scaleReplicaSets(
  sync: DeploymentSync,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): Promise<void> {
  const d = sync.deployment;
  const fresh = newRS === undefined ? undefined : sync.latest(newRS);
  const olds = oldRSs.map((rs) => sync.latest(rs));
  const only = findActiveOrLatest(fresh, olds);
  if (only !== undefined) {
    if (only.spec.replicas !== d.spec.replicas) await sync.scaleAndRecord(only, d.spec.replicas);
    return;
  }
  if (isSaturated(d.spec, fresh)) {
    for (const old of activeReplicaSets(olds)) await sync.scaleAndRecord(old, 0);
    return;
  }
  if (d.spec.strategy.type !== 'RollingUpdate') return;
  for (const target of proportionalScale(d, fresh, olds)) await sync.scale(target.replicaSet, target.replicas);
}

/**
 * `isScalingEvent`: whether an active ReplicaSet was sized for another
 * `spec.replicas` than the Deployment has now (its `desired-replicas`).
 */
export async function isScalingEvent(sync: DeploymentSync): Promise<boolean> {
  const { newRS, oldRSs } = await sync.groups(false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = intAnnotation(sync.latest(rs).metadata.annotations, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== sync.deployment.spec.replicas;
  });
}

/** `cleanupDeployment`: deletes the old ReplicaSets beyond `revisionHistoryLimit` (see {@link replicaSetsToCleanUp}). */
export async function cleanUpHistory(sync: DeploymentSync, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const { client } = sync.context;
  const olds = oldRSs.map((rs) => sync.latest(rs));
  for (const rs of replicaSetsToCleanUp(olds, sync.deployment.spec.revisionHistoryLimit)) {
    try {
      await client.delete(ReplicaSetKind, rs.metadata.name, {
        namespace: rs.metadata.namespace,
        preconditions: { uid: rs.metadata.uid },
        reason: `revision history of deployment ${sync.deployment.metadata.name} is over its limit`,
      });
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
    }
  }
}

/** `syncDeploymentStatus`: the counts and `Available`, written if they changed. */
export async function syncDeploymentStatus(
  sync: DeploymentSync,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): Promise<void> {
  const fresh = newRS === undefined ? undefined : sync.latest(newRS);
  const all = [...oldRSs.map((rs) => sync.latest(rs)), fresh];
  await sync.writeStatus(calculateStatus(sync.deployment, all, fresh, sync.now()));
}

/**
 * `syncRolloutStatus`: status with the progress conditions (see
 * `rolloutProgressStatus`), written if changed, and a requeue for the
 * instant the progress deadline runs out while the rollout is under way.
 */
export async function syncRolloutStatus(
  sync: DeploymentSync,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): Promise<Result | undefined> {
  const fresh = newRS === undefined ? undefined : sync.latest(newRS);
  const all = [...oldRSs.map((rs) => sync.latest(rs)), fresh];
  const now = sync.now();
  await sync.writeStatus(rolloutProgressStatus(sync.deployment, all, fresh, now));
  const after = progressCheckAfter(sync.deployment, sync.status(), now);
  return after === undefined ? undefined : { requeueAfter: after };
}

/**
 * `sync`: for paused Deployments and scaling events — scale, clean up the
 * history when paused, write status. Never rolls out a new template.
 */
export async function syncScaling(sync: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await sync.groups(false);
  await scaleReplicaSets(sync, newRS, oldRSs);
  if (sync.deployment.spec.paused === true) await cleanUpHistory(sync, oldRSs);
  await syncDeploymentStatus(sync, newRS, oldRSs);
}

/** `syncStatusOnly`: a Deployment being deleted only reports. */
export async function syncStatusOnly(sync: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await sync.groups(false);
  await syncDeploymentStatus(sync, newRS, oldRSs);
}

/**
 * `checkPausedConditions`: pausing sets `Progressing=Unknown
 * DeploymentPaused`, resuming `Progressing=Unknown DeploymentResumed`, so
 * the time spent paused never counts against the progress deadline. A
 * reported `ProgressDeadlineExceeded` is not overwritten.
 */
export async function checkPausedConditions(sync: DeploymentSync): Promise<void> {
  const d = sync.deployment;
  if (!hasProgressDeadline(d)) return;
  const current = getDeploymentCondition(d.status?.conditions, 'Progressing');
  if (current?.reason === DeploymentReason.ProgressDeadlineExceeded) return;
  const pausedNoted = current?.reason === DeploymentReason.DeploymentPaused;
  const paused = d.spec.paused === true;
  if (paused === pausedNoted) return;
  const condition = paused
    ? newDeploymentCondition(
        'Progressing',
        'Unknown',
        DeploymentReason.DeploymentPaused,
        'Deployment is paused',
        sync.now(),
      )
    : newDeploymentCondition(
        'Progressing',
        'Unknown',
        DeploymentReason.DeploymentResumed,
        'Deployment is resumed',
        sync.now(),
      );
  await sync.writeStatus({ ...sync.status(), conditions: setDeploymentCondition(d.status?.conditions, condition) });
}
