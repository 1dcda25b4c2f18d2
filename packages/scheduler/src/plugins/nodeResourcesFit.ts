/**
 * NodeResourcesFit (score weight 1 in the default profile): the pod fits a
 * node when the node has room for one more pod and, for every resource the
 * pod requests, allocatable − requested covers the request; it scores nodes
 * by a configurable strategy (LeastAllocated by default, MostAllocated,
 * RequestedToCapacityRatio). A request larger than the node's whole
 * allocatable makes the rejection UnschedulableAndUnresolvable (preemption
 * cannot help there), as current kube-scheduler does (kubernetes#131345).
 */
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { type PluginResult, unresolvable, unschedulable } from '../framework/status';
import type { ClusterEventKind, PluginFactory } from '../framework/types';
import { ResourceAllocationScorer } from './resourceAllocation';
import { type ResolvedFitArgs, resolveFitArgs } from './resourceArgs';
import { isExtendedResourceName } from './resourceNames';
import {
  leastAllocatedScorer,
  mostAllocatedScorer,
  type ResourceScorer,
  requestedToCapacityRatioScorer,
} from './resourceScoring';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

const PRE_FILTER_KEY = `PreFilter${NODE_RESOURCES_FIT}`;
const PRE_SCORE_KEY = `PreScore${NODE_RESOURCES_FIT}`;

/** What the filter checks of a pod: its non-zero requests, minus ignored extended resources. */
export interface FitRequest {
  readonly milliCpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Scalar resources to check, parallel to {@link scalarAmounts}. */
  readonly scalarNames: readonly string[];
  readonly scalarAmounts: readonly number[];
}

/** One resource the node is short of (kube-scheduler's `InsufficientResource`). */
export interface InsufficientResource {
  /** `pods`, `cpu`, `memory`, `ephemeral-storage` or the scalar resource's name. */
  readonly resourceName: string;
  /** Kubernetes' reason string: `Too many pods`, `Insufficient cpu`, … */
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The request exceeds the node's whole allocatable: evicting pods cannot make room. */
  readonly unresolvable: boolean;
}

/** Which extended resources the filter does not check (args `ignoredResources`, `ignoredResourceGroups`). */
export interface IgnoredResources {
  readonly ignoredResources: ReadonlySet<string>;
  readonly ignoredResourceGroups: ReadonlySet<string>;
}

const NOTHING_IGNORED: IgnoredResources = { ignoredResources: new Set(), ignoredResourceGroups: new Set() };

function ignored(name: string, ignore: IgnoredResources): boolean {
  if (!isExtendedResourceName(name)) return false;
  if (ignore.ignoredResources.has(name)) return true;
  return ignore.ignoredResourceGroups.size > 0 && ignore.ignoredResourceGroups.has(name.slice(0, name.indexOf('/')));
}

/** The pod's request as the filter checks it (computed once per cycle, in PreFilter). */
export function fitRequestOf(pod: PodInfo, ignore: IgnoredResources = NOTHING_IGNORED): FitRequest {
  const scalarNames: string[] = [];
  const scalarAmounts: number[] = [];
  for (const [name, amount] of pod.requests.scalar) {
    // `pods` is the node's pod count, checked on its own; a zero request never fails.
    if (amount === 0 || name === 'pods' || ignored(name, ignore)) continue;
    scalarNames.push(name);
    scalarAmounts.push(amount);
  }
  const { milliCpu, memory, ephemeralStorage } = pod.requests;
  return { milliCpu, memory, ephemeralStorage, scalarNames, scalarAmounts };
}

function insufficient(
  list: InsufficientResource[] | undefined,
  resourceName: string,
  reason: string,
  requested: number,
  used: number,
  capacity: number,
): InsufficientResource[] {
  const out = list ?? [];
  out.push({ resourceName, reason, requested, used, capacity, unresolvable: requested > capacity });
  return out;
}

/**
 * Every resource `node` is short of for `request` (kube-scheduler's
 * `fitsRequest`), or `undefined` when the pod fits. Allocates nothing when
 * the pod fits.
 */
