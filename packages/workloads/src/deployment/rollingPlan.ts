/**
 * How far a RollingUpdate may scale its old ReplicaSets down in one step,
 * as Kubernetes' `reconcileOldReplicaSets` decides it. Two passes, oldest
 * ReplicaSet first:
 *
 * 1. Clean up unhealthy replicas: pods of old sets that are not available
 *    cost no availability to remove, so they go first (otherwise they
 *    could block the rollout until its deadline).
 * 2. Scale down available old pods, but only as far as
 *    `spec.replicas − maxUnavailable` available pods remain.
 *
 * The budget of both passes is `total pods − minAvailable − unavailable pods
 * of the new set`: the new set's unready pods count against it, so a
 * crash-looping new version never drains the old one.
 */
import { availableReplicas, byCreation, type ReplicaSetLike, specReplicas } from './replicaSets';
import { maxUnavailableOf, type RolloutSpec } from './surge';

/** One write of the plan: the ReplicaSet and its new `spec.replicas`. */
export interface ScaleStep<T extends ReplicaSetLike> {
  replicaSet: T;
  from: number;
  to: number;
}

/** The two passes of {@link planOldReplicaSetScaleDown}, to be written in order. */
export interface ScaleDownPlan<T extends ReplicaSetLike> {
  /** Pass 1: removing old pods that are not available. */
  cleanup: ScaleStep<T>[];
  /** Pass 2: removing available old pods, down to `minAvailable`. */
  scaleDown: ScaleStep<T>[];
}

function resized<T extends ReplicaSetLike>(rs: T, replicas: number): T {
  return { ...rs, spec: { ...rs.spec, replicas } };
}

/**
 * Plans the old ReplicaSets' scale-down of one RollingUpdate step.
 *
 * @param allRSs every ReplicaSet of the Deployment (old, including empty ones, and new)
 * @param oldRSs the old ReplicaSets with replicas (`spec.replicas > 0`)
 * @example
 * ```ts
 * // 10 replicas, maxUnavailable 2: old 10 (all available), new 3 (none available yet)
 * planOldReplicaSetScaleDown(spec, [old, fresh], [old], fresh).scaleDown; // [{ from: 10, to: 8 }]
 * ```
 */
export function planOldReplicaSetScaleDown<T extends ReplicaSetLike>(
  spec: RolloutSpec,
  allRSs: readonly T[],
  oldRSs: readonly T[],
  newRS: T,
): ScaleDownPlan<T> {
  const plan: ScaleDownPlan<T> = { cleanup: [], scaleDown: [] };
  if (specReplicas(oldRSs) === 0) return plan;
  const minAvailable = spec.replicas - maxUnavailableOf(spec);
  const newUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;

  // Pass 1: unhealthy replicas, within the budget.
  const olds = [...oldRSs].sort(byCreation);
  let cleaned = 0;
  for (let i = 0; i < olds.length; i++) {
    if (cleaned >= maxScaledDown) break;
    const rs = olds[i] as T;
    const available = rs.status?.availableReplicas ?? 0;
    if (rs.spec.replicas === 0 || rs.spec.replicas === available) continue;
    const count = Math.min(maxScaledDown - cleaned, rs.spec.replicas - available);
    const to = rs.spec.replicas - count;
    plan.cleanup.push({ replicaSet: rs, from: rs.spec.replicas, to });
    olds[i] = resized(rs, to);
    cleaned += count;
  }

  // Pass 2: available replicas, keeping minAvailable. Only active old sets and the new one count here.
  const available = availableReplicas([...olds, newRS]);
  if (available <= minAvailable) return plan;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= total) break;
    if (rs.spec.replicas === 0) continue;
    const count = Math.min(rs.spec.replicas, total - scaled);
    plan.scaleDown.push({ replicaSet: rs, from: rs.spec.replicas, to: rs.spec.replicas - count });
    scaled += count;
  }
  return plan;
}
