/**
 * The RollingUpdate strategy (rolling.go): each sync first grows the new
 * ReplicaSet as far as `maxSurge` allows; if it could not, it shrinks the
 * old ones as far as `maxUnavailable` allows; once neither moves and the
 * rollout is complete, it trims the revision history. Pods becoming
 * available (the ReplicaSet controller's status) bring the next step.
 */
import type { ReplicaSet } from '@keelson/api';
import type { Result } from '@keelson/controller';
import type { DeploymentSync } from './deploymentSync';
import { deploymentComplete } from './progress';
import { activeReplicaSets } from './replicaSets';
import { planOldReplicaSetScaleDown } from './rollingPlan';
import { newRSNewReplicas } from './surge';
import { cleanUpHistory, syncRolloutStatus } from './syncSteps';

/** `reconcileNewReplicaSet`: scales the new ReplicaSet toward `spec.replicas` within the surge. */
async function reconcileNewReplicaSet(sync: DeploymentSync, newRS: ReplicaSet, oldRSs: ReplicaSet[]): Promise<boolean> {
  const d = sync.deployment;
  const current = sync.latest(newRS);
  if (current.spec.replicas === d.spec.replicas) return false;
  if (current.spec.replicas > d.spec.replicas) return sync.scaleAndRecord(current, d.spec.replicas);
  const all = [...oldRSs.map((rs) => sync.latest(rs)), current];
  return sync.scaleAndRecord(current, newRSNewReplicas(d.spec, all, current));
}

/** `reconcileOldReplicaSets`: writes the plan of `planOldReplicaSetScaleDown`, unhealthy replicas first. */
async function reconcileOldReplicaSets(
  sync: DeploymentSync,
  newRS: ReplicaSet,
  oldRSs: ReplicaSet[],
): Promise<boolean> {
  const olds = oldRSs.map((rs) => sync.latest(rs));
  const current = sync.latest(newRS);
  const plan = planOldReplicaSetScaleDown(sync.deployment.spec, [...olds, current], activeReplicaSets(olds), current);
  let scaled = false;
  for (const step of [...plan.cleanup, ...plan.scaleDown]) {
    if (await sync.scaleAndRecord(step.replicaSet, step.to)) scaled = true;
  }
  return scaled;
}

/** `rolloutRolling`: one step of a RollingUpdate; resolves to the progress-deadline requeue, if any. */
export async function rolloutRolling(sync: DeploymentSync): Promise<Result | undefined> {
  const { newRS, oldRSs } = await sync.groups(true);
  if (await reconcileNewReplicaSet(sync, newRS, oldRSs)) return syncRolloutStatus(sync, newRS, oldRSs);
  if (await reconcileOldReplicaSets(sync, newRS, oldRSs)) return syncRolloutStatus(sync, newRS, oldRSs);
  if (deploymentComplete(sync.deployment, sync.status())) await cleanUpHistory(sync, oldRSs);
  return syncRolloutStatus(sync, newRS, oldRSs);
}
