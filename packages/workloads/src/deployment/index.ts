/** The Deployment controller and the rollout policy it is made of. */
export type { Annotations, AnnotationUpdate, NewReplicaSetAnnotationsInput } from './annotations';
export {
  appendRevisionHistory,
  copyDeploymentAnnotations,
  intAnnotation,
  newReplicaSetAnnotations,
  replicasAnnotationsNeedUpdate,
  withReplicasAnnotations,
} from './annotations';
export type { ConditionStatus, DeploymentCondition } from './conditions';
export {
  getDeploymentCondition,
  newDeploymentCondition,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
} from './conditions';
export {
  ANNOTATIONS_NOT_COPIED,
  CHANGE_CAUSE_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  DeploymentReason,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  MAX_REVISION_HISTORY_CHARS,
  MAX_SYNC_RETRIES,
  POD_TEMPLATE_HASH_LABEL,
  RESTARTED_AT_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  SCALING_REPLICA_SET_REASON,
  UNLIMITED,
} from './constants';
export type { DeploymentControllerOptions } from './deploymentController';
export { deploymentController } from './deploymentController';
export { replicaSetsToCleanUp } from './history';
export {
  canonicalJson,
  equalIgnoreHash,
  podTemplateHash,
  safeEncodeString,
  templateWithoutHash,
} from './podTemplateHash';
export type { DeploymentStatus, ProgressDeployment, ReplicaSetWithConditions } from './progress';
export {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  progressCheckAfter,
  progressDeadlineAt,
  rolloutProgressStatus,
} from './progress';
export type { ScaleTarget, ScalingDeployment } from './proportion';
export { getProportion, isSaturated, proportionalScale, replicaSetFraction } from './proportion';
export type { ReplicaSetLike, ReplicaSetWithTemplate } from './replicaSets';
export {
  availableReplicas,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
  revisionOf,
} from './replicaSets';
export type { ScaleDownPlan, ScaleStep } from './rollingPlan';
export { planOldReplicaSetScaleDown } from './rollingPlan';
export { oldPodsRunning } from './rolloutRecreate';
export type { IntOrPercent, RolloutSpec } from './surge';
export { maxSurgeOf, maxUnavailableOf, minAvailableOf, newRSNewReplicas, resolveFenceposts } from './surge';
