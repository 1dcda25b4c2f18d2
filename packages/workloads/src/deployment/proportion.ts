/**
 * Proportional scaling, as Kubernetes' `scale` does it: when `spec.replicas`
 * changes in the middle of a rollout, the pods added or removed are shared
 * among the ReplicaSets that have pods, in proportion to their sizes, so
 * neither the new nor the old version suddenly takes all of them. Each
 * ReplicaSet's `max-replicas` annotation says what total it was sized for.
 */
import { intAnnotation } from './annotations';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './constants';
import { activeReplicaSets, bySizeNewer, bySizeOlder, type ReplicaSetLike, specReplicas } from './replicaSets';
import { maxSurgeOf, type RolloutSpec } from './surge';

/** What proportional scaling reads of a Deployment. */
export interface ScalingDeployment {
  spec: RolloutSpec;
  status?: { replicas?: number } | undefined;
}

/**
 * `getReplicaSetFraction`: how many replicas this ReplicaSet should gain
 * (or lose, negative) to keep its share of the new total
 * `spec.replicas + maxSurge`, measured against the total it was sized for
 * (its `max-replicas` annotation, else the Deployment's `status.replicas`).
 */
export function replicaSetFraction(rs: ReplicaSetLike, deployment: ScalingDeployment): number {
  if (deployment.spec.replicas === 0) return -rs.spec.replicas;
  const deploymentReplicas = deployment.spec.replicas + maxSurgeOf(deployment.spec);
  const annotated = intAnnotation(rs.metadata.annotations, MAX_REPLICAS_ANNOTATION) ?? deployment.status?.replicas ?? 0;
  // A ReplicaSet is never scaled proportionally from zero, so `annotated` is not 0 here in practice.
  const size = (rs.spec.replicas * deploymentReplicas) / annotated;
  // `size` is never negative, where Math.round and Go's math.Round agree (halves go up).
  return Math.round(size) - rs.spec.replicas;
}

/**
 * `GetProportion`: this ReplicaSet's share of `toAdd` (negative to remove),
 * `added` having been handed out already; never more than what is left.
 */
export function getProportion(
  rs: ReplicaSetLike | undefined,
  deployment: ScalingDeployment,
  toAdd: number,
  added: number,
): number {
  if (rs === undefined || rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, deployment);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** One ReplicaSet and the size proportional scaling gives it. */
export interface ScaleTarget<T extends ReplicaSetLike> {
  replicaSet: T;
  replicas: number;
}

/**
 * The sizes a RollingUpdate Deployment gives its active ReplicaSets when
 * `spec.replicas` changed mid-rollout: the total becomes
 * `spec.replicas + maxSurge` (0 when scaling to 0), each set gets its
 * proportion, and what rounding leaves over goes to the largest (when
 * adding, newer sets first among equals; when removing, older first).
 * Returned in that order, which is the order to write them in.
 *
 * @example
 * ```ts
 * // 10 replicas 25%/25% mid-rollout (old 8, new 5, both sized for 13), scaled to 20 (total 25):
 * proportionalScale(deployment, newRS, [oldRS]); // old → 15, new → 10
 * ```
 */
export function proportionalScale<T extends ReplicaSetLike>(
  deployment: ScalingDeployment,
  newRS: T | undefined,
  oldRSs: readonly T[],
): ScaleTarget<T>[] {
  const active = activeReplicaSets([...oldRSs, newRS]);
  const current = specReplicas(active);
  const allowed = deployment.spec.replicas > 0 ? deployment.spec.replicas + maxSurgeOf(deployment.spec) : 0;
  const toAdd = allowed - current;
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);

  let added = 0;
  const targets = active.map((replicaSet) => {
    if (toAdd === 0) return { replicaSet, replicas: replicaSet.spec.replicas };
    const proportion = getProportion(replicaSet, deployment, toAdd, added);
    added += proportion;
    return { replicaSet, replicas: replicaSet.spec.replicas + proportion };
  });
  const largest = targets[0];
  if (largest !== undefined && toAdd !== 0) {
    largest.replicas = Math.max(0, largest.replicas + toAdd - added);
  }
  return targets;
}

/**
 * `IsSaturated`: the ReplicaSet was sized for the Deployment's current
 * `spec.replicas` (its `desired-replicas` annotation), has that many
 * replicas, and all of them are available.
 */
export function isSaturated(spec: { replicas: number }, rs: ReplicaSetLike | undefined): boolean {
  if (rs === undefined) return false;
  const desired = intAnnotation(rs.metadata.annotations, DESIRED_REPLICAS_ANNOTATION);
  return (
    desired === spec.replicas && rs.spec.replicas === spec.replicas && rs.status?.availableReplicas === spec.replicas
  );
}
