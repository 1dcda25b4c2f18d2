/**
 * PodTopologySpread's PreScore, Score and NormalizeScore (the
 * `ScheduleAnyway` constraints), as Kubernetes' `podtopologyspread/scoring.go`:
 * a node's raw score is, summed over constraints, the matching pods in its
 * domain × log(domains + 2) + (maxSkew − 1); fewer is better, so
 * normalisation inverts it.
 */
import type { Pod } from '@keelson/api';
import type { NodeInfo } from '../../framework/nodeInfo';
import { MAX_NODE_SCORE } from '../../framework/types';
import {
  HOSTNAME_LABEL,
  hasAllTopologyKeys,
  type InclusionContext,
  includesNode,
  type SpreadConstraint,
  topologyValue,
} from './constraints';
import { countMatchingPods } from './counts';

/**
 * Kubernetes' weight for a topology with `size` domains, `ln(size + 2)`, so
 * that counts in small topologies are not watered down by big ones.
 */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** What PreScore leaves for Score and NormalizeScore. */
export interface SpreadScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Feasible nodes missing a topology key: scored 0 after normalisation. */
  readonly ignored: ReadonlySet<string>;
  /** Per constraint: topology value → matching pods (`undefined` for hostname constraints, counted in Score). */
  readonly counts: ReadonlyArray<Map<string, number> | undefined>;
  readonly weights: readonly number[];
  readonly namespace: string;
}

/**
 * Counts matching pods per domain, over every node that passes the inclusion
 * policies, for the domains of the feasible nodes (Kubernetes' PreScore).
 * `requireAllTopologies` is false only for system-defaulted constraints.
 */
export function computeSpreadScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  feasible: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  inclusion: InclusionContext,
  requireAllTopologies: boolean,
): SpreadScoreState {
  const namespace = pod.metadata.namespace ?? '';
  const ignored = new Set<string>();
  const counts = constraints.map((c) => (c.topologyKey === HOSTNAME_LABEL ? undefined : new Map<string, number>()));
  // Per constraint, the domains some feasible node is labelled with: Score reads only those,
  // so the '' domain of unlabelled nodes (system defaults) needs no counting.
  const labelled = constraints.map(() => new Set<string>());
  for (const node of feasible) {
    if (requireAllTopologies && !hasAllTopologyKeys(node.node.metadata.labels, constraints)) {
      ignored.add(node.name);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      const domain = counts[i];
      if (domain === undefined) continue;
      const label = topologyValue(node, (constraints[i] as SpreadConstraint).topologyKey);
      const value = label ?? '';
      if (!domain.has(value)) domain.set(value, 0);
      if (label !== undefined) (labelled[i] as Set<string>).add(label);
    }
  }
  const weights = constraints.map((c, i) =>
    topologyNormalizingWeight(
      c.topologyKey === HOSTNAME_LABEL ? feasible.length - ignored.size : (counts[i]?.size ?? 0),
    ),
  );
  if (labelled.every((values) => values.size === 0)) return { constraints, ignored, counts, weights, namespace };
  for (const node of allNodes) {
    if (requireAllTopologies && !hasAllTopologyKeys(node.node.metadata.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const constraint = constraints[i] as SpreadConstraint;
      const domain = counts[i];
      if (domain === undefined || !includesNode(constraint, node, inclusion)) continue;
      const value = topologyValue(node, constraint.topologyKey) ?? '';
      const current = domain.get(value);
      // Only domains that hold a labelled feasible node matter.
      if (current === undefined || !(labelled[i] as Set<string>).has(value)) continue;
      domain.set(value, current + countMatchingPods(node, constraint.selector, namespace));
    }
  }
  return { constraints, ignored, counts, weights, namespace };
}

/** Score: the weighted matching-pod count of the node's domains, rounded (lower is better). */
export function scoreSpread(state: SpreadScoreState, node: NodeInfo): number {
  if (state.ignored.has(node.name)) return 0;
  let score = 0;
  for (let i = 0; i < state.constraints.length; i++) {
    const constraint = state.constraints[i] as SpreadConstraint;
    const value = topologyValue(node, constraint.topologyKey);
    if (value === undefined) continue;
    const domain = state.counts[i];
    const count =
      domain === undefined ? countMatchingPods(node, constraint.selector, state.namespace) : (domain.get(value) ?? 0);
    score += count * (state.weights[i] as number) + (constraint.maxSkew - 1);
  }
  return Math.round(score);
}

/**
 * NormalizeScore: `100 × (max + min − score) / max` in integer arithmetic, 100
 * everywhere when every score is 0, and 0 for ignored nodes.
 */
export function normalizeSpreadScores(state: SpreadScoreState, scores: number[], nodes: readonly NodeInfo[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < scores.length; i++) {
    if (state.ignored.has((nodes[i] as NodeInfo).name)) continue;
    const score = scores[i] as number;
    if (score < min) min = score;
    if (score > max) max = score;
  }
  for (let i = 0; i < scores.length; i++) {
    if (state.ignored.has((nodes[i] as NodeInfo).name)) {
      scores[i] = 0;
    } else if (max === 0) {
      scores[i] = MAX_NODE_SCORE;
    } else {
      scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - (scores[i] as number))) / max);
    }
  }
}
