/**
 * The rolling-update bounds, as Kubernetes computes them: `maxSurge` pods
 * above and `maxUnavailable` pods below `spec.replicas` during a rollout.
 * Percentages scale by `spec.replicas`; surge rounds up, unavailability
 * rounds down, and if both come to 0 one pod may be unavailable, because
 * a rollout that can neither add nor remove a pod would never move.
 */
import { scaledValue } from '@keelson/api';
import { type ReplicaSetLike, specReplicas } from './replicaSets';

/** A count (`1`) or a percentage of `spec.replicas` (`'25%'`). */
export type IntOrPercent = number | string;

/** What the bounds read of a Deployment's spec. */
export interface RolloutSpec {
  replicas: number;
  strategy: {
    type: 'RollingUpdate' | 'Recreate';
    rollingUpdate?: { maxSurge?: IntOrPercent | undefined; maxUnavailable?: IntOrPercent | undefined } | undefined;
  };
}

/**
 * `ResolveFenceposts`: the absolute `maxSurge` (rounded up) and
 * `maxUnavailable` (rounded down) for `desired` replicas; when both are 0,
 * `maxUnavailable` is 1.
 *
 * @example
 * ```ts
 * resolveFenceposts('25%', '25%', 10); // { maxSurge: 3, maxUnavailable: 2 }
 * resolveFenceposts(0, '30%', 3);      // { maxSurge: 0, maxUnavailable: 1 } (30% of 3 rounds down to 0)
 * ```
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}

/** `MaxSurge`: the resolved surge of a RollingUpdate Deployment, 0 for Recreate. */
export function maxSurgeOf(spec: RolloutSpec): number {
  if (spec.strategy.type !== 'RollingUpdate') return 0;
  const rolling = spec.strategy.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, spec.replicas).maxSurge;
}

/** `MaxUnavailable`: the resolved unavailability, at most `spec.replicas`; 0 for Recreate or 0 replicas. */
export function maxUnavailableOf(spec: RolloutSpec): number {
  if (spec.strategy.type !== 'RollingUpdate' || spec.replicas === 0) return 0;
  const rolling = spec.strategy.rollingUpdate;
  const { maxUnavailable } = resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, spec.replicas);
  return Math.min(maxUnavailable, spec.replicas);
}

/** `MinAvailable`: the pods that must stay available during a RollingUpdate (0 for Recreate). */
export function minAvailableOf(spec: RolloutSpec): number {
  if (spec.strategy.type !== 'RollingUpdate') return 0;
  return spec.replicas - maxUnavailableOf(spec);
}

/**
 * `NewRSNewReplicas`: the size the new ReplicaSet may grow to now. For
 * RollingUpdate: as far as `spec.replicas + maxSurge` total pods allow,
 * never above `spec.replicas`; for Recreate: `spec.replicas` at once.
 *
 * @example
 * ```ts
 * // 10 replicas, 25%/25%: the old set has 10, the new 0 → the new may go to 3 (10 + 3 surge − 10)
 * newRSNewReplicas(spec, [old, fresh], fresh); // 3
 * ```
 */
export function newRSNewReplicas(
  spec: RolloutSpec,
  allRSs: readonly (ReplicaSetLike | undefined)[],
  newRS: ReplicaSetLike,
): number {
  if (spec.strategy.type === 'Recreate') return spec.replicas;
  const surge = scaledValue(spec.strategy.rollingUpdate?.maxSurge ?? 0, spec.replicas, true);
  const current = specReplicas(allRSs);
  const maxTotal = spec.replicas + surge;
  if (current >= maxTotal) return newRS.spec.replicas;
  const scaleUp = Math.min(maxTotal - current, spec.replicas - newRS.spec.replicas);
  return newRS.spec.replicas + scaleUp;
}
