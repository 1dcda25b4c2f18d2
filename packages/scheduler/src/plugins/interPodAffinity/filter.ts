/**
 * InterPodAffinity's PreFilter and Filter, as Kubernetes'
 * `interpodaffinity/filtering.go`: PreFilter counts, per topology pair, the
 * existing pods matching the incoming pod's required (anti-)affinity terms and
 * the existing pods whose required anti-affinity matches the incoming pod;
 * Filter then answers per node from those counts.
 */
import type { Pod } from '@keelson/api';
import type { Cloneable } from '../../framework/cycleState';
import type { NodeInfo } from '../../framework/nodeInfo';
import type { PodInfo } from '../../framework/podInfo';
import { type PluginResult, unresolvable, unschedulable } from '../../framework/status';
import {
  type AffinityTerm,
  affinityTermsOf,
  matchesAllTerms,
  type NamespaceResolvers,
  type PodAffinityTerms,
  termMatches,
} from './terms';
import { TopologyCounts } from './topologyCounts';

/** Kubernetes' reason when no pod the incoming pod needs is in the node's domain (UnschedulableAndUnresolvable). */
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** Kubernetes' reason when a pod the incoming pod avoids is in the node's domain (Unschedulable). */
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
/** Kubernetes' reason when an existing pod's anti-affinity avoids the incoming pod there (Unschedulable). */
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't satisfy existing pods anti-affinity rules";

const AFFINITY_NOT_MATCH = unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY_NOT_MATCH = unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY_NOT_MATCH = unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

function countIncomingTerms(
  state: { affinity: TopologyCounts; antiAffinity: TopologyCounts },
  terms: PodAffinityTerms,
  other: Pod,
  node: NodeInfo,
  resolvers: NamespaceResolvers,
  delta: number,
): void {
  if (matchesAllTerms(terms.requiredAffinity, other, resolvers.forIncomingTerms)) {
    for (const term of terms.requiredAffinity) state.affinity.addForNode(term.topologyKey, node, delta);
  }
  for (const term of terms.requiredAntiAffinity) {
    if (termMatches(term, other, resolvers.forIncomingTerms))
      state.antiAffinity.addForNode(term.topologyKey, node, delta);
  }
}

function countExistingAntiAffinity(
  counts: TopologyCounts,
  existing: PodInfo,
  incoming: Pod,
  node: NodeInfo,
  resolvers: NamespaceResolvers,
  delta: number,
): void {
  for (const term of affinityTermsOf(existing).requiredAntiAffinity) {
    if (termMatches(term, incoming, resolvers.forExistingTerms)) counts.addForNode(term.topologyKey, node, delta);
  }
}

/** The counts Filter reads. Preemption clones it and adds / removes victims. */
export class AffinityFilterState implements Cloneable<AffinityFilterState> {
  constructor(
    readonly pod: Pod,
    readonly terms: PodAffinityTerms,
    readonly resolvers: NamespaceResolvers,
    /** Pairs holding existing pods whose required anti-affinity matches the incoming pod. */
    readonly existingAntiAffinity: TopologyCounts,
    /** Pairs holding existing pods that match all the incoming pod's required affinity terms. */
    readonly affinity: TopologyCounts,
    /** Pairs holding existing pods that match one of the incoming pod's required anti-affinity terms. */
    readonly antiAffinity: TopologyCounts,
    /** The incoming pod matches its own required affinity terms ("first pod of a group"). */
    readonly matchesOwnAffinity: boolean,
  ) {}

  clone(): AffinityFilterState {
    return new AffinityFilterState(
      this.pod,
      this.terms,
      this.resolvers,
      this.existingAntiAffinity.clone(),
      this.affinity.clone(),
      this.antiAffinity.clone(),
      this.matchesOwnAffinity,
    );
  }

  /** Counts `other` on `node` in (1) or out (−1): Kubernetes' `updateWithPod`. */
  update(other: PodInfo, node: NodeInfo, delta: 1 | -1): void {
    countExistingAntiAffinity(this.existingAntiAffinity, other, this.pod, node, this.resolvers, delta);
    countIncomingTerms(this, this.terms, other.pod, node, this.resolvers, delta);
  }
}

/**
 * PreFilter's counting: existing anti-affinity over the nodes holding pods with
 * required anti-affinity, the incoming pod's terms over every pod of `allNodes`.
 */
export function computeAffinityFilterState(
  pod: PodInfo,
  terms: PodAffinityTerms,
  allNodes: readonly NodeInfo[],
  antiAffinityNodes: readonly NodeInfo[],
  resolvers: NamespaceResolvers,
): AffinityFilterState {
  const existing = new TopologyCounts();
  for (const node of antiAffinityNodes) {
    for (const other of node.podsWithRequiredAntiAffinity.values()) {
      countExistingAntiAffinity(existing, other, pod.pod, node, resolvers, 1);
    }
  }
  const incoming = { affinity: new TopologyCounts(), antiAffinity: new TopologyCounts() };
  if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
    for (const node of allNodes) {
      for (const other of node.pods.values()) countIncomingTerms(incoming, terms, other.pod, node, resolvers, 1);
    }
  }
  const self = matchesAllTerms(terms.requiredAffinity, pod.pod, resolvers.forIncomingTerms);
  return new AffinityFilterState(pod.pod, terms, resolvers, existing, incoming.affinity, incoming.antiAffinity, self);
}

function satisfiesAffinity(state: AffinityFilterState, labels: Readonly<Record<string, string>> | undefined): boolean {
  const terms = state.terms.requiredAffinity;
  let podsExist = true;
  for (let i = 0; i < terms.length; i++) {
    const key = (terms[i] as AffinityTerm).topologyKey;
    const value: unknown = labels?.[key];
    // Every topology label must exist on the node.
    if (typeof value !== 'string') return false;
    if (state.affinity.get(key, value) <= 0) podsExist = false;
  }
  // The first pod of a group with affinity to itself may go anywhere with the topologies.
  return podsExist || (state.affinity.size === 0 && state.matchesOwnAffinity);
}

function satisfiesAntiAffinity(state: AffinityFilterState, labels: Readonly<Record<string, string>> | undefined) {
  if (state.antiAffinity.size === 0) return true;
  const terms = state.terms.requiredAntiAffinity;
  for (let i = 0; i < terms.length; i++) {
    const key = (terms[i] as AffinityTerm).topologyKey;
    const value: unknown = labels?.[key];
    if (typeof value === 'string' && state.antiAffinity.get(key, value) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(
  state: AffinityFilterState,
  labels: Readonly<Record<string, string>> | undefined,
) {
  const counts = state.existingAntiAffinity;
  if (counts.size === 0) return true;
  const keys = counts.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value: unknown = labels?.[key];
    if (typeof value === 'string' && counts.get(key, value) > 0) return false;
  }
  return true;
}

/** Filter: affinity, then the pod's anti-affinity, then existing pods' anti-affinity, as upstream orders them. */
export function filterAffinity(state: AffinityFilterState, node: NodeInfo): PluginResult {
  const labels = node.node.metadata.labels;
  if (!satisfiesAffinity(state, labels)) return AFFINITY_NOT_MATCH;
  if (!satisfiesAntiAffinity(state, labels)) return ANTI_AFFINITY_NOT_MATCH;
  if (!satisfiesExistingAntiAffinity(state, labels)) return EXISTING_ANTI_AFFINITY_NOT_MATCH;
  return undefined;
}
