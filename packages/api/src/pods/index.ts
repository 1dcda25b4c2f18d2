export type { PodReference } from './bindPod';
export { bindPod } from './bindPod';
export type { PodLike } from './podHelpers';
export { isPodReady, isPodTerminal, podPhase } from './podHelpers';
export { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, gracefulDeleteSeconds, podStrategy } from './podStrategy';
export { qosClassOf } from './qos';
export type { ContainerResources, PodResourcesSpec } from './resources';
export { containerRequests, podRequests } from './resources';
export {
  isSchedulingGated,
  POD_REASON_SCHEDULING_GATED,
  SCHEDULING_GATED_MESSAGE,
} from './schedulingGates';
