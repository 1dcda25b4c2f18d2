/** PodDisruptionBudgets: the disruption controller, the eviction subresource, cordon and drain. */
export type { BudgetSpec, BudgetStatus, PrunedDisruptions } from './budgetMath';
export {
  budgetSelects,
  conditionsUpToDate,
  countHealthyPods,
  DELETION_TIMEOUT_MS,
  desiredHealth,
  disruptionsAllowed,
  needsScale,
  pruneDisruptedPods,
  withDisruptionAllowedCondition,
} from './budgetMath';
export { cordonNode, uncordonNode } from './cordon';
export type { DisruptionControllerOptions } from './disruptionController';
export { DISRUPTION_CONTROLLER_NAME, disruptionController } from './disruptionController';
export { DISRUPTION_TARGET_CONDITION, EVICTION_BY_EVICTION_API } from './disruptionTarget';
export type { DrainFilterOptions, PodVerdict } from './drainFilters';
export { DrainMessage, drainVerdict, MIRROR_POD_ANNOTATION } from './drainFilters';
export type { DrainOptions, DrainProgress, DrainSummary } from './drainNode';
export { DELETE_POLL_INTERVAL_MS, drainNode, EVICTION_RETRY_INTERVAL_MS } from './drainNode';
export type { DrainFailure, DrainProblem } from './errors';
export { DrainFailedError, DrainRefusedError, DrainTimeoutError, MultipleDisruptionBudgetsError } from './errors';
export { EVICTION_REFUSED_MESSAGE, MAX_DISRUPTED_POD_SIZE } from './evictionBudget';
export type { EvictionOutcome, EvictionResult } from './evictPod';
export { EVICTION_CONFLICT_RETRY_MS, EVICTION_RETRY_STEPS, evictPod } from './evictPod';
export type { ControllerScale, ExpectedScale, OwnerLookup } from './expectedScale';
export { expectedScale, NoControllerError } from './expectedScale';
