/**
 * The eviction subresource (Kubernetes' `pkg/registry/core/pod/storage/eviction.go`):
 * a pod's deletion that honours its disruption budget.
 */
import { type EvictionDeleteOptions, isPodReady, Pod, PodDisruptionBudget, parseEviction } from '@keelson/api';
import { type DeleteOptions, isKeelsonError, type Store, TimeoutError } from '@keelson/core';
import { markDisruptionTarget } from './disruptionTarget';
import { MultipleDisruptionBudgetsError } from './errors';
import { budgetStillProcessing, checkAndDecrement, guardingBudgets, refreshBudget } from './evictionBudget';

/** Upstream's `EvictionsRetry`: at most 20 attempts on a conflict… */
export const EVICTION_RETRY_STEPS = 20;

/**
 * …500 ms apart (upstream adds 10% jitter; here the wait is exact, on the
 * store's clock). Retrying at once would only meet the same conflict while
 * the write that won is still being made durable.
 */
export const EVICTION_CONFLICT_RETRY_MS = 500;

function pause(store: Store): Promise<void> {
  return new Promise((resolve) => store.clock.setTimeout(resolve, EVICTION_CONFLICT_RETRY_MS));
}

/** How an eviction went past the budget. */
export type EvictionOutcome =
  /** The pod is terminal (Succeeded/Failed), Pending or already terminating: deleted without consulting budgets. */
  | 'BudgetIgnored'
  /** No budget selects the pod. */
  | 'NoBudget'
  /** The budget allowed it: one disruption was taken and the pod recorded in `disruptedPods`. */
  | 'BudgetDecremented'
  /** The pod is not Ready and the budget lets unhealthy pods go (healthy budget, or `AlwaysAllow`); nothing taken. */
  | 'UnhealthyPodDeleted';

/** What {@link evictPod} did. */
export interface EvictionResult {
  /** The pod as its deletion left it: marked with `deletionTimestamp` (graceful), or its last version (gone). Before the deletion for a dry run. */
  pod: Pod;
  outcome: EvictionOutcome;
  /** The budget consulted, if any. */
  budget?: string;
  /** `deleteOptions.dryRun: ['All']`: everything was checked, nothing written. */
  dryRun: boolean;
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Upstream's `canIgnorePDB`: such a pod's disruption already happened (or has not started). */
function canIgnoreBudget(pod: Pod): boolean {
  return isTerminal(pod) || pod.status?.phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
}

/** Upstream's `shouldEnforceResourceVersion`: pin the version unless the pod can no longer become healthy. */
function shouldPinVersion(pod: Pod): boolean {
  return !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

function deleteOptionsOf(options: EvictionDeleteOptions | undefined, namespace: string): DeleteOptions {
  return {
    namespace,
    ...(options?.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    ...(options?.propagationPolicy === undefined ? {} : { propagationPolicy: options.propagationPolicy }),
    ...(options?.preconditions === undefined ? {} : { preconditions: { ...options.preconditions } }),
    reason: 'evicted',
  };
}

function pinned(options: DeleteOptions, resourceVersion: string): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, resourceVersion } };
}

/** Upstream's `addConditionAndDeletePod`: mark `DisruptionTarget`, then delete. */
async function markAndDelete(store: Store, pod: Pod, options: DeleteOptions): Promise<Pod> {
  const marked = await markDisruptionTarget(store, pod, options.preconditions);
  const rv = options.preconditions?.resourceVersion;
  const deleteOptions = rv === undefined ? options : pinned(options, marked.metadata.resourceVersion);
  return store.delete(Pod, pod.metadata.name, deleteOptions);
}

