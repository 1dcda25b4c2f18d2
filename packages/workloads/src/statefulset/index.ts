/** The StatefulSet controller and the pieces it is built from. */
export {
  POD_INDEX_LABEL,
  RECREATING_FAILED_POD_REASON,
  RECREATING_TERMINATED_POD_REASON,
  STATEFULSET_CONTROLLER_NAME,
  STATEFULSET_POD_NAME_LABEL,
} from './constants';
export type { ClaimManifest } from './identity';
export { claimName, claimsFor, parentAndOrdinal, statefulPodFor, statefulPodName } from './identity';
export { retentionOwnerRefs } from './podControl';
export type { SetRevisions } from './revisions';
export { hashRevision, revisionData, revisionName, revisionsToTruncate, sortRevisions, templateOf } from './revisions';
export { statefulSetController } from './statefulSetController';
export type { StatefulSetCounts } from './status';
export { completeRollingUpdate, countPods } from './status';
export { maxUnavailableOf } from './updateSet';
