/**
 * The budget side of an eviction (upstream's `checkAndDecrement`): refuse
 * while the budget is stale or spent, else take one disruption from it and
 * record the pod as disrupted, so the controller does not count it as
 * healthy while its deletion is on its way.
 */
import { type Pod, PodDisruptionBudget } from '@keelson/api';
import { ForbiddenError, type Store, TooManyRequestsError } from '@keelson/core';
import { budgetSelects, formatTime, withDisruptionAllowedCondition } from './budgetMath';

/**
 * Upstream's `MaxDisruptedPodSize`: a budget with more evictions pending
 * than this refuses more, until the controller has caught up.
 */
export const MAX_DISRUPTED_POD_SIZE = 2000;

/** Kubernetes' message for an eviction a budget refuses. */
export const EVICTION_REFUSED_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/**
 * The budgets that guard a pod against eviction (upstream's
 * `getPodDisruptionBudgets`): those of its namespace whose selector matches
 * it, read as the controller reads them — policy/v1 lets an empty selector
 * select every pod of the namespace, a missing one none.
 */
export function guardingBudgets(pod: Pod, budgets: readonly PodDisruptionBudget[]): PodDisruptionBudget[] {
  return budgets.filter((pdb) => budgetSelects(pdb, pod));
}

/** The 429 of a budget the controller has not yet observed (upstream suggests a retry after 10 s). */
export function budgetStillProcessing(pdb: PodDisruptionBudget): TooManyRequestsError {
  return new TooManyRequestsError(EVICTION_REFUSED_MESSAGE, {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    name: pdb.metadata.name,
    retryAfterSeconds: 10,
    causes: [
      {
        type: 'DisruptionBudget',
        message: `The disruption budget ${pdb.metadata.name} is still being processed by the server.`,
      },
    ],
  });
}

/**
 * Checks the budget and, unless `dryRun`, writes it back with one disruption
 * fewer and `podName` in `disruptedPods` — conditional on the budget's
 * `resourceVersion`, so two evictions never spend the same disruption.
 *
 * @throws {TooManyRequestsError} when the status is stale (observedGeneration < generation) or no disruption is allowed.
 * @throws {ForbiddenError} when too many evictions await the controller.
 * @throws {ConflictError} when the budget changed since it was read: read it again and retry.
 */
export async function checkAndDecrement(
  store: Store,
  pdb: PodDisruptionBudget,
  podName: string,
  dryRun: boolean,
): Promise<void> {
  const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const name = pdb.metadata.name;
  if ((status.observedGeneration ?? 0) < pdb.metadata.generation) throw budgetStillProcessing(pdb);
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw new ForbiddenError(
      `poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
    );
  }
  if (status.disruptionsAllowed === 0) {
    throw new TooManyRequestsError(EVICTION_REFUSED_MESSAGE, {
      kind: 'PodDisruptionBudget',
      group: 'policy',
      name,
      retryAfterSeconds: 0,
      causes: [
        {
          type: 'DisruptionBudget',
          message: `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
        },
      ],
    });
  }
  if (dryRun) return;
  const now = store.clock.now();
  let next = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) next = withDisruptionAllowedCondition(next, now);
  next.disruptedPods = { ...status.disruptedPods, [podName]: formatTime(now) };
  await store.updateStatus({ ...pdb, status: next } as PodDisruptionBudget, { reason: `eviction of pod ${podName}` });
}

/**
 * Reads a budget again, for a retry after a conflict: first catching up
 * with the log, since the write that won may not be applied to this store
 * yet (a file or etcd log acknowledges before the store sees it) and a
 * stale read would only conflict again.
 */
export async function refreshBudget(store: Store, pdb: PodDisruptionBudget): Promise<PodDisruptionBudget> {
  await store.sync();
  return store.get(PodDisruptionBudget, pdb.metadata.name, { namespace: pdb.metadata.namespace });
}
