/** Pieces every workload controller shares: controller references, expectations, slow start, pod questions. */
export type { ClaimOptions, OwnerLike } from './controllerRef';
export { claimCandidates, claimObjects, controllerOf, controllerRefTo, isControlledBy } from './controllerRef';
export type { ObservedState } from './expectations';
export { EXPECTATIONS_TIMEOUT_MS, Expectations } from './expectations';
export { observedPods } from './observedPods';
export type { SelectingOwner } from './ownerSelectors';
export { ownerSelector, ownersSelecting, requestFor } from './ownerSelectors';
export type { PodFromTemplateOptions, PodManifest } from './pods';
export {
  generatedNamePrefix,
  isPodActive,
  isPodAvailable,
  isPodReadyNow,
  podAvailableAt,
  podFromTemplate,
  podReadySince,
} from './pods';
export { deletePodWithRetry, errorMessage } from './podWrites';
export type { SlowStartResult } from './slowStart';
export { BURST_REPLICAS, SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch, slowStartBatchSizes } from './slowStart';
