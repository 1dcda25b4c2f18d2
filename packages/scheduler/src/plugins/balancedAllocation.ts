/**
 * NodeResourcesBalancedAllocation (score weight 1 in the default profile):
 * favours nodes whose resource usage, with the pod placed, is balanced across
 * the configured resources — score `(1 − std) × 100` of the fractions
 * requested / allocatable (each capped at 1), using the pods' actual requests
 * (not the 100m / 200Mi stand-ins). A pod that requests none of the resources
 * says nothing about balance: PreScore skips it, as kube-scheduler does since
 * kubernetes#130260.
 */
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { SKIP } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { ResourceAllocationScorer } from './resourceAllocation';
import { resolveBalancedAllocationArgs } from './resourceArgs';
import { balancedResourceScorer } from './resourceScoring';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

const PRE_SCORE_KEY = `PreScore${NODE_RESOURCES_BALANCED_ALLOCATION}`;

/**
 * Builds NodeResourcesBalancedAllocation from its args
 * ({@link NodeResourcesBalancedAllocationArgs}: `resources`, default cpu and
 * memory, every weight 1).
 *
 * @example
 * ```ts
 * // Balance GPUs too.
 * const args = { resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'nvidia.com/gpu' }] };
 * ```
 */
export const balancedAllocation: PluginFactory = (args) => {
  const allocation = new ResourceAllocationScorer(resolveBalancedAllocationArgs(args), balancedResourceScorer, true);
  return {
    name: NODE_RESOURCES_BALANCED_ALLOCATION,
    preScore(state: CycleState, pod: PodInfo) {
      const podRequests = allocation.podRequests(pod);
      if (ResourceAllocationScorer.requestsNothing(podRequests)) return SKIP;
      state.write(PRE_SCORE_KEY, podRequests);
      return undefined;
    },
    score(state: CycleState, pod: PodInfo, node: NodeInfo) {
      const podRequests = state.read<number[]>(PRE_SCORE_KEY) ?? allocation.podRequests(pod);
      return allocation.score(node, podRequests);
    },
  };
};

export type { NodeResourcesBalancedAllocationArgs } from './resourceArgs';