/**
 * Evicts a pod, as `POST /api/v1/namespaces/{ns}/pods/{name}/eviction` does:
 *
 * - a terminal (Succeeded/Failed), Pending or terminating pod is deleted at
 *   once, budgets unread;
 * - more than one budget selecting the pod: {@link MultipleDisruptionBudgetsError} (500);
 * - a pod that is not Ready goes without spending a disruption when its
 *   budget says `unhealthyPodEvictionPolicy: AlwaysAllow`, or when the budget
 *   is met (`currentHealthy >= desiredHealthy > 0`); the deletion is pinned to
 *   the pod's resourceVersion, so a pod that became Ready meanwhile is refused (429);
 * - otherwise the budget must have been observed for its generation and
 *   allow a disruption: one is taken and the pod recorded in
 *   `status.disruptedPods`, a status write conditional on the budget's
 *   resourceVersion (a conflict re-reads and retries, up to 20 times);
 * - then the pod gets the `DisruptionTarget` condition (reason
 *   `EvictionByEvictionAPI`) and is deleted with the eviction's
 *   `deleteOptions` (grace period, preconditions, propagation policy).
 *
 * @example
 * ```ts
 * await evictPod(store, { metadata: { name: 'web-1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });
 * ```
 * @throws {ValidationError} when the eviction is malformed (nothing written).
 * @throws {NotFoundError} when there is no such pod.
 * @throws {TooManyRequestsError} (429) when the budget forbids it now, or has not caught up with its spec: retry later.
 * @throws {MultipleDisruptionBudgetsError} (500) when several budgets select the pod.
 * @throws {ConflictError} when the eviction's preconditions do not hold.
 */
export async function evictPod(store: Store, eviction: unknown): Promise<EvictionResult> {
  const parsed = parseEviction(eviction);
  const namespace = parsed.metadata.namespace ?? 'default';
  const name = parsed.metadata.name;
  const dryRun = parsed.deleteOptions?.dryRun?.includes('All') ?? false;
  const original = deleteOptionsOf(parsed.deleteOptions, namespace);
  const callerPinned = original.preconditions?.resourceVersion !== undefined;

  let pod: Pod | undefined;
  for (let attempt = 1; ; attempt++) {
    pod = await store.get(Pod, name, { namespace });
    if (!canIgnoreBudget(pod)) break;
    if (dryRun) return { pod, outcome: 'BudgetIgnored', dryRun };
    const options = shouldPinVersion(pod) && !callerPinned ? pinned(original, pod.metadata.resourceVersion) : original;
    try {
      return { pod: await markAndDelete(store, pod, options), outcome: 'BudgetIgnored', dryRun };
    } catch (error) {
      if (callerPinned || !isKeelsonError(error, 'Conflict') || attempt >= EVICTION_RETRY_STEPS) throw error;
      // The winning write may not be applied here yet: wait, and catch up, before reading the pod again.
      await pause(store);
      await store.sync();
    }
  }

  const budgets = guardingBudgets(pod, (await store.list(PodDisruptionBudget, { namespace })).items);
  if (budgets.length > 1) {
    throw new MultipleDisruptionBudgetsError(
      `${namespace}/${name}`,
      budgets.map((b) => b.metadata.name),
    );
  }
  let pdb = budgets[0];
  let outcome: EvictionOutcome = 'NoBudget';
  let pinToPod = false;
  if (pdb !== undefined) {
    const status = pdb.status;
    const alwaysAllow = pdb.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    const budgetMet =
      status !== undefined && status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0;
    if (!isPodReady(pod) && (alwaysAllow || budgetMet)) {
      outcome = 'UnhealthyPodDeleted';
      pinToPod = true;
    } else {
      outcome = 'BudgetDecremented';
      for (let attempt = 1; ; attempt++) {
        try {
          await checkAndDecrement(store, pdb, name, dryRun);
          break;
        } catch (error) {
          if (!isKeelsonError(error, 'Conflict')) throw error;
          if (attempt >= EVICTION_RETRY_STEPS) {
            throw new TimeoutError(`couldn't update PodDisruptionBudget "${pdb.metadata.name}" due to conflicts`);
          }
          await pause(store);
          pdb = await refreshBudget(store, pdb);
        }
      }
    }
  }
  const base = { outcome, dryRun, ...(pdb === undefined ? {} : { budget: pdb.metadata.name }) };
  if (dryRun) return { pod, ...base };
  const options = pinToPod && !callerPinned ? pinned(original, pod.metadata.resourceVersion) : original;
  try {
    return { pod: await markAndDelete(store, pod, options), ...base };
  } catch (error) {
    // The unready pod changed (maybe became Ready) since it was read: the client should retry the eviction.
    if (pdb !== undefined && pinToPod && !callerPinned && isKeelsonError(error, 'Conflict')) {
      throw budgetStillProcessing(pdb);
    }
    throw error;
  }
}