export function insufficientResources(request: FitRequest, node: NodeInfo): InsufficientResource[] | undefined {
  let out: InsufficientResource[] | undefined;
  const allocatable = node.allocatable;
  const used = node.requested;
  if (node.podCount + 1 > allocatable.pods) {
    out = [
      {
        resourceName: 'pods',
        reason: 'Too many pods',
        requested: 1,
        used: node.podCount,
        capacity: allocatable.pods,
        unresolvable: false,
      },
    ];
  }
  if (request.milliCpu > 0 && request.milliCpu > allocatable.milliCpu - used.milliCpu) {
    out = insufficient(out, 'cpu', 'Insufficient cpu', request.milliCpu, used.milliCpu, allocatable.milliCpu);
  }
  if (request.memory > 0 && request.memory > allocatable.memory - used.memory) {
    out = insufficient(out, 'memory', 'Insufficient memory', request.memory, used.memory, allocatable.memory);
  }
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - used.ephemeralStorage) {
    out = insufficient(
      out,
      'ephemeral-storage',
      'Insufficient ephemeral-storage',
      request.ephemeralStorage,
      used.ephemeralStorage,
      allocatable.ephemeralStorage,
    );
  }
  for (let i = 0; i < request.scalarNames.length; i++) {
    const name = request.scalarNames[i] as string;
    const amount = request.scalarAmounts[i] as number;
    const capacity = allocatable.scalar.get(name) ?? 0;
    const inUse = used.scalar.get(name) ?? 0;
    if (amount > capacity - inUse) out = insufficient(out, name, `Insufficient ${name}`, amount, inUse, capacity);
  }
  return out;
}

/** The filter's verdict for a list of shortages: all reasons; unresolvable when any shortage is. */
export function fitStatus(shortages: readonly InsufficientResource[]): PluginResult {
  const reasons = shortages.map((shortage) => shortage.reason);
  return shortages.some((shortage) => shortage.unresolvable) ? unresolvable(...reasons) : unschedulable(...reasons);
}

function scorerFor(args: ResolvedFitArgs): ResourceScorer {
  switch (args.type) {
    case 'LeastAllocated':
      return leastAllocatedScorer(args.resources);
    case 'MostAllocated':
      return mostAllocatedScorer(args.resources);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(args.resources, args.shape);
  }
}

/**
 * Freed resources (a pod deleted or scaled down on a node) or a new or
 * changed node (allocatable) may make room.
 */
const EVENTS: readonly ClusterEventKind[] = ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete', 'AssignedPodUpdate'];

/**
 * Builds NodeResourcesFit from its args ({@link NodeResourcesFitArgs}).
 *
 * @example
 * ```ts
 * // Bin-pack: prefer the fullest nodes, weighting GPUs heavily.
 * const profile = {
 *   pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: {
 *     type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'nvidia.com/gpu', weight: 5 }] } } }],
 * };
 * ```
 */
export const nodeResourcesFit: PluginFactory = (args) => {
  const resolved = resolveFitArgs(args);
  const allocation = new ResourceAllocationScorer(resolved.resources, scorerFor(resolved), false);
  let lastFilterPod: PodInfo | undefined;
  let lastRequest: FitRequest | undefined;
  let lastScorePod: PodInfo | undefined;
  let lastPodRequests: number[] | undefined;
  return {
    name: NODE_RESOURCES_FIT,
    events: EVENTS,
    preFilter(state: CycleState, pod: PodInfo) {
      lastFilterPod = undefined;
      state.write(PRE_FILTER_KEY, fitRequestOf(pod, resolved));
      return undefined;
    },
    filter(state: CycleState, pod: PodInfo, node: NodeInfo) {
      // The request depends only on the pod: remember the last one instead of a state lookup per node.
      if (pod !== lastFilterPod) {
        lastFilterPod = pod;
        lastRequest = state.read<FitRequest>(PRE_FILTER_KEY) ?? fitRequestOf(pod, resolved);
      }
      const request = lastRequest as FitRequest;
      const shortages = insufficientResources(request, node);
      return shortages === undefined ? undefined : fitStatus(shortages);
    },
    preScore(state: CycleState, pod: PodInfo) {
      lastScorePod = undefined;
      state.write(PRE_SCORE_KEY, allocation.podRequests(pod));
      return undefined;
    },
    score(state: CycleState, pod: PodInfo, node: NodeInfo) {
      if (pod !== lastScorePod) {
        lastScorePod = pod;
        lastPodRequests = state.read<number[]>(PRE_SCORE_KEY) ?? allocation.podRequests(pod);
      }
      const podRequests = lastPodRequests as number[];
      return allocation.score(node, podRequests);
    },
  };
};

export type { NodeResourcesFitArgs } from './resourceArgs';
