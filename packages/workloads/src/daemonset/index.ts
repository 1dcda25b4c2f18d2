/** The DaemonSet controller and its placement and rollout policy. */
export {
  CONTROLLER_REVISION_HASH_LABEL,
  DAEMON_POD_TOLERATIONS,
  DAEMONSET_BURST_REPLICAS,
  FAILED_DAEMON_POD_REASON,
  HOST_NETWORK_TOLERATION,
  POD_TEMPLATE_GENERATION_LABEL,
} from './constants';
export type { DaemonPlacement } from './daemonPods';
export {
  daemonPodTolerations,
  daemonSetHash,
  isDaemonPodUpdated,
  nodeNameAffinity,
  nodeShouldRunDaemonPod,
  targetNodeName,
} from './daemonPods';
export type { DaemonSetControllerOptions } from './daemonSetController';
export { daemonSetController } from './daemonSetController';
export { daemonPodFor } from './daemonSetWrites';
export { FailedPodBackoff } from './failedPodBackoff';
export type { ManagePlan } from './managePlan';
export { planManage, surgeCount, unavailableCount } from './managePlan';
export type { RollingPlan } from './rollingPlan';
export { planRollingUpdate } from './rollingPlan';
export type { DaemonSetCounts } from './status';
export { daemonSetCounts } from './status';
