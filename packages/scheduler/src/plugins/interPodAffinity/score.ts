/**
 * InterPodAffinity's PreScore, Score and NormalizeScore, as Kubernetes'
 * `interpodaffinity/scoring.go`: every existing pod adds weights to its
 * node's topology pairs — the incoming pod's preferred terms it matches (+ for
 * affinity, − for anti-affinity), and its own required affinity
 * (`hardPodAffinityWeight`) and preferred terms that the incoming pod matches.
 * A node scores the sum over its pairs; normalisation maps min..max to 0..100.
 */
import type { Pod } from '@keelson/api';
import type { NodeInfo } from '../../framework/nodeInfo';
import type { PodInfo } from '../../framework/podInfo';
import { MAX_NODE_SCORE } from '../../framework/types';
import {
  type AffinityTerm,
  affinityTermsOf,
  type NamespaceLabels,
  type NamespaceResolvers,
  type PodAffinityTerms,
  termMatches,
  type WeightedAffinityTerm,
} from './terms';

/** Topology key → value → summed weight. */
export type TopologyScores = Map<string, Map<string, number>>;

/** What PreScore leaves for Score. */
export interface AffinityScoreState {
  readonly scores: TopologyScores;
  /** The keys of `scores`, for allocation-free iteration. */
  readonly keys: readonly string[];
}

/** How PreScore weighs the existing pods' terms. */
export interface AffinityScoring {
  /** Weight of an existing pod's required affinity term that the incoming pod matches (0 disables). */
  readonly hardPodAffinityWeight: number;
}

class ScoreBuilder {
  readonly scores: TopologyScores = new Map();
  readonly keys: string[] = [];

  /** Kubernetes' `processTerm`: if `pod` matches, add `weight` to the node's pair for the term's key. */
  term(term: AffinityTerm, weight: number, pod: Pod, labelsOf: NamespaceLabels, node: NodeInfo): void {
    const value: unknown = node.node.metadata.labels?.[term.topologyKey];
    if (typeof value !== 'string' || !termMatches(term, pod, labelsOf)) return;
    let values = this.scores.get(term.topologyKey);
    if (values === undefined) {
      values = new Map();
      this.scores.set(term.topologyKey, values);
      this.keys.push(term.topologyKey);
    }
    values.set(value, (values.get(value) ?? 0) + weight);
  }

  terms(
    terms: readonly WeightedAffinityTerm[],
    sign: 1 | -1,
    pod: Pod,
    labelsOf: NamespaceLabels,
    node: NodeInfo,
  ): void {
    for (const term of terms) this.term(term, sign * term.weight, pod, labelsOf, node);
  }
}

function hasLabels(labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const key in labels) if (Object.hasOwn(labels, key)) return true;
  return false;
}

function processExistingPod(
  builder: ScoreBuilder,
  incoming: Pod,
  incomingTerms: PodAffinityTerms,
  existing: PodInfo,
  node: NodeInfo,
  resolvers: NamespaceResolvers,
  scoring: AffinityScoring,
): void {
  if (!hasLabels(node.node.metadata.labels)) return;
  builder.terms(incomingTerms.preferredAffinity, 1, existing.pod, resolvers.forIncomingTerms, node);
  builder.terms(incomingTerms.preferredAntiAffinity, -1, existing.pod, resolvers.forIncomingTerms, node);
  const existingTerms = affinityTermsOf(existing);
  if (scoring.hardPodAffinityWeight > 0) {
    for (const term of existingTerms.requiredAffinity) {
      builder.term(term, scoring.hardPodAffinityWeight, incoming, resolvers.forExistingTerms, node);
    }
  }
  builder.terms(existingTerms.preferredAffinity, 1, incoming, resolvers.forExistingTerms, node);
  builder.terms(existingTerms.preferredAntiAffinity, -1, incoming, resolvers.forExistingTerms, node);
}

/**
 * Sums the weights per topology pair. With `allPods` (the incoming pod has
 * preferred terms) every pod of `nodes` is visited, otherwise only the pods
 * with affinity. `undefined` when nothing was added: PreScore then skips.
 */
export function computeAffinityScoreState(
  pod: PodInfo,
  terms: PodAffinityTerms,
  nodes: readonly NodeInfo[],
  allPods: boolean,
  resolvers: NamespaceResolvers,
  scoring: AffinityScoring,
): AffinityScoreState | undefined {
  const builder = new ScoreBuilder();
  for (const node of nodes) {
    const pods = allPods ? node.pods : node.podsWithAffinity;
    for (const existing of pods.values()) {
      processExistingPod(builder, pod.pod, terms, existing, node, resolvers, scoring);
    }
  }
  return builder.keys.length === 0 ? undefined : { scores: builder.scores, keys: builder.keys };
}

/** Score: the summed weights of the node's topology pairs (negative for anti-affinity). */
export function scoreAffinity(state: AffinityScoreState, node: NodeInfo): number {
  const labels = node.node.metadata.labels;
  let score = 0;
  for (let i = 0; i < state.keys.length; i++) {
    const key = state.keys[i] as string;
    const value: unknown = labels?.[key];
    if (typeof value === 'string') score += state.scores.get(key)?.get(value) ?? 0;
  }
  return score;
}

/** NormalizeScore: `⌊100 × (score − min) / (max − min)⌋`, all 0 when every node scores the same. */
export function normalizeAffinityScores(scores: number[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const score of scores) {
    if (score > max) max = score;
    if (score < min) min = score;
  }
  const spread = max - min;
  for (let i = 0; i < scores.length; i++) {
    // Float arithmetic truncated, exactly as upstream computes it.
    scores[i] = spread > 0 ? Math.trunc(MAX_NODE_SCORE * (((scores[i] as number) - min) / spread)) : 0;
  }
}
