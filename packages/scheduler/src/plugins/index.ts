/** The in-tree plugins: names, factories, args types and the hooks some of them take. */
export { balancedAllocation, NODE_RESOURCES_BALANCED_ALLOCATION } from './balancedAllocation';
export { DEFAULT_BINDER, defaultBinder } from './defaultBinder';
export { DEFAULT_PREEMPTION, defaultPreemption, type PreemptionCandidate, pickCandidate } from './defaultPreemption';
export type { NodeAffinityArgs } from './helpers/nodeAffinityArgs';
export { defaultNormalizeScore } from './helpers/normalize';
export { findUntoleratedTaint, tolerates } from './helpers/taints';
export { IMAGE_LOCALITY, imageLocality } from './imageLocality';
export type { InterPodAffinityArgs, InterPodAffinityOptions, NamespaceLabels } from './interPodAffinity/index';
export { createInterPodAffinity, INTER_POD_AFFINITY, interPodAffinity } from './interPodAffinity/index';
export { NODE_AFFINITY, nodeAffinity } from './nodeAffinity';
export { NODE_NAME, nodeName } from './nodeName';
export { NODE_PORTS, nodePorts } from './nodePorts';
export { NODE_RESOURCES_FIT, nodeResourcesFit } from './nodeResourcesFit';
export { NODE_UNSCHEDULABLE, nodeUnschedulable } from './nodeUnschedulable';
export type { PodTopologySpreadArgs, PodTopologySpreadOptions } from './podTopologySpread/index';
export { createPodTopologySpread, POD_TOPOLOGY_SPREAD, podTopologySpread } from './podTopologySpread/index';
export { PRIORITY_SORT, prioritySort } from './prioritySort';
export type {
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  ResourceSpecInput,
  ScoringStrategyType,
} from './resourceArgs';
export { SCHEDULING_GATES, schedulingGates } from './schedulingGates';
export { TAINT_TOLERATION, taintToleration } from './taintToleration';
export * from './volumes/index';
