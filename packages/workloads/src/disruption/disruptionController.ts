/**
 * The disruption controller (Kubernetes' `pkg/controller/disruption`): keeps
 * each PodDisruptionBudget's status — how many of its pods are healthy, how
 * many must stay healthy, and so how many the eviction subresource may take
 * — and forgets evictions whose pods were not deleted in time.
 */
import {
  Deployment,
  DISRUPTION_ALLOWED_CONDITION,
  DisruptionAllowedReason,
  Pod,
  PodDisruptionBudget,
  ReplicaSet,
  setCondition,
} from '@keelson/api';
import {
  type Cache,
  type Controller,
  defineController,
  type ReconcileContext,
  type Request,
  type Result,
  watchSource,
} from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import {
  type BudgetStatus,
  budgetSelects,
  conditionsUpToDate,
  countHealthyPods,
  desiredHealth,
  disruptionsAllowed,
  formatTime,
  needsScale,
  pruneDisruptedPods,
  withDisruptionAllowedCondition,
} from './budgetMath';
import { expectedScale, NoControllerError, type OwnerLookup } from './expectedScale';

/** The controller's name, as a manager lists it. */
export const DISRUPTION_CONTROLLER_NAME = 'disruption';

/** Options for {@link disruptionController} (none yet; the clock is the manager's). */
export type DisruptionControllerOptions = Record<string, never>;

/** Structural equality of JSON values, key order aside (stored objects and fresh ones order keys differently). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function requestFor(pdb: PodDisruptionBudget): Request {
  return { name: pdb.metadata.name, namespace: pdb.metadata.namespace ?? 'default' };
}

/** The pods each budget selected at its last sync, by `namespace/budget`: a pod relabelled away must still wake it. */
type SelectedPods = Map<string, Set<string>>;

const budgetKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/**
 * Upstream's `getPdbForPod`, widened to every budget selecting the pod, plus
 * those that selected it at their last sync (upstream's `updatePod` enqueues
 * the old pod's budget too, so a budget notices a pod relabelled away).
 */
function budgetsForPods(selected: SelectedPods): (pod: Pod, cache: Cache) => Request[] {
  return (pod, cache) =>
    cache
      .list(PodDisruptionBudget, { namespace: pod.metadata.namespace })
      .filter(
        (pdb) =>
          budgetSelects(pdb, pod) ||
          selected.get(budgetKey(pdb.metadata.namespace, pdb.metadata.name))?.has(pod.metadata.name) === true,
      )
      .map(requestFor);
}

/** A controller's scale changed: every budget of its namespace whose expected count comes from scale recounts. */
function budgetsNeedingScale(object: ReplicaSet | Deployment, cache: Cache): Request[] {
  return cache
    .list(PodDisruptionBudget, { namespace: object.metadata.namespace })
    .filter((pdb) => needsScale(pdb.spec))
    .map(requestFor);
}

function ownerLookup(cache: Cache): OwnerLookup {
  return {
    replicaSet: (namespace, name) => cache.get(ReplicaSet, name, namespace),
    deployment: (namespace, name) => cache.get(Deployment, name, namespace),
  };
}

/**
 * Upstream's `failSafe`: a budget the controller cannot compute allows no
 * disruption, with `DisruptionAllowed=False` / `SyncFailed` and the error as
 * the message. `observedGeneration` is left as it was.
 */
async function failSafe(pdb: PodDisruptionBudget, error: Error, context: ReconcileContext): Promise<void> {
  const status: BudgetStatus = {
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
    ...pdb.status,
  };
  status.disruptionsAllowed = 0;
  status.conditions = setCondition(
    status.conditions,
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: 'False',
      reason: DisruptionAllowedReason.SyncFailed,
      message: error.message,
      ...(status.observedGeneration === undefined ? {} : { observedGeneration: status.observedGeneration }),
    },
    formatTime(context.clock.now()),
  );
  if (jsonEqual(status, pdb.status)) return;
  await context.client.updateStatus({ ...pdb, status } as PodDisruptionBudget, {
    reason: 'disruption budget sync failed',
  });
}

