export {
  conditionSchema,
  conditionStatusSchema,
  deploymentConditionSchema,
  hpaConditionSchema,
  jobConditionSchema,
  metaConditionSchema,
  nodeConditionSchema,
  podConditionSchema,
} from './condition';
export {
  base64Problem,
  configKeyProblem,
  encodeBase64,
  MAX_CONFIG_DATA_BYTES,
} from './configData';
export { ConfigMap, configMapFieldsSchema } from './configMap';
export type { Container, ContainerInput } from './container';
export {
  containerPortSchema,
  containerSchema,
  defaultImagePullPolicy,
  envVarSchema,
  lifecycleHandlerSchema,
  lifecycleSchema,
  resourceRequirementsSchema,
  volumeMountSchema,
} from './container';
export { ControllerRevision, controllerRevisionFieldsSchema } from './controllerRevision';
export {
  CRONJOB_MAX_NAME_LENGTH,
  CronJob,
  cronJobSpecSchema,
  cronJobStatusSchema,
  invalidTimeZone,
  jobTemplateSpecSchema,
  parseCronSchedule,
} from './cronJob';
export { DaemonSet, daemonSetSpecSchema, daemonSetStatusSchema, daemonSetUpdateStrategySchema } from './daemonSet';
export { Deployment, deploymentSpecSchema, deploymentStatusSchema, deploymentStrategySchema } from './deployment';
export { EndpointSlice, endpointSliceFieldsSchema } from './endpointSlice';
export { Event, eventFieldsSchema } from './event';
export type { Eviction, EvictionDeleteOptions, EvictionInput } from './eviction';
export { deleteOptionsSchema, evictionSchema, parseEviction } from './eviction';
export {
  crossVersionObjectReferenceSchema,
  HorizontalPodAutoscaler,
  hpaScalingPolicySchema,
  hpaScalingRulesSchema,
  hpaSpecSchema,
  hpaStatusSchema,
  metricSpecSchema,
  metricStatusSchema,
  metricTargetSchema,
} from './horizontalPodAutoscaler';
export { JOB_CONTROLLER_UID_LABEL, JOB_NAME_LABEL, Job, jobSpecSchema, jobStatusSchema } from './job';
export type { LabelSelectorSpec } from './labelSelector';
export { labelSelectorSchema, selectorIssues } from './labelSelector';
export { Lease, leaseSpecSchema } from './lease';
export { NAMESPACE_NAME_LABEL, Namespace, namespaceSpecSchema, namespaceStatusSchema } from './namespace';
export { Node, nodeSpecSchema, nodeStatusSchema } from './node';
export {
  accessModeSchema,
  PERSISTENT_VOLUME_SOURCES,
  PersistentVolume,
  persistentVolumePhaseSchema,
  persistentVolumeSpecSchema,
  persistentVolumeStatusSchema,
  volumeModeSchema,
} from './persistentVolume';
export {
  claimSpecIssues,
  PersistentVolumeClaim,
  persistentVolumeClaimPhaseSchema,
  persistentVolumeClaimSpecSchema,
  persistentVolumeClaimStatusSchema,
  typedLocalObjectReferenceSchema,
} from './persistentVolumeClaim';
export type { PodObject } from './pod';
export { Pod, podObjectSpecSchema } from './pod';
export {
  DISRUPTION_ALLOWED_CONDITION,
  DisruptionAllowedReason,
  PodDisruptionBudget,
  podDisruptionBudgetSpecSchema,
  podDisruptionBudgetStatusSchema,
} from './podDisruptionBudget';
export type { PodSchedulingGate, PodSpec, PodSpecInput } from './podSpec';
export { podSchedulingGateSchema, podSpecSchema } from './podSpec';
export type { ContainerStatus, PodPhase, PodStatus, QOSClass } from './podStatus';
export { podStatusSchema } from './podStatus';
export type { PodTemplateSpec } from './podTemplate';
export { podTemplateSpecSchema } from './podTemplate';
export { formatMicroTime, intOrPercent, quantity, resourceList, scaledValue } from './primitives';
export type { Probe } from './probe';
export { probeSchema } from './probe';
export { ReplicaSet, replicaSetSpecSchema, replicaSetStatusSchema } from './replicaSet';
export type { Affinity, Taint, Toleration } from './scheduling';
export { affinitySchema, taintSchema, tolerationSchema } from './scheduling';
export { Secret, SecretType, secretFieldsSchema } from './secret';
export { DEFAULT_CLIENT_IP_AFFINITY_SECONDS, Service, serviceSpecSchema, serviceStatusSchema } from './service';
export {
  StatefulSet,
  statefulSetSpecSchema,
  statefulSetStatusSchema,
  statefulSetUpdateStrategySchema,
  volumeClaimTemplateSchema,
} from './statefulSet';
export { StorageClass, storageClassFieldsSchema, topologySelectorTermSchema } from './storageClass';
export type { Volume } from './volume';
export { volumeSchema } from './volume';
