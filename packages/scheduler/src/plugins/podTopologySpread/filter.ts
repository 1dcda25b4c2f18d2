/**
 * PodTopologySpread's PreFilter and Filter (the `DoNotSchedule` constraints),
 * as Kubernetes' `podtopologyspread/filtering.go`: PreFilter counts the
 * matching pods per topology domain over the eligible nodes; Filter rejects a
 * node when `count(domain) + selfMatch − globalMin > maxSkew`.
 */
import type { Pod } from '@keelson/api';
import type { Cloneable } from '../../framework/cycleState';
import type { NodeInfo } from '../../framework/nodeInfo';
import { type PluginResult, unresolvable, unschedulable } from '../../framework/status';
import {
  hasAllTopologyKeys,
  type InclusionContext,
  includesNode,
  type SpreadConstraint,
  topologyValue,
} from './constraints';
import { countMatchingPods } from './counts';

/** Kubernetes' reason when the skew would exceed `maxSkew`. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Kubernetes' reason when the node lacks a constraint's topology key. */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

// Shared, frozen statuses: a rejection allocates nothing either.
const CONSTRAINTS_NOT_MATCH = unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
const NODE_LABEL_NOT_MATCH = unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);

/**
 * Matching pods per domain for each hard constraint, and each constraint's
 * minimum. Preemption clones it and adds / removes victims.
 */
export class SpreadFilterState implements Cloneable<SpreadFilterState> {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** 1 where the incoming pod matches the constraint's own selector. */
    readonly selfMatch: readonly number[],
    /** Per constraint: topology value → matching pods. */
    readonly counts: Map<string, number>[],
    /** Per constraint: the smallest count among its domains (Infinity when it has none). */
    readonly minimums: number[],
    readonly namespace: string,
    readonly inclusion: InclusionContext,
  ) {}

  /** The global minimum: 0 while fewer than `minDomains` domains are eligible. */
  globalMinimum(i: number): number {
    const constraint = this.constraints[i] as SpreadConstraint;
    const counts = this.counts[i] as Map<string, number>;
    return counts.size < constraint.minDomains ? 0 : (this.minimums[i] as number);
  }

  clone(): SpreadFilterState {
    return new SpreadFilterState(
      this.constraints,
      this.selfMatch,
      this.counts.map((counts) => new Map(counts)),
      [...this.minimums],
      this.namespace,
      this.inclusion,
    );
  }

  /** Counts `pod` on `node` in (`delta` 1) or out (`delta` −1): Kubernetes' `updateWithPod`. */
  update(pod: Pod, nodeInfo: NodeInfo, delta: 1 | -1): void {
    if ((pod.metadata.namespace ?? '') !== this.namespace) return;
    if (!hasAllTopologyKeys(nodeInfo.node.metadata.labels, this.constraints)) return;
    for (let i = 0; i < this.constraints.length; i++) {
      const constraint = this.constraints[i] as SpreadConstraint;
      if (!constraint.selector.matches(pod.metadata.labels)) continue;
      if (!includesNode(constraint, nodeInfo, this.inclusion)) continue;
      const value = topologyValue(nodeInfo, constraint.topologyKey) ?? '';
      const counts = this.counts[i] as Map<string, number>;
      counts.set(value, (counts.get(value) ?? 0) + delta);
      this.minimums[i] = minimumOf(counts);
    }
  }
}

function minimumOf(counts: ReadonlyMap<string, number>): number {
  let minimum = Number.POSITIVE_INFINITY;
  for (const count of counts.values()) if (count < minimum) minimum = count;
  return minimum;
}

/**
 * Counts matching pods per domain over `nodes` that carry every topology key
 * and pass each constraint's inclusion policies (Kubernetes' `calPreFilterState`).
 */
export function computeSpreadFilterState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  nodes: readonly NodeInfo[],
  inclusion: InclusionContext,
): SpreadFilterState {
  const namespace = pod.metadata.namespace ?? '';
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of nodes) {
    if (!hasAllTopologyKeys(node.node.metadata.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const constraint = constraints[i] as SpreadConstraint;
      if (!includesNode(constraint, node, inclusion)) continue;
      const value = topologyValue(node, constraint.topologyKey) ?? '';
      const domain = counts[i] as Map<string, number>;
      domain.set(value, (domain.get(value) ?? 0) + countMatchingPods(node, constraint.selector, namespace));
    }
  }
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0));
  return new SpreadFilterState(constraints, selfMatch, counts, counts.map(minimumOf), namespace, inclusion);
}

/** Filter: whether placing the pod on `node` keeps every hard constraint's skew within `maxSkew`. */
export function filterSpread(state: SpreadFilterState, node: NodeInfo): PluginResult {
  const labels = node.node.metadata.labels;
  const constraints = state.constraints;
  for (let i = 0; i < constraints.length; i++) {
    const constraint = constraints[i] as SpreadConstraint;
    const value: unknown = labels?.[constraint.topologyKey];
    if (typeof value !== 'string') return NODE_LABEL_NOT_MATCH;
    const matching = (state.counts[i] as Map<string, number>).get(value) ?? 0;
    const skew = matching + (state.selfMatch[i] as number) - state.globalMinimum(i);
    if (skew > constraint.maxSkew) return CONSTRAINTS_NOT_MATCH;
  }
  return undefined;
}