/** Upstream's `trySync` + `updatePdbStatus`: one level-triggered pass over one budget. */
async function syncBudget(
  pdb: PodDisruptionBudget,
  context: ReconcileContext,
  selected: SelectedPods,
): Promise<Result | undefined> {
  const { cache, clock, recorder } = context;
  const pods = cache.list(Pod, { namespace: pdb.metadata.namespace }).filter((pod) => budgetSelects(pdb, pod));
  selected.set(budgetKey(pdb.metadata.namespace, pdb.metadata.name), new Set(pods.map((p) => p.metadata.name)));
  let unmanaged: string[] = [];
  let desired: { expectedPods: number; desiredHealthy: number };
  try {
    desired = desiredHealth(pdb.spec, pods.length, () => {
      const found = expectedScale(pods, ownerLookup(cache));
      unmanaged = found.unmanaged;
      return found.expectedPods;
    });
  } catch (error) {
    if (!(error instanceof NoControllerError)) throw error;
    await recorder?.event(
      pdb,
      'Warning',
      'CalculateExpectedPodCountFailed',
      `Failed to calculate the number of expected pods: ${error.message}`,
    );
    await failSafe(pdb, error, context);
    return undefined;
  }
  if (pods.length === 0) await recorder?.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
  if (unmanaged.length > 0) {
    await recorder?.event(
      pdb,
      'Warning',
      'UnmanagedPods',
      'Pods selected by this PodDisruptionBudget were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
  }
  const now = clock.now();
  const pruned = pruneDisruptedPods(pods, pdb.status?.disruptedPods, now);
  for (const name of pruned.expired) {
    const pod = pods.find((p) => p.metadata.name === name);
    if (pod !== undefined) {
      await recorder?.event(
        pod,
        'Warning',
        'NotDeleted',
        `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`,
      );
    }
  }
  const currentHealthy = countHealthyPods(pods, pruned.kept, now);
  const next: BudgetStatus = {
    currentHealthy,
    desiredHealthy: desired.desiredHealthy,
    expectedPods: desired.expectedPods,
    disruptionsAllowed: disruptionsAllowed(currentHealthy, desired.desiredHealthy, desired.expectedPods),
    ...(Object.keys(pruned.kept).length === 0 ? {} : { disruptedPods: pruned.kept }),
    observedGeneration: pdb.metadata.generation,
    ...(pdb.status?.conditions === undefined ? {} : { conditions: pdb.status.conditions }),
  };
  const old = pdb.status;
  const unchanged =
    old !== undefined &&
    old.currentHealthy === next.currentHealthy &&
    old.desiredHealthy === next.desiredHealthy &&
    old.expectedPods === next.expectedPods &&
    old.disruptionsAllowed === next.disruptionsAllowed &&
    jsonEqual(old.disruptedPods ?? {}, pruned.kept) &&
    conditionsUpToDate(pdb);
  if (!unchanged) {
    await context.client.updateStatus(
      { ...pdb, status: withDisruptionAllowedCondition(next, now) } as PodDisruptionBudget,
      {
        reason: 'disruption budget recounted',
      },
    );
  }
  return pruned.recheckAt === undefined ? undefined : { requeueAfter: Math.max(0, pruned.recheckAt - now) };
}

/**
 * The disruption controller, for a manager. For each budget it selects the
 * pods of its namespace, finds how many to expect (the pods themselves for
 * an integer `minAvailable`; otherwise the summed `spec.replicas` of their
 * controllers, pod → ReplicaSet → Deployment), counts the healthy ones (Ready,
 * not terminating, not just evicted) and writes `currentHealthy`,
 * `desiredHealthy`, `expectedPods`, `disruptionsAllowed`, `disruptedPods`,
 * `observedGeneration` and the `DisruptionAllowed` condition. A pod whose
 * controller cannot be found makes the budget allow nothing
 * (`DisruptionAllowed=False`, reason `SyncFailed`). Entries of
 * `disruptedPods` are dropped 2 minutes (`DeletionTimeout`) after the
 * eviction, on the manager's clock.
 *
 * @example
 * ```ts
 * manager.add(disruptionController());
 * ```
 */
export function disruptionController(_options: DisruptionControllerOptions = {}): Controller<PodDisruptionBudget> {
  const selected: SelectedPods = new Map();
  return defineController({
    name: DISRUPTION_CONTROLLER_NAME,
    for: PodDisruptionBudget,
    watches: [
      watchSource(Pod, budgetsForPods(selected)),
      watchSource(ReplicaSet, budgetsNeedingScale),
      watchSource(Deployment, budgetsNeedingScale),
    ],
    async reconcile(request, context) {
      const pdb = context.cache.get(PodDisruptionBudget, request.name, request.namespace);
      if (pdb === undefined) {
        selected.delete(budgetKey(request.namespace, request.name));
        return undefined;
      }
      try {
        return await syncBudget(pdb, context, selected);
      } catch (error) {
        // A conflict means a newer budget is on its way: requeue without the fail-safe, as upstream does.
        if (isKeelsonError(error, 'Conflict')) throw error;
        await failSafe(pdb, error as Error, context);
        throw error;
      }
    },
  });
}
