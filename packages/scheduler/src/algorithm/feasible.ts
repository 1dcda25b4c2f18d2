/**
 * Finding the nodes a pod fits (kube-scheduler's `findNodesThatFitPod`):
 * PreFilter once, then Filter node by node from where the previous pod
 * stopped, until enough feasible nodes are found
 * (`percentageOfNodesToScore`).
 */
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { errorStatus, type Status, unresolvable, withPlugin } from '../framework/status';
import type { ClusterView, Plugin, PreFilterResult } from '../framework/types';
import type { Framework } from '../profile/framework';

/** Below this many nodes every node is checked; above it, at least this many are found. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to find before scoring, as kube-scheduler computes
 * it: all below 100 nodes; else `configured` percent, or when that is 0
 * `max(5, 50 − N/125)` percent; never fewer than 100.
 */
export function numFeasibleNodesToFind(configured: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = configured;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
}

/** What filtering found. */
export interface FeasibleNodes {
  readonly feasible: NodeInfo[];
  /** Each rejected node's status (nodes never checked are absent). */
  readonly statuses: Map<string, Status>;
  /** Set when PreFilter rejected the pod on every node: its reasons. */
  readonly preFilterMessage?: string;
  /** Set when a plugin failed with an error: the attempt fails, the pod is retried. */
  readonly error?: Status;
}

/** Where the next pod's scan starts (round-robin over the node list) and how nominated pods are found. */
export interface FilterContext {
  readonly framework: Framework;
  readonly cluster: ClusterView;
  cursor: number;
  /** When set, the feasible nodes are collected here (reused: valid until the next cycle). */
  readonly feasibleBuffer?: NodeInfo[];
  /** Pods nominated to nodes (by preemption) that lower-or-equal priority pods must leave room for. */
  readonly nominator?: { readonly size: number; podsOn(nodeName: string): readonly PodInfo[] };
}

function isPreFilterResult(value: unknown): value is PreFilterResult {
  return typeof value === 'object' && value !== null && 'nodeNames' in value;
}

function runPreFilter(
  ctx: FilterContext,
  state: CycleState,
  pod: PodInfo,
): { nodeNames?: Set<string>; narrowedBy: string[]; status?: Status } {
  let nodeNames: Set<string> | undefined;
  const narrowedBy: string[] = [];
  for (const plugin of ctx.framework.profile.points.preFilter) {
    let result: ReturnType<NonNullable<Plugin['preFilter']>>;
    try {
      result = (plugin.preFilter as NonNullable<Plugin['preFilter']>)(state, pod, ctx.cluster.nodes);
    } catch (error) {
      return { narrowedBy, status: withPlugin(errorStatus(error), plugin.name) };
    }
    if (isPreFilterResult(result)) {
      narrowedBy.push(plugin.name);
      nodeNames =
        nodeNames === undefined
          ? new Set(result.nodeNames)
          : new Set([...nodeNames].filter((n) => result.nodeNames.has(n)));
      continue;
    }
    if (result === undefined || result.code === 'Success') continue;
    if (result.code === 'Skip') {
      state.skipFilter.add(plugin.name);
      continue;
    }
    return { narrowedBy, status: withPlugin(result, plugin.name) };
  }
  return nodeNames === undefined ? { narrowedBy } : { nodeNames, narrowedBy };
}

/** Runs the filters on `node`, counting the pods nominated to it that have at least the pod's priority. */
function filterNode(ctx: FilterContext, state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined {
  const nominator = ctx.nominator;
  const nominated = nominator !== undefined && nominator.size > 0 ? nominator.podsOn(node.name) : undefined;
  if (nominated !== undefined && nominated.length > 0) {
    const higher = nominated.filter((other) => other.key !== pod.key && other.priority >= pod.priority);
    if (higher.length > 0) {
      const what = state.clone();
      const withNominated = node.clone();
      for (const other of higher) {
        withNominated.addPod(other);
        const added = ctx.framework.runPreFilterExtension('addPod', what, pod, other, withNominated);
        if (added !== undefined) return added;
      }
      const status = ctx.framework.runFilters(what, pod, withNominated);
      if (status !== undefined) return status;
    }
  }
  return ctx.framework.runFilters(state, pod, node);
}

/** PreFilter and Filter for one pod. */
export function findFeasibleNodes(ctx: FilterContext, state: CycleState, pod: PodInfo): FeasibleNodes {
  const statuses = new Map<string, Status>();
  const all = ctx.cluster.nodes;
  const pre = runPreFilter(ctx, state, pod);
  if (pre.status !== undefined) {
    if (pre.status.code === 'Error') return { feasible: [], statuses, error: pre.status };
    for (const node of all) statuses.set(node.name, pre.status);
    return { feasible: [], statuses, preFilterMessage: pre.status.reasons.join(', ') };
  }
  let candidates: readonly NodeInfo[] = all;
  if (pre.nodeNames !== undefined) {
    const names = pre.nodeNames;
    candidates = all.filter((node) => names.has(node.name));
    const absent = unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`);
    for (const node of all) if (!names.has(node.name)) statuses.set(node.name, absent);
  }

  // A pod nominated by preemption tries its nominated node first.
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    const node = ctx.cluster.get(nominated);
    if (node !== undefined && candidates.includes(node) && filterNode(ctx, state, pod, node) === undefined) {
      return { feasible: [node], statuses };
    }
  }

  const n = candidates.length;
  const wanted = numFeasibleNodesToFind(ctx.framework.profile.percentageOfNodesToScore, n);
  const feasible: NodeInfo[] = ctx.feasibleBuffer ?? [];
  feasible.length = 0;
  const start = n === 0 ? 0 : ctx.cursor % n;
  let processed = 0;
  for (; processed < n && feasible.length < wanted; processed++) {
    const node = candidates[(start + processed) % n] as NodeInfo;
    const status = filterNode(ctx, state, pod, node);
    if (status === undefined) {
      feasible.push(node);
    } else if (status.code === 'Error') {
      return { feasible: [], statuses, error: status };
    } else {
      statuses.set(node.name, status);
    }
  }
  if (n > 0) ctx.cursor = (start + processed) % n;
  return { feasible, statuses };
}
