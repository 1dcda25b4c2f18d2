/**
 * The arithmetic of a disruption budget, as Kubernetes' disruption
 * controller does it (`pkg/controller/disruption`): which pods count as
 * healthy, how many must stay healthy, and how many may go. Pure functions
 * over plain objects, so each rule is testable without a store.
 */
import {
  type Condition,
  DISRUPTION_ALLOWED_CONDITION,
  DisruptionAllowedReason,
  isPodReady,
  type Pod,
  type PodDisruptionBudget,
  scaledValue,
  setCondition,
} from '@keelson/api';

/**
 * Upstream's `DeletionTimeout`: how long a pod the eviction subresource let
 * go (an entry of `status.disruptedPods`) is expected to take to be marked
 * for deletion. Until then it does not count as healthy; after it, the entry
 * is dropped and the pod counts again.
 */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The budget's spec, as far as the arithmetic reads it. */
export type BudgetSpec = PodDisruptionBudget['spec'];

/** The budget's status, as the controller writes it. */
export type BudgetStatus = NonNullable<PodDisruptionBudget['status']>;

import { ownerSelector } from '../shared/ownerSelectors';
import { formatTime } from '../shared/time';

export { formatTime };

/**
 * Whether the budget covers the pod, as the controller (and policy/v1)
 * reads a selector: an empty selector covers every pod of the namespace, a
 * missing one none. The selector is parsed once per version of the budget.
 */
export function budgetSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  return ownerSelector(pdb).matches(pod.metadata.labels);
}

/**
 * Whether the budget needs the pods' controllers to know how many pods to
 * expect: always for `maxUnavailable` and a percentage `minAvailable`; a
 * plain count `minAvailable` uses the number of pods it selects.
 */
export function needsScale(spec: BudgetSpec): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

/**
 * `expectedPods` and `desiredHealthy` (upstream's `getExpectedPodCount`).
 * `scale` is the sum of the pods' controllers' replicas, consulted only when
 * {@link needsScale}. Percentages round up, for `minAvailable` (more must
 * stay) as for `maxUnavailable` (more may go), as upstream rounds both.
 * A budget with neither bound expects no pods and allows nothing.
 */
export function desiredHealth(
  spec: BudgetSpec,
  podCount: number,
  scale: () => number,
): { expectedPods: number; desiredHealthy: number } {
  if (spec.maxUnavailable !== undefined) {
    const expectedPods = scale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedPods, true);
    return { expectedPods, desiredHealthy: Math.max(0, expectedPods - maxUnavailable) };
  }
  if (spec.minAvailable === undefined) return { expectedPods: 0, desiredHealthy: 0 };
  if (typeof spec.minAvailable === 'number') return { expectedPods: podCount, desiredHealthy: spec.minAvailable };
  const expectedPods = scale();
  return { expectedPods, desiredHealthy: scaledValue(spec.minAvailable, expectedPods, true) };
}

/** When a disrupted-pod entry stops holding its pod out of the healthy count (ms). */
function expiresAt(since: string): number {
  return Date.parse(since) + DELETION_TIMEOUT_MS;
}

/** What {@link pruneDisruptedPods} keeps and drops. */
export interface PrunedDisruptions {
  /** The entries still pending: pods that exist, are not yet being deleted, and whose timeout has not passed. */
  kept: Record<string, string>;
  /** Pods whose entry timed out without the pod being deleted (upstream records a `NotDeleted` event). */
  expired: string[];
  /** When the earliest kept entry expires (ms): reconcile again then. */
  recheckAt: number | undefined;
}

/**
 * Upstream's `buildDisruptedPodMap`: keeps the entries of pods that still
 * exist and are not being deleted, until {@link DELETION_TIMEOUT_MS} after
 * the eviction; at that instant the entry expires (so a reconcile requeued
 * for it always makes progress).
 */
export function pruneDisruptedPods(
  pods: readonly Pod[],
  disrupted: Readonly<Record<string, string>> | undefined,
  now: number,
): PrunedDisruptions {
  const kept: Record<string, string> = {};
  const expired: string[] = [];
  let recheckAt: number | undefined;
  if (disrupted === undefined) return { kept, expired, recheckAt };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const since = disrupted[pod.metadata.name];
    if (since === undefined) continue;
    const due = expiresAt(since);
    if (due <= now) {
      expired.push(pod.metadata.name);
      continue;
    }
    kept[pod.metadata.name] = since;
    if (recheckAt === undefined || due < recheckAt) recheckAt = due;
  }
  return { kept, expired, recheckAt };
}

/**
 * Upstream's `countHealthyPods`: ready pods that are not being deleted and
 * that the eviction subresource has not just let go.
 */
export function countHealthyPods(
  pods: readonly Pod[],
  disrupted: Readonly<Record<string, string>>,
  now: number,
): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const since = disrupted[pod.metadata.name];
    if (since !== undefined && expiresAt(since) > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * How many pods may be disrupted now: `currentHealthy − desiredHealthy`,
 * never negative, and 0 while the budget expects no pods (so a budget whose
 * pods appear before the controller has counted them is safe).
 */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedPods: number): number {
  return expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
}

/** Upstream's `UpdateDisruptionAllowedCondition`: `True`/SufficientPods when a disruption is allowed, else `False`/InsufficientPods. */
export function withDisruptionAllowedCondition(status: BudgetStatus, now: number): BudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const condition: Condition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: allowed ? 'True' : 'False',
    reason: allowed ? DisruptionAllowedReason.SufficientPods : DisruptionAllowedReason.InsufficientPods,
    ...(status.observedGeneration === undefined ? {} : { observedGeneration: status.observedGeneration }),
  };
  return { ...status, conditions: setCondition(status.conditions, condition, formatTime(now)) };
}

/** Upstream's `ConditionsAreUpToDate`: the condition matches `disruptionsAllowed` and the generation was observed. */
export function conditionsUpToDate(pdb: PodDisruptionBudget): boolean {
  const status = pdb.status;
  const condition = status?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (condition === undefined || status?.observedGeneration !== pdb.metadata.generation) return false;
  return status.disruptionsAllowed > 0
    ? condition.status === 'True' && condition.reason === DisruptionAllowedReason.SufficientPods
    : condition.status === 'False' && condition.reason === DisruptionAllowedReason.InsufficientPods;
}
