/**
 * The PodTopologySpread plugin: its factory, args and the policy functions
 * behind its Filter and Score.
 */
export type { DefaultingType, PodTopologySpreadArgs, PodTopologySpreadConfig } from './args';
export { parsePodTopologySpreadArgs, SYSTEM_DEFAULT_CONSTRAINTS } from './args';
export type { SpreadConstraint, TopologySpreadConstraintSpec, UnsatisfiableAction } from './constraints';
export { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filter';
export type { PodTopologySpreadOptions } from './plugin';
export { createPodTopologySpread, POD_TOPOLOGY_SPREAD, podTopologySpread } from './plugin';
export { topologyNormalizingWeight } from './score';
