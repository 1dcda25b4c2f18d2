/**
 * `@keelson/node-agent`: Keelson's kubelet. It registers a Node, renews its
 * Lease and runs the pods bound to it through CRI.
 *
 * @packageDocumentation
 */

export type { Rejection } from './admission';
export { admitPod } from './admission';
export { Backoff, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './backoff';
export type { NodeAgent, NodeAgentOptions } from './createNodeAgent';
export { createNodeAgent } from './createNodeAgent';
export {
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_NAMESPACE,
  NODE_LEASE_RENEW_INTERVAL_MS,
  renewNodeLease,
} from './lease';
export type { PodSyncOperation } from './metrics';
export { POD_STARTUP_BUCKETS } from './metrics';
export { HOSTNAME_LABEL, NODE_STATUS_REPORT_MS, NODE_STATUS_UPDATE_MS } from './node';
export { RELIST_PERIOD_MS } from './runtimeEvents';
export type { PodSpecView, PodStatusInput } from './status';
export { computePodStatus, podPhaseOf } from './status';
export { KUBELET_ROOT } from './volumes/atomicWriter';
export { MOUNT_TIMEOUT_MS, VOLUME_RESYNC_PERIOD_MS } from './volumes/podVolumes';
