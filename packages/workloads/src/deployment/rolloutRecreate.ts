/**
 * The Recreate strategy (recreate.go): scale every old ReplicaSet to 0,
 * wait until none of their pods is left (terminating ones included, so old
 * and new versions never run side by side), and only then create or scale
 * up the new ReplicaSet to `spec.replicas` at once.
 */
import type { Pod, ReplicaSet } from '@keelson/api';
import type { Result } from '@keelson/controller';
import type { DeploymentSync } from './deploymentSync';
import { deploymentComplete } from './progress';
import { activeReplicaSets, actualReplicas, type ReplicaSetLike } from './replicaSets';
import { cleanUpHistory, syncRolloutStatus } from './syncSteps';

/**
 * `oldPodsRunning`: whether the old ReplicaSets still report pods, or any
 * pod of a ReplicaSet other than the new one is not finished (a pod in
 * phase `Unknown` counts, since it may still run).
 *
 * @param podsByReplicaSet the Deployment's pods, by the uid of the ReplicaSet that controls them
 */
export function oldPodsRunning(
  newRS: ReplicaSetLike | undefined,
  oldRSs: readonly ReplicaSetLike[],
  podsByReplicaSet: ReadonlyMap<string, readonly Pod[]>,
): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByReplicaSet) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}

/** `rolloutRecreate`: one step of a Recreate rollout; resolves to the progress-deadline requeue, if any. */
export async function rolloutRecreate(
  sync: DeploymentSync,
  podsByReplicaSet: ReadonlyMap<string, readonly Pod[]>,
): Promise<Result | undefined> {
  // The new ReplicaSet is not created yet, so nothing scales up before the old pods are gone.
  let { newRS, oldRSs } = await sync.groups(false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs.map((old) => sync.latest(old)))) {
    if (await sync.scaleAndRecord(rs, 0)) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(sync, newRS, oldRSs);
  const fresh = newRS === undefined ? undefined : sync.latest(newRS);
  if (
    oldPodsRunning(
      fresh,
      oldRSs.map((rs) => sync.latest(rs)),
      podsByReplicaSet,
    )
  ) {
    return syncRolloutStatus(sync, newRS, oldRSs);
  }
  let created: ReplicaSet;
  if (newRS === undefined) ({ newRS: created, oldRSs } = await sync.groups(true));
  else created = newRS;
  await sync.scaleAndRecord(created, sync.deployment.spec.replicas);
  if (deploymentComplete(sync.deployment, sync.status())) await cleanUpHistory(sync, oldRSs);
  return syncRolloutStatus(sync, created, oldRSs);
}
