export {
  DELETION_BY_TAINT_MANAGER_REASON,
  KUBELET_NODE_CONDITIONS,
  markDisruptionTarget,
  markNodeStatusUnknown,
  markPodNotReady,
  NODE_STATUS_NEVER_UPDATED_REASON,
  NODE_STATUS_UNKNOWN_REASON,
} from './conditions';
export type { GracePeriods, HeartbeatLease, HeartbeatNode, HeartbeatRecord } from './heartbeat';
export { gracePeriodFor, heartbeatExpired, lastHeartbeat, observeHeartbeat } from './heartbeat';
export type { NodeLifecycleController } from './nodeLifecycleController';
export { createNodeLifecycleController } from './nodeLifecycleController';
export type { NodeLifecycleOptions } from './options';
export {
  DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
  DEFAULT_NODE_MONITOR_PERIOD_MS,
  DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS,
  NODE_LEASE_NAMESPACE,
} from './options';
export type { ReconcileTaintsOptions, TaintedNode } from './taints';
export {
  DISK_PRESSURE_TAINT,
  MEMORY_PRESSURE_TAINT,
  NETWORK_UNAVAILABLE_TAINT,
  noExecuteTaintKey,
  noScheduleTaintKeys,
  PID_PRESSURE_TAINT,
  reconcileNodeTaints,
  UNSCHEDULABLE_TAINT,
} from './taints';
export type { TaintLike, TolerationLike } from './tolerations';
export { evictionTime, matchingToleration, tolerates, toleratesTaint } from './tolerations';
